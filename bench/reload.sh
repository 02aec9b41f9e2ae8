#!/usr/bin/env bash
# make bench-reload (also a step of make bench): what a reload every second costs the traffic.
# ordrel and haproxy in turn, each in master-worker mode (-W) on the same generated config, in front
# of nginx serving a 1 KiB file. For each load (wrk -c50 keep-alive, and one connection per request
# with `Connection: close`) wrk runs twice: once undisturbed, once while the master is sent SIGUSR2
# every second. Reported per row: requests/s, p50/p99 latency, socket errors and non-2xx replies,
# and the reloads done; a seamless reload shows 0 errors and a p99 close to the undisturbed one.
# Knobs: BENCH_RELOAD_SECONDS (10), BENCH_NBTHREAD (nproc), BENCH_PORT_BASE (27600), ORDREL_BIN.
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
SECONDS_PER_RUN=${BENCH_RELOAD_SECONDS:-10}
NBTHREAD=${BENCH_NBTHREAD:-$(nproc)}
PORT_BASE=${BENCH_PORT_BASE:-27600}
PY=${PYTHON:-python3}
HAPROXY=$(command -v haproxy || echo /usr/sbin/haproxy)
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
TMP=$(mktemp -d /tmp/ordrel-reload.XXXXXX)
chmod 755 "$TMP"
PIDS=()
cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do kill -TERM -- "-$pid" 2>/dev/null; done
    sleep 0.3
    for pid in "${PIDS[@]}"; do kill -KILL -- "-$pid" 2>/dev/null; done
    rm -rf "$TMP"
}
trap cleanup EXIT

for tool in wrk "$NGINX" "$HAPROXY"; do
    command -v "$tool" >/dev/null 2>&1 || { echo "missing $tool (make bench installs it)" >&2; exit 1; }
done
if [ -z "${ORDREL_BIN:-}" ]; then
    (cd "$ROOT" && swift build -c release >"$TMP/build.log" 2>&1) || { cat "$TMP/build.log"; exit 1; }
    ORDREL_BIN=$ROOT/.build/release/ordrel
fi

P_NGINX=$PORT_BASE
P_FRONT=$((PORT_BASE + 1))
wait_port() {  # port
    for _ in $(seq 100); do [ -n "$(ss -Hltn "sport = :$1" 2>/dev/null)" ] && return 0; sleep 0.05; done
    return 1
}

mkdir -p "$TMP/www" "$TMP/nginx"
head -c 1024 /dev/zero | tr '\0' 'o' >"$TMP/www/1k.bin"
. "$HERE/lib/nginx.sh"
nginx_conf "$TMP/nginx" "$P_NGINX" "$TMP/www" >"$TMP/nginx/nginx.conf"
setsid "$NGINX" -e "$TMP/nginx/error.log" -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" -g 'daemon off;' \
    >"$TMP/nginx.log" 2>&1 </dev/null &
PIDS+=($!)
wait_port "$P_NGINX" || { cat "$TMP/nginx.log" "$TMP/nginx/error.log"; exit 1; }

# Old workers keep their keep-alive connections until wrk ends (no hard-stop-after), as an
# operator's long TCP streams would.
cat >"$TMP/reload.cfg" <<CFG
global
    maxconn 4000
    nbthread $NBTHREAD
defaults
    mode tcp
    timeout connect 5s
    timeout client 30s
    timeout server 30s
listen web
    bind 127.0.0.1:$P_FRONT
    server nginx 127.0.0.1:$P_NGINX
CFG

# One wrk run; with `reload`, SIGUSR2 to the master every second meanwhile. Prints a JSON row.
run_wrk() {  # target load reload master_pid
    local target=$1 load=$2 reload=$3 master=$4 reloads=0
    local args=(-t2 -c50 -d"${SECONDS_PER_RUN}s" --timeout 2s --latency)
    [ "$load" = close ] && args+=(-H 'Connection: close')
    wrk "${args[@]}" "http://127.0.0.1:$P_FRONT/1k.bin" >"$TMP/wrk.out" 2>&1 &
    local wrk_pid=$!
    if [ "$reload" = yes ]; then
        for _ in $(seq 1 $((SECONDS_PER_RUN - 1))); do
            sleep 1
            kill -USR2 "$master" && reloads=$((reloads + 1))
        done
    fi
    wait $wrk_pid
    "$PY" - "$TMP/wrk.out" "$target" "$load" "$reload" "$reloads" "$HERE/lib" <<'EOF'
import json, sys
sys.path.insert(0, sys.argv[6])
from results import parse_wrk
row = parse_wrk(sys.argv[1])
row.update(target=sys.argv[2], load=sys.argv[3], reloading=sys.argv[4] == "yes", reloads=int(sys.argv[5]))
print(json.dumps(row), flush=True)
EOF
}

run_target() {  # label command...
    local label=$1; shift
    setsid "$@" -W -db -f "$TMP/reload.cfg" >"$TMP/$label.log" 2>&1 </dev/null &
    local master=$!
    PIDS+=("$master")
    wait_port "$P_FRONT" || { echo "$label did not start:" >&2; cat "$TMP/$label.log" >&2; return 1; }
    sleep 0.5
    for load in keepalive close; do
        run_wrk "$label" "$load" no "$master"
        run_wrk "$label" "$load" yes "$master"
        sleep 1
    done
    kill -TERM "$master" 2>/dev/null
    for _ in $(seq 50); do kill -0 "$master" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$master" 2>/dev/null
    wait "$master" 2>/dev/null
}

{
    run_target ordrel "$ORDREL_BIN"
    run_target haproxy "$HAPROXY"
} | tee "$TMP/rows.jsonl"

"$PY" - "$TMP/rows.jsonl" <<'EOF'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
print("\n%-8s %-10s %-9s %8s %9s %9s %8s %7s %7s" % (
    "target", "load", "reloads", "req/s", "p50 ms", "p99 ms", "errors", "non2xx", "p99 x"))
base = {}
for r in rows:
    errors = sum(r["socket_errors"].values())
    key = (r["target"], r["load"])
    if not r["reloading"]:
        base[key] = r["p99_ms"]
    ratio = r["p99_ms"] / base[key] if r["reloading"] and base.get(key) else 1.0
    print("%-8s %-10s %-9d %8.0f %9.2f %9.2f %8d %7d %7.2f" % (
        r["target"], r["load"], r["reloads"], r["rps"] or 0, r["p50_ms"] or 0, r["p99_ms"] or 0,
        errors, r["non2xx"], ratio))
EOF
