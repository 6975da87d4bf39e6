#!/usr/bin/env bash
# tests/e2e/inspector.sh — MCP Inspector CLI 2.12.0 against example-hello, in the legacy era
# (the CLI's default for ad-hoc URLs) and the modern era (--protocol-era modern):
#   tools/list                          -> exactly one tool "add"
#   tools/call add --tool-arg a=2 b=3   -> exit 0, structuredContent {"sum":5}, isError false,
#                                          text mirror parses to {"sum":5}
#   tools/call add --tool-arg a=x b=3   -> (the CLI sends a=null) exit 5 (the CLI's "tool
#                                          returned isError"), isError true
# Usage: tests/e2e/inspector.sh [--url URL]   (--url: use a running server; else build+start example-hello)
# Env: E2E_SKIP_BUILD=1. Ends with "N passed, N failed"; exit 1 on any failure.
set -euo pipefail
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

url=""
while (($#)); do
  case "$1" in
    --url) url="$2"; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

e2e_ensure_node
e2e_ensure_npm_tool inspector-2.12.0
if [[ -z "$url" ]]; then
  e2e_build_release example-hello
  e2e_start_server hello "$(e2e_release_bin example-hello)" --listen "127.0.0.1:{PORT}"
  url="$E2E_URL"
fi

out="$(mktemp)"
errf="$(mktemp)"
trap 'rm -f "$out" "$errf"; _e2e_cleanup' EXIT

# inspect NAME EXPECTED_EXIT PYTHON_ASSERTION CLI_ARGS...
#   Runs the CLI with --format json -q; the assertion gets `r` = the parsed {"result": …} object
#   and must evaluate to True.
inspect() {
  local name="$1" want_rc="$2" assertion="$3" rc=0; shift 3
  # shellcheck disable=SC2016 # $1 and $@ expand in the child shell
  timeout 120 bash -c 'source "$1"; shift; e2e_inspector "$@"' _ "$E2E_DIR/lib.sh" \
    --cli "$url" --format json -q "$@" >"$out" 2>"$errf" || rc=$?
  if ((rc != want_rc)); then
    e2e_fail "inspector $name: exit $rc (expected $want_rc): $(head -c 600 "$out") $(head -c 600 "$errf")"
    return
  fi
  if python3 - "$out" "$assertion" <<'EOF'; then
import json, sys
doc = json.loads(open(sys.argv[1]).read() or "null")
r = (doc or {}).get("result")
ok = False
try:
    ok = bool(eval(sys.argv[2], {"json": json}, {"r": r}))
except Exception as e:  # noqa: BLE001
    print(f"assertion error: {e!r}", file=sys.stderr)
sys.exit(0 if ok else 1)
EOF
    e2e_pass "inspector $name"
  else
    e2e_fail "inspector $name: assertion [$assertion] failed on $(head -c 800 "$out")"
  fi
}

add_ok='r["isError"] is False and r["structuredContent"] == {"sum": 5} and json.loads([c for c in r["content"] if c["type"] == "text"][0]["text"]) == {"sum": 5}'
list_ok='[t["name"] for t in r["tools"]] == ["add"] and r["tools"][0]["inputSchema"]["properties"]["a"]["type"] == "integer"'
bad_ok='r["isError"] is True and len(r["content"]) > 0'

for era in legacy modern; do
  inspect "[$era] tools/list" 0 "$list_ok" --protocol-era "$era" --method tools/list
  inspect "[$era] tools/call add a=2 b=3" 0 "$add_ok" --protocol-era "$era" \
    --method tools/call --tool-name add --tool-arg a=2 b=3
  # The CLI coerces arguments by the tool's schema: "x" for an integer becomes Number("x") =
  # NaN, sent as null (with --tool-args-json too), so the server sees {"a": null, "b": 3}.
  inspect "[$era] tools/call add a=x b=3 (sent a=null; isError)" 5 "$bad_ok" --protocol-era "$era" \
    --method tools/call --tool-name add --tool-arg a=x b=3
done
e2e_summary
