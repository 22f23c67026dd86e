#!/usr/bin/env bash
# Runs every libFuzzer target of a POLYTLS_FUZZ build for SECONDS each, on a
# copy of its seed corpus (tests/fuzz/corpus/<target>/, plus saved crash
# inputs from tests/fuzz/regressions/<target>/): nothing is written into the
# repository. Prints one line per target (runs, runs/s, coverage) and exits
# non-zero if any target crashed, leaked, timed out or could not run.
#
#   tests/fuzz/run_fuzzers.sh SECONDS BUILD_DIR [TARGET...]
#
# TARGET is a file name in BUILD_DIR/fuzz (fuzz_http,
# fuzz_server_handshake_openssl, ...); default: every target built there.
# Crash inputs and full logs are kept in BUILD_DIR/fuzz-runs/<target>/
# (POLYTLS_FUZZ_KEEP_CORPUS=1 keeps the grown corpus there too).
set -u
if [ $# -lt 2 ]; then
    echo "usage: $0 SECONDS BUILD_DIR [TARGET...]" >&2
    exit 2
fi
secs=$1
build=$(cd "$2" && pwd) || exit 2
shift 2
src=$(cd "$(dirname "$0")" && pwd)
case $secs in '' | *[!0-9]*)
    echo "$0: SECONDS must be a number" >&2
    exit 2
    ;;
esac

if [ $# -gt 0 ]; then
    targets=("$@")
else
    targets=()
    for f in "$build"/fuzz/fuzz_*; do
        [ -x "$f" ] && targets+=("$(basename "$f")")
    done
fi
if [ ${#targets[@]} -eq 0 ]; then
    echo "$0: no fuzz targets in $build/fuzz (configure with CC=clang -DPOLYTLS_FUZZ=ON)" >&2
    exit 2
fi

# The seed directory of a target: the handshake targets share one.
corpus_name() {
    case $1 in
    fuzz_server_handshake_*) echo fuzz_server_handshake ;;
    *) echo "$1" ;;
    esac
}
max_len() {
    case $1 in
    fuzz_options) echo 4096 ;;
    fuzz_http) echo 20000 ;;
    fuzz_clienthello) echo 70000 ;;
    *) echo 8192 ;;
    esac
}

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

work=$(mktemp -d "${TMPDIR:-/tmp}/polytls-fuzz.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
failed=0
for t in "${targets[@]}"; do
    bin=$build/fuzz/$t
    keep=$build/fuzz-runs/$t
    rm -rf "$keep"
    mkdir -p "$keep/artifacts" "$work/$t/corpus"
    name=$(corpus_name "$t")
    [ -d "$src/corpus/$name" ] && cp "$src/corpus/$name"/* "$work/$t/corpus/" 2>/dev/null
    [ -d "$src/regressions/$name" ] && cp "$src/regressions/$name"/* "$work/$t/corpus/" 2>/dev/null
    if [ ! -x "$bin" ]; then
        echo "$t: FAILED (not built: $bin)"
        failed=1
        continue
    fi
    log=$keep/log.txt
    start=$(date +%s)
    timeout -k 10 $((secs + 180)) "$bin" -max_total_time="$secs" -timeout=25 -rss_limit_mb=4096 \
        -max_len="$(max_len "$t")" -print_final_stats=1 -artifact_prefix="$keep/artifacts/" \
        "$work/$t/corpus" >"$log" 2>&1
    rc=$?
    elapsed=$(($(date +%s) - start))
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    stats=$(grep -E '^#[0-9]+.*cov: ' "$log" | tail -1)
    cov=$(echo "$stats" | sed -n 's/.*cov: \([0-9]*\).*/\1/p')
    ft=$(echo "$stats" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
    corp=$(echo "$stats" | sed -n 's/.* corp: \([0-9]*\).*/\1/p')
    [ -n "$runs" ] || runs=$(echo "$stats" | sed -n 's/^#\([0-9]*\).*/\1/p')
    artifacts=$(ls "$keep/artifacts" 2>/dev/null | wc -l)
    if [ $rc -eq 0 ] && [ "$artifacts" -eq 0 ]; then
        result=ok
    else
        failed=1
        result="FAILED (exit $rc, $artifacts crash input(s) in $keep/artifacts, log $log)"
        grep -m1 -E 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:|SUMMARY:' "$log" | sed 's/^/    /'
    fi
    printf '%s: %ss runs=%s runs/s=%s cov=%s ft=%s corpus=%s: %s\n' "$t" "$elapsed" "${runs:-?}" "${rate:-?}" \
        "${cov:-?}" "${ft:-?}" "${corp:-?}" "$result"
    if [ "${POLYTLS_FUZZ_KEEP_CORPUS:-0}" = 1 ]; then
        rm -rf "$keep/corpus"
        cp -r "$work/$t/corpus" "$keep/corpus"
    fi
    rm -rf "${work:?}/$t"
done
exit $failed
