#!/usr/bin/env python3
"""A tiny HTTP/1.1 round-robin reverse proxy without affinity, for statelessness tests.

Usage: rr_proxy.py LISTEN_PORT BACKEND_PORT [BACKEND_PORT ...]

Every request (not every connection) goes to the next backend in turn, so consecutive
requests of one client -- e.g. the rounds of a 2026-07-28 multi-round-trip request -- land on
different processes. Responses (JSON or event streams) are relayed as they arrive; each
response closes its client connection, so a client never pins a backend via keep-alive.
On SIGTERM it prints one line per backend: `backend PORT: N requests`.
Standard library only.
"""

from __future__ import annotations

import asyncio
import itertools
import signal
import sys

LISTEN = int(sys.argv[1])
BACKENDS = [int(p) for p in sys.argv[2:]]
NEXT = itertools.cycle(range(len(BACKENDS)))
COUNTS = [0] * len(BACKENDS)


async def read_request(reader: asyncio.StreamReader) -> tuple[bytes, bytes] | None:
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    body = await reader.readexactly(length) if length else b""
    return head, body


def rewrite_head(head: bytes) -> bytes:
    lines = head.rstrip(b"\r\n").split(b"\r\n")
    kept = [l for l in lines if l.split(b":")[0].strip().lower() not in (b"connection", b"keep-alive")]
    return b"\r\n".join(kept + [b"Connection: close"]) + b"\r\n\r\n"


async def handle(client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
    try:
        request = await read_request(client_r)
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError):
        client_w.close()
        return
    if request is None:
        client_w.close()
        return
    head, body = request
    i = next(NEXT)
    COUNTS[i] += 1
    try:
        up_r, up_w = await asyncio.open_connection("127.0.0.1", BACKENDS[i])
    except OSError:
        client_w.write(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        await client_w.drain()
        client_w.close()
        return
    up_w.write(rewrite_head(head) + body)
    await up_w.drain()
    try:
        # The backend closes after one response (Connection: close): relay until EOF.
        response_head = await up_r.readuntil(b"\r\n\r\n")
        client_w.write(rewrite_head(response_head))
        while chunk := await up_r.read(65536):
            client_w.write(chunk)
            await client_w.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        up_w.close()
        client_w.close()


async def main() -> None:
    server = await asyncio.start_server(handle, "127.0.0.1", LISTEN)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    print(f"rr_proxy listening on 127.0.0.1:{LISTEN} -> {BACKENDS}", flush=True)
    async with server:
        await stop.wait()
    for port, n in zip(BACKENDS, COUNTS):
        print(f"backend {port}: {n} requests", flush=True)


if __name__ == "__main__":
    asyncio.run(main())
