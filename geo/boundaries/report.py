"""What the app says about its boundaries, and what an import of official ones found."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd

from geo.io import InputError

__all__ = [
    "AREA_ERROR",
    "AREA_WARNING",
    "EMBEDDED",
    "EQUAL_AREA",
    "MONGOLIA_AREA_KM2",
    "MONGOLIA_BOUNDS",
    "OVERLAP_ERROR",
    "BoundaryError",
    "BoundaryImport",
    "BoundaryReport",
    "BoundarySource",
    "Check",
]

#: The official area of Mongolia.
MONGOLIA_AREA_KM2 = 1_564_116.0
#: Albers equal-area for Mongolia (areas in m2).
EQUAL_AREA = "+proj=aea +lat_1=44 +lat_2=50 +lat_0=47 +lon_0=105 +datum=WGS84 +units=m"
#: Where Mongolia lies (lon/lat, with a margin).
MONGOLIA_BOUNDS = (87.0, 41.3, 120.5, 52.5)
#: Relative difference from the official area that is a warning, and an error.
AREA_WARNING, AREA_ERROR = 0.01, 0.05
#: Overlaps or gaps above this share of the area are an error (below: a warning).
OVERLAP_ERROR = 0.001


class BoundaryError(InputError):
    """A boundary file that cannot be read at all, with a message naming it."""


@dataclass
class Check:
    """One finding of the checks.

    Attributes
    ----------
    severity : str
        ``error`` (nothing is loaded), ``warning`` or ``ok``.
    key : str
        What was checked (``read``, ``crs``, ``geometry``, ``valid``, ``join``,
        ``coverage``, ``overlaps``, ``gaps``, ``area``, ...), for translations.
    message : str
        The finding in English (the command line prints it).
    units : tuple of str
        The units concerned (code and name), when any.
    figures : dict
        Numbers of the finding, for a translated message.
    code : str
        Which message this is (a check has several: ``crs_reprojected``,
        ``crs_outside``, ...), the key of its translation.
    """

    severity: str
    key: str
    message: str
    units: tuple[str, ...] = ()
    figures: dict[str, Any] = field(default_factory=dict)
    code: str = ""

    def __post_init__(self) -> None:
        self.code = self.code or self.key


@dataclass
class BoundaryReport:
    """What the import found, check by check."""

    file: str
    level: str = ""
    layer: str = ""
    features: int = 0
    crs: str = ""
    code_column: str | None = None
    name_column: str | None = None
    area_km2: float = float("nan")
    checks: list[Check] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """No error: the boundaries may be used."""
        return not any(c.severity == "error" for c in self.checks)

    @property
    def errors(self) -> list[Check]:
        return [c for c in self.checks if c.severity == "error"]

    def add(
        self,
        severity: str,
        key: str,
        message: str,
        units: Iterable[str] = (),
        code: str = "",
        **figures: Any,
    ) -> None:
        self.checks.append(Check(severity, key, message, tuple(units), figures, code))

    def text(self) -> str:
        """The report as lines of text (the command line's output)."""
        head = (
            f"{self.file}: {self.features} features"
            + (f" in layer {self.layer!r}" if self.layer else "")
            + (f", level {self.level}" if self.level else "")
            + (f", code column {self.code_column!r}" if self.code_column else "")
            + (f", name column {self.name_column!r}" if self.name_column else "")
        )
        lines = [head]
        for c in self.checks:
            units = ""
            if c.units:
                units = ": " + ", ".join(c.units[:12]) + (" …" if len(c.units) > 12 else "")
            lines.append(f"  [{c.severity}] {c.message}{units}")
        lines.append(
            "accepted: the boundaries can be used" if self.ok else "refused: nothing was loaded"
        )
        return "\n".join(lines)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form (stored with the boundaries)."""
        return {
            "file": self.file,
            "level": self.level,
            "layer": self.layer,
            "features": self.features,
            "crs": self.crs,
            "code_column": self.code_column,
            "name_column": self.name_column,
            "area_km2": self.area_km2,
            "checks": [
                {
                    "severity": c.severity,
                    "key": c.key,
                    "message": c.message,
                    "units": list(c.units),
                    "figures": c.figures,
                    "code": c.code,
                }
                for c in self.checks
            ],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BoundaryReport:
        checks = [
            Check(
                c["severity"],
                c["key"],
                c["message"],
                tuple(c.get("units", ())),
                dict(c.get("figures", {})),
                c.get("code", ""),
            )
            for c in data.get("checks", [])
        ]
        return cls(
            data.get("file", ""),
            data.get("level", ""),
            data.get("layer", ""),
            int(data.get("features", 0)),
            data.get("crs", ""),
            data.get("code_column"),
            data.get("name_column"),
            float(data.get("area_km2", float("nan"))),
            checks,
        )


@dataclass(frozen=True)
class BoundarySource:
    """Which boundaries the app uses, as it says on every page and in every export.

    Attributes
    ----------
    kind : str
        ``generalised`` (the embedded layers) or ``official`` (loaded by a user).
    name : str
        The boundaries' name (for official ones, as the user gave it).
    imported : str
        When they were loaded (UTC, ISO 8601); empty for the embedded ones.
    imported_by : str
    source_file : str
    level : str
        ``soum`` or ``aimag`` for official boundaries.
    """

    kind: str
    name: str
    imported: str = ""
    imported_by: str = ""
    source_file: str = ""
    level: str = ""

    @property
    def official(self) -> bool:
        return self.kind == "official"

    @property
    def date(self) -> str:
        """The day they were loaded (``YYYY-MM-DD``), or empty."""
        return self.imported[:10]

    def label(self) -> str:
        """One line in English, for metadata and the command line."""
        if self.official:
            return f"official boundaries: {self.name} (loaded {self.date} from {self.source_file})"
        return f"embedded generalised boundaries: {self.name}"

    def as_metadata(self) -> dict[str, str]:
        """The block every export carries."""
        out = {"kind": self.kind, "name": self.name, "description": self.label()}
        if self.official:
            out.update(
                {
                    "level": self.level,
                    "source_file": self.source_file,
                    "loaded": self.imported,
                    "loaded_by": self.imported_by,
                }
            )
        return out


#: The embedded boundaries.
EMBEDDED = BoundarySource(
    "generalised",
    "Natural Earth 10m aimags (corrected with geoBoundaries); no soum polygons: "
    "the soum of a point is the nearest soum centre in its aimag",
)


@dataclass
class BoundaryImport:
    """The outcome of :func:`import_boundaries`.

    Attributes
    ----------
    layer : geopandas.GeoDataFrame or None
        The units joined to the gazetteer (EPSG:4326): ``unit_code``,
        ``aimag_code``, ``name_mn``, ``source_code``, ``source_name`` and the
        polygon (for aimags: ``iso_3166_2`` instead of the unit columns).
        None when the report has an error.
    report : BoundaryReport
    source : BoundarySource
    """

    layer: gpd.GeoDataFrame | None
    report: BoundaryReport
    source: BoundarySource

    @property
    def ok(self) -> bool:
        return self.layer is not None and self.report.ok
