#!/usr/bin/env python3
"""Judge one conformance run against its expected-failures baseline.

Usage:
  conformance_verdict.py --label LABEL --results DIR --baseline FILE
                         (--scenarios-file FILE | --requirements YAML)
                         [--log FILE] [--markdown FILE]

DIR is the `-o` output folder of `conformance server`: one
`server-<scenario>-<timestamp>/checks.json` per scenario that ran.

Rules (stricter than the suite's own `--expected-failures` in one way, looser in another):
  * a scenario FAILS iff one of its checks has status FAILURE; WARNING only warns
    (both conformance versions count a WARNING as a failure when given a baseline, which
    would flag a session-less server on `server-sse-multiple-streams` / `server-sse-polling`);
  * a scored scenario that ran no checks (the runner crashed or timed out) FAILS;
  * unexpected failure = a scored scenario that fails and is not in the baseline;
  * stale entry = a baseline scenario (or `scenario:check-id`) that now passes;
  * every baseline entry must carry a `# ... issue N ...` comment, and name a scored scenario;
  * not-scored scenarios (requirement sets' `not_scored`) are reported, never judged.
Exit status: 0 when there is no unexpected failure, no stale entry and the baseline is valid.
Standard library only (runs on the machine's python3).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

RESULT_DIR_RE = re.compile(r"^server-(?P<scenario>.+)-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z$")
ISSUE_RE = re.compile(r"#.*\bissue\s*#?\d+", re.IGNORECASE)


def parse_baseline(path: Path) -> tuple[list[str], list[str]]:
    """Return (entries, problems). Accepts the suite's YAML subset: `server:` + `- name  # comment`."""
    entries: list[str] = []
    problems: list[str] = []
    section = None
    for lineno, raw in enumerate(path.read_text().splitlines(), 1):
        line = raw.rstrip()
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if re.match(r"^[A-Za-z_]+:\s*(#.*)?$", stripped) and not line.startswith((" ", "\t", "-")):
            section = stripped.split(":")[0]
            if section not in ("server", "client"):
                problems.append(f"{path.name}:{lineno}: unknown section {section!r}")
            continue
        m = re.match(r"^\s*-\s*(?P<name>[^\s#]+)\s*(?P<comment>#.*)?$", line)
        if not m:
            problems.append(f"{path.name}:{lineno}: cannot parse {raw!r}")
            continue
        if section != "server":
            problems.append(f"{path.name}:{lineno}: entry outside the 'server:' list")
            continue
        if not m.group("comment") or not ISSUE_RE.search(m.group("comment")):
            problems.append(f"{path.name}:{lineno}: {m.group('name')} has no '# issue N' comment")
        entries.append(m.group("name"))
    if section is None and entries:
        problems.append(f"{path.name}: no 'server:' key")
    dupes = {e for e in entries if entries.count(e) > 1}
    if dupes:
        problems.append(f"{path.name}: duplicate entries {sorted(dupes)}")
    return entries, problems


def parse_requirements(path: Path) -> tuple[list[str], list[str]]:
    """(scored server scenarios, not-scored server scenarios) from a requirements/<rev>.yaml."""
    scored: list[str] = []
    not_scored: list[str] = []
    section = None
    pending_scenario = None
    for raw in path.read_text().splitlines():
        line = raw.rstrip()
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line.startswith((" ", "-")):
            section = line.strip().rstrip(":")
            continue
        if section == "server":
            m = re.match(r"^\s*-\s*(\S+)\s*$", line)
            if m:
                scored.append(m.group(1))
        elif section == "not_scored":
            m = re.match(r"^\s*-\s*scenario:\s*(\S+)", line)
            if m:
                pending_scenario = m.group(1)
                continue
            m = re.match(r"^\s*leg:\s*(\S+)", line)
            if m and pending_scenario:
                if m.group(1) == "server":
                    not_scored.append(pending_scenario)
                pending_scenario = None
    return scored, not_scored


def load_results(results: Path) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    if not results.is_dir():
        return out
    for d in sorted(results.iterdir()):
        m = RESULT_DIR_RE.match(d.name)
        f = d / "checks.json"
        if m and f.is_file():
            try:
                out[m.group("scenario")] = json.loads(f.read_text())
            except json.JSONDecodeError as e:
                out[m.group("scenario")] = [
                    {"id": "checks-json", "status": "FAILURE", "errorMessage": f"unreadable checks.json: {e}"}
                ]
    return out


def status_of(checks: list[dict] | None) -> str:
    if not checks:
        return "NORESULT"
    statuses = {c.get("status") for c in checks}
    if "FAILURE" in statuses:
        return "FAIL"
    if "WARNING" in statuses:
        return "WARN"
    return "PASS"


def short(msg: str | None, limit: int = 400) -> str:
    msg = " ".join((msg or "").split())
    return msg if len(msg) <= limit else msg[: limit - 1] + "…"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--label", required=True)
    ap.add_argument("--results", required=True, type=Path)
    ap.add_argument("--baseline", required=True, type=Path)
    ap.add_argument("--scenarios-file", type=Path, help="one scored scenario per line")
    ap.add_argument("--requirements", type=Path)
    ap.add_argument("--log", type=Path, help="runner log, named in messages")
    ap.add_argument("--markdown", type=Path, help="append a per-scenario report here")
    a = ap.parse_args()

    if a.requirements:
        scored, not_scored = parse_requirements(a.requirements)
    elif a.scenarios_file:
        scored = [s.strip() for s in a.scenarios_file.read_text().split() if s.strip()]
        not_scored = []
    else:
        ap.error("need --requirements or --scenarios-file")
    if not scored:
        print(f"[{a.label}] no scored scenarios found", file=sys.stderr)
        return 1

    baseline, problems = parse_baseline(a.baseline)
    results = load_results(a.results)
    base_scen = {e.split(":", 1)[0] for e in baseline}
    base_checks: dict[str, set[str]] = {}
    for e in baseline:
        if ":" in e:
            s, c = e.split(":", 1)
            base_checks.setdefault(s, set()).add(c)
    for s in sorted(base_scen - set(scored)):
        problems.append(f"{a.baseline.name}: {s} is not a scored scenario of this run")

    rows = []  # (scenario, verdict, detail)
    passed = expected = unexpected = stale = warned = 0
    for s in scored:
        checks = results.get(s)
        st = status_of(checks)
        failing = [c for c in (checks or []) if c.get("status") == "FAILURE"]
        warnings = [c for c in (checks or []) if c.get("status") == "WARNING"]
        if st == "WARN":
            warned += 1
        if st in ("FAIL", "NORESULT"):
            if st == "NORESULT":
                detail = "no checks.json (runner crashed or timed out" + (f"; see {a.log}" if a.log else "") + ")"
                failing = [{"id": "-", "errorMessage": detail}]
            whole = s in base_scen and s not in base_checks
            per_check = base_checks.get(s, set())
            if whole:
                expected += 1
                rows.append((s, "EXPECTED-FAIL", failing))
            elif per_check and all(c.get("id") in per_check for c in failing):
                expected += 1
                rows.append((s, "EXPECTED-FAIL", failing))
            else:
                unexpected += 1
                rows.append((s, "FAIL", failing))
        else:
            if s in base_scen:
                stale_ids = base_checks.get(s)
                if stale_ids:
                    by_id = {c.get("id"): c.get("status") for c in checks or []}
                    for cid in sorted(stale_ids):
                        if by_id.get(cid) == "SUCCESS":
                            stale += 1
                            rows.append((s, "STALE", [{"id": cid, "errorMessage": "baseline check now passes"}]))
                else:
                    stale += 1
                    rows.append((s, "STALE", [{"id": "-", "errorMessage": "in baseline but passes: remove it"}]))
                    continue
            passed += 1
            rows.append((s, "PASS" if st == "PASS" else "PASS(warn)", warnings))

    ns_rows = []
    for s in not_scored:
        checks = results.get(s)
        st = status_of(checks)
        ns_rows.append((s, st, [c for c in (checks or []) if c.get("status") in ("FAILURE", "WARNING")]))

    # ---- report
    print(f"== {a.label}")
    for s, verdict, cs in rows:
        print(f"  {verdict:<13} {s}")
        if verdict in ("FAIL", "STALE") or (verdict == "EXPECTED-FAIL" and len(cs) <= 2):
            for c in cs:
                print(f"      {c.get('id')}: {short(c.get('errorMessage'), 300)}")
        elif verdict == "PASS(warn)":
            for c in cs:
                print(f"      warning {c.get('id')}: {short(c.get('errorMessage') or c.get('description'), 200)}")
    if ns_rows:
        print("  not scored (reported only):")
        for s, st, cs in ns_rows:
            print(f"    {st:<8} {s}")
            for c in cs[:4]:
                print(f"        {c.get('status')} {c.get('id')}: {short(c.get('errorMessage'), 200)}")
    for p in problems:
        print(f"  BASELINE ERROR {p}")
    ok = unexpected == 0 and stale == 0 and not problems
    print(
        f"{a.label}: {len(scored)} scenarios: {passed} ok, {expected} expected failures (baseline), "
        f"{unexpected} unexpected failures, {stale} stale baseline entries, {warned} with warnings"
        f"{'' if not problems else f', {len(problems)} baseline errors'} => {'OK' if ok else 'FAILED'}"
    )

    if a.markdown:
        with a.markdown.open("a") as md:
            md.write(f"\n## {a.label}\n\n")
            md.write(
                f"{passed} ok, {expected} expected failures (baseline), {unexpected} unexpected, "
                f"{stale} stale, {warned} with warnings — **{'OK' if ok else 'FAILED'}**\n\n"
            )
            md.write("| scenario | verdict | failing/warning checks |\n|---|---|---|\n")
            for s, verdict, cs in rows:
                txt = "<br>".join(
                    f"`{c.get('id')}`: {short(c.get('errorMessage'), 300)}".replace("|", "\\|") for c in cs
                )
                md.write(f"| {s} | {verdict} | {txt} |\n")
            for s, st, cs in ns_rows:
                txt = "<br>".join(
                    f"{c.get('status')} `{c.get('id')}`: {short(c.get('errorMessage'), 200)}".replace("|", "\\|")
                    for c in cs
                )
                md.write(f"| {s} (not scored) | {st} | {txt} |\n")
            for p in problems:
                md.write(f"\nBASELINE ERROR: {p}\n")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
