"""The command line's statistics: ``python -m geo localisation`` (K-densities of each
sector's distances, Duranton and Overman) and ``python -m geo stats`` (LQ, shares, ratings
per aimag, region or district)."""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from geo import io
from geo._cli_common import _column, _index, _progress_bar


def cmd_localisation(args: argparse.Namespace) -> int:
    from geo.localisation import CURVE_COLUMNS, localisation

    frame = io.read_table(args.input)
    lat_col = _column(frame, "lat", args.lat_column, "latitude", args.input)
    lon_col = _column(frame, "lon", args.lon_column, "longitude", args.input)
    for name, col in (("--by", args.by), ("--weight", args.weight)):
        if col is not None and col not in frame.columns:
            raise io.InputError(
                f"{args.input}: no column {col!r} for {name} "
                f"(columns: {', '.join(map(str, frame.columns))})"
            )
    work = frame.copy()
    work["_lat"] = io.parse_coordinates(frame[lat_col])
    work["_lon"] = io.parse_coordinates(frame[lon_col])
    start = time.perf_counter()
    try:
        result = localisation(
            work,
            by=args.by,
            max_km=args.max_km,
            replicates=args.replicates,
            weight=args.weight,
            seed=args.seed,
            include_centres=args.include_centres,
            max_firms=args.max_firms,
            progress=_progress_bar("K-densities"),
            lat_column="_lat",
            lon_column="_lon",
        )
    except ValueError as exc:
        raise io.InputError(f"{args.input}: {exc}") from None
    io.write_table(result.curves[[args.by, *CURVE_COLUMNS]], args.output)
    summary = result.summary
    print(
        f"{len(frame)} rows, {int(summary['firms'].sum())} placed at a point: "
        f"{len(summary)} values of {args.by!r}, {int((summary['status'] == 'localised').sum())}"
        f" localised within {result.max_km:g} km ({result.replicates} draws, seed "
        f"{result.seed}{', weighted by ' + args.weight if args.weight else ''}) "
        f"({time.perf_counter() - start:.2f} s) -> {args.output}"
    )
    rows: list[Any] = list(summary.itertuples(index=False))  # named tuples of the columns
    for row in rows:
        group = row[0]
        if row.status == "too few":
            print(f"  {group}: too few firms ({row.firms})")
            continue
        where = ", ".join(
            f"{a:g}-{b:g} km" for a, b in (row.localised_ranges or row.dispersed_ranges)
        )
        p = row.p_localised if row.status != "dispersed" else row.p_dispersed
        print(f"  {group}: {row.status}{' at ' + where if where else ''} (p = {p:.3g})")
    if args.summary:
        table = summary.assign(
            localised_ranges=summary["localised_ranges"].map(
                lambda r: "; ".join(f"{a:g}-{b:g}" for a, b in r)
            ),
            dispersed_ranges=summary["dispersed_ranges"].map(
                lambda r: "; ".join(f"{a:g}-{b:g}" for a, b in r)
            ),
        )
        io.write_table(table, args.summary)
        print(f"summary per {args.by} -> {args.summary}")
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    from geo.stats import sector_statistics

    frame = io.read_table(args.input)
    weight = None if args.weight.lower() == "none" else args.weight
    for name, col in (("--by", args.by), ("--weight", weight)):
        if col is not None and col not in frame.columns:
            hint = " (use --weight none to count firms)" if name == "--weight" else ""
            raise io.InputError(
                f"{args.input}: no column {col!r} for {name}{hint} "
                f"(columns: {', '.join(map(str, frame.columns))})"
            )
    work = frame.copy()
    needs_points = "aimag_code" not in frame.columns or (
        args.level == "district"
        and "soum" not in frame.columns
        and "district_code" not in frame.columns
    )
    if needs_points:
        lat_col = _column(frame, "lat", None, "aimag_code or latitude", args.input)
        lon_col = _column(frame, "lon", None, "longitude", args.input)
        index = _index(args)
        located = index.locate(
            io.parse_coordinates(frame[lat_col]), io.parse_coordinates(frame[lon_col])
        )
        if "aimag_code" not in frame.columns:
            work["aimag_code"] = located["aimag_code"].to_numpy()
        work["district_code"] = (
            located["unit_code"].where(located["aimag_code"] == "MN-1").to_numpy()
        )
    else:
        codes = work["aimag_code"].astype("string").str.strip().str.upper()
        work["aimag_code"] = codes.where(codes != "")
    start = time.perf_counter()
    aimags = _index(args).aimags if not needs_points else index.aimags
    try:
        table = sector_statistics(work, aimags=aimags, level=args.level, by=args.by, weight=weight)
    except ValueError as exc:
        raise io.InputError(f"{args.input}: {exc}") from None
    io.write_table(table, args.output)
    known = set(aimags["iso_3166_2"])
    unplaced = int((~work["aimag_code"].isin(known)).sum())
    key = {"aimag": "aimag_code", "region": "region", "district": "district_code"}[args.level]
    units = table[key].nunique() - 1
    print(
        f"{len(work)} firms ({unplaced} without a known aimag: counted in Mongolia's totals "
        f"only) -> {len(table)} rows: {units} {args.level}s + Mongolia x "
        f"{table[args.by].nunique()} values of {args.by!r}; "
        f"{int(table['cmp_strong'].sum())} strong clusters (CMP) "
        f"({time.perf_counter() - start:.2f} s) -> {args.output}"
    )
    if unplaced > 0.2 * len(work) and "address" in frame.columns:
        print(
            "note: many firms have no aimag; geocode their addresses first: "
            "python -m geo geocode INPUT -o OUTPUT",
            file=sys.stderr,
        )
    return 0
