#!/usr/bin/env python3
"""The checks `make container-test` runs on ordrel's image in a running container.

    container_checks.py IMAGE WORKDIR DEPLOYMENT_YAML

Starts IMAGE with --network host (all traffic on 127.0.0.1), its configuration folder mounted
from WORKDIR and /run/ordrel on a volume, next to a backend served from this script, then checks:
traffic through a frontend, the non-root user, both stats sockets through `docker exec`, the
image's HEALTHCHECK, a reload by `docker kill -s USR2` of a changed mounted configuration with no
connection lost, the Kubernetes example's reloader sidecar (its script taken from DEPLOYMENT_YAML)
rejecting a broken configuration and reloading a good one, and `docker stop` as a soft stop that
lets an in-flight transfer end intact. Prints one PASS/FAIL line per check and `N passed, N
failed`; exits 1 when one failed. Containers and the volume are removed however it ends.
Needs PyYAML (make container-test runs it from the venv that has kubernetes-validate).
"""
import hashlib
import json
import os
import socket
import subprocess
import sys
import threading
import time

import yaml

SMALL = bytes((i * 7 + 3) % 251 for i in range(64 * 1024))
LARGE = hashlib.shake_256(b"ordrel container test").digest(32 * 1024 * 1024)
HELD_PREFIX = 1024 * 1024  # a held transfer reads this much, then stops reading until told
WAIT = 30  # seconds any awaited state may take: loose, the machine is shared


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def docker(*args, timeout=120):
    return subprocess.run(["docker", *args], capture_output=True, text=True, timeout=timeout)


def wait_until(what, predicate, seconds=WAIT):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"not within {seconds} s: {what}")


class Backend:
    """A TCP server on 127.0.0.1: the first byte a client sends picks the reply, SMALL (S) or
    LARGE (L), written whole, then the connection is closed."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            connection, _ = self.listener.accept()
            threading.Thread(target=self.reply, args=(connection,), daemon=True).start()

    @staticmethod
    def reply(connection):
        with connection:
            try:
                kind = connection.recv(1)
                connection.sendall(LARGE if kind == b"L" else SMALL)
            except OSError:
                pass


def fetch_small(port):
    """One whole SMALL reply through `port`; raises on any difference."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(b"S")
        data = read_to_eof(s)
    if data != SMALL:
        raise AssertionError(f"{len(data)} bytes instead of the {len(SMALL)} sent")


def read_to_eof(s, into=None):
    chunks = [] if into is None else into
    while True:
        chunk = s.recv(1 << 16)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


class HeldTransfer:
    """A LARGE transfer that reads its first MiB and then stops reading, so the rest stays in
    flight (in the backend, the proxy and the kernel's buffers) until `finish`."""

    def __init__(self, port):
        self.socket = socket.create_connection(("127.0.0.1", port), timeout=WAIT)
        self.socket.sendall(b"L")
        self.chunks = []
        received = 0
        while received < HELD_PREFIX:
            chunk = self.socket.recv(1 << 16)
            if not chunk:
                break
            self.chunks.append(chunk)
            received += len(chunk)

    def finish(self):
        """Reads to EOF; a description of the damage, or None when intact."""
        with self.socket:
            data = read_to_eof(self.socket, self.chunks)
        if hashlib.sha256(data).digest() != hashlib.sha256(LARGE).digest():
            return f"{len(data)} of {len(LARGE)} bytes, sha256 differs"
        return None


def refused(port):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
        return False
    except ConnectionRefusedError:
        return True


CONFIG = """\
# Written by container_checks.py for make container-test.
global
    log stderr format raw local0
    stats socket /run/ordrel/admin.sock mode 600 level admin
    stats timeout 30s

defaults
    mode tcp
    log global
    option tcplog
    timeout connect 2s
    timeout client 60s
    timeout server 60s

frontend fe
    bind 127.0.0.1:{fe}
    default_backend be
{extra}
backend be
    server s1 127.0.0.1:{backend}
"""


class Checks:
    def __init__(self, image, workdir, deployment):
        self.image = image
        self.workdir = workdir
        self.deployment = deployment
        self.passed = 0
        self.failed = 0
        self.container = f"ordrel-container-test-{os.getpid()}"
        self.volume = f"{self.container}-run"
        self.config_dir = os.path.join(workdir, "etc")
        self.backend = Backend()
        self.fe = free_port()
        self.fe2 = free_port()
        self.frontends = [self.fe]

    def result(self, name, ok, detail):
        print(f"{'PASS' if ok else 'FAIL'} {name}: {detail}", flush=True)
        if ok:
            self.passed += 1
        else:
            self.failed += 1

    def check(self, name, body):
        """Runs one check: body returns its detail line, or raises with what went wrong."""
        try:
            self.result(name, True, body())
        except Exception as error:  # noqa: BLE001 - every failure is reported, then the next check runs
            self.result(name, False, str(error) or type(error).__name__)

    def write_config(self, extra="", fe2=False):
        """Replaces ordrel.cfg in the mounted folder at once (rename), as an editor or a
        ConfigMap update does: the container sees either the old file or the new one."""
        os.makedirs(self.config_dir, mode=0o755, exist_ok=True)
        os.chmod(self.config_dir, 0o755)
        temporary = os.path.join(self.config_dir, ".ordrel.cfg.new")
        if fe2:
            extra += f"\nfrontend fe2\n    bind 127.0.0.1:{self.fe2}\n    default_backend be\n"
        with open(temporary, "w") as f:
            f.write(CONFIG.format(fe=self.fe, backend=self.backend.port, extra=extra))
        os.chmod(temporary, 0o644)
        os.rename(temporary, os.path.join(self.config_dir, "ordrel.cfg"))

    def exec(self, *command):
        run = docker("exec", self.container, *command, timeout=30)
        if run.returncode != 0:
            raise AssertionError(f"docker exec {' '.join(command)}: exit {run.returncode}: {run.stderr.strip()}")
        return run.stdout

    def inspect(self, template):
        return docker("inspect", "-f", template, self.container).stdout.strip()

    def workers(self):
        """(current worker pids, old worker pids) from the master's `show proc`."""
        current, old, section = [], [], None
        for line in self.exec("ordrelctl", "-s", "/run/ordrel/master.sock", "show", "proc").splitlines():
            if line.startswith("#"):
                section = line.strip("# ").split(" ")[0]
                continue
            fields = line.split()
            if len(fields) > 1 and fields[1] == "worker":
                (old if section == "old" else current).append(int(fields[0]))
        return current, old

    def run(self):
        self.write_config()
        started = docker("run", "-d", "--name", self.container, "--network", "host",
                         "-v", f"{self.config_dir}:/usr/local/etc/ordrel:ro",
                         "-v", f"{self.volume}:/run/ordrel", self.image)
        if started.returncode != 0:
            self.result("start", False, started.stderr.strip())
            return
        try:
            wait_until("the frontend accepts", lambda: not refused(self.fe))
            self.check("traffic", self.traffic)
            self.check("non-root", self.non_root)
            self.check("stats socket", self.stats_socket)
            self.check("healthcheck", self.healthcheck)
            self.check("reload (docker kill -s USR2)", self.reload)
            self.check("kubernetes reloader sidecar", self.reloader)
            self.check("soft stop (docker stop)", self.soft_stop)
        except Exception as error:  # noqa: BLE001
            self.result("container", False, str(error))
        finally:
            logs = docker("logs", self.container)
            with open(os.path.join(self.workdir, "container.log"), "w") as f:
                f.write(logs.stdout + logs.stderr)
            docker("rm", "-f", self.container, f"{self.container}-reloader")
            docker("volume", "rm", "-f", self.volume)

    def traffic(self):
        for _ in range(20):
            fetch_small(self.fe)
        held = HeldTransfer(self.fe)
        damage = held.finish()
        if damage:
            raise AssertionError(damage)
        return f"20 x {len(SMALL)} B and 1 x {len(LARGE) >> 20} MiB through 127.0.0.1:{self.fe}, all intact"

    def non_root(self):
        uid = self.exec("id", "-u").strip()
        current, _ = self.workers()
        ids = {}
        for pid in [1] + current:
            status = self.exec("cat", f"/proc/{pid}/status")
            ids[pid] = next(line.split()[1:] for line in status.splitlines() if line.startswith("Uid:"))
        if uid != "10001" or any(set(v) != {"10001"} for v in ids.values()):
            raise AssertionError(f"id -u {uid}, real/effective/saved/fs uids {ids}")
        return f"exec as uid {uid}; master (pid 1) and worker {current} run as uid 10001"

    def stats_socket(self):
        stat = self.exec("ordrelctl", "-s", "/run/ordrel/admin.sock", "show", "stat")
        header = stat.splitlines()[0].lstrip("# ").split(",")
        row = next((line.split(",") for line in stat.splitlines() if line.startswith("fe,FRONTEND,")), None)
        if row is None:
            raise AssertionError(f"no fe,FRONTEND row in show stat:\n{stat}")
        sessions = int(row[header.index("stot")])
        if sessions < 21:
            raise AssertionError(f"fe stot {sessions}, expected at least the 21 sessions of the traffic check")
        current, old = self.workers()
        if len(current) != 1 or old:
            raise AssertionError(f"show proc: workers {current}, old workers {old}")
        return f"admin.sock show stat: fe stot {sessions}; master.sock show proc: worker {current[0]}"

    def healthcheck(self):
        status = wait_until("State.Health.Status healthy",
                            lambda: (s := self.inspect("{{.State.Health.Status}}")) == "healthy" and s)
        probes = self.inspect("{{range .State.Health.Log}}{{.ExitCode}} {{end}}").split()
        # The image's own command fails when the worker it asks for is not there (the master
        # answers that with text, so the check must read the reply, not only the exit status).
        test = json.loads(self.inspect("{{json .Config.Healthcheck.Test}}"))
        if test[0] != "CMD-SHELL" or "@1 " not in test[1]:
            raise AssertionError(f"unexpected HEALTHCHECK {test}")
        absent = docker("exec", self.container, "/bin/sh", "-c", test[1].replace("@1 ", "@!1 "))
        if absent.returncode == 0:
            raise AssertionError(f"the HEALTHCHECK command passes for an absent worker: {test[1]}")
        return (f"{status} after {len(probes)} probe(s), exit codes {' '.join(probes)}; "
                f"the same command asking an absent worker exits {absent.returncode}")

    def reload(self):
        (before,), _ = self.workers()
        held = HeldTransfer(self.fe)
        stop = threading.Event()
        tally = {"ok": 0, "failed": []}

        def loop():
            while not stop.is_set():
                try:
                    fetch_small(self.fe)
                    tally["ok"] += 1
                except Exception as error:  # noqa: BLE001
                    tally["failed"].append(str(error))

        thread = threading.Thread(target=loop)
        thread.start()
        try:
            wait_until("connections before the reload", lambda: tally["ok"] >= 20)
            self.write_config(fe2=True)
            kill = docker("kill", "-s", "USR2", self.container)
            if kill.returncode != 0:
                raise AssertionError(f"docker kill -s USR2: {kill.stderr.strip()}")
            after = wait_until("a new current worker", lambda: (w := self.workers()[0]) and w[0] != before and w[0])
            fetch_small(self.fe2)
            self.frontends.append(self.fe2)
            at_reload = tally["ok"]
            wait_until("connections after the reload", lambda: tally["ok"] >= at_reload + 20)
        finally:
            stop.set()
            thread.join()
        damage = held.finish()
        wait_until("the old worker leaves show proc", lambda: not self.workers()[1])
        if tally["failed"] or damage:
            raise AssertionError(f"{len(tally['failed'])} failed connections {tally['failed'][:3]}; held transfer: {damage or 'intact'}")
        return (f"worker {before} -> {after}, new frontend fe2 serves; {tally['ok']} connections across the "
                f"reload, 0 failed; a {len(LARGE) >> 20} MiB transfer held open across it arrived intact; old worker exited")

    def reloader(self):
        with open(self.deployment) as f:
            spec = yaml.safe_load(f)["spec"]["template"]["spec"]
        sidecar = next(c for c in spec["containers"] if c["name"] == "reloader")
        name = f"{self.container}-reloader"
        (before,), _ = self.workers()
        started = docker("run", "-d", "--name", name, "--network", "host",
                         "-v", f"{self.config_dir}:/usr/local/etc/ordrel:ro", "-v", f"{self.volume}:/run/ordrel",
                         "--entrypoint", sidecar["command"][0], self.image, *sidecar["command"][1:])
        if started.returncode != 0:
            raise AssertionError(f"the reloader did not start: {started.stderr.strip()}")
        # Its first digest is taken once its loop sleeps.
        wait_until("the reloader's loop", lambda: "sleep" in docker("top", name).stdout)

        def logs():
            run = docker("logs", name)
            return run.stdout + run.stderr

        self.write_config(fe2=True, extra="\nfrontend broken\n    bind 127.0.0.1:notaport\n")
        wait_until("the reloader rejects the broken file", lambda: "configuration rejected" in logs())
        if self.workers()[0] != [before]:
            raise AssertionError(f"a broken file changed the worker: {self.workers()}")
        fetch_small(self.fe)
        self.write_config()  # fe2 removed
        wait_until("the reloader reloads", lambda: "reloaded:" in logs())
        after = wait_until("a new current worker", lambda: (w := self.workers()[0]) and w[0] != before and w[0])
        wait_until("fe2 closes", lambda: refused(self.fe2))
        self.frontends.remove(self.fe2)
        fetch_small(self.fe)
        docker("rm", "-f", name)
        return (f"broken file rejected, worker {before} kept serving; fe2 removed from the file: "
                f"reloaded, worker {before} -> {after}, fe2 refused, fe serves")

    def soft_stop(self):
        held = HeldTransfer(self.fe)
        began = time.monotonic()
        stopping = {}
        thread = threading.Thread(target=lambda: stopping.update(run=docker("stop", "-t", "60", self.container)))
        thread.start()
        wait_until("the listeners close", lambda: all(refused(port) for port in self.frontends))
        running = self.inspect("{{.State.Running}}")
        if running != "true":
            raise AssertionError("the container ended before the transfer in flight was read")
        damage = held.finish()
        thread.join()
        seconds = time.monotonic() - began
        code = self.inspect("{{.State.ExitCode}}")
        stop = stopping["run"]
        if damage or stop.returncode != 0 or code != "0" or seconds >= 60:
            raise AssertionError(f"transfer: {damage or 'intact'}; docker stop exit {stop.returncode} "
                                 f"{stop.stderr.strip()}; container exit code {code} after {seconds:.1f} s")
        return (f"listeners closed while a {len(LARGE) >> 20} MiB transfer was in flight; it arrived intact "
                f"(sha256); docker stop exit 0, container exit code 0 after {seconds:.1f} s")


def main():
    image, workdir, deployment = sys.argv[1:4]
    checks = Checks(image, workdir, deployment)
    checks.run()
    print(f"container: {checks.passed} passed, {checks.failed} failed")
    sys.exit(1 if checks.failed else 0)


if __name__ == "__main__":
    main()
