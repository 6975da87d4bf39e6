#!/usr/bin/env bash
# bench/load.sh — tools/call throughput of example-hello next to the raw-axum upper bound
# (and, when it builds, the official Rust SDK rmcp), measured in the same run. The `auth`
# columns are example-auth (dev-mode auth, the same `add` tool behind the `calc` scope) called
# with a minted ES256 token: `example-auth` with the default verified-token cache (the token
# is checked once, then reused for 30 s), `auth-nocache` with --auth-cache-secs 0 (an ES256
# signature check on every request). Their gap to example-hello is the cost of auth.
#
# Usage: bench/load.sh [--no-rmcp] [--no-auth] [--rounds N] [--duration S] [--conns C]
#   defaults: 3 interleaved rounds, 10 s, 32 connections; median of the rounds per server.
#
# Needs the shared peer folder beside the repo (../shared/bench-peers: the peer servers, the
# request bodies and load.sh); exits 2 if it is missing. Builds example-hello in release mode
# (this workspace), the peers into .tools/bench-target/<peer> (their code is not copied into the
# repo), installs wrk with apt-get if missing. Servers are pinned to CPU 0 (taskset -c 0), wrk to
# CPU 1. Load goes to 127.0.0.1 only; every wrk run is bounded in time by the peer load.sh.
# Prints one line per measurement and a table: req/s, p50/p99 (ms) and the ratio to axum-raw.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SHARED="$(cd "$REPO_ROOT/.." && pwd)/shared"
PEERS="$SHARED/bench-peers"
if [[ ! -f "$PEERS/load.sh" || ! -d "$PEERS/peers/axum-raw" ]]; then
  echo "bench/load.sh: ../shared/bench-peers not found beside the repo (looked in $PEERS)." >&2
  echo "It holds the peer servers and the load script; this benchmark cannot run without it." >&2
  exit 2
fi

with_rmcp=1 with_auth=1 rounds=3 duration=10 conns=32
while (($#)); do
  case "$1" in
    --no-rmcp) with_rmcp=0; shift ;;
    --no-auth) with_auth=0; shift ;;
    --rounds) rounds="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --conns) conns="$2"; shift 2 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

# shellcheck source=tests/e2e/lib.sh
source "$REPO_ROOT/tests/e2e/lib.sh"

(($(nproc) >= 2)) || echo "bench/load.sh: warning: fewer than 2 CPUs; server and wrk will share one" >&2
command -v taskset >/dev/null || e2e_die "taskset not found (util-linux)"
if ! command -v wrk >/dev/null; then
  e2e_log "installing wrk (apt-get)"
  { apt-get update -qq && apt-get install -y -qq wrk; } >"$E2E_LOG_DIR/apt-wrk.log" 2>&1 \
    || { cat "$E2E_LOG_DIR/apt-wrk.log" >&2; e2e_die "apt-get install wrk failed"; }
fi

# ---- build
if ((with_auth)); then e2e_build_release example-hello example-auth; else e2e_build_release example-hello; fi
hello_bin="$(e2e_release_bin example-hello)"
build_peer() { # build_peer NAME -> prints the binary path, or nothing if the build failed
  local name="$1" tgt="$TOOLS_DIR/bench-target/$1" log="$E2E_LOG_DIR/bench-build-$1.log"
  e2e_log "building peer $name (release, target dir $tgt)"
  if timeout 900 cargo build --release --locked --manifest-path "$PEERS/peers/$name/Cargo.toml" \
       --target-dir "$tgt" >"$log" 2>&1; then
    printf '%s\n' "$tgt/release/$name"
  else
    e2e_log "peer $name did not build (log: $log)"
  fi
}
raw_bin="$(build_peer axum-raw)"
[[ -n "$raw_bin" ]] || e2e_die "axum-raw must build"
rmcp_bin=""
((with_rmcp)) && rmcp_bin="$(build_peer rmcp-add)"

# ---- start (all pinned to CPU 0; only one is under load at a time)
servers=(hello raw)
e2e_start_server hello taskset -c 0 "$hello_bin" --listen "127.0.0.1:{PORT}"
declare -A url=([hello]="$E2E_URL")
E2E_READY=http e2e_start_server raw taskset -c 0 "$raw_bin" "{PORT}"
url[raw]="$E2E_URL"
if [[ -n "$rmcp_bin" ]]; then
  E2E_READY=http e2e_start_server rmcp taskset -c 0 "$rmcp_bin" "{PORT}"
  url[rmcp]="$E2E_URL"
  servers+=(rmcp)
fi
declare -A headers=()
if ((with_auth)); then
  auth_data="$(mktemp -d)"
  trap 'rm -rf "$auth_data"; _e2e_cleanup' EXIT
  auth_bin="$(e2e_release_bin example-auth)"
  e2e_start_server auth taskset -c 0 "$auth_bin" --dev-auth --listen "127.0.0.1:{PORT}" --data-dir "$auth_data"
  url[auth]="$E2E_URL"
  token="$("$auth_bin" --listen "127.0.0.1:$E2E_PORT" --data-dir "$auth_data" token --sub bench --scope calc)"
  headers[auth]="Authorization: Bearer $token"
  e2e_start_server authnc taskset -c 0 "$auth_bin" --dev-auth --auth-cache-secs 0 \
    --listen "127.0.0.1:{PORT}" --data-dir "$auth_data"
  url[authnc]="$E2E_URL"
  token="$("$auth_bin" --listen "127.0.0.1:$E2E_PORT" --data-dir "$auth_data" token --sub bench --scope calc)"
  headers[authnc]="Authorization: Bearer $token"
  servers+=(auth authnc)
fi

body="$PEERS/bodies/tools_call_add.json"
# Sanity: one request each; a fast JSON-RPC error would otherwise look like great throughput.
for s in "${servers[@]}"; do
  resp="$(curl -s --max-time 5 -H 'Content-Type: application/json' \
    -H 'Accept: application/json, text/event-stream' -H 'MCP-Protocol-Version: 2025-06-18' \
    ${headers[$s]:+-H "${headers[$s]}"} --data-binary "@$body" "${url[$s]}")"
  if ! grep -q '"result"' <<<"$resp" || grep -q '"isError":true' <<<"$resp"; then
    e2e_die "$s did not answer tools/call add with a result: $resp"
  fi
done

# ---- measure: interleaved rounds
declare -A rps p50 p99 errs pid
pid[hello]=${_E2E_PIDS[hello]} pid[raw]=${_E2E_PIDS[raw]} pid[rmcp]=${_E2E_PIDS[rmcp]:-} pid[auth]=${_E2E_PIDS[auth]:-} pid[authnc]=${_E2E_PIDS[authnc]:-}
for ((r = 1; r <= rounds; r++)); do
  for s in "${servers[@]}"; do
    kill -0 "${pid[$s]}" 2>/dev/null \
      || e2e_die "$s (pid ${pid[$s]}) is gone before round $r; its log: $E2E_LOG_DIR/$s.log"
    line="$(EXTRA_HEADERS="${headers[$s]:-}" LOADGEN_CPU=1 "$PEERS/load.sh" "${url[$s]}" "$body" "$duration" "$conns")" \
      || e2e_die "load.sh failed against $s (${url[$s]}); server log: $E2E_LOG_DIR/$s.log"
    printf 'round %d %-5s %s\n' "$r" "$s" "$line"
    for kv in $line; do
      case "$kv" in
        rps=*) rps[$s]+="${kv#*=} " ;;
        p50_ms=*) p50[$s]+="${kv#*=} " ;;
        p99_ms=*) p99[$s]+="${kv#*=} " ;;
        errors=*) errs[$s]=$(( ${errs[$s]:-0} + ${kv#*=} )) ;;
      esac
    done
  done
done

# shellcheck disable=SC2086 # $1 is a space-separated list on purpose
median() { printf '%s\n' $1 | sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

printf '\ntools/call add — %d conns, %ss, median of %d interleaved rounds (server CPU 0, wrk CPU 1)\n' \
  "$conns" "$duration" "$rounds"
printf '%-14s %12s %10s %10s %8s %12s\n' server req/s p50_ms p99_ms errors vs_axum-raw
raw_rps="$(median "${rps[raw]}")"
for s in "${servers[@]}"; do
  m="$(median "${rps[$s]}")"
  name=$s; [[ $s == hello ]] && name=example-hello; [[ $s == raw ]] && name=axum-raw; [[ $s == rmcp ]] && name=rmcp-add; [[ $s == auth ]] && name=example-auth; [[ $s == authnc ]] && name=auth-nocache
  printf '%-14s %12.0f %10.3f %10.3f %8d %11.2fx\n' "$name" "$m" "$(median "${p50[$s]}")" \
    "$(median "${p99[$s]}")" "${errs[$s]:-0}" "$(awk -v a="$m" -v b="$raw_rps" 'BEGIN {print (b > 0) ? a / b : 0}')"
done
fail=0
for s in "${servers[@]}"; do ((${errs[$s]:-0} == 0)) || { e2e_log "$s had errors under load"; fail=1; }; done
exit "$fail"
