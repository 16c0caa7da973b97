"""Geocoding throughput on synthetic registries (prints n, median seconds, rows/s, peak memory).

    .venv/bin/python -m bench.bench_geocode --n 100000 1000000 --repeat 3
"""

from __future__ import annotations

import argparse
import statistics
import time
import tracemalloc
from pathlib import Path

from datasets.build.make_demo_firms import make_demo_firms
from geo.geocode import Geocoder

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    geocoder = Geocoder()
    for n in args.n:
        all_columns = make_demo_firms(n, seed=7)
        for label, columns in (("addresses", ["firm_id", "address"]),
                               ("addresses+GPS", ["firm_id", "address", "gps_lat", "gps_lon"])):
            firms = all_columns[columns]
            times = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                geocoder.geocode(firms)
                times.append(time.perf_counter() - start)
            tracemalloc.start()
            geocoder.geocode(firms)
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            med = statistics.median(times)
            print(f"n={n:>9,} {label:14s} median {med:6.2f} s  ({n / med:>9,.0f} rows/s, 1 core)"
                  f"  runs {[round(t, 2) for t in times]}  peak traced memory "
                  f"{peak / 2**20:,.0f} MiB", flush=True)


if __name__ == "__main__":
    main()
