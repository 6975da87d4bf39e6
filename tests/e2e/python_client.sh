#!/usr/bin/env bash
# tests/e2e/python_client.sh — runs tests/e2e/python_client.py (official Python client,
# mcp==2.3.0) against example-hello in modes legacy, 2026-07-28 and auto.
# Usage: tests/e2e/python_client.sh [--url URL] [--mode MODE ...]
#   --url URL   use an already running server instead of building/starting example-hello
# Env: E2E_SKIP_BUILD=1. Ends with "N passed, N failed"; exit 1 on any failure.
set -euo pipefail
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

url=""
args=()
while (($#)); do
  case "$1" in
    --url) url="$2"; shift 2 ;;
    --mode) args+=(--mode "$2"); shift 2 ;;
    -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

e2e_ensure_venv
if [[ -z "$url" ]]; then
  e2e_build_release example-hello
  e2e_start_server hello "$(e2e_release_bin example-hello)" --listen "127.0.0.1:{PORT}"
  url="$E2E_URL"
fi
e2e_python "$E2E_DIR/python_client.py" "$url" "${args[@]}"
