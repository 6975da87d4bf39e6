#!/usr/bin/env bash
# bench/soak.sh — soak a release crm-server: a mixed, checked workload at saturation for a bounded
# time (crm-tools/examples/soak.rs), then the verdict.
#
# Usage: bench/soak.sh [--duration 600] [--contacts 100000] [--conns 32] [--database-url URL]
#                      [--warmup S] [--interval S] [--max-rss-growth PCT] [--rss-metric M]
#                      [--csv FILE] [--expected FILE]
#   --duration        seconds of load (default 600)
#   --contacts        demo data size, seeded once into .tools/bench-crm-<N> (shared with
#                     bench/crm_load.sh; PostgreSQL: .tools/soak-pg-<N> holds the ground truth)
#   --conns           concurrent workers of the driver (default 32)
#   --database-url    serve from PostgreSQL (postgres://…) instead of the SQLite file; the
#                     database is (re)seeded when its recorded URL or size changes
#   --warmup          seconds before the RSS baseline (default 60, or 10 % of shorter runs)
#   --max-rss-growth  % of RSS growth allowed between the end of warm-up and the end (default 5)
#   --rss-metric      what that limit judges: total (VmRSS, default) or anon (RssAnon: without
#                     the pages of SQLite's memory-mapped database file); both are reported
#   --csv             the per-interval series (default .tools/logs/soak-<time>.csv)
#   --expected        the ground truth the driver checks (default the data's expected.json)
# Fails (exit 1) on any unexpected reply, a panic in the server log, a dead or unhealthy server
# at the end, or RSS growth above the limit. Server pinned to CPU 0 and the driver to CPU 1 when
# taskset exists and there are two CPUs. Server log: .tools/logs/soak-crm.log.
# Env: SOAK_SKIP_BUILD=1 to reuse the release binaries already built.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NOW=2026-11-01

duration=600 contacts=100000 conns=32 database_url="" warmup="" interval=5 max_growth=5
rss_metric=total csv="" expected=""
while (($#)); do
  case "$1" in
    --duration) duration="$2"; shift 2 ;;
    --contacts) contacts="$2"; shift 2 ;;
    --conns) conns="$2"; shift 2 ;;
    --database-url) database_url="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --interval) interval="$2"; shift 2 ;;
    --max-rss-growth) max_growth="$2"; shift 2 ;;
    --rss-metric) rss_metric="$2"; shift 2 ;;
    --csv) csv="$2"; shift 2 ;;
    --expected) expected="$2"; shift 2 ;;
    -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
    *) echo "bench/soak.sh: unknown argument: $1" >&2; exit 2 ;;
  esac
done

# shellcheck source=tests/e2e/lib.sh
source "$REPO_ROOT/tests/e2e/lib.sh"

crm_bin="$(e2e_release_bin crm-server)"
soak_bin="$(dirname "$crm_bin")/examples/soak"
# Built here even under run-all.sh (its shared build has no examples); SOAK_SKIP_BUILD=1 reuses
# existing binaries.
if [[ "${SOAK_SKIP_BUILD:-0}" != 1 || ! -x "$soak_bin" || ! -x "$crm_bin" ]]; then
  e2e_log "cargo build --release --locked -p crm-tools --bin crm-server --example soak"
  (cd "$REPO_ROOT" && cargo build --release --locked -p crm-tools --bin crm-server --example soak) \
    || e2e_die "cargo build failed"
fi

storage=()
if [[ -z "$database_url" ]]; then
  data="$TOOLS_DIR/bench-crm-$contacts"
  if [[ ! -f "$data/expected.json" ]]; then
    rm -rf "$data"
    e2e_log "seeding $contacts contacts into $data"
    "$crm_bin" seed --data-dir "$data" --contacts "$contacts" --now "$NOW" >&2
  fi
else
  data="$TOOLS_DIR/soak-pg-$contacts"
  storage=(--database-url "$database_url")
  stamp="$contacts $database_url"
  if [[ ! -f "$data/expected.json" || "$(cat "$data/seeded-for" 2>/dev/null)" != "$stamp" ]]; then
    rm -rf "$data"
    mkdir -p "$data"
    e2e_log "seeding $contacts contacts into PostgreSQL (ground truth in $data)"
    "$crm_bin" seed --data-dir "$data" "${storage[@]}" --contacts "$contacts" --now "$NOW" --force >&2
    printf '%s\n' "$stamp" >"$data/seeded-for"
  fi
fi
[[ -n "$expected" ]] || expected="$data/expected.json"
[[ -n "$csv" ]] || csv="$E2E_LOG_DIR/soak-$(date -u +%Y%m%dT%H%M%SZ).csv"

pin_server=() pin_driver=()
if command -v taskset >/dev/null && (($(nproc) >= 2)); then
  pin_server=(taskset -c 0) pin_driver=(taskset -c 1)
fi
# taskset execs the server, so E2E_PID is the server's own pid (the driver reads its /proc).
e2e_start_server soak-crm "${pin_server[@]}" "$crm_bin" serve --listen "127.0.0.1:{PORT}" \
  --data-dir "$data" "${storage[@]}" --now "$NOW"
server_pid="$E2E_PID"
port="$E2E_PORT"
log="$E2E_LOG_DIR/soak-crm.log"

ttl=$((duration + 3600))
mint() { "$crm_bin" token --listen "127.0.0.1:$port" --data-dir "$data" --ttl-secs "$ttl" "$@"; }
token_args=()
for user in 1 2 3 4 5; do
  t="$(mint --user "$user")" || e2e_die "cannot mint a token for user $user"
  token_args+=(--token "$user=$t")
done
dr_token="$(mint --user 1 --gateway-path /deep-research/mcp)" || e2e_die "cannot mint the Deep Research token"

driver_args=(--url "http://127.0.0.1:$port" --server-pid "$server_pid" --expected "$expected"
  --duration "$duration" --conns "$conns" --interval "$interval" "--max-rss-growth=$max_growth" --rss-metric "$rss_metric"
  --csv "$csv" --deep-research-token "$dr_token" "${token_args[@]}")
[[ -z "$warmup" ]] || driver_args+=(--warmup "$warmup")
e2e_log "soak: ${duration} s, $conns workers, $contacts contacts ($([[ -n "$database_url" ]] && echo PostgreSQL || echo SQLite)), series in $csv"
driver_rc=0
"${pin_driver[@]}" "$soak_bin" "${driver_args[@]}" || driver_rc=$?

failures=()
((driver_rc == 0)) || failures+=("the driver failed (exit $driver_rc; details above)")
if grep -nE 'panicked|tool panicked' "$log" >&2; then
  failures+=("the server log shows a panic ($log)")
fi
if ! kill -0 "$server_pid" 2>/dev/null; then
  failures+=("the server is no longer running")
elif [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$port/healthz")" != 200 ]]; then
  failures+=("the server does not answer /healthz with 200")
fi
e2e_stop_server soak-crm

if ((${#failures[@]})); then
  printf 'soak verdict: FAIL\n' >&2
  printf '  - %s\n' "${failures[@]}" >&2
  exit 1
fi
printf 'soak verdict: PASS (no unexpected reply, no panic, server healthy, RSS within %s %%; series: %s)\n' \
  "$max_growth" "$csv"
