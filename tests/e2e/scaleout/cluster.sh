# shellcheck shell=bash
# tests/e2e/scaleout/cluster.sh — N crm-server replicas on one database behind nginx. Source it
# after tests/e2e/lib.sh; used by tests/e2e/scaleout.sh and bench/scaleout_load.sh.
#
#   scaleout_ensure_nginx              apt-get install nginx-light (or nginx) if nginx is missing
#   scaleout_setup_db DATA_DIR NOW [SEED_ARGS...]
#                                      seed the demo data once; PostgreSQL when it works, else
#                                      SQLite in DATA_DIR (see below). Sets SCALEOUT_DB
#                                      (postgres|sqlite), SCALEOUT_DB_ARGS (--database-url
#                                      postgres://… or sqlite://DATA_DIR/crm.sqlite) and
#                                      SCALEOUT_DB_NOTE. SCALEOUT_REUSE_SQLITE=1:
#                                      keep an already seeded SQLite DATA_DIR.
#   scaleout_serve_args RESOURCE_URL   sets SCALEOUT_SERVE_ARGS: the arguments every replica
#                                      shares (data dir, database, the balancer's URL as resource)
#   scaleout_start_replica NAME PORT [WRAPPER...]
#                                      start `crm-server serve` on 127.0.0.1:PORT (optionally
#                                      under e.g. `taskset -c 0`), wait for /healthz; tracked
#                                      in _E2E_PIDS (killed on exit); sets SCALEOUT_PID
#   scaleout_start_nginx PREFIX PORT WORKERS REPLICA_PORT...
#                                      render nginx.conf.template into PREFIX and run nginx in
#                                      the foreground (daemon off) as tracked process
#                                      $SCALEOUT_NGINX_NAME (default nginx); sets SCALEOUT_NGINX_PID
#   scaleout_mint ARGS...              `crm-server token` for the balancer's URL
#
# Database choice (env SCALEOUT_DB=auto|postgres|sqlite, default auto; SCALEOUT_PG_URL, default
# postgres://postgres@127.0.0.1:5432/crm_scaleout): auto drops and recreates that database and
# runs `crm-server seed --database-url` into it; if the server refuses postgres:// ("not
# supported yet", exit 2) it says so loudly and falls back to one SQLite file in DATA_DIR that
# every replica opens (WAL, read-only pooled connections). Only that exact refusal falls back:
# any other seed failure is an error (and the notice names crm-tools/src/store/postgres/ when
# the source has the store but the binary still refuses).
# No PostgreSQL server reachable: SQLite (auto) or an error (postgres).

SCALEOUT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SCALEOUT_BIN="${SCALEOUT_BIN:-$(e2e_release_bin crm-server)}"
SCALEOUT_PG_URL="${SCALEOUT_PG_URL:-postgres://postgres@127.0.0.1:5432/crm_scaleout}"
[[ -v SCALEOUT_NGINX_WRAPPER ]] || SCALEOUT_NGINX_WRAPPER=() # e.g. (taskset -c 1) to pin nginx

scaleout_ensure_nginx() {
  command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] && { PATH="$PATH:/usr/sbin"; return 0; }
  e2e_log "installing nginx (apt-get install nginx-light)"
  { apt-get update -qq && { apt-get install -y -qq nginx-light || apt-get install -y -qq nginx; }; } \
    >"$E2E_LOG_DIR/apt-nginx.log" 2>&1 \
    || { cat "$E2E_LOG_DIR/apt-nginx.log" >&2; e2e_die "apt-get install nginx failed"; }
  PATH="$PATH:/usr/sbin"
  command -v nginx >/dev/null || e2e_die "nginx still missing after apt-get (log: $E2E_LOG_DIR/apt-nginx.log)"
}

# The server's maintenance URL for SCALEOUT_PG_URL (same server, database "postgres").
_scaleout_pg_admin_url() { printf '%s/postgres\n' "${SCALEOUT_PG_URL%/*}"; }
_scaleout_pg_dbname() { local d="${SCALEOUT_PG_URL##*/}"; printf '%s\n' "${d%%\?*}"; }

_scaleout_notice() { # a notice nobody can miss in a CI log
  printf '[e2e] %s\n' "================================================================" >&2
  printf '[e2e] NOTICE: %s\n' "$@" >&2
  printf '[e2e] %s\n' "================================================================" >&2
}

scaleout_setup_db() {
  local data="$1" now="$2"; shift 2
  local mode="${SCALEOUT_DB:-auto}" admin db log="$E2E_LOG_DIR/scaleout-seed.log" rc=0
  local pg_store="$REPO_ROOT/crm-tools/src/store/postgres"
  SCALEOUT_DB="" SCALEOUT_DB_ARGS=() SCALEOUT_DB_NOTE=""
  mkdir -p "$data"
  case "$mode" in auto | postgres | sqlite) ;; *) e2e_die "SCALEOUT_DB=$mode: use auto, postgres or sqlite" ;; esac
  if [[ "$mode" != sqlite ]]; then
    admin="$(_scaleout_pg_admin_url)" db="$(_scaleout_pg_dbname)"
    if ! command -v psql >/dev/null; then
      SCALEOUT_DB_NOTE="psql not installed"
    elif ! psql "$admin" -qtAc 'select 1' >/dev/null 2>"$E2E_LOG_DIR/scaleout-psql.log"; then
      SCALEOUT_DB_NOTE="no PostgreSQL at ${admin%/*} ($(head -c 200 "$E2E_LOG_DIR/scaleout-psql.log"))"
    else
      # A fresh database per run.
      psql "$admin" -qtAc "drop database if exists \"$db\" with (force)" >/dev/null 2>&1 \
        && psql "$admin" -qtAc "create database \"$db\"" >/dev/null \
        || e2e_die "could not recreate database $db on ${admin%/*}"
      "$SCALEOUT_BIN" seed --data-dir "$data" --database-url "$SCALEOUT_PG_URL" --now "$now" "$@" >"$log" 2>&1 || rc=$?
      if ((rc == 0)); then
        SCALEOUT_DB=postgres SCALEOUT_DB_ARGS=(--database-url "$SCALEOUT_PG_URL")
        e2e_log "seeded PostgreSQL database $db (log: $log)"
      elif [[ "$mode" == postgres ]] || ! grep -q 'not supported yet' "$log"; then
        # A server that knows PostgreSQL and fails to seed it is a failure, never a fallback.
        cat "$log" >&2
        e2e_die "crm-server seed --database-url $SCALEOUT_PG_URL failed (exit $rc)"
      else
        SCALEOUT_DB_NOTE="this crm-server binary refuses postgres:// (\"$(grep -m1 -o 'PostgreSQL is not supported yet' "$log")\")"
        [[ -d "$pg_store" ]] && SCALEOUT_DB_NOTE+="; crm-tools/src/store/postgres/ exists, so the binary is older than the source or the CLI is not wired to it yet (rebuild: cargo build --release -p crm-tools)"
      fi
    fi
    if [[ -z "$SCALEOUT_DB" ]]; then
      [[ "$mode" == postgres ]] && e2e_die "SCALEOUT_DB=postgres but $SCALEOUT_DB_NOTE"
      _scaleout_notice "NOT testing PostgreSQL: $SCALEOUT_DB_NOTE." \
        "The replicas share ONE SQLite file instead (set SCALEOUT_DB=postgres to make this an error)."
    fi
  fi
  if [[ -z "$SCALEOUT_DB" && "${SCALEOUT_REUSE_SQLITE:-0}" == 1 && -f "$data/expected.json" && -f "$data/crm.sqlite" ]]; then
    SCALEOUT_DB=sqlite
    e2e_log "reusing the seeded SQLite $data/crm.sqlite"
  elif [[ -z "$SCALEOUT_DB" ]]; then
    "$SCALEOUT_BIN" seed --data-dir "$data" --database-url "sqlite://$data/crm.sqlite" --now "$now" "$@" >"$log" 2>&1 \
      || { cat "$log" >&2; e2e_die "crm-server seed --data-dir $data failed"; }
    SCALEOUT_DB=sqlite
    e2e_log "seeded SQLite $data/crm.sqlite (log: $log)"
  fi
  # SQLite: name the file explicitly, so a DATABASE_URL / CRM_DATABASE_URL in the environment
  # cannot send some process elsewhere.
  [[ "$SCALEOUT_DB" == sqlite ]] && SCALEOUT_DB_ARGS=(--database-url "sqlite://$data/crm.sqlite")
  SCALEOUT_DATA="$data"
}

scaleout_serve_args() {
  SCALEOUT_RESOURCE_URL="$1"
  # Dev auth: every replica reads the same signing key from the shared data dir (created once,
  # before the replicas start, so they cannot race to generate it) and uses the balancer's URL
  # as issuer and resource, so a token minted for the balancer is valid on every replica.
  SCALEOUT_SERVE_ARGS=(--data-dir "$SCALEOUT_DATA" "${SCALEOUT_DB_ARGS[@]}" --auth-resource-url "$SCALEOUT_RESOURCE_URL")
  scaleout_mint --user 1 >/dev/null || e2e_die "could not create the dev signing key in $SCALEOUT_DATA"
}

scaleout_mint() {
  local hostport="${SCALEOUT_RESOURCE_URL#http://}"
  "$SCALEOUT_BIN" token --listen "$hostport" --data-dir "$SCALEOUT_DATA" \
    --auth-resource-url "$SCALEOUT_RESOURCE_URL" "$@"
}

scaleout_start_replica() {
  local name="$1" port="$2" log="$E2E_LOG_DIR/scaleout-$1.log" i pid
  shift 2
  printf -- '---- %s start: %s\n' "$(date -u +%FT%T.%3NZ)" "$name" >>"$log"
  "$@" "$SCALEOUT_BIN" serve --listen "127.0.0.1:$port" "${SCALEOUT_SERVE_ARGS[@]}" >>"$log" 2>&1 &
  pid=$!
  _E2E_PIDS[$name]=$pid
  for ((i = 0; i < 300; i++)); do
    kill -0 "$pid" 2>/dev/null || { tail -n 40 "$log" >&2; unset "_E2E_PIDS[$name]"; e2e_die "$name exited during start-up"; }
    [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$port/healthz")" == 200 ]] && break
    sleep 0.1
  done
  ((i < 300)) || { tail -n 40 "$log" >&2; e2e_die "$name not ready on port $port after 30 s"; }
  SCALEOUT_PID=$pid
  e2e_log "$name ready on 127.0.0.1:$port (pid $pid)"
}

scaleout_start_nginx() {
  local prefix="$1" port="$2" workers="$3" p servers="" i name="${SCALEOUT_NGINX_NAME:-nginx}"
  shift 3
  for p in "$@"; do
    servers+="        server 127.0.0.1:$p max_fails=1 fail_timeout=2s;"$'\n'
  done
  mkdir -p "$prefix/logs" "$prefix/tmp"
  # Workers drop to an unprivileged user when nginx is started as root: let them reach tmp/.
  chmod 755 "$prefix" "$prefix/tmp"
  python3 - "${SCALEOUT_NGINX_TEMPLATE:-$SCALEOUT_DIR/nginx.conf.template}" "$prefix/nginx.conf" "$prefix" "127.0.0.1:$port" "$workers" "${servers%$'\n'}" <<'PY'
import sys
src, dst, prefix, listen, workers, servers = sys.argv[1:]
text = open(src).read()
for k, v in {"@@PREFIX@@": prefix, "@@LISTEN@@": listen, "@@WORKERS@@": workers, "@@SERVERS@@": servers}.items():
    text = text.replace(k, v)
assert "@@" not in text, text
open(dst, "w").write(text)
PY
  nginx -t -q -p "$prefix" -e "$prefix/logs/error.log" -c "$prefix/nginx.conf" 2>"$E2E_LOG_DIR/scaleout-nginx-t.log" \
    || { cat "$E2E_LOG_DIR/scaleout-nginx-t.log" "$prefix/logs/error.log" >&2; e2e_die "nginx -t rejected $prefix/nginx.conf"; }
  "${SCALEOUT_NGINX_WRAPPER[@]}" nginx -p "$prefix" -e "$prefix/logs/error.log" -c "$prefix/nginx.conf" >"$E2E_LOG_DIR/scaleout-$name.log" 2>&1 &
  SCALEOUT_NGINX_PID=$!
  _E2E_PIDS[$name]=$SCALEOUT_NGINX_PID
  for ((i = 0; i < 100; i++)); do
    kill -0 "$SCALEOUT_NGINX_PID" 2>/dev/null || { cat "$prefix/logs/error.log" >&2; unset "_E2E_PIDS[$name]"; e2e_die "$name exited"; }
    [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$port/healthz")" == 200 ]] && break
    sleep 0.1
  done
  ((i < 100)) || e2e_die "$name not answering /healthz on port $port"
  e2e_log "$name ready on 127.0.0.1:$port -> replicas $* (pid $SCALEOUT_NGINX_PID)"
}
