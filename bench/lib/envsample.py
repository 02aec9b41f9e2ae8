#!/usr/bin/env python3
"""How busy the machine was around one measurement.

snap ROOTPID         one JSON snapshot: /proc/loadavg, the aggregate /proc/stat cpu line, and the
                     CPU time (USER_HZ ticks) of ROOTPID and all its descendants, living and reaped.
delta BEFORE AFTER   from two snapshots (JSON strings): load averages before/after, and over the
                     interval, as % of the whole machine (all CPUs): idle, busy, busy in the
                     benchmark's own processes, busy in everything else ("other"), and steal.
"""
import json, os, sys, time


def cpu_line():
    with open("/proc/stat") as f:
        fields = f.readline().split()
    values = [int(v) for v in fields[1:9]]  # user nice system idle iowait irq softirq steal
    return {"total": sum(values), "idle": values[3] + values[4], "steal": values[7]}


def tree_ticks(root):
    parent, ticks = {}, {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as f:
                raw = f.read()
        except OSError:
            continue
        rest = raw[raw.rindex(")") + 2:].split()
        pid = int(name)
        parent[pid] = int(rest[1])
        # utime stime cutime cstime are fields 14-17 of stat, i.e. rest[11:15]
        ticks[pid] = sum(int(v) for v in rest[11:15])
    total, frontier, seen = 0, [root], set()
    children = {}
    for pid, ppid in parent.items():
        children.setdefault(ppid, []).append(pid)
    while frontier:
        pid = frontier.pop()
        if pid in seen:
            continue
        seen.add(pid)
        total += ticks.get(pid, 0)
        frontier.extend(children.get(pid, []))
    return total


def snap(root):
    with open("/proc/loadavg") as f:
        parts = f.read().split()
    return {"t": time.time(), "loadavg": [float(v) for v in parts[:3]], "runnable": parts[3],
            "cpu": cpu_line(), "ours": tree_ticks(root)}


def delta(a, b):
    total = b["cpu"]["total"] - a["cpu"]["total"]
    if total <= 0:
        return {"seconds": round(b["t"] - a["t"], 3), "load1_before": a["loadavg"][0], "load1_after": b["loadavg"][0]}
    idle = b["cpu"]["idle"] - a["cpu"]["idle"]
    busy = total - idle
    ours = b["ours"] - a["ours"]
    pct = lambda v: round(100.0 * v / total, 1)
    return {
        "seconds": round(b["t"] - a["t"], 3),
        "load1_before": a["loadavg"][0], "load1_after": b["loadavg"][0],
        "idle_pct": pct(idle), "busy_pct": pct(busy), "ours_pct": pct(min(ours, busy)),
        "other_pct": pct(max(0, busy - ours)), "steal_pct": pct(b["cpu"]["steal"] - a["cpu"]["steal"]),
    }


if __name__ == "__main__":
    if sys.argv[1] == "snap":
        print(json.dumps(snap(int(sys.argv[2]))))
    elif sys.argv[1] == "delta":
        print(json.dumps(delta(json.loads(sys.argv[2]), json.loads(sys.argv[3]))))
    else:
        sys.exit("usage: envsample.py snap ROOTPID | delta BEFORE AFTER")
