#!/usr/bin/env bash
# make soak: the release ordrel under mixed traffic for SOAK_SECONDS (600), then checks; exits 1 on
# any failure. See bench/soak/soak.py and docs/reliability.md (## Soak).
# Knobs (environment): SOAK_SECONDS (600), SOAK_PORT_BASE (27700: uses base..base+5 and base+10, +11),
# SOAK_RSS_MB (20) and SOAK_RSS_PCT (25: VmRSS may grow by the smaller of the two over the run),
# SOAK_SHORT_RATE (40 short connections/s), SOAK_STREAMS (2 long streams in flight),
# SOAK_STREAM_MB (16: each stream 1..this MiB),
# SOAK_RELOAD_EVERY (30: ordrel runs as `-W -db -S <master.sock>` and `reload` on the master CLI
#   comes every this many seconds; the checks then cover the master and the first and last workers.
#   0: one standalone `ordrel -db`, no reloads),
# SOAK_KEEP_TMP=1 (keep the config, logs and sockets), ORDREL_BIN/ORDRELCTL_BIN (skip the build).
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
PY=${PYTHON:-python3}

if [ -z "${ORDREL_BIN:-}" ]; then
    log=$(mktemp /tmp/ordrel-soak-build.XXXXXX)
    (cd "$ROOT" && swift build -c release >"$log" 2>&1) || { tail -20 "$log" >&2; rm -f "$log"; echo "soak: release build failed" >&2; exit 1; }
    rm -f "$log"
    ORDREL_BIN=$ROOT/.build/release/ordrel
fi
ORDRELCTL_BIN=${ORDRELCTL_BIN:-$(dirname "$ORDREL_BIN")/ordrelctl}
[ -x "$ORDREL_BIN" ] && [ -x "$ORDRELCTL_BIN" ] || { echo "soak: no ordrel/ordrelctl at $ORDREL_BIN" >&2; exit 1; }

args=(run --ordrel "$ORDREL_BIN" --ordrelctl "$ORDRELCTL_BIN" --seconds "${SOAK_SECONDS:-600}"
      --port-base "${SOAK_PORT_BASE:-27700}" --rss-mb "${SOAK_RSS_MB:-20}" --rss-pct "${SOAK_RSS_PCT:-25}"
      --short-rate "${SOAK_SHORT_RATE:-40}" --streams "${SOAK_STREAMS:-2}" --stream-mb "${SOAK_STREAM_MB:-16}"
      --reload-every "${SOAK_RELOAD_EVERY:-30}")
[ "${SOAK_KEEP_TMP:-0}" = 1 ] && args+=(--keep-tmp)
exec "$PY" "$HERE/soak.py" "${args[@]}"
