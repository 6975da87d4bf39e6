#!/usr/bin/env python3
"""End-to-end test of example-auth with the official Python client (mcp==2.3.0) and a header token.

Usage: python_auth_client.py URL TOKEN [--mode MODE ...]   (default modes: legacy 2026-07-28)

TOKEN is a dev token for sub=alice, tenant=acme, scopes "profile notes:write" (minted with
`example-auth token`). For every mode:
  * without a token: connecting or listing fails, and the error surfaces HTTP 401
  * with `Authorization: Bearer TOKEN` (httpx2.AsyncClient(headers=…) passed to
    streamable_http_client): tools/list is exactly ["whoami", "write_note"] (purge_notes, which
    needs `admin`, is hidden)
  * tools/call whoami: structured content names subject alice, tenant acme, the granted scopes
  * tools/call purge_notes: refused (HTTP 403 insufficient_scope surfaces as an error)
Prints PASS/FAIL lines and "N passed, N failed"; exits 1 on any failure.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any

import httpx2
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from tally import Tally

TIMEOUT_S = 20.0
TALLY = Tally()
report = TALLY.report


def chain(e: BaseException) -> str:
    """The text of an exception and everything it wraps (exception groups, causes)."""
    parts: list[str] = []
    stack: list[BaseException] = [e]
    seen: set[int] = set()
    while stack:
        x = stack.pop()
        if id(x) in seen:
            continue
        seen.add(id(x))
        parts.append(f"{type(x).__name__}: {x}")
        stack.extend(getattr(x, "exceptions", ()) or ())
        for nxt in (x.__cause__, x.__context__):
            if nxt is not None:
                stack.append(nxt)
    return " | ".join(parts)


def client(url: str, mode: str, token: str | None) -> Client:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    http = httpx2.AsyncClient(headers=headers, timeout=TIMEOUT_S)
    return Client(streamable_http_client(url, http_client=http), mode=mode, read_timeout_seconds=TIMEOUT_S)


async def without_token(url: str, mode: str, tag: str) -> None:
    try:
        async with asyncio.timeout(TIMEOUT_S), client(url, mode, None) as c:
            await c.list_tools()
        report(False, f"{tag} no token is refused", "connected and listed without a token")
    except Exception as e:  # noqa: BLE001
        text = chain(e)
        ok = "401" in text or "Unauthorized" in text
        report(ok, f"{tag} no token is refused with 401", text[:600])


async def with_token(url: str, mode: str, tag: str, token: str) -> None:
    try:
        async with asyncio.timeout(4 * TIMEOUT_S), client(url, mode, token) as c:
            listed = await c.list_tools()
            names = sorted(t.name for t in listed.tools)
            report(names == ["whoami", "write_note"], f"{tag} tools/list shows only callable tools", str(names))

            result = await c.call_tool("whoami", {})
            s: Any = result.structured_content or {}
            ok = (
                not result.is_error
                and s.get("subject") == "alice"
                and s.get("tenant") == "acme"
                and s.get("scopes") == ["notes:write", "profile"]
            )
            report(ok, f"{tag} whoami sees the token's subject and tenant", str(s))

            try:
                denied = await c.call_tool("purge_notes", {})
                report(False, f"{tag} purge_notes (admin) is refused", f"answered: {denied}")
            except Exception as e:  # noqa: BLE001
                text = chain(e)
                ok = "403" in text or "Forbidden" in text or "insufficient_scope" in text
                report(ok, f"{tag} purge_notes (admin) is refused with 403", text[:600])
    except Exception as e:  # noqa: BLE001
        report(False, f"{tag} session with token", chain(e)[:800])


async def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("url")
    ap.add_argument("token")
    ap.add_argument("--mode", action="append", choices=["legacy", "2026-07-28"])
    a = ap.parse_args()
    for mode in a.mode or ["legacy", "2026-07-28"]:
        tag = f"[mode={mode}]"
        await without_token(a.url, mode, tag)
        await with_token(a.url, mode, tag, a.token)
    return TALLY.finish()


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
