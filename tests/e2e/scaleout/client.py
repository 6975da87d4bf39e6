#!/usr/bin/env python3
"""The official Python MCP client (mcp==2.3.0) against crm-server replicas through the balancer.

Usage: client.py MCP_URL DR_URL TOKENS_JSON [EXPECTED_JSON] [--mode MODE ...]
       (default modes: legacy 2026-07-28)

TOKENS_JSON: {"admin": token for /mcp, "dr": token for /deep-research/mcp}, both minted for the
balancer's URL. Every request carries `X-Scaleout-Phase: mcp-<mode>` so the test can find the
session's requests in nginx's access log (and see them spread over the replicas: one legacy
session, its initialize handshake included, is answered by several replicas).

Per mode: connect (negotiated version), tools/list (the 11 tools), the same search three times
(round-robin: each replica answers once; all three answers equal), fetch of a search result,
aggregate_crm_objects (contact counts by lifecycle stage add up to the seeded total), and
tools/list on the Deep-Research gateway. Prints PASS/FAIL and "N passed, N failed".
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import Any

import httpx2
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tally import Tally  # noqa: E402

HANDSHAKE_VERSIONS = ("2025-11-25", "2025-06-18", "2025-03-26")
TIMEOUT_S = 20.0
TALLY = Tally()


def client(url: str, token: str, mode: str) -> Client:
    headers = {"Authorization": f"Bearer {token}", "X-Scaleout-Phase": f"mcp-{mode}"}
    http = httpx2.AsyncClient(headers=headers, timeout=TIMEOUT_S)
    return Client(streamable_http_client(url, http_client=http), mode=mode, read_timeout_seconds=TIMEOUT_S)


async def structured(c: Client, tool: str, args: dict[str, Any]) -> Any:
    r = await c.call_tool(tool, args)
    if r.is_error:
        texts = " ".join(getattr(x, "text", "") for x in r.content)
        raise AssertionError(f"{tool} {json.dumps(args)}: isError: {texts[:300]}")
    return r.structured_content


async def check(name: str, fn) -> None:
    try:
        async with asyncio.timeout(TIMEOUT_S):
            problem = await fn()
    except Exception as e:  # noqa: BLE001 - any exception fails the check
        problem = f"{type(e).__name__}: {str(e)[:400]}"
    TALLY.report(problem is None, name, problem or "")


async def run_mode(a: argparse.Namespace, tokens: dict[str, str], expected: dict | None, mode: str) -> None:
    tag = f"b. [mode={mode}]"
    async with client(a.mcp_url, tokens["admin"], mode) as c:
        v = c.protocol_version
        want = HANDSHAKE_VERSIONS if mode == "legacy" else ("2026-07-28",)
        TALLY.report(v in want, f"{tag} connect through nginx (negotiated {v})", f"expected one of {want}")

        async def list_tools() -> str | None:
            names = {t.name for t in (await c.list_tools()).tools}
            if len(names) != 11 or not {"search", "fetch", "aggregate_crm_objects"} <= names:
                return f"tools {sorted(names)}"
            return None

        found: dict[str, Any] = {}

        async def search_thrice() -> str | None:
            q = {"query": "object_type:contacts region:EMEA sort:createdate:desc limit:2"}
            answers = [await structured(c, "search", q) for _ in range(3)]
            if any(x != answers[0] for x in answers):
                return f"the three answers differ: {[x.get('total') for x in answers]}"
            if not (answers[0]["total"] > 0 and len(answers[0]["results"]) == 2):
                return f"unexpected answer: {json.dumps(answers[0])[:300]}"
            found["id"] = answers[0]["results"][0]["id"]
            return None

        async def fetch() -> str | None:
            if "id" not in found:
                return "no search result to fetch"
            d = await structured(c, "fetch", {"id": found["id"]})
            return None if d.get("id") == found["id"] and d.get("text") else f"fetch answered {json.dumps(d)[:300]}"

        async def aggregate() -> str | None:
            r = await structured(c, "aggregate_crm_objects", {
                "objectType": "contacts", "groupBy": ["lifecyclestage"], "metrics": [{"type": "COUNT"}]})
            total = sum(int(g["metrics"]["count"]) for g in r["groups"])
            if expected is not None:
                want_total = int(expected["counts"]["contacts"])
            else:
                want_total = int((await structured(c, "search", {"query": "object_type:contacts limit:1"}))["total"])
            return None if total == want_total else f"counts add up to {total}, expected {want_total}"

        await check(f"{tag} tools/list: the 11 CRM tools", list_tools)
        await check(f"{tag} search, three times (a different replica each time): identical answers", search_thrice)
        await check(f"{tag} fetch of a search result", fetch)
        await check(f"{tag} aggregate_crm_objects: contacts by lifecycle stage add up to the seeded total", aggregate)

    async with client(a.dr_url, tokens["dr"], mode) as dr:

        async def dr_list() -> str | None:
            names = sorted(t.name for t in (await dr.list_tools()).tools)
            return None if names == ["fetch", "search"] else f"tools {names}"

        await check(f"{tag} Deep-Research gateway through nginx lists fetch and search", dr_list)


async def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("mcp_url")
    ap.add_argument("dr_url")
    ap.add_argument("tokens")
    ap.add_argument("expected", nargs="?")
    ap.add_argument("--mode", action="append", choices=["legacy", "2026-07-28"])
    a = ap.parse_args()
    tokens = json.loads(Path(a.tokens).read_text(encoding="utf-8"))
    expected = json.loads(Path(a.expected).read_text(encoding="utf-8")) if a.expected and Path(a.expected).exists() else None
    for mode in a.mode or ["legacy", "2026-07-28"]:
        try:
            await run_mode(a, tokens, expected, mode)
        except Exception as e:  # noqa: BLE001
            TALLY.report(False, f"b. [mode={mode}] session", f"{type(e).__name__}: {str(e)[:400]}")
    return TALLY.finish()


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
