#!/usr/bin/env python3
"""Compares backfill score files against `generate`'s labels (docs/backfill.md, bidirectional section).

usage: compare_scores.py LABELS.csv NAME=SCORES.csv [NAME=SCORES.csv ...]
Each SCORES.csv is the --output of `backfill` on `generate`'s multi-key --output (series,timestamp,value,
anomaly_score); a key's rows, in file order, are the rows of its per-key file that the labels number. Prints per anomaly type: ROC AUC (rows of the labelled windows against clean rows), and at a plain
score threshold of 0.7 the recall (a window is hit when some score >= 0.7 falls in [start-1, end+10])
and false alarms per 10k rows (upward crossings of 0.7 outside every window's [start-1, end+10]).
The window starts one row early because an interpolation residual also shows on the row before an
anomaly; the causal scores are held to the same rule.
"""
import csv
import sys
from collections import defaultdict

TOL = 10
THRESHOLD = 0.7


def read_scores(path):
    by_key = defaultdict(list)
    with open(path) as f:
        for r in csv.DictReader(f):
            by_key[r["series"]].append(float(r["anomaly_score"]))
    return by_key


def auc(pos, neg):
    # Mann-Whitney U with ties counted half, by ranks.
    allv = sorted([(v, 1) for v in pos] + [(v, 0) for v in neg])
    rank_sum, i, n = 0.0, 0, len(allv)
    while i < n:
        j = i
        while j < n and allv[j][0] == allv[i][0]:
            j += 1
        r = (i + j + 1) / 2.0
        rank_sum += r * sum(1 for k in range(i, j) if allv[k][1] == 1)
        i = j
    return (rank_sum - len(pos) * (len(pos) + 1) / 2.0) / (len(pos) * len(neg))


def main():
    labels_path, variants = sys.argv[1], [a.split("=", 1) for a in sys.argv[2:]]
    windows = defaultdict(list)
    with open(labels_path) as f:
        for r in csv.DictReader(f):
            if r["category"] != "data_problem":
                windows[r["series"]].append((r["type"], int(r["start_row"]), int(r["end_row"])))
    print("| variant | type | windows | AUC | recall@0.7 | false alarms/10k@0.7 |")
    print("|---|---|---:|---:|---:|---:|")
    for name, path in variants:
        scores = read_scores(path)
        per_type = defaultdict(lambda: {"pos": [], "neg": [], "hits": 0, "n": 0, "fa": 0, "rows": 0})
        allt = {"pos": [], "neg": [], "hits": 0, "n": 0, "fa": 0, "rows": 0}
        for key in sorted(scores):
            s = scores[key]
            ws = windows.get(key, [])
            near = [False] * len(s)
            inside = [False] * len(s)
            for _, a, b in ws:
                for t in range(max(0, a - 1), min(len(s), b + TOL + 1)):
                    near[t] = True
                for t in range(a, b + 1):
                    inside[t] = True
            typ = ws[0][0] if ws else "none"
            for acc in (per_type[typ], allt):
                for t, v in enumerate(s):
                    if inside[t]:
                        acc["pos"].append(v)
                    elif not near[t]:
                        acc["neg"].append(v)
                for _, a, b in ws:
                    acc["n"] += 1
                    if any(v >= THRESHOLD for v in s[max(0, a - 1):b + TOL + 1]):
                        acc["hits"] += 1
                acc["fa"] += sum(1 for t in range(len(s)) if not near[t] and s[t] >= THRESHOLD
                                 and (t == 0 or s[t - 1] < THRESHOLD))
                acc["rows"] += len(s)
        for typ, acc in sorted(per_type.items()) + [("**all**", allt)]:
            print("| %s | %s | %d | %.3f | %.2f | %.1f |" % (name, typ, acc["n"], auc(acc["pos"], acc["neg"]),
                  acc["hits"] / max(1, acc["n"]), 1e4 * acc["fa"] / acc["rows"]))


if __name__ == "__main__":
    main()
