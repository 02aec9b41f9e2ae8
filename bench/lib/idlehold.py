#!/usr/bin/env python3
"""Hold N idle connections through a proxy and report the proxy's RSS per connection.

Listens on 127.0.0.1:--listen (the backend the proxy forwards to), opens --n client connections to
127.0.0.1:--connect (the proxy), waits until the backend has accepted all of them (each one is then
a client->proxy->backend pair carrying no data), reads VmRSS of --pid before and while holding, then
closes everything. Bounded by --timeout seconds. Prints one JSON object.
"""
import argparse, json, resource, socket, sys, time

HOST = "127.0.0.1"


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--connect", type=int, required=True)
    parser.add_argument("--listen", type=int, required=True)
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--pid", type=int, required=True)
    parser.add_argument("--timeout", type=float, default=15.0)
    parser.add_argument("--settle", type=float, default=0.5)
    args = parser.parse_args()

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = 2 * args.n + 64
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(wanted, hard), hard))

    backend = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    backend.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    backend.bind((HOST, args.listen))
    backend.listen(4096)
    backend.setblocking(False)
    accepted = []

    def drain():
        while True:
            try:
                conn, _ = backend.accept()
            except (BlockingIOError, InterruptedError):
                return
            accepted.append(conn)

    time.sleep(args.settle)
    before = rss_kib(args.pid)
    deadline = time.monotonic() + args.timeout
    clients, errors = [], 0
    for _ in range(args.n):
        if time.monotonic() > deadline:
            break
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.settimeout(max(0.1, deadline - time.monotonic()))
        try:
            s.connect((HOST, args.connect))
            clients.append(s)
        except OSError:
            errors += 1
            s.close()
        drain()
    while len(accepted) < len(clients) and time.monotonic() < deadline:
        drain()
        time.sleep(0.01)
    time.sleep(args.settle)
    held = rss_kib(args.pid)
    pairs = min(len(clients), len(accepted))
    for s in clients + accepted:
        s.close()
    backend.close()
    time.sleep(args.settle)
    after = rss_kib(args.pid)
    print(json.dumps({
        "wanted": args.n,
        "clients": len(clients),
        "backend_accepted": len(accepted),
        "connect_errors": errors,
        "rss_before_kib": before,
        "rss_held_kib": held,
        "rss_after_close_kib": after,
        "bytes_per_conn": round((held - before) * 1024 / pairs, 1) if pairs and held and before else None,
    }))
    return 0 if pairs == args.n else 1


if __name__ == "__main__":
    sys.exit(main())
