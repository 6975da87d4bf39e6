#!/usr/bin/env python3
"""A steady MCP request driver for the scale-out test, and the verdicts on what it recorded.

  driver.py run URL --token T --out FILE [--concurrency C] [--duration S] [--stop-file F]
      C closed-loop workers POST `tools/call` (search and fetch, alternating, read-only) through
      the balancer until S seconds passed or F exists. Every request becomes one JSON line:
      t0 (wall clock just before sending), t1 (when the answer or the error arrived), status
      (HTTP status, 0 for a transport error), ok (200 with a JSON-RPC result that is not an
      isError), up (nginx's X-Upstream header: every replica tried, comma-separated), err.

  driver.py load-verdict FILE --replicas A,B,C --access-log LOG [--phase P]
      0 errors; the requests spread round-robin over the replicas (from X-Upstream and from
      nginx's access log, $upstream_addr).

  driver.py kill-verdict FILE --replicas A,B,C --killed A --kill-before T --kill-after T
                         --restarted T [--notice S] [--label L] [--min-in-flight N]
      The replica A was SIGKILLed between kill-before and kill-after (wall clock, read by the
      test right before and right after `kill -9`) and was ready again at `restarted`.
      A request was "in flight on the killed replica at the kill instant" when it was sent
      before kill-after, answered after kill-before, and nginx's X-Upstream names A among the
      replicas it tried (or, for a request that got no answer at all, names nothing).
      Checks: every failed request is one of those; none failed among requests sent after
      kill-after + notice (the time nginx may take to notice); traffic continued on the two
      survivors in every second until the restart; the restarted replica took traffic again;
      with --min-in-flight N: at least N requests were in flight on it and were resent.

  driver.py drain-verdict FILE --replica A --term T --restarted T
      A graceful restart: A got SIGTERM at T (it stops accepting, finishes what it has, exits)
      and was ready again at `restarted`. Checks: no request failed at all; A answered again
      after its restart.

Each verdict prints PASS/FAIL lines and "N passed, N failed".
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tally import Tally  # noqa: E402

HEADERS = {
    "Content-Type": "application/json",
    "Accept": "application/json, text/event-stream",
    "MCP-Protocol-Version": "2025-11-25",
}


def bodies() -> list[bytes]:
    """Read-only calls the workers cycle through."""
    calls = [
        ("search", {"query": "object_type:contacts createdate:gte:2026-08-03 sort:createdate:desc limit:5"}),
        ("fetch", {"id": "deals:42"}),
        ("search", {"query": "object_type:deals dealstage:closedwon sort:amount:desc limit:3"}),
        ("fetch", {"id": "contacts:7"}),
    ]
    return [
        json.dumps({"jsonrpc": "2.0", "id": i + 1, "method": "tools/call", "params": {"name": n, "arguments": a}}).encode()
        for i, (n, a) in enumerate(calls)
    ]


def answer_ok(status: int, text: str) -> tuple[bool, str]:
    if status != 200:
        return False, f"HTTP {status}: {text[:200]}"
    try:
        if text.lstrip().startswith("{"):
            msg = json.loads(text)
        else:  # an SSE stream: the last data line is the response
            datas = [ln[5:].strip() for ln in text.splitlines() if ln.startswith("data:") and ln[5:].strip()]
            msg = json.loads(datas[-1])
    except (ValueError, IndexError) as e:
        return False, f"unparsable answer ({e}): {text[:200]}"
    result = msg.get("result")
    if not isinstance(result, dict):
        return False, f"no result: {text[:200]}"
    if result.get("isError"):
        return False, f"isError: {text[:200]}"
    return True, ""


async def run(a: argparse.Namespace) -> int:
    import httpx2  # the venv's httpx (the mcp client's HTTP library)

    headers = dict(HEADERS, Authorization=f"Bearer {a.token}", **{"X-Scaleout-Phase": a.phase})
    limits = httpx2.Limits(max_connections=a.concurrency, max_keepalive_connections=a.concurrency)
    records: list[dict] = []
    payloads = bodies()
    start = time.time()
    deadline = start + a.duration
    stop = Path(a.stop_file) if a.stop_file else None

    def done() -> bool:
        return time.time() >= deadline or (stop is not None and stop.exists())

    async with httpx2.AsyncClient(headers=headers, timeout=a.timeout, limits=limits) as client:

        async def worker(w: int) -> None:
            n = w
            while not done():
                body = payloads[n % len(payloads)]
                n += 1
                t0 = time.time()
                status, up, err, ok = 0, "", "", False
                try:
                    r = await client.post(a.url, content=body)
                    status = r.status_code
                    up = r.headers.get("x-upstream", "")
                    ok, err = answer_ok(status, r.text)
                except Exception as e:  # noqa: BLE001 - a transport error is a failed request
                    err = f"{type(e).__name__}: {e}"
                records.append({"w": w, "t0": t0, "t1": time.time(), "status": status, "ok": ok, "up": up, "err": err})

        await asyncio.gather(*(worker(w) for w in range(a.concurrency)))
    elapsed = time.time() - start
    with open(a.out, "w", encoding="utf-8") as f:
        for rec in sorted(records, key=lambda r: r["t0"]):
            f.write(json.dumps(rec) + "\n")
    bad = sum(1 for r in records if not r["ok"])
    print(f"driver: {len(records)} requests in {elapsed:.1f} s ({len(records) / elapsed:.0f} req/s), "
          f"{bad} failed, concurrency {a.concurrency}", file=sys.stderr)
    return 0


def load(path: str) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(ln) for ln in f if ln.strip()]


def tried(rec: dict) -> list[str]:
    return [u.strip() for u in rec["up"].split(",") if u.strip()]


def final(rec: dict) -> str:
    t = tried(rec)
    return t[-1] if t else ""


def spread_ok(counts: dict[str, int], replicas: list[str]) -> tuple[bool, str]:
    total = sum(counts.get(r, 0) for r in replicas)
    shares = {r: counts.get(r, 0) / total if total else 0.0 for r in replicas}
    even = 1 / len(replicas)
    ok = total > 0 and all(abs(s - even) <= 0.1 for s in shares.values())
    return ok, ", ".join(f"{r}: {counts.get(r, 0)} ({shares[r]:.1%})" for r in replicas)


def load_verdict(a: argparse.Namespace) -> int:
    t = Tally()
    recs = load(a.records)
    replicas = a.replicas.split(",")
    bad = [r for r in recs if not r["ok"]]
    span = (recs[-1]["t1"] - recs[0]["t0"]) if recs else 0
    lat = sorted(r["t1"] - r["t0"] for r in recs)
    p50 = lat[len(lat) // 2] * 1e3 if lat else 0
    p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1e3 if lat else 0
    print(f"load: {len(recs)} requests over {span:.1f} s = {len(recs) / max(span, 1e-9):.0f} req/s, "
          f"p50 {p50:.1f} ms, p99 {p99:.1f} ms, {len(bad)} failed")
    t.report(len(recs) >= a.min_requests and not bad,
             f"d. load run through nginx: {len(recs)} requests in {span:.0f} s, 0 errors",
             f"{len(recs)} requests (need {a.min_requests}), {len(bad)} failed, first: {bad[0] if bad else ''}")
    by_header = collections.Counter(final(r) for r in recs if r["ok"])
    ok, detail = spread_ok(by_header, replicas)
    t.report(ok, f"c. round-robin by X-Upstream: {detail}", detail)
    log_counts: collections.Counter[str] = collections.Counter()
    lines = 0
    for ln in Path(a.access_log).read_text(encoding="utf-8").splitlines():
        if f"phase={a.phase}" not in ln or " POST " not in ln:
            continue
        lines += 1
        up = ln.split(" up=", 1)[1].split(" ups=", 1)[0]
        log_counts[up.split(",")[-1].strip()] += 1
    ok, detail = spread_ok(log_counts, replicas)
    t.report(ok and lines == len(recs),
             f"c. round-robin in nginx's access log ($upstream_addr, {lines} lines): {detail}",
             f"{detail}; {lines} log lines for {len(recs)} requests")
    return t.finish()


def kill_verdict(a: argparse.Namespace) -> int:
    t = Tally()
    tag = f"e. [{a.label}]" if a.label else "e."
    recs = load(a.records)
    replicas = a.replicas.split(",")
    survivors = [r for r in replicas if r != a.killed]
    kb, ka, rs = a.kill_before, a.kill_after, a.restarted

    def in_flight_on_killed(r: dict) -> bool:
        return r["t0"] <= ka and r["t1"] >= kb and (a.killed in tried(r) or not tried(r))

    in_flight_all = [r for r in recs if r["t0"] <= ka and r["t1"] >= kb]
    in_flight = [r for r in recs if in_flight_on_killed(r)]
    failed = [r for r in recs if not r["ok"]]
    unexplained = [r for r in failed if not in_flight_on_killed(r)]
    retried = [r for r in recs if len(tried(r)) > 1 and tried(r)[0] == a.killed]
    after_notice = [r for r in failed if r["t0"] >= ka + a.notice]
    before = [r for r in recs if r["t1"] < kb]
    print(f"kill: {len(recs)} requests; {len(before)} before the kill; kill window {(ka - kb) * 1e3:.1f} ms; "
          f"{len(in_flight_all)} in flight at the kill instant, {len(in_flight)} of them on the killed "
          f"replica {a.killed}; {len(retried)} requests nginx first sent to the killed replica and retried "
          f"on another; {len(failed)} failed in total")
    for r in failed[:5]:
        print(f"  failed: sent {r['t0'] - kb:+.3f} s after the kill, status {r['status']}, up [{r['up']}], {r['err'][:160]}")

    t.report(len(before) >= 20 and len(recs) - len(before) >= 20,
             f"{tag} the driver ran before and after the kill",
             f"{len(before)} requests before, {len(recs) - len(before)} after")
    t.report(not unexplained,
             f"{tag} every failed request was in flight on the killed replica at the kill instant "
             f"({len(failed)} failed <= {len(in_flight)} in flight there)",
             f"{len(unexplained)} other failures, first: {unexplained[0] if unexplained else ''}")
    t.report(not after_notice,
             f"{tag} no failure among requests sent more than {a.notice:g} s after the kill (nginx noticed)",
             f"{len(after_notice)} failures, first: {after_notice[0] if after_notice else ''}")

    # The run continues on the two survivors: successes in every whole second until the restart.
    gaps = []
    sec = ka
    while sec + 1 <= rs:
        n = sum(1 for r in recs if r["ok"] and sec <= r["t1"] < sec + 1)
        if n == 0:
            gaps.append(f"{sec - ka:.0f}s")
        sec += 1
    served_after = collections.Counter(final(r) for r in recs if r["ok"] and ka + a.notice <= r["t0"] < rs)
    t.report(not gaps and all(served_after.get(s, 0) > 0 for s in survivors) and served_after.get(a.killed, 0) == 0,
             f"{tag} the run continued on the two survivors ({', '.join(f'{s}: {served_after.get(s, 0)}' for s in survivors)}) "
             f"with answers in every second until the restart",
             f"seconds without an answer: {gaps}; served: {dict(served_after)}")
    back = sum(1 for r in recs if r["ok"] and r["t0"] >= rs and final(r) == a.killed)
    after_restart = sum(1 for r in recs if r["t0"] >= rs)
    t.report(back > 0, f"{tag} the restarted replica takes traffic again ({back} of {after_restart} requests after its restart)",
             f"0 of {after_restart} requests after the restart went to {a.killed}")
    if a.min_in_flight:
        t.report(len(in_flight) >= a.min_in_flight and len(retried) >= a.min_in_flight,
                 f"{tag} requests were in flight on the killed replica when it died ({len(in_flight)}) "
                 f"and nginx resent them to a survivor ({len(retried)})",
                 f"{len(in_flight)} in flight, {len(retried)} retried (need {a.min_in_flight})")
    print(f"kill: ideal outcome {'reached' if not failed else 'not reached'}: "
          f"{len(failed)} failed requests (nginx retried {len(retried)} in-flight/refused requests on a survivor)")
    return t.finish()


def drain_verdict(a: argparse.Namespace) -> int:
    t = Tally()
    recs = load(a.records)
    failed = [r for r in recs if not r["ok"]]
    retried = [r for r in recs if len(tried(r)) > 1]
    around = [r for r in recs if r["t0"] <= a.term <= r["t1"]]
    print(f"drain: {len(recs)} requests, {len(around)} in flight at the SIGTERM, nginx retried {len(retried)}, {len(failed)} failed")
    for r in failed[:5]:
        print(f"  failed: sent {r['t0'] - a.term:+.3f} s after the SIGTERM, status {r['status']}, up [{r['up']}], {r['err'][:160]}")
    t.report(bool(recs) and not failed,
             f"f. graceful restart (SIGTERM, restart) of {a.replica} under load: 0 of {len(recs)} requests failed",
             f"{len(failed)} failed, first: {failed[0] if failed else ''}")
    back = sum(1 for r in recs if r["ok"] and r["t0"] >= a.restarted and final(r) == a.replica)
    t.report(back > 0, f"f. {a.replica} takes traffic again after its graceful restart ({back} requests)", "none")
    return t.finish()


def main() -> int:
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run")
    r.add_argument("url")
    r.add_argument("--token", required=True)
    r.add_argument("--out", required=True)
    r.add_argument("--concurrency", type=int, default=8)
    r.add_argument("--duration", type=float, default=20.0)
    r.add_argument("--stop-file")
    r.add_argument("--phase", default="load")
    r.add_argument("--timeout", type=float, default=15.0)
    lv = sub.add_parser("load-verdict")
    lv.add_argument("records")
    lv.add_argument("--replicas", required=True)
    lv.add_argument("--access-log", required=True)
    lv.add_argument("--phase", default="load")
    lv.add_argument("--min-requests", type=int, default=500)
    kv = sub.add_parser("kill-verdict")
    kv.add_argument("records")
    kv.add_argument("--replicas", required=True)
    kv.add_argument("--killed", required=True)
    kv.add_argument("--kill-before", type=float, required=True)
    kv.add_argument("--kill-after", type=float, required=True)
    kv.add_argument("--restarted", type=float, required=True)
    kv.add_argument("--notice", type=float, default=1.0)
    kv.add_argument("--label", default="")
    kv.add_argument("--min-in-flight", type=int, default=0)
    dv = sub.add_parser("drain-verdict")
    dv.add_argument("records")
    dv.add_argument("--replica", required=True)
    dv.add_argument("--term", type=float, required=True)
    dv.add_argument("--restarted", type=float, required=True)
    a = ap.parse_args()
    if a.cmd == "run":
        return asyncio.run(run(a))
    if a.cmd == "load-verdict":
        return load_verdict(a)
    if a.cmd == "drain-verdict":
        return drain_verdict(a)
    return kill_verdict(a)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
