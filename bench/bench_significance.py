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
(as the app computes it: 99 draws, at most 2,000 firms per sector). ``demo-share-499``
says what share of the p-values' time is clustering (issue 19): the test's phases timed
apart (set-up, drawing the relabellings, the compiled replicates, which run DBSCAN and score
its footprints in one pass) against R plain runs of ``geo.cluster.dbscan`` over every sector of
the same firms.
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

CASES = [
    "demo-999",
    "demo-499",
    "100k-999",
    "demo-kdensity-99",
    "100k-kdensity-19",
    "100k-kdensityapp-99",
    "demo-share-499",
]
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
    return Geocoder(index).geocode(
        io.load_demo_firms(), address_column="address", lat_column="gps_lat", lon_column="gps_lon"
    )


def registry_100k():
    from bench_cluster import registry

    return registry(100_000).rename(
        columns={"true_lat": "lat", "true_lon": "lon", "true_aimag_code": "aimag_code"}
    )


def run_case(case: str, repeat: int) -> dict:
    from geo.cluster import cluster_firms
    from geo.localisation import localisation
    from geo.significance import cluster_significance

    parts = case.split("-")
    data, kind, replicates = parts[0], parts[1] if len(parts) == 3 else "scan", int(parts[-1])
    firms = demo_firms() if data == "demo" else registry_100k()
    labelled = cluster_firms(firms, 2.0, 10, by="sector")
    if kind == "share":
        return clustering_share(labelled, replicates, repeat)
    located = int((~labelled["cluster_status"].str.startswith("excluded")).sum())
    if kind == "scan":
        cluster_significance(labelled.iloc[:3000], 2.0, 10, replicates=9, seed=1)  # compile

        def work():
            return cluster_significance(labelled, 2.0, 10, replicates=replicates, seed=SEED)
    else:
        localisation(firms.iloc[:2000], replicates=19, seed=1)  # compile
        most = 2000 if kind == "kdensityapp" else None

        def work():
            return localisation(
                firms, max_km=20.0, replicates=replicates, seed=SEED, max_firms=most
            )

    times, result = [], None
    with PeakMemory() as memory:
        for _ in range(repeat):
            start = time.perf_counter()
            result = work()
            times.append(time.perf_counter() - start)
    out = {
        "case": case,
        "n": located,
        "replicates": replicates,
        "runs": repeat,
        "median_s": statistics.median(times),
        "times": [round(t, 2) for t in times],
        "extra_peak_mb": memory.peak - memory.base,
    }
    if kind == "scan":
        sectors = result.sectors[result.sectors["clusters"] > 0]
        out.update(
            clusters=len(result.clusters),
            significant=int(result.clusters["significant"].sum()),
            per_sector={
                s: [int(k), int(c)]
                for s, k, c in zip(
                    sectors["sector"], sectors["significant_clusters"], sectors["clusters"]
                )
            },
        )
    else:
        summary = result.summary
        out.update(
            sectors=len(summary),
            localised=int((summary["status"] == "localised").sum()),
            per_sector={s: st for s, st in zip(summary["sector"], summary["status"])},
        )
    return out


def clustering_share(labelled, replicates: int, repeat: int) -> dict:
    """Phases of the p-values, and R plain DBSCAN runs of all sectors, in seconds."""
    import numpy as np

    from geo import _scan_kernels, significance
    from geo.cluster import dbscan

    located = labelled[labelled["cluster_status"].isin(["clustered", "noise"])]
    lon = located["_lon"].to_numpy(float) if "_lon" in located else located["lon"].to_numpy(float)
    lat = located["_lat"].to_numpy(float) if "_lat" in located else located["lat"].to_numpy(float)
    codes, _ = located["sector"].factorize()
    n_groups = int(codes.max()) + 1
    significance.cluster_significance(labelled.iloc[:3000], 2.0, 10, replicates=9, seed=1)
    dbscan(lon[:2000], lat[:2000], 2.0, 10, groups=codes[:2000])  # compile
    phases: dict[str, list[float]] = {
        "set-up": [],
        "relabellings": [],
        "replicates": [],
        "whole test": [],
        "R x dbscan": [],
    }
    for _ in range(repeat):
        start = time.perf_counter()
        significance.cluster_significance(labelled, 2.0, 10, replicates=replicates, seed=SEED)
        phases["whole test"].append(time.perf_counter() - start)
        start = time.perf_counter()
        places = significance._Places.build(lon, lat, 2.0)
        codes_b = codes[places.order].astype(np.int64)
        places.footprints(located["cluster"].to_numpy(np.int64)[places.order], codes_b, n_groups)
        phases["set-up"].append(time.perf_counter() - start)
        rng = np.random.default_rng(SEED)
        start = time.perf_counter()
        perms = significance._permutations(rng, len(lon), replicates, None)
        phases["relabellings"].append(time.perf_counter() - start)
        totals = np.bincount(codes_b, minlength=n_groups).astype(float)
        start = time.perf_counter()
        _scan_kernels.replicate_maxima(
            places.xyz,
            places.cell,
            places.nbr,
            places.pop,
            codes_b,
            np.ones(len(lon)),
            perms,
            n_groups,
            totals,
            places.chord2,
            10.0,
        )
        phases["replicates"].append(time.perf_counter() - start)
        start = time.perf_counter()
        for _ in range(replicates):
            dbscan(lon, lat, 2.0, 10, groups=codes)
        phases["R x dbscan"].append(time.perf_counter() - start)
    medians = {k: statistics.median(v) for k, v in phases.items()}
    return {
        "case": f"demo-share-{replicates}",
        "n": len(lon),
        "replicates": replicates,
        "runs": repeat,
        "median_s": medians["whole test"],
        "phases_median_s": {k: round(v, 3) for k, v in medians.items()},
        "replicates_share_of_test": round(medians["replicates"] / medians["whole test"], 3),
        "dbscan_runs_over_replicates": round(medians["R x dbscan"] / medians["replicates"], 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", nargs="+", default=CASES)
    parser.add_argument(
        "--repeat",
        type=int,
        default=None,
        help="runs per case (default 5 on the demo, 3 at 100,000)",
    )
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_case(args.one, args.repeat)))
        return
    print(
        f"{'case':20s} {'n':>7s} {'R':>5s} {'median s':>9s} {'runs (s)':>24s} "
        f"{'extra MB':>9s}  result"
    )
    for case in args.cases:
        repeat = args.repeat or (5 if case.startswith("demo") else 3)
        out = subprocess.run(
            [sys.executable, __file__, "--one", case, "--repeat", str(repeat)],
            capture_output=True,
            text=True,
        )
        if out.returncode != 0:
            print(f"{case:20s} failed: {out.stderr.strip().splitlines()[-1:]}")
            continue
        r = json.loads(out.stdout.strip().splitlines()[-1])
        if "phases_median_s" in r:
            print(
                f"{r['case']:20s} {r['n']:7d} {r['replicates']:5d} {r['median_s']:9.2f}  "
                f"phases (median s) {r['phases_median_s']}; the compiled replicates are "
                f"{r['replicates_share_of_test']:.0%} of the test; R plain DBSCAN runs of "
                f"every sector take {r['dbscan_runs_over_replicates']}x the replicates' time",
                flush=True,
            )
            continue
        found = (
            f"{r['significant']} of {r['clusters']} clusters significant"
            if "clusters" in r
            else f"{r['localised']} of {r['sectors']} sectors localised"
        )
        print(
            f"{r['case']:20s} {r['n']:7d} {r['replicates']:5d} {r['median_s']:9.2f} "
            f"{str(r['times']):>24s} {r['extra_peak_mb']:9.0f}  {found}",
            flush=True,
        )
        print(
            "    "
            + "; ".join(
                f"{s}: {v[0]} of {v[1]}" if isinstance(v, list) else f"{s}: {v}"
                for s, v in r["per_sector"].items()
            ),
            flush=True,
        )


if __name__ == "__main__":
    main()
