#!/usr/bin/env bash
# tests/e2e/soak_smoke.sh — bench/soak.sh kept from rotting: a 30 s soak of a small data set must
# pass, and the driver's checks must bite:
#   1. 30 s, 2 000 contacts, 16 workers: no unexpected reply, no panic, server healthy, RSS
#      growth after a 10 s warm-up within 25 % (the full soak's limit is 5 % after 60 s; over
#      30 s the allocator and SQLite's page caches are still settling, so 5 % would be noise)
#   2. a ground truth off by one contact: calibration fails and names the wrong total
#   3. an impossible RSS limit (-100 %): the RSS check fails the run
#   4. the server SIGKILLed mid-run: the driver and the script report it and fail
# Usage: tests/e2e/soak_smoke.sh    Env: E2E_SOAK_SECS (default 30). Ends with "N passed, N failed".
set -euo pipefail
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

secs="${E2E_SOAK_SECS:-30}"
contacts=2000
work="$(mktemp -d)"
trap 'rm -rf "$work"; _e2e_cleanup' EXIT
soak=("$REPO_ROOT/bench/soak.sh" --contacts "$contacts" --conns 16)

# run NAME ARGS...: bench/soak.sh with ARGS, output in $work/NAME.out, exit code in $rc.
run() {
  local name="$1"
  shift
  rc=0
  "${soak[@]}" "$@" >"$work/$name.out" 2>&1 || rc=$?
  cat "$work/$name.out"
}

run pass --duration "$secs" --warmup 10 --max-rss-growth 25 --csv "$work/pass.csv"
rows=$(($(wc -l <"$work/pass.csv") - 1))
if ((rc == 0)) && grep -q '^verdict: *PASS' "$work/pass.out" && grep -q '^soak verdict: PASS' "$work/pass.out" \
  && grep -q '^errors: *0$' "$work/pass.out" && ((rows >= secs / 5)); then
  e2e_pass "a ${secs} s soak (${contacts} contacts) passes: 0 errors, no panic, RSS within 25 %, $rows CSV rows"
else
  e2e_fail "the ${secs} s soak: exit $rc, $rows CSV rows: $(grep -E 'ERROR|verdict|errors|FAIL|RSS' "$work/pass.out" | head -c 1500)"
fi

data="$REPO_ROOT/.tools/bench-crm-$contacts"
python3 - "$data/expected.json" "$work/wrong.json" <<'PY'
import json, sys
e = json.load(open(sys.argv[1]))
region = sorted(e["conversion_by_region"])[0]
e["conversion_by_region"][region]["created"] += 1
json.dump(e, open(sys.argv[2], "w"))
PY
run wrong --duration 10 --warmup 1 --expected "$work/wrong.json"
if ((rc != 0)) && grep -q 'calibration failed' "$work/wrong.out" && grep -q 'expected.json says' "$work/wrong.out"; then
  e2e_pass "a ground truth off by one fails calibration and names the total"
else
  e2e_fail "a wrong ground truth was not caught: exit $rc: $(tail -c 800 "$work/wrong.out")"
fi

run rss --duration 4 --warmup 1 --interval 1 --max-rss-growth -100
if ((rc != 0)) && grep -q 'RSS grew' "$work/rss.out" && grep -q '^errors: *0$' "$work/rss.out"; then
  e2e_pass "RSS growth above the limit fails the run (and only that)"
else
  e2e_fail "the RSS limit did not fail the run: exit $rc: $(tail -c 800 "$work/rss.out")"
fi

# 4. The server SIGKILLed mid-run: the driver must see it (errors, "the server died") and fail.
rc=0
"${soak[@]}" --duration 12 --warmup 1 --interval 1 >"$work/kill.out" 2>&1 &
runner=$!
pid=""
for ((i = 0; i < 300; i++)); do # up to 30 s for start-up and calibration
  if grep -q '^soak: [0-9]* checked requests' "$work/kill.out"; then
    pid="$(sed -n 's/.*soak-crm ready at .* (pid \([0-9]*\)).*/\1/p' "$work/kill.out")"
    break
  fi
  sleep 0.1
done
if [[ -n "$pid" ]]; then
  sleep 2
  kill -9 "$pid"
fi
wait "$runner" || rc=$?
cat "$work/kill.out"
if [[ -n "$pid" ]] && ((rc != 0)) && grep -q 'the server died' "$work/kill.out" \
  && grep -q 'no longer running' "$work/kill.out"; then
  e2e_pass "a server killed mid-run fails the soak (the driver and the script both see it)"
else
  e2e_fail "a killed server was not caught (pid '${pid}', exit $rc): $(tail -c 800 "$work/kill.out")"
fi

e2e_summary
