"""Joining a boundary layer to the gazetteer, and the import as a whole."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, UTC
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
from rapidfuzz import fuzz

from geo.admin import load_aimags, load_units
from geo.boundaries.reading import (
    AIMAG_NAME_COLUMNS,
    NAME_COLUMNS,
    aimag_of_code,
    best_code_column,
    check_geometry,
    check_topology,
    digits,
    find_column,
    label,
    read_boundary_file,
)
from geo.boundaries.report import BoundaryError, BoundaryImport, BoundaryReport, BoundarySource
from geo.text import cell_text, cyrillic_key, latin_skeleton

__all__ = ["import_boundaries"]

# -- joining ------------------------------------------------------------------------------


class _Matcher:
    """Names of the gazetteer's units, for checking a file's names against its codes."""

    def __init__(self, units: pd.DataFrame) -> None:
        self.units = units.reset_index(drop=True)
        self.by_code = {str(c): i for i, c in enumerate(self.units["unit_code"])}
        self.forms: list[set[str]] = []
        for r in self.units.itertuples():
            variants = cell_text(r.variants)
            names = [
                cell_text(r.name_mn),
                cell_text(r.name_en),
                *(variants.split(";") if variants else []),
            ]
            self.forms.append({latin_skeleton(n) for n in names if n})

    def agreement(self, name: object, i: int) -> float:
        if not cell_text(name):
            return 100.0
        sk = latin_skeleton(str(name))
        return max((fuzz.ratio(sk, f) for f in self.forms[i]), default=0.0)

    def by_name(self, name: object, aimag: str | None) -> int | None:
        """The unit of ``aimag`` (any aimag when None) whose name agrees best (>= 80), if one."""
        if not cell_text(name):
            return None
        local = [
            i
            for i in range(len(self.units))
            if aimag is None or self.units.at[i, "aimag_code"] == aimag
        ]
        scored = sorted(((self.agreement(name, i), i) for i in local), reverse=True)
        if not scored or scored[0][0] < 80 or (len(scored) > 1 and scored[1][0] == scored[0][0]):
            return None
        return scored[0][1]


def _join_soums(
    gdf: gpd.GeoDataFrame,
    code_col: str | None,
    name_col: str | None,
    aimag_col: str | None,
    units: pd.DataFrame,
    aimags: pd.DataFrame,
    report: BoundaryReport,
) -> gpd.GeoDataFrame | None:
    match = _Matcher(units)
    nso_to_iso = dict(zip(aimags["nso_code"].astype(str), aimags["iso_3166_2"]))
    find_aimag = _aimag_finder(aimags)
    rows, unjoined, by_name, disagree = [], [], [], []
    centres_inside = 0
    for k, feature in enumerate(gdf.itertuples(index=False)):
        raw = getattr(feature, code_col) if code_col else None
        numbers = digits(raw)
        code = numbers[-4:] if len(numbers) >= 4 else ""
        name = getattr(feature, name_col) if name_col else None
        aimag = nso_to_iso.get(code[:2]) if code else None
        if aimag is None and aimag_col:
            aimag = find_aimag(getattr(feature, aimag_col))
        unit = match.by_code.get(code)
        how = "code"
        if unit is None or match.agreement(name, unit) < 80:
            other = match.by_name(name, aimag)
            if other is not None and other != unit:
                if unit is not None or code:
                    # a second source: the gazetteer's centre of the unit joined by name
                    centre = shapely.Point(
                        float(units.iloc[other]["lon"]), float(units.iloc[other]["lat"])
                    )
                    inside = feature.geometry is not None and feature.geometry.contains(centre)
                    centres_inside += bool(inside)
                    by_name.append(
                        f"{label(str(raw), name)} -> "
                        f"{units.iloc[other]['unit_code']} "
                        f"{units.iloc[other]['name_mn']}"
                    )
                unit, how = other, "name"
            elif unit is not None:
                disagree.append(f"{label(code, name)} ({units.iloc[unit]['name_mn']})")
        if unit is None:
            unjoined.append(label(str(raw if raw is not None else k + 1), name))
            continue
        rows.append(
            {
                "unit_code": str(units.iloc[unit]["unit_code"]),
                "aimag_code": units.iloc[unit]["aimag_code"],
                "name_mn": units.iloc[unit]["name_mn"],
                "source_code": "" if raw is None or pd.isna(raw) else str(raw),
                "source_name": "" if name is None or pd.isna(name) else str(name),
                "joined_by": how,
                "geometry": feature.geometry,
            }
        )
    if by_name:
        report.add(
            "warning",
            "joined_by_name",
            f"{len(by_name)} features whose code and name "
            "disagree with the gazetteer were joined by their name within their aimag "
            f"(the gazetteer's centre of {centres_inside} of them lies inside the "
            "polygon)",
            units=by_name,
            n=len(by_name),
            inside=centres_inside,
        )
    if disagree:
        report.add(
            "warning",
            "names_differ",
            f"{len(disagree)} features joined by code have another name in the gazetteer",
            units=disagree,
            n=len(disagree),
        )
    if unjoined:
        report.add(
            "error",
            "unjoined",
            f"{len(unjoined)} features match no soum or district "
            "of the gazetteer (by code or name)",
            units=unjoined,
            n=len(unjoined),
        )
    if not rows:
        report.add(
            "error",
            "coverage",
            f"none of the {len(units)} soums and districts has a polygon",
            code="coverage_none",
            n=len(units),
            total=len(units),
        )
        return None
    layer = gpd.GeoDataFrame(rows, geometry="geometry", crs=4326)
    repeated = layer[layer["unit_code"].duplicated(keep=False)]
    if len(repeated):
        sources = repeated.groupby("unit_code")["source_code"].nunique()
        clash = sources[sources > 1].index
        if len(clash):
            report.add(
                "error",
                "duplicates",
                f"{len(clash)} units are given by several features with different codes",
                units=[f"{c} {layer.loc[layer.unit_code == c, 'name_mn'].iloc[0]}" for c in clash],
                n=len(clash),
            )
        # the parts of one unit (a shapefile with one row per part): one unit
        layer = layer.dissolve(by="unit_code", as_index=False, aggfunc="first")
        report.add(
            "ok",
            "parts",
            f"{len(repeated)} features are parts of "
            f"{repeated['unit_code'].nunique()} units; joined into one each",
            n=len(repeated),
            m=int(repeated["unit_code"].nunique()),
        )
    missing = units[~units["unit_code"].astype(str).isin(set(layer["unit_code"]))]
    if len(missing):
        report.add(
            "error",
            "coverage",
            f"{len(missing)} of the {len(units)} soums and districts have no polygon",
            units=[f"{r.unit_code} {r.name_mn}" for r in missing.itertuples()],
            n=len(missing),
            total=len(units),
        )
    else:
        report.add(
            "ok",
            "coverage",
            f"all {len(units)} soums and districts have a polygon",
            code="coverage_ok",
            n=0,
            total=len(units),
        )
    return layer


def _aimag_finder(aimags: pd.DataFrame) -> Callable[[object], str | None]:
    """Name -> ISO code of an aimag, by any of its spellings."""
    keys: dict[str, str] = {}
    for r in aimags.itertuples():
        variants = cell_text(r.latin_variants)
        for name in (
            r.name_mn,
            r.name_en,
            r.name_mns5217,
            *(variants.split(";") if variants else []),
        ):
            text = cell_text(name)
            if text:
                keys[cyrillic_key(text)] = str(r.iso_3166_2)
                keys[latin_skeleton(text)] = str(r.iso_3166_2)

    def find(name: object) -> str | None:
        text = cell_text(name)
        if not text:
            return None
        return keys.get(cyrillic_key(text)) or keys.get(latin_skeleton(text))

    return find


def _join_aimags(
    gdf: gpd.GeoDataFrame,
    code_col: str | None,
    name_col: str | None,
    aimags: pd.DataFrame,
    report: BoundaryReport,
) -> gpd.GeoDataFrame | None:
    nso_to_iso = dict(zip(aimags["nso_code"].astype(str), aimags["iso_3166_2"]))
    find = _aimag_finder(aimags)
    rows, unjoined = [], []
    for k, feature in enumerate(gdf.itertuples(index=False)):
        raw = getattr(feature, code_col) if code_col else None
        name = getattr(feature, name_col) if name_col else None
        iso = aimag_of_code(raw, nso_to_iso) if raw is not None else None
        by_name = find(name)
        if iso is None or (by_name is not None and by_name != iso):
            if by_name is not None and iso is not None:
                report.add(
                    "warning",
                    "joined_by_name",
                    f"{label(str(raw), name)}: code and name disagree; joined by name",
                    units=[label(str(raw), name)],
                    code="aimag_joined_by_name",
                )
            iso = by_name or iso
        if iso is None:
            unjoined.append(label(str(raw if raw is not None else k + 1), name))
            continue
        rows.append(
            {
                "iso_3166_2": iso,
                "source_code": "" if raw is None or pd.isna(raw) else str(raw),
                "source_name": "" if name is None or pd.isna(name) else str(name),
                "geometry": feature.geometry,
            }
        )
    if unjoined:
        report.add(
            "error",
            "unjoined",
            f"{len(unjoined)} features match no aimag",
            units=unjoined,
            code="unjoined_aimags",
            n=len(unjoined),
        )
    if not rows:
        return None
    layer = gpd.GeoDataFrame(rows, geometry="geometry", crs=4326).dissolve(
        by="iso_3166_2", as_index=False, aggfunc="first"
    )
    missing = aimags[~aimags["iso_3166_2"].isin(set(layer["iso_3166_2"]))]
    if len(missing):
        report.add(
            "error",
            "coverage",
            f"{len(missing)} of the 22 aimags have no polygon",
            code="coverage_aimags",
            units=[f"{r.iso_3166_2} {r.name_en}" for r in missing.itertuples()],
            n=len(missing),
            total=22,
        )
    else:
        report.add(
            "ok",
            "coverage",
            "all 21 aimags and Ulaanbaatar have a polygon",
            code="coverage_aimags_ok",
            n=0,
            total=22,
        )
    return layer


def import_boundaries(
    path: str | Path,
    *,
    level: str | None = None,
    name: str | None = None,
    layer: str | None = None,
    imported_by: str = "",
    units: pd.DataFrame | None = None,
    aimags: gpd.GeoDataFrame | None = None,
    display_name: str | None = None,
) -> BoundaryImport:
    """Read, join and check a boundary file (see the module's text).

    Parameters
    ----------
    path : str or Path
        A shapefile as ``.zip`` (or ``.shp``), a GeoPackage or a GeoJSON file.
    level : {"soum", "aimag"}, optional
        What the features are; detected from the codes when omitted.
    name : str, optional
        What to call these boundaries (default: the file's name).
    layer : str, optional
        The layer to read from a file with several.
    imported_by : str
        Who loads them (for the record).
    units, aimags : optional
        The gazetteer and the embedded aimags (their attributes); the embedded
        ones when omitted.
    display_name : str, optional
        The file's name as the user knows it (an upload is read from a copy).

    Returns
    -------
    BoundaryImport
        With the joined layer, or ``layer=None`` and the report's errors.
    """
    path = Path(path)
    shown = display_name or path.name
    units = load_units() if units is None else units
    aimags = load_aimags() if aimags is None else aimags
    report = BoundaryReport(shown)
    source = BoundarySource(
        "official", name or Path(shown).stem, _now(), imported_by, shown, level or ""
    )
    if level not in (None, "soum", "aimag"):
        raise ValueError(f"level must be 'soum' or 'aimag', not {level!r}")
    try:
        gdf, layer_name = read_boundary_file(path, layer, level)
    except BoundaryError as exc:
        detail = str(exc).replace(f"{path.name}: ", "", 1)
        report.add("error", "read", detail, detail=detail)
        return BoundaryImport(None, report, source)
    report.layer, report.features = layer_name, len(gdf)
    if gdf.empty:
        report.add("error", "read", "the layer has no features", code="empty")
        return BoundaryImport(None, report, source)
    gdf = check_geometry(gdf, report, path)
    if gdf is None:
        return BoundaryImport(None, report, source)
    known = set(units["unit_code"].astype(str))
    nso_to_iso = dict(zip(aimags["nso_code"].astype(str), aimags["iso_3166_2"]))
    code_col, detected = best_code_column(gdf, known, nso_to_iso)
    level = level or detected or ("soum" if len(gdf) > 60 else "aimag")
    report.level, report.code_column = level, code_col
    columns: tuple[str, ...] = (
        NAME_COLUMNS if level == "soum" else AIMAG_NAME_COLUMNS + NAME_COLUMNS
    )
    if level == "soum":
        columns = tuple(
            c for c in columns if not c.startswith("adm1") and c not in ("aimag", "аймаг", "name_1")
        )
    report.name_column = find_column(gdf, columns)
    if code_col is None and report.name_column is None:
        report.add(
            "error",
            "columns",
            "no column of unit codes (ADM2_PCODE, ADM1_PCODE, pcode, "
            "code, unit_code) or names found: columns are "
            + ", ".join(str(c) for c in gdf.columns if c != gdf.geometry.name),
            columns=", ".join(str(c) for c in gdf.columns if c != gdf.geometry.name),
        )
        return BoundaryImport(None, report, source)
    if level == "soum":
        joined = _join_soums(
            gdf,
            code_col,
            report.name_column,
            find_column(gdf, AIMAG_NAME_COLUMNS),
            units,
            aimags,
            report,
        )
    else:
        joined = _join_aimags(gdf, code_col, report.name_column, aimags, report)
    if joined is not None and report.ok:
        key = "unit_code" if level == "soum" else "iso_3166_2"
        check_topology(joined.assign(code=joined[key]), report)
    source = BoundarySource("official", source.name, source.imported, imported_by, shown, level)
    if not report.ok or joined is None:
        return BoundaryImport(None, report, source)
    return BoundaryImport(joined.reset_index(drop=True), report, source)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
