"""Offline geocoding of Mongolian firm addresses, honest about what it knows.

An address such as ``"Өмнөговь аймгийн Ханбогд сум, 2-р баг"``,
``"УБ, ХУД-ийн 3-р хороо"`` or ``"Khanbogd soum, Umnugovi aimag"`` goes
through three steps, each in its own module:

1. :mod:`geo.address` parses it into its *place key* (the place words and
   markers, without bag, khoroo, street, building and door) and keeps the
   number of its bag or khoroo;
2. :mod:`geo.candidates` finds the aimags, soums, districts and towns each
   run of words may name (exact Cyrillic, phonetic skeleton for Latin and
   Russian-keyboard spellings, fuzzy for typos, postal codes);
3. :mod:`geo.decide` decides: one unit (``matched``), several
   (``ambiguous``, the note lists them) or none (``unmatched``).

Each distinct place key is resolved once. Coordinates in the input win when
they are valid: inside Mongolia, or inside once latitude and longitude are
swapped (fixed, with a note); others are rejected with a note and the
address is used instead. The soum of a point comes from the boundaries the
index holds (:meth:`geo.admin.AdminIndex.locate`).

Output columns: ``lat``, ``lon``, ``aimag_code``, ``aimag``, ``soum``,
``precision`` (``point``, ``district``, ``soum``, ``aimag``, ``none``),
``geocode_status`` (``matched``, ``ambiguous``, ``unmatched``),
``geocode_score`` (0-1), ``geocode_note``, ``bag_khoroo`` (the number or name
of the bag or khoroo the address gives) and ``soum_source`` (``address``,
``official polygon`` or ``nearest centre``: how the
soum was found; empty without a soum).
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pandas as pd

from geo.address import DETAIL_WORDS, MARKERS, UB_WORDS, parse_address, place_key
from geo.admin import AdminIndex
from geo.candidates import Gazetteer, find_spans
from geo.decide import Match, decide, unit_match
from geo.ingest import guess_column

__all__ = [
    "DETAIL_WORDS",
    "GEOCODE_COLUMNS",
    "MARKERS",
    "UB_WORDS",
    "Geocoder",
    "Match",
    "parse_coordinate",
    "place_key",
]

GEOCODE_COLUMNS = [
    "lat",
    "lon",
    "aimag_code",
    "aimag",
    "soum",
    "precision",
    "geocode_status",
    "geocode_score",
    "geocode_note",
    "bag_khoroo",
    "soum_source",
]
_DTYPES = [
    "float64",
    "float64",
    "string",
    "string",
    "string",
    "string",
    "string",
    "float64",
    "string",
    "string",
    "string",
]

#: Where the soum of a row comes from (column ``soum_source``).
SOUM_SOURCES = ("address", "official polygon", "nearest centre")


class Geocoder:
    """Geocode firm tables offline against the embedded gazetteer.

    Parsing an address is :mod:`geo.address`'s job, finding the places it may
    name :mod:`geo.candidates`', and deciding among them :mod:`geo.decide`'s;
    this class runs them once per distinct place key over a table, applies
    manual corrections and coordinates, and writes the output columns.

    Parameters
    ----------
    index : AdminIndex, optional
        The gazetteer and the boundaries; :meth:`AdminIndex.default` when omitted.
    fuzzy_cutoff : float
        Minimum rapidfuzz ratio (0-100) for a misspelt name to match among
        all names of its kind.
    fuzzy_cutoff_within : float
        The same for a soum or district among the units of the aimag that the
        address names (a short list, so a looser cutoff stays safe).
    corrections : dict, optional
        Manual fixes: place key of an address -> unit code, ISO code of an
        aimag, or ``"point:LAT,LON"`` (a point the user clicked), reused for
        every address with the same key (see :class:`geo.workspace.Workspace`,
        which stores them).

    Examples
    --------
    >>> g = Geocoder()
    >>> out = g.geocode(pd.DataFrame({"address": ["Өмнөговь аймаг, Ханбогд сум"]}))
    >>> out.loc[0, ["aimag_code", "soum", "precision", "geocode_status"]].tolist()
    ['MN-053', 'Ханбогд', 'soum', 'matched']
    """

    def __init__(
        self,
        index: AdminIndex | None = None,
        fuzzy_cutoff: float = 85.0,
        fuzzy_cutoff_within: float = 70.0,
        corrections: dict[str, str] | None = None,
    ) -> None:
        self.index = index or AdminIndex.default()
        self.fuzzy_cutoff = fuzzy_cutoff
        self.fuzzy_cutoff_within = fuzzy_cutoff_within
        self.corrections = dict(corrections or {})
        self.gazetteer = Gazetteer(self.index, fuzzy_cutoff, fuzzy_cutoff_within)
        g = self.gazetteer
        self._unit_aimag, self._unit_name, self._unit_code = g.unit_aimag, g.unit_name, g.unit_code
        self._aimag_name, self._aimag_en, self._capital = g.aimag_name, g.aimag_en, g.capital

    def resolve_key(self, key: str) -> Match:
        """Resolve one place key (see :func:`place_key`) to a unit."""
        if key in self.corrections:
            return self._from_correction(self.corrections[key])
        spans, fuzzy_used = find_spans(self.gazetteer, key)
        return decide(spans, fuzzy_used, self.gazetteer)

    def _from_correction(self, code: str) -> Match:
        if str(code).startswith("point:"):
            try:
                lat, lon = (float(x) for x in str(code)[6:].split(","))
            except ValueError:
                return Match("unmatched", "none", None, -1, 0.0, f"correction {code} is unknown")
            where = self.index.locate([lat], [lon])
            aimag, unit_code = where.at[0, "aimag_code"], where.at[0, "unit_code"]
            if not isinstance(aimag, str):
                return Match(
                    "unmatched",
                    "none",
                    None,
                    -1,
                    0.0,
                    f"corrected point {lat:.4f}, {lon:.4f} is outside Mongolia",
                )
            hit = np.flatnonzero(self._unit_code == str(unit_code))
            return Match(
                "matched",
                "point",
                aimag,
                int(hit[0]) if len(hit) else -1,
                1.0,
                "manual correction (point)",
                lat,
                lon,
                soum_source=str(where.at[0, "soum_source"]),
            )
        hit = np.flatnonzero(self._unit_code == str(code))
        if len(hit):
            return unit_match(self.gazetteer, int(hit[0]), 1.0, "manual correction")
        if code in self._aimag_name:
            return Match("matched", "aimag", code, -1, 1.0, "manual correction")
        return Match("unmatched", "none", None, -1, 0.0, f"correction {code} is unknown")

    # -- tables --------------------------------------------------------------
    def geocode(
        self,
        frame: pd.DataFrame,
        address_column: str = "address",
        lat_column: str | None = None,
        lon_column: str | None = None,
        progress: Callable[[float], None] | None = None,
    ) -> pd.DataFrame:
        """Geocode every row of ``frame``; return a copy with the output columns.

        Parameters
        ----------
        frame : pandas.DataFrame
            The input; it is not modified. Rows keep their order and index.
        address_column : str
            Column with the address text (may be missing from ``frame`` when
            coordinates are given).
        lat_column, lon_column : str, optional
            Columns with coordinates (decimal degrees or DMS text). Guessed
            from common names (``gps_lat``, ``lat``, ``latitude``, ``өргөрөг``)
            when omitted.
        progress : callable, optional
            Called with the fraction done (0-1), for progress bars.
        """
        n = len(frame)
        out = frame.copy()
        if n == 0:
            for column, dtype in zip(GEOCODE_COLUMNS, _DTYPES):
                out[column] = pd.Series(dtype=dtype)
            if progress:
                progress(1.0)
            return out
        lat_column = lat_column or _column(frame, "lat")
        lon_column = lon_column or _column(frame, "lon")
        if address_column in frame.columns:
            # parse each distinct text once, then each distinct place key once
            raw = frame[address_column].fillna("").astype(str).to_numpy(dtype=object)
            texts, text_inverse = np.unique(raw.astype(str), return_inverse=True)
            parsed = [parse_address(t) for t in texts]
            keys = np.array([p.key for p in parsed], dtype=object)[text_inverse]
            subdivision = np.array([p.subdivision for p in parsed], dtype=object)[text_inverse]
        else:
            keys = np.array([""] * n, dtype=object)
            subdivision = np.full(n, None, dtype=object)
        codes, inverse = np.unique(keys.astype(str), return_inverse=True)
        results = []
        for j, key in enumerate(codes):
            results.append(
                self.resolve_key(key)
                if key
                else Match("unmatched", "none", None, -1, 0.0, "empty address")
            )
            if progress and j % 500 == 0:
                progress(0.9 * j / max(len(codes), 1))
        res = [results[k] for k in inverse]
        if address_column in frame.columns:
            # an address with text but no place in it is not "empty": say what is true
            no_place = Match(
                "unmatched",
                "none",
                None,
                -1,
                0.0,
                "the address names no place (only a street, number or other detail)",
            )
            for i in np.flatnonzero(
                (keys.astype(str) == "") & (np.char.str_len(np.char.strip(raw.astype(str))) > 0)
            ):
                res[i] = no_place
        status = np.array([r.status for r in res], dtype=object)
        precision = np.array([r.precision for r in res], dtype=object)
        aimag = np.array([r.aimag for r in res], dtype=object)
        unit = np.array([r.unit for r in res])
        score = np.array([r.score for r in res], dtype=float)
        note = np.array([r.note for r in res], dtype=object)
        lat = np.full(n, np.nan)
        lon = np.full(n, np.nan)
        units = self.index.units
        has_unit = (unit >= 0) & (status == "matched")
        lat[has_unit] = units["lat"].to_numpy()[unit[has_unit]]
        lon[has_unit] = units["lon"].to_numpy()[unit[has_unit]]
        aimag_only = (status == "matched") & (precision == "aimag")
        for i in np.flatnonzero(aimag_only):
            lat[i], lon[i] = self._capital[aimag[i]]
        corrected_point = (status == "matched") & (precision == "point")
        for i in np.flatnonzero(corrected_point):
            lat[i], lon[i] = res[i].lat, res[i].lon
        soum = np.full(n, None, dtype=object)
        named = (unit >= 0) & (status == "matched")
        soum[named] = np.asarray(self._unit_name, dtype=object)[unit[named]]
        source = np.array([r.soum_source for r in res], dtype=object)
        source = np.where(soum == None, "", source)  # noqa: E711

        if lat_column and lon_column:
            self._apply_coordinates(
                frame[lat_column],
                frame[lon_column],
                lat,
                lon,
                aimag,
                soum,
                precision,
                status,
                score,
                note,
                source,
            )
        out["lat"] = lat
        out["lon"] = lon
        out["aimag_code"] = pd.array(aimag, dtype="string")
        out["aimag"] = pd.array(
            [self._aimag_name.get(a) if a else None for a in aimag], dtype="string"
        )
        out["soum"] = pd.array(soum, dtype="string")
        out["precision"] = pd.array(precision, dtype="string")
        out["geocode_status"] = pd.array(status, dtype="string")
        out["geocode_score"] = np.round(score, 3)
        out["geocode_note"] = pd.array(note, dtype="string")
        out["bag_khoroo"] = pd.array(subdivision, dtype="string")
        out["soum_source"] = pd.array(source, dtype="string")
        if progress:
            progress(1.0)
        return out

    def relocate(self, frame: pd.DataFrame) -> pd.DataFrame:
        """A geocoded table whose rows placed by a point take their aimag and soum from this
        index's boundaries (a dataset saved before official boundaries were loaded).

        Rows with another precision keep what their address said; a point outside
        every polygon keeps its row as it was. Returns a copy.
        """
        out = frame.copy()
        needed = {"lat", "lon", "precision", "aimag_code", "soum"}
        if not needed <= set(out.columns):
            return out
        point = out["precision"].astype("string").eq("point").fillna(False).to_numpy(bool)
        lat = pd.to_numeric(out["lat"], errors="coerce").to_numpy(float)
        lon = pd.to_numeric(out["lon"], errors="coerce").to_numpy(float)
        todo = np.flatnonzero(point & np.isfinite(lat) & np.isfinite(lon))
        if not len(todo):
            return out
        where = self.index.locate(lat[todo], lon[todo])
        inside = where["aimag_code"].notna().to_numpy()
        rows = out.index[todo[inside]]
        names = dict(zip(self.index.units["unit_code"].astype(str), self.index.units["name_mn"]))
        codes = where["aimag_code"].to_numpy(object)[inside]
        out["aimag_code"] = out["aimag_code"].astype("string")
        out.loc[rows, "aimag_code"] = codes
        if "aimag" in out.columns:
            out["aimag"] = out["aimag"].astype("string")
            out.loc[rows, "aimag"] = [self._aimag_name.get(c) for c in codes]
        out["soum"] = out["soum"].astype("string")
        out.loc[rows, "soum"] = [
            names.get(str(u)) for u in where["unit_code"].to_numpy(object)[inside]
        ]
        out["soum_source"] = (
            out["soum_source"].astype("string")
            if "soum_source" in out
            else pd.Series(pd.NA, index=out.index, dtype="string")
        )
        out.loc[rows, "soum_source"] = where["soum_source"].to_numpy(object)[inside]
        return out

    def _apply_coordinates(
        self,
        lat_in: pd.Series,
        lon_in: pd.Series,
        lat: np.ndarray,
        lon: np.ndarray,
        aimag: np.ndarray,
        soum: np.ndarray,
        precision: np.ndarray,
        status: np.ndarray,
        score: np.ndarray,
        note: np.ndarray,
        source: np.ndarray,
    ) -> None:
        glat, glon = _coordinates(lat_in), _coordinates(lon_in)
        given = np.isfinite(glat) & np.isfinite(glon)
        if not given.any():
            return
        where = np.flatnonzero(given)
        direct = self.index.locate(glat[where], glon[where])
        swapped = self.index.locate(glon[where], glat[where])
        d_code = direct["aimag_code"].to_numpy(dtype=object)
        d_unit = direct["unit_code"].to_numpy(dtype=object)
        d_source = direct["soum_source"].to_numpy(dtype=object)
        s_code = swapped["aimag_code"].to_numpy(dtype=object)
        s_unit = swapped["unit_code"].to_numpy(dtype=object)
        s_source = swapped["soum_source"].to_numpy(dtype=object)
        name_of_unit = dict(
            zip(self.index.units["unit_code"].astype(str), self.index.units["name_mn"])
        )
        for k, i in enumerate(where):
            code, unit_code, how = d_code[k], d_unit[k], d_source[k]
            extra = ""
            la, lo = glat[i], glon[i]
            if not isinstance(code, str):
                if isinstance(s_code[k], str):
                    code, unit_code, how = s_code[k], s_unit[k], s_source[k]
                    la, lo = glon[i], glat[i]
                    extra = "latitude and longitude were swapped; fixed"
                else:
                    msg = f"coordinates {glat[i]:.4f}, {glon[i]:.4f} are outside Mongolia; ignored"
                    note[i] = f"{msg}; {note[i]}" if note[i] else msg
                    continue
            if status[i] == "matched" and aimag[i] and aimag[i] != code:
                extra = (extra + "; " if extra else "") + (
                    f"point lies in {self._aimag_en[code]}, address names "
                    f"{self._aimag_en[aimag[i]]}"
                )
            lat[i], lon[i] = la, lo
            aimag[i] = code
            soum[i] = name_of_unit.get(str(unit_code))
            source[i] = how if soum[i] else ""
            precision[i] = "point"
            status[i] = "matched"
            score[i] = 1.0
            note[i] = extra


def _coordinates(values: pd.Series) -> np.ndarray:
    """Decimal degrees of a column: numbers at once, text through :func:`parse_coordinate`."""
    numbers = np.array(pd.to_numeric(values, errors="coerce"), dtype=float)
    text = values.astype("string").fillna("").str.strip()
    todo = np.flatnonzero(np.isnan(numbers) & text.ne("").to_numpy(dtype=bool))
    for i in todo:
        numbers[i] = parse_coordinate(text.iat[int(i)])
    return numbers


def _column(frame: pd.DataFrame, role: str) -> str | None:
    """The column of ``frame`` for ``role`` (:func:`geo.ingest.guess_column`), if any."""
    column = guess_column(frame.columns, role)
    return None if column is None else str(column)


_DMS_RE = re.compile(
    r"^\s*([NSEWСХЗБ])?\s*(-?\d+(?:[.,]\d+)?)\s*[°º:\s]\s*(?:(\d+(?:[.,]\d+)?)\s*['′:\s]\s*)?"
    r"(?:(\d+(?:[.,]\d+)?)\s*(?:\"|″|''|)\s*)?([NSEWСХЗБ])?\s*$",
    re.IGNORECASE,
)


def parse_coordinate(value: object) -> float:
    """Parse decimal degrees or degrees-minutes-seconds text; NaN when not a coordinate.

    Examples
    --------
    >>> parse_coordinate("47.9186")
    47.9186
    >>> round(parse_coordinate("47°55'07\\"N"), 4)
    47.9186
    >>> parse_coordinate("")
    nan
    """
    if value is None:
        return float("nan")
    if isinstance(value, (int, float, np.integer, np.floating)):
        return float(value)
    text = str(value).strip()
    if not text:
        return float("nan")
    try:
        return float(text.replace(",", "."))
    except ValueError:
        pass
    m = _DMS_RE.match(text)
    if not m:
        return float("nan")
    deg = float(m.group(2).replace(",", "."))
    minutes = float((m.group(3) or "0").replace(",", "."))
    seconds = float((m.group(4) or "0").replace(",", "."))
    if minutes >= 60 or seconds >= 60:
        return float("nan")
    sign = -1 if deg < 0 else 1
    out = sign * (abs(deg) + minutes / 60 + seconds / 3600)
    hemi = (m.group(1) or m.group(5) or "").upper()
    if hemi in ("S", "W", "Б"):
        out = -abs(out)
    return out
