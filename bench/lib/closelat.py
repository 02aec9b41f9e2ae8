#!/usr/bin/env python3
"""The close-latency pattern of the 2020 netdev report on TCP close races (latency spikes of ~1 s).

server: accept, read 4 bytes, close -- in a loop, until killed or --max-seconds.
client: socket with SO_LINGER 0 and TCP_NODELAY, connect, send 4 bytes, read twice, close (an RST);
        in a loop bounded by --count and --max-seconds. Prints one JSON object.
Only 127.0.0.1 is ever used.
"""
import argparse, json, socket, struct, sys, time

HOST = "127.0.0.1"


def server(port, max_seconds):
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((HOST, port))
    ls.listen(128)
    ls.settimeout(1.0)
    deadline = time.monotonic() + max_seconds
    while time.monotonic() < deadline:
        try:
            conn, _ = ls.accept()
        except socket.timeout:
            continue
        try:
            conn.settimeout(5.0)
            got = b""
            while len(got) < 4:
                chunk = conn.recv(4 - len(got))
                if not chunk:
                    break
                got += chunk
        except OSError:
            pass
        finally:
            conn.close()


def percentile(sorted_values, p):
    if not sorted_values:
        return None
    index = max(0, min(len(sorted_values) - 1, int(-(-len(sorted_values) * p // 100)) - 1))
    return sorted_values[index]


def client(port, count, max_seconds):
    linger = struct.pack("ii", 1, 0)
    latencies = []
    errors = {}
    started = time.monotonic()
    deadline = started + max_seconds
    while len(latencies) + sum(errors.values()) < count and time.monotonic() < deadline:
        begin = time.monotonic()
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            s.settimeout(5.0)
            s.connect((HOST, port))
            s.send(b"\0\0\0\0")
            s.recv(4)
            s.recv(4)
            latencies.append(time.monotonic() - begin)
        except OSError as error:
            name = type(error).__name__
            errors[name] = errors.get(name, 0) + 1
        finally:
            s.close()
    elapsed = time.monotonic() - started
    ordered = sorted(latencies)
    ms = lambda v: None if v is None else round(v * 1000, 4)
    print(json.dumps({
        "connections": len(latencies),
        "errors": sum(errors.values()),
        "error_kinds": errors,
        "seconds": round(elapsed, 3),
        "per_second": round(len(latencies) / elapsed, 1) if elapsed > 0 else None,
        "p50_ms": ms(percentile(ordered, 50)),
        "p99_ms": ms(percentile(ordered, 99)),
        "max_ms": ms(ordered[-1] if ordered else None),
        "over_100ms": sum(1 for v in latencies if v > 0.1),
        "stopped_by": "count" if len(latencies) + sum(errors.values()) >= count else "time",
    }))


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("mode", choices=["server", "client"])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--max-seconds", type=float, default=3.0)
    args = parser.parse_args()
    if args.mode == "server":
        server(args.port, args.max_seconds)
    else:
        client(args.port, args.count, args.max_seconds)


if __name__ == "__main__":
    sys.exit(main())
