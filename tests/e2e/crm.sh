#!/usr/bin/env bash
# tests/e2e/crm.sh — crm-server end to end (release build, a fresh data dir, demo data seeded on
# first run with a fixed --now 2026-11-01, so expected.json is deterministic):
#   * the CLI: banner (URLs, ready tokens, demo users, Inspector command), expected.json, usage
#     errors (postgres:// URL, dev auth beyond loopback: exit 2), `seed` (refuses to overwrite
#     without --force, same --now and seed give the same ground truth), `token` prints only a
#     token, `schemas check` against crm-tools/schemas.json and `schemas lint`
#   * curl: /healthz, 401 without a token on both gateways
#   * the official Python client (mcp==2.3.0; legacy and 2026-07-28) via crm_client.py with tokens
#     minted by `crm-server token`: analytics against expected.json, permissions at every view
#     level, hidden properties, tenant isolation, association leaks, DSL errors, Deep Research
#   * MCP Inspector CLI 2.12.0 with the banner's Authorization header (both eras): tools/list,
#     tools/call search; the Deep-Research gateway lists only fetch and search
# Usage: tests/e2e/crm.sh    Env: E2E_SKIP_BUILD=1. Ends with "N passed, N failed".
set -euo pipefail
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

NOW=2026-11-01
e2e_ensure_venv
e2e_ensure_node
e2e_ensure_npm_tool inspector-2.12.0
e2e_build_release crm-tools
bin="$(e2e_release_bin crm-server)"
work="$(mktemp -d)"
data="$work/data"
out="$work/out"
errf="$work/err"
trap 'rm -rf "$work"; _e2e_cleanup' EXIT

# expect_exit NAME WANT_RC GREP_PATTERN CMD...: the command's exit code and a line of its output.
expect_exit() {
  local name="$1" want="$2" pattern="$3" rc=0
  shift 3
  "$@" >"$out" 2>&1 || rc=$?
  if ((rc == want)) && { [[ -z "$pattern" ]] || grep -Eq -- "$pattern" "$out"; }; then
    e2e_pass "$name"
  else
    e2e_fail "$name: exit $rc (expected $want): $(head -c 400 "$out")"
  fi
}

# ---- usage errors, before anything is seeded
expect_exit "cli: an unsupported database URL scheme is a usage error (exit 2)" 2 "unsupported scheme" \
  "$bin" --data-dir "$work/db" --database-url mysql://crm:secret@localhost/crm
if grep -q secret "$out"; then e2e_fail "cli: the database URL error leaks the password"; else e2e_pass "cli: the database URL error hides the password"; fi
expect_exit "cli: an unreachable PostgreSQL is a clear failure (exit 1)" 1 "127\.0\.0\.1:1" \
  "$bin" --data-dir "$work/pg" --database-url postgres://crm:secret@127.0.0.1:1/crm
if grep -q secret "$out"; then e2e_fail "cli: the PostgreSQL error leaks the password"; else e2e_pass "cli: the PostgreSQL error hides the password"; fi
expect_exit "cli: dev auth refuses a non-loopback --listen (exit 2)" 2 "refuses to listen" \
  "$bin" --listen 0.0.0.0:0 --data-dir "$work/public"
expect_exit "cli: --now must be a date (exit 2)" 2 "YYYY-MM-DD" "$bin" --data-dir "$work/bad" --now 2026-13-01

# ---- serve: first run seeds, then serves
e2e_start_server crm "$bin" --listen "127.0.0.1:{PORT}" --data-dir "$data" --now "$NOW"
url="$E2E_URL"
base="http://127.0.0.1:$E2E_PORT"
dr_url="$base/deep-research/mcp"
log="$E2E_LOG_DIR/crm.log"
auth_header="$(grep -m1 '^Authorization: Bearer ey' "$log" || true)"
dr_header="$(grep '^Authorization: Bearer ey' "$log" | sed -n 2p || true)"
if [[ -n "$auth_header" && -n "$dr_header" && "$auth_header" != "$dr_header" ]] \
  && grep -q "^MCP: *$url\$" "$log" && grep -q "^Deep Research: *$dr_url\$" "$log" \
  && grep -q "inspector@2.12.0 --cli $url --transport http --method tools/list --header \"$auth_header\"" "$log" \
  && [[ "$(grep -c '^  tenant [12] user [0-9]' "$log")" == 8 ]] && grep -q 'token --user N' "$log"; then
  e2e_pass "banner: both URLs, a ready header per gateway, 8 demo users, how to mint, an Inspector command"
else
  e2e_fail "banner: $(head -c 1200 "$log")"
fi
if python3 - "$data/expected.json" "$NOW" <<'PY'; then
import json, sys
e = json.load(open(sys.argv[1]))
assert e["now"] == sys.argv[2] + "T00:00:00Z" and e["window_start"] == "2026-08-03", e
assert e["counts"]["contacts"] == 1500 and e["best_region"], e
PY
  e2e_pass "first run seeded scale 1 with --now $NOW and wrote expected.json beside the database"
else
  e2e_fail "expected.json: $(head -c 600 "$data/expected.json" 2>&1)"
fi
if [[ "$(curl -s -o /dev/null -w '%{http_code}' "$base/healthz")" == 200 ]]; then e2e_pass "GET /healthz: 200"; else e2e_fail "GET /healthz"; fi

# ---- i. 401 without a token, on both gateways
hdrs=(-H 'content-type: application/json' -H 'accept: application/json, text/event-stream' -H 'mcp-protocol-version: 2025-11-25')
for path in /mcp /deep-research/mcp; do
  status="$(curl -s -o /dev/null -D "$out" -w '%{http_code}' "${hdrs[@]}" "$base$path" -d '{"jsonrpc":"2.0","id":1,"method":"tools/list"}')"
  if [[ "$status" == 401 ]] && grep -qi "^www-authenticate: Bearer .*resource_metadata=\"$base/.well-known/oauth-protected-resource$path\"" "$out"; then
    e2e_pass "i. no token on $path: 401 with a resource_metadata challenge"
  else
    e2e_fail "i. no token on $path: status $status, headers: $(tr '\r\n' '  ' <"$out")"
  fi
done

# ---- seed and token subcommands, schemas
expect_exit "seed: refuses to overwrite an existing database without --force (exit 2)" 2 "already exists; pass --force" \
  "$bin" seed --data-dir "$data"
expect_exit "seed: a fresh data dir, same seed and --now" 0 "ground truth: $work/again/expected.json" \
  "$bin" seed --data-dir "$work/again" --now "$NOW"
if cmp -s "$data/expected.json" "$work/again/expected.json"; then
  e2e_pass "seed: the same seed and --now give the same ground truth"
else
  e2e_fail "seed: expected.json differs between two runs with --now $NOW"
fi
expect_exit "seed --force --contacts 3000 --seed 7 replaces it" 0 "3000 contacts" \
  "$bin" seed --data-dir "$work/again" --now "$NOW" --contacts 3000 --seed 7 --force
token_out="$("$bin" --listen "127.0.0.1:$E2E_PORT" --data-dir "$data" token --user 3 2>"$errf")"
if [[ "$token_out" =~ ^ey[A-Za-z0-9_.-]+$ && ! -s "$errf" ]]; then e2e_pass "token: prints only the token"; else e2e_fail "token: [$token_out] $(cat "$errf")"; fi
expect_exit "schemas check: the binary matches crm-tools/schemas.json" 0 "" \
  "$bin" schemas check --snapshot "$REPO_ROOT/crm-tools/schemas.json"
expect_exit "schemas lint: clean in every profile" 0 "" "$bin" schemas lint

# ---- the official Python client
mint() { "$bin" --listen "127.0.0.1:$E2E_PORT" --data-dir "$data" token "$@"; }
no_deals="crm.objects.contacts.read,crm.objects.companies.read,crm.objects.tickets.read,crm.objects.owners.read"
{
  printf '{"admin": "%s"' "$(mint --user 1)"
  for u in 2 3 4 5 6 7; do printf ', "u%s": "%s"' "$u" "$(mint --user "$u")"; done
  printf ', "t2admin": "%s"' "$(mint --user 1 --tenant 2)"
  printf ', "nodeals": "%s"' "$(mint --user 1 --scopes "$no_deals")"
  printf ', "t3": "%s"' "$(mint --user 1 --tenant 3 2>/dev/null)"
  printf ', "dr": "%s"}\n' "$(mint --user 1 --gateway-path /deep-research/mcp)"
} >"$work/tokens.json"
set +e
(cd "$E2E_DIR" && e2e_python crm_client.py "$url" "$dr_url" "$data/expected.json" "$work/tokens.json") >"$out" 2>&1
set -e
cat "$out"
line="$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$out" | tail -n 1 || true)"
if [[ -n "$line" ]]; then
  E2E_PASSED=$((E2E_PASSED + ${line%% passed*}))
  f="${line#*, }"; E2E_FAILED=$((E2E_FAILED + ${f%% failed*}))
else
  e2e_fail "crm_client.py died: $(tail -c 800 "$out")"
fi

# ---- h. the Inspector CLI with the banner's header
# inspect NAME URL PYTHON_ASSERTION CLI_ARGS...  (r = the parsed result)
inspect() {
  local name="$1" target="$2" assertion="$3" rc=0; shift 3
  # shellcheck disable=SC2016 # $1 and $@ expand in the child shell
  timeout 120 bash -c 'source "$1"; shift; e2e_inspector "$@"' _ "$E2E_DIR/lib.sh" \
    --cli "$target" --transport http --format json -q "$@" >"$out" 2>"$errf" || rc=$?
  if ((rc != 0)); then
    e2e_fail "h. inspector $name: exit $rc: $(head -c 400 "$out") $(head -c 400 "$errf")"
    return
  fi
  if python3 - "$out" "$assertion" <<'PY'; then
import json, sys
r = (json.loads(open(sys.argv[1]).read() or "null") or {}).get("result")
ok = False
try:
    ok = bool(eval(sys.argv[2], {"json": json}, {"r": r}))
except Exception as e:  # noqa: BLE001
    print(f"assertion error: {e!r}", file=sys.stderr)
sys.exit(0 if ok else 1)
PY
    e2e_pass "h. inspector $name"
  else
    e2e_fail "h. inspector $name: assertion [$assertion] failed on $(head -c 600 "$out")"
  fi
}
for era in legacy modern; do
  inspect "[$era] tools/list with the banner's header lists the 11 tools" "$url" \
    'len(r["tools"]) == 11 and {"search", "fetch", "aggregate_crm_objects"} <= {t["name"] for t in r["tools"]}' \
    --protocol-era "$era" --method tools/list --header "$auth_header"
  inspect "[$era] tools/call search with the banner's header" "$url" \
    'r["isError"] is False and r["structuredContent"]["total"] > 0 and len(r["structuredContent"]["results"]) == 2' \
    --protocol-era "$era" --method tools/call --tool-name search --tool-arg "query=object_type:contacts region:EMEA limit:2" --header "$auth_header"
  inspect "[$era] the Deep-Research gateway with its banner header lists fetch and search" "$dr_url" \
    'sorted(t["name"] for t in r["tools"]) == ["fetch", "search"]' \
    --protocol-era "$era" --method tools/list --header "$dr_header"
done
e2e_summary
