#!/usr/bin/env bash
# Builds the libFuzzer targets and runs each for FUZZ_SECONDS (default 60), one after the other on
# one core. Usage: fuzz/run.sh [seconds] [target...]  (targets: tokenizer config request session http logformat acl clienthello proxy).
# New corpus entries go to .build-fuzz/corpus/<target> (kept between runs), crash inputs to
# .build-fuzz/artifacts/<target>/; the checked-in seeds in fuzz/corpus/<target> are only read.
# Exits non-zero when any target crashes, times out or runs out of memory.
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(tokenizer config request session http logformat acl clienthello proxy)
scratch=.build-fuzz
swift=${SWIFT:-swift}

# -enable-testing: the tokenizer target reaches the internal `Tokenizer` with @testable import.
"$swift" build --package-path fuzz --scratch-path "$scratch" -c release --sanitize=fuzzer \
    -Xswiftc -enable-testing || exit 1

failed=0
summary=()
for target in "${targets[@]}"; do
    product=Fuzz${target^}
    [ "$target" = http ] && product=FuzzHTTP
    [ "$target" = acl ] && product=FuzzACL
    [ "$target" = clienthello ] && product=FuzzClientHello
    [ -d "fuzz/corpus/$target" ] || { echo "unknown fuzz target: $target" >&2; exit 2; }
    mkdir -p "$scratch/corpus/$target" "$scratch/artifacts/$target"
    log=$scratch/fuzz-$target.log
    echo "== $target: $seconds s"
    # Without SWIFT_BACKTRACE=enable=no the Swift runtime's crash handler keeps libFuzzer from
    # writing the crash input.
    SWIFT_BACKTRACE=enable=no "$scratch/release/$product" "$scratch/corpus/$target" "fuzz/corpus/$target" \
        -max_total_time="$seconds" -timeout=10 -print_final_stats=1 \
        -artifact_prefix="$scratch/artifacts/$target/" >"$log" 2>&1
    status=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
    line=$(printf '%-10s executions %-11s cov %-6s' "$target" "${execs:-?}" "${cov:-?}")
    if [ $status -ne 0 ]; then
        failed=1
        line+=" FAILED (exit $status, log $log)"
        grep -E '^(==[0-9]+==|Fatal error|.*Fatal error:|SUMMARY|artifact_prefix|Test unit written)' "$log" | head -20
        echo "reproduce: SWIFT_BACKTRACE=enable=no $scratch/release/$product <crash file>"
    fi
    echo "$line"
    summary+=("$line")
done
echo "== fuzz summary ($seconds s per target)"
printf '%s\n' "${summary[@]}"
exit $failed
