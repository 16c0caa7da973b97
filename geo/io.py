"""Reading and writing firm tables and cluster layers.

Tables: CSV (encoding and delimiter detected by :mod:`geo.sniff`), XLSX, and the geographic
formats GeoJSON, GeoPackage and GeoParquet (read into a table with ``lon``
and ``lat`` columns). Layers: GeoJSON and GeoPackage.
"""

from __future__ import annotations

from collections.abc import Callable
from io import BytesIO, StringIO
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    import geopandas as gpd

from geo.paths import DATASETS_DIR
from geo.settings import EXCEL_MAX_ROWS, MAX_ROWS, PREVIEW_ROWS, SNIFF_BYTES
from geo.sniff import (
    DELIMITERS,
    ENCODINGS,
    InputError,
    check_limits,
    detect_header_row,
    preview_rows,
    private_copy,
    sheet_names,
    sniff_file,
    sniff_text,
)

__all__ = [
    "DELIMITERS",
    "DEMO_FIRMS",
    "ENCODINGS",
    "GEO_SUFFIXES",
    "InputError",
    "check_limits",
    "detect_header_row",
    "load_demo_firms",
    "parse_coordinates",
    "preview_rows",
    "private_copy",
    "read_table",
    "sheet_names",
    "sniff_file",
    "sniff_text",
    "write_layer",
    "write_table",
]

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
        dtype={
            "firm_id": str,
            "isic_division": str,
            "true_unit_code": str,
            "address": str,
            "true_gps_status": str,
        },
        keep_default_na=False,
        na_values={"gps_lat": [""], "gps_lon": [""]},
    )
    for column in ("exporter", "foreign_owned"):
        frame[column] = frame[column].astype(str) == "True"
    return frame


# Limits checked before a file is parsed, encodings and delimiters, header rows: geo.sniff.


def read_table(
    path: str | Path,
    sheet: str | int = 0,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    header_row: int | None = None,
) -> pd.DataFrame:
    """Read a firm table, every cell as text.

    CSV: UTF-8 (with or without BOM), UTF-16 or Windows-1251 and comma,
    semicolon, tab or bar, detected unless given. CSV and XLSX (a sheet, by
    name or position): the header sits on ``header_row`` (0-based, for title
    blocks above the header), detected by :func:`detect_header_row` when
    None. GeoJSON, GeoPackage, GeoParquet: the geometry becomes
    ``lon`` and ``lat`` columns (WGS84; a representative point of lines and
    polygons). Limits are checked first (:func:`check_limits`).

    Raises
    ------
    InputError
        When the file is missing, too large, empty, malformed or in an
        unknown format; the message names the file and, where known, the row.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    check_limits(path)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        if header_row is None:
            header_row = detect_header_row(preview_rows(path, sheet=sheet))
        try:
            frame = pd.read_excel(
                path,
                sheet_name=sheet,
                dtype=str,
                keep_default_na=False,
                header=header_row,
                engine="openpyxl",
            )
        except (ValueError, KeyError, IndexError) as exc:
            raise InputError(f"{path.name}: {exc}") from None
        except Exception as exc:  # openpyxl raises many types for broken files
            raise InputError(
                f"{path.name}: not a readable XLSX file ({type(exc).__name__}: {exc})"
            ) from None
        return _tidy(frame, path)
    if suffix in GEO_SUFFIXES:
        return _read_geographic(path, layer=None if sheet == 0 else sheet)
    if suffix not in (".csv", ".txt", ".tsv"):
        raise InputError(
            f"{path.name}: unsupported format {suffix or '(none)'}; use CSV, XLSX, "
            "GeoJSON, GeoPackage or GeoParquet"
        )
    raw = path.read_bytes()
    if not raw.strip():
        raise InputError(f"{path.name}: the file is empty")
    try:
        found_encoding, found_delimiter = sniff_text(raw)
    except InputError as exc:
        raise InputError(f"{path.name}: {exc}") from None
    encoding = encoding or found_encoding
    delimiter = delimiter or found_delimiter
    try:
        text = raw.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise InputError(f"{path.name}: cannot be read as {encoding} ({exc})") from None
    text = text.lstrip("\ufeff")
    if header_row is None:
        header_row = _detect_csv_header(text, delimiter)
    options: dict[str, Any] = dict(
        sep=delimiter, dtype=str, keep_default_na=False, header=header_row, skip_blank_lines=True
    )
    fast = _read_csv_arrow(text, options) if len(text) >= FAST_CSV_CHARS else None
    if fast is not None:
        return _tidy(fast, path)
    try:
        frame = pd.read_csv(StringIO(text), **options)
    except pd.errors.EmptyDataError:
        raise InputError(f"{path.name}: no header row") from None
    except (pd.errors.ParserError, ValueError):
        frame = _read_ragged(text, delimiter, header_row, options, path.name)
    return _tidy(frame, path)


#: From this many characters on, a CSV is read first by Arrow's multi-threaded reader (about
#: 5x faster at 200,000 rows); small files, and any file Arrow cannot read as a plain table
#: (ragged rows, a parse error), go to pandas' reader, which says what is wrong.
FAST_CSV_CHARS = 1_000_000


def _read_csv_arrow(text: str, options: dict[str, Any]) -> pd.DataFrame | None:
    """The table read by pandas' ``pyarrow`` engine, or None when it cannot read it."""
    arrow_options = {k: v for k, v in options.items() if k != "skip_blank_lines"}
    try:
        return pd.read_csv(
            BytesIO(text.encode("utf-8")), engine="pyarrow", encoding="utf-8", **arrow_options
        )
    except Exception:  # pyarrow raises its own types; the careful reader decides
        return None


def _detect_csv_header(text: str, delimiter: str) -> int:
    import csv

    head = [line for line in text[:SNIFF_BYTES].splitlines()[: PREVIEW_ROWS * 4] if line.strip()][
        :PREVIEW_ROWS
    ]
    try:
        return detect_header_row(list(csv.reader(head, delimiter=delimiter)))
    except csv.Error:
        return 0


def _read_ragged(
    text: str, delimiter: str, header_row: int, options: dict[str, Any], name: str
) -> pd.DataFrame:
    """Second attempt for rows with more cells than the header: keep them, their extra
    cells joined into the last; anything still unreadable is a clear message."""
    import csv

    try:
        lines = text.splitlines()
        width = len(next(csv.reader([lines[header_row]], delimiter=delimiter)))
        return pd.read_csv(
            StringIO(text),
            engine="python",
            on_bad_lines=_join_extra_cells(width, delimiter),
            **options,
        )
    except (
        pd.errors.ParserError,
        pd.errors.EmptyDataError,
        csv.Error,
        StopIteration,
        IndexError,
        ValueError,
    ) as exc:
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(f"{name}: malformed CSV ({message})") from None


def _join_extra_cells(width: int, delimiter: str) -> Callable[[list[str]], list[str]]:
    def handle(fields: list[str]) -> list[str]:
        return fields[: width - 1] + [delimiter.join(fields[width - 1 :])]

    return handle


def _tidy(frame: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Header names as clean text; refuse more rows than :data:`MAX_ROWS`."""
    if len(frame) > MAX_ROWS:
        raise InputError(f"{path.name}: {len(frame):,} rows is more than the limit of {MAX_ROWS:,}")
    names: list[str] = []
    seen: dict[str, int] = {}
    for i, c in enumerate(frame.columns):
        name = str(c).strip()
        if not name or name.lower().startswith("unnamed:"):
            name = f"column_{i + 1}"
        if name in seen:
            seen[name] += 1
            name = f"{name}_{seen[name]}"
        else:
            seen[name] = 1
        names.append(name)
    frame.columns = names
    return frame


def write_table(frame: pd.DataFrame, path: str | Path) -> None:
    """Write CSV (UTF-8 with BOM, so Excel shows Cyrillic) or XLSX by extension.

    The bytes are those of the app's downloads (:func:`geo.export.csv_bytes`,
    :func:`geo.export.xlsx_bytes`, one sheet ``Sheet1``, no metadata sheet): text
    cells that a spreadsheet would run as formulas are neutralised
    (:func:`geo.safety.neutralise_formula`); numbers are left as numbers.
    """
    from geo.export import csv_bytes, xlsx_bytes

    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        if len(frame) > EXCEL_MAX_ROWS:
            raise InputError(
                f"{path}: {len(frame)} rows exceed Excel's limit of {EXCEL_MAX_ROWS:,} "
                "data rows; write CSV instead"
            )
        data = xlsx_bytes({"Sheet1": frame}, None)
    else:
        data = csv_bytes(frame)
    path.write_bytes(data)


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


def write_layer(layer: gpd.GeoDataFrame, path: str | Path) -> None:
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


def parse_coordinates(values: pd.Series) -> np.ndarray:
    """Coordinates of a column as floats: decimal degrees read at once, the rest
    (decimal commas, degrees-minutes-seconds) by :func:`geo.geocode.parse_coordinate`;
    NaN where a value is not a coordinate.

    Equal, value by value, to ``[parse_coordinate(v) for v in values]``, and
    about 30 times faster on a column of plain numbers.
    """
    numbers = pd.to_numeric(values, errors="coerce").to_numpy(
        dtype=float, na_value=np.nan, copy=True
    )
    present = values.notna().to_numpy() & (values.astype("str").str.strip() != "").to_numpy()
    rest = np.flatnonzero(np.isnan(numbers) & present)
    if rest.size:
        from geo.geocode import parse_coordinate  # the gazetteer's module: only when needed

        original = values.to_numpy(dtype=object)
        numbers[rest] = [parse_coordinate(original[i]) for i in rest]
    return numbers
