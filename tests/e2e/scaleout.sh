#!/usr/bin/env bash
# tests/e2e/scaleout.sh — three crm-server replicas on one database behind nginx (Debian's
# package, run unprivileged-style from a temp prefix: round-robin, no affinity, keep-alive
# upstream, proxy_buffering off, passive health checks, retries; tests/e2e/scaleout/nginx.conf.template):
#   a. each replica answers /healthz directly, the balancer answers it too, and a legacy
#      initialize through the balancer issues no Mcp-Session-Id (nothing to stick to)
#   b. the official Python client (mcp==2.3.0), legacy handshake and 2026-07-28, through nginx
#      with tokens minted for the balancer's URL: tools/list, search, fetch, aggregate, the
#      Deep-Research gateway; one legacy session's requests land on several replicas
#   c. requests are spread round-robin (X-Upstream header and nginx's $upstream_addr log)
#   d. a 20 s load run through nginx (Python asyncio driver, 8 connections): 0 errors
#   e. the kill test: a steady driver records every request's send time, completion, status
#      and the replicas nginx tried; one replica is SIGKILLed mid-run; every failed request
#      must have been in flight on it at the kill instant, none may fail once nginx noticed
#      (1 s), the survivors keep answering every second, and the replica, restarted on its
#      port, takes traffic again (tests/e2e/scaleout/driver.py). Twice: a plain SIGKILL, and
#      a SIGKILL after a 0.5 s SIGSTOP, so that requests are surely in flight on the victim.
#   f. a graceful restart under load (SIGTERM: the replica finishes its in-flight requests and
#      exits; then it starts again): no request fails at all
# Database: PostgreSQL when `crm-server seed --database-url postgres://…` works (a fresh
# database crm_scaleout on 127.0.0.1:5432 per run), else — with a loud notice — one shared
# SQLite data dir; SCALEOUT_DB=postgres|sqlite forces one (tests/e2e/scaleout/cluster.sh).
# Usage: tests/e2e/scaleout.sh    Env: E2E_SKIP_BUILD=1, SCALEOUT_DB, SCALEOUT_PG_URL,
#   SCALEOUT_LOAD_SECS (20). Ends with "N passed, N failed". Takes about a minute.
set -euo pipefail
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

NOW=2026-11-01
LOAD_SECS="${SCALEOUT_LOAD_SECS:-20}"
e2e_ensure_venv
e2e_build_release crm-tools
# shellcheck source=tests/e2e/scaleout/cluster.sh
source "$E2E_DIR/scaleout/cluster.sh"
scaleout_ensure_nginx
work="$(mktemp -d)"
trap '_e2e_cleanup; rm -rf "$work"' EXIT
out="$work/out"

# add_counts FILE: fold a Python check script's "N passed, N failed" into this suite's counts.
add_counts() {
  local line f
  line="$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$1" | tail -n 1 || true)"
  if [[ -n "$line" ]]; then
    E2E_PASSED=$((E2E_PASSED + ${line%% passed*}))
    f="${line#*, }"; E2E_FAILED=$((E2E_FAILED + ${f%% failed*}))
  else
    e2e_fail "$2 died: $(tail -c 800 "$1")"
  fi
}

# ---- the cluster: one database, three replicas, nginx
scaleout_setup_db "$work/data" "$NOW"
printf 'database: %s%s\n' "$SCALEOUT_DB" "${SCALEOUT_DB_NOTE:+ (PostgreSQL not used: $SCALEOUT_DB_NOTE)}"
lb_port="$(e2e_free_port)"
scaleout_serve_args "http://127.0.0.1:$lb_port"
ports=()
for i in 1 2 3; do
  ports+=("$(e2e_free_port)")
  scaleout_start_replica "r$i" "${ports[i - 1]}"
done
declare -A pid=([r1]="${_E2E_PIDS[r1]}" [r2]="${_E2E_PIDS[r2]}" [r3]="${_E2E_PIDS[r3]}")
scaleout_start_nginx "$work/nginx" "$lb_port" 1 "${ports[@]}"
lb="http://127.0.0.1:$lb_port"
access="$work/nginx/logs/access.log"
replicas="127.0.0.1:${ports[0]},127.0.0.1:${ports[1]},127.0.0.1:${ports[2]}"

# ---- a. health
for i in 1 2 3; do
  body="$(curl -s --max-time 2 -w ' %{http_code}' "http://127.0.0.1:${ports[i - 1]}/healthz" || true)"
  if [[ "$body" == "ok 200" ]]; then e2e_pass "a. replica r$i answers GET /healthz directly: 200"; else e2e_fail "a. replica r$i /healthz: [$body]"; fi
done
if [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$lb/healthz")" == 200 ]]; then
  e2e_pass "a. GET /healthz through nginx: 200"
else
  e2e_fail "a. GET /healthz through nginx"
fi
admin="$(scaleout_mint --user 1)"
status="$(curl -s -o "$out" -D "$work/headers" -w '%{http_code}' --max-time 5 -H 'content-type: application/json' \
  -H 'accept: application/json, text/event-stream' -H "Authorization: Bearer $admin" "$lb/mcp" \
  -d '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"curl","version":"1"}}}')"
if [[ "$status" == 200 ]] && grep -q '"protocolVersion"' "$out" && ! grep -qi '^mcp-session-id:' "$work/headers"; then
  e2e_pass "a. a legacy initialize through nginx issues no Mcp-Session-Id (no state to stick to)"
else
  e2e_fail "a. initialize through nginx: status $status, headers: $(tr '\r\n' '  ' <"$work/headers")"
fi

# ---- b. the official Python client, both eras, through nginx
printf '{"admin": "%s", "dr": "%s"}\n' "$admin" "$(scaleout_mint --user 1 --gateway-path /deep-research/mcp)" >"$work/tokens.json"
set +e
(cd "$E2E_DIR" && e2e_python scaleout/client.py "$lb/mcp" "$lb/deep-research/mcp" "$work/tokens.json" \
  "$SCALEOUT_DATA/expected.json") >"$out" 2>&1
set -e
cat "$out"
add_counts "$out" "scaleout/client.py"
sleep 1.2 # nginx flushes its access-log buffer every second
for era in legacy 2026-07-28; do
  n="$(grep " phase=mcp-$era\$" "$access" | grep ' /mcp ' | sed -E 's/.* up=([^ ]+) .*/\1/' | sort -u | wc -l)"
  if ((n >= 2)); then
    e2e_pass "b. [mode=$era] one client session's requests were answered by $n different replicas (no affinity needed)"
  else
    e2e_fail "b. [mode=$era] the session's requests reached $n replica(s): $(grep " phase=mcp-$era\$" "$access" | head -n 5)"
  fi
done

# ---- c + d. load run through nginx: 0 errors, spread round-robin
e2e_log "load run: ${LOAD_SECS} s through nginx"
set +e
e2e_python "$E2E_DIR/scaleout/driver.py" run "$lb/mcp" --token "$admin" --out "$work/load.jsonl" \
  --concurrency 8 --duration "$LOAD_SECS" --phase load
sleep 1.2
e2e_python "$E2E_DIR/scaleout/driver.py" load-verdict "$work/load.jsonl" --replicas "$replicas" \
  --access-log "$access" --phase load >"$out" 2>&1
set -e
cat "$out"
add_counts "$out" "driver.py load-verdict"

# ---- e. kill one replica mid-run, twice:
#   plain:   SIGKILL r2 out of the blue (requests in flight on it at that instant: whatever
#            the timing gives, often none — a replica answers in a millisecond or two);
#   stalled: SIGSTOP r1 for 0.5 s first (a hung replica: nginx keeps sending it requests that
#            get no answer), then SIGKILL it — so requests are certainly in flight on it when it
#            dies, and only nginx's retry of non-idempotent requests saves them.
# kill_phase NAME REPLICA STALL_SECS
kill_phase() {
  local name="$1" r="$2" stall="$3" idx t_before t_after t_restart driver rc=0
  idx="${r#r}"
  e2e_log "kill test ($name): steady driver, SIGKILL $r after 4 s${stall:+ (stalled for ${stall} s first)}, restart it 4 s later"
  rm -f "$work/stop"
  e2e_python "$E2E_DIR/scaleout/driver.py" run "$lb/mcp" --token "$admin" --out "$work/kill-$name.jsonl" \
    --concurrency 8 --duration 90 --stop-file "$work/stop" --phase "kill-$name" &
  driver=$!
  sleep 4
  if [[ -n "$stall" ]]; then
    kill -STOP "${pid[$r]}"
    sleep "$stall"
  fi
  t_before="$(date +%s.%N)"
  kill -KILL "${pid[$r]}"
  t_after="$(date +%s.%N)"
  unset "_E2E_PIDS[$r]"
  wait "${pid[$r]}" 2>/dev/null || true
  e2e_log "$r (pid ${pid[$r]}) killed; restarting it on port ${ports[idx - 1]} in 4 s"
  sleep 4
  scaleout_start_replica "$r" "${ports[idx - 1]}"
  pid[$r]=$SCALEOUT_PID
  t_restart="$(date +%s.%N)"
  sleep 4
  touch "$work/stop"
  wait "$driver" || e2e_fail "e. [$name] the kill-test driver exited with an error"
  e2e_python "$E2E_DIR/scaleout/driver.py" kill-verdict "$work/kill-$name.jsonl" --replicas "$replicas" \
    --killed "127.0.0.1:${ports[idx - 1]}" --kill-before "$t_before" --kill-after "$t_after" \
    --restarted "$t_restart" --notice 1.0 --label "$name" ${stall:+--min-in-flight 1} >"$out" 2>&1 || rc=$?
  cat "$out"
  add_counts "$out" "driver.py kill-verdict ($name)"
  cp "$work/kill-$name.jsonl" "$E2E_LOG_DIR/scaleout-kill-$name.jsonl" 2>/dev/null || true
}
kill_phase plain r2 ""
kill_phase stalled r1 0.5

# ---- f. graceful restart: SIGTERM (finish in-flight requests, exit), start again
e2e_log "graceful restart: SIGTERM r3 under load, restart it"
set +e
e2e_python "$E2E_DIR/scaleout/driver.py" run "$lb/mcp" --token "$admin" --out "$work/drain.jsonl" \
  --concurrency 8 --duration 60 --stop-file "$work/stop-drain" --phase drain &
driver=$!
set -e
sleep 3
t_term="$(date +%s.%N)"
term_start=$SECONDS
kill -TERM "${pid[r3]}"
unset "_E2E_PIDS[r3]"
wait "${pid[r3]}" 2>/dev/null || true
e2e_log "r3 exited $((SECONDS - term_start)) s after SIGTERM; restarting it"
scaleout_start_replica r3 "${ports[2]}"
t_restart="$(date +%s.%N)"
sleep 4
touch "$work/stop-drain"
wait "$driver" || e2e_fail "f. the graceful-restart driver exited with an error"
set +e
e2e_python "$E2E_DIR/scaleout/driver.py" drain-verdict "$work/drain.jsonl" --replica "127.0.0.1:${ports[2]}" \
  --term "$t_term" --restarted "$t_restart" >"$out" 2>&1
set -e
cat "$out"
add_counts "$out" "driver.py drain-verdict"

noticed="$(grep -cE 'connect\(\) failed|prematurely closed|reset by peer|temporarily disabled' "$work/nginx/logs/error.log" || true)"
e2e_log "nginx error log: $noticed lines about the killed replica (refused/reset/disabled)"
cp "$access" "$E2E_LOG_DIR/scaleout-nginx-access.log" 2>/dev/null || true
cp "$work/nginx/logs/error.log" "$E2E_LOG_DIR/scaleout-nginx-error.log" 2>/dev/null || true
e2e_summary
