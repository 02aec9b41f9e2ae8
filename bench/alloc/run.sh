#!/usr/bin/env bash
# Allocation counts of ordrel on the hot path: runs ordrel under malloc-count with nginx behind it
# and wrk in front, keep-alive and one connection per request, and prints allocations per request.
#   bench/alloc/run.sh [path/to/ordrel]        (needs nginx, wrk, gcc; 127.0.0.1 only)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
ordrel=${1:-$here/../../.build/release/ordrel}
tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; [ -f "$tmp/nginx.pid" ] && kill "$(cat "$tmp/nginx.pid")" 2>/dev/null; rm -rf "$tmp"' EXIT
gcc -O2 -shared -fPIC -o "$tmp/malloc-count.so" "$here/malloc-count.c" -ldl
head -c 1024 /dev/zero | tr '\0' x > "$tmp/1k.bin"
cat > "$tmp/nginx.conf" <<CFG
worker_processes 1;
pid $tmp/nginx.pid;
error_log $tmp/nginx.err;
events { worker_connections 1024; }
http { access_log off; keepalive_requests 1000000; server { listen 127.0.0.1:27380; root $tmp; } }
CFG
nginx -c "$tmp/nginx.conf"
cat > "$tmp/ordrel.cfg" <<CFG
global
    maxconn 2000
defaults
    mode tcp
    timeout connect 2s
    timeout client 30s
    timeout server 30s
listen px
    bind 127.0.0.1:27381
    server s1 127.0.0.1:27380
CFG
count() {  # $1: label, rest: wrk arguments or nothing
    local label=$1; shift
    LD_PRELOAD="$tmp/malloc-count.so" "$ordrel" -db -q -f "$tmp/ordrel.cfg" 2>"$tmp/$label.err" &
    local pid=$!
    sleep 0.5
    local requests=0
    if [ $# -gt 0 ]; then
        requests=$(wrk -t1 -c50 -d2s "$@" http://127.0.0.1:27381/1k.bin | awk '/requests in/{print $1}')
    fi
    kill "$pid"; wait "$pid" 2>/dev/null || true
    local allocs
    allocs=$(sed -n 's/.*mallocs=\([0-9]*\).*/\1/p' "$tmp/$label.err")
    echo "$label $requests $allocs"
}
idle=$(count idle)
keepalive=$(count keepalive --latency)
close=$(count close --latency -H "Connection: close")
python3 - "$idle" "$keepalive" "$close" <<'PY'
import sys
base = int(sys.argv[1].split()[2])
for line in sys.argv[2:]:
    label, requests, allocs = line.split()
    extra = int(allocs) - base
    print(f"{label:10s} {int(requests):>8,} requests  {extra:>9,} allocations beyond start-up  "
          f"{extra / max(1, int(requests)):.3f} per request")
PY
