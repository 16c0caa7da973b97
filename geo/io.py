"""Reading and writing firm tables and cluster layers.

Tables: CSV (encoding and delimiter detected), XLSX, and the geographic
formats GeoJSON, GeoPackage and GeoParquet (read into a table with ``lon``
and ``lat`` columns). Layers: GeoJSON and GeoPackage.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from io import BytesIO, StringIO
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    import geopandas as gpd

from geo.paths import DATASETS_DIR
from geo.settings import (EXCEL_MAX_ROWS, MAX_FILE_BYTES, MAX_ROWS, MAX_XLSX_RATIO,
                          MAX_XLSX_UNCOMPRESSED, PREVIEW_ROWS, SNIFF_BYTES)

__all__ = ["DEMO_FIRMS", "GEO_SUFFIXES", "InputError", "check_limits", "detect_header_row",
           "load_demo_firms", "parse_coordinates", "preview_rows", "private_copy", "read_table",
           "sheet_names", "sniff_file", "sniff_text", "write_layer", "write_table"]

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


# Limits checked before a file is parsed (see :func:`check_limits`): geo.settings.

#: Text encodings tried, in order, when none is given.
ENCODINGS = ("utf-8-sig", "utf-16", "cp1251")
DELIMITERS = (",", ";", "\t", "|")


def check_limits(path: Path) -> None:
    """Refuse a file before parsing it when it is too large or an XLSX zip bomb.

    Raises
    ------
    InputError
        Naming the file and the limit.
    """
    import zipfile

    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise InputError(f"{path.name}: {size / 2**20:.0f} MB is more than the limit of "
                         f"{MAX_FILE_BYTES / 2**20:.0f} MB")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        try:
            with zipfile.ZipFile(path) as archive:
                members = archive.infolist()
        except zipfile.BadZipFile:
            raise InputError(f"{path.name}: not a readable XLSX file (not a zip archive)") \
                from None
        total = sum(m.file_size for m in members)
        if total > MAX_XLSX_UNCOMPRESSED:
            raise InputError(f"{path.name}: unpacks to {total / 2**20:.0f} MB, more than the "
                             f"limit of {MAX_XLSX_UNCOMPRESSED / 2**20:.0f} MB")
        for m in members:
            if m.compress_size and m.file_size / m.compress_size > MAX_XLSX_RATIO \
                    and m.file_size > 2**20:
                raise InputError(f"{path.name}: member {m.filename} expands "
                                 f"{m.file_size / m.compress_size:.0f} times (a zip bomb?); "
                                 f"refused")


def sniff_text(raw: bytes, complete: bool = True) -> tuple[str, str]:
    """The encoding and the delimiter of CSV bytes: (encoding, delimiter).

    Parameters
    ----------
    raw : bytes
        The file, or its first bytes.
    complete : bool, default True
        False when ``raw`` is only the start of the file: a letter cut in two
        at the end (a two-byte Cyrillic letter in UTF-8, half a UTF-16 unit)
        is then not held against the encoding.

    Raises
    ------
    InputError
        When no known encoding decodes the bytes.
    """
    import codecs

    for encoding in ENCODINGS:
        if encoding == "utf-16" and raw[:2] not in (b"\xff\xfe", b"\xfe\xff"):
            continue
        try:
            text = codecs.getincrementaldecoder(encoding)().decode(raw, final=complete)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InputError("unknown text encoding (tried UTF-8, UTF-16, Windows-1251)")
    lines = [line for line in text.splitlines()[:20] if line.strip()]
    first = lines[0] if lines else ""
    delimiter = max(DELIMITERS, key=lambda d: (first.count(d), -DELIMITERS.index(d)))
    return encoding, delimiter


def sniff_file(path: str | Path, sample: int = SNIFF_BYTES) -> tuple[str, str]:
    """:func:`sniff_text` on the first ``sample`` bytes of a file (all of a smaller file).

    Raises
    ------
    InputError
        Naming the file, when no known encoding decodes it.
    """
    path = Path(path)
    with open(path, "rb") as handle:
        raw = handle.read(sample + 1)
    try:
        return sniff_text(raw[:sample], complete=len(raw) <= sample)
    except InputError as exc:
        raise InputError(f"{path.name}: {exc}") from None


def detect_header_row(rows: list[list[str]]) -> int:
    """The first row whose cells look like a header (0-based; 0 when none stands out).

    Like QGIS's and LibreOffice's import dialogs, a title block above the
    header (a title, a source line, a blank row) is passed over: the header
    is the first row that fills most of the table's width with distinct,
    non-numeric cells and has at least as many cells as the row below it.

    Parameters
    ----------
    rows : list of list of str
        The first rows of the file as text (:func:`preview_rows`).
    """
    def filled(row: list[str]) -> list[str]:
        return [str(c).strip() for c in row if c is not None and str(c).strip()]

    widths = [len(filled(r)) for r in rows]
    width = max(widths, default=0)
    if width < 2:
        return 0
    for i, row in enumerate(rows):
        cells = filled(row)
        if len(cells) < max(2, 0.6 * width):
            continue
        numeric = sum(bool(_NUMBER_RE.match(c)) for c in cells)
        distinct = len(set(c.lower() for c in cells)) == len(cells)
        below = widths[i + 1] if i + 1 < len(widths) else 0
        if numeric <= len(cells) // 3 and distinct and len(cells) >= below:
            return i
    return 0


_NUMBER_RE = __import__("re").compile(r"^[-+]?[\d\s.,'\u00a0\u202f]+$")


def sheet_names(path: str | Path) -> list[str]:
    """The sheets of an XLSX workbook, in order (``[]`` for other files).

    Raises
    ------
    InputError
        When the workbook cannot be opened.
    """
    path = Path(path)
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return []
    check_limits(path)
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True)
    except Exception as exc:     # openpyxl raises many types for broken files
        raise InputError(f"{path.name}: not a readable XLSX file ({type(exc).__name__}: "
                         f"{exc})") from None
    try:
        return list(book.sheetnames)
    finally:
        book.close()


def preview_rows(path: str | Path, *, sheet: str | int = 0, encoding: str | None = None,
                 delimiter: str | None = None, rows: int = PREVIEW_ROWS) -> list[list[str]]:
    """The first ``rows`` rows of a CSV or XLSX file as text, header or not.

    Row positions are those of ``header_row`` in :func:`read_table` (blank
    lines of a CSV are skipped, as the reader skips them). Geographic files
    have no header row to choose: ``[]``.

    Raises
    ------
    InputError
        When the file cannot be read; the message names the file.
    """
    import csv

    path = Path(path)
    check_limits(path)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        import openpyxl

        try:
            book = openpyxl.load_workbook(path, read_only=True)
            try:
                ws = book[sheet] if isinstance(sheet, str) else book.worksheets[sheet]
                return [["" if v is None else str(v) for v in row]
                        for row in ws.iter_rows(max_row=rows, values_only=True)]
            finally:
                book.close()
        except (KeyError, IndexError):
            raise InputError(f"{path.name}: no sheet {sheet!r}") from None
        except Exception as exc:   # openpyxl raises many types for broken files
            raise InputError(f"{path.name}: not a readable XLSX file ({type(exc).__name__}: "
                             f"{exc})") from None
    if suffix not in (".csv", ".txt", ".tsv"):
        return []
    import codecs

    with open(path, "rb") as handle:
        raw = handle.read(SNIFF_BYTES + 1)
    complete = len(raw) <= SNIFF_BYTES
    raw = raw[:SNIFF_BYTES]
    try:
        found_encoding, found_delimiter = sniff_text(raw, complete=complete)
    except InputError as exc:
        raise InputError(f"{path.name}: {exc}") from None
    try:
        text = codecs.getincrementaldecoder(encoding or found_encoding)(
            errors="replace").decode(raw, final=complete)
    except LookupError as exc:
        raise InputError(f"{path.name}: {exc}") from None
    lines = [line for line in text.lstrip("\ufeff").splitlines() if line.strip()]
    if not complete:
        lines = lines[:-1]          # the last line may be cut
    try:
        return [row for row, _ in zip(csv.reader(lines, delimiter=delimiter or found_delimiter),
                                      range(rows))]
    except csv.Error as exc:
        raise InputError(f"{path.name}: malformed CSV ({exc})") from None


@contextmanager
def private_copy(name: str, data: bytes) -> Iterator[Path]:
    """Uploaded bytes as a file under the user's own name, in a private temporary folder.

    The folder and the file are removed when the block ends, whether the
    read succeeded or failed: a register of firms never stays on a shared
    server. Messages of :func:`read_table` name ``name``, never a temporary
    name.

    Examples
    --------
    >>> with private_copy("register.csv", b"name\\nA\\n") as path:
    ...     read_table(path)["name"].tolist()
    ['A']
    """
    import re
    import tempfile

    safe = re.sub(r"[\x00-\x1f/\\:]+", "_", Path(str(name).replace("\\", "/")).name).strip()
    safe = safe.lstrip(".") or "upload"
    with tempfile.TemporaryDirectory(prefix="cam_upload_") as folder:
        path = Path(folder) / safe[:200]
        path.write_bytes(data)
        yield path


def read_table(path: str | Path, sheet: str | int = 0, *, encoding: str | None = None,
               delimiter: str | None = None, header_row: int | None = None) -> pd.DataFrame:
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
            frame = pd.read_excel(path, sheet_name=sheet, dtype=str, keep_default_na=False,
                                  header=header_row, engine="openpyxl")
        except (ValueError, KeyError, IndexError) as exc:
            raise InputError(f"{path.name}: {exc}") from None
        except Exception as exc:  # openpyxl raises many types for broken files
            raise InputError(f"{path.name}: not a readable XLSX file ({type(exc).__name__}: "
                             f"{exc})") from None
        return _tidy(frame, path)
    if suffix in GEO_SUFFIXES:
        return _read_geographic(path, layer=None if sheet == 0 else sheet)
    if suffix not in (".csv", ".txt", ".tsv"):
        raise InputError(f"{path.name}: unsupported format {suffix or '(none)'}; use CSV, XLSX, "
                         "GeoJSON, GeoPackage or GeoParquet")
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
    options: dict[str, Any] = dict(sep=delimiter, dtype=str, keep_default_na=False,
                                   header=header_row, skip_blank_lines=True)
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
        return pd.read_csv(BytesIO(text.encode("utf-8")), engine="pyarrow", encoding="utf-8",
                           **arrow_options)
    except Exception:      # pyarrow raises its own types; the careful reader decides
        return None


def _detect_csv_header(text: str, delimiter: str) -> int:
    import csv

    head = [line for line in text[:SNIFF_BYTES].splitlines()[:PREVIEW_ROWS * 4]
            if line.strip()][:PREVIEW_ROWS]
    try:
        return detect_header_row(list(csv.reader(head, delimiter=delimiter)))
    except csv.Error:
        return 0


def _read_ragged(text: str, delimiter: str, header_row: int, options: dict[str, Any],
                 name: str) -> pd.DataFrame:
    """Second attempt for rows with more cells than the header: keep them, their extra
    cells joined into the last; anything still unreadable is a clear message."""
    import csv

    try:
        lines = text.splitlines()
        width = len(next(csv.reader([lines[header_row]], delimiter=delimiter)))
        return pd.read_csv(StringIO(text), engine="python",
                           on_bad_lines=_join_extra_cells(width, delimiter), **options)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, csv.Error, StopIteration,
            IndexError, ValueError) as exc:
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(f"{name}: malformed CSV ({message})") from None


def _join_extra_cells(width: int, delimiter: str) -> Callable[[list[str]], list[str]]:
    def handle(fields: list[str]) -> list[str]:
        return fields[:width - 1] + [delimiter.join(fields[width - 1:])]
    return handle


def _tidy(frame: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Header names as clean text; refuse more rows than :data:`MAX_ROWS`."""
    if len(frame) > MAX_ROWS:
        raise InputError(f"{path.name}: {len(frame):,} rows is more than the limit of "
                         f"{MAX_ROWS:,}")
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
            raise InputError(f"{path}: {len(frame)} rows exceed Excel's limit of {EXCEL_MAX_ROWS:,} "
                             "data rows; write CSV instead")
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
    numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=np.nan,
                                                              copy=True)
    present = values.notna().to_numpy() & (values.astype("str").str.strip() != "").to_numpy()
    rest = np.flatnonzero(np.isnan(numbers) & present)
    if rest.size:
        from geo.geocode import parse_coordinate      # the gazetteer's module: only when needed

        original = values.to_numpy(dtype=object)
        numbers[rest] = [parse_coordinate(original[i]) for i in rest]
    return numbers
