"""Geocoding throughput on synthetic registries (prints n, median seconds, rows/s, peak memory).

    .venv/bin/python -m bench.bench_geocode --n 100000 1000000 --repeat 3

Three registers per size: the demo generator's addresses (about half of the address texts
distinct at 100,000), the same with coordinate columns, and a *mostly distinct* register (a door
number appended to every address: 96 % of the texts distinct), the case of a real register
whose addresses differ in streets, buildings and doors. Every run starts cold: the geocoder's
cache of parsed address parts is emptied first, so nothing carries over between runs.
"""

from __future__ import annotations

import argparse
import statistics
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

from datasets.build.make_demo_firms import make_demo_firms
from geo import address
from geo.geocode import Geocoder

ROOT = Path(__file__).resolve().parents[1]


def mostly_distinct(firms: pd.DataFrame, seed: int = 1) -> pd.DataFrame:
    """``firms`` with a door number (1-399) appended to every non-empty address."""
    rng = np.random.default_rng(seed)
    text = firms["address"].fillna("")
    doors = rng.integers(1, 400, len(firms)).astype(str)
    out = firms.copy()
    out["address"] = np.where(text.str.len() > 0, text + ", " + doors + " тоот", text)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    geocoder = Geocoder()
    for n in args.n:
        all_columns = make_demo_firms(n, seed=7)
        registers = (
            ("addresses", all_columns[["firm_id", "address"]]),
            ("addresses+GPS", all_columns[["firm_id", "address", "gps_lat", "gps_lon"]]),
            ("mostly distinct", mostly_distinct(all_columns[["firm_id", "address"]])),
        )
        for label, firms in registers:
            distinct = firms["address"].nunique() / n
            times = []
            for _ in range(args.repeat):
                address.clear_cache()
                start = time.perf_counter()
                geocoder.geocode(firms)
                times.append(time.perf_counter() - start)
            address.clear_cache()
            tracemalloc.start()
            geocoder.geocode(firms)
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            med = statistics.median(times)
            print(
                f"n={n:>9,} {label:16s} ({distinct:4.0%} distinct texts) median {med:6.2f} s "
                f"({n / med:>9,.0f} rows/s, 1 core)  runs {[round(t, 2) for t in times]}  "
                f"peak traced memory {peak / 2**20:,.0f} MiB",
                flush=True,
            )


if __name__ == "__main__":
    main()
