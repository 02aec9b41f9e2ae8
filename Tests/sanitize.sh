#!/usr/bin/env bash
# Runs the XCTest suites against a sanitized build (docs/reliability.md, "Sanitizers").
#   Tests/sanitize.sh address|thread [all|unit|integration]
# The build goes to its own scratch path (.build-asan, .build-tsan). The integration tests start
# the sanitized daemons (ORDREL_BIN_DIR); a child's report never fails XCTest by itself, so every
# sanitized process logs to one directory and any file found there after the run fails it.
# No UBSan: this toolchain's swift rejects -sanitize=undefined on Linux.
set -uo pipefail
cd "$(dirname "$0")/.."
SWIFT=${SWIFT:-swift}
sanitizer=${1:?usage: $0 address|thread [all|unit|integration]}
suites=${2:-all}
case $sanitizer in
  address) scratch=.build-asan ;;
  thread) scratch=.build-tsan ;;
  *) echo "unknown sanitizer '$sanitizer' (address or thread)" >&2; exit 2 ;;
esac
case $suites in
  all) filter=() ;;
  unit) filter=(--skip IntegrationTests) ;;
  integration) filter=(--filter IntegrationTests) ;;
  *) echo "unknown suites '$suites' (all, unit or integration)" >&2; exit 2 ;;
esac

flags=(--scratch-path "$scratch" --sanitize="$sanitizer")
started=$SECONDS
$SWIFT build --build-tests "${flags[@]}" || exit 1
built=$SECONDS

reports=$PWD/$scratch/sanitizer-reports
rm -rf "$reports" && mkdir -p "$reports"
export ASAN_OPTIONS="log_path=$reports/asan:detect_leaks=0"
export TSAN_OPTIONS="log_path=$reports/tsan"
# The tests start ordrel, ordrelctl and ordrel-model from ORDREL_BIN_DIR: wrappers that exec the
# sanitized binaries (same pid) with leak checking on. Leaks are checked in what ordrel ships,
# not in the XCTest process, whose leaks are its fixtures' and XCTest's own.
wrappers=$PWD/$scratch/sanitized-bin
rm -rf "$wrappers" && mkdir -p "$wrappers"
for binary in ordrel ordrelctl ordrel-model; do
  printf '#!/bin/sh\nASAN_OPTIONS="%s" exec "%s" "$@"\n' \
    "${ASAN_OPTIONS/detect_leaks=0/detect_leaks=1}" "$PWD/$scratch/debug/$binary" > "$wrappers/$binary"
  chmod +x "$wrappers/$binary"
done
export ORDREL_BIN_DIR=$wrappers
$SWIFT test --skip-build --disable-swift-testing "${flags[@]}" "${filter[@]}"
status=$?

found=$(find "$reports" -type f | sort)
for file in $found; do
  echo "=== sanitizer report: $file"
  cat "$file"
done
echo "Tests/sanitize.sh $sanitizer $suites: build $((built - started)) s, tests $((SECONDS - built)) s," \
  "$(echo -n "$found" | grep -c .) report file(s), XCTest status $status"
[ -z "$found" ] && [ $status -eq 0 ]
