#!/usr/bin/env bash
# tests/e2e/auth.sh — OAuth resource-server auth end to end, against example-auth in dev mode
# (release build, --dev-auth, a fresh data dir):
#   * dev mode refuses a non-loopback --listen (exit 1)
#   * curl: 401 without a token, with WWW-Authenticate: Bearer resource_metadata="…/mcp";
#     the RFC 9728 document at /.well-known/oauth-protected-resource/mcp names the resource;
#     /.well-known/jwks.json serves the dev key
#   * the official Python client (mcp==2.3.0; legacy and 2026-07-28) via python_auth_client.py
#     with a token minted by `example-auth token --sub alice --tenant acme --scope profile,notes:write`
#   * MCP Inspector CLI 2.12.0 with --header "Authorization: Bearer …": tools/list shows only
#     the callable tools, tools/call whoami returns the subject; without the header it fails
# Usage: tests/e2e/auth.sh    Env: E2E_SKIP_BUILD=1. Ends with "N passed, N failed".
set -euo pipefail
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

e2e_ensure_venv
e2e_ensure_node
e2e_ensure_npm_tool inspector-2.12.0
e2e_build_release example-auth
bin="$(e2e_release_bin example-auth)"
data="$(mktemp -d)"
out="$(mktemp)"
errf="$(mktemp)"
trap 'rm -rf "$data" "$out" "$errf"; _e2e_cleanup' EXIT

# Dev mode trusts a key on disk: it must refuse to listen beyond loopback.
rc=0
"$bin" --dev-auth --listen 0.0.0.0:0 --data-dir "$data" >"$out" 2>&1 || rc=$?
if ((rc == 1)) && grep -q "refuses to listen" "$out"; then
  e2e_pass "dev auth refuses a non-loopback address"
else
  e2e_fail "dev auth on 0.0.0.0: exit $rc: $(head -c 300 "$out")"
fi

e2e_start_server auth "$bin" --dev-auth --listen "127.0.0.1:{PORT}" --data-dir "$data"
url="$E2E_URL"
base="http://127.0.0.1:$E2E_PORT"
if grep -q '^Authorization: Bearer ey' "$E2E_LOG_DIR/auth.log" && grep -q 'inspector@2.12.0 --cli' "$E2E_LOG_DIR/auth.log"; then
  e2e_pass "dev banner prints a ready Authorization header and an Inspector command"
else
  e2e_fail "dev banner: $(head -c 400 "$E2E_LOG_DIR/auth.log")"
fi
token="$("$bin" --listen "127.0.0.1:$E2E_PORT" --data-dir "$data" token --sub alice --tenant acme --scope profile,notes:write)"

# ---- raw HTTP: challenge, metadata, JWKS
hdrs=(-H 'content-type: application/json' -H 'accept: application/json, text/event-stream' -H 'mcp-protocol-version: 2025-11-25')
status="$(curl -s -o /dev/null -D "$out" -w '%{http_code}' "${hdrs[@]}" "$url" -d '{"jsonrpc":"2.0","id":1,"method":"tools/list"}')"
if [[ "$status" == 401 ]] && grep -qi "^www-authenticate: Bearer .*resource_metadata=\"$base/.well-known/oauth-protected-resource/mcp\"" "$out"; then
  e2e_pass "no token: 401 with a resource_metadata challenge"
else
  e2e_fail "no token: status $status, headers: $(tr '\r\n' '  ' <"$out")"
fi
status="$(curl -s -o /dev/null -w '%{http_code}' "${hdrs[@]}" "$url?access_token=$token" -d '{"jsonrpc":"2.0","id":1,"method":"tools/list"}')"
if [[ "$status" == 400 ]]; then e2e_pass "token in the query string: 400"; else e2e_fail "token in query: status $status"; fi
if curl -sf "$base/.well-known/oauth-protected-resource/mcp" | python3 -c "
import json, sys
d = json.load(sys.stdin)
assert d['resource'] == '$url', d
assert d['authorization_servers'] == ['$base'], d
assert d['bearer_methods_supported'] == ['header'], d
assert d['scopes_supported'] == ['admin', 'calc', 'notes:write', 'profile'], d
"; then e2e_pass "protected resource metadata"; else e2e_fail "protected resource metadata"; fi
if curl -sf "$base/.well-known/jwks.json" | python3 -c "
import json, sys
k = json.load(sys.stdin)['keys']
assert len(k) == 1 and k[0]['kty'] == 'EC' and k[0]['crv'] == 'P-256' and 'd' not in k[0], k
"; then e2e_pass "dev JWKS (public key only)"; else e2e_fail "dev JWKS"; fi

# ---- the official Python client with a header token
set +e
e2e_python "$E2E_DIR/python_auth_client.py" "$url" "$token" >"$out" 2>&1
set -e
cat "$out"
line="$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$out" | tail -n 1 || true)"
if [[ -n "$line" ]]; then
  E2E_PASSED=$((E2E_PASSED + ${line%% passed*}))
  f="${line#*, }"; E2E_FAILED=$((E2E_FAILED + ${f%% failed*}))
else
  e2e_fail "python_auth_client.py died: $(tail -c 600 "$out")"
fi

# ---- the Inspector CLI with --header
# inspect NAME EXPECTED_EXIT PYTHON_ASSERTION CLI_ARGS...  (r = the parsed result; "" if none)
inspect() {
  local name="$1" want_rc="$2" assertion="$3" rc=0; shift 3
  # shellcheck disable=SC2016 # $1 and $@ expand in the child shell
  timeout 120 bash -c 'source "$1"; shift; e2e_inspector "$@"' _ "$E2E_DIR/lib.sh" \
    --cli "$url" --transport http --format json -q "$@" >"$out" 2>"$errf" || rc=$?
  local rc_ok=0
  if [[ "$want_rc" == nonzero ]]; then ((rc != 0)) && rc_ok=1; else ((rc == want_rc)) && rc_ok=1; fi
  if ((!rc_ok)); then
    e2e_fail "inspector $name: exit $rc (expected $want_rc): $(head -c 400 "$out") $(head -c 400 "$errf")"
    return
  fi
  if python3 - "$out" "$assertion" <<'PY'; then
import json, sys
text = open(sys.argv[1]).read()
try:
    r = (json.loads(text or "null") or {}).get("result")
except ValueError:
    r = None
ok = False
try:
    ok = bool(eval(sys.argv[2], {"json": json}, {"r": r}))
except Exception as e:  # noqa: BLE001
    print(f"assertion error: {e!r}", file=sys.stderr)
sys.exit(0 if ok else 1)
PY
    e2e_pass "inspector $name"
  else
    e2e_fail "inspector $name: assertion [$assertion] failed on $(head -c 600 "$out")"
  fi
}

auth_header="Authorization: Bearer $token"
for era in legacy modern; do
  inspect "[$era] tools/list with --header shows only callable tools" 0 \
    'sorted(t["name"] for t in r["tools"]) == ["whoami", "write_note"]' \
    --protocol-era "$era" --method tools/list --header "$auth_header"
  inspect "[$era] tools/call whoami with --header sees the subject" 0 \
    'r["isError"] is False and r["structuredContent"]["subject"] == "alice" and r["structuredContent"]["tenant"] == "acme"' \
    --protocol-era "$era" --method tools/call --tool-name whoami --header "$auth_header"
  inspect "[$era] tools/list without a token fails" nonzero 'r is None' \
    --protocol-era "$era" --method tools/list
done
e2e_summary
