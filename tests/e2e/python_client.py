#!/usr/bin/env python3
"""End-to-end test of example-hello with the official Python client (mcp==2.3.0).

Usage: python_client.py URL [--mode MODE ...]    (default modes: legacy 2026-07-28 auto)

For every mode (`Client(url, mode=MODE)`; "legacy" = initialize handshake, "2026-07-28" = the
modern stateless era pinned without a probe, "auto" = server/discover then fallback):
  * connect and check the negotiated protocol version (legacy: a handshake revision;
    2026-07-28 and auto against a dual-era server: 2026-07-28)
  * tools/list: exactly ["add"], non-empty description, inputSchema with integer `a` and `b`
  * tools/call add {a:2,b:3}: structured_content == {"sum": 5}, is_error false, and the text
    mirror parses to the same JSON
  * tools/call add {a:"x",b:3}: a result with is_error true whose text names the argument `a`
  * tools/call of an unknown tool: a JSON-RPC error -32602
Prints PASS/FAIL lines and "N passed, N failed"; exits 1 on any failure.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
from collections.abc import Awaitable, Callable
from typing import Any

from mcp import Client, MCPError

from tally import Tally

HANDSHAKE_VERSIONS = ("2025-11-25", "2025-06-18", "2025-03-26")
TIMEOUT_S = 20.0

TALLY = Tally()
report = TALLY.report


def texts(result: Any) -> list[str]:
    return [c.text for c in (result.content or []) if getattr(c, "type", None) == "text"]


def names_argument(message: str, arg: str) -> bool:
    """True if `message` refers to the argument `arg` in a recognisable way (quoted, as a JSON
    pointer, or after 'argument'/'parameter'/'property'/'field')."""
    a = re.escape(arg)
    patterns = [
        rf"[\"'`]{a}[\"'`]",
        rf"(^|\s|\()/{a}(\b|$)",
        rf"\b(argument|parameter|param|property|field|key)s?\s*[:=]?\s*[\"'`]?{a}\b",
        rf"(^|\s|\.){a}\s*:",
    ]
    return any(re.search(p, message, re.IGNORECASE) for p in patterns)


async def check(name: str, fn: Callable[[], Awaitable[str | None]]) -> None:
    """Run one check; `fn` returns None on success or a failure description."""
    try:
        async with asyncio.timeout(TIMEOUT_S):  # same task: anyio cancel scopes stay valid
            problem = await fn()
    except Exception as e:  # noqa: BLE001 - any exception is a failed check
        problem = describe(e)
    report(problem is None, name, problem or "")


def describe(e: BaseException) -> str:
    """One short paragraph for an exception (pydantic errors are long: keep the first lines)."""
    if isinstance(e, TimeoutError):
        return f"timed out after {TIMEOUT_S:.0f} s"
    lines = [ln for ln in str(e).splitlines() if ln.strip() and "errors.pydantic.dev" not in ln]
    text = " | ".join(lines[:6]) + (" | …" if len(lines) > 6 else "")
    return f"{type(e).__name__}: {text}"


async def run_mode(url: str, mode: str) -> None:
    tag = f"[mode={mode}]"
    try:
        async with asyncio.timeout(6 * TIMEOUT_S), Client(url, mode=mode, read_timeout_seconds=TIMEOUT_S) as client:
            await run_checks(client, mode, tag)
    except Exception as e:  # noqa: BLE001
        report(False, f"{tag} session", describe(e))


async def run_checks(client: Client, mode: str, tag: str) -> None:
    version = client.protocol_version
    if mode == "legacy":
        ok = version in HANDSHAKE_VERSIONS
        report(ok, f"{tag} connect (negotiated {version})", f"expected one of {HANDSHAKE_VERSIONS}")
    else:
        report(version == "2026-07-28", f"{tag} connect (negotiated {version})",
               "expected 2026-07-28 (auto falls back to the handshake when server/discover fails)")

    async def list_tools() -> str | None:
        res = await client.list_tools()
        names = [t.name for t in res.tools]
        if names != ["add"]:
            return f"tool names {names}, expected ['add']"
        tool = res.tools[0]
        if not (tool.description or "").strip():
            return "add has an empty description"
        schema = tool.input_schema or {}
        props = schema.get("properties") or {}
        problems = [f"{arg}: {props.get(arg)}" for arg in ("a", "b")
                    if (props.get(arg) or {}).get("type") != "integer"]
        if schema.get("type") != "object" or problems:
            return f"inputSchema lacks integer a/b: {json.dumps(schema)}"
        return None

    async def call_add() -> str | None:
        res = await client.call_tool("add", {"a": 2, "b": 3})
        if res.is_error:
            return f"is_error true: {texts(res)}"
        if res.structured_content != {"sum": 5}:
            return f"structured_content {res.structured_content!r}, expected {{'sum': 5}}"
        ts = texts(res)
        if not ts:
            return "no text content (the structured result's JSON mirror)"
        try:
            mirrored = json.loads(ts[0])
        except json.JSONDecodeError as e:
            return f"text mirror is not JSON ({e}): {ts[0]!r}"
        if mirrored != {"sum": 5}:
            return f"text mirror {mirrored!r} != structured_content"
        return None

    async def call_bad_args() -> str | None:
        try:
            res = await client.call_tool("add", {"a": "x", "b": 3})
        except MCPError as e:
            return f"JSON-RPC error {e.code} {e.message!r}; expected a result with isError: true"
        msg = " ".join(texts(res))
        if not res.is_error:
            return f"is_error is {res.is_error!r} for a='x'; content {msg!r}"
        if not names_argument(msg, "a"):
            return f"error text does not name the argument 'a': {msg!r}"
        return None

    async def call_unknown() -> str | None:
        try:
            res = await client.call_tool("no_such_tool", {})
        except MCPError as e:
            if e.code != -32602:
                return f"JSON-RPC error {e.code} {e.message!r}, expected -32602"
            return None
        return f"got a result (is_error={res.is_error}, {texts(res)}), expected JSON-RPC error -32602"

    await check(f"{tag} tools/list", list_tools)
    await check(f"{tag} call add", call_add)
    await check(f"{tag} call add bad args", call_bad_args)
    await check(f"{tag} call unknown tool", call_unknown)


async def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("url")
    ap.add_argument("--mode", action="append", choices=["legacy", "2026-07-28", "auto"])
    a = ap.parse_args()
    for mode in a.mode or ["legacy", "2026-07-28", "auto"]:
        await run_mode(a.url, mode)
    return TALLY.finish()


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
