#!/usr/bin/env python3
"""Writes the hand-made seed inputs into fuzz/corpus/<target>/ (run once; `cargo fuzz cmin`
then keeps what adds coverage). Seeds are named seed-<n>; libFuzzer's own finds are hashes."""

import json
import os
import re

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
MODERN = "2026-07-28"
META = {
    "io.modelcontextprotocol/protocolVersion": MODERN,
    "io.modelcontextprotocol/clientCapabilities": {},
}


def write(target, seeds):
    out = os.path.join(HERE, "corpus", target)
    os.makedirs(out, exist_ok=True)
    for n, seed in enumerate(seeds):
        data = seed if isinstance(seed, bytes) else seed.encode()
        with open(os.path.join(out, f"seed-{n:03}"), "wb") as f:
            f.write(data)


def dsl_seeds():
    """Every query of the DSL golden and rule tests, plus the corrected examples they show."""
    seeds = []
    for path in ["crm-tools/tests/common/mod.rs", "crm-tools/tests/dsl_golden.rs",
                 "crm-tools/tests/dsl_rules.rs"]:
        text = open(os.path.join(ROOT, path)).read()
        for s in re.findall(r'r#"(.*?)"#', text, re.S):
            if s.startswith("Invalid query:"):
                fixed = s.split("Corrected example: ", 1)
                if len(fixed) == 2:
                    seeds.append(fixed[1])
            else:
                seeds.append(s)
    seeds += [
        "object_type:contacts q:\"Zoë O'Brien\" sort:createdate:desc limit:200 offset:9800",
        "object_type:deals amount:between:1e3,5e5 closedate:gte:2026-11-01T12:00:00Z",
        "object_type:tickets hs_ticket_priority:in:high,urgent,\"med ium\" q:'refund \"now\"'",
        "object_type:companies name:contains_token:acme* annualrevenue:lt:-1.5",
        "object_type:contacts createdate:between:2026-12-31,2026-01-01 hs_object_id:in:1,2,3",
    ]
    return list(dict.fromkeys(seeds))


def search_seeds():
    """HubSpot CRM search request bodies, valid and not."""
    f = lambda p, o, **kw: dict(propertyName=p, operator=o, **kw)
    seeds = [
        {"objectType": "contacts"},
        {"objectType": "contacts", "filterGroups": [{"filters": [f("email", "CONTAINS_TOKEN", value="*@example.com")]}],
         "sorts": [{"propertyName": "lastmodifieddate", "direction": "DESCENDING"}], "properties": ["email", "firstname"], "limit": 5},
        {"objectType": "deals", "filterGroups": [
            {"filters": [f("amount", "BETWEEN", value=1000, highValue="50000"), f("dealstage", "NOT_IN", values=["closedlost"])]},
            {"filters": [f("closedate", "GTE", value="2026-10-01"), f("hubspot_owner_id", "HAS_PROPERTY")]}],
         "sorts": [{"propertyName": "amount", "direction": "ASCENDING"}], "limit": 200, "offset": 40},
        {"objectType": "companies", "query": "acme corp", "filterGroups": [{"filters": [f("annualrevenue", "GT", value=1e6), f("industry", "EQ", value="COMPUTER_SOFTWARE")]}]},
        {"objectType": "tickets", "filterGroups": [{"filters": [f("hs_ticket_priority", "IN", values=["HIGH", "urgent", 3, True])]}]},
        {"objectType": "0-1", "filterGroups": [{"filters": [f("associations.company", "EQ", value="901")]}]},
        {"objectType": "contacts", "filterGroups": [{"filters": [f("createdate", "LT", value=1793491200000), f("phone", "NOT_HAS_PROPERTY")]}], "properties": ["phone", "nope"]},
        {"objectType": "deals", "filterGroups": [{"filters": []}]},
        {"objectType": "contacts", "filterGroups": [{"filters": [f("email", "LIKE", value="x")]}]},
        {"objectType": "contacts", "sorts": [{"propertyName": "email"}, {"propertyName": "firstname"}]},
        {"objectType": "contacts", "limit": 0, "offset": 4294967295},
        {"objectType": "leads", "filterGroups": "x"},
        {"objectType": "contacts", "query": "\u00e9\u0000\"'%_*", "filterGroups": [{"filters": [f("firstname", "NOT_CONTAINS_TOKEN", value="o'brien")]}]},
    ]
    return [json.dumps(s) for s in seeds]


def token_seeds():
    """Claim sets (signed by the fuzz server's key) and raw Authorization values."""
    aud = "http://crm.test/mcp"
    base = {"iss": "http://crm.test", "aud": aud, "sub": "1", "hub_id": "1", "iat": 1700000000,
            "nbf": 1700000000, "exp": 4102444800, "client_id": "fuzz",
            "scope": "crm.objects.contacts.read crm.objects.companies.read crm.objects.deals.read crm.objects.tickets.read crm.objects.owners.read"}
    variants = [base,
                dict(base, aud=[aud, "other"]), dict(base, aud="http://crm.test/deep-research/mcp"),
                dict(base, exp=1000), dict(base, nbf=4102444800), dict(base, iss="https://evil.example"),
                dict(base, hub_id=1), dict(base, hub_id="2"), dict(base, hub_id="x"), dict(base, sub="999999"),
                dict(base, sub=7, scope="crm.objects.contacts.read"), dict(base, scope=""), dict(base, scope=["a", 1]),
                {k: v for k, v in base.items() if k != "exp"}, {k: v for k, v in base.items() if k != "hub_id"}]
    header = "eyJhbGciOiJFUzI1NiIsInR5cCI6IkpXVCJ9"
    payload = "eyJpc3MiOiJodHRwOi8vY3JtLnRlc3QiLCJzdWIiOiIxIn0"
    raw = [f"Bearer {header}.{payload}.c2lnbmF0dXJl", f"Bearer {header}.{payload}.", f"bearer {header}..",
           "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.", "Bearer eyJhbGciOiJIUzI1NiJ9.e30.AAAA",
           "Bearer  two-spaces", "Bearer", "Basic dXNlcjpwYXNz", "Bearer a.b.c.d", "Bearer %%%.***.!!!", ""]
    return [json.dumps(v) for v in variants] + raw


def request(method, params=None, id_=1, notification=False):
    msg = {"jsonrpc": "2.0", "method": method}
    if not notification:
        msg["id"] = id_
    if params is not None:
        msg["params"] = params
    return json.dumps(msg)


def router_seeds():
    """Every method in both protocol eras, with their headers; transport edge cases."""
    seeds = []
    calls = [
        ("search", {"query": "object_type:deals dealstage:closedwon limit:3"}),
        ("fetch", {"id": "contacts:1"}),
        ("search_crm_objects", {"objectType": "contacts", "limit": 2}),
        ("get_crm_objects", {"objectType": "contacts", "ids": ["1", "2"]}),
        ("list_associations", {"objectType": "companies", "objectId": "1", "toObjectType": "contacts"}),
        ("search_owners", {"query": "a"}),
        ("search_properties", {"objectType": "deals", "query": "amount"}),
        ("get_properties", {"objectType": "tickets", "propertyNames": ["subject"]}),
        ("get_pipelines", {"objectType": "deals"}),
        ("get_user_details", {}),
        ("aggregate_crm_objects", {"objectType": "deals", "groupBy": ["dealstage"], "metrics": [{"function": "SUM", "propertyName": "amount"}]}),
    ]
    classic = [
        ("initialize", {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "fuzz", "version": "1"}}),
        ("ping", {}),
        ("tools/list", {}),
        ("resources/list", {}),
        ("resources/templates/list", {}),
        ("resources/read", {"uri": "crm://1/contacts/1"}),
        ("prompts/list", {}),
        ("prompts/get", {"name": "summarize_record", "arguments": {"object_type": "contacts", "id": "1"}}),
        ("completion/complete", {"ref": {"type": "ref/prompt", "name": "summarize_record"}, "argument": {"name": "object_type", "value": "co"}}),
        ("logging/setLevel", {"level": "debug"}),
    ] + [("tools/call", {"name": n, "arguments": a}) for n, a in calls]
    for version in ["2025-03-26", "2025-06-18", "2025-11-25"]:
        for i, (method, params) in enumerate(classic):
            seeds.append(f"mcp-protocol-version: {version}\n\n" + request(method, params, i + 1))
    seeds.append("mcp-protocol-version: 2025-11-25\n\n" + request("notifications/initialized", notification=True))
    seeds.append("mcp-protocol-version: 2025-03-26\n\n[" + request("ping", {}, 1) + "," + request("tools/list", {}, "b") + "]")
    for i, (method, params) in enumerate([("server/discover", {})] + classic[1:]):
        params = dict(params, _meta=META)
        name = params.get("name") or params.get("uri")
        head = f"mcp-protocol-version: {MODERN}\nmcp-method: {method}\n"
        if name:
            head += f"mcp-name: {name}\n"
        seeds.append(head + "\n" + request(method, params, 100 + i))
    seeds += [
        f"mcp-protocol-version: {MODERN}\nmcp-method: =?base64?dG9vbHMvY2FsbA==?=\nmcp-name: search\n\n"
        + request("tools/call", {"name": "search", "arguments": {"query": "object_type:contacts"}, "_meta": dict(META, **{"io.modelcontextprotocol/logLevel": "debug", "progressToken": "p"})}),
        "POST /deep-research/mcp\nmcp-protocol-version: 2025-06-18\n\n" + request("tools/call", {"name": "fetch", "arguments": {"id": "deals:3"}}),
        "GET /mcp\n\n",
        "DELETE /mcp\nmcp-session-id: abc\n\n",
        "content-type: text/plain\n\n{}",
        "accept: application/json\n\n" + request("ping"),
        "-authorization\n\n" + request("tools/list"),
        "origin: http://evil.example\n\n" + request("ping"),
        request("tools/list", id_="s"),
        '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"search","arguments":{"query":5}}}',
        '{"jsonrpc":"1.0","id":null,"method":"ping"}',
        '{"jsonrpc":"2.0","id":2,"result":{}}',
        "[]",
        "{",
    ]
    return seeds


def state_seeds():
    """requestState payloads bound to the harness's fuzz_confirm call (MAC'd by the harness),
    and raw states (`!` prefix)."""
    import hashlib
    canonical = json.dumps({"subject": "deal 7"}, separators=(",", ":"), sort_keys=True)
    base = {"m": "tools/call", "n": "fuzz_confirm", "a": hashlib.sha256(canonical.encode()).hexdigest(),
            "s": "1", "exp": 4102444800, "r": {}}
    yes = {"action": "accept", "content": {"ok": True}}
    payloads = [base, dict(base, r={"first": yes}), dict(base, r={"first": yes, "second": {"action": "decline"}}),
                dict(base, r={"first": {"action": "cancel"}}), dict(base, r={"first": 5, "x": None}),
                dict(base, n="search"), dict(base, s=None), dict(base, exp=1), dict(base, a="00")]
    seeds = [json.dumps(p, separators=(",", ":")) for p in payloads]
    seeds += ['{"m":"tools/call"', "", "!", "!v1..", "!v1.e30.AAAA", "!v2.e30.e30", "!v1.e30.e30.e30",
              "!v1.%%%.AAAA", "!null"]
    return seeds


write("dsl_query", dsl_seeds())
write("search_crm_objects", search_seeds())
write("bearer_token", token_seeds())
write("mcp_request", router_seeds())
write("request_state", state_seeds())
