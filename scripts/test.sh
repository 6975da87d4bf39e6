#!/usr/bin/env bash
# The whole test suite, as CI runs it. Installs what it needs (Node 22, the conformance suite,
# the MCP Inspector, a Python venv with the `mcp` client) into .tools/ and .venv/.
#
#   scripts/test.sh            everything
#   SKIP_E2E=1 scripts/test.sh  only the Rust checks (lint, docs, unit/UI/router tests)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

step() { printf '\n==> %s\n' "$*"; }

step "toolchain"
rustc -V
cargo -V

step "rustfmt"
cargo fmt --all -- --check

step "clippy (-D warnings)"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "docs (-D warnings)"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --locked

step "unit, doc, UI (trybuild) and in-process router tests"
cargo test --workspace --locked

if [[ "${SKIP_E2E:-0}" != 1 ]]; then
  step "end-to-end: conformance suites, Python mcp client, MCP Inspector CLI"
  bash tests/e2e/run-all.sh
fi
