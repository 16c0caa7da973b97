"""What the command line's subcommands share: a progress bar on a terminal, the boundaries
of ``--boundaries FILE``, and finding a role's column (latitude, longitude)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any, cast

from geo import io


def _progress_bar(label: str) -> Callable[[float], None]:
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


def _index(args: argparse.Namespace) -> Any:
    """The AdminIndex of ``--boundaries FILE`` (checked; refused files end the command), else
    the embedded one."""
    from geo.admin import AdminIndex

    path = getattr(args, "boundaries", None)
    if not path:
        return AdminIndex.default()
    from geo.boundaries import boundary_layers, import_boundaries

    imported = import_boundaries(path, level=args.boundaries_level)
    if not imported.ok:
        print(imported.report.text(), file=sys.stderr)
        raise io.InputError(f"{path}: these boundaries were refused (see the report above)")
    print(f"using {imported.source.label()}", file=sys.stderr)
    return boundary_layers(imported.layer, imported.report.level, imported.source).index


def _column(frame: Any, role: str, given: str | None, what: str, path: object) -> str:
    """The column of a role (``lat``, ``lon``): the one given, else one whose header is a
    word of :data:`geo.ingest.ROLES` (the same words the Data page's mapping uses)."""
    from geo.ingest import ROLES, guess_column

    if given:
        if given not in frame.columns:
            raise io.InputError(f"{path}: no column {given!r} for {what}")
        return given
    found = guess_column(frame.columns, role)
    if found is None:
        raise io.InputError(
            f"{path}: no {what} column (looked for {', '.join(ROLES[role])}); "
            "geocode the file first: python -m geo geocode INPUT -o OUTPUT"
        )
    return cast(str, found)  # a header of the frame, as it is
