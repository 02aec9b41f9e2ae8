#!/usr/bin/env bash
# Starts two demo backends and ordrel in front of them (foreground; Ctrl-C stops all three).
set -euo pipefail
bin=${1:-.build/release}
here=$(cd "$(dirname "$0")/../.." && pwd)
cd "$here"

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM

for n in 1 2; do
  port=910$n
  # A tiny HTTP responder: every connection gets one answer naming the backend.
  socat -T5 "TCP-LISTEN:$port,bind=127.0.0.1,reuseaddr,fork" EXEC:"examples/demo/hello.sh $n" &
  pids+=($!)
done
sleep 0.3
for p in "${pids[@]}"; do
  if ! kill -0 "$p" 2>/dev/null; then
    echo "a demo backend could not start: is something already listening on 127.0.0.1:9101 or 9102?" >&2
    exit 1
  fi
done

cat <<MSG
ordrel demo: frontend 127.0.0.1:8080 -> backends 127.0.0.1:9101, 127.0.0.1:9102 (roundrobin)
  try:   curl -s http://127.0.0.1:8080/      (run it twice: the backends alternate)
         echo | nc 127.0.0.1 8080
  stats: echo "show stat" | socat stdio UNIX-CONNECT:/tmp/ordrel-admin.sock
         $bin/ordrelctl -s /tmp/ordrel-admin.sock show info
  stop:  Ctrl-C
MSG
"$bin/ordrel" -db -f conf/ordrel.cfg
