#!/usr/bin/env python3
"""MSE and MAE of `forecaster evaluate --forecasts-out` files, to six decimals (the table prints four).

Same protocol as `evaluate` (docs/evaluation.md): values z-normalised with the train rows' mean and
population std; for horizon H, every origin from test.start-1 to test.end-1-H, each with all H steps.

  python3 docs/tools/forecast_scores.py --csv ../shared/data/ett/ETTh1.csv --target OT \
      --train 0:8640 --test 11520:14400 --horizons 96,192,336,720 a.csv b.csv

Standard library only.
"""
import argparse
import csv
import math
import sys


def rows(spec):
    start, end = (int(v) for v in spec.split(":"))
    return start, end


def read_series(path, target):
    with open(path, newline="") as f:
        return [float(r[target]) for r in csv.DictReader(f)]


def read_forecasts(path):
    table = {}
    with open(path) as f:
        header = f.readline().strip()
        if header != "origin_index,horizon_step,prediction":
            sys.exit(f"{path}: not a forecasts file (header {header!r})")
        for line in f:
            origin, step, value = line.split(",")
            table[(int(origin), int(step))] = float(value)
    return table


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--csv", required=True)
    p.add_argument("--target", default="OT")
    p.add_argument("--train", required=True, help="START:END of the train rows (for the z-score)")
    p.add_argument("--test", required=True, help="START:END of the test rows")
    p.add_argument("--horizons", default="96,192,336,720")
    p.add_argument("forecasts", nargs="+")
    a = p.parse_args()
    x = read_series(a.csv, a.target)
    t0, t1 = rows(a.train)
    mean = sum(x[t0:t1]) / (t1 - t0)
    std = math.sqrt(sum((v - mean) ** 2 for v in x[t0:t1]) / (t1 - t0))
    s0, s1 = rows(a.test)
    horizons = [int(h) for h in a.horizons.split(",")]
    print("| file | " + " | ".join(f"MSE@{h} | MAE@{h}" for h in horizons) + " |")
    print("|---|" + "---:|---:|" * len(horizons))
    for path in a.forecasts:
        f = read_forecasts(path)
        cells = []
        for h in horizons:
            se = ae = n = 0
            for origin in range(s0 - 1, s1 - h):
                for k in range(1, h + 1):
                    if (origin, k) not in f:
                        sys.exit(f"{path}: no forecast for origin {origin} step {k}")
                    e = (f[(origin, k)] - x[origin + k]) / std
                    se += e * e
                    ae += abs(e)
                    n += 1
            cells.append(f"{se / n:.6f} | {ae / n:.6f}")
        print(f"| {path} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
