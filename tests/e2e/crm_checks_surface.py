"""Checks of the protocol surface: DSL errors a model can act on, the Deep-Research gateway's
contract, the full tool list, and refusal without (or with the wrong) token."""

from __future__ import annotations

import json
import re

from crm_checks_data import Ctx
from crm_mcp import chain

ALL_TOOLS = sorted(
    [
        "aggregate_crm_objects",
        "fetch",
        "get_crm_objects",
        "get_pipelines",
        "get_properties",
        "get_user_details",
        "list_associations",
        "search",
        "search_crm_objects",
        "search_owners",
        "search_properties",
    ]
)


def corrected_example(message: str) -> str | None:
    m = re.search(r"Corrected example: (.+)$", message, re.M)
    return m.group(1).strip() if m else None


# ---------------------------------------------------------------- f. DSL self-correction -----


async def dsl_errors(ctx: Ctx) -> None:
    admin = await ctx.s("admin")
    customers = ctx.expected["contacts_by_lifecyclestage"]["customer"]

    msg = await admin.error("search", {"query": "object_type:contacts lifecycle_stage:customer"})
    example = corrected_example(msg)
    ok = (
        "`lifecycle_stage`" in msg
        and "lifecycle_stage:customer" in msg
        and re.search(r"at character \d+", msg) is not None
        and "lifecyclestage" in msg.split("Closest names:")[-1]
        and example == "object_type:contacts lifecyclestage:customer"
    )
    ctx.check(ok, "f. misspelled property: error names the token and position, suggests lifecyclestage, shows a corrected query", msg)
    if example:
        total = await admin.total(example)
        ctx.check(total == customers, "f. the corrected example runs and answers", f"{example!r}: total {total}, expected {customers}")

    msg = await admin.error("search", {"query": "lifecyclestage:customer"})
    example = corrected_example(msg)
    ctx.check("object_type" in msg and example is not None and example.startswith("object_type:"), "f. missing object_type: error says it is required, with a corrected example", msg)
    if example:
        a = await admin.call("search", {"query": example})
        ctx.check(not a.is_error, "f. the corrected example of a missing object_type runs", f"{example!r}: {a.text[:300]}")

    # A misspelled operator: `greater` is not one of eq, neq, gt, gte, …
    for query, operators in [
        ("object_type:deals amount:greater:1000", ("gt", "gte")),
        ("object_type:contacts createdate:after:2026-08-01", ("gt", "gte")),
    ]:
        msg = await admin.error("search", {"query": query})
        token = query.split(" ", 1)[1]
        example = corrected_example(msg)
        names_token = f"`{token}`" in msg and re.search(r"at character \d+", msg) is not None
        suggests_operator = any(re.search(rf"\b{op}\b", msg) for op in operators) and "operator" in msg.lower()
        ctx.check(names_token and example is not None, f"f. bad operator `{token}`: error names the token and position, with a corrected example", msg)
        ctx.check(
            suggests_operator,
            f"f. bad operator `{token}`: error says the operator is unknown and suggests gt/gte",
            msg,
        )
        if example:
            a = await admin.call("search", {"query": example})
            ctx.check(not a.is_error, f"f. the corrected example for `{token}` runs", f"{example!r}: {a.text[:300]}")


# ---------------------------------------------------------------- g. Deep Research -----------


async def deep_research(ctx: Ctx) -> None:
    dr = await ctx.sessions.get("dr", ctx.dr_url)
    listed = sorted(t.name for t in (await dr.client.list_tools()).tools)
    ctx.check(listed == ["fetch", "search"], "g. Deep-Research gateway tools/list is exactly [fetch, search]", str(listed))

    try:
        a = await dr.call("aggregate_crm_objects", {"objectType": "contacts"})
        ctx.check(a.is_error, "g. aggregate_crm_objects is not callable on the Deep-Research gateway", a.text[:300])
    except Exception as e:  # noqa: BLE001
        ctx.check(True, "g. aggregate_crm_objects is not callable on the Deep-Research gateway", chain(e))

    a = await dr.call("search", {"query": "object_type:deals dealstage:closedwon sort:amount:desc limit:3"})
    s = a.structured or {}
    results = s.get("results") or []
    ok = (
        not a.is_error
        and set(s) == {"results", "total", "offset"}
        and len(results) == 3
        and all(set(r) == {"id", "title", "text", "url"} and all(isinstance(r[k], str) for k in r) for r in results)
        and a.content_count == 1
        and json.loads(a.text) == s
        and s["offset"] == 3
        and s["total"] > 3
    )
    ctx.check(ok, "g. search: {results[{id,title,text,url}], total, offset}, one text item whose JSON equals structuredContent", a.text[:500])
    if results:
        f = await dr.call("fetch", {"id": results[0]["id"]})
        d = f.structured or {}
        ok = (
            not f.is_error
            and set(d) == {"id", "title", "text", "url", "metadata"}
            and d["id"] == results[0]["id"]
            and d["url"] == results[0]["url"]
            and isinstance(d["metadata"], dict)
            and all(isinstance(v, str) for v in d["metadata"].values())
            and d["metadata"].get("object_type") == "deals"
            and f.content_count == 1
            and json.loads(f.text) == d
        )
        ctx.check(ok, "g. fetch: {id,title,text,url,metadata} as one text item equal to structuredContent", f.text[:500])


# ---------------------------------------------------------------- tool list, i. no token -----


async def surface(ctx: Ctx) -> None:
    admin = await ctx.s("admin")
    listed = sorted(t.name for t in (await admin.client.list_tools()).tools)
    ctx.check(listed == ALL_TOOLS, "/mcp tools/list has all 11 CRM tools", str(listed))
    for tag, token, url in [("no token", None, ctx.mcp_url), ("/mcp token on the Deep-Research gateway", "admin", ctx.dr_url)]:
        try:
            s = await ctx.sessions.get(token, url)
            await s.client.list_tools()
            ctx.check(False, f"i. {tag}: refused with 401", "connected and listed")
        except Exception as e:  # noqa: BLE001
            text = chain(e)
            ctx.check("401" in text or "Unauthorized" in text, f"i. {tag}: refused with 401", text[:600])
