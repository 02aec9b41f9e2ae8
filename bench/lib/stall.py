#!/usr/bin/env python3
"""Data-path round trips through a proxy while a stats client loads its CLI.

Several clients each keep one connection through the proxy to an echo server and time 4-byte
round trips back to back. Meanwhile (after a quiet baseline of the same length) one stats
client runs a CLI load on the proxy's stats socket, or a monitoring client loads its `mode http`
frontend (the stats page, the Prometheus exporter). Prints one JSON line per phase with the
round-trip percentiles in milliseconds, so a proxy that stalls its traffic while it answers the
CLI shows it in p99/max.

  stall.py echo --port P                       run an echo server until killed
  stall.py measure --port P --sock S --load L  measure (L: show-info, show-stat, garbage; with
           [--http-port H]                     --http-port: metrics, page, scraped one per connection)
  stall.py wrk --url U --sock S                keep-alive HTTP through the proxy (wrk), quiet
                                               and while 8 clients loop on `show stat`
  stall.py summary ROWS.jsonl                  medians over rounds and the goals per load
"""
import argparse
import json
import multiprocessing
import re
import socket
import statistics
import subprocess
import sys
import threading
import time


def echo_server(port):
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", port))
    srv.listen(256)

    def serve(conn):
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with conn:
            while True:
                data = conn.recv(65536)
                if not data:
                    return
                conn.sendall(data)

    while True:
        conn, _ = srv.accept()
        threading.Thread(target=serve, args=(conn,), daemon=True).start()


def round_trips(port, seconds, out, stop):
    conn = socket.create_connection(("127.0.0.1", port))
    conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    end = time.monotonic() + seconds
    while time.monotonic() < end and not stop.is_set():
        start = time.monotonic()
        conn.sendall(b"ping")
        got = b""
        while len(got) < 4:
            chunk = conn.recv(4 - len(got))
            if not chunk:
                raise SystemExit("proxy closed the echo connection")
            got += chunk
        out.append((time.monotonic() - start) * 1000)
        time.sleep(0.001)
    conn.close()


def http_load(port, path, stop, counters):
    """GETs `path` one connection after another until stopped, as a scraper that keeps no
    connection; counts whole replies (a 200 read to the server's close)."""
    request = b"GET %s HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n" % path.encode()
    while not stop.is_set():
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall(request)
        head = b""
        while True:
            chunk = s.recv(1 << 16)
            if not chunk:
                break
            head = head or chunk[:12]
        s.close()
        with counters.get_lock():
            counters[0] += head.startswith(b"HTTP/1.1 200")
            counters[1] += 1


def cli_load(sock_path, load, stop, counters, http_port=None):
    """Runs the CLI load in rounds until stopped; counts commands answered."""
    if load in ("metrics", "page"):
        return http_load(http_port, "/metrics" if load == "metrics" else "/stats", stop, counters)
    if load == "show-info":
        batch, commands = b"prompt\n" + b"show info\n" * 2000, 2000
    elif load == "show-stat":
        batch, commands = b"prompt\n" + b"show stat\n" * 50, 50
    elif load == "garbage":
        batch, commands = bytes((i * 37 + 11) % 251 for i in range(32768)), 0
    else:
        raise SystemExit(f"unknown load {load}")
    while not stop.is_set():
        s = socket.socket(socket.AF_UNIX)
        s.connect(sock_path)
        try:
            s.sendall(batch + (b"quit\n" if commands else b""))
            s.shutdown(socket.SHUT_WR)
            while s.recv(1 << 16):
                pass
        except (ConnectionResetError, BrokenPipeError):
            # haproxy resets a garbage-sending client once it gives up on it.
            pass
        s.close()
        with counters.get_lock():
            counters[0] += commands
            counters[1] += 1


def stat_loop(sock_path, stop, counters):
    """One `show stat` per connection, in a loop, as a monitoring poller or `ordrelctl probe`."""
    while not stop.is_set():
        s = socket.socket(socket.AF_UNIX)
        s.connect(sock_path)
        s.sendall(b"show stat\n")
        s.shutdown(socket.SHUT_WR)
        while s.recv(1 << 16):
            pass
        s.close()
        counters["commands"] += 1
        counters["sessions"] += 1


WRK_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}


def wrk_latency(text, pct):
    m = re.search(r"^\s+%s%%\s+([\d.]+)(us|ms|s)" % pct, text, re.M)
    return float(m.group(1)) * WRK_UNITS[m.group(2)] if m else None


def wrk(args):
    """wrk -t2 -c50 keep-alive through the proxy, quiet and then while `--cli-clients` clients
    loop on `show stat`; one JSON line per phase, with wrk's percentiles and req/s."""
    for phase in ("quiet", "stat-loop"):
        stop = threading.Event()
        counters = {"commands": 0, "sessions": 0}
        loaders = []
        if phase != "quiet":
            for _ in range(args.cli_clients):
                t = threading.Thread(target=stat_loop, args=(args.sock, stop, counters), daemon=True)
                t.start()
                loaders.append(t)
            time.sleep(0.2)
        out = subprocess.run(["wrk", "-t2", "-c50", "-d%ds" % args.seconds, "--timeout", "2s", "--latency", args.url],
                             capture_output=True, text=True).stdout
        stop.set()
        for t in loaders:
            t.join(timeout=30)
        rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
        errors = re.search(r"Socket errors: (.*)", out)
        print(json.dumps({
            "target": args.label, "load": "wrk+stat%d" % args.cli_clients, "phase": phase,
            "p50_ms": wrk_latency(out, 50), "p99_ms": wrk_latency(out, 99), "max_ms": None,
            "rps": float(rps.group(1)) if rps else None, "errors": errors.group(1) if errors else "",
            "cli_commands": counters["commands"], "cli_sessions": counters["sessions"], "round": args.round,
        }), flush=True)


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))] if ordered else None


def measure(args):
    results = []
    for phase in ("quiet", args.load):
        # The CLI load runs in processes of its own: as threads of this one it took the GIL from
        # the round-trip clients and the figures measured Python, not the proxy.
        stop = multiprocessing.Event()
        samples = [[] for _ in range(args.clients)]
        counters = multiprocessing.Array("q", 2)  # commands answered, sessions
        loaders = []
        if phase != "quiet":
            for _ in range(args.cli_clients):
                p = multiprocessing.Process(target=cli_load, args=(args.sock, args.load, stop, counters, args.http_port),
                                            daemon=True)
                p.start()
                loaders.append(p)
            time.sleep(0.2)
        workers = [threading.Thread(target=round_trips, args=(args.port, args.seconds, samples[i], stop))
                   for i in range(args.clients)]
        for t in workers:
            t.start()
        for t in workers:
            t.join()
        stop.set()
        for p in loaders:
            p.join(timeout=30)
            if p.is_alive():
                p.kill()
        rtts = [v for s in samples for v in s]
        results.append({
            "target": args.label, "load": args.load, "phase": phase, "round_trips": len(rtts),
            "p50_ms": round(percentile(rtts, 50), 3), "p99_ms": round(percentile(rtts, 99), 3),
            "max_ms": round(max(rtts), 3), "cli_commands": counters[0],
            "cli_sessions": counters[1], "round": args.round,
        })
    for row in results:
        print(json.dumps(row), flush=True)


def summary(args):
    """Medians over the rounds per target, load and phase, then the goals of issue 15 per load."""
    rows = [json.loads(line) for line in open(args.rows) if line.startswith("{")]
    loads = []
    cells = {}
    for r in rows:
        load = r["load"]
        if load not in loads:
            loads.append(load)
        cells.setdefault((r["target"], load, r["phase"] == "quiet"), []).append(r)
    med = lambda rs, key: statistics.median(r[key] for r in rs)
    print("\nmedians over %d round(s)" % max(r["round"] for r in rows))
    print("%-8s %-10s %-7s %8s %8s %9s %10s %9s" % ("target", "load", "phase", "p50 ms", "p99 ms", "max ms", "cli cmds",
                                                  "req/s"))
    for (target, load, quiet), rs in cells.items():
        opt = lambda key, fmt: fmt % med(rs, key) if all(r.get(key) is not None for r in rs) else "-"
        print("%-8s %-10s %-7s %8.2f %8.2f %9s %10d %9s" % (target, load, "quiet" if quiet else "loaded",
              med(rs, "p50_ms"), med(rs, "p99_ms"), opt("max_ms", "%.2f"), med(rs, "cli_commands"),
              opt("rps", "%.0f")))
    print("\n%-10s %22s %22s %18s" % ("load", "ordrel loaded/quiet p99", "ordrel/haproxy loaded p99",
                                     "elsewhere l/q p99"))
    for load in loads:
        try:
            loaded = med(cells[("ordrel", load, False)], "p99_ms")
            quiet = med(cells[("ordrel", load, True)], "p99_ms")
            theirs = med(cells[("haproxy", load, False)], "p99_ms")
        except KeyError:
            continue
        own, versus = loaded / quiet, loaded / theirs
        control = ""
        if ("elsewhere", load, False) in cells and ("elsewhere", load, True) in cells:
            control = "%18.2f" % (med(cells[("elsewhere", load, False)], "p99_ms") /
                                  med(cells[("elsewhere", load, True)], "p99_ms"))
        print("%-10s %16.2f %-5s %18.2f %-5s %s" % (load, own, "ok" if own <= 1.5 else "OVER", versus,
              "ok" if versus <= 1 else "OVER", control))


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="cmd", required=True)
    e = sub.add_parser("echo")
    e.add_argument("--port", type=int, required=True)
    m = sub.add_parser("measure")
    m.add_argument("--port", type=int, required=True)
    m.add_argument("--sock", required=True)
    m.add_argument("--load", required=True)
    m.add_argument("--label", default="proxy")
    m.add_argument("--seconds", type=float, default=4)
    m.add_argument("--clients", type=int, default=4)
    m.add_argument("--cli-clients", type=int, default=1)
    m.add_argument("--round", type=int, default=1)
    m.add_argument("--http-port", type=int)
    w = sub.add_parser("wrk")
    w.add_argument("--url", required=True)
    w.add_argument("--sock", required=True)
    w.add_argument("--label", default="proxy")
    w.add_argument("--seconds", type=int, default=4)
    w.add_argument("--cli-clients", type=int, default=8)
    w.add_argument("--round", type=int, default=1)
    s = sub.add_parser("summary")
    s.add_argument("rows")
    args = parser.parse_args()
    if args.cmd == "echo":
        echo_server(args.port)
    elif args.cmd == "measure":
        measure(args)
    elif args.cmd == "wrk":
        wrk(args)
    else:
        summary(args)


if __name__ == "__main__":
    sys.exit(main())
