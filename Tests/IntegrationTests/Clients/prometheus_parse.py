#!/usr/bin/env python3
"""Parses a Prometheus text exposition (the file named by argv[1]) with prometheus_client's own
parser, checks what must hold whatever the values, and prints every sample as JSON (family, type,
sample name, labels, value as text so NaN survives) for the Swift tests to assert on.

Checked: each object of a status family has exactly one state at 1 and the others at 0; each
histogram has its buckets in increasing `le` order ending at +Inf, cumulative (never
decreasing), with +Inf equal to `_count`, and a `_sum`. A violation, or a line the parser
rejects, exits non-zero with the reason on stderr."""
import json
import math
import sys
from collections import defaultdict

from prometheus_client.parser import text_string_to_metric_families

ONE_HOT = {"haproxy_frontend_status", "haproxy_backend_status", "haproxy_server_status",
           "haproxy_server_check_status"}


def key(labels, *dropped):
    return tuple(sorted((k, v) for k, v in labels.items() if k not in dropped))


def main():
    with open(sys.argv[1], encoding="utf-8") as source:
        text = source.read()
    samples = []
    problems = []
    for family in text_string_to_metric_families(text):
        if family.name in ONE_HOT:
            states = defaultdict(list)
            for s in family.samples:
                states[key(s.labels, "state")].append(s.value)
            for obj, values in states.items():
                if sorted(values) != [0.0] * (len(values) - 1) + [1.0]:
                    problems.append(f"{family.name}{dict(obj)}: not one-hot: {values}")
        if family.type == "histogram":
            buckets = defaultdict(list)
            counts, sums = {}, {}
            for s in family.samples:
                if s.name.endswith("_bucket"):
                    buckets[key(s.labels, "le")].append((float(s.labels["le"]), s.value))
                elif s.name.endswith("_count"):
                    counts[key(s.labels)] = s.value
                elif s.name.endswith("_sum"):
                    sums[key(s.labels)] = s.value
            for obj, series in buckets.items():
                bounds = [b for b, _ in series]
                values = [v for _, v in series]
                if bounds != sorted(bounds) or not math.isinf(bounds[-1]):
                    problems.append(f"{family.name}{dict(obj)}: bucket bounds {bounds}")
                if any(b < a for a, b in zip(values, values[1:])):
                    problems.append(f"{family.name}{dict(obj)}: buckets not cumulative {values}")
                if counts.get(obj) != values[-1]:
                    problems.append(f"{family.name}{dict(obj)}: +Inf {values[-1]} != _count {counts.get(obj)}")
                if obj not in sums:
                    problems.append(f"{family.name}{dict(obj)}: no _sum")
        for s in family.samples:
            samples.append({"family": family.name, "type": family.type, "name": s.name,
                            "labels": s.labels, "value": repr(s.value)})
    if problems:
        sys.exit("\n".join(problems))
    json.dump(samples, sys.stdout)


main()
