"""Speed and memory of the cluster p-values and the K-densities (issue #17).

Each case runs in a fresh process and prints n (located firms), sectors,
clusters, the median wall time over --repeat runs (compiled code loaded
first, clustering excluded: the p-values only), the peak of the process's
resident memory during the runs above its level before them (sampled every
5 ms from /proc), and what was found.

    .venv/bin/python bench/bench_significance.py               # all cases (about 6 minutes)
    .venv/bin/python bench/bench_significance.py --cases demo-999

Cases: ``demo-999`` (the app's demo view at 2 km / 10 firms, R = 999),
``demo-499`` (the app's R), ``100k-999`` (100,000 firms of the synthetic
registry of bench_cluster.py, true positions, R = 999), ``demo-kdensity-99``
(every sector's K-density of the demo, 0-20 km, 99 draws), ``100k-kdensity-19``
(the same on 100,000 firms with 19 draws, every firm) and ``100k-kdensityapp-99``
(as the app computes it: 99 draws, at most 2,000 firms per sector).
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

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

CASES = ["demo-999", "demo-499", "100k-999", "demo-kdensity-99", "100k-kdensity-19",
         "100k-kdensityapp-99"]
SEED = 17


def rss_mb() -> float:
    """The process's resident memory now, MB."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 2**20


class PeakMemory:
    """The highest resident memory while the block runs (a thread samples it)."""

    def __enter__(self):
        import threading

        self.peak = self.base = rss_mb()
        self.running = True

        def sample():
            while self.running:
                self.peak = max(self.peak, rss_mb())
                time.sleep(0.005)
        self.thread = threading.Thread(target=sample, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.running = False
        self.thread.join()
        self.peak = max(self.peak, rss_mb())


def demo_firms():
    """The demo registry as the app sees it: geocoded, firms placed at a point clustered."""
    from geo import admin, io
    from geo.geocode import Geocoder

    index = admin.AdminIndex(admin.load_aimags(), admin.load_units())
    return Geocoder(index).geocode(io.load_demo_firms(), address_column="address",
                                   lat_column="gps_lat", lon_column="gps_lon")


def registry_100k():
    from bench_cluster import registry

    return registry(100_000).rename(columns={"true_lat": "lat", "true_lon": "lon",
                                             "true_aimag_code": "aimag_code"})


def run_case(case: str, repeat: int) -> dict:
    from geo.cluster import cluster_firms
    from geo.localisation import localisation
    from geo.significance import cluster_significance

    parts = case.split("-")
    data, kind, replicates = parts[0], parts[1] if len(parts) == 3 else "scan", int(parts[-1])
    firms = demo_firms() if data == "demo" else registry_100k()
    labelled = cluster_firms(firms, 2.0, 10, by="sector")
    located = int((~labelled["cluster_status"].str.startswith("excluded")).sum())
    if kind == "scan":
        cluster_significance(labelled.iloc[:3000], 2.0, 10, replicates=9, seed=1)   # compile

        def work():
            return cluster_significance(labelled, 2.0, 10, replicates=replicates, seed=SEED)
    else:
        localisation(firms.iloc[:2000], replicates=19, seed=1)                    # compile
        most = 2000 if kind == "kdensityapp" else None

        def work():
            return localisation(firms, max_km=20.0, replicates=replicates, seed=SEED,
                                max_firms=most)
    times, result = [], None
    with PeakMemory() as memory:
        for _ in range(repeat):
            start = time.perf_counter()
            result = work()
            times.append(time.perf_counter() - start)
    out = {"case": case, "n": located, "replicates": replicates, "runs": repeat,
           "median_s": statistics.median(times), "times": [round(t, 2) for t in times],
           "extra_peak_mb": memory.peak - memory.base}
    if kind == "scan":
        sectors = result.sectors[result.sectors["clusters"] > 0]
        out.update(clusters=len(result.clusters),
                   significant=int(result.clusters["significant"].sum()),
                   per_sector={s: [int(k), int(c)] for s, k, c in zip(
                       sectors["sector"], sectors["significant_clusters"], sectors["clusters"])})
    else:
        summary = result.summary
        out.update(sectors=len(summary),
                   localised=int((summary["status"] == "localised").sum()),
                   per_sector={s: st for s, st in zip(summary["sector"], summary["status"])})
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", nargs="+", default=CASES)
    parser.add_argument("--repeat", type=int, default=None,
                        help="runs per case (default 5 on the demo, 3 at 100,000)")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_case(args.one, args.repeat)))
        return
    print(f"{'case':20s} {'n':>7s} {'R':>5s} {'median s':>9s} {'runs (s)':>24s} "
          f"{'extra MB':>9s}  result")
    for case in args.cases:
        repeat = args.repeat or (5 if case.startswith("demo") else 3)
        out = subprocess.run([sys.executable, __file__, "--one", case, "--repeat", str(repeat)],
                             capture_output=True, text=True)
        if out.returncode != 0:
            print(f"{case:20s} failed: {out.stderr.strip().splitlines()[-1:]}")
            continue
        r = json.loads(out.stdout.strip().splitlines()[-1])
        found = (f"{r['significant']} of {r['clusters']} clusters significant"
                 if "clusters" in r else f"{r['localised']} of {r['sectors']} sectors localised")
        print(f"{r['case']:20s} {r['n']:7d} {r['replicates']:5d} {r['median_s']:9.2f} "
              f"{str(r['times']):>24s} {r['extra_peak_mb']:9.0f}  {found}", flush=True)
        print("    " + "; ".join(f"{s}: {v[0]} of {v[1]}" if isinstance(v, list) else f"{s}: {v}"
                                 for s, v in r["per_sector"].items()), flush=True)


if __name__ == "__main__":
    main()
