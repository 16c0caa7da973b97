"""Clustering speed and memory on Mongolian-like synthetic registries.

Prints one line per case: n, sectors, median wall seconds over --repeat runs
(projection included, compilation excluded), extra peak memory (RSS of a fresh
process above its level after loading the data), and the same run of
scikit-learn where it can finish.

    .venv/bin/python -m bench.bench_cluster                 # everything (about 3 minutes)
    .venv/bin/python -m bench.bench_cluster --cases dbscan-100k
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]

CACHE = ROOT / ".cache"
CASES = [
    "dbscan-100k",
    "dbscan-100k-weighted",
    "dbscan-1m",
    "peer-1m",
    "dbscan-1m-weighted",
    "dbscan-3m",
    "peer-3m",
    "sklearn-20k",
    "sklearn-100k",
    "exact-100k",
    "hdbscan-20k",
    "describe-100k",
    "kdist-100k",
]


def registry(n: int) -> pd.DataFrame:
    """True positions, sector and employees of a synthetic registry of n firms (cached)."""
    from datasets.build.make_demo_firms import make_demo_firms

    path = CACHE / "bench_registry_1000000.parquet"
    if not path.exists():
        CACHE.mkdir(exist_ok=True)
        firms = make_demo_firms(1_000_000, seed=7)
        firms = firms[
            [
                "sector",
                "employees",
                "true_lat",
                "true_lon",
                "true_aimag_code",
                "true_soum",
                "isic_division",
                "exporter",
                "foreign_owned",
            ]
        ]
        firms.to_parquet(path)
    firms = pd.read_parquet(path)
    if n > len(firms):  # 3 million: the million three times, moved by up to 1 km
        rng = np.random.default_rng(0)
        parts = [
            firms.assign(
                true_lat=firms.true_lat + rng.normal(0, 0.005, len(firms)),
                true_lon=firms.true_lon + rng.normal(0, 0.007, len(firms)),
            )
            for _ in range(n // len(firms))
        ]
        firms = pd.concat(parts, ignore_index=True)
    return firms.iloc[:n].reset_index(drop=True)


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_case(case: str, repeat: int) -> dict:
    from geo.cluster import EARTH_RADIUS_KM, cluster_firms, dbscan, hdbscan, k_distances

    kind, size, *rest = case.split("-")
    n = {"20k": 20_000, "100k": 100_000, "1m": 1_000_000, "3m": 3_000_000}[size]
    firms = registry(n)
    lon, lat = firms["true_lon"].to_numpy(), firms["true_lat"].to_numpy()
    sector = firms["sector"].to_numpy(dtype=object)
    weight = firms["employees"].to_numpy(float) if rest == ["weighted"] else None
    dbscan(lon[:2000], lat[:2000], 2.0, 10, groups=sector[:2000])  # load compiled code
    base = rss_mb()

    if kind == "dbscan":
        groups = firms["sector"]  # the column, as geo.cluster.cluster_firms passes it

        def work():
            return dbscan(lon, lat, 2.0, 10, sample_weight=weight, groups=groups).n_clusters
    elif kind == "sklearn":
        from sklearn.cluster import DBSCAN

        def work():
            count = 0
            for s in np.unique(sector):
                idx = np.flatnonzero(sector == s)
                X = np.radians(np.column_stack([lat[idx], lon[idx]]))
                labels = DBSCAN(
                    eps=2.0 / EARTH_RADIUS_KM,
                    min_samples=10,
                    metric="haversine",
                    algorithm="ball_tree",
                ).fit_predict(X)
                count += labels.max() + 1
            return int(count)
    elif kind == "peer":
        # the fastest exact peer: the `dbscan` package (Wang, Gu and Shun's parallel exact
        # DBSCAN) on the same points projected to metres, sector by sector; the projection is
        # done once, outside the timing (so the peer is timed on its kernel alone, while our
        # time includes projection, grid and everything else)
        from dbscan import DBSCAN as peer_dbscan

        from geo.projection import to_metric

        x, y = to_metric(lon, lat)
        parts = [np.flatnonzero(sector == s) for s in np.unique(sector)]
        xy = [np.ascontiguousarray(np.column_stack([x[i], y[i]])) for i in parts]

        def work():
            return int(sum(peer_dbscan(X, eps=2000.0, min_samples=10)[0].max() + 1 for X in xy))
    elif kind == "exact":
        # every label equal to scikit-learn's (sector by sector), not only the count
        from sklearn.cluster import DBSCAN

        def work():
            ours = dbscan(lon, lat, 2.0, 10, groups=sector)
            differ = 0
            for code, s in enumerate(ours.groups):
                idx = np.flatnonzero(sector == s)
                X = np.radians(np.column_stack([lat[idx], lon[idx]]))
                theirs = DBSCAN(
                    eps=2.0 / EARTH_RADIUS_KM,
                    min_samples=10,
                    metric="haversine",
                    algorithm="ball_tree",
                ).fit_predict(X)
                mine = ours.labels[idx]
                mine = np.where(mine >= 0, mine - ours.group_offset[code], -1)
                differ += int((mine != theirs).sum())
            return f"{differ} labels differ"
    elif kind == "hdbscan":

        def work():
            return int(hdbscan(lon, lat, 10, groups=sector).max() + 1)
    elif kind == "describe":
        from geo.admin import load_aimags
        from geo.describe import describe_clusters

        aimags = load_aimags()
        frame = firms.rename(
            columns={
                "true_lat": "lat",
                "true_lon": "lon",
                "true_aimag_code": "aimag_code",
                "true_soum": "soum",
            }
        )
        clustered = cluster_firms(frame, 2.0, 10)

        def work():
            return len(describe_clusters(clustered, aimags=aimags))
    elif kind == "kdist":

        def work():
            return int(k_distances(lon, lat, 10).size)
    else:
        raise SystemExit(f"unknown case {case}")

    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return {
        "case": case,
        "n": n,
        "sectors": int(len(np.unique(sector))),
        "median_s": statistics.median(times),
        "runs": repeat,
        "result": result,
        "extra_peak_mb": rss_mb() - base,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", nargs="+", default=CASES)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_case(args.one, args.repeat)))
        return
    print(
        f"{'case':24s} {'n':>9s} {'sectors':>7s} {'median s':>9s} {'runs':>4s} "
        f"{'extra MB':>9s}  result"
    )
    for case in args.cases:
        repeat = 1 if (case.startswith(("sklearn", "exact")) and "100k" in case) else args.repeat
        out = subprocess.run(
            [sys.executable, "-m", "bench.bench_cluster", "--one", case, "--repeat", str(repeat)],
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        if out.returncode != 0:
            print(f"{case:24s} failed: {out.stderr.strip().splitlines()[-1:]}")
            continue
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(
            f"{r['case']:24s} {r['n']:9d} {r['sectors']:7d} {r['median_s']:9.3f} "
            f"{r['runs']:4d} {r['extra_peak_mb']:9.0f}  {r['result']}",
            flush=True,
        )


if __name__ == "__main__":
    main()
