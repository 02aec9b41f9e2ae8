#!/usr/bin/env bash
# Checks, against the real binaries, what docs/reliability.md ("What stays better than haproxy")
# says: (a) `-c` on `tune.bufsize 10`; (b) the stats socket during a soft stop with a stream open;
# (c) `ordrelctl probe` (command, shutdown(SHUT_WR), complete reply) against both stats sockets;
# (d) a command followed by input the server never reads (100 KB), then shutdown(SHUT_WR): how the
# reply ends (EOF, or a reset when the server closes with unread input).
# Prints what each binary did; exits 1 when ordrel's side of a claim does not hold.
# Knobs: ORDREL_BIN/ORDRELCTL_BIN (default .build/release, built when missing), COMPARE_PORT_BASE (27750),
# COMPARE_PROBE_N (5000).
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
PY=${PYTHON:-python3}
HAPROXY=$(command -v haproxy || echo /usr/sbin/haproxy)
BASE=${COMPARE_PORT_BASE:-27750}
PROBE_N=${COMPARE_PROBE_N:-5000}
[ -x "$HAPROXY" ] || { echo "haproxy is not installed (apt-get install haproxy)" >&2; exit 1; }
if [ -z "${ORDREL_BIN:-}" ]; then
    [ -x "$ROOT/.build/release/ordrel" ] || (cd "$ROOT" && swift build -c release >/dev/null) || exit 1
    ORDREL_BIN=$ROOT/.build/release/ordrel
fi
ORDRELCTL_BIN=${ORDRELCTL_BIN:-$(dirname "$ORDREL_BIN")/ordrelctl}
TMP=$(mktemp -d /tmp/ordrel-compare.XXXXXX)
BACKEND_PID=""
cleanup() { [ -n "$BACKEND_PID" ] && kill "$BACKEND_PID" 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT
FAILED=0
claim() { if [ "$1" = 0 ]; then echo "ordrel: OK, $2"; else echo "ordrel: FAIL, $2"; FAILED=1; fi; }

echo "== $("$HAPROXY" -v | head -1)"
echo "== $("$ORDREL_BIN" -v | head -1)"

# (a) -------------------------------------------------------------------------------------------
cat >"$TMP/bufsize.cfg" <<CFG
global
    tune.bufsize 10

defaults
    mode tcp
    timeout connect 2s
    timeout client 30s
    timeout server 30s

listen l
    bind 127.0.0.1:$((BASE + 9))
    server s1 127.0.0.1:$((BASE + 8))
CFG
echo
echo "== (a) tune.bufsize 10, checked with -c"
echo "\$ haproxy -c -f bufsize.cfg"
out=$(cd "$TMP" && "$HAPROXY" -c -f bufsize.cfg 2>&1); rc=$?
[ -n "$out" ] && printf '%s\n' "$out" | sed 's/^/  /'
echo "  exit status $rc$([ "$rc" -ge 128 ] && echo " (killed by signal $((rc - 128)), no output)")"
echo "\$ ordrel -c -f bufsize.cfg"
out=$(cd "$TMP" && "$ORDREL_BIN" -c -f bufsize.cfg 2>&1); rc=$?
printf '%s\n' "$out" | sed 's/^/  /'
echo "  exit status $rc"
claim "$([ "$rc" = 1 ] && echo 0 || echo 1)" "rejects it with exit status 1"

# (b) -------------------------------------------------------------------------------------------
"$PY" "$HERE/soak.py" serve --echo $((BASE + 1)) --digest $((BASE + 2)) >"$TMP/backend.out" 2>&1 &
BACKEND_PID=$!
for _ in $(seq 50); do grep -q ready "$TMP/backend.out" 2>/dev/null && break; sleep 0.1; done

softstop() {  # label binary
    local label=$1 bin=$2 sock=$TMP/$1.sock pid rc
    cat >"$TMP/$label.cfg" <<CFG
global
    nbthread 2
    stats socket $sock mode 600 level admin
    stats timeout 30s

defaults
    mode tcp
    timeout connect 2s
    timeout client 60s
    timeout server 60s

listen echo
    bind 127.0.0.1:$((BASE + 3))
    server e1 127.0.0.1:$((BASE + 1))
CFG
    "$bin" -db -f "$TMP/$label.cfg" >"$TMP/$label.log" 2>&1 &
    pid=$!
    for _ in $(seq 50); do [ -S "$sock" ] && break; sleep 0.1; done
    echo
    echo "== (b) $label: SIGUSR1 with one stream open, then show info on the stats socket"
    # the stream: one echo before the signal, one after the query, then the client closes
    "$PY" - $((BASE + 3)) "$TMP/$label.go" >"$TMP/$label.stream" 2>&1 <<'PYEOF' &
import os, socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
s.sendall(b"before\n"); print("stream before the signal:", s.recv(100))
sys.stdout.flush()
for _ in range(200):
    if os.path.exists(sys.argv[2]): break
    time.sleep(0.05)
s.sendall(b"after\n"); print("stream after the query:", s.recv(100)); s.close()
PYEOF
    local client=$!
    sleep 0.5
    kill -USR1 "$pid"
    sleep 0.5
    echo "\$ ordrelctl -s $label.sock show info   (0.5 s after SIGUSR1)"
    "$ORDRELCTL_BIN" -s "$sock" --timeout 5 show info >"$TMP/$label.info" 2>&1
    rc=$?
    grep -E "^(Name|Stopping|CurrConns):|rror" "$TMP/$label.info" | sed 's/^/  /'
    echo "  exit status $rc; the process is $(kill -0 "$pid" 2>/dev/null && echo "still running" || echo "gone")"
    [ "$label" = ordrel ] && claim "$([ "$rc" = 0 ] && grep -q '^Stopping: 1' "$TMP/$label.info" && echo 0 || echo 1)" \
        "the stats socket answers during the soft stop (Stopping: 1)"
    touch "$TMP/$label.go"
    wait "$client"
    sed 's/^/  /' "$TMP/$label.stream"
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    wait "$pid"; rc=$?
    echo "  $label exit status $rc after the stream closed; its log:"
    sed 's/^/    /' "$TMP/$label.log"
    [ "$label" = ordrel ] && claim "$([ "$rc" = 0 ] && grep -q "after the query: b'after" "$TMP/$label.stream" && echo 0 || echo 1)" \
        "the open stream finishes and the soft stop exits 0"
}
softstop haproxy "$HAPROXY"
softstop ordrel "$ORDREL_BIN"

# (c) -------------------------------------------------------------------------------------------
probe() {  # label binary command
    local label=$1 bin=$2 sock=$TMP/$1.sock pid rc
    rm -f "$sock"
    "$bin" -db -f "$TMP/$label.cfg" >"$TMP/$label.log" 2>&1 &
    pid=$!
    for _ in $(seq 50); do [ -S "$sock" ] && break; sleep 0.1; done
    echo "\$ ordrelctl probe -s $label.sock -n $PROBE_N -c 8 --command '$3'"
    "$ORDRELCTL_BIN" probe -s "$sock" -n "$PROBE_N" -c 8 --command "$3" | sed 's/^/  /'
    rc=${PIPESTATUS[0]}
    kill "$pid"; wait "$pid" 2>/dev/null
    return "$rc"
}
echo
echo "== (c) orderly release: command, shutdown(SHUT_WR), the reply must be complete"
for command in "show stat" "show info"; do
    probe haproxy "$HAPROXY" "$command"
    probe ordrel "$ORDREL_BIN" "$command"
    claim $? "every '$command' reply complete"
done

# (d) -------------------------------------------------------------------------------------------
trailing() {  # label binary
    local label=$1 bin=$2 sock=$TMP/$1.sock pid out
    rm -f "$sock"
    "$bin" -db -f "$TMP/$label.cfg" >"$TMP/$label.log" 2>&1 &
    pid=$!
    for _ in $(seq 50); do [ -S "$sock" ] && break; sleep 0.1; done
    out=$("$PY" - "$sock" <<'PYEOF'
import socket, sys
for extra in (0, 100000):
    s = socket.socket(socket.AF_UNIX); s.settimeout(5); s.connect(sys.argv[1])
    s.sendall(b"show info\n" + b"x" * extra); s.shutdown(socket.SHUT_WR)
    data, end = b"", "EOF"
    try:
        while True:
            d = s.recv(65536)
            if not d: break
            data += d
    except OSError as e:
        end = repr(e)
    complete = data.startswith(b"Name: ") and data.endswith(b"\n\n")
    print(f"show info + {extra} unread bytes: {len(data)} bytes, {'complete' if complete else 'INCOMPLETE'}, then {end}")
PYEOF
)
    printf '%s\n' "$out" | sed "s/^/  $label: /"
    kill "$pid"; wait "$pid" 2>/dev/null
    [ "$label" = ordrel ] && claim "$(printf '%s\n' "$out" | grep -qv 'complete, then EOF$' && echo 1 || echo 0)" \
        "every reply complete and ended by a clean EOF"
}
echo
echo "== (d) 'show info' followed by 100 KB the server does not read, then shutdown(SHUT_WR)"
trailing haproxy "$HAPROXY"
trailing ordrel "$ORDREL_BIN"
exit $FAILED
