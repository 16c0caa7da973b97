"""Looking at an input file before reading it: limits, encoding, delimiter, header row, sheets.

:func:`check_limits` refuses a file that is too large (or an XLSX zip bomb)
before it is parsed; :func:`sniff_text` and :func:`sniff_file` find a CSV's
encoding and delimiter; :func:`preview_rows` shows the first rows as text and
:func:`detect_header_row` finds the header below a title block, as QGIS's import
dialog does; :func:`private_copy` puts uploaded bytes in a private temporary
folder for the moment of a read. :mod:`geo.io` reads the table with what these
found (and re-exports them).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from geo.settings import (
    MAX_FILE_BYTES,
    MAX_XLSX_RATIO,
    MAX_XLSX_UNCOMPRESSED,
    PREVIEW_ROWS,
    SNIFF_BYTES,
)

__all__ = [
    "DELIMITERS",
    "ENCODINGS",
    "InputError",
    "check_limits",
    "detect_header_row",
    "preview_rows",
    "private_copy",
    "sheet_names",
    "sniff_file",
    "sniff_text",
]


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
        raise InputError(
            f"{path.name}: {size / 2**20:.0f} MB is more than the limit of "
            f"{MAX_FILE_BYTES / 2**20:.0f} MB"
        )
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        try:
            with zipfile.ZipFile(path) as archive:
                members = archive.infolist()
        except zipfile.BadZipFile:
            raise InputError(f"{path.name}: not a readable XLSX file (not a zip archive)") from None
        total = sum(m.file_size for m in members)
        if total > MAX_XLSX_UNCOMPRESSED:
            raise InputError(
                f"{path.name}: unpacks to {total / 2**20:.0f} MB, more than the "
                f"limit of {MAX_XLSX_UNCOMPRESSED / 2**20:.0f} MB"
            )
        for m in members:
            if (
                m.compress_size
                and m.file_size / m.compress_size > MAX_XLSX_RATIO
                and m.file_size > 2**20
            ):
                raise InputError(
                    f"{path.name}: member {m.filename} expands "
                    f"{m.file_size / m.compress_size:.0f} times (a zip bomb?); "
                    f"refused"
                )


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


_NUMBER_RE = re.compile(r"^[-+]?[\d\s.,'\u00a0\u202f]+$")


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
    except Exception as exc:  # openpyxl raises many types for broken files
        raise InputError(
            f"{path.name}: not a readable XLSX file ({type(exc).__name__}: {exc})"
        ) from None
    try:
        return list(book.sheetnames)
    finally:
        book.close()


def preview_rows(
    path: str | Path,
    *,
    sheet: str | int = 0,
    encoding: str | None = None,
    delimiter: str | None = None,
    rows: int = PREVIEW_ROWS,
) -> list[list[str]]:
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
                return [
                    ["" if v is None else str(v) for v in row]
                    for row in ws.iter_rows(max_row=rows, values_only=True)
                ]
            finally:
                book.close()
        except (KeyError, IndexError):
            raise InputError(f"{path.name}: no sheet {sheet!r}") from None
        except Exception as exc:  # openpyxl raises many types for broken files
            raise InputError(
                f"{path.name}: not a readable XLSX file ({type(exc).__name__}: {exc})"
            ) from None
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
        text = codecs.getincrementaldecoder(encoding or found_encoding)(errors="replace").decode(
            raw, final=complete
        )
    except LookupError as exc:
        raise InputError(f"{path.name}: {exc}") from None
    lines = [line for line in text.lstrip("\ufeff").splitlines() if line.strip()]
    if not complete:
        lines = lines[:-1]  # the last line may be cut
    try:
        return [
            row
            for row, _ in zip(
                csv.reader(lines, delimiter=delimiter or found_delimiter), range(rows)
            )
        ]
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
    >>> from geo.io import read_table
    >>> with private_copy("register.csv", b"name\\nA\\n") as path:
    ...     read_table(path)["name"].tolist()
    ['A']
    """
    import tempfile

    safe = re.sub(r"[\x00-\x1f/\\:]+", "_", Path(str(name).replace("\\", "/")).name).strip()
    safe = safe.lstrip(".") or "upload"
    with tempfile.TemporaryDirectory(prefix="cam_upload_") as folder:
        path = Path(folder) / safe[:200]
        path.write_bytes(data)
        yield path
