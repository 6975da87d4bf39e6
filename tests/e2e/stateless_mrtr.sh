#!/usr/bin/env bash
# tests/e2e/stateless_mrtr.sh — two example-conformance replicas behind a round-robin proxy
# without affinity pass the 2026-07-28 multi-round-trip (MRTR) scenarios.
#
# Both replicas share one request-state key (MCP_REQUEST_STATE_KEY), so a requestState minted
# by one verifies on the other; the proxy sends every request to the next replica in turn,
# so the rounds of one MRTR exchange land on different processes. Runs
# conformance@0.2.0-alpha.12 (wire 2026-07-28) scenario by scenario through the proxy, judges
# the results with conformance_verdict.py (empty baseline), and checks that both replicas
# served requests. A control run with two different keys must fail the stateful scenarios.
#
# Usage: tests/e2e/stateless_mrtr.sh        Env: E2E_SKIP_BUILD=1 (binary already built)
set -euo pipefail
# shellcheck shell=bash source=tests/e2e/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SCENARIOS=(
  input-required-result-basic-elicitation
  input-required-result-basic-sampling
  input-required-result-basic-list-roots
  input-required-result-request-state
  input-required-result-multiple-input-requests
  input-required-result-multi-round
  input-required-result-missing-input-response
  input-required-result-non-tool-request
  input-required-result-result-type
  input-required-result-unsupported-methods
  input-required-result-tampered-state
  input-required-result-capability-check
  input-required-result-ignore-extra-params
  input-required-result-validate-input
  caching
)

e2e_ensure_tools
e2e_build_release example-conformance
bin="$(e2e_release_bin example-conformance)"
out="$E2E_LOG_DIR/stateless-mrtr"
rm -rf "$out"
mkdir -p "$out"

# run_through_proxy LABEL KEY_A KEY_B: start two replicas and the proxy, run the scenarios.
run_through_proxy() {
  local label="$1" key_a="$2" key_b="$3" proxy_port proxy_pid dir="$out/$1" s
  MCP_REQUEST_STATE_KEY="$key_a" e2e_start_server "replica-a-$label" "$bin" --listen "127.0.0.1:{PORT}"
  local port_a=$E2E_PORT
  MCP_REQUEST_STATE_KEY="$key_b" e2e_start_server "replica-b-$label" "$bin" --listen "127.0.0.1:{PORT}"
  local port_b=$E2E_PORT
  proxy_port="$(e2e_free_port)"
  python3 "$E2E_DIR/rr_proxy.py" "$proxy_port" "$port_a" "$port_b" >"$out/proxy-$label.log" 2>&1 &
  proxy_pid=$!
  for _ in $(seq 50); do
    grep -q "listening" "$out/proxy-$label.log" 2>/dev/null && break
    sleep 0.1
  done
  mkdir -p "$dir"
  printf '%s\n' "${SCENARIOS[@]}" >"$dir.scenarios"
  for s in "${SCENARIOS[@]}"; do
    e2e_conformance 0.2.0-alpha.12 server --url "http://127.0.0.1:$proxy_port/mcp" \
      --spec-version 2026-07-28 --scenario "$s" -o "$dir" >>"$dir.log" 2>&1 || true
  done
  kill -TERM "$proxy_pid" 2>/dev/null || true
  wait "$proxy_pid" 2>/dev/null || true
  e2e_stop_server "replica-a-$label"
  e2e_stop_server "replica-b-$label"
}

printf '\n' >"$out/empty-baseline.yml"
echo "server:" >"$out/empty-baseline.yml"

shared_key="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
run_through_proxy shared "$shared_key" "$shared_key"
if python3 "$E2E_DIR/conformance_verdict.py" --label "MRTR through a round-robin proxy (shared key)" \
    --results "$out/shared" --baseline "$out/empty-baseline.yml" \
    --scenarios-file "$out/shared.scenarios" --log "$out/shared.log"; then
  e2e_pass "2026-07-28 MRTR scenarios across two replicas without affinity"
else
  e2e_fail "2026-07-28 MRTR scenarios across two replicas without affinity (log: $out/shared.log)"
fi
cat "$out/proxy-shared.log"
if grep -Eq "backend [0-9]+: 0 requests" "$out/proxy-shared.log" \
    || [[ "$(grep -c '^backend' "$out/proxy-shared.log")" != 2 ]]; then
  e2e_fail "both replicas served requests"
else
  e2e_pass "both replicas served requests"
fi

# Control: with different keys, a state minted by one replica fails on the other.
run_through_proxy control "$shared_key" "${shared_key}-other"
if grep -rq '"status": "FAILURE"' "$out/control"; then
  e2e_pass "control: replicas with different keys reject each other's requestState"
else
  e2e_fail "control: replicas with different keys unexpectedly passed (is the proxy alternating?)"
fi
e2e_summary
