"""Text damaged before it reached us: UTF-8 that an old system read as Latin-1,
Windows-1252 or Windows-1251 ("mojibake"), repaired cell by cell.

A register exported through such a system carries ``ÐÐ°Ð¼Ð¼Ð°`` or
``РђРјРјР°`` where ``Гамма`` was typed. Only what is *clearly* mojibake is
repaired: the cell must carry the tell-tale pairs of such text, and its
characters, written back in the wrong encoding, must form valid UTF-8 as a
whole. ftfy (https://ftfy.readthedocs.io) makes the decision; a strict
whole-cell check catches the short Windows-1251 cells it leaves alone. A
cell that ftfy could only repair in part, or that reads as ordinary text
(``Café Ñandú``, ``Ханбогд``), is left exactly as it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

__all__ = ["Repair", "repair_frame", "repair_text"]

#: A lead byte of two-byte UTF-8 (0xC2-0xDF) as Latin-1/Windows-1252 shows it, followed by a
#: continuation byte (0x80-0xBF); or the Windows-1251 letters Р С Т У (0xD0-0xD3) followed
#: by what Windows-1251 shows for a continuation byte.
_SUSPECT = re.compile(
    "[\u00c2-\u00df][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6"
    "\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
    "|[\u0420-\u0423][\u0402\u0403\u0409-\u040c\u040e-\u040f\u0452\u0453\u0459-\u045c"
    "\u045e\u045f\u0490\u0491\u00a0-\u00bf\u0401\u0404\u0405-\u0408\u0451\u0454-\u0458"
    "\u201a\u201e\u2026\u2020\u2021\u20ac\u2030\u2039\u203a\u2018-\u201d\u2022\u2013"
    "\u2014\u2122\u2116]"
)
_CODECS = ("latin-1", "sloppy-windows-1252", "sloppy-windows-1251")
_CYRILLIC = re.compile("[\u0400-\u04ff]")


@dataclass(frozen=True)
class Repair:
    """One repaired cell: its row (1-based after the header), column, text before and after,
    and the encoding the text had been misread as."""

    row: int
    column: str
    before: str
    after: str
    misread_as: str


def _strict(text: str) -> tuple[str, str] | None:
    """The whole cell written back in one wrong encoding and read as UTF-8, if that works.

    Demands at least three multi-byte letters restored and a Cyrillic or
    Latin-with-accents result, so that a short ordinary word is never taken
    for damage.
    """
    for codec in _CODECS:
        try:
            fixed = text.encode(codec).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        if fixed != text and len(text) - len(fixed) >= 3 and not _SUSPECT.search(fixed):
            return fixed, codec
    return None


def repair_text(text: str) -> tuple[str, str | None]:
    """``text`` repaired when it is clearly mojibake: (text, misread encoding or None).

    Examples
    --------
    >>> repair_text("Ð¥Ð°Ð½Ð±Ð¾Ð³Ð´")
    ('Ханбогд', 'latin-1')
    >>> repair_text("Café Ñandú")
    ('Café Ñandú', None)
    """
    if not isinstance(text, str) or text.isascii() or not _SUSPECT.search(text):
        return text, None
    import ftfy
    import ftfy.bad_codecs  # noqa: F401  (registers the sloppy-windows codecs)
    from ftfy.badness import is_bad

    fixed, steps = ftfy.fix_encoding_and_explain(text)
    kinds = {kind for kind, _ in (steps or [])}
    if (
        fixed != text
        and kinds <= {"encode", "decode"}
        and not is_bad(fixed)
        and not _SUSPECT.search(fixed)
    ):
        codec = next((name for kind, name in steps or [] if kind == "encode"), "")
        return fixed, codec.replace("sloppy-", "")
    strict = _strict(text)
    if strict and (_CYRILLIC.search(strict[0]) or not is_bad(strict[0])):
        return strict[0], strict[1].replace("sloppy-", "")
    return text, None


def repair_frame(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[Repair]]:
    """Repair the clearly damaged text cells of a table (each distinct value checked once).

    Parameters
    ----------
    frame : DataFrame
        A table as read (:func:`geo.io.read_table`); it is not modified.

    Returns
    -------
    frame : DataFrame
        The same table, or a copy with the repaired cells.
    repairs : list of Repair
        Every repaired cell, by row (1-based) and column.
    """
    repairs: list[Repair] = []
    out = frame
    for column in frame.columns:
        values = frame[column]
        if not (pd.api.types.is_string_dtype(values) or values.dtype == object):
            continue
        distinct = pd.unique(values.dropna())
        fixes = {}
        for value in distinct:
            if isinstance(value, str):
                fixed, codec = repair_text(value)
                if codec:
                    fixes[value] = (fixed, codec)
        if not fixes:
            continue
        if out is frame:
            out = frame.copy()
        hit = values.isin(list(fixes))
        repaired = values.copy()
        repaired[hit] = values[hit].map(lambda v: fixes[v][0])
        out[column] = repaired
        for position in hit.to_numpy().nonzero()[0]:
            before = values.iloc[position]
            repairs.append(
                Repair(int(position) + 1, str(column), before, fixes[before][0], fixes[before][1])
            )
    repairs.sort(key=lambda r: (r.row, r.column))
    return out, repairs
