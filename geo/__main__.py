"""Command line of Cluster Atlas Mongolia: the app's pipeline in batch.

    python -m geo geocode INPUT -o OUTPUT [--address-column NAME]
    python -m geo cluster INPUT -o OUTPUT --eps-km KM --min-samples N [--by COLUMN]
                          [--weight COLUMN] [--method dbscan|hdbscan] [--clusters FILE]
                          [--significance R [--seed S] [--null all|aimag]]
                          [--institutions FILE|register [--institutions-km D]]
    python -m geo localisation INPUT -o OUTPUT [--by COLUMN] [--max-km D] [--replicates R]
                               [--weight COLUMN] [--seed S] [--summary FILE]
    python -m geo stats INPUT -o OUTPUT [--level aimag|region|district] [--by COLUMN]
                        [--weight COLUMN]
    python -m geo colocation INPUT -o OUTPUT [--by COLUMN] [--radius-km R] [--replicates N]
                             [--seed S]
    python -m geo boundaries import FILE [--level soum|aimag] [--name NAME] [--layer LAYER]
    python -m geo boundaries show | remove

``geocode``, ``cluster`` and ``stats`` take ``--boundaries FILE [--boundaries-level
soum|aimag]``: official boundaries (checked as the import checks them) instead of the
embedded, generalised ones.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import TYPE_CHECKING

from geo import io
from geo._cli_common import _column, _index, _progress_bar
from geo._cli_stats import cmd_localisation, cmd_stats

if TYPE_CHECKING:
    import pandas as pd


def cmd_boundaries(args: argparse.Namespace) -> int:
    """Load official boundaries into the workspace, show them or go back to the embedded."""
    from geo.boundaries import import_boundaries
    from geo.workspace import Workspace, WorkspaceError

    store = Workspace.default()
    if args.action == "show":
        current = store.boundaries()
        if current is None:
            from geo.boundaries import EMBEDDED

            print(EMBEDDED.label())
        else:
            source, _, report = current
            print(source.label())
            print(report.text())
        return 0
    if args.action == "remove":
        store.clear_boundaries(saved_by=args.user)
        print("back to the embedded, generalised boundaries")
        return 0
    if not args.file:
        raise io.InputError("boundaries import: give the boundary file")
    imported = import_boundaries(
        args.file, level=args.level, name=args.name, layer=args.layer, imported_by=args.user
    )
    print(imported.report.text())
    if not imported.ok:
        return 2
    try:
        version = store.save_boundaries(imported, saved_by=args.user)
    except WorkspaceError as exc:
        raise io.InputError(str(exc)) from None
    print(
        f"stored in {store.path} (version {version}): the dashboard now uses "
        f"{imported.source.label()}"
    )
    return 0


def cmd_geocode(args: argparse.Namespace) -> int:
    from geo.geocode import Geocoder

    from geo.mojibake import repair_frame

    frame = io.read_table(args.input)  # encoding, delimiter and header row detected
    frame, repairs = repair_frame(frame)
    if repairs:
        notes: dict[int, list[str]] = {}
        for r in repairs:
            notes.setdefault(r.row - 1, []).append(
                f"text repaired in {r.column} (UTF-8 misread as {r.misread_as})"
            )
        frame["import_notes"] = [
            ("; ".join(notes[i]) if i in notes else "") for i in range(len(frame))
        ]
        print(
            f"repaired damaged text (mojibake): {len(repairs)} cell"
            f"{'' if len(repairs) == 1 else 's'} in {len(notes)} row"
            f"{'' if len(notes) == 1 else 's'} (see import_notes)",
            file=sys.stderr,
        )
    from geo.ingest import guess_column

    if args.address_column not in frame.columns and guess_column(frame.columns, "lat") is None:
        raise io.InputError(
            f"{args.input}: no column {args.address_column!r} "
            f"(columns: {', '.join(map(str, frame.columns))})"
        )
    start = time.perf_counter()
    out = Geocoder(_index(args)).geocode(
        frame, address_column=args.address_column, progress=_progress_bar("geocoding")
    )
    seconds = time.perf_counter() - start
    io.write_table(out, args.output)
    counts = out["geocode_status"].value_counts()
    print(
        f"{len(out)} row{'' if len(out) == 1 else 's'}: {counts.get('matched', 0)} matched, "
        f"{counts.get('ambiguous', 0)} ambiguous, {counts.get('unmatched', 0)} unmatched "
        f"({seconds:.2f} s) -> {args.output}"
    )
    return 0


def cmd_cluster(args: argparse.Namespace) -> int:
    from geo.cluster import cluster_firms

    frame = io.read_table(args.input)
    lat_col = _column(frame, "lat", args.lat_column, "latitude", args.input)
    lon_col = _column(frame, "lon", args.lon_column, "longitude", args.input)
    by = args.by
    if by is None:
        by = "sector" if "sector" in frame.columns else None
    elif by.lower() == "none":
        by = None
    for name, col in (("--by", by), ("--weight", args.weight)):
        if col is not None and col not in frame.columns:
            raise io.InputError(
                f"{args.input}: no column {col!r} for {name} "
                f"(columns: {', '.join(map(str, frame.columns))})"
            )
    if args.institutions and not args.clusters:
        raise io.InputError(
            "--institutions adds ecosystem columns to the --clusters output: "
            "give --clusters FILE too"
        )
    if args.significance is not None:
        if not args.clusters:
            raise io.InputError(
                "--significance adds p_value and significant to the "
                "--clusters output: give --clusters FILE too"
            )
        if args.method != "dbscan":
            raise io.InputError(
                "--significance needs --method dbscan (the replicates rerun DBSCAN)"
            )
        if by is None:
            raise io.InputError("--significance compares groups: it needs --by COLUMN")
        if not 1 <= args.significance <= 100_000:
            raise io.InputError(
                f"--significance must be from 1 to 100000 replicates, got {args.significance}"
            )
    work = frame.copy()
    work["_lat"] = io.parse_coordinates(frame[lat_col])
    work["_lon"] = io.parse_coordinates(frame[lon_col])
    start = time.perf_counter()
    try:
        out = cluster_firms(
            work,
            args.eps_km,
            args.min_samples,
            by=by,
            weight=args.weight,
            method=args.method,
            include_centres=args.include_centres,
            lat_column="_lat",
            lon_column="_lon",
        )
    except ValueError as exc:
        raise io.InputError(f"{args.input}: {exc}") from None
    seconds = time.perf_counter() - start
    result = out.drop(columns=["_lat", "_lon"])
    io.write_table(result, args.output)
    status = out["cluster_status"].value_counts()  # a few distinct texts: split those
    status = status.groupby(status.index.str.split(" \\(").str[0]).sum()
    excluded = {str(k): v for k, v in status.items() if str(k).startswith("excluded")}
    n_clusters = int(out["cluster"].max() + 1) if (out["cluster"] >= 0).any() else 0
    groups = f" in {out.loc[out.cluster >= 0, by].nunique()} groups of {by!r}" if by else ""
    print(
        f"{len(out)} rows: {n_clusters} clusters{groups}; "
        f"{status.get('clustered', 0)} firms clustered, {status.get('noise', 0)} noise, "
        f"{sum(excluded.values())} excluded"
        + (f" ({'; '.join(f'{k[10:]}: {v}' for k, v in excluded.items())})" if excluded else "")
        + f" ({seconds:.2f} s) -> {args.output}"
    )
    if args.clusters:
        from geo.describe import describe_clusters

        index = _index(args)
        if "aimag_code" not in out.columns or "soum" not in out.columns:
            located = index.locate(out["_lat"].to_numpy(float), out["_lon"].to_numpy(float))
            names = dict(zip(index.units["unit_code"].astype(str), index.units["name_mn"]))
            if "aimag_code" not in out.columns:
                out["aimag_code"] = located["aimag_code"].to_numpy()
            if "soum" not in out.columns:
                out["soum"] = [names.get(str(u)) if u else None for u in located["unit_code"]]
        table = describe_clusters(
            out,
            aimags=index.aimags,
            by=by,
            weight=args.weight or ("employees" if "employees" in out.columns else None),
            lat_column="_lat",
            lon_column="_lon",
        )
        if args.significance is not None:
            table = _significance(out, table, args, by)
        if args.institutions:
            from geo._cli_eco import ecosystem_table

            table = ecosystem_table(table, out, args)
        io.write_layer(table, args.clusters)
        print(f"{len(table)} clusters with outlines -> {args.clusters}")
    return 0


def _significance(
    labelled: pd.DataFrame, table: pd.DataFrame, args: argparse.Namespace, by: str
) -> pd.DataFrame:
    """The cluster table with Monte Carlo p-values (``cluster --significance R``)."""
    from geo.significance import cluster_significance

    start = time.perf_counter()
    try:
        result = cluster_significance(
            labelled,
            args.eps_km,
            args.min_samples,
            by=by,
            weight=args.weight,
            replicates=args.significance,
            seed=args.seed,
            null=args.null,
            correction=args.correction,
            progress=_progress_bar("replicates"),
            lat_column="_lat",
            lon_column="_lon",
        )
    except ValueError as exc:
        raise io.InputError(f"{args.input}: {exc}") from None
    sectors = result.sectors
    tested = int(sectors["tested"].sum())
    found = sectors[sectors["clusters"] > 0]
    per = ", ".join(
        f"{g}: {s} of {c}"
        for g, s, c in zip(found[by], found["significant_clusters"], found["clusters"])
    )
    print(
        f"significance: {int(result.clusters['significant'].sum())} of {len(result.clusters)} "
        f"clusters significant at {result.alpha:g} ({result.correction} across {tested} "
        f"values of {by!r}; {result.replicates} replicates, seed {result.seed}, null "
        f"{result.null}) ({time.perf_counter() - start:.2f} s)" + (f"\n  {per}" if per else "")
    )
    return result.annotate(table)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m geo", description="Cluster Atlas Mongolia in batch."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    g = sub.add_parser("geocode", help="geocode the addresses of a CSV or XLSX firm table")
    g.add_argument("input")
    g.add_argument("-o", "--output", required=True, help="CSV or XLSX, by extension")
    g.add_argument("--address-column", default="address")
    _boundary_options(g)
    g.set_defaults(func=cmd_geocode)

    c = sub.add_parser(
        "cluster",
        help="find DBSCAN or HDBSCAN clusters of firms by sector",
        description="Every input row is written with a cluster column (-1: noise "
        "or excluded) and cluster_status saying why.",
    )
    c.add_argument("input", help="CSV, XLSX, GeoJSON, GeoPackage or GeoParquet with lat/lon")
    c.add_argument("-o", "--output", required=True, help="CSV or XLSX, by extension")
    c.add_argument("--eps-km", type=float, default=2.0, help="DBSCAN radius, km (default 2)")
    c.add_argument(
        "--min-samples",
        type=float,
        default=10,
        help="firms (or weight) within the radius for a core firm; HDBSCAN: minimum "
        "cluster size (default 10)",
    )
    c.add_argument(
        "--by",
        default=None,
        help="cluster each value of this column separately (default: sector if "
        "present; 'none' for all firms together)",
    )
    c.add_argument("--weight", default=None, help="weight column, e.g. employees (DBSCAN)")
    c.add_argument("--method", choices=("dbscan", "hdbscan"), default="dbscan")
    c.add_argument(
        "--clusters",
        default=None,
        help="also write the cluster table with outlines (.geojson or .gpkg)",
    )
    c.add_argument(
        "--include-centres",
        action="store_true",
        help="also cluster firms located only to a soum/district centre",
    )
    c.add_argument("--lat-column", default=None)
    c.add_argument("--lon-column", default=None)
    c.add_argument(
        "--significance",
        type=int,
        default=None,
        metavar="R",
        help="add p_value and significant to the --clusters output from R random "
        "relabellings (DBSCAN, with --by); 999 is usual",
    )
    c.add_argument(
        "--seed",
        type=int,
        default=None,
        help="seed of the relabellings (default: drawn and printed)",
    )
    c.add_argument(
        "--null",
        choices=("all", "aimag"),
        default="all",
        help="relabel among all located firms, or within each aimag",
    )
    c.add_argument(
        "--correction",
        choices=("holm", "bh"),
        default="holm",
        help="adjustment across groups: Holm (default) or Benjamini-Hochberg",
    )
    from geo._cli_eco import add_ecosystem_options

    add_ecosystem_options(c)
    _boundary_options(c)
    c.set_defaults(func=cmd_cluster)

    lo = sub.add_parser(
        "localisation",
        help="Duranton-Overman K-density of each group with local and global bands",
        description="Writes per group and distance: the group, distance_km, "
        "k_density, local_low, local_high, global_low, global_high.",
    )
    lo.add_argument("input", help="CSV, XLSX, GeoJSON, GeoPackage or GeoParquet with lat/lon")
    lo.add_argument("-o", "--output", required=True, help="CSV or XLSX, by extension")
    lo.add_argument("--by", default="sector", help="grouping column (default sector)")
    lo.add_argument("--max-km", type=float, default=20.0, help="largest distance, km (default 20)")
    lo.add_argument(
        "--replicates", type=int, default=99, help="random draws per group (default 99)"
    )
    lo.add_argument("--weight", default=None, help="employment column, e.g. employees")
    lo.add_argument(
        "--seed", type=int, default=None, help="seed of the draws (default: drawn and printed)"
    )
    lo.add_argument(
        "--summary",
        default=None,
        help="also write one row per group (status, distances, index, p-value)",
    )
    lo.add_argument(
        "--include-centres",
        action="store_true",
        help="also use firms located only to a soum/district centre",
    )
    lo.add_argument(
        "--max-firms",
        type=int,
        default=None,
        help="represent a larger group by this many of its firms, drawn at random "
        "(default: every firm; the work grows with the square of a group's size)",
    )
    lo.add_argument("--lat-column", default=None)
    lo.add_argument("--lon-column", default=None)
    lo.set_defaults(func=cmd_localisation)

    st = sub.add_parser(
        "stats",
        help="location quotients, shares and cluster ratings per unit",
        description="One row per unit (aimag, region or Ulaanbaatar district, "
        "and Mongolia) and value of --by.",
    )
    st.add_argument("input", help="CSV, XLSX or geographic file with aimag_code or lat/lon")
    st.add_argument("-o", "--output", required=True, help="CSV or XLSX, by extension")
    st.add_argument("--level", choices=("aimag", "region", "district"), default="aimag")
    st.add_argument("--by", default="sector", help="grouping column (default sector)")
    st.add_argument(
        "--weight",
        default="employees",
        help="employment column (default employees; 'none' counts firms)",
    )
    _boundary_options(st)
    st.set_defaults(func=cmd_stats)

    from geo._cli_eco import add_colocation_parser

    add_colocation_parser(sub)

    b = sub.add_parser(
        "boundaries",
        help="load official boundaries into the workspace",
        description="import: read, join to the gazetteer and check a boundary "
        "file (shapefile as .zip, GeoPackage, GeoJSON); when it passes, the "
        "dashboard uses it from then on. show: which boundaries are in use. "
        "remove: back to the embedded, generalised ones.",
    )
    b.add_argument("action", choices=("import", "show", "remove"))
    b.add_argument("file", nargs="?", help="the boundary file (for import)")
    b.add_argument(
        "--level",
        choices=("soum", "aimag"),
        default=None,
        help="what the features are (default: detected from their codes)",
    )
    b.add_argument("--name", default=None, help="what to call them (default: the file name)")
    b.add_argument("--layer", default=None, help="the layer to read from a file with several")
    b.add_argument("--user", default="command line", help="who loads them (for the record)")
    b.set_defaults(func=cmd_boundaries)
    return parser


def _boundary_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--boundaries",
        default=None,
        metavar="FILE",
        help="official boundaries to use instead of the embedded ones "
        "(shapefile as .zip, GeoPackage, GeoJSON)",
    )
    parser.add_argument("--boundaries-level", choices=("soum", "aimag"), default=None)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except io.InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
