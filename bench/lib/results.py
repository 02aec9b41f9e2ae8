#!/usr/bin/env python3
"""Parsing, recording and reporting for bench/run.sh (stdlib only).

wrk FILE [HELD_JSON]           wrk --latency output -> JSON (req/s, p50/p99 ms, errors, non-2xx);
                               HELD_JSON (idlehold.py's status line for the stage) goes in as "held"
flatness LOW_JSON HIGH_JSON    two such values -> JSON {"ratio": high req/s / low req/s, ...}
cpu VALUE_JSON TICKS HZ        a wrk value plus the proxy's CPU over the run: "cpu_s" (utime+stime)
                               and "cpu_us_per_req" (that over the requests wrk counted)
threads BEFORE AFTER           two `show activity` texts -> JSON {"per_thread": accq_pushed growth
                               per thread, "busiest": the largest}: where the connections ran
iperf FILE                     iperf3 -J output -> JSON (Gbit/s received, retransmits)
record OUT REP TARGET METRIC VALUE_JSON ENV_JSON [NOTE]
                               append one JSON line; sets "ok" from the value's own error counts
report FILE                    print the fixed-width table of medians and ratios
"""
import json, re, statistics, sys, time

UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 6e4}


def to_ms(text):
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    return float(m.group(1)) * UNITS[m.group(2)] if m else None


def parse_wrk(path):
    text = open(path, errors="replace").read()
    out = {"rps": None, "p50_ms": None, "p99_ms": None, "requests": None, "non2xx": 0,
           "socket_errors": {"connect": 0, "read": 0, "write": 0, "timeout": 0}}
    m = re.search(r"Requests/sec:\s+([\d.]+)", text)
    if m:
        out["rps"] = float(m.group(1))
    for pct, key in (("50", "p50_ms"), ("99", "p99_ms")):
        m = re.search(rf"^\s+{pct}%\s+(\S+)", text, re.M)
        if m:
            out[key] = to_ms(m.group(1))
    m = re.search(r"(\d+) requests in", text)
    if m:
        out["requests"] = int(m.group(1))
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    if m:
        out["socket_errors"] = dict(zip(("connect", "read", "write", "timeout"), map(int, m.groups())))
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    if m:
        out["non2xx"] = int(m.group(1))
    return out


def parse_iperf(path):
    try:
        data = json.load(open(path))
    except (OSError, ValueError) as error:
        return {"gbps": None, "error": f"unreadable iperf3 output: {error}"}
    if "error" in data:
        return {"gbps": None, "error": data["error"]}
    end = data.get("end", {})
    received = end.get("sum_received", {})
    sent = end.get("sum_sent", {})
    return {"gbps": round(received.get("bits_per_second", 0) / 1e9, 3),
            "seconds": round(received.get("seconds", 0), 3),
            "bytes": received.get("bytes"), "retransmits": sent.get("retransmits")}


def problems(metric, value):
    """Why a measurement does not count as clean (an empty list if it does)."""
    found = []
    if not isinstance(value, dict):
        return ["no result"]
    if value.get("error"):
        found.append(str(value["error"]))
    if metric.startswith("http_"):
        if value.get("rps") is None:
            found.append("wrk printed no Requests/sec")
        errors = value.get("socket_errors", {})
        if any(errors.values()):
            found.append("socket errors " + ", ".join(f"{k} {v}" for k, v in errors.items() if v))
        if value.get("non2xx"):
            found.append(f"{value['non2xx']} non-2xx responses")
        if metric.startswith("http_keepalive_held"):
            held = value.get("held")
            if not isinstance(held, dict):
                found.append("no idle connections held")
            elif not (held.get("clients") == held.get("backend_accepted") == held.get("wanted")):
                found.append(f"held {held.get('clients')} clients / {held.get('backend_accepted')} backend connections of {held.get('wanted')}")
    elif metric == "flatness":
        if value.get("ratio") is None:
            found.append("no ratio (a keep-alive run with idle connections held gave no req/s)")
        for side in ("low", "high"):
            if value.get(f"{side}_held") != value.get(f"{side}_wanted"):
                found.append(f"{side}: held {value.get(f'{side}_held')} of {value.get(f'{side}_wanted')}")
    elif metric.startswith("iperf_"):
        if not value.get("gbps"):
            found.append("no throughput")
    elif metric.startswith("stats_"):
        if value.get("na"):
            return []
        failures = sum(value.get(k, 0) for k in ("empty", "short", "reset", "timeout", "connect_failed"))
        if failures or value.get("complete", 0) != value.get("queries", -1):
            found.append(f"{failures} of {value.get('queries')} replies not complete")
    elif metric == "close_latency":
        if value.get("errors"):
            found.append(f"{value['errors']} failed connections {value.get('error_kinds')}")
        if not value.get("connections"):
            found.append("no connection completed")
    elif metric == "check":
        if value.get("status") != 200 or not value.get("body_ok"):
            found.append(f"GET /1k.bin: status {value.get('status')}, {value.get('bytes')} bytes, body ok {value.get('body_ok')}")
    elif metric == "memory":
        if value.get("backend_accepted") != value.get("wanted") or value.get("clients") != value.get("wanted"):
            found.append(f"held {value.get('clients')} clients / {value.get('backend_accepted')} backend connections of {value.get('wanted')}")
    if value.get("proxy_exited"):
        found.append("the proxy process had exited")
    return found


def record(out, rep, target, metric, value_json, env_json, note=""):
    try:
        value = json.loads(value_json) if value_json.strip() else None
    except ValueError:
        value = {"error": "unparseable result: " + value_json[:200]}
    try:
        env = json.loads(env_json) if env_json.strip() else None
    except ValueError:
        env = None
    issues = problems(metric, value)
    if note:
        issues.append(note)
    line = {"type": "measurement", "time": round(time.time(), 3), "rep": int(rep), "target": target,
            "metric": metric, "ok": not issues, "problems": issues, "value": value, "env": env}
    with open(out, "a") as f:
        f.write(json.dumps(line) + "\n")


TARGETS = ["direct", "ordrel", "haproxy", "haproxy-nt1"]
# with BENCH_ORDREL_NT1=1: ordrel on the nbthread-1 config too, its column next to ordrel's
TARGETS_NT1 = ["direct", "ordrel", "ordrel-nt1", "haproxy", "haproxy-nt1"]
WIDTHS = {"direct": 9, "ordrel": 9, "ordrel-nt1": 10, "haproxy": 11, "haproxy-nt1": 11}
# (header, numerator, denominator); "ordrel" is always the nbthread-N ordrel
RATIOS = [("ord/hap", "ordrel", "haproxy"), ("ord/hap1", "ordrel", "haproxy-nt1"), ("ord/dir", "ordrel", "direct")]
RATIOS_NT1 = [("o1/hap1", "ordrel-nt1", "haproxy-nt1"), ("ord/o1", "ordrel", "ordrel-nt1")]

# (metric, field, label, better): better is "hi" or "lo"
ROWS = [
    ("http_keepalive", "rps", "HTTP keep-alive req/s", "hi"),
    ("http_keepalive", "p50_ms", "HTTP keep-alive p50 ms", "lo"),
    ("http_keepalive", "p99_ms", "HTTP keep-alive p99 ms", "lo"),
    ("http_keepalive_held_low", "rps", "keep-alive req/s, {low} idle held", "hi"),
    ("http_keepalive_held_high", "rps", "keep-alive req/s, {high} idle held", "hi"),
    ("flatness", "ratio", "flatness {high_short}/{low}", "hi"),
    ("http_keepalive", "cpu_us_per_req", "proxy CPU us/req, keep-alive", "lo"),
    ("threads", "busiest", "keep-alive conns, busiest thread", "lo"),
    ("http_close", "rps", "HTTP conn-per-request req/s", "hi"),
    ("http_close", "p50_ms", "HTTP conn-per-request p50 ms", "lo"),
    ("http_close", "p99_ms", "HTTP conn-per-request p99 ms", "lo"),
    ("http_close", "cpu_us_per_req", "proxy CPU us/req, conn-per-req", "lo"),
    ("iperf_up", "gbps", "iperf3 client->server Gbit/s", "hi"),
    ("iperf_down", "gbps", "iperf3 server->client Gbit/s", "hi"),
    ("stats_c1", "qps", "show stat q/s, 1 client", "hi"),
    ("stats_c8", "qps", "show stat q/s, 8 clients", "hi"),
    ("page", "rps", "stats page req/s, 4 clients", "hi"),
    ("metrics", "rps", "/metrics req/s, 4 clients", "hi"),
    ("close_latency", "p50_ms", "close pattern p50 ms", "lo"),
    ("close_latency", "p99_ms", "close pattern p99 ms", "lo"),
    ("close_latency", "max_ms", "close pattern max ms", "lo"),
    ("close_latency", "over_100ms", "close pattern conns >100 ms", "lo"),
    ("close_latency", "per_second", "close pattern conns/s", "hi"),
    ("rss", "start_kib", "RSS idle after start KiB", "lo"),
    ("memory", "rss_before_kib", "RSS idle after load KiB", "lo"),
    ("memory", "bytes_per_conn", "RSS per idle proxied conn B", "lo"),
]


def fmt(v):
    if v is None:
        return "n/a"
    if isinstance(v, str):
        return v
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    if abs(v) >= 100:
        return f"{v:.0f}"
    if abs(v) >= 10:
        return f"{v:.1f}"
    return f"{v:.3g}" if v else "0"


def short(n):
    """10000 -> '10k', 9868 -> '9,868': the flatness label stays short when the figure is round."""
    if not isinstance(n, int):
        return str(n)
    return f"{n // 1000}k" if n >= 1000 and n % 1000 == 0 else f"{n:,}"


def flatness(low, high):
    low_rps, high_rps = low.get("rps"), high.get("rps")
    held = lambda v, key: (v.get("held") or {}).get(key)
    return {"ratio": round(high_rps / low_rps, 4) if low_rps and high_rps is not None else None,
            "low_rps": low_rps, "high_rps": high_rps,
            "low_held": held(low, "backend_accepted"), "low_wanted": held(low, "wanted"),
            "high_held": held(high, "backend_accepted"), "high_wanted": held(high, "wanted")}


def cpu(value, ticks, hz):
    value["cpu_s"] = round(ticks / hz, 3)
    requests = value.get("requests")
    value["cpu_us_per_req"] = round(ticks / hz * 1e6 / requests, 2) if requests else None
    return value


def activity_line(text, name):
    """The per-thread values of one `show activity` line, or None."""
    m = re.search(rf"^{name}: \d+ \[ ([\d ]+) \]$", text or "", re.M)
    return [int(v) for v in m.group(1).split()] if m else None


def threads(before, after):
    a, b = activity_line(before, "accq_pushed"), activity_line(after, "accq_pushed")
    if a is None or b is None or len(a) != len(b):
        return {"error": "no accq_pushed line in show activity"}
    per_thread = [y - x for x, y in zip(a, b)]
    return {"per_thread": per_thread, "busiest": max(per_thread)}


def ratio(a, b):
    if a is None or b is None or isinstance(a, str) or isinstance(b, str) or b == 0:
        return None
    return a / b


def report(path):
    lines = [json.loads(l) for l in open(path) if l.strip()]
    meta = next((l for l in lines if l.get("type") == "meta"), {})
    rows = [l for l in lines if l.get("type") == "measurement"]
    params = meta.get("params", {})
    nbt = params.get("nbthread", "N")
    low, high = params.get("flat_low"), params.get("flat_high")
    labels = {"low": f"{low:,}" if isinstance(low, int) else "?", "high": f"{high:,}" if isinstance(high, int) else "?",
              "high_short": short(high)}
    names = {"direct": "direct", "ordrel": "ordrel", "ordrel-nt1": "ordrel nt1", "haproxy": f"haproxy nt{nbt}",
             "haproxy-nt1": "haproxy nt1"}
    with_nt1 = bool(params.get("ordrel_nt1")) or any(r["target"] == "ordrel-nt1" for r in rows)
    targets = TARGETS_NT1 if with_nt1 else TARGETS
    ratios = RATIOS + (RATIOS_NT1 if with_nt1 else [])

    def values(target, metric, field):
        got = []
        for r in rows:
            if r["target"] == target and r["metric"] == metric and isinstance(r.get("value"), dict):
                v = r["value"].get(field)
                if v is not None and not r["value"].get("na"):
                    got.append(v)
        return got

    def median(target, metric, field):
        got = values(target, metric, field)
        return statistics.median(got) if got else None

    def na_reason(target, metric):
        for r in rows:
            if r["target"] == target and r["metric"] == metric and isinstance(r.get("value"), dict) and r["value"].get("na"):
                return "n/a"
        return None

    head = ["measurement (median of reps)", "better"] + [names[t] for t in targets] + [h for h, _, _ in ratios]
    widths = [34, 6] + [WIDTHS[t] for t in targets] + [8] * len(ratios)
    out = []
    sep = "  "
    out.append(sep.join(h.ljust(w) if i < 2 else h.rjust(w) for i, (h, w) in enumerate(zip(head, widths))))
    out.append(sep.join("-" * w for w in widths))
    for metric, field, label, better in ROWS:
        if not any(r["metric"] == metric for r in rows) and metric.startswith(("http_keepalive_held", "flatness")):
            continue  # BENCH_FLAT=0: no such rows at all
        label = label.format(**labels)
        med = {t: median(t, metric, field) for t in targets}
        reps = {t: len(values(t, metric, field)) for t in targets}
        flawed = {t: any(not r["ok"] for r in rows if r["target"] == t and r["metric"] == metric) for t in targets}
        cells = []
        for t in targets:
            if med[t] is None:
                cells.append(na_reason(t, metric) or "-")
            else:
                cells.append(fmt(med[t]) + ("*" if flawed[t] else "") + ("" if reps[t] >= 3 else f"({reps[t]})"))
        # a thread count divided by another proxy's says nothing
        r = [None if metric == "threads" else ratio(med[a], med[b]) for _, a, b in ratios]
        rcells = ["-" if x is None else f"{x:.2f}" for x in r]
        row = [label, "higher" if better == "hi" else "lower"] + cells + rcells
        out.append(sep.join(c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))))
    # machine load around the measurements, per target
    out.append(sep.join("-" * w for w in widths))
    for key, label in (("other_pct", "other load % (median, max)"), ("idle_pct", "machine idle % (median)"),
                       ("load1_before", "loadavg 1 min (median)")):
        cells = []
        for t in targets:
            got = [r["env"][key] for r in rows if r["target"] == t and r.get("env") and key in r["env"]]
            if not got:
                cells.append("-")
            elif key == "other_pct":
                cells.append(f"{statistics.median(got):.0f},{max(got):.0f}")
            else:
                cells.append(f"{statistics.median(got):.1f}")
        row = [label, ""] + cells + [""] * len(ratios)
        out.append(sep.join(c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))))
    quiet = [l for l in lines if l.get("type") == "quiet"]
    print("\n".join(out))
    spread = []
    for t in targets:
        got = ["/".join(map(str, r["value"]["per_thread"])) for r in rows
               if r["target"] == t and r["metric"] == "threads" and isinstance(r.get("value"), dict) and "per_thread" in r["value"]]
        if got:
            spread.append(f"{names[t]} " + ", ".join(got))
    if spread:
        print("keep-alive connections per thread (accq_pushed growth over the wrk -c50 run: its 50 and the stats queries), per rep: "
              + "; ".join(spread))
    if quiet:
        print("quiet windows before each rep (nothing of ours running): other load % " +
              ", ".join(f"{q['env'].get('other_pct', 'n/a')}" for q in quiet) +
              "; loadavg 1 min " + ", ".join(f"{q['env'].get('load1_before', 'n/a')}" for q in quiet))
    print("ratios are ordrel divided by the other column; 'better' says which direction is good for ordrel.")
    if with_nt1:
        print(f"o1/hap1 is ordrel nt1 divided by haproxy nt1; ord/o1 is ordrel (nbthread {nbt}) divided by ordrel nt1.")
    print("n/a: the target does not answer it (ordrel's stats socket); -: not applicable; (k): only k repetitions; *: see PROBLEMS.")
    bad = [r for r in rows if not r["ok"]]
    if bad:
        print(f"PROBLEMS: {len(bad)} measurements (still in the medians above, their cells marked *):")
        for r in bad:
            print(f"  rep {r['rep']} {r['target']:<12} {r['metric']:<15} " + "; ".join(r["problems"]))
    else:
        print("every measurement was clean (one checked GET per target and rep, no wrk socket errors or non-2xx, every stats reply complete, all connections held).")


if __name__ == "__main__":
    cmd = sys.argv[1] if len(sys.argv) > 1 else ""
    if cmd == "wrk":
        parsed = parse_wrk(sys.argv[2])
        if len(sys.argv) > 3:
            try:
                parsed["held"] = json.loads(sys.argv[3]) if sys.argv[3].strip() else None
            except ValueError:
                parsed["held"] = {"error": "unparseable holder status: " + sys.argv[3][:200]}
        print(json.dumps(parsed))
    elif cmd == "flatness":
        print(json.dumps(flatness(json.loads(sys.argv[2]), json.loads(sys.argv[3]))))
    elif cmd == "cpu":
        print(json.dumps(cpu(json.loads(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))))
    elif cmd == "threads":
        print(json.dumps(threads(sys.argv[2], sys.argv[3])))
    elif cmd == "iperf":
        print(json.dumps(parse_iperf(sys.argv[2])))
    elif cmd == "record":
        record(*sys.argv[2:])
    elif cmd == "report":
        report(sys.argv[2])
    else:
        sys.exit(__doc__)
