"""Command line: ``python -m geo geocode INPUT -o OUTPUT [--address-column NAME]``."""

from __future__ import annotations

import argparse
import sys
import time

from geo import io


def _progress_bar(label: str):
    last = [-1]

    def show(fraction: float) -> None:
        step = int(fraction * 40)
        if step != last[0] and sys.stderr.isatty():
            last[0] = step
            sys.stderr.write(f"\r{label} [{'#' * step}{'.' * (40 - step)}] {fraction:4.0%}")
            if fraction >= 1:
                sys.stderr.write("\n")
            sys.stderr.flush()
    return show


def cmd_geocode(args: argparse.Namespace) -> int:
    from geo.geocode import Geocoder

    frame = io.read_table(args.input)
    if args.address_column not in frame.columns and not any(
            c.lower() in ("gps_lat", "lat", "latitude") for c in frame.columns):
        raise io.InputError(f"{args.input}: no column {args.address_column!r} "
                            f"(columns: {', '.join(map(str, frame.columns))})")
    start = time.perf_counter()
    out = Geocoder().geocode(frame, address_column=args.address_column,
                             progress=_progress_bar("geocoding"))
    seconds = time.perf_counter() - start
    io.write_table(out, args.output)
    counts = out["geocode_status"].value_counts()
    print(f"{len(out)} rows: {counts.get('matched', 0)} matched, "
          f"{counts.get('ambiguous', 0)} ambiguous, {counts.get('unmatched', 0)} unmatched "
          f"({seconds:.2f} s) -> {args.output}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m geo",
                                     description="Cluster Atlas Mongolia in batch.")
    sub = parser.add_subparsers(dest="command", required=True)
    g = sub.add_parser("geocode", help="geocode the addresses of a CSV or XLSX firm table")
    g.add_argument("input")
    g.add_argument("-o", "--output", required=True, help="CSV or XLSX, by extension")
    g.add_argument("--address-column", default="address")
    g.set_defaults(func=cmd_geocode)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except io.InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
