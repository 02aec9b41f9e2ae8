#!/usr/bin/env bash
# make bench-stall (also the last step of make bench): does a stats client stall proxied traffic?
# ordrel and haproxy in turn, on the same generated config (a frontend to an echo server and a
# backend of BENCH_STALL_SERVERS servers for `show stat` to walk). Each load is measured as
# round-trip percentiles of 4-byte echoes through the proxy, first without CLI load ("quiet"), then
# with it: `prompt` + `show info` x 2000, `prompt` + `show stat` x 50, and 4 clients each sending
# 32 KiB of garbage, all repeated until the phase ends. The two proxies take turns for
# BENCH_STALL_ROUNDS rounds (3) and the summary gives the median of each figure over the rounds,
# with the issue's two goals per load: loaded p99 / quiet p99 <= 1.5, and ordrel's loaded p99 /
# haproxy's <= 1. Knobs: BENCH_STALL_SECONDS (4), BENCH_STALL_ROUNDS (3), BENCH_STALL_SERVERS (2000),
# BENCH_NBTHREAD (nproc), BENCH_PORT_BASE (27400), ORDREL_BIN.
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
SECONDS_PER_PHASE=${BENCH_STALL_SECONDS:-4}
ROUNDS=${BENCH_STALL_ROUNDS:-3}
SERVERS=${BENCH_STALL_SERVERS:-2000}
NBTHREAD=${BENCH_NBTHREAD:-$(nproc)}
PORT_BASE=${BENCH_PORT_BASE:-27400}
PY=${PYTHON:-python3}
HAPROXY=$(command -v haproxy || echo /usr/sbin/haproxy)
TMP=$(mktemp -d /tmp/ordrel-stall.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$TMP"' EXIT

if [ -z "${ORDREL_BIN:-}" ]; then
    (cd "$ROOT" && swift build -c release >"$TMP/build.log" 2>&1) || { cat "$TMP/build.log"; exit 1; }
    ORDREL_BIN=$ROOT/.build/release/ordrel
fi
[ -x "$HAPROXY" ] || { echo "haproxy is not installed (apt-get install haproxy)" >&2; exit 1; }

ECHO_PORT=$PORT_BASE
FRONT_PORT=$((PORT_BASE + 1))
SOCK=$TMP/stats.sock
{
    printf 'global\n    nbthread %s\n    maxconn 4096\n    stats socket %s mode 600 level admin\n' "$NBTHREAD" "$SOCK"
    printf 'defaults\n    mode tcp\n    timeout connect 2s\n    timeout client 60s\n    timeout server 60s\n'
    printf 'listen echo\n    bind 127.0.0.1:%s\n    server e1 127.0.0.1:%s\n' "$FRONT_PORT" "$ECHO_PORT"
    printf 'backend many\n'
    for i in $(seq 1 "$SERVERS"); do printf '    server s%s 127.0.0.1:%s\n' "$i" $((20000 + i % 1000)); done
} >"$TMP/stall.cfg"

$PY "$HERE/lib/stall.py" echo --port "$ECHO_PORT" &
sleep 0.3

run_target() {  # round label command...
    local round=$1 label=$2; shift 2
    rm -f "$SOCK"
    "$@" -f "$TMP/stall.cfg" >"$TMP/$label.log" 2>&1 &
    local pid=$!
    for _ in $(seq 50); do [ -S "$SOCK" ] && break; sleep 0.1; done
    [ -S "$SOCK" ] || { echo "$label did not start:"; cat "$TMP/$label.log"; kill $pid; return 1; }
    for load in show-info show-stat garbage; do
        local clients=1
        [ "$load" = garbage ] && clients=4
        $PY "$HERE/lib/stall.py" measure --port "$FRONT_PORT" --sock "$SOCK" --load "$load" \
            --label "$label" --seconds "$SECONDS_PER_PHASE" --cli-clients $clients --round "$round"
    done
    kill $pid; wait $pid 2>/dev/null
}

for round in $(seq 1 "$ROUNDS"); do
    run_target "$round" ordrel "$ORDREL_BIN" -db
    run_target "$round" haproxy "$HAPROXY" -db
done | tee "$TMP/rows.jsonl"

$PY "$HERE/lib/stall.py" summary "$TMP/rows.jsonl"
