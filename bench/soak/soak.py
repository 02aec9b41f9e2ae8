#!/usr/bin/env python3
"""make soak: the release ordrel under bounded mixed traffic for a fixed time, then checks.

  soak.py serve --echo P,P,.. --digest P,P,..   the local backends (run by `soak.py run`)
  soak.py run --ordrel BIN --ordrelctl BIN --seconds N [...]

`run` writes a config (nbthread 2, an admin and a user stats socket, two backends of three
servers on 127.0.0.1), checks it with `ordrel -c`, starts the backends and `ordrel -db`, and
drives, concurrently and until the time is up:

  short      connect, send 1-8 KB, read the echo, close, at a steady rate
  stream     N MB both ways, sha256-checked: echo (client digest of what it sent against the
             digest of what came back), up (the digest server's digest of what it received),
             down (the digest server's data against the digest it appends)
  halfclose  send 1-64 KB, shutdown(SHUT_WR), the whole echo must still come back
  reset      send and read part of a transfer, then close with SO_LINGER 0 (deliberate RST)
  stats      user- and admin-level queries, each: command, shutdown(SHUT_WR), read to EOF, the
             reply must be complete (ends with its empty line); plus `ordrelctl probe` rounds
  admin      one server per backend at a time through drain, maint, ready, set weight

Then it checks: no early EOF, no corrupted or failed transfer, the daemon's fds back to the
baseline (idle pooled pipes allowed, two fds each), VmRSS growth under the smaller of --rss-mb
and --rss-pct of the baseline, the stats sockets answering during a soft stop (SIGUSR1) while a
stream is open, that stream completing, and the daemon exiting 0. Prints a summary; exits 1 on
any failure. The driver keeps counters only (no per-connection records), so its memory does not
grow with the run length; it prints a progress line every 10 s (runs up to 2 min), 30 s (up to
20 min) or 60 s.
"""
import argparse
import ctypes
import hashlib
import json
import os
import random
import re
import resource
import select
import signal
import socket
import socketserver
import struct
import subprocess
import sys
import tempfile
import threading
import time

CHUNK = 65536


# --------------------------------------------------------------------------------------------
# backends

class EchoHandler(socketserver.BaseRequestHandler):
    """Echoes until EOF, then shuts its write side (a half-close is answered in full)."""

    def handle(self):
        s = self.request
        try:
            while True:
                data = s.recv(CHUNK)
                if not data:
                    break
                s.sendall(data)
            s.shutdown(socket.SHUT_WR)
        except OSError:
            pass


class DigestHandler(socketserver.BaseRequestHandler):
    """First line `UP`: reads to EOF, replies `<bytes> <sha256>\\n`.
    First line `DOWN <n> <seed>`: sends n pseudo-random bytes, then `<sha256 of them>\\n`."""

    def handle(self):
        s = self.request
        try:
            buf = b""
            while b"\n" not in buf:
                data = s.recv(4096)
                if not data or len(buf) > 256:
                    return  # a health check, or garbage
                buf += data
            line, rest = buf.split(b"\n", 1)
            words = line.split()
            if words == [b"UP"]:
                digest = hashlib.sha256(rest)
                count = len(rest)
                while True:
                    data = s.recv(CHUNK)
                    if not data:
                        break
                    digest.update(data)
                    count += len(data)
                s.sendall(b"%d %s\n" % (count, digest.hexdigest().encode()))
            elif len(words) == 3 and words[0] == b"DOWN":
                left, rng = int(words[1]), random.Random(int(words[2]))
                digest = hashlib.sha256()
                while left > 0:
                    chunk = rng.randbytes(min(CHUNK, left))
                    digest.update(chunk)
                    s.sendall(chunk)
                    left -= len(chunk)
                s.sendall(digest.hexdigest().encode() + b"\n")
            s.shutdown(socket.SHUT_WR)
        except OSError:
            pass


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True
    request_queue_size = 256


def serve(args):
    servers = [Server(("127.0.0.1", int(p)), EchoHandler) for p in args.echo.split(",")]
    servers += [Server(("127.0.0.1", int(p)), DigestHandler) for p in args.digest.split(",")]
    for srv in servers[1:]:
        threading.Thread(target=srv.serve_forever, daemon=True).start()
    print("ready", flush=True)
    servers[0].serve_forever()


# --------------------------------------------------------------------------------------------
# bookkeeping

class Tally:
    """Counters shared by the workers, and the first few failure messages (bounded)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.counts = {}
        self.failures = []
        self.failure_count = 0

    def add(self, key, n=1):
        with self.lock:
            self.counts[key] = self.counts.get(key, 0) + n

    def fail(self, key, message):
        with self.lock:
            self.counts[key] = self.counts.get(key, 0) + 1
            self.failure_count += 1
            if len(self.failures) < 30:
                self.failures.append(f"[{time.strftime('%H:%M:%S')}] {key}: {message}")

    def get(self, key):
        with self.lock:
            return self.counts.get(key, 0)

    def snapshot(self):
        with self.lock:
            return dict(self.counts)


def say(start, text):
    print(f"[soak {time.monotonic() - start:6.0f}s] {text}", flush=True)


def connect(port, timeout=30):
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


def recv_exact(s, n):
    parts, got = [], 0
    while got < n:
        data = s.recv(min(CHUNK, n - got))
        if not data:
            break
        parts.append(data)
        got += len(data)
    return b"".join(parts)


def recv_all(s, limit=1 << 24):
    parts, got = [], 0
    while True:
        data = s.recv(CHUNK)
        if not data:
            return b"".join(parts)
        parts.append(data)
        got += len(data)
        if got > limit:
            raise OSError(f"reply larger than {limit} bytes")


def reset_close(s):
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()


# --------------------------------------------------------------------------------------------
# processes: the standalone daemon, or a master and its workers

class ShowProc:
    """A parsed `show proc` (haproxy 2.6's table): the master's pid, <reloads> and [failed: N],
    the current workers' and the old workers' pids."""

    def __init__(self, master, reloads, failed, workers, old):
        self.master, self.reloads, self.failed, self.workers, self.old = master, reloads, failed, workers, old

    def __repr__(self):
        return f"master {self.master} reloads {self.reloads} [failed: {self.failed}] workers {self.workers} old {self.old}"

    @staticmethod
    def parse(text):
        master, section, workers, old = None, None, [], []
        for line in text.splitlines():
            if line.startswith("#"):
                section = {"# workers": workers, "# old workers": old}.get(line.strip())
                continue
            f = line.split()
            if len(f) >= 5 and f[1] == "master" and f[3] == "[failed:":
                master = (int(f[0]), int(f[2]), int(f[4].rstrip("]")))
            elif len(f) >= 3 and f[1] == "worker" and section is not None:
                section.append(int(f[0]))
        if master is None or "# programs" not in text.splitlines():
            return None
        return ShowProc(master[0], master[1], master[2], workers, old)


class Procs:
    """The standalone `ordrel -db` (master_sock None), or the `ordrel -W -db -S` master; worker()
    is the process that serves: the daemon itself, or the master's current worker."""

    def __init__(self, proc, master_sock, tally):
        self.proc, self.master_sock, self.tally = proc, master_sock, tally

    def show(self):
        if self.master_sock is None:
            return None
        s = socket.socket(socket.AF_UNIX)
        s.settimeout(5)
        try:
            s.connect(self.master_sock)
            s.sendall(b"show proc\n")
            s.shutdown(socket.SHUT_WR)
            reply = recv_all(s).decode(errors="replace")
        except OSError as e:
            self.tally.fail("master_cli_error", f"show proc: {e!r}")
            return None
        finally:
            s.close()
        parsed = ShowProc.parse(reply)
        if parsed is None:
            self.tally.fail("master_cli_error", f"show proc: unexpected reply {reply[-200:]!r}")
        return parsed

    def worker(self):
        if self.master_sock is None:
            return self.proc.pid
        p = self.show()
        return p.workers[0] if p is not None and len(p.workers) == 1 else None


class Reloads:
    """Reload bookkeeping: how many were asked and done, how long each took to bring a new worker
    up, and how long each replaced worker took to drain and leave `show proc`."""

    def __init__(self):
        self.lock = threading.Lock()
        self.asked = self.done = 0
        self.times = []          # seconds from `reload` to the new current worker, one per reload
        self.leaving = {}        # replaced worker pid -> monotonic time it was replaced
        self.drain_max = 0.0
        self.drained = 0
        self.old_max = 0         # most old workers listed at once
        self.pids = []           # every worker that became current, in order (bounded by the reloads)

    def replaced(self, old_pid, new_pid, seconds):
        with self.lock:
            self.done += 1
            self.times.append(seconds)
            self.leaving[old_pid] = time.monotonic()
            self.pids.append(new_pid)

    def track(self, p):
        if p is None:
            return
        with self.lock:
            self.old_max = max(self.old_max, len(p.old))
            now = time.monotonic()
            for pid, since in list(self.leaving.items()):
                if pid not in p.old and pid not in p.workers:
                    self.drain_max = max(self.drain_max, now - since)
                    self.drained += 1
                    del self.leaving[pid]


# --------------------------------------------------------------------------------------------
# traffic

class Driver:
    def __init__(self, args, ports, socks, tally, stop, start, procs=None):
        self.args, self.ports, self.socks = args, ports, socks
        self.tally, self.stop, self.start = tally, stop, start
        self.procs, self.reloads = procs, Reloads()

    def paced(self, period, body, seed):
        """Runs body(rng) every `period` seconds (no catching up after a slow round) until stop."""
        rng = random.Random(seed)
        nxt = time.monotonic()
        while not self.stop.is_set():
            body(rng)
            nxt = max(nxt + period, time.monotonic())
            self.stop.wait(max(0.0, nxt - time.monotonic()))

    # short connections -----------------------------------------------------------------------
    def short_once(self, rng):
        payload = rng.randbytes(rng.randint(1024, 8192))
        try:
            with connect(self.ports["fe_echo"], timeout=10) as s:
                s.sendall(payload)
                got = recv_exact(s, len(payload))
        except OSError as e:
            self.tally.fail("short_failed", repr(e))
            return
        if got == payload:
            self.tally.add("short_ok")
        else:
            self.tally.fail("short_corrupt", f"sent {len(payload)} bytes, got {len(got)} back, equal prefix: {got == payload[:len(got)]}")

    # long streams ----------------------------------------------------------------------------
    def stream_once(self, rng):
        size = rng.randint(1 << 20, self.args.stream_mb << 20)
        mode = rng.choice(("echo", "up", "down"))
        seed = rng.getrandbits(48)
        try:
            ok, detail = getattr(self, "stream_" + mode)(size, seed)
        except OSError as e:
            ok, detail = False, repr(e)
        if ok:
            self.tally.add("stream_ok")
            self.tally.add("stream_" + mode)
            self.tally.add("stream_bytes", size * (2 if mode == "echo" else 1))
        else:
            self.tally.fail("stream_corrupt", f"{mode} {size} bytes: {detail}")

    @staticmethod
    def send_random(s, size, seed, digest, prefix=b""):
        rng = random.Random(seed)
        if prefix:
            s.sendall(prefix)
        left = size
        while left > 0:
            chunk = rng.randbytes(min(CHUNK, left))
            digest.update(chunk)
            s.sendall(chunk)
            left -= len(chunk)

    def stream_echo(self, size, seed):
        sent_digest, errors = hashlib.sha256(), []
        with connect(self.ports["fe_echo"]) as s:
            def writer():
                try:
                    self.send_random(s, size, seed, sent_digest)
                    s.shutdown(socket.SHUT_WR)
                except OSError as e:
                    errors.append(repr(e))
            w = threading.Thread(target=writer, daemon=True)
            w.start()
            got_digest, got = hashlib.sha256(), 0
            try:
                while True:
                    data = s.recv(CHUNK)
                    if not data:
                        break
                    got_digest.update(data)
                    got += len(data)
            finally:
                w.join(60)
        if errors:
            return False, "send: " + errors[0]
        if got != size:
            return False, f"{got} bytes came back"
        if got_digest.digest() != sent_digest.digest():
            return False, "digest mismatch"
        return True, ""

    def stream_up(self, size, seed):
        digest = hashlib.sha256()
        with connect(self.ports["fe_digest"]) as s:
            self.send_random(s, size, seed, digest, prefix=b"UP\n")
            s.shutdown(socket.SHUT_WR)
            reply = recv_all(s, 4096)
        want = b"%d %s\n" % (size, digest.hexdigest().encode())
        return (True, "") if reply == want else (False, f"server saw {reply[:100]!r}, want {want!r}")

    def stream_down(self, size, seed):
        with connect(self.ports["fe_digest"]) as s:
            s.sendall(b"DOWN %d %d\n" % (size, seed))
            s.shutdown(socket.SHUT_WR)
            digest, got, tail = hashlib.sha256(), 0, b""
            while True:
                data = s.recv(CHUNK)
                if not data:
                    break
                take = min(len(data), max(0, size - got))
                digest.update(data[:take])
                tail += data[take:]
                got += take
                if len(tail) > 100:
                    return False, "more than the announced bytes"
        if got != size:
            return False, f"{got} of {size} bytes"
        if tail != digest.hexdigest().encode() + b"\n":
            return False, f"digest mismatch (trailer {tail[:70]!r})"
        return True, ""

    # half-closes and resets ------------------------------------------------------------------
    def halfclose_once(self, rng):
        payload = rng.randbytes(rng.randint(1, 65536))
        try:
            with connect(self.ports["fe_echo"], timeout=10) as s:
                s.sendall(payload)
                s.shutdown(socket.SHUT_WR)
                got = recv_all(s)
        except OSError as e:
            self.tally.fail("halfclose_failed", repr(e))
            return
        if got == payload:
            self.tally.add("halfclose_ok")
        else:
            self.tally.fail("halfclose_corrupt", f"sent {len(payload)}, got {len(got)}")

    def reset_once(self, rng):
        """Mid-transfer RST from the client: an echo being sent and read, or a download."""
        download = rng.random() < 0.5
        total = rng.randint(256 << 10, 4 << 20)
        stop_after = rng.randint(1, total // 2)
        try:
            s = connect(self.ports["fe_digest" if download else "fe_echo"], timeout=10)
        except OSError as e:
            self.tally.fail("reset_connect_failed", repr(e))
            return
        try:
            s.setblocking(False)
            pending = b"DOWN %d %d\n" % (total, rng.getrandbits(32)) if download else b""
            sent, got, deadline = 0, 0, time.monotonic() + 10
            data_rng = random.Random(rng.getrandbits(32))
            while got < stop_after and time.monotonic() < deadline:
                if not pending and not download and sent < total:
                    pending = data_rng.randbytes(min(CHUNK, total - sent))
                r, w, _ = select.select([s], [s] if pending else [], [], 1)
                if r:
                    data = s.recv(CHUNK)
                    if not data:
                        raise OSError("EOF before the reset")
                    got += len(data)
                if w and pending:
                    n = s.send(pending)
                    sent += n if not download else 0
                    pending = pending[n:]
            if got < stop_after:
                raise OSError(f"only {got} bytes in 10 s")
        except OSError as e:
            self.tally.fail("reset_failed", f"before the reset: {e!r}")
            reset_close(s)
            return
        reset_close(s)
        self.tally.add("reset_done")

    # stats sockets ---------------------------------------------------------------------------
    def query(self, path, command, timeout=10):
        """Command, shutdown(SHUT_WR), read to EOF. Returns (reply bytes, None) or (bytes, error)."""
        s = socket.socket(socket.AF_UNIX)
        s.settimeout(timeout)
        try:
            s.connect(path)
            s.sendall(command.encode() + b"\n")
            s.shutdown(socket.SHUT_WR)
            return recv_all(s), None
        except OSError as e:
            return b"", repr(e)
        finally:
            s.close()

    @staticmethod
    def complete(reply, command):
        if not reply.endswith(b"\n\n") and reply != b"\n":
            return False
        if command == "show info":
            return reply.startswith(b"Name: ")
        if command == "show stat":
            lines = [l for l in reply.split(b"\n") if l]
            if not lines or not lines[0].startswith(b"# pxname,svname,"):
                return False
            width = lines[0].count(b",")
            return all(l.count(b",") == width for l in lines)
        return True

    def stats_once(self, rng):
        level = rng.choice(("user", "admin"))
        command = rng.choice(("show info", "show stat", "show sess", "show servers state", "show backend"))
        reply, error = self.query(self.socks[level], command)
        if error:
            self.tally.fail("stats_error", f"{level} {command}: {error}")
        elif not reply:
            self.tally.fail("early_eof", f"{level} {command}: EOF before any byte")
        elif not self.complete(reply, command):
            self.tally.fail("early_eof", f"{level} {command}: incomplete reply ending {reply[-60:]!r}")
        else:
            self.tally.add(f"stats_ok_{level}")

    def probe_round(self, level, count):
        """One `ordrelctl probe` run; its counts join the tally."""
        cmd = [self.args.ordrelctl, "probe", "-s", self.socks[level], "-n", str(count), "-c", "4",
               "--command", "show stat", "--json"]
        try:
            r = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
            result = json.loads(r.stdout.strip().splitlines()[-1])
        except (subprocess.SubprocessError, ValueError, IndexError, OSError) as e:
            self.tally.fail("probe_error", f"{level}: {e!r}")
            return
        self.tally.add("probe_complete", result["complete"])
        bad = sum(result[k] for k in ("empty", "short", "reset", "timeout", "connect_failed"))
        if bad:
            self.tally.fail("early_eof", f"ordrelctl probe at level {level}: {r.stdout.strip()}")
            self.tally.add("early_eof", bad - 1)

    def probe_worker(self):
        i = 0
        while not self.stop.wait(self.args.probe_every):
            self.probe_round(("user", "admin")[i % 2], self.args.probe_n)
            i += 1

    # a stream that lives across reloads ------------------------------------------------------
    def span_once(self, rng):
        """One echo connection held open for --span-seconds (longer than the reload period): a
        4 KiB chunk every 50 ms, each echoed back before the next, then a half-close. Its worker
        is replaced while it runs, so the old worker must keep serving it while it drains."""
        reloads_before, chunks = self.reloads.done, 0
        end = time.monotonic() + self.args.span_seconds
        try:
            with connect(self.ports["fe_echo"], timeout=10) as s:
                while time.monotonic() < end and not self.stop.is_set():
                    chunk = rng.randbytes(4096)
                    s.sendall(chunk)
                    got = recv_exact(s, len(chunk))
                    if got != chunk:
                        self.tally.fail("span_corrupt", f"chunk {chunks}: sent 4096 bytes, got {len(got)} back, "
                                                        f"equal prefix: {got == chunk[:len(got)]}")
                        return
                    chunks += 1
                    time.sleep(0.05)
                s.shutdown(socket.SHUT_WR)
                rest = recv_all(s)
        except OSError as e:
            self.tally.fail("span_failed", f"after {chunks} chunks: {e!r}")
            return
        if rest:
            self.tally.fail("span_corrupt", f"{len(rest)} bytes after the half-close")
            return
        self.tally.add("span_ok")
        self.tally.add("span_chunks", chunks)
        if self.reloads.done > reloads_before:
            self.tally.add("span_across_reload")

    # reloads -----------------------------------------------------------------------------------
    def reload_worker(self):
        """Every --reload-every seconds: `reload` on the master CLI, with an `ordrelctl probe` round
        started just before it (so stats sessions are open while the stats sockets change hands),
        then `show proc` until a new worker is current. Between reloads, `show proc` every 0.25 s
        times how long each replaced worker takes to drain and exit."""
        every = self.args.reload_every
        next_at = time.monotonic() + every
        level = 0
        while not self.stop.wait(min(0.25, max(0.0, next_at - time.monotonic()))):
            self.reloads.track(self.procs.show())
            if time.monotonic() < next_at:
                continue
            probe = threading.Thread(target=self.probe_round, args=(("user", "admin")[level % 2], 300), daemon=True)
            level += 1
            probe.start()
            time.sleep(0.05)
            self.reload_once()
            probe.join(120)
            next_at = max(next_at + every, time.monotonic())

    def reload_once(self):
        before = self.procs.show()
        if before is None or len(before.workers) != 1:
            self.tally.fail("reload_failed", f"before the reload, show proc: {before}")
            return
        self.reloads.asked += 1
        t0 = time.monotonic()
        reply, error = self.query(self.procs.master_sock, "reload")
        if error or reply:
            self.tally.fail("reload_failed", f"reload on the master CLI: {error or reply[:200]!r}")
            return
        deadline, now = t0 + 30, None
        while time.monotonic() < deadline:
            now = self.procs.show()
            if now is not None and now.failed:
                break
            if now is not None and now.reloads >= before.reloads + 1 and now.workers and now.workers[0] != before.workers[0]:
                self.reloads.replaced(before.workers[0], now.workers[0], time.monotonic() - t0)
                self.tally.add("reload_ok")
                return
            time.sleep(0.02)
        self.tally.fail("reload_failed", f"no new current worker {time.monotonic() - t0:.1f} s after `reload`: "
                                         f"before {before}, now {now}")

    # server state changes --------------------------------------------------------------------
    def admin_worker(self):
        """One server per backend at a time: drain, maint, ready, a weight, the weight back.
        The other two servers of the backend stay ready, so it always has a usable server.
        A reload puts every server back to its configuration (ready, weight 10) in the new worker;
        that only makes more servers usable, and every command here is accepted from any state,
        so the replies stay the empty line. A command that an old worker accepted just before it
        stopped is lost with it, which nothing here relies on; the end of the run sets every
        server ready at weight 10 on the current worker either way."""
        steps = []
        for i in range(3):
            for be, prefix in (("be_echo", "e"), ("be_digest", "d")):
                srv = f"{be}/{prefix}{i + 1}"
                steps += [f"set server {srv} state drain", f"set server {srv} state maint",
                          f"set server {srv} state ready", f"set weight {srv} {random.randint(1, 256)}",
                          f"set weight {srv} 10"]
        i = 0
        while not self.stop.wait(self.args.admin_every):
            command = steps[i % len(steps)]
            i += 1
            reply, error = self.query(self.socks["admin"], command)
            if error or reply != b"\n":
                self.tally.fail("admin_failed", f"{command}: {error or reply[:200]!r}")
            else:
                self.tally.add("admin_ok")
        # leave every server ready at its configured weight
        for i in range(3):
            for be, prefix in (("be_echo", "e"), ("be_digest", "d")):
                for command in (f"set server {be}/{prefix}{i + 1} state ready", f"set weight {be}/{prefix}{i + 1} 10"):
                    reply, error = self.query(self.socks["admin"], command)
                    if error or reply != b"\n":
                        self.tally.fail("admin_failed", f"{command}: {error or reply[:200]!r}")


# --------------------------------------------------------------------------------------------
# the run

def fd_count(pid):
    """None once the process is gone (a replaced worker may exit between show proc and here)."""
    try:
        return len(os.listdir(f"/proc/{pid}/fd"))
    except FileNotFoundError:
        return None


def rss_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except FileNotFoundError:
        return None
    return 0


def trim_heap():
    """Hands the driver's freed heap back to the OS. Without it glibc keeps the freed 64 KiB
    chunks of the transfers and the driver's VmRSS creeps up (about 0.5 MiB per 30 s) although
    its Python objects do not grow; with it, VmRSS stays flat, so long runs stay bounded."""
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):
        pass  # not glibc


def cpu_seconds(pid, reaped=False):
    """utime + stime; with reaped, plus cutime + cstime (the children it has waited for: a
    master's former workers)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12]) + ((int(fields[13]) + int(fields[14])) if reaped else 0)
    return ticks / os.sysconf("SC_CLK_TCK")


def show_info(driver):
    reply, error = driver.query(driver.socks["admin"], "show info", timeout=5)
    if error or not driver.complete(reply, "show info"):
        return None
    info = {}
    for line in reply.decode(errors="replace").splitlines():
        k, sep, v = line.partition(":")
        if sep:
            info[k.strip()] = v.strip()
    return info


def port_free(port):
    s = socket.socket()
    try:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", port))
        return True
    except OSError:
        return False
    finally:
        s.close()


def wait_for(predicate, seconds, interval=0.05):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


def config_text(ports, socks):
    servers = lambda prefix, names: "\n".join(
        f"    server {prefix}{i + 1} 127.0.0.1:{ports[n]} weight 10 check inter 2s" for i, n in enumerate(names))
    return f"""# Generated by bench/soak/soak.py
global
    nbthread 2
    maxconn 2000
    stats socket {socks['admin']} mode 600 level admin
    stats socket {socks['user']} mode 600 level user
    stats timeout 30s
    hard-stop-after 60s

defaults
    mode tcp
    retries 2
    option redispatch
    timeout connect 2s
    timeout client 30s
    timeout server 30s
    timeout client-fin 10s
    timeout server-fin 10s
    timeout queue 10s

frontend fe_echo
    bind 127.0.0.1:{ports['fe_echo']}
    default_backend be_echo

frontend fe_digest
    bind 127.0.0.1:{ports['fe_digest']}
    default_backend be_digest

backend be_echo
    balance roundrobin
{servers('e', ['echo1', 'echo2', 'echo3'])}

backend be_digest
    balance leastconn
{servers('d', ['digest1', 'digest2', 'digest3'])}
"""


def run(args):
    start = time.monotonic()
    base = args.port_base
    ports = {"echo1": base, "echo2": base + 1, "echo3": base + 2,
             "digest1": base + 3, "digest2": base + 4, "digest3": base + 5,
             "fe_echo": base + 10, "fe_digest": base + 11}
    busy = [p for p in ports.values() if not port_free(p)]
    if busy:
        say(start, f"FATAL: ports {busy} are in use; set SOAK_PORT_BASE")
        return 2
    tmp = tempfile.mkdtemp(prefix="ordrel-soak.")
    socks = {"admin": os.path.join(tmp, "admin.sock"), "user": os.path.join(tmp, "user.sock")}
    cfg = os.path.join(tmp, "soak.cfg")
    with open(cfg, "w") as f:
        f.write(config_text(ports, socks))
    check = subprocess.run([args.ordrel, "-c", "-f", cfg], capture_output=True, text=True)
    if check.returncode != 0:
        say(start, f"FATAL: ordrel -c rejects the generated config:\n{check.stdout}{check.stderr}")
        return 2

    procs = []
    log_path = os.path.join(tmp, "ordrel.log")

    def cleanup():
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()
        if args.keep_tmp:
            say(start, f"kept {tmp}")
        else:
            for name in os.listdir(tmp):
                os.unlink(os.path.join(tmp, name))
            os.rmdir(tmp)

    def on_signal(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)

    try:
        backend = subprocess.Popen(
            [sys.executable, os.path.abspath(__file__), "serve",
             "--echo", ",".join(str(ports[k]) for k in ("echo1", "echo2", "echo3")),
             "--digest", ",".join(str(ports[k]) for k in ("digest1", "digest2", "digest3"))],
            stdout=subprocess.PIPE, stderr=open(os.path.join(tmp, "backends.log"), "w"), text=True)
        procs.append(backend)
        if backend.stdout.readline().strip() != "ready":
            say(start, "FATAL: the backends did not start")
            return 2
        log = open(log_path, "w")
        master_sock = os.path.join(tmp, "master.sock") if args.reload_every > 0 else None
        command = [args.ordrel, "-db", "-f", cfg]
        if master_sock:
            command = [args.ordrel, "-W", "-db", "-S", master_sock, "-f", cfg]
        ordrel = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        procs.append(ordrel)
        where = Procs(ordrel, master_sock, Tally())
        if not wait_for(lambda: os.path.exists(socks["admin"]) and os.path.exists(socks["user"])
                        and not port_free(ports["fe_echo"]) and not port_free(ports["fe_digest"])
                        and (not master_sock or (os.path.exists(master_sock) and where.worker() is not None)), 10):
            say(start, "FATAL: ordrel did not start:\n" + open(log_path).read()[-2000:])
            return 2
        return soak(args, start, ports, socks, ordrel, log_path, master_sock)
    except KeyboardInterrupt as e:
        say(start, f"interrupted ({e})")
        return 130
    finally:
        cleanup()


def soak(args, start, ports, socks, ordrel, log_path, master_sock):
    tally, stop = Tally(), threading.Event()
    procs = Procs(ordrel, master_sock, tally)
    reloading = master_sock is not None
    driver = Driver(args, ports, socks, tally, stop, start, procs)
    ver = subprocess.run([args.ordrel, "-v"], capture_output=True, text=True).stdout.strip().splitlines()
    first = procs.worker()
    if first is None:
        say(start, "FATAL: no current worker in show proc")
        return 1
    mode = (f"master {ordrel.pid} (-W -db -S), first worker {first}, a reload every {args.reload_every:g} s"
            if reloading else f"pid {first}")
    say(start, f"ordrel {mode} ({ver[0] if ver else '?'}), {args.seconds} s of traffic, "
               f"fe_echo :{ports['fe_echo']}, fe_digest :{ports['fe_digest']}")

    # the baseline: a checked, idle daemon (a health check may be in flight: take the minimum);
    # with reloads, the first worker's and the master's
    time.sleep(2.5)
    info = show_info(driver)
    if info is None:
        say(start, "FATAL: the admin socket does not answer show info")
        return 1
    fd_samples, mfd_samples = [], []
    for _ in range(10):
        fd_samples.append(fd_count(first))
        if reloading:
            mfd_samples.append(fd_count(ordrel.pid))
        time.sleep(0.1)
    fd_base, rss_base = min(fd_samples), rss_kib(first)
    mfd_base = min(mfd_samples) if reloading else None
    mrss_base = rss_kib(ordrel.pid) if reloading else None
    say(start, f"baseline: {'first worker ' if reloading else ''}{fd_base} fds, VmRSS {rss_base} KiB"
               + (f"; master {mfd_base} fds, VmRSS {mrss_base} KiB" if reloading else ""))

    workers = [
        ("short", lambda: driver.paced(1.0 / args.short_rate, driver.short_once, 1)),
        ("halfclose", lambda: driver.paced(0.1, driver.halfclose_once, 2)),
        ("reset", lambda: driver.paced(0.25, driver.reset_once, 3)),
        ("stats", lambda: driver.paced(0.1, driver.stats_once, 4)),
        ("probe", driver.probe_worker),
        ("admin", driver.admin_worker),
    ]
    workers += [(f"stream{i}", (lambda i=i: driver.paced(args.stream_pause, driver.stream_once, 100 + i)))
                for i in range(args.streams)]
    if reloading:
        workers += [("reload", driver.reload_worker),
                    ("span", lambda: driver.paced(0.5, driver.span_once, 5))]
    threads = [threading.Thread(target=body, name=name, daemon=True) for name, body in workers]
    for t in threads:
        t.start()

    # samples every --sample seconds (of the current worker, and the master); progress lines
    traffic_start = time.monotonic()
    end = traffic_start + args.seconds
    rss_max = rss_last = rss_base
    mrss_max = mrss_last = mrss_base
    rss_after_warmup = None
    warmup = min(60.0, args.seconds / 4)
    next_progress = traffic_start + args.progress
    samples = 0
    pid = first
    while True:
        now = time.monotonic()
        if now >= end:
            break
        time.sleep(min(args.sample, end - now))
        if ordrel.poll() is not None:
            tally.fail("daemon_exited", f"ordrel exited with {ordrel.returncode} during the traffic")
            break
        pid = procs.worker() or pid
        rss = rss_kib(pid)
        if rss is None:  # replaced and gone between show proc and the sample
            continue
        rss_last = rss
        rss_max = max(rss_max, rss_last)
        if reloading:
            mrss_last = rss_kib(ordrel.pid) or mrss_last
            mrss_max = max(mrss_max, mrss_last)
        trim_heap()
        samples += 1
        if rss_after_warmup is None and time.monotonic() - traffic_start >= warmup:
            rss_after_warmup = rss_last
        if time.monotonic() >= next_progress:
            next_progress += args.progress
            c = tally.snapshot()
            where = (f"reloads {driver.reloads.done}/{driver.reloads.asked} | worker {pid} fds {fd_count(pid)} "
                     f"VmRSS {rss_last} KiB, master fds {fd_count(ordrel.pid)} VmRSS {mrss_last} KiB"
                     if reloading else f"fds {fd_count(pid)} VmRSS {rss_last} KiB")
            say(start, f"short {c.get('short_ok', 0)} streams {c.get('stream_ok', 0)} "
                       f"({c.get('stream_bytes', 0) >> 20} MiB) halfclose {c.get('halfclose_ok', 0)} "
                       f"resets {c.get('reset_done', 0)} stats {c.get('stats_ok_user', 0)}u/{c.get('stats_ok_admin', 0)}a "
                       f"probe {c.get('probe_complete', 0)} admin {c.get('admin_ok', 0)}"
                       + (f" span {c.get('span_ok', 0)}" if reloading else "")
                       + f" | failures {tally.failure_count} | {where} | driver VmRSS {rss_kib(os.getpid())} KiB")
    stop.set()
    say(start, "traffic stops; waiting for the workers")
    stuck = []
    join_deadline = time.monotonic() + 120
    for t in threads:
        t.join(max(0.1, join_deadline - time.monotonic()))
        if t.is_alive():
            stuck.append(t.name)
    if stuck:
        tally.fail("worker_stuck", f"still running 120 s after the end: {stuck}")
    traffic_seconds = time.monotonic() - traffic_start

    results = []  # (name, ok, text)

    # with reloads: every old worker drains and leaves (hard-stop-after is 60 s: wait a bit longer)
    final = None
    if reloading and ordrel.poll() is None:
        def drained():
            nonlocal final
            final = procs.show()
            driver.reloads.track(final)
            return final is not None and len(final.workers) == 1 and not final.old
        drain_wait = time.monotonic()
        wait_for(drained, 75, 0.25)
        drain_wait = time.monotonic() - drain_wait
        if final is not None and final.workers:
            pid = final.workers[0]

    # the daemon is idle again: connections, fds
    alive = ordrel.poll() is None and os.path.exists(f"/proc/{pid}")
    info = {}
    fd_after = None
    if alive:
        def settled():
            nonlocal info, fd_after
            info = show_info(driver) or {}
            fd_after = fd_count(pid)
            pipes = int(info.get("PipesFree", 0) or 0)
            return info.get("CurrConns") == "0" and fd_after is not None and fd_after <= fd_base + 2 * pipes
        wait_for(settled, 20, 0.25)
    pipes_free = int(info.get("PipesFree", 0) or 0)
    max_pipes = info.get("Maxpipes", "?")
    results.append(("daemon alive after the traffic", alive,
                    f"master {ordrel.pid}, current worker {pid}" if reloading else f"pid {pid}"))
    results.append(("no connection left", info.get("CurrConns") == "0" and info.get("PipesUsed", "0") == "0",
                    f"CurrConns {info.get('CurrConns')}, PipesUsed {info.get('PipesUsed')}"))
    results.append(("fds back to the first worker's baseline" if reloading else "fds back to the baseline",
                    fd_after is not None and fd_after <= fd_base + 2 * pipes_free,
                    f"{fd_base} before the traffic{' (first worker ' + str(first) + ')' if reloading else ''}, "
                    f"{fd_after} after{' (worker ' + str(pid) + ')' if reloading else ''} ({pipes_free} idle pooled pipes, "
                    f"{2 * pipes_free} fds allowed; Maxpipes {max_pipes})"))
    rss_end = (rss_kib(pid) or rss_last) if alive else rss_last
    growth = rss_end - rss_base
    bound = min(args.rss_mb * 1024, args.rss_pct / 100 * rss_base)
    bound_text = f"the smaller of {args.rss_mb:g} MiB and {args.rss_pct:g} % of the baseline"
    results.append((f"RSS growth under {bound:.0f} KiB ({bound_text})"
                    + (": the last worker against the first worker's baseline" if reloading else ""), growth < bound,
                    f"VmRSS {rss_base} KiB before, {rss_after_warmup} after {warmup:.0f} s, max {rss_max}, "
                    f"{rss_end} at the end: {growth:+d} KiB ({100.0 * growth / max(rss_base, 1):+.1f} %), {samples} samples"))

    if reloading:
        r = driver.reloads
        c = tally.snapshot()
        ok = (final is not None and r.asked == r.done == final.reloads and final.failed == 0
              and len(final.workers) == 1 and not final.old
              and c.get("reload_failed", 0) == 0 and c.get("master_cli_error", 0) == 0
              and (r.asked > 0 or args.seconds < args.reload_every))
        results.append(("every reload asked was done; show proc: one worker, none old, <reloads> = asked, [failed: 0]", ok,
                        f"{r.asked} asked, {r.done} done; show proc at the end: {final}; "
                        f"{c.get('master_cli_error', 0)} master CLI errors"))
        log_text = open(log_path, errors="replace").read()
        former = re.findall(r"Former worker \((\d+)\) exited with code (\d+)", log_text)
        hard = [l for l in log_text.splitlines() if "hard stop" in l]
        bad_exits = [(p, code) for p, code in former if code != "0"]
        results.append(("every replaced worker drained and exited 0 (no hard stop)",
                        not r.leaving and r.drained == r.done and len(former) == r.done and not bad_exits and not hard,
                        f"{r.drained} of {r.done} left show proc, slowest {r.drain_max:.1f} s after its replacement "
                        f"(at most {r.old_max} old workers at once; {drain_wait:.1f} s waited after the traffic); "
                        f"log: {len(former)} 'Former worker ... exited', codes other than 0: {bad_exits or 'none'}, "
                        f"hard stops: {len(hard)}"))
        mfd_after = None
        if ordrel.poll() is None:
            mfd_after = min(fd_count(ordrel.pid) or 10**6 for _ in range(5))
        results.append(("master fds back to its baseline", mfd_after is not None and mfd_after <= mfd_base,
                        f"{mfd_base} before the traffic, {mfd_after} after"))
        mrss_end = (rss_kib(ordrel.pid) or mrss_last) if ordrel.poll() is None else mrss_last
        mgrowth = mrss_end - mrss_base
        mbound = min(args.rss_mb * 1024, args.rss_pct / 100 * mrss_base)
        results.append((f"master RSS growth under {mbound:.0f} KiB ({bound_text})", mgrowth < mbound,
                        f"VmRSS {mrss_base} KiB before, max {mrss_max}, {mrss_end} at the end: "
                        f"{mgrowth:+d} KiB ({100.0 * mgrowth / max(mrss_base, 1):+.1f} %)"))

    cpu = None
    if alive:
        cpu = cpu_seconds(pid)
        if reloading:
            cpu += cpu_seconds(ordrel.pid, reaped=True)

    # still answering, at both levels, with the probe
    if alive:
        driver.probe_round("user", 200)
        driver.probe_round("admin", 200)

    # soft stop with a stream open: the sockets answer, the stream completes, exit 0
    # (with reloads, SIGUSR1 goes to the master, which passes it on to its worker)
    soft = {"answers": False, "stream": False}
    if alive:
        try:
            s = connect(ports["fe_echo"])
            s.sendall(b"before the signal\n")
            first_bytes = recv_exact(s, 18)
            ordrel.send_signal(signal.SIGUSR1)
            time.sleep(0.5)
            r_admin, e1 = driver.query(socks["admin"], "show info", 5)
            r_user, e2 = driver.query(socks["user"], "show info", 5)
            soft["answers"] = (not e1 and not e2 and driver.complete(r_admin, "show info")
                               and driver.complete(r_user, "show info") and b"Stopping: 1" in r_admin)
            soft["detail"] = f"admin {len(r_admin)} bytes {e1 or ''}, user {len(r_user)} bytes {e2 or ''}, " \
                             f"Stopping: 1 {'reported' if b'Stopping: 1' in r_admin else 'missing'}"
            s.sendall(b"after the signal\n")
            s.shutdown(socket.SHUT_WR)
            rest = recv_all(s)
            s.close()
            soft["stream"] = first_bytes == b"before the signal\n" and rest == b"after the signal\n"
        except OSError as e:
            soft["detail"] = repr(e)
        results.append(("stats sockets answer during the soft stop", soft["answers"], soft.get("detail", "")))
        results.append(("open stream completes during the soft stop", soft["stream"], ""))
        try:
            rc = ordrel.wait(30)
        except subprocess.TimeoutExpired:
            rc = None
        results.append((f"ordrel {'master ' if reloading else ''}exits 0 after SIGUSR1", rc == 0, f"exit status {rc}"))

    c = tally.snapshot()
    early = c.get("early_eof", 0) + c.get("stats_error", 0) + c.get("probe_error", 0)
    corrupt = sum(v for k, v in c.items()
                  if k.endswith(("_corrupt", "_failed")) and k not in ("admin_failed", "reload_failed"))
    results.insert(0, ("0 early EOFs on the stats sockets", early == 0,
                       f"{c.get('stats_ok_user', 0)} user + {c.get('stats_ok_admin', 0)} admin queries complete, "
                       f"{c.get('probe_complete', 0)} more by ordrelctl probe; {early} bad"))
    span = (f", streams held across reloads {c.get('span_ok', 0)} ({c.get('span_across_reload', 0)} outlived "
            f"their worker's replacement, {c.get('span_chunks', 0)} chunks)") if reloading else ""
    results.insert(1, ("0 corrupted or failed transfers", corrupt == 0,
                       f"short {c.get('short_ok', 0)}, streams {c.get('stream_ok', 0)} "
                       f"(echo {c.get('stream_echo', 0)}, up {c.get('stream_up', 0)}, down {c.get('stream_down', 0)}; "
                       f"{c.get('stream_bytes', 0) / (1 << 20):.0f} MiB checked), half-closes {c.get('halfclose_ok', 0)}, "
                       f"deliberate resets {c.get('reset_done', 0)}{span}; {corrupt} bad"))
    results.insert(2, ("server state changes all accepted", c.get("admin_failed", 0) == 0,
                       f"{c.get('admin_ok', 0)} commands"))
    results.insert(3, ("no worker stuck or daemon exit", not stuck and c.get("daemon_exited", 0) == 0, ""))

    print()
    if reloading:
        r = driver.reloads
        times = sorted(r.times)
        print(f"soak summary: {traffic_seconds:.0f} s of traffic, ordrel nbthread 2, master-worker, "
              f"{r.done} reloads (one every {args.reload_every:g} s)")
        if times:
            print(f"  info  reload to new current worker: median {times[len(times) // 2]:.2f} s, max {times[-1]:.2f} s; "
                  f"workers {first} (first) ... {pid} (last)")
    else:
        print(f"soak summary: {traffic_seconds:.0f} s of traffic, ordrel nbthread 2")
    if cpu is not None:
        who = "ordrel (master, every worker)" if reloading else "ordrel"
        print(f"  info  {who} used {cpu:.1f} s of CPU ({100 * cpu / max(traffic_seconds, 1):.0f} % of one core "
              f"over the run); the driver's own max RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss} KiB")
    for name, ok, text in results:
        print(f"  {'PASS' if ok else 'FAIL'}  {name}{': ' + text if text else ''}")
    if tally.failures:
        print(f"  first failures ({tally.failure_count} in all):")
        for f in tally.failures:
            print("    " + f)
    failed = [name for name, ok, _ in results if not ok]
    if failed:
        print("  ordrel log tail:")
        for line in open(log_path, errors="replace").read().splitlines()[-15:]:
            print("    " + line)
    print("soak: " + ("FAIL (" + "; ".join(failed) + ")" if failed else "OK"))
    return 1 if failed else 0


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("serve")
    s.add_argument("--echo", required=True)
    s.add_argument("--digest", required=True)
    r = sub.add_parser("run")
    r.add_argument("--ordrel", required=True)
    r.add_argument("--ordrelctl", required=True)
    r.add_argument("--seconds", type=float, default=600)
    r.add_argument("--port-base", type=int, default=27700)
    r.add_argument("--short-rate", type=float, default=40, help="short connections per second")
    r.add_argument("--streams", type=int, default=2, help="long streams in flight")
    r.add_argument("--stream-mb", type=int, default=16, help="largest stream, MiB (each is 1..this)")
    r.add_argument("--stream-pause", type=float, default=0.5, help="least seconds from one stream's start to the next")
    r.add_argument("--admin-every", type=float, default=2.0)
    r.add_argument("--probe-every", type=float, default=30.0)
    r.add_argument("--probe-n", type=int, default=500)
    r.add_argument("--sample", type=float, default=5.0, help="seconds between VmRSS samples")
    r.add_argument("--progress", type=float, default=0, help="seconds between progress lines (0: by run length)")
    r.add_argument("--rss-mb", type=float, default=20, help="largest allowed VmRSS growth, MiB")
    r.add_argument("--rss-pct", type=float, default=25, help="largest allowed VmRSS growth, % of the baseline")
    r.add_argument("--reload-every", type=float, default=30,
                   help="seconds between reloads of ordrel -W (0: a standalone ordrel -db, no reloads)")
    r.add_argument("--keep-tmp", action="store_true")
    args = parser.parse_args()
    if args.cmd == "serve":
        return serve(args)
    if args.progress <= 0:
        args.progress = 10 if args.seconds <= 120 else 30 if args.seconds <= 1200 else 60
    args.probe_every = min(args.probe_every, max(5.0, args.seconds / 4))
    # a stream held open across reloads outlives one reload period, and stays under hard-stop-after (60 s)
    args.span_seconds = min(45.0, max(5.0, 1.5 * args.reload_every))
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
