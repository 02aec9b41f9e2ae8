#!/usr/bin/env bash
# make bench: ordrel vs haproxy vs direct (no proxy) on 127.0.0.1, in one run, targets interleaved.
# Both proxies read the same generated haproxy-format config. See docs/performance.md.
# Knobs (environment): BENCH_REPS (3), BENCH_WRK_SECONDS (2), BENCH_IPERF_SECONDS (2), BENCH_HOLD (2000),
# BENCH_STATS_N (2000 queries with 1 client, 4x that with 8), BENCH_CLOSE_COUNT (3000), BENCH_CLOSE_SECONDS (2), BENCH_NBTHREAD (nproc),
# BENCH_PORT_BASE (27000), BENCH_MAX_SECONDS (280: no repetition starts that would end later),
# BENCH_SAVE=1 (also copy the JSON lines to bench/results/), BENCH_KEEP_TMP=1, ORDREL_BIN/ORDRELCTL_BIN,
# BENCH_FLAT (1; 0 skips the flatness step), BENCH_FLAT_WRK_SECONDS (1), BENCH_FLAT_LOW (100), BENCH_FLAT_HIGH (10000: lowered to what the
# fd hard limit allows, see below), BENCH_ORDREL_NT1 (0; 1 adds the target "ordrel nt1": ordrel on the nbthread-1
# config copy haproxy nt1 uses; adds about a quarter to the run time, so the default run stays under 5 minutes).
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
LIB=$HERE/lib
REPS=${BENCH_REPS:-3}
WRK_SECONDS=${BENCH_WRK_SECONDS:-2}
IPERF_SECONDS=${BENCH_IPERF_SECONDS:-2}
HOLD=${BENCH_HOLD:-2000}
STATS_N=${BENCH_STATS_N:-2000}
CLOSE_COUNT=${BENCH_CLOSE_COUNT:-3000}
CLOSE_SECONDS=${BENCH_CLOSE_SECONDS:-2}
NBTHREAD=${BENCH_NBTHREAD:-$(nproc)}
PORT_BASE=${BENCH_PORT_BASE:-27000}
MAX_SECONDS=${BENCH_MAX_SECONDS:-280}
FLAT=${BENCH_FLAT:-1}
ORDREL_NT1=${BENCH_ORDREL_NT1:-0}
# Each flatness wrk run is short so three repetitions fit in the time limit.
FLAT_WRK_SECONDS=${BENCH_FLAT_WRK_SECONDS:-1}
FLAT_LOW=${BENCH_FLAT_LOW:-100}
FLAT_WANTED=${BENCH_FLAT_HIGH:-10000}
PY=${PYTHON:-python3}
BENCH_START=$SECONDS

say() { printf '[bench %3ds] %s\n' $((SECONDS - BENCH_START)) "$*" >&2; }
die() { say "FATAL: $*"; exit 1; }

# --- Debian packages ------------------------------------------------------------------------------
need=""
for pair in haproxy:haproxy nginx:nginx-light wrk:wrk iperf3:iperf3 socat:socat; do
    command -v "${pair%%:*}" >/dev/null 2>&1 || [ -x "/usr/sbin/${pair%%:*}" ] || need="$need ${pair#*:}"
done
if [ -n "$need" ]; then
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
    say "installing:$need"
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $need >/dev/null \
        || die "apt-get install$need failed"
fi
HAPROXY=$(command -v haproxy || echo /usr/sbin/haproxy)
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

# --- ordrel release build (whole-module optimised, as shipped); the mode is recorded.
BUILD_MODE="given by ORDREL_BIN"
if [ -z "${ORDREL_BIN:-}" ]; then
    cd "$ROOT" || die "no $ROOT"
    swift build -c release >"/tmp/ordrel-bench-build.$$.log" 2>&1 \
        || { tail -20 "/tmp/ordrel-bench-build.$$.log" >&2; rm -f "/tmp/ordrel-bench-build.$$.log"; die "ordrel release build failed"; }
    BIN_DIR=$ROOT/.build/release; BUILD_MODE="swift build -c release"
    rm -f "/tmp/ordrel-bench-build.$$.log"
    ORDREL_BIN=$BIN_DIR/ordrel
    ORDRELCTL_BIN=${ORDRELCTL_BIN:-$BIN_DIR/ordrelctl}
fi
ORDRELCTL_BIN=${ORDRELCTL_BIN:-$(dirname "$ORDREL_BIN")/ordrelctl}
[ -x "$ORDREL_BIN" ] || die "no ordrel binary at $ORDREL_BIN"
[ -x "$ORDRELCTL_BIN" ] || die "no ordrelctl binary at $ORDRELCTL_BIN"
say "ordrel: $ORDREL_BIN ($BUILD_MODE)"

# --- temp dir, process bookkeeping, cleanup -------------------------------------------------------
TMP=$(mktemp -d /tmp/ordrel-bench.XXXXXX) || die "mktemp failed"
chmod 755 "$TMP"
mkdir -p "$TMP/logs" "$TMP/out" "$TMP/www" "$TMP/nginx"
PIDS=()

# Each long-running process starts in its own process group (setsid), so stopping it also stops
# its children (nginx's worker). Only these groups are ever signalled.
start_bg() {  # name cmd... ; sets LAST_PID
    local name=$1; shift
    setsid "$@" >"$TMP/logs/$name.log" 2>&1 </dev/null &
    LAST_PID=$!
    PIDS+=("$LAST_PID")
}
stop_pid() {
    local pid=$1 i
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null; return 0; }
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null
    for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null; fi
    wait "$pid" 2>/dev/null
    # a group member that outlived its leader (should not happen)
    pkill_group_left "$pid"
    return 0
}
pkill_group_left() {
    local pgid=$1 p
    for p in $(ps -e -o pid=,pgid= | awk -v g="$pgid" '$2 == g { print $1 }'); do kill -KILL "$p" 2>/dev/null; done
}
cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do stop_pid "$pid"; done
    if [ "${BENCH_KEEP_TMP:-0}" = 1 ]; then say "kept $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT
trap 'say "interrupted"; exit 130' INT TERM HUP

port_listening() { [ -n "$(ss -Hltn "sport = :$1" 2>/dev/null)" ]; }
wait_port() {  # port seconds pid
    local i
    for i in $(seq 1 $(( $2 * 20 ))); do
        port_listening "$1" && return 0
        [ -n "${3:-}" ] && ! kill -0 "$3" 2>/dev/null && return 1
        sleep 0.05
    done
    return 1
}

# --- ports and configuration ----------------------------------------------------------------------
P_NGINX=$((PORT_BASE + 80)); P_IPERF=$((PORT_BASE + 201)); P_CLOSE=$((PORT_BASE + 42)); P_IDLE=$((PORT_BASE + 50))
F_HTTP=$((PORT_BASE + 1080)); F_IPERF=$((PORT_BASE + 1201)); F_CLOSE=$((PORT_BASE + 1042)); F_IDLE=$((PORT_BASE + 1050))
F_STATS=$((PORT_BASE + 1090))
for p in $P_NGINX $P_IPERF $P_CLOSE $P_IDLE $F_HTTP $F_IPERF $F_CLOSE $F_IDLE; do
    port_listening "$p" && die "port $p is already in use on this machine; set BENCH_PORT_BASE"
done
STATS_SOCK=$TMP/stats.sock

# No 'option tcplog': haproxy logs nothing without a 'log' target, but ordrel (f1c4f44) writes every
# tcplog line to stderr, which would make the two do different work per connection.
gen_config() {  # nbthread file [maxconn]
    cat >"$2" <<CFG
# Generated by bench/run.sh: read unchanged by ordrel and haproxy (only nbthread differs per row).
global
    maxconn ${3:-8000}
    nbthread $1
    stats socket $STATS_SOCK mode 600 level admin
    stats timeout 30s

defaults
    mode tcp
    option dontlognull
    maxconn ${3:-8000}
    timeout connect 5s
    timeout client 30s
    timeout server 30s

listen http
    bind 127.0.0.1:$F_HTTP
    balance roundrobin
    server nginx 127.0.0.1:$P_NGINX

listen iperf
    bind 127.0.0.1:$F_IPERF
    balance roundrobin
    server iperf3 127.0.0.1:$P_IPERF

listen close
    bind 127.0.0.1:$F_CLOSE
    balance roundrobin
    server closer 127.0.0.1:$P_CLOSE

listen idle
    bind 127.0.0.1:$F_IDLE
    balance roundrobin
    server holder 127.0.0.1:$P_IDLE

# The stats page and the Prometheus exporter, as monitoring scrapes them.
frontend stats
    bind 127.0.0.1:$F_STATS
    mode http
    timeout client 30s
    stats enable
    stats uri /stats
    http-request use-service prometheus-exporter if { path /metrics }
CFG
}
CFG_N=$TMP/bench.cfg
CFG_1=$TMP/bench-nbthread1.cfg
gen_config "$NBTHREAD" "$CFG_N"
gen_config 1 "$CFG_1"
"$HAPROXY" -c -q -f "$CFG_N" || die "haproxy rejects the generated config"
"$ORDREL_BIN" -c -q -f "$CFG_N" || die "ordrel rejects the generated config"
if [ "$ORDREL_NT1" = 1 ]; then "$ORDREL_BIN" -c -q -f "$CFG_1" || die "ordrel rejects the generated nbthread-1 config"; fi

# --- the flatness step's fd budget ----------------------------------------------------------------
# Holding H idle connections through a proxy costs it 2H fds (client side + server side), plus 2 per
# wrk connection (50) and its listeners; the holder needs 2H too (its clients and its backend's
# accepted sockets). haproxy (strict-limits) and ordrel both refuse to start when maxconn needs more
# fds than they can get, so: try to raise the hard limit to what FLAT_WANTED needs (works only with
# CAP_SYS_RESOURCE), else use the hard limit as it is, and lower H and maxconn to fit it. The proxies
# and the holder of this step start under `ulimit -n $NOFILE`; everything else keeps the usual limit.
# The step uses its own copy of the config (maxconn FLAT_MAXCONN), so the other rows are unchanged.
FLAT_HIGH=0; FLAT_MAXCONN=0; NOFILE=$(ulimit -Hn)
if [ "$FLAT" = 1 ]; then
    want=$(( 2 * (FLAT_WANTED + 100) + 64 ))
    [ "$NOFILE" = unlimited ] && NOFILE=$want
    if [ "$NOFILE" -lt "$want" ] && (ulimit -n "$want") 2>/dev/null; then NOFILE=$want; fi
    [ "$NOFILE" -gt "$want" ] && NOFILE=$want
    FLAT_MAXCONN=$(( FLAT_WANTED + 100 )); fit=$(( (NOFILE - 64) / 2 ))
    [ "$FLAT_MAXCONN" -gt "$fit" ] && FLAT_MAXCONN=$fit
    FLAT_HIGH=$(( FLAT_MAXCONN - 100 ))
    if [ "$FLAT_HIGH" -le "$FLAT_LOW" ]; then
        say "flatness step skipped: the fd hard limit $NOFILE leaves room for only $FLAT_HIGH held connections"
        FLAT=0; FLAT_HIGH=0
    else
        [ "$FLAT_HIGH" -lt "$FLAT_WANTED" ] && say "flatness step: fd hard limit $NOFILE (no CAP_SYS_RESOURCE to raise it): holding $FLAT_HIGH, not $FLAT_WANTED"
        CFG_FLAT_N=$TMP/bench-flat.cfg
        CFG_FLAT_1=$TMP/bench-flat-nbthread1.cfg
        gen_config "$NBTHREAD" "$CFG_FLAT_N" "$FLAT_MAXCONN"
        gen_config 1 "$CFG_FLAT_1" "$FLAT_MAXCONN"
        "$HAPROXY" -c -q -f "$CFG_FLAT_N" || die "haproxy rejects the generated flatness config"
        "$ORDREL_BIN" -c -q -f "$CFG_FLAT_N" || die "ordrel rejects the generated flatness config"
        if [ "$ORDREL_NT1" = 1 ]; then "$ORDREL_BIN" -c -q -f "$CFG_FLAT_1" || die "ordrel rejects the generated nbthread-1 flatness config"; fi
    fi
fi
# runs "$@" with the flatness step's fd limit (soft and hard when allowed, else soft only)
NOFILE_WRAP=(bash -c 'ulimit -n "$0" 2>/dev/null || ulimit -Sn "$0" || exit 97; exec "$@"' "$NOFILE")

# --- results file ---------------------------------------------------------------------------------
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
# recorded only when the extra target runs, so a default run's meta line is as it always was
ORDREL_NT1_PARAM=""; [ "$ORDREL_NT1" = 1 ] && ORDREL_NT1_PARAM=', "ordrel_nt1": 1'
OUT=$TMP/out/$STAMP.jsonl
"$PY" - "$OUT" <<PYMETA
import json, os, platform, subprocess, sys, time
def first(cmd):
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=10)
        return (r.stdout + r.stderr).strip().splitlines()[0]
    except Exception as e:
        return f"unknown ({e})"
model = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "unknown")
meta = {"type": "meta", "time": time.time(), "stamp": "$STAMP",
        "machine": {"nproc": os.cpu_count(), "cpu_model": model, "kernel": platform.release(),
                    "mem_total": next(l.split(":")[1].strip() for l in open("/proc/meminfo") if l.startswith("MemTotal"))},
        "versions": {"ordrel": first(["$ORDREL_BIN", "-v"]), "haproxy": first(["$HAPROXY", "-v"]),
                     "nginx": first(["$NGINX", "-v"]), "wrk": first(["wrk", "-v"]), "iperf3": first(["iperf3", "-v"]),
                     "ordrel_git": first(["git", "-C", "$ROOT", "describe", "--always", "--dirty"])},
        "build": "$BUILD_MODE",
        "params": {"reps": $REPS, "wrk_seconds": $WRK_SECONDS, "wrk_connections": 50, "wrk_threads": 2,
                   "iperf_seconds": $IPERF_SECONDS, "hold": $HOLD, "stats_queries": $STATS_N,
                   "close_count": $CLOSE_COUNT, "close_seconds": $CLOSE_SECONDS, "nbthread": $NBTHREAD,
                   "nginx_workers": 1, "file_bytes": 1024,
                   "flat": $FLAT, "flat_low": $FLAT_LOW, "flat_high": $FLAT_HIGH, "flat_wanted": $FLAT_WANTED,
                   "flat_maxconn": $FLAT_MAXCONN, "flat_nofile": $NOFILE$ORDREL_NT1_PARAM}}
open(sys.argv[1], "a").write(json.dumps(meta) + "\n")
PYMETA

snap() { "$PY" "$LIB/envsample.py" snap $$; }
envdelta() { "$PY" "$LIB/envsample.py" delta "$1" "$2"; }
record() { "$PY" "$LIB/results.py" record "$OUT" "$@"; }

# --- backends -------------------------------------------------------------------------------------
head -c 1024 /dev/zero | tr '\0' 'o' >"$TMP/www/1k.bin"
. "$LIB/nginx.sh"
nginx_conf "$TMP/nginx" "$P_NGINX" "$TMP/www" >"$TMP/nginx/nginx.conf"
start_bg nginx "$NGINX" -e "$TMP/nginx/error.log" -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" -g 'daemon off;'
wait_port $P_NGINX 5 "$LAST_PID" || { cat "$TMP/logs/nginx.log" "$TMP/nginx/error.log" >&2; die "nginx did not start"; }
start_bg iperf3 iperf3 -s -B 127.0.0.1 -p $P_IPERF
wait_port $P_IPERF 5 "$LAST_PID" || die "iperf3 server did not start"
start_bg closer "$PY" "$LIB/closelat.py" server --port $P_CLOSE --max-seconds 600
wait_port $P_CLOSE 5 "$LAST_PID" || die "close-latency server did not start"
say "backends up: nginx :$P_NGINX, iperf3 :$P_IPERF, close server :$P_CLOSE; results in $OUT"

# --- one measurement ------------------------------------------------------------------------------
PROXY_PID=""
LAST_VALUE=""
# utime+stime of the proxy, all its threads, in clock ticks ('' without a proxy or once it exited)
proxy_ticks() {
    [ -n "$PROXY_PID" ] || return 0
    awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$PROXY_PID/stat" 2>/dev/null
}
CLK_TCK=$(getconf CLK_TCK)
measure() {  # rep target metric seconds-limit parser cmd...   (parser: wrk|wrkheld|iperf|json; wrkheld adds $HELD_JSON)
    local rep=$1 target=$2 metric=$3 limit=$4 parser=$5; shift 5
    local raw=$TMP/out/$rep-$target-$metric.raw before after env value note="" rc ticks0 ticks1
    before=$(snap)
    ticks0=$(proxy_ticks)
    timeout -k 2 "$limit" "$@" >"$raw" 2>"$raw.err"; rc=$?
    ticks1=$(proxy_ticks)
    after=$(snap)
    env=$(envdelta "$before" "$after")
    case $parser in
        wrk) value=$("$PY" "$LIB/results.py" wrk "$raw") ;;
        wrkheld) value=$("$PY" "$LIB/results.py" wrk "$raw" "${HELD_JSON:-}") ;;
        iperf) value=$("$PY" "$LIB/results.py" iperf "$raw") ;;
        json) value=$(tail -n 1 "$raw") ;;
    esac
    # the proxy's CPU time per request served, for the two HTTP loads
    if [ -n "$ticks0" ] && [ -n "$ticks1" ] && [ -n "$value" ] && { [ "$metric" = http_keepalive ] || [ "$metric" = http_close ]; }; then
        value=$("$PY" "$LIB/results.py" cpu "$value" $((ticks1 - ticks0)) "$CLK_TCK")
    fi
    [ "$rc" = 124 ] && note="timed out after ${limit}s"
    [ "${parser#wrk}" = "$parser" ] && [ "$rc" != 0 ] && [ -z "$note" ] && note="exit status $rc: $(head -c 200 "$raw.err" | tr '\n' ' ')"
    if [ -n "$PROXY_PID" ] && ! kill -0 "$PROXY_PID" 2>/dev/null; then note="${note:+$note; }the proxy process had exited"; fi
    record "$rep" "$target" "$metric" "${value:-}" "$env" "$note"
    LAST_VALUE=${value:-}
}

# `show activity` of the running proxy (ordrel's and haproxy's stats sockets alike), '' on failure
show_activity() {
    timeout -k 1 3 "$ORDRELCTL_BIN" run -s "$STATS_SOCK" --timeout 2 show activity 2>/dev/null
}

ordrel_stats_answers() {
    timeout -k 1 3 "$ORDRELCTL_BIN" run -s "$STATS_SOCK" --timeout 2 show stat 2>/dev/null | head -1 | grep -q '^# pxname,svname,'
}

run_target() {  # rep target
    local rep=$1 target=$2 cfg http iperf close pid rss
    PROXY_PID=""
    case $target in
        direct) http=$P_NGINX; iperf=$P_IPERF; close=$P_CLOSE ;;
        *) http=$F_HTTP; iperf=$F_IPERF; close=$F_CLOSE ;;
    esac
    case $target in
        ordrel) start_bg "ordrel-$rep" "$ORDREL_BIN" -db -f "$CFG_N" ;;
        ordrel-nt1) start_bg "ordrel-nt1-$rep" "$ORDREL_BIN" -db -f "$CFG_1" ;;
        haproxy) start_bg "haproxy-$rep" "$HAPROXY" -db -f "$CFG_N" ;;
        haproxy-nt1) start_bg "haproxy-nt1-$rep" "$HAPROXY" -db -f "$CFG_1" ;;
    esac
    if [ "$target" != direct ]; then
        pid=$LAST_PID
        if ! wait_port $F_HTTP 5 "$pid" || ! wait_port $F_IDLE 2 "$pid"; then
            record "$rep" "$target" start '{"error":"did not start"}' "" "$(tail -c 300 "$TMP/logs/$target-$rep.log" | tr '\n' ' ')"
            stop_pid "$pid"; return
        fi
        PROXY_PID=$pid
        sleep 0.3
        rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status")
        record "$rep" "$target" rss "{\"start_kib\": ${rss:-null}}" "" ""
    fi
    local url=http://127.0.0.1:$http/1k.bin
    # one request checked byte for byte before the load runs (wrk only counts statuses and errors)
    measure "$rep" "$target" check 10 json "$PY" -c '
import http.client, json, sys
try:
    c = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]), timeout=5)
    c.request("GET", "/1k.bin")
    r = c.getresponse(); body = r.read()
    print(json.dumps({"status": r.status, "bytes": len(body), "body_ok": body == b"o" * 1024}))
except OSError as e:
    print(json.dumps({"error": repr(e)}))' "$http"
    # where the 50 keep-alive connections ran (proxies with more than one thread): accq_pushed
    # per thread over the run
    local pushed0="" threaded=0
    case $target in ordrel|haproxy) [ "$NBTHREAD" -gt 1 ] && threaded=1 ;; esac
    [ "$threaded" = 1 ] && pushed0=$(show_activity)
    measure "$rep" "$target" http_keepalive $((WRK_SECONDS + 10)) wrk \
        wrk -t2 -c50 -d"${WRK_SECONDS}s" --timeout 2s --latency "$url"
    [ "$threaded" = 1 ] && record "$rep" "$target" threads \
        "$("$PY" "$LIB/results.py" threads "$pushed0" "$(show_activity)")" "" ""
    measure "$rep" "$target" http_close $((WRK_SECONDS + 10)) wrk \
        wrk -t2 -c50 -d"${WRK_SECONDS}s" --timeout 2s --latency -H 'Connection: close' "$url"
    measure "$rep" "$target" iperf_up $((IPERF_SECONDS + 10)) iperf \
        iperf3 -c 127.0.0.1 -p "$iperf" -t "$IPERF_SECONDS" -J
    measure "$rep" "$target" iperf_down $((IPERF_SECONDS + 10)) iperf \
        iperf3 -c 127.0.0.1 -p "$iperf" -t "$IPERF_SECONDS" -J -R
    measure "$rep" "$target" close_latency $((CLOSE_SECONDS + 10)) json \
        "$PY" "$LIB/closelat.py" client --port "$close" --count "$CLOSE_COUNT" --max-seconds "$CLOSE_SECONDS"
    if [ "$target" != direct ]; then
        if { [ "$target" = ordrel ] || [ "$target" = ordrel-nt1 ]; } && ! ordrel_stats_answers; then
            record "$rep" "$target" stats_c1 '{"na": "ordrel stats socket does not answer show stat"}' "" ""
            record "$rep" "$target" stats_c8 '{"na": "ordrel stats socket does not answer show stat"}' "" ""
        else
            measure "$rep" "$target" stats_c1 30 json \
                "$ORDRELCTL_BIN" probe -s "$STATS_SOCK" -n "$STATS_N" -c 1 --command "show stat" --json
            measure "$rep" "$target" stats_c8 30 json \
                "$ORDRELCTL_BIN" probe -s "$STATS_SOCK" -n $((STATS_N * 4)) -c 8 --command "show stat" --json
        fi
        measure "$rep" "$target" page $((WRK_SECONDS + 10)) wrk \
            wrk -t1 -c4 -d"${WRK_SECONDS}s" --timeout 2s --latency "http://127.0.0.1:$F_STATS/stats"
        measure "$rep" "$target" metrics $((WRK_SECONDS + 10)) wrk \
            wrk -t1 -c4 -d"${WRK_SECONDS}s" --timeout 2s --latency "http://127.0.0.1:$F_STATS/metrics"
        measure "$rep" "$target" memory 40 json \
            "$PY" "$LIB/idlehold.py" --connect "$F_IDLE" --listen "$P_IDLE" --n "$HOLD" --pid "$pid" --timeout 20
        stop_pid "$pid"
        PROXY_PID=""
    fi
    flat_step "$rep" "$target"
}

wait_lines() {  # file lines seconds pid: until file has that many lines, bounded, or pid exits
    local i
    for i in $(seq 1 $(( $3 * 20 ))); do
        [ -f "$1" ] && [ "$(wc -l <"$1")" -ge "$2" ] && return 0
        kill -0 "$4" 2>/dev/null || break
        sleep 0.05
    done
    [ -f "$1" ] && [ "$(wc -l <"$1")" -ge "$2" ]
}

# Cost per connection, flat or not: keep-alive req/s (the same wrk run as http_keepalive) while the
# holder keeps FLAT_LOW, then FLAT_HIGH idle connections open through a fresh proxy (its config: maxconn
# FLAT_MAXCONN); for direct, the held connections go straight to the holder's own backend, so that
# row shows only what the extra sockets cost the machine. flatness = req/s(high) / req/s(low).
flat_step() {  # rep target
    local rep=$1 target=$2 pid="" connect=$F_IDLE http=$F_HTTP st go holder i name low high v
    [ "$FLAT" = 1 ] || return 0
    PROXY_PID=""
    case $target in
        direct) connect=$P_IDLE; http=$P_NGINX ;;
        ordrel) start_bg "ordrel-flat-$rep" "${NOFILE_WRAP[@]}" "$ORDREL_BIN" -db -f "$CFG_FLAT_N" ;;
        ordrel-nt1) start_bg "ordrel-nt1-flat-$rep" "${NOFILE_WRAP[@]}" "$ORDREL_BIN" -db -f "$CFG_FLAT_1" ;;
        haproxy) start_bg "haproxy-flat-$rep" "${NOFILE_WRAP[@]}" "$HAPROXY" -db -f "$CFG_FLAT_N" ;;
        haproxy-nt1) start_bg "haproxy-nt1-flat-$rep" "${NOFILE_WRAP[@]}" "$HAPROXY" -db -f "$CFG_FLAT_1" ;;
    esac
    if [ "$target" != direct ]; then
        pid=$LAST_PID
        if ! wait_port "$F_HTTP" 5 "$pid" || ! wait_port "$F_IDLE" 2 "$pid"; then
            record "$rep" "$target" flatness '{"error":"did not start with the flatness config"}' "" \
                "$(tail -c 300 "$TMP/logs/$target-flat-$rep.log" | tr '\n' ' ')"
            stop_pid "$pid"; return
        fi
        PROXY_PID=$pid
        sleep 0.3
    fi
    st=$TMP/out/$rep-$target-flat.status; go=$TMP/out/$rep-$target-flat.go
    start_bg "holder-$target-$rep" "${NOFILE_WRAP[@]}" "$PY" "$LIB/idlehold.py" --connect "$connect" \
        --listen "$P_IDLE" --stages "$FLAT_LOW,$FLAT_HIGH" --status "$st" --go "$go" --settle 0.2 \
        --timeout $(( 2 * FLAT_WRK_SECONDS + 60 )) ${pid:+--pid "$pid"}
    holder=$LAST_PID
    for i in 0 1; do
        name=low; [ "$i" = 1 ] && name=high
        if wait_lines "$st" $((i + 1)) 30 "$holder"; then HELD_JSON=$(sed -n "$((i + 1))p" "$st")
        else HELD_JSON='{"error": "the holder did not reach this stage"}'; fi
        measure "$rep" "$target" "http_keepalive_held_$name" $((FLAT_WRK_SECONDS + 10)) wrkheld \
            wrk -t2 -c50 -d"${FLAT_WRK_SECONDS}s" --timeout 2s --latency "http://127.0.0.1:$http/1k.bin"
        v=${LAST_VALUE:-'{}'}
        if [ "$i" = 0 ]; then low=$v; else high=$v; fi
        touch "$go.$i"
    done
    HELD_JSON=""
    # the holder closes everything and exits after the last go file; give it 5 s before stopping it
    for i in $(seq 1 100); do kill -0 "$holder" 2>/dev/null || break; sleep 0.05; done
    stop_pid "$holder"
    record "$rep" "$target" flatness "$("$PY" "$LIB/results.py" flatness "$low" "$high")" "" ""
    if [ -n "$pid" ]; then stop_pid "$pid"; fi
    PROXY_PID=""
}

# --- the interleaved repetitions ------------------------------------------------------------------
TARGETS=(ordrel haproxy haproxy-nt1 direct)
# the optional fifth target joins the same rotation (and so the same per-repetition time guard)
[ "$ORDREL_NT1" = 1 ] && TARGETS=(ordrel ordrel-nt1 haproxy haproxy-nt1 direct)
done_reps=0
rep_seconds=0
for rep in $(seq 1 "$REPS"); do
    # a safety net for the 5-minute budget: no repetition starts that would end after MAX_SECONDS
    if [ $((SECONDS - BENCH_START + rep_seconds)) -gt "$MAX_SECONDS" ]; then
        say "stopping after $done_reps repetitions: another one (~${rep_seconds}s) would pass BENCH_MAX_SECONDS=${MAX_SECONDS}"
        echo '{"type":"note","note":"repetitions cut short by BENCH_MAX_SECONDS"}' >>"$OUT"
        break
    fi
    rep_start=$SECONDS
    # one second with nothing of ours running: the machine's own background load
    before=$(snap); sleep 1; after=$(snap)
    "$PY" -c 'import json,sys; print(json.dumps({"type":"quiet","rep":int(sys.argv[1]),"env":json.loads(sys.argv[2])}))' \
        "$rep" "$(envdelta "$before" "$after")" >>"$OUT"
    # rotate the order each repetition, so no target always runs first or last
    order=()
    for i in "${!TARGETS[@]}"; do order+=("${TARGETS[$(( (i + rep - 1) % ${#TARGETS[@]} ))]}"); done
    for target in "${order[@]}"; do
        say "rep $rep/$REPS: $target"
        run_target "$rep" "$target"
    done
    done_reps=$rep
    rep_seconds=$((SECONDS - rep_start))
done

say "done in $((SECONDS - BENCH_START))s"
echo
"$PY" "$LIB/results.py" report "$OUT"
if [ "${BENCH_SAVE:-0}" = 1 ]; then
    mkdir -p "$HERE/results" && cp "$OUT" "$HERE/results/$STAMP.jsonl" && echo "JSON lines: bench/results/$STAMP.jsonl"
else
    cp "$OUT" "/tmp/ordrel-bench-$STAMP.jsonl" 2>/dev/null && echo "JSON lines: /tmp/ordrel-bench-$STAMP.jsonl (BENCH_SAVE=1 keeps them in bench/results/)"
fi
