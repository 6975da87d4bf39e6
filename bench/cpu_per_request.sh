#!/usr/bin/env bash
# bench/cpu_per_request.sh — server CPU time per `tools/call add`, for A/B comparisons of builds
# on a busy machine.
#
# Usage: bench/cpu_per_request.sh [--rounds N] [--duration S] NAME=BINARY[:EXTRA ARGS] ...
#   e.g. bench/cpu_per_request.sh base=/tmp/hello-before new=target/release/example-hello
#
# Throughput moves with whatever else the machine runs; the CPU a server spends per request
# barely does. Each server is pinned to CPU 0 and loaded by ../shared/bench-peers/load.sh
# (wrk, pinned to CPU 1, 32 connections); its CPU time is summed over its threads from
# /proc/PID/task/*/schedstat and divided by the requests wrk counted. Rounds are interleaved;
# the median per server and its ratio to the first one are printed.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PEERS="$(cd "$REPO_ROOT/.." && pwd)/shared/bench-peers"
[[ -f "$PEERS/load.sh" ]] || { echo "bench/cpu_per_request.sh: $PEERS/load.sh not found" >&2; exit 2; }
BODY="$PEERS/bodies/tools_call_add.json"

rounds=5 duration=4
specs=()
while (($#)); do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *=*) specs+=("$1"); shift ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
((${#specs[@]})) || { echo "name at least one NAME=BINARY" >&2; exit 2; }

LOG_DIR="$REPO_ROOT/.tools/logs"
mkdir -p "$LOG_DIR"
declare -A url pid samples
names=()
port=18700
for spec in "${specs[@]}"; do
  name="${spec%%=*}" rest="${spec#*=}"
  binary="${rest%%:*}" extra=""
  [[ "$rest" == *:* ]] && extra="${rest#*:}"
  port=$((port + 1))
  # shellcheck disable=SC2086 # the extra arguments are meant to split
  taskset -c 0 "$binary" --listen "127.0.0.1:$port" $extra >"$LOG_DIR/cpu-$name.log" 2>&1 &
  pid[$name]=$!
  url[$name]="http://127.0.0.1:$port/mcp"
  names+=("$name")
done
trap 'for n in "${names[@]}"; do kill "${pid[$n]}" 2>/dev/null || true; done' EXIT
for n in "${names[@]}"; do
  for _ in $(seq 100); do
    curl -sf -o /dev/null "${url[$n]%/mcp}/healthz" && break
    sleep 0.1
  done
done

cpu_ns() { awk '{ sum += $1 } END { print sum }' /proc/"$1"/task/*/schedstat; }
for ((r = 1; r <= rounds; r++)); do
  for n in "${names[@]}"; do
    before="$(cpu_ns "${pid[$n]}")"
    line="$(LOADGEN_CPU=1 "$PEERS/load.sh" "${url[$n]}" "$BODY" "$duration" 32)"
    after="$(cpu_ns "${pid[$n]}")"
    requests=0
    for kv in $line; do [[ "$kv" == requests=* ]] && requests="${kv#*=}"; done
    ns="$(awk -v a="$before" -v b="$after" -v n="$requests" 'BEGIN { printf "%.0f", (b - a) / (n ? n : 1) }')"
    echo "round $r $n cpu_ns_per_request=$ns $line"
    samples[$n]+="$ns "
  done
done

median() { printf '%s\n' $1 | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
base=""
for n in "${names[@]}"; do
  m="$(median "${samples[$n]}")"
  [[ -n "$base" ]] || base="$m"
  printf '%-12s median server CPU per request %8.0f ns   ratio %.3f\n' "$n" "$m" \
    "$(awk -v a="$m" -v b="$base" 'BEGIN { print a / b }')"
done
