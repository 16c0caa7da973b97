"""From an uploaded register to a clean firm table: column mapping, sectors, validation.

The steps the Data page walks through, as functions over DataFrames:

1. :func:`propose_mapping` guesses which column is the firm name, sector,
   employees, address, aimag, soum, district, latitude and longitude (from
   Mongolian and English headers); the user confirms or changes it.
2. :func:`map_sectors` turns sector codes or text (ISIC Rev.4 section letters,
   division numbers, Mongolian or English section names) into ISIC sections;
   values it cannot place are returned for the user to assign.
3. :func:`standardise` applies the mapping: one row per input row, in order,
   with the standard columns, every original column kept under ``src_``.
4. :func:`validate` lists the problems (missing name, unknown sector,
   employees not a number or negative, duplicates) with their rows; rows are
   flagged, never dropped: ``import_status`` is ``ok`` or ``flagged`` and
   ``import_issues`` says why.
5. :func:`geocoding_address` joins the address with the aimag, soum and
   district columns, for :class:`geo.geocode.Geocoder`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from geo.paths import DATASETS_DIR
from geo.text import cell_text, cyrillic_key
from geo.timeline import founding_years

__all__ = [
    "ROLES",
    "Problem",
    "geocoding_address",
    "guess_column",
    "load_isic_sections",
    "map_sectors",
    "propose_mapping",
    "standardise",
    "validate",
]

#: What a column can be, with header words that suggest it (lower case, Cyrillic and Latin).
ROLES: dict[str, tuple[str, ...]] = {
    "name": (
        "name",
        "firm",
        "company",
        "нэр",
        "байгууллага",
        "компани",
        "аж ахуйн нэгж",
        "ааннэр",
        "аан",
        "organization",
        "enterprise",
    ),
    "sector": (
        "sector",
        "isic",
        "industry",
        "activity",
        "салбар",
        "үйл ажиллагаа",
        "чиглэл",
        "nace",
        "ангилал",
    ),
    "employees": (
        "employees",
        "employee",
        "staff",
        "workers",
        "jobs",
        "ажилтан",
        "ажиллагч",
        "ажилчид",
        "ажиллагсад",
        "ажилчдын",
        "ажилтны",
        "ажилчин",
        "хүний тоо",
        "headcount",
    ),
    "address": ("address", "хаяг", "байршил", "location", "street"),
    "aimag": ("aimag", "aimak", "province", "аймаг", "хот/аймаг"),
    "soum": ("soum", "sum", "сум"),
    "district": ("district", "duureg", "дүүрэг"),
    "lat": ("lat", "latitude", "gps_lat", "өргөрөг", "y"),
    "lon": ("lon", "lng", "long", "longitude", "gps_lon", "уртраг", "x"),
    "founded": ("founded", "established", "year", "он", "байгуулагдсан"),
    "closed": (
        "closed",
        "closing year",
        "closed year",
        "closing",
        "deregistered",
        "deregistration year",
        "liquidated",
        "дууссан он",
        "хаагдсан он",
        "хаагдсан",
        "татан буугдсан",
        "татан буугдсан он",
        "бүртгэлээс хасагдсан",
    ),
    "exporter": ("exporter", "export", "экспорт"),
    "foreign_owned": ("foreign", "гадаад"),
}


_FOLD = str.maketrans("өүё", "оуе")


def _norm_header(text: str) -> str:
    """Lower case, punctuation as spaces, and Ө/Ү folded to О/У (Russian keyboards)."""
    return re.sub(r"[\s_\-.:/]+", " ", str(text).strip().lower()).translate(_FOLD)


def guess_column(
    columns: Iterable[object], role: str, words: Iterable[str] | None = None
) -> object | None:
    """The column whose header is one of the words of ``ROLES[role]`` (or of ``words``,
    for a role the register's mapping does not know; the first word that matches wins), or
    None. Case, punctuation and Ө/Ү are ignored; headers that merely contain a word do not
    count (see :func:`propose_mapping` for the interactive guess).

    >>> guess_column(["Name", "GPS_LAT", "gps_lon"], "lat")
    'GPS_LAT'
    """
    by_header: dict[str, object] = {}
    for column in columns:
        by_header.setdefault(_norm_header(str(column)), column)
    for word in ROLES[role] if words is None else words:
        column = by_header.get(_norm_header(word))
        if column is not None:
            return column
    return None


def propose_mapping(
    columns: Iterable[object], remembered: dict[str, str] | None = None
) -> dict[str, str | None]:
    """Role -> column (or None) for a file's headers.

    An exact header match wins over a header that merely contains a word;
    every column is proposed for one role at most. A mapping remembered for
    the same headers (:meth:`geo.workspace.Workspace.mapping`) is used as is
    where its columns still exist.
    """
    headers = [str(c) for c in columns]
    if remembered:
        return {
            role: (remembered.get(role) if remembered.get(role) in headers else None)
            for role in ROLES
        }
    normalised = {c: _norm_header(c) for c in headers}
    taken: set[str] = set()
    out: dict[str, str | None] = {}
    for exact in (True, False):
        for role, words in ROLES.items():
            if out.get(role):
                continue
            for column in headers:
                if column in taken:
                    continue
                header = normalised[column]
                words = tuple(w.translate(_FOLD) for w in words)
                hit = (
                    header in words
                    if exact
                    else any(
                        len(w) > 2 and re.search(rf"(^|\s){re.escape(w)}", header) for w in words
                    )
                )
                if hit:
                    out[role] = column
                    taken.add(column)
                    break
    return {role: out.get(role) for role in ROLES}


def load_isic_sections(path: str | Path | None = None) -> pd.DataFrame:
    """ISIC Rev.4 sections A-U with their division ranges and names (``datasets/``)."""
    return pd.read_csv(path or DATASETS_DIR / "isic_sections.csv", dtype=str)


def _division_to_section(sections: pd.DataFrame) -> dict[int, str]:
    out: dict[int, str] = {}
    for row in sections.itertuples():
        parts = [int(p) for p in str(row.isic_divisions).split("-")]
        for d in range(parts[0], parts[-1] + 1):
            out[d] = str(row.code)
    return out


def map_sectors(
    values: pd.Series, sections: pd.DataFrame | None = None, assigned: dict[str, str] | None = None
) -> tuple[pd.Series, list[str]]:
    """ISIC section letter for each sector value, and the values left unplaced.

    Understands a section letter (``B``), a division or class number
    (``5``, ``05``, ``0510``, ``46.9``), and section names in Mongolian or
    English (``Уул уурхай``, ``Mining and quarrying``; Russian-keyboard
    spellings too). ``assigned`` maps the user's answers for the rest.
    """
    sections = load_isic_sections() if sections is None else sections
    by_division = _division_to_section(sections)
    by_name: dict[str, str] = {}
    for row in sections.itertuples():
        for name in (row.name_en, row.name_mn, row.name_mn_short):
            if isinstance(name, str) and name:
                by_name[cyrillic_key(name)] = str(row.code)
                by_name[name.strip().lower()] = str(row.code)
    letters = set(sections["code"])
    assigned = {str(k): v for k, v in (assigned or {}).items()}

    def words_of(value: str) -> set[str]:
        return set(re.findall(r"\w{4,}", value.lower().translate(_FOLD)))

    section_words = [
        (str(row.code), [words_of(str(n)) for n in (row.name_en, row.name_mn, row.name_mn_short)])
        for row in sections.itertuples()
    ]

    def one(value: object) -> str | None:
        text = cell_text(value)
        if not text:
            return None
        if text in assigned:
            return assigned[text] or None
        if text.upper() in letters:
            return text.upper()
        digits = re.match(r"^(\d{1,4})(?:[.,]\d+)?$", text)
        if digits:
            code = digits.group(1)
            division = int(code[:2]) if len(code) >= 3 else int(code)
            if len(code) == 3:  # a group written without its leading zero (510 = 05.1)
                division = int(code[:1])
            return by_division.get(division)
        for key in (text.lower(), cyrillic_key(text)):
            if key in by_name:
                return by_name[key]
        # a word that names exactly one section ("Худалдаа" -> G, "Mining" -> B)
        words = words_of(text)
        if words:
            hits = {code for code, names in section_words if any(words <= w for w in names)}
            if len(hits) == 1:
                return hits.pop()
        return None

    distinct = pd.unique(values.astype("string").fillna(""))
    table = {v: one(v) for v in distinct}
    mapped = values.astype("string").fillna("").map(table)
    unplaced = sorted(v for v, code in table.items() if code is None and v.strip())
    return mapped.astype("string"), unplaced


@dataclass(frozen=True)
class Problem:
    """One kind of problem found by :func:`validate`: its key, count and rows (1-based)."""

    key: str
    column: str
    rows: tuple[int, ...]

    @property
    def count(self) -> int:
        return len(self.rows)


def _number(text: pd.Series) -> pd.Series:
    """Numbers written as text: spaces, thin spaces and thousand separators removed."""
    cleaned = (
        text.astype("string")
        .fillna("")
        .str.replace(r"[\s\u00a0\u202f']", "", regex=True)
        .str.replace(",", ".", regex=False)
    )
    return pd.to_numeric(cleaned.where(cleaned != ""), errors="coerce")


def standardise(
    frame: pd.DataFrame,
    mapping: dict[str, str | None],
    sector_assignments: dict[str, str] | None = None,
) -> pd.DataFrame:
    """The standard firm table of an uploaded file: one row per input row, in order.

    Columns: ``row`` (the row number in the file, 1-based after the header),
    ``name``, ``sector`` (the ISIC section letter), ``sector_text`` (as
    written), ``sector_label_en``, ``sector_label_mn``, ``employees`` (number or missing), ``employees_text``,
    ``address``, ``aimag``, ``soum``, ``district``, ``lat``, ``lon`` (text,
    parsed by the geocoder), ``founded``, ``closed`` (a closing or deregistration
    year: :func:`geo.timeline.as_of` leaves the firm out of later years),
    ``exporter``, ``foreign_owned``,
    and every original column as ``src_<name>``.
    """
    n = len(frame)

    def text(role: str) -> pd.Series:
        column = mapping.get(role)
        if column is None or column not in frame.columns:
            return pd.Series([""] * n, index=frame.index, dtype="string")
        return frame[column].astype("string").fillna("").str.strip()

    out = pd.DataFrame(index=frame.index)
    out["row"] = np.arange(1, n + 1)
    out["name"] = text("name")
    out["sector_text"] = text("sector")
    out["sector"], _ = map_sectors(out["sector_text"], assigned=sector_assignments)
    sections = load_isic_sections().set_index("code")
    out["sector_label_en"] = out["sector"].map(sections["name_en"]).astype("string")
    out["sector_label_mn"] = out["sector"].map(sections["name_mn_short"]).astype("string")
    out["employees_text"] = text("employees")
    out["employees"] = _number(out["employees_text"])
    for role in ("address", "aimag", "soum", "district", "lat", "lon"):
        out[role] = text(role)
    out["founded"] = _number(text("founded"))
    out["closed"] = _number(text("closed"))
    for flag in ("exporter", "foreign_owned"):
        raw = text(flag).str.lower()
        out[flag] = raw.map(
            lambda v: (
                True
                if v in ("1", "true", "yes", "тийм", "x")
                else (False if v in ("0", "false", "no", "үгүй", "") else pd.NA)
            )
        )
    for column in frame.columns:
        out[f"src_{column}"] = frame[column].astype("string")
    return out.reset_index(drop=True)


#: Columns of the standard table a user may correct, and the role each came from.
EDITABLE_COLUMNS: dict[str, str] = {
    "name": "name",
    "sector_text": "sector",
    "employees_text": "employees",
    "address": "address",
    "aimag": "aimag",
    "soum": "soum",
    "district": "district",
    "lat": "lat",
    "lon": "lon",
}


def apply_edits(
    frame: pd.DataFrame, mapping: dict[str, str | None], edited: pd.DataFrame | None
) -> pd.DataFrame:
    """Write corrections made in the standard table back into the uploaded frame.

    Parameters
    ----------
    frame : DataFrame
        The file as read; it is not modified.
    mapping : dict
        Role -> column of ``frame`` (as for :func:`standardise`).
    edited : DataFrame or None
        Rows of the standard table with ``row`` (1-based) and any of
        :data:`EDITABLE_COLUMNS`; roles the mapping leaves out are ignored.

    Returns
    -------
    DataFrame
        A copy of ``frame`` with the edited cells (as text), every row kept.
    """
    if edited is None or edited.empty:
        return frame
    out = frame.copy()
    by_row = edited.set_index("row")
    positions = by_row.index.to_numpy() - 1
    for column, role in EDITABLE_COLUMNS.items():
        target = mapping.get(role)
        if not target or column not in by_row.columns:
            continue
        out[target] = out[target].astype("string")
        out.loc[out.index[positions], target] = by_row[column].astype("string").to_numpy()
    return out


def validate(table: pd.DataFrame) -> tuple[pd.DataFrame, list[Problem]]:
    """Flag the problems of a standard table; no row is dropped.

    Returns
    -------
    table : DataFrame
        A copy with ``import_status`` (``ok`` or ``flagged``) and
        ``import_issues`` (the problems of the row, joined by "; ").
    problems : list of Problem
        Each kind of problem with the rows it affects: ``missing_name``,
        ``unknown_sector``, ``employees_not_a_number``, ``employees_negative``,
        ``duplicate`` (same name and address as an earlier row),
        ``no_location`` (neither address, units nor coordinates),
        ``founded_not_a_year`` (a founding year outside 1800-2100 or not whole) and
        ``closed_before_founded``.
    """
    out = table.copy()
    issues: list[list[str]] = [[] for _ in range(len(out))]
    problems: list[Problem] = []
    rows = out["row"].to_numpy()

    def flag(key: str, column: str, mask: ArrayLike) -> None:
        mask = np.asarray(mask, dtype=bool)
        for i in np.flatnonzero(mask):
            issues[i].append(key)
        if mask.any():
            problems.append(Problem(key, column, tuple(int(r) for r in rows[mask])))

    flag("missing_name", "name", out["name"].eq(""))
    flag("unknown_sector", "sector", out["sector"].isna() & out["sector_text"].ne(""))
    flag("missing_sector", "sector", out["sector_text"].eq(""))
    flag(
        "employees_not_a_number",
        "employees",
        out["employees"].isna() & out["employees_text"].ne(""),
    )
    flag("employees_negative", "employees", out["employees"].lt(0).fillna(False))
    key = out["name"].str.lower() + "\x1f" + out["address"].str.lower()
    flag("duplicate", "name", key.duplicated(keep="first") & out["name"].ne(""))
    nothing = (
        out["address"].eq("")
        & out["aimag"].eq("")
        & out["soum"].eq("")
        & out["district"].eq("")
        & (out["lat"].eq("") | out["lon"].eq(""))
    )
    flag("no_location", "address", nothing)
    # founding and closing years: a firm without a usable year stays (it is left out of
    # views as of a year only, geo.timeline)
    if "founded" in out.columns:
        founded = pd.to_numeric(out["founded"], errors="coerce")
        year = founding_years(out)
        flag("founded_not_a_year", "founded", founded.notna() & year.isna())
        if "closed" in out.columns:
            closed = founding_years(out, "closed")
            flag("closed_before_founded", "closed", (closed < year).fillna(False))
    out["import_issues"] = pd.array(["; ".join(i) for i in issues], dtype="string")
    out["import_status"] = pd.array(["flagged" if i else "ok" for i in issues], dtype="string")
    return out, problems


def geocoding_address(table: pd.DataFrame) -> pd.Series:
    """The text the geocoder reads: aimag, soum and district columns, then the address."""
    parts = []
    for column, marker in (("aimag", "аймаг"), ("soum", "сум"), ("district", "дүүрэг")):
        values = table[column].astype("string").fillna("")
        named = values.str.lower().str.contains(marker, regex=False) | values.eq("")
        parts.append(values.where(named, values + " " + marker))
    parts.append(table["address"].astype("string").fillna(""))
    joined = parts[0]
    for p in parts[1:]:
        joined = joined.str.cat(p, sep=", ")
    return joined.str.replace(r"(^(, )+|(, )+$)", "", regex=True).str.replace(
        r"(, ){2,}", ", ", regex=True
    )
