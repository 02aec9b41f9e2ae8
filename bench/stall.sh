#!/usr/bin/env bash
# make bench-stall (also the last step of make bench): does a stats client stall proxied traffic?
# ordrel and haproxy in turn, on the same generated config (a frontend to an echo server and a
# backend of BENCH_STALL_SERVERS servers for `show stat` to walk). Each load is measured as
# round-trip percentiles of 4-byte echoes through the proxy, first without CLI load ("quiet"), then
# with it: `prompt` + `show info` x 2000, `prompt` + `show stat` x 50, and 4 clients each sending
# 32 KiB of garbage, a scraper of the Prometheus exporter and one of the stats page (a `mode http`
# frontend of the same config, one request per connection), all repeated until the phase ends.
# Then (issue 16, item 4; needs nginx and wrk) keep-alive HTTP through the proxy to nginx,
# `wrk -t2 -c50` for BENCH_STALL_SECONDS, quiet and while 8 clients each loop on `show stat` (one
# query per connection). The two proxies take turns for
# BENCH_STALL_ROUNDS rounds (3) and the summary gives the median of each figure over the rounds,
# with the issue's two goals per load: loaded p99 / quiet p99 <= 1.5, and ordrel's loaded p99 /
# haproxy's <= 1. Knobs: BENCH_STALL_SECONDS (4), BENCH_STALL_ROUNDS (3), BENCH_STALL_SERVERS (2000),
# BENCH_NBTHREAD (nproc), BENCH_PORT_BASE (27400), BENCH_STALL_WRK (1; 0 skips the wrk row), ORDREL_BIN,
# BENCH_STALL_BASE_BIN (another ordrel binary, e.g. main's, run as target "base" in every round for
# an A/B in the same run), BENCH_STALL_ELSEWHERE (1; 0 skips the control target "elsewhere": ordrel
# carries the round trips while the same CLI load goes to a second ordrel on the same config, so the
# machine is as busy as in the real row but the proxy in the path answers no CLI; its loaded/quiet
# ratio is what the load generators alone cost the round trips on this machine).
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
SECONDS_PER_PHASE=${BENCH_STALL_SECONDS:-4}
ROUNDS=${BENCH_STALL_ROUNDS:-3}
SERVERS=${BENCH_STALL_SERVERS:-2000}
NBTHREAD=${BENCH_NBTHREAD:-$(nproc)}
PORT_BASE=${BENCH_PORT_BASE:-27400}
WRK_ROW=${BENCH_STALL_WRK:-1}
ELSEWHERE=${BENCH_STALL_ELSEWHERE:-1}
PY=${PYTHON:-python3}
HAPROXY=$(command -v haproxy || echo /usr/sbin/haproxy)
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
TMP=$(mktemp -d /tmp/ordrel-stall.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$TMP"' EXIT

if [ -z "${ORDREL_BIN:-}" ]; then
    (cd "$ROOT" && swift build -c release >"$TMP/build.log" 2>&1) || { cat "$TMP/build.log"; exit 1; }
    ORDREL_BIN=$ROOT/.build/release/ordrel
fi
[ -x "$HAPROXY" ] || { echo "haproxy is not installed (apt-get install haproxy)" >&2; exit 1; }
if [ "$WRK_ROW" = 1 ] && { [ ! -x "$NGINX" ] || ! command -v wrk >/dev/null; }; then
    echo "nginx or wrk is not installed (apt-get install nginx-light wrk): no wrk row" >&2
    WRK_ROW=0
fi

ECHO_PORT=$PORT_BASE
FRONT_PORT=$((PORT_BASE + 1))
NGINX_PORT=$((PORT_BASE + 2))
HTTP_PORT=$((PORT_BASE + 3))
MONITOR_PORT=$((PORT_BASE + 4))
SOCK=$TMP/stats.sock
{
    printf 'global\n    nbthread %s\n    maxconn 4096\n    stats socket %s mode 600 level admin\n' "$NBTHREAD" "$SOCK"
    printf 'defaults\n    mode tcp\n    timeout connect 2s\n    timeout client 60s\n    timeout server 60s\n'
    printf 'listen echo\n    bind 127.0.0.1:%s\n    server e1 127.0.0.1:%s\n' "$FRONT_PORT" "$ECHO_PORT"
    printf 'listen http\n    bind 127.0.0.1:%s\n    server nginx 127.0.0.1:%s\n' "$HTTP_PORT" "$NGINX_PORT"
    printf 'frontend monitor\n    bind 127.0.0.1:%s\n    mode http\n    stats enable\n    stats uri /stats\n' "$MONITOR_PORT"
    printf '    http-request use-service prometheus-exporter if { path /metrics }\n'
    printf 'backend many\n'
    for i in $(seq 1 "$SERVERS"); do printf '    server s%s 127.0.0.1:%s\n' "$i" $((20000 + i % 1000)); done
} >"$TMP/stall.cfg"
# The control's second ordrel: the same config on ports and a socket of its own.
sed -e "s#$SOCK#$TMP/other.sock#" -e "s#127.0.0.1:$FRONT_PORT\$#127.0.0.1:$((PORT_BASE + 11))#" \
    -e "s#127.0.0.1:$HTTP_PORT\$#127.0.0.1:$((PORT_BASE + 13))#" \
    -e "s#127.0.0.1:$MONITOR_PORT\$#127.0.0.1:$((PORT_BASE + 14))#" "$TMP/stall.cfg" >"$TMP/other.cfg"

$PY "$HERE/lib/stall.py" echo --port "$ECHO_PORT" &
if [ "$WRK_ROW" = 1 ]; then
    mkdir -p "$TMP/www" "$TMP/nginx"
    head -c 1024 /dev/zero | tr '\0' 'o' >"$TMP/www/1k.bin"
    . "$HERE/lib/nginx.sh"
    nginx_conf "$TMP/nginx" "$NGINX_PORT" "$TMP/www" >"$TMP/nginx/nginx.conf"
    "$NGINX" -e "$TMP/nginx/error.log" -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" -g 'daemon off;' &
fi
sleep 0.3

run_target() {  # round label command...
    local round=$1 label=$2; shift 2
    local cli_sock=$SOCK monitor=$MONITOR_PORT other=""
    rm -f "$SOCK" "$TMP/other.sock"
    "$@" -f "$TMP/stall.cfg" >"$TMP/$label.log" 2>&1 &
    local pid=$!
    if [ "$label" = elsewhere ]; then
        cli_sock=$TMP/other.sock monitor=$((PORT_BASE + 14))
        "$@" -f "$TMP/other.cfg" >"$TMP/other.log" 2>&1 &
        other=$!
    fi
    for _ in $(seq 50); do [ -S "$SOCK" ] && [ -S "$cli_sock" ] && break; sleep 0.1; done
    [ -S "$SOCK" ] && [ -S "$cli_sock" ] || { echo "$label did not start:"; cat "$TMP/$label.log"; kill $pid $other; return 1; }
    for load in show-info show-stat garbage metrics page; do
        local clients=1
        [ "$load" = garbage ] && clients=4
        $PY "$HERE/lib/stall.py" measure --port "$FRONT_PORT" --sock "$cli_sock" --http-port "$monitor" --load "$load" \
            --label "$label" --seconds "$SECONDS_PER_PHASE" --cli-clients $clients --round "$round"
    done
    if [ "$WRK_ROW" = 1 ]; then
        $PY "$HERE/lib/stall.py" wrk --url "http://127.0.0.1:$HTTP_PORT/1k.bin" --sock "$cli_sock" \
            --label "$label" --seconds "$SECONDS_PER_PHASE" --cli-clients 8 --round "$round"
    fi
    kill $pid $other; wait $pid $other 2>/dev/null
}

for round in $(seq 1 "$ROUNDS"); do
    run_target "$round" ordrel "$ORDREL_BIN" -db
    run_target "$round" haproxy "$HAPROXY" -db
    if [ -n "${BENCH_STALL_BASE_BIN:-}" ]; then run_target "$round" base "$BENCH_STALL_BASE_BIN" -db; fi
    if [ "$ELSEWHERE" = 1 ]; then run_target "$round" elsewhere "$ORDREL_BIN" -db; fi
done | tee "$TMP/rows.jsonl"

$PY "$HERE/lib/stall.py" summary "$TMP/rows.jsonl"
