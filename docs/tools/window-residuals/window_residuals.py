#!/usr/bin/env python3
"""One-step residuals around labelled anomaly windows, for backfill runs of one key.

For every window of TYPE in LABELS on the key, it compares the RMS of the one-step residuals in the
window's first 12 rows with that of the 96 rows before it (the surprise a residual-based scorer can
see), and counts the windows an alert hit (inside, or up to 10 rows after). Persistence is shown
beside each run. Each RUN is NAME=FORECASTS.csv,ALERTS.csv from `backfill --forecasts-out
--alerts-out` on KEY.csv.

  python3 docs/tools/window-residuals/window_residuals.py keys/KEY.csv labels.csv variance_change \
      lifetime=fc-0.csv,alerts-0.csv memory48=fc-48.csv,alerts-48.csv
"""
import csv
import math
import os
import statistics
import sys


def rms(a):
    return math.sqrt(sum(x * x for x in a) / len(a))


def main(key_csv, labels_csv, kind, *runs):
    key = os.path.splitext(os.path.basename(key_csv))[0]
    values = [float(r['value']) for r in csv.DictReader(open(key_csv))]
    windows = [(int(r['start_row']), int(r['end_row'])) for r in csv.DictReader(open(labels_csv))
               if r['series'] == key and r['type'] == kind]
    before_p = [rms([values[t] - values[t - 1] for t in range(s - 96, s)]) for s, _ in windows]
    inside_p = [rms([values[t] - values[t - 1] for t in range(s, min(e + 1, s + 12))]) for s, e in windows]
    print(f"{key}: {len(windows)} {kind} windows; persistence: median RMS before {statistics.median(before_p):.4f}, "
          f"median ratio first 12 rows / 96 before {statistics.median(i / b for i, b in zip(inside_p, before_p)):.2f}")
    hits_by_run = {}
    for run in runs:
        name, files = run.split('=', 1)
        forecasts, alerts = files.split(',')
        p = {int(r['origin_index']): float(r['prediction'])
             for r in csv.DictReader(open(forecasts)) if r['horizon_step'] == '1'}
        alert_rows = [int(r['row_index']) for r in csv.DictReader(open(alerts))]

        def residuals(rows):
            return [values[t] - p[t - 1] for t in rows if t - 1 in p]

        before = [rms(residuals(range(s - 96, s))) for s, _ in windows]
        inside = [rms(residuals(range(s, min(e + 1, s + 12)))) for s, e in windows]
        hits = [any(s <= a <= e + 10 for a in alert_rows) for s, e in windows]
        hits_by_run[name] = hits
        print(f"{name}: hits {sum(hits)}; median RMS before {statistics.median(before):.4f}, "
              f"first 12 rows {statistics.median(inside):.4f}, "
              f"median ratio {statistics.median(i / b for i, b in zip(inside, before)):.2f}")
    names = list(hits_by_run)
    for a in names:
        for b in names:
            if a != b:
                only = sum(1 for x, y in zip(hits_by_run[a], hits_by_run[b]) if x and not y)
                print(f"hit by {a} and not by {b}: {only}")


if __name__ == '__main__':
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    main(*sys.argv[1:])
