#!/usr/bin/env bash
# tests/e2e/run-all.sh — every end-to-end suite, with real clients over real sockets:
#   1. conformance.sh   official conformance suite (0.1.16 --suite all; 0.2.0-alpha.12
#                       --requirements 2025-11-25 and 2026-07-28) vs example-conformance
#   1b. stateless_mrtr.sh two example-conformance replicas sharing a request-state key behind a
#                       round-robin proxy pass the 2026-07-28 multi-round-trip scenarios
#   2. python_client.sh official Python client mcp==2.3.0 (legacy, 2026-07-28, auto) vs example-hello
#   3. inspector.sh     MCP Inspector CLI 2.12.0 (legacy and modern era) vs example-hello
#   4. auth.sh          OAuth resource-server auth: Python client and Inspector CLI with a
#                       header token vs example-auth in dev mode (401/403, metadata, JWKS)
#   5. crm.sh           crm-server (package crm-tools) with seeded demo data: its CLI, the Python
#                       client (analytics vs expected.json, permissions, hidden properties,
#                       tenants, leaks, DSL errors, Deep Research) and the Inspector CLI
#   6. scaleout.sh      three crm-server replicas on one database (PostgreSQL when the server
#                       supports it, else one SQLite data dir) behind nginx: health, the Python
#                       client in both eras, round-robin, a load run with 0 errors, a replica
#                       SIGKILLed mid-run and a graceful restart without failed requests
# Installs the pinned tools (.tools/, .venv/) if needed, builds the four binaries once
# (cargo build --release --locked), prints each suite's result and a final
# "N passed, N failed" over all checks; exit 1 on any failure.
# Env: E2E_SKIP_BUILD=1 to reuse existing release binaries; E2E_RESULTS_MD=FILE for a
# markdown report of the conformance runs.
set -euo pipefail
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

e2e_ensure_tools
e2e_build_release example-hello example-conformance example-auth crm-tools
export E2E_SKIP_BUILD=1

total_passed=0
total_failed=0
suite_failed=()

run_suite() {
  local name="$1" log="$E2E_LOG_DIR/run-all-$1.log" rc=0 line p f
  shift
  printf '\n===== %s =====\n' "$name"
  set +e
  "$@" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  set -e
  line="$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1 || true)"
  if [[ -n "$line" ]]; then
    p="${line%% passed*}"
    f="${line#*, }"; f="${f%% failed*}"
  else
    p=0 f=1 # the suite died before its summary
  fi
  if ((rc != 0 && f == 0)); then f=1; fi
  total_passed=$((total_passed + p))
  total_failed=$((total_failed + f))
  ((rc == 0)) || suite_failed+=("$name")
}

run_suite conformance "$E2E_DIR/conformance.sh"
run_suite stateless-mrtr "$E2E_DIR/stateless_mrtr.sh"
run_suite python-client "$E2E_DIR/python_client.sh"
run_suite inspector "$E2E_DIR/inspector.sh"
run_suite auth "$E2E_DIR/auth.sh"
run_suite crm "$E2E_DIR/crm.sh"
run_suite soak-smoke "$E2E_DIR/soak_smoke.sh" # bench/soak.sh for 30 s: 0 errors, no panic, bounded RSS
# scripts/test.sh has started PostgreSQL: the replicas must share it, never fall back to SQLite.
if [[ "${CRM_TEST_POSTGRES:-}" != skip ]]; then
  export SCALEOUT_DB="${SCALEOUT_DB:-postgres}"
  [[ -z "${CRM_TEST_POSTGRES_URL:-}" ]] || export SCALEOUT_PG_URL="${SCALEOUT_PG_URL:-${CRM_TEST_POSTGRES_URL%/*}/crm_scaleout}"
fi
run_suite scaleout "$E2E_DIR/scaleout.sh"

printf '\n===== e2e summary =====\n'
if ((${#suite_failed[@]})); then
  printf 'failed suites: %s (logs: %s/run-all-*.log)\n' "${suite_failed[*]}" "$E2E_LOG_DIR"
fi
printf '%d passed, %d failed\n' "$total_passed" "$total_failed"
((total_failed == 0 && ${#suite_failed[@]} == 0))
