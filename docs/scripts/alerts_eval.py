#!/usr/bin/env python3
"""Synthetic series for measuring alerts, and the measurement itself (docs/alerts.md).

  generate  writes a seeded hourly timestamp,value CSV (daily and weekly cycles plus noise), clean or
            with anomalies injected every --every rows after --first, and a truth file listing them.
  evaluate  reads the CSV written by 'forecaster backfill --alerts-out' and prints the false-alert
            rate per 10,000 points and, given a truth file, which injected anomalies raised an alert
            and how late.

Standard library only, so it runs wherever Python 3 does.
"""
import argparse
import csv
import math
import random
from datetime import datetime, timedelta

KINDS = ["spike", "dip", "level_shift", "variance", "flat", "trend", "season_break"]
# Rows an anomaly lasts (1 for points; a level shift lasts for good but is judged at its onset).
DURATION = {"spike": 1, "dip": 1, "level_shift": 1, "variance": 48, "flat": 48, "trend": 48, "season_break": 48}


def generate(args):
    rnd = random.Random(args.seed)
    start = datetime(2020, 1, 1)
    injections = []
    if args.kind == "injected":
        at, k = args.first, 0
        while at + 60 < args.rows:
            injections.append((at, KINDS[k % len(KINDS)]))
            at += args.every
            k += 1
    active = {a: kind for a, kind in injections}
    shift, ar, value_before = 0.0, 0.0, 0.0
    ongoing = None
    with open(args.out, "w", newline="") as f:
        f.write("timestamp,value\n")
        for t in range(args.rows):
            if t in active:
                ongoing = (t, active[t])
                if active[t] == "level_shift":
                    shift += 6.0 if (t // args.every) % 2 == 0 else -6.0
            if args.noise == "gauss":
                noise = rnd.gauss(0, 1)
            elif args.noise == "laplace":
                u = rnd.random() - 0.5
                noise = -math.copysign(1, u) * math.log(1 - 2 * abs(u)) / math.sqrt(2)
            else:  # ar: AR(1) with unit marginal sd
                ar = 0.6 * ar + rnd.gauss(0, 0.8)
                noise = ar
            phase = 2 * math.pi * t / 24
            if ongoing and ongoing[1] == "season_break" and t - ongoing[0] < 48:
                phase += math.pi  # the daily cycle turns upside down
            v = 50 + 10 * math.sin(phase) + 4 * math.sin(2 * math.pi * t / 168) + noise + shift
            if ongoing and t - ongoing[0] < DURATION[ongoing[1]]:
                kind, age = ongoing[1], t - ongoing[0]
                if kind == "spike":
                    v += 8
                elif kind == "dip":
                    v -= 8
                elif kind == "variance":
                    v += 3 * noise  # noise sd x4
                elif kind == "flat":
                    v = value_before
                elif kind == "trend":
                    v += 0.5 * (age + 1)
            if not (ongoing and ongoing[1] == "flat" and t - ongoing[0] < 48):
                value_before = v
            f.write("%s,%.6f\n" % ((start + timedelta(hours=t)).strftime("%Y-%m-%d %H:%M:%S"), v * args.scale))
    if args.truth:
        with open(args.truth, "w", newline="") as f:
            f.write("row,kind\n")
            for a, kind in injections:
                f.write("%d,%s\n" % (a, kind))


def evaluate(args):
    with open(args.alerts) as f:
        alerts = [(int(r["row_index"]), r["severity"], r["reason"]) for r in csv.DictReader(f)]
    truth = []
    if args.truth:
        with open(args.truth) as f:
            truth = [(int(r["row"]), r["kind"]) for r in csv.DictReader(f)]
    # An alert belongs to an injection when it reports a row from its onset to 24 rows after its end.
    windows = [(a, a + DURATION[k] - 1 + 24) for a, k in truth]
    false_alerts = [a for a in alerts if not any(lo <= a[0] <= hi for lo, hi in windows)]
    excluded = sum(hi - lo + 1 for lo, hi in windows)
    points = args.rows - args.warmup - excluded
    print("rows=%d scored_after_warmup=%d alerts=%d false_alerts=%d false_alerts_per_10k=%.2f"
          % (args.rows, points, len(alerts), len(false_alerts), 1e4 * len(false_alerts) / points))
    if truth:
        by_kind = {}
        for a, k in truth:
            hits = [r for r, _, _ in alerts if a <= r <= a + DURATION[k] - 1 + args.max_delay]
            d = by_kind.setdefault(k, [0, 0, []])
            d[1] += 1
            if hits:
                d[0] += 1
                d[2].append(min(hits) - a)
        for k in KINDS:
            if k in by_kind:
                found, n, delays = by_kind[k]
                print("%-13s detected %d/%d  delay rows: %s" % (k, found, n, delays))
    for r, sev, reason in false_alerts[: args.show]:
        print("false alert row %d %s: %s" % (r, sev, reason))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("generate")
    g.add_argument("--kind", choices=["clean", "injected"], default="clean")
    g.add_argument("--noise", choices=["gauss", "laplace", "ar"], default="gauss")
    g.add_argument("--rows", type=int, default=20000)
    g.add_argument("--scale", type=float, default=1.0)
    g.add_argument("--seed", type=int, default=1)
    g.add_argument("--first", type=int, default=2000)
    g.add_argument("--every", type=int, default=2000)
    g.add_argument("--out", required=True)
    g.add_argument("--truth")
    e = sub.add_parser("evaluate")
    e.add_argument("--alerts", required=True)
    e.add_argument("--rows", type=int, required=True)
    e.add_argument("--truth")
    e.add_argument("--warmup", type=int, default=200)
    e.add_argument("--max-delay", type=int, default=5)
    e.add_argument("--show", type=int, default=0)
    args = p.parse_args()
    generate(args) if args.cmd == "generate" else evaluate(args)


if __name__ == "__main__":
    main()
