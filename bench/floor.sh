#!/usr/bin/env bash
# make bench-floor: proxy CPU per request of ordrel and haproxy next to the floor, a minimal C
# forwarder (bench/floor/fwd.c: epoll, read, send, nothing else) that no real proxy can undercut.
# wrk -t2 -c50 through each to nginx (1 KiB), keep-alive and one connection per request; CPU =
# utime+stime of the proxy's processes from /proc/PID/stat over the requests wrk counted. The
# three targets take turns for BENCH_FLOOR_ROUNDS rounds (5) of BENCH_FLOOR_SECONDS (3) per load;
# the summary gives medians and each target's ratio to haproxy. Also: BENCH_NBTHREAD (nproc),
# BENCH_PORT_BASE (28100), ORDREL_BIN, CC (cc), BENCH_FLOOR_BASE_BIN (another ordrel binary, e.g.
# main's, run as target "base" in every round for an A/B in the same run).
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
ROUNDS=${BENCH_FLOOR_ROUNDS:-5}
SECONDS_PER_LOAD=${BENCH_FLOOR_SECONDS:-3}
NBTHREAD=${BENCH_NBTHREAD:-$(nproc)}
PORT_BASE=${BENCH_PORT_BASE:-28100}
HAPROXY=$(command -v haproxy || echo /usr/sbin/haproxy)
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
TMP=$(mktemp -d /tmp/ordrel-floor.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$TMP"' EXIT

for tool in "$HAPROXY" "$NGINX" "$(command -v wrk)"; do
    [ -x "$tool" ] || { echo "needs haproxy, nginx and wrk (apt-get install haproxy nginx-light wrk)" >&2; exit 1; }
done
if [ -z "${ORDREL_BIN:-}" ]; then
    (cd "$ROOT" && swift build -c release >"$TMP/build.log" 2>&1) || { cat "$TMP/build.log"; exit 1; }
    ORDREL_BIN=$ROOT/.build/release/ordrel
fi
"${CC:-cc}" -O2 -o "$TMP/fwd" "$HERE/floor/fwd.c" || exit 1

NGINX_PORT=$PORT_BASE
PROXY_PORT=$((PORT_BASE + 1))
mkdir -p "$TMP/www" "$TMP/nginx"
head -c 1024 /dev/zero | tr '\0' 'o' >"$TMP/www/1k.bin"
. "$HERE/lib/nginx.sh"
nginx_conf "$TMP/nginx" "$NGINX_PORT" "$TMP/www" >"$TMP/nginx/nginx.conf"
"$NGINX" -e "$TMP/nginx/error.log" -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" -g 'daemon off;' &
printf 'global\n    nbthread %s\n    maxconn 4096\ndefaults\n    mode tcp\n    timeout connect 2s\n' "$NBTHREAD" >"$TMP/proxy.cfg"
printf '    timeout client 30s\n    timeout server 30s\nlisten http\n    bind 127.0.0.1:%s\n' "$PROXY_PORT" >>"$TMP/proxy.cfg"
printf '    server nginx 127.0.0.1:%s\n' "$NGINX_PORT" >>"$TMP/proxy.cfg"
sleep 0.3

cpu_ticks() {  # pids...: utime+stime of each process (all its threads), summed
    local total=0 pid utime stime
    for pid in "$@"; do
        read -r utime stime < <(cut -d' ' -f14,15 "/proc/$pid/stat") || continue
        total=$((total + utime + stime))
    done
    echo "$total"
}

TARGETS=(floor ordrel haproxy)
[ -n "${BENCH_FLOOR_BASE_BIN:-}" ] && TARGETS+=(base)
for round in $(seq 1 "$ROUNDS"); do
    for target in "${TARGETS[@]}"; do
        case $target in
            floor) "$TMP/fwd" "$PROXY_PORT" "$NGINX_PORT" "$NBTHREAD" & ;;
            ordrel) "$ORDREL_BIN" -db -f "$TMP/proxy.cfg" >"$TMP/ordrel.log" 2>&1 & ;;
            haproxy) "$HAPROXY" -db -f "$TMP/proxy.cfg" >"$TMP/haproxy.log" 2>&1 & ;;
            base) "$BENCH_FLOOR_BASE_BIN" -db -f "$TMP/proxy.cfg" >"$TMP/base.log" 2>&1 & ;;
        esac
        leader=$!
        for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$PROXY_PORT") 2>/dev/null && break; sleep 0.1; done
        pids="$leader $(pgrep -P "$leader" | tr '\n' ' ')"
        for load in keep-alive conn-per-request; do
            headers=()
            [ "$load" = conn-per-request ] && headers=(-H 'Connection: close')
            before=$(cpu_ticks $pids)
            out=$(wrk -t2 -c50 -d"${SECONDS_PER_LOAD}s" --timeout 2s "${headers[@]}" "http://127.0.0.1:$PROXY_PORT/1k.bin")
            after=$(cpu_ticks $pids)
            requests=$(awk '/requests in/ {print $1}' <<<"$out")
            rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
            printf '{"round": %s, "target": "%s", "load": "%s", "requests": %s, "rps": %s, "cpu_ticks": %s, "hz": %s}\n' \
                "$round" "$target" "$load" "${requests:-0}" "${rps:-0}" $((after - before)) "$(getconf CLK_TCK)"
        done
        kill $pids 2>/dev/null
        wait "$leader" 2>/dev/null
        sleep 0.5
    done
done | tee "$TMP/rows.jsonl"

python3 - "$TMP/rows.jsonl" <<'PY'
import json, statistics, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
def us_per_request(r):
    return r["cpu_ticks"] / r["hz"] * 1e6 / r["requests"] if r["requests"] else float("nan")
print("\nmedians over %d round(s): proxy CPU µs per request (req/s)" % max(r["round"] for r in rows))
targets = [t for t in ("floor", "ordrel", "base", "haproxy") if any(r["target"] == t for r in rows)]
print(("%-18s" + " %18s" * len(targets)) % ("load", *targets), "  ratios to haproxy")
for load in ("keep-alive", "conn-per-request"):
    cell = {}
    for target in targets:
        rs = [r for r in rows if r["target"] == target and r["load"] == load]
        cell[target] = (statistics.median(map(us_per_request, rs)), statistics.median(r["rps"] for r in rs))
    h = cell["haproxy"][0]
    print(("%-18s" + " %18s" * len(targets)) % (load, *("%.1f (%.0f)" % cell[t] for t in targets)), " ",
          ", ".join("%s %.2f" % (t, cell[t][0] / h) for t in targets if t != "haproxy"))
PY
