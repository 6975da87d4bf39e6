"""A thin layer over the official Python client (mcp==2.3.0) for the crm-server checks.

`Sessions` opens one MCP session per (token name, gateway) on first use and closes them all at
the end; `Crm` wraps one session with the calls the checks make (search totals, paging,
aggregates), returning the tool's structured content or raising `ToolFailed` with the error
text the model would read.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from typing import Any

import httpx2
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

TIMEOUT_S = 30.0


class ToolFailed(Exception):
    """The tool answered with isError: true; the message is its text content."""


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


@dataclass
class Answer:
    """One tools/call result, unpacked."""

    is_error: bool
    text: str
    structured: Any
    content_count: int


class Crm:
    """Calls on one session."""

    def __init__(self, client: Client) -> None:
        self.client = client

    async def call(self, tool: str, arguments: dict[str, Any]) -> Answer:
        r = await self.client.call_tool(tool, arguments)
        texts = [c.text for c in r.content if getattr(c, "type", "") == "text"]
        return Answer(bool(r.is_error), "\n".join(texts), r.structured_content, len(r.content))

    async def ok(self, tool: str, arguments: dict[str, Any]) -> Any:
        a = await self.call(tool, arguments)
        if a.is_error:
            raise ToolFailed(f"{tool} {json.dumps(arguments)} failed: {a.text}")
        return a.structured

    async def error(self, tool: str, arguments: dict[str, Any]) -> str:
        """The error text of a call that must fail (raises AssertionError if it succeeds)."""
        a = await self.call(tool, arguments)
        if not a.is_error:
            raise AssertionError(f"{tool} {json.dumps(arguments)} succeeded: {a.text[:300]}")
        return a.text

    async def search(self, query: str) -> dict[str, Any]:
        return await self.ok("search", {"query": query})

    async def total(self, query: str) -> int:
        return int((await self.search(f"{query} limit:1"))["total"])

    async def records(self, object_type: str, properties: list[str], filters: list[dict] | None = None) -> list[dict]:
        """Every record search_crm_objects returns for the filters, paging through them."""
        out: list[dict] = []
        offset = 0
        while True:
            args: dict[str, Any] = {"objectType": object_type, "properties": properties, "limit": 200, "offset": offset}
            if filters:
                args["filterGroups"] = [{"filters": filters}]
            page = await self.ok("search_crm_objects", args)
            out.extend(page["results"])
            if page.get("offset") is None or not page["results"]:
                if len(out) != page["total"]:
                    raise AssertionError(f"paged {len(out)} {object_type} but total says {page['total']}")
                return out
            offset = page["offset"]

    async def count_by(self, object_type: str, group_by: list[str], filters: list[dict] | None = None) -> list[dict]:
        """aggregate_crm_objects COUNT groups: [{key: {...}, count: n}]."""
        args: dict[str, Any] = {"objectType": object_type, "groupBy": group_by, "metrics": [{"type": "COUNT"}]}
        if filters:
            args["filterGroups"] = [{"filters": filters}]
        result = await self.ok("aggregate_crm_objects", args)
        return [{"key": g["key"], "count": int(g["metrics"]["count"])} for g in result["groups"]]

    async def user(self) -> dict[str, Any]:
        return await self.ok("get_user_details", {})


class Sessions:
    """One session per (token name, url), opened on first use."""

    def __init__(self, mode: str, tokens: dict[str, str]) -> None:
        self.mode = mode
        self.tokens = tokens
        self.stack = contextlib.AsyncExitStack()
        self.open: dict[tuple[str, str], Crm] = {}

    async def __aenter__(self) -> Sessions:
        await self.stack.__aenter__()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stack.__aexit__(*exc)

    async def get(self, token: str | None, url: str) -> Crm:
        key = (token or "", url)
        if key not in self.open:
            headers = {"Authorization": f"Bearer {self.tokens[token]}"} if token else {}
            http = httpx2.AsyncClient(headers=headers, timeout=TIMEOUT_S)
            client = Client(streamable_http_client(url, http_client=http), mode=self.mode, read_timeout_seconds=TIMEOUT_S)
            self.open[key] = Crm(await self.stack.enter_async_context(client))
        return self.open[key]
