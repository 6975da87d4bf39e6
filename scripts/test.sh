#!/usr/bin/env bash
# The whole test suite, as CI runs it. Installs what it needs (Node 22, the conformance suite,
# the MCP Inspector, a Python venv with the `mcp` client) into .tools/ and .venv/.
#
#   scripts/test.sh            everything
#   SKIP_E2E=1 scripts/test.sh  only the Rust checks (lint, docs, unit/UI/router tests)
#
# The crm-tools store tests run on SQLite and on a real PostgreSQL server: the one at
# CRM_TEST_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres). When none
# answers on 127.0.0.1:5432, this installs Debian's (apt-get) and starts it. Set
# CRM_TEST_POSTGRES=skip to run only the SQLite half (the tests then say so loudly).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

step() { printf '\n==> %s\n' "$*"; }

# Makes sure a PostgreSQL server answers on 127.0.0.1:5432 and exports CRM_TEST_POSTGRES_URL.
ensure_postgres() {
  if [[ "${CRM_TEST_POSTGRES:-}" == skip ]]; then
    echo "!!! CRM_TEST_POSTGRES=skip: the PostgreSQL half of the store tests will NOT run"
    return
  fi
  export CRM_TEST_POSTGRES_URL="${CRM_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
  if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
    echo "PostgreSQL is up on 127.0.0.1:5432"
    return
  fi
  if ! command -v pg_ctlcluster >/dev/null 2>&1 || [[ -z "$(ls /etc/postgresql 2>/dev/null)" ]]; then
    echo "installing PostgreSQL (apt-get)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
  local version
  version="$(ls /etc/postgresql | sort -V | tail -n 1)"
  if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -qx "$version main"; then
    pg_createcluster "$version" main >/dev/null
  fi
  pg_ctlcluster "$version" main start || true
  for _ in $(seq 1 30); do
    pg_isready -q -h 127.0.0.1 -p 5432 && break
    sleep 1
  done
  if ! pg_isready -h 127.0.0.1 -p 5432; then
    echo "PostgreSQL did not start; see /var/log/postgresql/" >&2
    exit 1
  fi
  # A fresh Debian cluster asks TCP clients for a password: give the superuser a test one
  # (harmless where the server trusts local connections).
  if ! psql "$CRM_TEST_POSTGRES_URL" -qAtc 'SELECT 1' >/dev/null 2>&1; then
    su postgres -c "psql -qc \"ALTER USER postgres PASSWORD 'postgres'\"" >/dev/null
    export CRM_TEST_POSTGRES_URL="postgres://postgres:postgres@127.0.0.1:5432/postgres"
  fi
}

step "toolchain"
rustc -V
cargo -V

step "rustfmt"
cargo fmt --all -- --check

step "clippy (-D warnings)"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "docs (-D warnings)"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --locked

step "PostgreSQL for the store tests"
ensure_postgres

step "unit, doc, UI (trybuild) and in-process router tests (crm-tools stores: SQLite and PostgreSQL)"
cargo test --workspace --locked

if [[ "${SKIP_E2E:-0}" != 1 ]]; then
  step "end-to-end: conformance suites, Python mcp client, MCP Inspector CLI"
  bash tests/e2e/run-all.sh
fi
