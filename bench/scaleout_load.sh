#!/usr/bin/env bash
# bench/scaleout_load.sh — crm-server throughput and latency through nginx with 1 replica vs 3
# replicas on the same data, and straight to one replica without nginx (the baseline), in the
# same run, with the CPU each part used.
#
# Usage: bench/scaleout_load.sh [--contacts N] [--rounds N] [--duration S] [--conns C]
#                               [--no-pin] [--workers W]
#   defaults: 100000 contacts, 3 interleaved rounds, 10 s, 32 connections, nginx with 1 worker;
#   median of the rounds per setup.
#
# The call: bench/crm-bodies/search_indexed.json (`search` with an indexed filter and a sort) as
# the demo admin with a dev token. Setups: `direct` (wrk -> replica 1), `nginx-1` (wrk -> nginx
# -> replica 1), `nginx-3` (wrk -> nginx -> replicas 1, 2, 3, round-robin). The nginx config is
# the scale-out test's (tests/e2e/scaleout/nginx.conf.template). The database is chosen like the
# test does (tests/e2e/scaleout/cluster.sh: PostgreSQL when `crm-server seed --database-url
# postgres://…` works, database crm_scaleout_bench; else one SQLite file, seeded once into
# .tools/bench-crm-<N> and reused — the same data as bench/crm_load.sh).
#
# CPU: by default the replicas are pinned to CPU 0 and nginx and wrk to CPU 1 (taskset), so the
# servers get one core whatever the number of replicas: on a 2-core machine 3 replicas cannot
# add CPU, and the 1-vs-3 ratio measures the cost of spreading the same core over more
# processes, not the gain of more machines. --no-pin lets everything float over both cores.
# CPU use is read from /proc/<pid>/stat (utime + stime) over the middle of each run, in % of one
# core, for the replicas (sum), nginx (master + workers), wrk and every `postgres` server process
# on the machine (not pinned; with PostgreSQL the queries run there), plus the whole machine's
# busy share from /proc/stat (other people's work on a shared machine shows up there).
# Needs ../shared/bench-peers/load.sh (the wrk wrapper); installs wrk and nginx with apt-get if
# missing.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PEERS="$(cd "$REPO_ROOT/.." && pwd)/shared/bench-peers"
[[ -f "$PEERS/load.sh" ]] || { echo "bench/scaleout_load.sh: $PEERS/load.sh not found" >&2; exit 2; }

contacts=100000 rounds=3 duration=10 conns=32 pin=1 workers=1
while (($#)); do
  case "$1" in
    --contacts) contacts="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --conns) conns="$2"; shift 2 ;;
    --no-pin) pin=0; shift ;;
    --workers) workers="$2"; shift 2 ;;
    -h|--help) sed -n '2,30p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
((duration >= 4)) || { echo "--duration must be at least 4 s" >&2; exit 2; }

# shellcheck source=tests/e2e/lib.sh
source "$REPO_ROOT/tests/e2e/lib.sh"
if ! command -v wrk >/dev/null; then
  e2e_log "installing wrk (apt-get)"
  { apt-get update -qq && apt-get install -y -qq wrk; } >"$E2E_LOG_DIR/apt-wrk.log" 2>&1 \
    || e2e_die "apt-get install wrk failed (log: $E2E_LOG_DIR/apt-wrk.log)"
fi
e2e_build_release crm-tools
export SCALEOUT_PG_URL="${SCALEOUT_PG_URL:-postgres://postgres@127.0.0.1:5432/crm_scaleout_bench}"
SCALEOUT_NGINX_WRAPPER=()
server_cpu=() loadgen_cpu=""
if ((pin)); then
  command -v taskset >/dev/null || e2e_die "taskset not found (util-linux); or pass --no-pin"
  server_cpu=(taskset -c 0) SCALEOUT_NGINX_WRAPPER=(taskset -c 1) loadgen_cpu=1
fi
# shellcheck source=tests/e2e/scaleout/cluster.sh
source "$REPO_ROOT/tests/e2e/scaleout/cluster.sh"
scaleout_ensure_nginx

work="$(mktemp -d)"
trap '_e2e_cleanup; rm -rf "$work"' EXIT
SCALEOUT_REUSE_SQLITE=1 scaleout_setup_db "$TOOLS_DIR/bench-crm-$contacts" 2026-11-01 --contacts "$contacts"

# One resource URL for every replica (the 3-replica balancer's), so one token works everywhere.
lb1_port="$(e2e_free_port)" lb3_port="$(e2e_free_port)"
scaleout_serve_args "http://127.0.0.1:$lb3_port"
ports=()
declare -A cpu_pids=()
for i in 1 2 3; do
  ports+=("$(e2e_free_port)")
  scaleout_start_replica "r$i" "${ports[i - 1]}" "${server_cpu[@]}"
done
SCALEOUT_NGINX_NAME=nginx1 scaleout_start_nginx "$work/nginx1" "$lb1_port" "$workers" "${ports[0]}"
nginx1_pid=$SCALEOUT_NGINX_PID
SCALEOUT_NGINX_NAME=nginx3 scaleout_start_nginx "$work/nginx3" "$lb3_port" "$workers" "${ports[@]}"
nginx3_pid=$SCALEOUT_NGINX_PID
token="$(scaleout_mint --user 1)"
auth="Authorization: Bearer $token"
body="$REPO_ROOT/bench/crm-bodies/search_indexed.json"

setups=(direct nginx-1 nginx-3)
declare -A url=([direct]="http://127.0.0.1:${ports[0]}/mcp" [nginx-1]="http://127.0.0.1:$lb1_port/mcp" [nginx-3]="http://127.0.0.1:$lb3_port/mcp")
declare -A replicas_of=([direct]="${_E2E_PIDS[r1]}" [nginx-1]="${_E2E_PIDS[r1]}" [nginx-3]="${_E2E_PIDS[r1]} ${_E2E_PIDS[r2]} ${_E2E_PIDS[r3]}")
declare -A nginx_of=([direct]="" [nginx-1]="$nginx1_pid" [nginx-3]="$nginx3_pid")
for s in "${setups[@]}"; do # sanity: a fast error would look like great throughput
  resp="$(curl -s --max-time 10 -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream' \
    -H 'MCP-Protocol-Version: 2025-06-18' -H "$auth" --data-binary "@$body" "${url[$s]}")"
  if ! grep -q '"result"' <<<"$resp" || grep -q '"isError":true' <<<"$resp"; then
    e2e_die "$s did not answer search with a result: ${resp:0:400}"
  fi
done

ticks() { # ticks PID... -> the sum of utime + stime (clock ticks) of the live ones
  local p sum=0 f
  for p in "$@"; do
    f="$(cat "/proc/$p/stat" 2>/dev/null)" || continue
    f="${f##*) }" # fields after the command name; utime and stime are fields 14 and 15
    read -r -a a <<<"$f"
    sum=$((sum + a[11] + a[12]))
  done
  printf '%d\n' "$sum"
}
machine() { awk '/^cpu / {idle = $5 + $6; tot = 0; for (i = 2; i <= NF; i++) tot += $i; print tot - idle, tot}' /proc/stat; }
descendants() { # descendants PID -> PID and every process below it
  ps -e -o pid=,ppid= | awk -v root="$1" '{kids[$2] = kids[$2] " " $1} END {
    q[1] = root; n = 1; i = 1; while (i <= n) { p = q[i++]; print p; m = split(kids[p], k, " ");
    for (j = 1; j <= m; j++) q[++n] = k[j] } }'
}
hz="$(getconf CLK_TCK)"
cores="$(nproc)"

declare -A rps p50 p99 errs cpu_rep cpu_ngx cpu_wrk cpu_pg cpu_all
run() { # run SETUP
  local s="$1" line kv lp wrk_pids ngx_pids pg_pids t0 t1 r0 r1 n0 n1 w0 w1 g0 g1 m0 m1 tot0 tot1
  EXTRA_HEADERS="$auth" LOADGEN_CPU="$loadgen_cpu" "$PEERS/load.sh" "${url[$s]}" "$body" "$duration" "$conns" >"$work/line" &
  lp=$!
  sleep 1
  # shellcheck disable=SC2207
  wrk_pids=($(descendants "$lp" | while read -r p; do [[ "$(cat "/proc/$p/comm" 2>/dev/null)" == wrk ]] && echo "$p"; done))
  ngx_pids=()
  # shellcheck disable=SC2207
  [[ -n "${nginx_of[$s]}" ]] && ngx_pids=($(descendants "${nginx_of[$s]}"))
  # PostgreSQL's server processes (all of them: the machine's server is shared), if any.
  # shellcheck disable=SC2207
  pg_pids=($(pgrep -x postgres || true))
  # shellcheck disable=SC2086
  r0="$(ticks ${replicas_of[$s]})" n0="$(ticks "${ngx_pids[@]}")" w0="$(ticks "${wrk_pids[@]}")" g0="$(ticks "${pg_pids[@]}")"
  read -r m0 tot0 < <(machine)
  t0="$(date +%s.%N)"
  sleep "$((duration - 2))"
  # shellcheck disable=SC2086
  r1="$(ticks ${replicas_of[$s]})" n1="$(ticks "${ngx_pids[@]}")" w1="$(ticks "${wrk_pids[@]}")" g1="$(ticks "${pg_pids[@]}")"
  read -r m1 tot1 < <(machine)
  t1="$(date +%s.%N)"
  wait "$lp" || e2e_die "load.sh failed for $s"
  line="$(cat "$work/line")"
  # (a process that exited between the two readings drops out: clamp at 0)
  pct() { awk -v d="$1" -v hz="$hz" -v t0="$t0" -v t1="$t1" 'BEGIN {d = (d < 0) ? 0 : d; printf "%.0f", 100 * d / hz / (t1 - t0)}'; }
  cpu_rep[$s]+="$(pct $((r1 - r0))) " cpu_ngx[$s]+="$(pct $((n1 - n0))) " cpu_wrk[$s]+="$(pct $((w1 - w0))) "
  cpu_pg[$s]+="$(pct $((g1 - g0))) "
  cpu_all[$s]+="$(awk -v b="$((m1 - m0))" -v t="$((tot1 - tot0))" 'BEGIN {printf "%.0f", (t > 0) ? 100 * b / t : 0}') "
  printf 'round %d %-8s %s cpu%%: replicas=%s nginx=%s wrk=%s postgres=%s\n' "$r" "$s" "$line" \
    "$(pct $((r1 - r0)))" "$(pct $((n1 - n0)))" "$(pct $((w1 - w0)))" "$(pct $((g1 - g0)))"
  for kv in $line; do
    case "$kv" in
      rps=*) rps[$s]+="${kv#*=} " ;;
      p50_ms=*) p50[$s]+="${kv#*=} " ;;
      p99_ms=*) p99[$s]+="${kv#*=} " ;;
      errors=*) errs[$s]=$((${errs[$s]:-0} + ${kv#*=})) ;;
    esac
  done
}
for ((r = 1; r <= rounds; r++)); do
  for s in "${setups[@]}"; do run "$s"; done
done

# shellcheck disable=SC2086 # $1 is a space-separated list on purpose
median() { printf '%s\n' $1 | sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
layout="replicas on CPU 0, nginx and wrk on CPU 1"
((pin)) || layout="unpinned"
printf '\ncrm-server scale-out, %s, %d contacts, search_indexed as admin — %d conns, %ss, median of %d rounds\n' \
  "$SCALEOUT_DB" "$contacts" "$conns" "$duration" "$rounds"
printf '%d cores (%s), nginx %d worker(s); CPU in %% of one core (machine: %% of all %d cores, anyone'"'"'s work)\n' \
  "$cores" "$layout" "$workers" "$cores"
printf '%-8s %9s %8s %8s %6s %9s %9s %9s %7s %9s %8s\n' setup req/s p50_ms p99_ms errors vs_direct replicas% nginx% wrk% postgres% machine%
base="$(median "${rps[direct]}")"
fail=0
for s in "${setups[@]}"; do
  m="$(median "${rps[$s]}")"
  printf '%-8s %9.0f %8.2f %8.2f %6d %8.2fx %9s %9s %7s %9s %8s\n' "$s" "$m" "$(median "${p50[$s]}")" "$(median "${p99[$s]}")" \
    "${errs[$s]:-0}" "$(awk -v a="$m" -v b="$base" 'BEGIN {print (b > 0) ? a / b : 0}')" \
    "$(median "${cpu_rep[$s]}")" "$(median "${cpu_ngx[$s]}")" "$(median "${cpu_wrk[$s]}")" "$(median "${cpu_pg[$s]}")" \
    "$(median "${cpu_all[$s]}")"
  ((${errs[$s]:-0} == 0)) || fail=1
done
printf 'nginx-3 / nginx-1 throughput: %.2fx\n' \
  "$(awk -v a="$(median "${rps[nginx-3]}")" -v b="$(median "${rps[nginx-1]}")" 'BEGIN {print (b > 0) ? a / b : 0}')"
exit "$fail"
