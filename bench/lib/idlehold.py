#!/usr/bin/env python3
"""Hold N idle connections through a proxy and report the proxy's RSS per connection.

Listens on 127.0.0.1:--listen (the backend the proxy forwards to), opens --n client connections to
127.0.0.1:--connect (the proxy), waits until the backend has accepted all of them (each one is then
a client->proxy->backend pair carrying no data), reads VmRSS of --pid before and while holding, then
closes everything. Bounded by --timeout seconds. Prints one JSON object.

With --stages A,B,... (cumulative totals) it holds in steps instead, for a measurement to run while
the connections are held: after reaching each total it appends one JSON line to --status and waits
until the file <--go>.<stage index> exists, then goes on to the next total; after the last stage's go
file it closes everything. --pid is optional there (the proxy's VmRSS goes into each status line).
Everything, waits included, is bounded by --timeout seconds.
"""
import argparse, json, os, resource, socket, sys, time

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
    parser.add_argument("--pid", type=int)
    parser.add_argument("--timeout", type=float, default=15.0)
    parser.add_argument("--settle", type=float, default=0.5)
    parser.add_argument("--stages", help="cumulative totals to hold in turn, e.g. 100,10000")
    parser.add_argument("--status", help="file that gets one JSON line per reached stage (with --stages)")
    parser.add_argument("--go", help="prefix of the files that release each stage (with --stages)")
    args = parser.parse_args()
    if args.stages:
        return staged(args)
    if args.pid is None:
        parser.error("--pid is required without --stages")

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


def staged(args):
    """Holds the --stages totals in turn, each until its go file appears (see the module doc)."""
    stages = [int(x) for x in args.stages.split(",") if x.strip()]
    if not stages or not args.status or not args.go or stages != sorted(stages):
        sys.exit("--stages needs increasing totals, --status and --go")
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = 2 * stages[-1] + 64  # a client and an accepted socket per held connection
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(wanted, hard), hard))
    nofile = resource.getrlimit(resource.RLIMIT_NOFILE)[0]

    backend = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    backend.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    backend.bind((HOST, args.listen))
    backend.listen(4096)
    backend.setblocking(False)
    accepted, clients, errors = [], [], 0
    deadline = time.monotonic() + args.timeout
    last_error = None

    def drain():
        while True:
            try:
                conn, _ = backend.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError:  # EMFILE: counted as not held, reported below
                return
            accepted.append(conn)

    try:
        for index, total in enumerate(stages):
            started = time.monotonic()
            while len(clients) < total and time.monotonic() < deadline:
                s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                s.settimeout(max(0.1, deadline - time.monotonic()))
                try:
                    s.connect((HOST, args.connect))
                    clients.append(s)
                except OSError as error:
                    errors += 1
                    last_error = repr(error)
                    s.close()
                    if errors > 100:
                        break
                drain()
            while len(accepted) < len(clients) and time.monotonic() < deadline:
                drain()
                time.sleep(0.01)
            time.sleep(args.settle)
            drain()
            line = {"stage": index, "wanted": total, "clients": len(clients),
                    "backend_accepted": len(accepted), "connect_errors": errors,
                    "open_seconds": round(time.monotonic() - started, 3), "nofile": nofile}
            if last_error:
                line["last_error"] = last_error
            if args.pid:
                try:
                    line["rss_kib"] = rss_kib(args.pid)
                except OSError:
                    line["rss_kib"] = None
            with open(args.status, "a") as f:
                f.write(json.dumps(line) + "\n")
            while not os.path.exists(f"{args.go}.{index}") and time.monotonic() < deadline:
                time.sleep(0.02)
    finally:
        for s in clients + accepted:
            s.close()
        backend.close()
    print(json.dumps({"stages": stages, "clients": len(clients), "backend_accepted": len(accepted),
                      "connect_errors": errors, "timed_out": time.monotonic() >= deadline}))
    return 0 if len(clients) == len(accepted) == stages[-1] else 1


if __name__ == "__main__":
    sys.exit(main())
