"""Reading a boundary file and checking its geometry: polygons, CRS, validity, topology."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from collections.abc import Collection, Mapping

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from numpy.typing import ArrayLike

from geo.boundaries.report import (
    AREA_ERROR,
    AREA_WARNING,
    EQUAL_AREA,
    MONGOLIA_AREA_KM2,
    MONGOLIA_BOUNDS,
    OVERLAP_ERROR,
    BoundaryError,
    BoundaryReport,
)
from geo.text import cell_text, is_missing

__all__ = [
    "AIMAG_NAME_COLUMNS",
    "CODE_COLUMNS",
    "NAME_COLUMNS",
    "check_geometry",
    "check_topology",
    "read_boundary_file",
]

#: Columns that may hold a unit's code, most specific first (compared case-insensitively).
CODE_COLUMNS = (
    "adm2_pcode",
    "adm1_pcode",
    "unit_code",
    "pcode",
    "admin_code",
    "adm2_code",
    "adm1_code",
    "soum_code",
    "aimag_code",
    "aimag_nso_code",
    "nso_code",
    "code",
    "iso_3166_2",
    "iso_code",
    "код",
)
#: Columns that may hold a unit's name (Latin or Cyrillic).
NAME_COLUMNS = (
    "adm2_mn",
    "adm2_en",
    "adm1_mn",
    "adm1_en",
    "name_mn",
    "name_en",
    "adm2_name",
    "adm1_name",
    "name",
    "shapename",
    "soum",
    "sum",
    "сум",
    "нэр",
    "aimag",
    "аймаг",
    "name_2",
    "name_1",
)
#: Columns that may hold the aimag of a soum.
AIMAG_NAME_COLUMNS = (
    "adm1_en",
    "adm1_mn",
    "aimag_en",
    "aimag_mn",
    "aimag",
    "аймаг",
    "province",
    "name_1",
)

# -- reading ------------------------------------------------------------------------------

_READABLE = (".shp", ".gpkg", ".geojson", ".json")


def _layers(path: str) -> list[tuple[str, str]]:
    import pyogrio

    try:
        return [(str(n), str(g)) for n, g in pyogrio.list_layers(path)]
    except Exception:  # pyogrio raises many types for unreadable data
        return []


def read_boundary_file(
    path: str | Path, layer: str | None = None, level: str | None = None
) -> tuple[gpd.GeoDataFrame, str]:
    """Read the polygon layer of a boundary file; returns the layer and its name.

    A ``.zip`` may hold a shapefile (or a GeoPackage or GeoJSON file). Of
    several layers, the one named ``layer``, else the polygon layer whose
    number of features is closest to the level's (339 soums, 22 aimags), else
    the one with most features.

    Raises
    ------
    BoundaryError
        When the file cannot be read, naming it.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    target = str(path)
    if suffix == ".zip":
        try:
            with zipfile.ZipFile(path) as archive:
                members = [
                    m
                    for m in archive.namelist()
                    if Path(m).suffix.lower() in _READABLE and not m.startswith("__MACOSX")
                ]
        except zipfile.BadZipFile:
            raise BoundaryError(f"{path.name}: not a readable zip archive") from None
        if not members:
            raise BoundaryError(
                f"{path.name}: the archive holds no shapefile (.shp), GeoPackage or GeoJSON file"
            )
        shp = [m for m in members if m.lower().endswith(".shp")]
        target = f"/vsizip/{path}/{(shp or members)[0]}"
    elif suffix not in _READABLE:
        raise BoundaryError(
            f"{path.name}: boundaries are read from a shapefile as .zip, a "
            "GeoPackage (.gpkg) or GeoJSON (.geojson)"
        )
    layers = _layers(target)
    if not layers:
        raise BoundaryError(f"{path.name}: not a readable {suffix[1:]} file")
    chosen = layer
    if chosen is None:
        import pyogrio

        polygons = [n for n, g in layers if "polygon" in g.lower()] or [n for n, _ in layers]
        counts: dict[str, int] = {}
        for n in polygons:
            try:
                counts[n] = int(pyogrio.read_info(target, layer=n)["features"])
            except Exception:
                counts[n] = 0
        want = {"soum": 339, "aimag": 22}.get(level or "")
        chosen = (
            min(counts, key=lambda n: abs(counts[n] - want))
            if want
            else max(counts, key=lambda n: counts[n])
        )
    elif chosen not in {n for n, _ in layers}:
        raise BoundaryError(
            f"{path.name}: no layer {chosen!r} (layers: {', '.join(n for n, _ in layers)})"
        )
    try:
        gdf = gpd.read_file(target, layer=chosen)
    except Exception as exc:  # pyogrio raises many types
        raise BoundaryError(f"{path.name}: not a readable {suffix[1:]} file ({exc})") from None
    return gdf, chosen if len(layers) > 1 else ""


# -- columns ------------------------------------------------------------------------------


def find_column(frame: pd.DataFrame, names: tuple[str, ...]) -> str | None:
    lower = {str(c).lower().strip(): c for c in frame.columns if c != frame.geometry.name}
    for name in names:
        if name in lower:
            return lower[name]
    return None


def digits(value: object) -> str:
    """The digits of a cell, in order (``""`` when it is missing)."""
    return "".join(c for c in cell_text(value) if c.isdigit())


def best_code_column(
    frame: gpd.GeoDataFrame,
    known_soums: Collection[str],
    known_aimags: Collection[str] | Mapping[str, str],
) -> tuple[str | None, str]:
    """The column of unit codes (named, else the column whose values join best) and the level
    its codes fit best."""
    named = find_column(frame, CODE_COLUMNS)
    candidates = [named] if named else [c for c in frame.columns if c != frame.geometry.name]
    best: tuple[float, str | None, str] = (0.0, None, "")
    for column in candidates:
        values = frame[column].map(digits)
        soum = values.map(lambda d: d[-4:] if len(d) >= 4 else "").isin(known_soums).mean()
        aimag = frame[column].map(lambda v: aimag_of_code(v, known_aimags)).notna().mean()
        for share, level in ((soum, "soum"), (aimag, "aimag")):
            if share > best[0]:
                best = (share, column, level)
    if best[0] < 0.5:
        return named, ""
    return best[1], best[2]


def aimag_of_code(value: object, nso_to_iso: Collection[str] | Mapping[str, str]) -> str | None:
    """ISO code of an aimag code: ``MN-047``, ``MN047``, ``41`` (NSO) or ``MN41``.

    ``nso_to_iso`` maps NSO aimag codes to ISO codes; given as a collection of ISO codes, only
    those are recognised.
    """
    if is_missing(value):
        return None
    text = str(value).strip().upper()
    iso = re.fullmatch(r"MN-?0*(\d{1,3})", text)
    if isinstance(nso_to_iso, Mapping):
        numbers = digits(text)
        if len(numbers) == 2 and numbers in nso_to_iso:
            return nso_to_iso[numbers]
        if iso:
            code = "MN-1" if iso.group(1) == "1" else f"MN-{int(iso.group(1)):03d}"
            return code if code in nso_to_iso.values() else None
        return None
    return text if text in nso_to_iso else None


# -- checks -------------------------------------------------------------------------------


def equal_area(geoms: ArrayLike) -> np.ndarray:
    return gpd.GeoSeries(geoms, crs=4326).to_crs(EQUAL_AREA).values


def label(code: str, name: object) -> str:
    """A unit as ``code name`` (the code alone when the name is missing)."""
    return f"{code} {cell_text(name)}".strip()


def check_geometry(
    gdf: gpd.GeoDataFrame, report: BoundaryReport, path: Path
) -> gpd.GeoDataFrame | None:
    """Polygons, a CRS that puts them in Mongolia, valid rings; None after an error."""
    geoms = gdf.geometry
    missing = geoms.isna() | geoms.is_empty
    if missing.all():
        report.add("error", "geometry", "the layer has no geometry", code="geometry_none")
        return None
    types = geoms[~missing].geom_type
    polygonal = types.isin(["Polygon", "MultiPolygon"])
    if not polygonal.any():
        kind = types.mode().iloc[0].lower()
        report.add(
            "error",
            "not_polygons",
            f"the layer holds {kind}s, not polygons: load the "
            f"boundary polygons (areas) of the units",
            kind=kind,
        )
        return None
    if not polygonal.all() or missing.any():
        report.add(
            "error",
            "not_polygons",
            f"{int((~polygonal).sum() + missing.sum())} "
            "features are not polygons or have no geometry",
            code="mixed_geometry",
            n=int((~polygonal).sum() + missing.sum()),
        )
        return None
    if gdf.crs is None:
        x0, y0, x1, y1 = gdf.total_bounds
        if -180 <= x0 and x1 <= 180 and -90 <= y0 and y1 <= 90:
            report.add(
                "warning",
                "crs",
                "the file names no coordinate reference system; longitude/latitude (WGS84) assumed",
                code="crs_assumed",
            )
            gdf = gdf.set_crs(4326)
        else:
            report.add(
                "error",
                "crs",
                "the file names no coordinate reference system and its "
                "coordinates are not longitude/latitude: export it with its .prj or in "
                "WGS84 (EPSG:4326)",
                code="crs_missing",
            )
            return None
    report.crs = gdf.crs.to_string()
    if gdf.crs.to_epsg() != 4326:
        try:
            gdf = gdf.to_crs(4326)
        except Exception as exc:  # pyproj errors
            report.add(
                "error",
                "crs",
                f"the features cannot be brought to WGS84 from {report.crs} ({exc})",
                code="crs_failed",
                crs=report.crs,
            )
            return None
        report.add(
            "ok",
            "crs",
            f"reprojected from {report.crs} to WGS84",
            crs=report.crs,
            code="crs_reprojected",
        )
    x0, y0, x1, y1 = gdf.total_bounds
    bx0, by0, bx1, by1 = MONGOLIA_BOUNDS
    if not (bx0 <= x0 and x1 <= bx1 and by0 <= y0 and y1 <= by1):
        swapped = bx0 <= y0 and y1 <= bx1 and by0 <= x0 and x1 <= by1
        hint = (
            " (latitude and longitude look swapped)"
            if swapped
            else ": the file's coordinate reference system is wrong or missing"
        )
        report.add(
            "error",
            "crs",
            f"the features lie at longitude {x0:.2f} to {x1:.2f}, "
            f"latitude {y0:.2f} to {y1:.2f}, not in Mongolia (read as {report.crs})"
            f"{hint}",
            code="crs_swapped" if swapped else "crs_outside",
            crs=report.crs,
            x0=round(x0, 2),
            x1=round(x1, 2),
            y0=round(y0, 2),
            y1=round(y1, 2),
        )
        return None
    valid = shapely.is_valid(gdf.geometry.values)
    if not valid.all():
        reasons = [shapely.is_valid_reason(g) for g in gdf.geometry.values[~valid]]
        report.add(
            "error",
            "valid",
            f"{int((~valid).sum())} polygons are invalid (e.g. "
            f"{reasons[0]}): repair them (QGIS: Fix geometries) and load again",
            units=[str(i + 1) for i in np.flatnonzero(~valid)][:50],
            n=int((~valid).sum()),
            reason=reasons[0],
        )
        return None
    return gdf


def check_topology(layer: gpd.GeoDataFrame, report: BoundaryReport) -> None:
    """Overlaps between units, gaps inside the country, total area."""
    geoms = equal_area(layer.geometry.values)
    areas = shapely.area(geoms) / 1e6
    total = float(areas.sum())
    tree = shapely.STRtree(geoms)
    a, b = tree.query(geoms, predicate="intersects")
    pairs = a < b
    a, b = a[pairs], b[pairs]
    overlap = shapely.area(shapely.intersection(geoms[a], geoms[b])) / 1e6
    union = shapely.union_all(geoms)
    holes = [
        shapely.Polygon(ring)
        for part in getattr(union, "geoms", [union])
        for ring in part.interiors
    ]
    gaps = float(sum(h.area for h in holes) / 1e6)
    report.area_km2 = round(total, 1)
    over = float(overlap.sum())
    labels = [
        f"{layer.iloc[i]['code']}/{layer.iloc[j]['code']}"
        for i, j, o in zip(a, b, overlap)
        if o > 0.01
    ]
    for key, value, units in (("overlaps", over, labels), ("gaps", gaps, [])):
        share = value / MONGOLIA_AREA_KM2
        words = {"overlaps": "overlaps between units", "gaps": "gaps between units"}[key]
        if value < 0.01:
            report.add("ok", key, f"no {words}", km2=0.0, code=f"{key}_none")
        else:
            report.add(
                "error" if share > OVERLAP_ERROR else "warning",
                key,
                f"{value:,.1f} km2 of {words}",
                units=units,
                km2=round(value, 1),
            )
    diff = total / MONGOLIA_AREA_KM2 - 1
    severity = (
        "error" if abs(diff) > AREA_ERROR else "warning" if abs(diff) > AREA_WARNING else "ok"
    )
    report.add(
        severity,
        "area",
        f"total area {total:,.0f} km2 against the official "
        f"{MONGOLIA_AREA_KM2:,.0f} km2 ({diff:+.2%})",
        km2=round(total),
        official=MONGOLIA_AREA_KM2,
        diff=round(100 * diff, 2),
    )
