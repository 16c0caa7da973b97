"""Command line of related sectors (issue 18): ``python -m geo colocation``.

    python -m geo colocation INPUT -o OUTPUT [--by sector] [--radius-km R] [--replicates N]
                             [--seed S] [--alpha A]

Registered by :mod:`geo.__main__` (kept here so that module stays small).
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from geo import io
from geo.settings import COLOCATION_RADIUS_KM, COLOCATION_REPLICATES

__all__ = ["add_colocation_parser", "add_ecosystem_options", "cmd_colocation", "ecosystem_table"]


def cmd_colocation(args: argparse.Namespace) -> int:
    """Co-location quotients of every pair of values of ``--by`` with Monte Carlo p-values."""
    from geo._cli_common import _column, _progress_bar
    from geo.colocation import colocation_quotients, related_pairs

    frame = io.read_table(args.input)
    lat_col = _column(frame, "lat", args.lat_column, "latitude", args.input)
    lon_col = _column(frame, "lon", args.lon_column, "longitude", args.input)
    if args.by not in frame.columns:
        raise io.InputError(
            f"{args.input}: no column {args.by!r} for --by "
            f"(columns: {', '.join(map(str, frame.columns))})"
        )
    if not 0 <= args.replicates <= 100_000:
        raise io.InputError(f"--replicates must be from 0 to 100000, got {args.replicates}")
    if not args.radius_km > 0:
        raise io.InputError(f"--radius-km must be above 0, got {args.radius_km:g}")
    work = frame[[args.by]].copy()
    work["_lat"] = io.parse_coordinates(frame[lat_col])
    work["_lon"] = io.parse_coordinates(frame[lon_col])
    start = time.perf_counter()
    try:
        table = colocation_quotients(
            work,
            by=args.by,
            radius_km=args.radius_km,
            replicates=args.replicates,
            seed=args.seed,
            alpha=args.alpha,
            lat_column="_lat",
            lon_column="_lon",
            progress=_progress_bar("relabellings"),
        )
    except ValueError as exc:
        raise io.InputError(f"{args.input}: {exc}") from None
    io.write_table(table, args.output)
    meta: dict[Any, Any] = table.attrs
    left = {k: v for k, v in meta["left_out"].items() if v}
    groups = table["sector_a"].nunique()
    print(
        f"{len(frame)} rows, {meta['firms']} used"
        + (f" (left out: {'; '.join(f'{k}: {v}' for k, v in left.items())})" if left else "")
        + f": {groups} values of {args.by!r}, {len(table)} ordered pairs within "
        f"{args.radius_km:g} km; {int(table['related'].sum())} related at {args.alpha:g} "
        f"({args.replicates} relabellings, seed {meta['seed']}; Holm-adjusted p in "
        f"p_adjusted) ({time.perf_counter() - start:.2f} s) -> {args.output}"
    )
    for row in related_pairs(table, top=5).itertuples(index=False):
        print(f"  {row.sector_a} - {row.sector_b}: {row.colocation:.2f} (p = {row.p_value:.3g})")
    if left and sum(left.values()) > 0.2 * len(frame):
        print(
            "note: many rows have no coordinates; geocode them first: "
            "python -m geo geocode INPUT -o OUTPUT",
            file=sys.stderr,
        )
    return 0


def add_colocation_parser(sub: Any) -> None:
    """Add the ``colocation`` subcommand to the subparsers ``sub``."""
    co = sub.add_parser(
        "colocation",
        help="co-location quotients of every pair of sectors with p-values",
        description="One row per ordered pair: sector_a, sector_b, colocation (Leslie and "
        "Kronenfeld's co-location quotient: how much more often B's firms lie within the radius "
        "of A's firms than all firms do), p_value (one-sided, random relabelling), then "
        "p_adjusted (Holm), firms_a, firms_b, related.",
    )
    co.add_argument("input", help="CSV, XLSX, GeoJSON, GeoPackage or GeoParquet with lat/lon")
    co.add_argument("-o", "--output", required=True, help="CSV or XLSX, by extension")
    co.add_argument("--by", default="sector", help="grouping column (default sector)")
    co.add_argument(
        "--radius-km",
        type=float,
        default=COLOCATION_RADIUS_KM,
        help=f"neighbourhood radius, km (default {COLOCATION_RADIUS_KM:g})",
    )
    co.add_argument(
        "--replicates",
        type=int,
        default=COLOCATION_REPLICATES,
        help=f"random relabellings (default {COLOCATION_REPLICATES}; 0: no p-values)",
    )
    co.add_argument(
        "--seed",
        type=int,
        default=None,
        help="seed of the relabellings (default: drawn and printed)",
    )
    co.add_argument("--alpha", type=float, default=0.05, help="level of 'related' (default 0.05)")
    co.add_argument("--lat-column", default=None)
    co.add_argument("--lon-column", default=None)
    co.set_defaults(func=cmd_colocation)


def ecosystem_table(table: Any, labelled: Any, args: argparse.Namespace) -> Any:
    """The cluster table with ecosystem columns (``cluster --institutions FILE|register``).

    ``register``: the institutions of the input register itself (ISIC divisions in
    ``isic_division``); a file: a list with ``type`` and lat/lon columns (every row kept
    with a status; how many were left out is printed).
    """
    from geo._cli_common import _column
    from geo.institutions import ecosystem, institutions_from_register, read_institutions

    if args.institutions == "register":
        if "isic_division" not in labelled.columns:
            raise io.InputError(
                f"{args.input}: --institutions register needs an isic_division column"
            )
        found = institutions_from_register(labelled, lat_column="_lat", lon_column="_lon")
        source = f"{len(found)} institutions of the register"
    else:
        frame = io.read_table(args.institutions)
        lat_col = _column(frame, "lat", None, "latitude", args.institutions)
        lon_col = _column(frame, "lon", None, "longitude", args.institutions)
        try:
            found = read_institutions(frame, lat_column=lat_col, lon_column=lon_col)
        except ValueError as exc:
            raise io.InputError(f"{args.institutions}: {exc}") from None
        bad = found[found["institution_status"] != "used"]
        for row, reason in zip(bad.index[:5], bad["institution_reason"][:5]):
            print(f"  {args.institutions} row {row + 2}: {reason}", file=sys.stderr)
        found = found[found["institution_status"] == "used"]
        source = f"{len(found)} institutions of {args.institutions}" + (
            f" ({len(bad)} rows left out)" if len(bad) else ""
        )
    counts = ecosystem(table, found, distance_km=args.institutions_km)
    print(
        f"ecosystem: {source}, counted inside and within {args.institutions_km:g} km of "
        f"each cluster"
    )
    return table.join(counts)


def add_ecosystem_options(parser: argparse.ArgumentParser) -> None:
    """``--institutions`` and ``--institutions-km`` of the ``cluster`` subcommand."""
    from geo.settings import ECOSYSTEM_DISTANCE_KM

    parser.add_argument(
        "--institutions",
        default=None,
        metavar="FILE|register",
        help="add ecosystem columns to the --clusters output: institutions "
        "(research, education, finance, membership, public administration) "
        "inside and near each cluster, from a file with a type column and "
        "lat/lon, or 'register' for the input's own (by ISIC division)",
    )
    parser.add_argument(
        "--institutions-km",
        type=float,
        default=ECOSYSTEM_DISTANCE_KM,
        help=f"distance of 'near', km (default {ECOSYSTEM_DISTANCE_KM:g})",
    )
