#!/usr/bin/env bash
# bench/crm_load.sh — crm-server throughput and latency over real HTTP, per tool call shape, next
# to example-hello's `add` measured in the same run (the framework's floor: what a call costs
# before it touches the store).
#
# Usage: bench/crm_load.sh [--contacts N] [--rounds N] [--duration S] [--conns C] [--user N]
#   defaults: 100000 contacts (seeded once into .tools/bench-crm-<N>, reused), 3 rounds, 10 s,
#   32 connections, demo user 1 (admin: no row predicate); --user 4 measures an own-records
#   user (with the permission predicate).
#
# Calls (bench/crm-bodies/): `search` with an indexed filter + sort, `search_crm_objects` with
# two filters and a sort, `fetch` of one deal, `aggregate_crm_objects` grouped by two
# properties over a 90-day window. Needs ../shared/bench-peers (the wrk wrapper load.sh);
# installs wrk with apt-get if missing. Server pinned to CPU 0, wrk to CPU 1.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PEERS="$(cd "$REPO_ROOT/.." && pwd)/shared/bench-peers"
[[ -f "$PEERS/load.sh" ]] || { echo "bench/crm_load.sh: $PEERS/load.sh not found" >&2; exit 2; }

contacts=100000 rounds=3 duration=10 conns=32 user=1
while (($#)); do
  case "$1" in
    --contacts) contacts="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --conns) conns="$2"; shift 2 ;;
    --user) user="$2"; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

# shellcheck source=tests/e2e/lib.sh
source "$REPO_ROOT/tests/e2e/lib.sh"
if ! command -v wrk >/dev/null; then
  e2e_log "installing wrk (apt-get)"
  { apt-get update -qq && apt-get install -y -qq wrk; } >"$E2E_LOG_DIR/apt-wrk.log" 2>&1 \
    || e2e_die "apt-get install wrk failed (log: $E2E_LOG_DIR/apt-wrk.log)"
fi

e2e_build_release example-hello crm-tools
hello_bin="$(e2e_release_bin example-hello)"
crm_bin="$(e2e_release_bin crm-server)"
data="$TOOLS_DIR/bench-crm-$contacts"
if [[ ! -f "$data/expected.json" ]]; then
  rm -rf "$data"
  e2e_log "seeding $contacts contacts into $data"
  "$crm_bin" seed --data-dir "$data" --contacts "$contacts" --now 2026-11-01 >&2
fi

e2e_start_server hello taskset -c 0 "$hello_bin" --listen "127.0.0.1:{PORT}"
hello_url="$E2E_URL"
e2e_start_server crm taskset -c 0 "$crm_bin" serve --listen "127.0.0.1:{PORT}" --data-dir "$data"
crm_url="$E2E_URL"
token="$("$crm_bin" token --listen "127.0.0.1:$E2E_PORT" --data-dir "$data" --user "$user")"
auth="Authorization: Bearer $token"

calls=(search_indexed search_crm_objects fetch aggregate)
for c in "${calls[@]}"; do # sanity: a fast error would look like great throughput
  resp="$(curl -s --max-time 10 -H 'Content-Type: application/json' \
    -H 'Accept: application/json, text/event-stream' -H 'MCP-Protocol-Version: 2025-06-18' \
    -H "$auth" --data-binary "@$REPO_ROOT/bench/crm-bodies/$c.json" "$crm_url")"
  if ! grep -q '"result"' <<<"$resp" || grep -q '"isError":true' <<<"$resp"; then
    e2e_die "crm-server did not answer $c with a result: ${resp:0:400}"
  fi
done

declare -A rps p50 p99 errs
run() { # run NAME URL BODY HEADERS
  local line kv
  line="$(EXTRA_HEADERS="$4" LOADGEN_CPU=1 "$PEERS/load.sh" "$2" "$3" "$duration" "$conns")" \
    || e2e_die "load.sh failed for $1"
  printf 'round %d %-20s %s\n' "$r" "$1" "$line"
  for kv in $line; do
    case "$kv" in
      rps=*) rps[$1]+="${kv#*=} " ;;
      p50_ms=*) p50[$1]+="${kv#*=} " ;;
      p99_ms=*) p99[$1]+="${kv#*=} " ;;
      errors=*) errs[$1]=$(( ${errs[$1]:-0} + ${kv#*=} )) ;;
    esac
  done
}
for ((r = 1; r <= rounds; r++)); do
  run hello-add "$hello_url" "$PEERS/bodies/tools_call_add.json" ""
  for c in "${calls[@]}"; do
    run "$c" "$crm_url" "$REPO_ROOT/bench/crm-bodies/$c.json" "$auth"
  done
done

# shellcheck disable=SC2086 # $1 is a space-separated list on purpose
median() { printf '%s\n' $1 | sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
printf '\ncrm-server, %d contacts, user %d — %d conns, %ss, median of %d rounds (server CPU 0, wrk CPU 1)\n' \
  "$contacts" "$user" "$conns" "$duration" "$rounds"
printf '%-20s %10s %10s %10s %8s %12s\n' call req/s p50_ms p99_ms errors vs_hello-add
base="$(median "${rps[hello-add]}")"
fail=0
for c in hello-add "${calls[@]}"; do
  m="$(median "${rps[$c]}")"
  printf '%-20s %10.0f %10.3f %10.3f %8d %11.3fx\n' "$c" "$m" "$(median "${p50[$c]}")" \
    "$(median "${p99[$c]}")" "${errs[$c]:-0}" "$(awk -v a="$m" -v b="$base" 'BEGIN {print (b > 0) ? a / b : 0}')"
  ((${errs[$c]:-0} == 0)) || fail=1
done
exit "$fail"
