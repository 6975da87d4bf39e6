#!/usr/bin/env bash
# Runs the cargo-fuzz targets of fuzz/ one after another (one libFuzzer process, one core each)
# for a bounded time, then prints executions and crashes per target. Exits non-zero on any crash
# and leaves the reproducer under fuzz/artifacts/<target>/.
#
#   scripts/fuzz.sh [target…]        fuzz the named targets (default: all, fastest first)
#   scripts/fuzz.sh cmin [target…]   fold fuzz/corpus-work/<target> into fuzz/corpus/<target>
#                                    and minimize it (what gets committed)
#
# Environment: FUZZ_SECONDS (per target, default 300), FUZZ_RUNS (a run count instead of a
# time), FUZZ_SANITIZER (default none, see below), FUZZ_ARGS (extra libFuzzer flags),
# FUZZ_NO_BUILD=1 (fuzz the last build as it is).
#
# Sanitizer: `none` by default. The workspace forbids `unsafe` code, so AddressSanitizer would
# only watch the dependencies' unsafe code, for a full second build and a typical 2x slowdown on
# a machine where the router targets already run at a few thousand inputs a second; the bundled
# SQLite C library is not instrumented by rustc's sanitizer flags either way. Bugs here are
# panics and broken invariants, which libFuzzer catches without one. FUZZ_SANITIZER=address
# selects it (cargo-fuzz's default).
#
# RUSTC_BOOTSTRAP=1 lets stable rustc accept the -Z flags cargo-fuzz passes; it is set here
# only, for this build, and never for the workspace.
set -euo pipefail

cd "$(dirname "$0")/../fuzz"
all=(dsl_query bearer_token request_state search_crm_objects mcp_request)
mode=run
if [[ "${1:-}" == cmin ]]; then
    mode=cmin
    shift
fi
targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=("${all[@]}")
seconds="${FUZZ_SECONDS:-300}"
sanitizer="${FUZZ_SANITIZER:-none}"

if ! command -v cargo-fuzz >/dev/null; then
    cargo install cargo-fuzz --locked
fi
export RUSTC_BOOTSTRAP=1
# -a: debug assertions (overflow checks), as in the test profile.
build_flags=(-s "$sanitizer" -a)
if [[ -z "${FUZZ_NO_BUILD:-}" ]]; then
    cargo fuzz build "${build_flags[@]}"
fi
triple=$(rustc -vV | sed -n 's/^host: //p')

if [[ $mode == cmin ]]; then
    for t in "${targets[@]}"; do
        mkdir -p "corpus/$t" "corpus-work/$t" "artifacts/$t"
        merged=$(mktemp -d)
        # libFuzzer's merge keeps the smallest set of inputs with the union's coverage.
        "target/$triple/release/$t" -merge=1 -timeout=10 -rss_limit_mb=4096 \
            "$merged" "corpus/$t" "corpus-work/$t" >"artifacts/$t/cmin.log" 2>&1
        find "corpus/$t" -type f -delete
        mv "$merged"/* "corpus/$t"/
        rmdir "$merged"
        echo "$t: $(find "corpus/$t" -type f | wc -l) files, $(cat "corpus/$t"/* | wc -c) bytes"
    done
    exit 0
fi

if [[ -n "${FUZZ_RUNS:-}" ]]; then
    bound=(-runs="$FUZZ_RUNS")
else
    bound=(-max_total_time="$seconds")
fi
failed=0
rows=()
for t in "${targets[@]}"; do
    mkdir -p "corpus-work/$t" "artifacts/$t"
    log="artifacts/$t/last-run.log"
    start=$(date +%s)
    set +e
    # The binary built above, run directly: `cargo fuzz run` would rebuild whenever someone
    # edits the workspace meanwhile, and every target should fuzz the same build. The first
    # corpus dir receives new finds; the committed seeds are only read.
    # shellcheck disable=SC2086
    "target/$triple/release/$t" "corpus-work/$t" "corpus/$t" \
        "${bound[@]}" -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
        -artifact_prefix="artifacts/$t/" ${FUZZ_ARGS:-} >"$log" 2>&1
    rc=$?
    set -e
    wall=$(($(date +%s) - start))
    execs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || true)
    artifact=$(grep -o 'Test unit written to [^ ]*' "$log" | tail -1 | cut -d' ' -f5 || true)
    crashes=0
    # A slow-unit file is libFuzzer's note that one input ran longer than -report_slow_units
    # (10 s), e.g. while the machine was suspended or swamped; it exits 0 then. Reported, not
    # a failure: replay the file to see whether the input itself is slow.
    if [[ $rc -eq 0 && "$artifact" == */slow-unit-* ]]; then
        echo "$t: note: one input took $(grep -o 'slowest_unit_time_sec: *[0-9]*' "$log" | grep -o '[0-9]*$')s (fuzz/$artifact); replay it to check" >&2
        artifact=""
    fi
    if [[ $rc -ne 0 || -n "$artifact" ]]; then
        crashes=1
        failed=1
        echo "$t: CRASH (exit $rc), reproducer: fuzz/${artifact:-?}, log: fuzz/$log" >&2
        grep -m1 -A5 'panicked at\|ERROR: ' "$log" >&2 || tail -20 "$log" >&2
    fi
    rows+=("$(printf '%-20s %14s %8ss %8s  %s' "$t" "${execs:-?}" "$wall" "$crashes" "${artifact:+fuzz/$artifact}")")
done

printf '\n%-20s %14s %9s %8s  %s\n' target executions wall crashes artifact
printf '%s\n' "${rows[@]}"
exit $failed
