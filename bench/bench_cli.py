"""The command line, whole process, against scikit-learn's DBSCAN alone (one run, ratios).

Writes a register of n synthetic firms (true positions, sector, employees), then times
``python -m geo cluster`` and ``python -m geo stats`` as analysts run them (a new
process each: imports, reading, parsing coordinates, clustering, writing, formula
neutralisation included), and scikit-learn's haversine DBSCAN on the same points,
sector by sector, fit alone (no reading, no writing). Prints medians, peak RSS of
the processes and the ratio.

    .venv/bin/python -m bench.bench_cli                  # 200,000 firms
    .venv/bin/python -m bench.bench_cli --n 1000000 --no-sklearn
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def register(n: int, path: Path) -> None:
    from bench.bench_cluster import registry

    firms = registry(n)
    out = firms.rename(
        columns={"true_lat": "lat", "true_lon": "lon", "true_aimag_code": "aimag_code"}
    )
    out = out[["sector", "employees", "lat", "lon", "aimag_code", "isic_division"]]
    out.insert(0, "name", [f"Firm {i}" for i in range(len(out))])
    out.to_csv(path, index=False)


def timed_process(args: list[str], repeat: int) -> tuple[float, list[float], float]:
    """Median wall seconds, the runs, and the largest peak RSS (MiB) of ``python -m geo args``."""
    times, peaks = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        out = subprocess.run(
            ["/usr/bin/time", "-f", "%M", sys.executable, "-m", "geo", *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        times.append(time.perf_counter() - start)
        if out.returncode != 0:
            raise SystemExit(f"geo {' '.join(args)} failed:\n{out.stderr}")
        peaks.append(int(out.stderr.strip().splitlines()[-1]) / 1024)
    return statistics.median(times), times, max(peaks)


def sklearn_alone(path: Path) -> float:
    import pandas as pd
    from sklearn.cluster import DBSCAN

    from geo.cluster import EARTH_RADIUS_KM

    firms = pd.read_csv(path)
    start = time.perf_counter()
    for _, part in firms.groupby("sector"):
        X = np.radians(part[["lat", "lon"]].to_numpy())
        DBSCAN(
            eps=2.0 / EARTH_RADIUS_KM, min_samples=10, metric="haversine", algorithm="ball_tree"
        ).fit(X)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-sklearn", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "firms.csv"
        register(args.n, data)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "geo",
                "cluster",
                str(data),
                "-o",
                str(Path(tmp) / "warm.csv"),
                "--eps-km",
                "2",
                "--min-samples",
                "10",
            ],
            cwd=ROOT,
            capture_output=True,
        )  # compiled kernels cached
        print(f"{'command':58s} {'n':>9s} {'median s':>9s}  runs (s)            peak MiB")
        rows = []
        for label, cli in (
            (
                "geo cluster --eps-km 2 --min-samples 10 (CSV -> CSV)",
                [
                    "cluster",
                    str(data),
                    "-o",
                    str(Path(tmp) / "c.csv"),
                    "--eps-km",
                    "2",
                    "--min-samples",
                    "10",
                ],
            ),
            (
                "geo stats --level aimag (CSV -> CSV)",
                ["stats", str(data), "-o", str(Path(tmp) / "s.csv"), "--level", "aimag"],
            ),
        ):
            median, times, peak = timed_process(cli, args.repeat)
            rows.append((label, median))
            print(
                f"{label:58s} {args.n:9d} {median:9.2f}  "
                f"{', '.join(f'{t:.2f}' for t in times):18s} {peak:8.0f}",
                flush=True,
            )
        if not args.no_sklearn:
            seconds = sklearn_alone(data)
            print(
                f"{'scikit-learn DBSCAN alone (haversine, ball tree; fit only)':58s} "
                f"{args.n:9d} {seconds:9.2f}  (1 run)"
            )
            print(
                f"ratio: the whole cluster command is {seconds / rows[0][1]:.1f}x faster than "
                "scikit-learn's fit alone"
            )


if __name__ == "__main__":
    main()
