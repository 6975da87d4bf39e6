#!/usr/bin/env bash
# tests/e2e/conformance.sh — the official MCP conformance suite against example-conformance.
#
# Runs (each judged against its own baseline in tests/e2e/baselines/):
#   0.1.16                      conformance@0.1.16 server --suite all          (legacy wire)
#   2025-11-25                  conformance@0.2.0-alpha.12 --requirements 2025-11-25 (legacy wire)
#   2026-07-28                  conformance@0.2.0-alpha.12 --requirements 2026-07-28 (modern wire)
#
# Usage: tests/e2e/conformance.sh [--url URL] [RUN...]      (RUN: 0.1.16 | 2025-11-25 | 2026-07-28)
#   --url URL   test an already running server instead of building/starting example-conformance
# Env: E2E_SKIP_BUILD=1 (binaries already built), CONFORMANCE_TIMEOUT_MS (per scenario, default 30000),
#      E2E_RESULTS_MD=FILE (append a per-scenario markdown report).
# Output: one summary line per run, per-scenario verdicts, then "N passed, N failed" (runs).
# Raw runner output: .tools/logs/conformance/<run>.log, checks.json under .tools/logs/conformance/<run>/.
set -euo pipefail
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

url=""
runs=()
while (($#)); do
  case "$1" in
    --url) url="$2"; shift 2 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    0.1.16|2025-11-25|2026-07-28) runs+=("$1"); shift ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
((${#runs[@]})) || runs=(0.1.16 2025-11-25 2026-07-28)

e2e_ensure_tools
if [[ -z "$url" ]]; then
  e2e_build_release example-conformance
  e2e_start_server conformance "$(e2e_release_bin example-conformance)" --listen "127.0.0.1:{PORT}"
  url="$E2E_URL"
fi

out_root="$E2E_LOG_DIR/conformance"
mkdir -p "$out_root"
timeout_ms="${CONFORMANCE_TIMEOUT_MS:-30000}"
reqdir="$TOOLS_DIR/conformance-0.2.0-alpha.12/node_modules/@modelcontextprotocol/conformance/requirements"
md_args=()
[[ -n "${E2E_RESULTS_MD:-}" ]] && md_args=(--markdown "$E2E_RESULTS_MD")

run_one() {
  local run="$1" dir="$out_root/$1" log="$out_root/$1.log" label rc=0 scen_args=()
  rm -rf "$dir"
  mkdir -p "$dir"
  case "$run" in
    0.1.16)
      label="conformance 0.1.16 --suite all"
      # Scored set = every server scenario the suite lists (0.1.16 has no not-scored notion).
      e2e_conformance 0.1.16 list --server | sed -n 's/^  - \([^ ]*\).*/\1/p' >"$dir.scenarios"
      scen_args=(--scenarios-file "$dir.scenarios")
      e2e_log "$label against $url"
      # The suite's own exit status is ignored: the verdict below decides (see conformance_verdict.py).
      timeout 1800 "$E2E_NODE" "$TOOLS_DIR/conformance-0.1.16/node_modules/@modelcontextprotocol/conformance/dist/index.js" \
        server --url "$url" --suite all -o "$dir" >"$log" 2>&1 || rc=$?
      ;;
    2025-11-25|2026-07-28)
      label="conformance 0.2.0-alpha.12 --requirements $run"
      scen_args=(--requirements "$reqdir/$run.yaml")
      e2e_log "$label against $url"
      timeout 2400 "$E2E_NODE" "$TOOLS_DIR/conformance-0.2.0-alpha.12/node_modules/@modelcontextprotocol/conformance/dist/index.js" \
        server --url "$url" --requirements "$run" --timeout "$timeout_ms" -o "$dir" >"$log" 2>&1 || rc=$?
      ;;
  esac
  if ((rc == 124)); then
    e2e_log "$label: runner timed out (log: $log)"
  fi
  if python3 "$E2E_DIR/conformance_verdict.py" --label "$label" --results "$dir" \
      --baseline "$E2E_DIR/baselines/conformance-$run.yml" "${scen_args[@]}" --log "$log" "${md_args[@]}"; then
    e2e_pass "$label"
  else
    e2e_fail "$label (runner log: $log)"
  fi
}

for r in "${runs[@]}"; do run_one "$r"; done
e2e_summary
