"""Reading and writing firm tables and cluster layers.

Tables: CSV (encoding and delimiter detected), XLSX, and the geographic
formats GeoJSON, GeoPackage and GeoParquet (read into a table with ``lon``
and ``lat`` columns). Layers: GeoJSON and GeoPackage.
"""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pandas as pd

from geo.admin import DATASETS_DIR

__all__ = ["DEMO_FIRMS", "GEO_SUFFIXES", "InputError", "load_demo_firms", "read_table",
           "write_layer", "write_table"]

#: File name endings read as geographic files.
GEO_SUFFIXES = (".geojson", ".gpkg", ".parquet", ".geoparquet")

#: The synthetic demo registry (see datasets/SOURCES.md).
DEMO_FIRMS = DATASETS_DIR / "firms_demo_synthetic.csv"


def load_demo_firms(path: str | Path | None = None) -> pd.DataFrame:
    """Load the synthetic demo registry with its column types.

    Returns
    -------
    pandas.DataFrame
        One row per synthetic firm; codes stay text (``isic_division`` keeps
        its leading zero), flags are booleans, GPS columns are floats with
        NaN where a firm has no GPS.
    """
    frame = pd.read_csv(
        path or DEMO_FIRMS,
        dtype={"firm_id": str, "isic_division": str, "true_unit_code": str,
               "address": str, "true_gps_status": str},
        keep_default_na=False,
        na_values={"gps_lat": [""], "gps_lon": [""]},
    )
    for column in ("exporter", "foreign_owned"):
        frame[column] = frame[column].astype(str) == "True"
    return frame


class InputError(ValueError):
    """A file that cannot be read, with a message naming the file and the problem."""


def read_table(path: str | Path, sheet: str | int = 0) -> pd.DataFrame:
    """Read a CSV (UTF-8, UTF-8 with BOM, UTF-16 or Windows-1251; delimiter
    detected) or an XLSX sheet, every cell as text; or a GeoJSON, GeoPackage
    or GeoParquet file, whose geometry becomes ``lon`` and ``lat`` columns
    (WGS84; a representative point of lines and polygons).

    Raises
    ------
    InputError
        When the file is missing, empty or in an unknown format.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        try:
            return pd.read_excel(path, sheet_name=sheet, dtype=str, keep_default_na=False)
        except Exception as exc:  # openpyxl raises many types for broken files
            raise InputError(f"{path}: not a readable XLSX file ({exc})") from None
    if suffix in GEO_SUFFIXES:
        return _read_geographic(path, layer=None if sheet == 0 else sheet)
    if suffix not in (".csv", ".txt", ".tsv"):
        raise InputError(f"{path}: unsupported format {suffix or '(none)'}; use CSV, XLSX, "
                         "GeoJSON, GeoPackage or GeoParquet")
    raw = path.read_bytes()
    if not raw.strip():
        raise InputError(f"{path}: the file is empty")
    for encoding in ("utf-8-sig", "utf-16", "cp1251"):
        if encoding == "utf-16" and not raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
            continue
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InputError(f"{path}: unknown text encoding")
    first = text.splitlines()[0] if text else ""
    sep = max([",", ";", "\t"], key=first.count)
    return pd.read_csv(StringIO(text), sep=sep, dtype=str, keep_default_na=False)


def write_table(frame: pd.DataFrame, path: str | Path) -> None:
    """Write CSV (UTF-8 with BOM, so Excel shows Cyrillic) or XLSX by extension.

    Text cells that a spreadsheet would run as formulas are neutralised
    (:func:`geo.safety.neutralise_formula`); numbers are left as numbers.
    """
    from geo.safety import neutralise_formula

    path = Path(path)
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(neutralise_formula)
    if path.suffix.lower() == ".xlsx":
        if len(safe) > 1_048_575:
            raise InputError(f"{path}: {len(safe)} rows exceed Excel's limit of 1,048,575 "
                             "data rows; write CSV instead")
        safe.to_excel(path, index=False, engine="openpyxl")
    else:
        safe.to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\n")


def _read_geographic(path: Path, layer: str | int | None = None) -> pd.DataFrame:
    import geopandas as gpd
    import numpy as np

    try:
        if path.suffix.lower() in (".parquet", ".geoparquet"):
            gdf = gpd.read_parquet(path)
        else:
            gdf = gpd.read_file(path, layer=layer)
    except Exception as exc:  # pyogrio and pyarrow raise many types
        raise InputError(f"{path}: not a readable {path.suffix[1:]} file ({exc})") from None
    if gdf.crs is not None and gdf.crs.to_epsg() != 4326:
        gdf = gdf.to_crs(4326)
    frame = pd.DataFrame(gdf.drop(columns=gdf.geometry.name))
    geometry = gdf.geometry
    has = geometry.notna() & ~geometry.is_empty
    points = geometry.where(geometry.geom_type == "Point", geometry.representative_point())
    lon = np.where(has, points.x.where(has), np.nan)
    lat = np.where(has, points.y.where(has), np.nan)
    if "lon" not in frame.columns and "lat" not in frame.columns:
        frame["lon"], frame["lat"] = lon, lat
    else:
        frame["geometry_lon"], frame["geometry_lat"] = lon, lat
    return frame


def write_layer(layer, path: str | Path) -> None:
    """Write a GeoDataFrame as GeoJSON (``.geojson``) or GeoPackage (``.gpkg``).

    Raises
    ------
    InputError
        For any other file name ending.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".geojson":
        layer.to_file(path, driver="GeoJSON")
    elif suffix == ".gpkg":
        layer.to_file(path, driver="GPKG", layer=path.stem)
    else:
        raise InputError(f"{path}: layers are written as .geojson or .gpkg")
