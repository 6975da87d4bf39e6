"""Checks of what the CRM answers: analytics against the ground truth, row permissions per view
level, hidden properties, tenant isolation, and association/count leaks."""

from __future__ import annotations

import re
from typing import Any, Awaitable, Callable

from crm_mcp import Crm, Sessions, chain

OBJECT_TYPES = ["contacts", "companies", "deals", "tickets"]

# What each demo user may see (crm_tools::demo::DEMO_USERS), as get_user_details must report it:
# object type -> (view, unassigned).
DEMO_PERMISSIONS: dict[str, dict[str, tuple[str, bool]]] = {
    "u2": {t: ("team", True) for t in OBJECT_TYPES},
    "u3": {t: ("team", False) for t in OBJECT_TYPES},
    "u4": {t: ("own", True) for t in OBJECT_TYPES},
    "u5": {t: ("own", False) for t in OBJECT_TYPES},
    "u7": {"contacts": ("own", False), "companies": ("own", False), "deals": ("none", False), "tickets": ("team", True)},
}

# A record id no account has.
NO_SUCH_ID = 987654321


class Ctx:
    """What every check needs: sessions, URLs, the ground truth and the tally."""

    def __init__(self, sessions: Sessions, mcp_url: str, dr_url: str, expected: dict, report: Callable, tag: str) -> None:
        self.sessions = sessions
        self.mcp_url = mcp_url
        self.dr_url = dr_url
        self.expected = expected
        self._report = report
        self.tag = tag
        self.known_failures: list[str] = []

    async def s(self, token: str) -> Crm:
        return await self.sessions.get(token, self.mcp_url)

    def check(self, ok: bool, name: str, detail: str = "") -> bool:
        self._report(ok, f"{self.tag} {name}", detail)
        return ok

    def known_failure(self, ok: bool, name: str, detail: str) -> None:
        """A check that exposes a reported, not yet fixed bug: printed, not counted as failed."""
        if ok:
            self._report(True, f"{self.tag} {name} (was a known failure: now fixed)")
        else:
            print(f"XFAIL {self.tag} {name}: {detail}")
            self.known_failures.append(name)

    async def guard(self, name: str, body: Callable[[], Awaitable[None]]) -> None:
        """Runs a group of checks; an exception is one FAIL named after the group."""
        try:
            await body()
        except Exception as e:  # noqa: BLE001
            self.check(False, f"{name} (aborted)", chain(e)[:1200])


def owner_key(value: Any) -> str | None:
    return None if value is None else str(value)


def normalise(message: str, name: str) -> str:
    """An error message with the property name and its (name-dependent) suggestions blanked,
    so a hidden and a nonexistent property's messages can be compared for shape."""
    m = message.replace(name, "<P>")
    m = re.sub(r"Closest names: [^.]*\.", "Closest names: <…>.", m)
    m = re.sub(r"Corrected example: .*", "Corrected example: <…>", m)
    return m


# ---------------------------------------------------------------- a. analytics ---------------


async def analytics(ctx: Ctx) -> None:
    admin = await ctx.s("admin")
    w = ctx.expected["window_start"]
    truth = ctx.expected["conversion_by_region"]
    best_truth = ctx.expected["best_region"]

    def best(counts: dict[str, dict[str, int]]) -> str:
        return max(counts, key=lambda r: counts[r]["customers"] / counts[r]["created"] if counts[r]["created"] else 0.0)

    got: dict[str, dict[str, int]] = {}
    for region in truth:
        created = await admin.total(f"object_type:contacts createdate:gte:{w} region:{region}")
        customers = await admin.total(f"object_type:contacts createdate:gte:{w} region:{region} lifecyclestage:customer")
        got[region] = {"created": created, "customers": customers}
    ctx.check(
        got == truth and best(got) == best_truth,
        f"a. analytics via search totals: 90-day conversion by region matches expected.json, best region {best_truth}",
        f"got {got} (best {best(got)}), expected {truth} (best {best_truth})",
    )

    groups = await admin.count_by("contacts", ["region", "lifecyclestage"], [{"propertyName": "createdate", "operator": "GTE", "value": w}])
    agg: dict[str, dict[str, int]] = {}
    for g in groups:
        region = g["key"].get("region")
        if region is None:
            continue
        row = agg.setdefault(region, {"created": 0, "customers": 0})
        row["created"] += g["count"]
        if g["key"].get("lifecyclestage") == "customer":
            row["customers"] += g["count"]
    ctx.check(
        agg == truth and best(agg) == best_truth,
        f"a. analytics via one aggregate_crm_objects (group by region, lifecyclestage) matches expected.json, best {best_truth}",
        f"got {agg}, expected {truth}",
    )
    customers = await admin.total("object_type:contacts lifecyclestage:customer")
    ctx.check(
        customers == ctx.expected["contacts_by_lifecyclestage"]["customer"],
        "a. all-time customers total matches expected.json",
        f"search total {customers}, expected {ctx.expected['contacts_by_lifecyclestage']['customer']}",
    )


# ---------------------------------------------------------------- b. permissions -------------


async def permissions(ctx: Ctx) -> None:
    admin = await ctx.s("admin")
    owners = (await admin.ok("search_owners", {"limit": 100}))["results"]
    members: dict[str, set[str]] = {}
    for o in owners:
        for t in o["teams"]:
            members.setdefault(t["name"], set()).add(str(o["ownerId"]))
    admin_counts: dict[str, dict[str | None, int]] = {}
    for t in OBJECT_TYPES:
        admin_counts[t] = {owner_key(g["key"]["hubspot_owner_id"]): g["count"] for g in await admin.count_by(t, ["hubspot_owner_id"])}

    for user, perms in DEMO_PERMISSIONS.items():
        s = await ctx.s(user)
        details = await s.user()
        reported = {o["objectType"]: (o["view"], o["unassigned"]) for o in details["objects"]}
        statuses = {o["objectType"]: o["status"] for o in details["objects"]}
        want_status = {t: ("REQUIRES_PERMISSION_MODIFICATION" if perms[t][0] == "none" else "AVAILABLE") for t in OBJECT_TYPES}
        ctx.check(
            {t: reported.get(t) for t in OBJECT_TYPES} == perms and statuses == want_status,
            f"b. {user} get_user_details reports its view levels and statuses",
            f"reported {reported} {statuses}, expected {perms} {want_status}",
        )
        own = {str(details["ownerId"])} if details.get("ownerId") is not None else set()
        team = set().union(*(members.get(name, set()) for name in details["teams"])) if details["teams"] else set()
        for t in OBJECT_TYPES:
            view, unassigned = perms[t]
            if view == "none":
                continue
            allowed: set[str | None] = own | (team if view == "team" else set())
            if unassigned:
                allowed.add(None)
            groups = {owner_key(g["key"]["hubspot_owner_id"]): g["count"] for g in await s.count_by(t, ["hubspot_owner_id"])}
            implied = {k: v for k, v in admin_counts[t].items() if k in allowed}
            total = await s.total(f"object_type:{t}")
            admin_total = sum(admin_counts[t].values())
            # Strictly fewer than the admin unless the allowed owners cover every record
            # (the support user's team owns every ticket).
            fewer = total < admin_total or set(admin_counts[t]) <= allowed
            ctx.check(
                groups == implied and total == sum(implied.values()) and fewer,
                f"b. {user} ({view}{' + unassigned' if unassigned else ''}) {t}: only owners {sorted(map(str, allowed))}, total {total} == admin-side count (admin sees {admin_total})",
                f"user groups {groups}, admin-side {implied}, user total {total}",
            )
        # Row level, through paging (not just the aggregate): every contact's owner is allowed.
        view, unassigned = perms["contacts"]
        allowed = own | (team if view == "team" else set())
        want = sum(n for k, n in admin_counts["contacts"].items() if k in allowed or (unassigned and k is None))
        rows = await s.records("contacts", ["hubspot_owner_id"])
        bad = [r["id"] for r in rows if not (r["properties"].get("hubspot_owner_id") in allowed or (unassigned and "hubspot_owner_id" not in r["properties"]))]
        ctx.check(
            not bad and len(rows) == want,
            f"b. {user} paging through contacts: {len(rows)} rows (admin-side {want}), each theirs to see",
            f"not allowed: {bad[:10]}",
        )

    u4, u5 = await ctx.s("u4"), await ctx.s("u5")
    for t in OBJECT_TYPES:
        own5 = await admin.total(f"object_type:{t} hubspot_owner_id:1007")
        mine5 = await u5.total(f"object_type:{t}")
        unset5 = await u5.total(f"object_type:{t} hubspot_owner_id:not_has_property")
        ctx.check(
            own5 == mine5 and unset5 == 0,
            f"b. u5 (own, no unassigned) {t}: admin `hubspot_owner_id:1007` total == u5 total, u5 sees no unassigned",
            f"admin {own5}, u5 {mine5}, u5 unassigned {unset5}",
        )
        own4 = await admin.total(f"object_type:{t} hubspot_owner_id:1001")
        unset = await admin.total(f"object_type:{t} hubspot_owner_id:not_has_property")
        mine4 = await u4.total(f"object_type:{t}")
        unset4 = await u4.total(f"object_type:{t} hubspot_owner_id:not_has_property")
        ctx.check(
            own4 + unset == mine4 and unset4 == unset > 0,
            f"b. u4 (own + unassigned) {t}: total == admin's owner-1001 + unassigned totals",
            f"admin {own4} + {unset}, u4 {mine4} (unassigned {unset4})",
        )

    u7 = await ctx.s("u7")
    err = await u7.error("search", {"query": "object_type:deals"})
    ctx.check("REQUIRES_PERMISSION_MODIFICATION" in err, "b. u7 (no deal permission): search deals -> REQUIRES_PERMISSION_MODIFICATION", err)
    err = await u7.error("aggregate_crm_objects", {"objectType": "deals"})
    ctx.check("REQUIRES_PERMISSION_MODIFICATION" in err, "b. u7: aggregate deals -> REQUIRES_PERMISSION_MODIFICATION", err)

    nodeals = await ctx.s("nodeals")
    err = await nodeals.error("search", {"query": "object_type:deals"})
    ctx.check("REQUIRES_REAUTHORIZATION" in err, "b. token without crm.objects.deals.read: search deals -> REQUIRES_REAUTHORIZATION", err)
    details = await nodeals.user()
    statuses = {o["objectType"]: o["status"] for o in details["objects"]}
    contacts = await nodeals.total("object_type:contacts")
    ctx.check(
        statuses == {"contacts": "AVAILABLE", "companies": "AVAILABLE", "deals": "REQUIRES_REAUTHORIZATION", "tickets": "AVAILABLE"}
        and contacts == ctx.expected["counts"]["contacts"],
        "b. token without the deals scope: get_user_details says REQUIRES_REAUTHORIZATION for deals only; contacts still readable",
        f"{statuses}, contacts total {contacts}",
    )


# ---------------------------------------------------------------- c. hidden properties -------


async def hidden_properties(ctx: Ctx) -> None:
    admin, u6 = await ctx.s("admin"), await ctx.s("u6")
    control = await admin.total("object_type:deals amount:gt:0")
    ctx.check(control > 0, "c. control: admin can filter deals on amount", f"total {control}")

    sample = (await admin.search("object_type:contacts email:has_property phone:has_property limit:3"))["results"]
    leaks = []
    for r in sample:
        full = await admin.ok("fetch", {"id": r["id"]})
        email = re.search(r"^email: (.+)$", full["text"], re.M)
        phone = re.search(r"^phone: (.+)$", full["text"], re.M)
        seen = await u6.call("fetch", {"id": r["id"]})
        for secret in filter(None, [email and email.group(1), phone and phone.group(1)]):
            if secret in seen.text or secret in str(seen.structured):
                leaks.append((r["id"], secret))
        if seen.is_error or re.search(r"^(email|phone):", seen.structured["text"], re.M):
            leaks.append((r["id"], "email/phone line or error"))
    ctx.check(sample and not leaks, "c. u6 fetch: contact email and phone absent from text, title and metadata", str(leaks))

    page = await u6.search("object_type:contacts limit:50")
    bad = [r["id"] for r in page["results"] if re.search(r"^(email|phone):", r["text"], re.M) or "@" in r["title"] + r["text"]]
    ctx.check(page["results"] and not bad, "c. u6 search results show no email or phone", str(bad[:5]))
    got = await u6.ok("get_crm_objects", {"objectType": "contacts", "objectIds": [int(r["id"].split(":")[1]) for r in page["results"][:20]]})
    keys = set().union(*(r["properties"].keys() for r in got["results"]))
    deals = await u6.ok("get_crm_objects", {"objectType": "deals", "objectIds": list(range(1, 21))})
    deal_keys = set().union(*(r["properties"].keys() for r in deals["results"]))
    ctx.check(
        not {"email", "phone"} & keys and "amount" not in deal_keys and "dealname" in deal_keys,
        "c. u6 get_crm_objects (all visible properties): no email, phone or amount",
        f"contact keys {sorted(keys)}, deal keys {sorted(deal_keys)}",
    )

    probes: list[tuple[str, str, Callable[[str], Awaitable[str]]]] = [
        ("search filter amount:gt:0", "amount", lambda p: u6.error("search", {"query": f"object_type:deals {p}:gt:0"})),
        ("search sort:amount:desc", "amount", lambda p: u6.error("search", {"query": f"object_type:deals sort:{p}:desc"})),
        ("search email:has_property", "email", lambda p: u6.error("search", {"query": f"object_type:contacts {p}:has_property"})),
        (
            "search_crm_objects filterGroups amount GT 0",
            "amount",
            lambda p: u6.error("search_crm_objects", {"objectType": "deals", "filterGroups": [{"filters": [{"propertyName": p, "operator": "GT", "value": 0}]}]}),
        ),
        ("search_crm_objects sorts amount", "amount", lambda p: u6.error("search_crm_objects", {"objectType": "deals", "sorts": [{"propertyName": p, "direction": "DESCENDING"}]})),
        ("search_crm_objects properties [email]", "email", lambda p: u6.error("search_crm_objects", {"objectType": "contacts", "properties": [p]})),
        ("aggregate SUM amount", "amount", lambda p: u6.error("aggregate_crm_objects", {"objectType": "deals", "metrics": [{"type": "SUM", "propertyName": p}]})),
        ("aggregate group by email", "email", lambda p: u6.error("aggregate_crm_objects", {"objectType": "contacts", "groupBy": [p]})),
    ]
    for name, prop, probe in probes:
        fake = prop + "_zq"
        hidden_msg = await probe(prop)
        unknown_msg = await probe(fake)
        ctx.check(
            "unknown property" in hidden_msg and normalise(hidden_msg, prop) == normalise(unknown_msg, fake),
            f"c. u6 {name}: refused exactly like a nonexistent property",
            f"hidden: {hidden_msg!r} / nonexistent: {unknown_msg!r}",
        )

    for object_type, names in [("contacts", ["email", "phone"]), ("deals", ["amount"])]:
        found = await u6.ok("search_properties", {"objectType": object_type, "keywords": names})
        listed = {p["name"] for p in (await u6.ok("get_properties", {"objectType": object_type}))["results"]}
        asked = await u6.ok("get_properties", {"objectType": object_type, "propertyNames": names})
        fake = await u6.ok("get_properties", {"objectType": object_type, "propertyNames": [n + "_zq" for n in names]})
        found_names = {p["name"] for p in found["results"]}
        ctx.check(
            not set(names) & (found_names | listed)
            and not asked["results"]
            and [u["name"] for u in asked.get("unknown", [])] == names
            and len(fake.get("unknown", [])) == len(names),
            f"c. u6 search_properties/get_properties omit {object_type} {names} (asked by name: reported unknown, like a nonexistent name)",
            f"search_properties {sorted(found_names)}, listed hidden {set(names) & listed}, asked {asked}",
        )


# ---------------------------------------------------------------- d. cross-tenant ------------


async def cross_tenant(ctx: Ctx) -> None:
    admin, t2 = await ctx.s("admin"), await ctx.s("t2admin")
    details = await t2.user()
    ctx.check(details["hubId"] == 2, "d. tenant-2 token: get_user_details names account 2", str(details.get("hubId")))

    t1 = (await admin.search("object_type:contacts limit:5"))["results"]
    problems = []
    for r in t1:
        got = await t2.call("fetch", {"id": r["id"]})
        if got.is_error:
            if "no record" not in got.text:
                problems.append((r["id"], got.text))
            continue
        own = (await t2.search(f"object_type:contacts hs_object_id:{r['id'].split(':')[1]}"))["results"]
        if got.structured["title"] == r["title"] or not own or own[0]["title"] != got.structured["title"] or "globex" not in got.structured["url"]:
            problems.append((r["id"], r["title"], got.structured["title"]))
    ctx.check(t1 and not problems, "d. tenant 2 fetching tenant-1 ids gets its own record (other title, globex url) or not found", str(problems))

    t2_contacts = await t2.total("object_type:contacts")
    high = t2_contacts + 100
    far = await t2.error("fetch", {"id": f"contacts:{high}"})
    missing = await t2.error("fetch", {"id": f"contacts:{NO_SUCH_ID}"})
    exists_in_t1 = await admin.total(f"object_type:contacts hs_object_id:{high}")
    ctx.check(
        exists_in_t1 == 1 and far.replace(str(high), "<ID>") == missing.replace(str(NO_SUCH_ID), "<ID>"),
        "d. a tenant-1-only id looks exactly like a nonexistent one to tenant 2",
        f"{far!r} vs {missing!r} (exists in tenant 1: {exists_in_t1})",
    )

    t2_companies = await t2.total("object_type:companies")
    big = (await admin.search(f"object_type:companies hs_object_id:gt:{t2_companies + 10} num_associated_contacts:gte:2 limit:1"))["results"]
    if ctx.check(bool(big), "d. setup: a tenant-1 company with contacts beyond tenant 2's ids"):
        cid = big[0]["id"].split(":")[1]
        t1_n = await admin.total(f"object_type:contacts associated_companies:{cid}")
        t2_n = await t2.total(f"object_type:contacts associated_companies:{cid}")
        ctx.check(t1_n > 0 and t2_n == 0, f"d. tenant 2 `associated_companies:{cid}` (a tenant-1 company) matches nothing", f"tenant 1 {t1_n}, tenant 2 {t2_n}")
    shared = (await t2.search("object_type:companies num_associated_contacts:gte:1 limit:1"))["results"]
    if ctx.check(bool(shared), "d. setup: a tenant-2 company with contacts"):
        cid = int(shared[0]["id"].split(":")[1])
        t2_ids = {r["id"] for r in (await t2.search(f"object_type:contacts associated_companies:{cid} limit:200"))["results"]}
        t2_links = {f"contacts:{a['toObjectId']}" for a in (await t2.ok("list_associations", {"objectType": "companies", "objectId": cid, "toObjectType": "contacts"}))["results"]}
        t1_ids = {r["id"] for r in (await admin.search(f"object_type:contacts associated_companies:{cid} limit:200"))["results"]}
        ctx.check(
            t2_ids == t2_links and t2_ids != t1_ids,
            f"d. `associated_companies:{cid}` (an id both accounts use) gives tenant 2 its own links only",
            f"tenant-2 search {sorted(t2_ids)}, tenant-2 associations {sorted(t2_links)}, tenant-1 search {sorted(t1_ids)}",
        )

    t3 = await ctx.s("t3")
    err = await t3.error("get_user_details", {})
    err2 = await t3.error("search", {"query": "object_type:contacts"})
    ctx.check(
        "not a user of this CRM account" in err and err == err2,
        "d. a token for account 3 (no such account) gets a clear error",
        f"{err!r} / {err2!r}",
    )


# ---------------------------------------------------------------- e. association leaks -------


async def association_leaks(ctx: Ctx) -> None:
    admin, u5 = await ctx.s("admin"), await ctx.s("u5")
    companies = await u5.records("companies", ["num_associated_contacts", "num_associated_deals", "hubspot_owner_id"])
    checked = leaky = 0
    problems: list[Any] = []
    for company in companies[:25]:
        cid = int(company["id"])
        for to, prop in [("contacts", "num_associated_contacts"), ("deals", "num_associated_deals")]:
            mine = await u5.ok("list_associations", {"objectType": "companies", "objectId": cid, "toObjectType": to, "limit": 500})
            theirs = await admin.ok("list_associations", {"objectType": "companies", "objectId": cid, "toObjectType": to, "limit": 500})
            ids = [a["toObjectId"] for a in mine["results"]]
            shown = int(float(company["properties"].get(prop, "0")))
            if shown != mine["total"] or len(ids) != mine["total"]:
                problems.append((cid, to, f"{prop}={shown}", f"listed {len(ids)}", f"total {mine['total']}"))
            if ids:
                batch = await u5.ok("get_crm_objects", {"objectType": to, "objectIds": ids[:100]})
                if batch["missing"]:
                    problems.append((cid, to, "listed but not visible", batch["missing"]))
            leaky += theirs["total"] > mine["total"]
            checked += 1
    ctx.check(
        checked and leaky and not problems,
        f"e. u5: list_associations of {checked // 2} visible companies lists only visible records, num_associated_* == visible count ({leaky} lists had hidden links)",
        str(problems[:8]),
    )

    theirs = (await admin.search("object_type:deals hubspot_owner_id:1001 limit:50"))["results"]
    hidden_deal = None
    for d in theirs:
        did = d["id"].split(":")[1]
        if await admin.total(f"object_type:companies associated_deals:{did}") > 0:
            hidden_deal = did
            break
    if ctx.check(hidden_deal is not None, "e. setup: a deal u5 may not see, linked to a company"):
        for t in ["companies", "contacts"]:
            n = await u5.total(f"object_type:{t} associated_deals:{hidden_deal}")
            ctx.check(n == 0, f"e. u5 `object_type:{t} associated_deals:{hidden_deal}` (invisible deal) matches nothing", f"total {n}")
        invisible = await u5.error("fetch", {"id": f"deals:{hidden_deal}"})
        missing = await u5.error("fetch", {"id": f"deals:{NO_SUCH_ID}"})
        ctx.check(
            invisible.replace(hidden_deal, "<ID>") == missing.replace(str(NO_SUCH_ID), "<ID>"),
            "e. u5 fetch of an invisible deal == fetch of a nonexistent one",
            f"{invisible!r} vs {missing!r}",
        )
        batch = await u5.ok("get_crm_objects", {"objectType": "deals", "objectIds": [int(hidden_deal), NO_SUCH_ID]})
        ctx.check(
            not batch["results"] and batch["missing"] == [int(hidden_deal), NO_SUCH_ID],
            "e. u5 get_crm_objects lists an invisible and a nonexistent id alike under `missing`",
            str(batch),
        )
        links = await u5.call("list_associations", {"objectType": "deals", "objectId": int(hidden_deal), "toObjectType": "companies"})
        nolinks = await u5.call("list_associations", {"objectType": "deals", "objectId": NO_SUCH_ID, "toObjectType": "companies"})
        same = links.is_error == nolinks.is_error and links.text.replace(hidden_deal, "<ID>") == nolinks.text.replace(str(NO_SUCH_ID), "<ID>")
        ctx.check(
            same and (links.is_error or links.structured["total"] == 0),
            "e. u5 list_associations of an invisible deal looks like a nonexistent one",
            f"{links.text[:300]!r} vs {nolinks.text[:300]!r}",
        )
