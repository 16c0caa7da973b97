"""Offline geocoding of Mongolian firm addresses, honest about what it knows.

An address such as ``"Өмнөговь аймгийн Ханбогд сум, 2-р баг"``,
``"УБ, ХУД, 3-р хороо"`` or ``"Khanbogd soum, Umnugovi aimag"`` is reduced
to its *place key* (lower case, without numbers and without the words for
bag, khoroo, street, building and door), parsed once per distinct key, and
resolved against the gazetteer of :mod:`geo.admin`:

1. Every run of 1-3 words is looked up as an aimag, soum, district or town
   name, by exact Cyrillic key and by phonetic skeleton (so Latin spellings,
   Russian-keyboard ``о``/``у`` and ``x``/``kh``/``h`` all match). A marker
   after the run (``аймаг``, ``аймгийн``, ``а.``, ``сум``, ``с.``,
   ``дүүрэг``, ``д.``, ``хот``, ``aimag``, ``soum``, ``district``) limits
   the run to that kind of unit.
2. Runs that match nothing but stand before a marker are fuzzy-matched
   (rapidfuzz) against the names of that kind.
3. A soum is accepted when exactly one candidate fits the aimag named in the
   text; a soum name shared by several aimags with no aimag in the text is
   ``ambiguous`` (the note lists the candidates); a soum that contradicts
   its aimag is ``ambiguous`` with both in the note; an aimag alone gives
   ``precision='aimag'``; nothing gives ``unmatched``.

Coordinates in the input win when they are valid: inside Mongolia, or
inside once latitude and longitude are swapped (fixed, with a note); others
are rejected with a note and the address is used instead.

Output columns: ``lat``, ``lon``, ``aimag_code``, ``aimag``, ``soum``,
``precision`` (``point``, ``district``, ``soum``, ``aimag``, ``none``),
``geocode_status`` (``matched``, ``ambiguous``, ``unmatched``),
``geocode_score`` (0-1) and ``geocode_note``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from geo.admin import AdminIndex
from geo.text import cyrillic_key, has_cyrillic, latin_skeleton

__all__ = ["GEOCODE_COLUMNS", "Geocoder", "parse_coordinate", "place_key"]

GEOCODE_COLUMNS = ["lat", "lon", "aimag_code", "aimag", "soum", "precision",
                   "geocode_status", "geocode_score", "geocode_note"]

#: Words that say what kind of unit the preceding name is.
MARKERS: dict[str, str] = {
    "аймаг": "aimag", "аймгийн": "aimag", "а": "aimag", "aimag": "aimag", "aimak": "aimag",
    "province": "aimag", "аймагийн": "aimag", "aimgiin": "aimag",
    "сум": "soum", "сумын": "soum", "с": "soum", "soum": "soum", "sum": "soum", "sumu": "soum",
    "somon": "soum",
    "дүүрэг": "district", "дүүргийн": "district", "д": "district", "district": "district",
    "duureg": "district", "дуурэг": "district", "дуургийн": "district",
    "хот": "city", "хотын": "city", "city": "city", "khot": "city", "hot": "city",
}
#: Words that carry no place (dropped from the place key).
DETAIL_WORDS = {
    "баг", "багийн", "хороо", "хорооны", "хороолол", "гудамж", "гудамжны", "байр", "байрны",
    "тоот", "корпус", "орц", "давхар", "р", "рт", "ийн", "зам", "тойруу",
    "bag", "khoroo", "horoo", "building", "bair", "toot", "street", "st", "apt", "door",
    "х", "хх", "ш", "ба", "bldg", "r", "th", "no",
}
UB_WORDS = {"уб", "ub", "нийслэл", "ulanbator", "ulaanbaatar", "улаанбаатар", "улан-батор"}

_SPLIT_RE = re.compile(r"[\s,;:/\\()\[\]\"'«»]+")
_NUM_TOKEN_RE = re.compile(r"^\d+(?:-?[a-zа-яөү]{0,3})$|^\d+$")
_POSTAL_RE = re.compile(r"(?<!\d)(\d{5})(?!\d)")
#: Street names: "<name> гудамж", "<name> өргөн чөлөө", "<name> street".
_STREET_RE = re.compile(r"[^\s,;]+\s+(?:өргөн\s+чөлөө\w*|гудамж\w*|street|st\.|avenue|ave\.)")


def place_key(address: object) -> str:
    """Reduce an address to the words that can name a place.

    Lower case; numbers, ordinals (``3-р``, ``3х``) and detail words (bag,
    khoroo, street, building, door) removed; a 5-digit postal code kept as
    ``#NNNNN``. Addresses that differ only in those details share a key, so
    that a registry is parsed once per place, not once per row.
    """
    if address is None or (isinstance(address, float) and np.isnan(address)):
        return ""
    text = str(address).lower().replace("ё", "е")
    postal = _POSTAL_RE.findall(text)
    text = _STREET_RE.sub(" ", text)
    text = text.replace(".", " . ")
    tokens = []
    for raw in _SPLIT_RE.split(text):
        tok = raw.strip("-.")
        if raw == ".":
            continue
        if not tok or _NUM_TOKEN_RE.match(tok) or any(c.isdigit() for c in tok):
            continue
        if tok in DETAIL_WORDS:
            continue
        tokens.append(tok)
    if postal:
        tokens.append("#" + postal[0])
    return " ".join(tokens)


@dataclass(frozen=True)
class _Entry:
    kind: str         # aimag, soum, district, town
    aimag: str        # ISO code
    unit: int         # row of the gazetteer, -1 for an aimag


@dataclass
class _Result:
    status: str
    precision: str
    aimag: str | None
    unit: int
    score: float
    note: str
    lat: float = float("nan")     # only for a corrected point
    lon: float = float("nan")


class Geocoder:
    """Geocode firm tables offline against the embedded gazetteer.

    Parameters
    ----------
    index : AdminIndex, optional
        The gazetteer; :meth:`AdminIndex.default` when omitted.
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

    def __init__(self, index: AdminIndex | None = None, fuzzy_cutoff: float = 85.0,
                 fuzzy_cutoff_within: float = 70.0, corrections: dict[str, str] | None = None) -> None:
        self.index = index or AdminIndex.default()
        self.fuzzy_cutoff = fuzzy_cutoff
        self.fuzzy_cutoff_within = fuzzy_cutoff_within
        self.corrections = dict(corrections or {})
        units = self.index.units
        self._unit_aimag = units["aimag_code"].to_numpy()
        self._unit_kind = units["kind"].to_numpy()
        self._unit_name = units["name_mn"].to_numpy()
        self._unit_code = units["unit_code"].to_numpy()
        aimags = self.index.aimags.set_index("iso_3166_2")
        self._aimag_name = aimags["name_mn"].to_dict()
        self._aimag_en = aimags["name_en"].to_dict()
        self._capital = {c: (r.capital_lat, r.capital_lon) for c, r in aimags.iterrows()}
        self._nso_to_iso = dict(zip(aimags["nso_code"], aimags.index))
        self._entries: dict[str, set[_Entry]] = defaultdict(set)
        for name, kind, aimag_code, row in self.index.spellings():
            # "Сүхбаатар дүүрэг" is indexed as "Сүхбаатар": the word is a role, not a name
            if kind == "aimag" or not name.endswith(" дүүрэг"):
                self._add(name, _Entry(kind, aimag_code, row))
        for town, (code, soum) in self.index.towns().items():
            hit = units[(units["aimag_code"] == code) & (units["name_mn"] == soum)]
            if len(hit):
                self._add(town, _Entry("town", code, int(hit.index[0])))
        self._postal = {}
        for i, p in enumerate(units["postal_code"]):
            if p:
                self._postal[str(p)] = i
        # fuzzy choices per kind: skeleton -> entries
        self._fuzzy: dict[str, dict[str, set[_Entry]]] = defaultdict(lambda: defaultdict(set))
        for key, entries in self._entries.items():
            if key.startswith("s:"):
                for e in entries:
                    self._fuzzy[e.kind][key[2:]].add(e)

    def _add(self, name: str, entry: _Entry) -> None:
        if not name:
            return
        ck = cyrillic_key(name)
        sk = latin_skeleton(name)
        if ck:
            self._entries["c:" + ck].add(entry)
        if sk and len(sk) >= 3:
            self._entries["s:" + sk].add(entry)

    # -- parsing -------------------------------------------------------------
    def _lookup(self, text: str) -> set[_Entry]:
        # exact Cyrillic first (a correctly typed name is not confused with a
        # name that only shares its skeleton); Latin text by skeleton alone
        if has_cyrillic(text):
            hits = self._entries.get("c:" + cyrillic_key(text), set())
            if hits:
                return hits
        return self._entries.get("s:" + latin_skeleton(text), set())

    def resolve_key(self, key: str) -> _Result:
        """Resolve one place key (see :func:`place_key`) to a unit."""
        if key in self.corrections:
            return self._from_correction(self.corrections[key])
        tokens = key.split()
        postal = [t[1:] for t in tokens if t.startswith("#")]
        tokens = [t for t in tokens if not t.startswith("#")]
        ub = any(t in UB_WORDS for t in tokens)
        roles = {"aimag": {"aimag"}, "soum": {"soum"}, "district": {"district"},
                 "city": {"town"}}
        spans: list[tuple[int, set[_Entry], float]] = []   # (span id, entries, score)
        used = [False] * len(tokens)
        markers = [MARKERS.get(t) for t in tokens]
        fuzzy_used = False
        pending: list[tuple[int, str, str]] = []
        for length in (3, 2, 1):
            for i in range(len(tokens) - length + 1):
                if any(used[i:i + length]) or any(markers[i:i + length]):
                    continue
                if any(t in UB_WORDS for t in tokens[i:i + length]) and length > 1:
                    continue
                text = " ".join(tokens[i:i + length])
                hits = self._lookup(text)
                marker = markers[i + length] if i + length < len(tokens) else None
                if hits and marker:
                    hits = {h for h in hits if h.kind in roles[marker]}
                score = 1.0
                if not hits and marker and length == 1 and len(text) >= 3 \
                        and text not in UB_WORDS:
                    pending.append((i, text, marker))
                    continue
                if hits:
                    spans.append((i, hits, score))
                    for j in range(i, i + length):
                        used[j] = True
        # misspelt names before a marker: aimags first, then units within them
        for i, text, marker in sorted(pending, key=lambda p: p[2] != "aimag"):
            if used[i]:
                continue
            found = {e.aimag for _, ents, _ in spans for e in ents if e.kind == "aimag"}
            if ub:
                found.add("MN-1")
            hits, score = self._fuzzy_lookup(text, roles[marker], found)
            if hits:
                spans.append((i, hits, score))
                used[i] = True
                fuzzy_used = True
        if not spans:  # unmarked misspellings: try each long word
            for i, tok in enumerate(tokens):
                if used[i] or markers[i] or len(tok) < 5 or tok in UB_WORDS:
                    continue
                hits, score = self._fuzzy_lookup(tok, {"aimag", "soum", "district", "town"},
                                                 strict=True)
                if hits:
                    spans.append((i, hits, score))
                    fuzzy_used = True
        if postal and postal[0] in self._postal:
            u = self._postal[postal[0]]
            spans.append((-1, {_Entry("aimag", self._unit_aimag[u], -1)}, 0.9))
            spans.append((-3, {_Entry(self._unit_kind[u], self._unit_aimag[u], u)}, 0.9))
        elif postal and postal[0][:2] in self._nso_to_iso:
            spans.append((-1, {_Entry("aimag", self._nso_to_iso[postal[0][:2]], -1)}, 0.8))
        if ub:
            spans.append((-2, {_Entry("aimag", "MN-1", -1)}, 1.0))
        return self._decide(spans, fuzzy_used)

    def _fuzzy_lookup(self, text: str, kinds: set[str], within: set[str] | None = None,
                      strict: bool = False) -> tuple[set[_Entry], float]:
        """Best fuzzy match among names of ``kinds``; among the units of the
        aimags ``within`` (a short list, so a lower cutoff is safe) when given."""
        sk = latin_skeleton(text)
        best: tuple[float, set[_Entry]] = (0.0, set())
        for kind in kinds:
            choices = self._fuzzy.get(kind)
            if not choices:
                continue
            # 22 aimags with distinct names: a looser cutoff stays safe
            cutoff = (self.fuzzy_cutoff_within if kind == "aimag" and not strict
                      else self.fuzzy_cutoff)
            if within and kind != "aimag":
                choices = {k: {e for e in v if e.aimag in within} for k, v in choices.items()}
                choices = {k: v for k, v in choices.items() if v}
                cutoff = self.fuzzy_cutoff_within
            if not choices:
                continue
            hit = process.extractOne(sk, list(choices), scorer=fuzz.ratio,
                                     score_cutoff=cutoff)
            if hit and hit[1] > best[0]:
                best = (hit[1], set(choices[hit[0]]))
            elif hit and hit[1] == best[0]:
                best = (best[0], best[1] | set(choices[hit[0]]))
        return best[1], best[0] / 100.0

    def _decide(self, spans, fuzzy_used: bool) -> _Result:
        if not spans:
            return _Result("unmatched", "none", None, -1, 0.0, "no place in Mongolia named")
        aimag_spans = {sid: {e.aimag for e in ents if e.kind == "aimag"} for sid, ents, _ in spans}
        unit_spans = {sid: {e.unit for e in ents if e.kind != "aimag"} for sid, ents, _ in spans}
        scores = {sid: s for sid, _, s in spans}
        all_aimags = set().union(*aimag_spans.values())
        # pairs: an aimag from one span, a unit inside it from another
        pairs = set()
        for sa, aims in aimag_spans.items():
            for su, us in unit_spans.items():
                if sa == su:
                    continue
                for u in us:
                    if self._unit_aimag[u] in aims:
                        pairs.add(u)
        score = min(scores.values())
        if fuzzy_used:
            score = min(score, 0.95)
        if len(pairs) == 1:
            u = pairs.pop()
            return self._unit_result(u, score, "")
        if len(pairs) > 1:
            names = self._describe(pairs)
            return _Result("ambiguous", "aimag" if len({self._unit_aimag[u] for u in pairs}) == 1
                           else "none",
                           self._unit_aimag[next(iter(pairs))]
                           if len({self._unit_aimag[u] for u in pairs}) == 1 else None,
                           -1, score, f"several units fit: {names}")
        # units from spans that are not also aimag names
        pure_units = set()
        for sid, us in unit_spans.items():
            if us and not aimag_spans[sid]:
                pure_units |= us
        if pure_units:
            if all_aimags:
                names = self._describe(pure_units)
                aimag_names = ", ".join(self._aimag_en[a] for a in sorted(all_aimags))
                return _Result("ambiguous", "aimag" if len(all_aimags) == 1 else "none",
                               next(iter(all_aimags)) if len(all_aimags) == 1 else None, -1,
                               score, f"{names} is not in {aimag_names}")
            if len(pure_units) == 1:
                return self._unit_result(pure_units.pop(), score, "")
            by_aimag = {self._unit_aimag[u] for u in pure_units}
            names = self._describe(pure_units)
            if len(by_aimag) == 1:
                return _Result("ambiguous", "aimag", by_aimag.pop(), -1, score,
                               f"several units fit: {names}")
            first = self._unit_name[next(iter(pure_units))]
            places = ", ".join(sorted(self._aimag_en[a] for a in by_aimag))
            return _Result("ambiguous", "none", None, -1, score,
                           f"soum name {first} exists in {places}: {names}")
        if len(all_aimags) == 1:
            code = all_aimags.pop()
            return _Result("matched", "aimag", code, -1, score, "aimag only")
        if all_aimags:
            return _Result("ambiguous", "none", None, -1, score, "several aimags named: "
                           + ", ".join(sorted(self._aimag_en[a] for a in all_aimags)))
        units = set().union(*unit_spans.values())
        if len(units) == 1:
            return self._unit_result(units.pop(), score, "")
        return _Result("ambiguous", "none", None, -1, score,
                       f"several units fit: {self._describe(units)}")

    def _describe(self, units) -> str:
        return "; ".join(sorted(f"{self._unit_name[u]} ({self._aimag_en[self._unit_aimag[u]]})"
                                for u in units))

    def _unit_result(self, u: int, score: float, note: str) -> _Result:
        precision = "district" if self._unit_kind[u] == "district" else "soum"
        return _Result("matched", precision, self._unit_aimag[u], u, score,
                       note or ("fuzzy match" if score < 1 else ""))

    def _from_correction(self, code: str) -> _Result:
        if str(code).startswith("point:"):
            try:
                lat, lon = (float(x) for x in str(code)[6:].split(","))
            except ValueError:
                return _Result("unmatched", "none", None, -1, 0.0, f"correction {code} is unknown")
            where = self.index.locate([lat], [lon])
            aimag, unit_code = where.at[0, "aimag_code"], where.at[0, "unit_code"]
            if not isinstance(aimag, str):
                return _Result("unmatched", "none", None, -1, 0.0,
                               f"corrected point {lat:.4f}, {lon:.4f} is outside Mongolia")
            hit = np.flatnonzero(self._unit_code == str(unit_code))
            return _Result("matched", "point", aimag, int(hit[0]) if len(hit) else -1, 1.0,
                           "manual correction (point)", lat, lon)
        hit = np.flatnonzero(self._unit_code == str(code))
        if len(hit):
            return self._unit_result(int(hit[0]), 1.0, "manual correction")
        if code in self._aimag_name:
            return _Result("matched", "aimag", code, -1, 1.0, "manual correction")
        return _Result("unmatched", "none", None, -1, 0.0, f"correction {code} is unknown")

    # -- tables --------------------------------------------------------------
    def geocode(self, frame: pd.DataFrame, address_column: str = "address",
                lat_column: str | None = None, lon_column: str | None = None,
                progress: Callable[[float], None] | None = None) -> pd.DataFrame:
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
            for column, dtype in zip(GEOCODE_COLUMNS, ["float64", "float64", "string", "string",
                                                       "string", "string", "string", "float64",
                                                       "string"]):
                out[column] = pd.Series(dtype=dtype)
            if progress:
                progress(1.0)
            return out
        lat_column = lat_column or _guess(frame, ("gps_lat", "lat", "latitude", "y", "өргөрөг"))
        lon_column = lon_column or _guess(frame, ("gps_lon", "lon", "lng", "longitude", "x",
                                                  "уртраг"))
        if address_column in frame.columns:
            # parse each distinct text once, then each distinct place key once
            raw = frame[address_column].fillna("").astype(str).to_numpy(dtype=object)
            texts, text_inverse = np.unique(raw.astype(str), return_inverse=True)
            keys = np.array([place_key(t) for t in texts], dtype=object)[text_inverse]
        else:
            keys = np.array([""] * n, dtype=object)
        codes, inverse = np.unique(keys.astype(str), return_inverse=True)
        results = []
        for j, key in enumerate(codes):
            results.append(self.resolve_key(key) if key else
                           _Result("unmatched", "none", None, -1, 0.0, "empty address"))
            if progress and j % 500 == 0:
                progress(0.9 * j / max(len(codes), 1))
        res = [results[k] for k in inverse]
        if address_column in frame.columns:
            # an address with text but no place in it is not "empty": say what is true
            no_place = _Result("unmatched", "none", None, -1, 0.0,
                               "the address names no place (only a street, number or other "
                               "detail)")
            for i in np.flatnonzero((keys.astype(str) == "") & (np.char.str_len(
                    np.char.strip(raw.astype(str))) > 0)):
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
        soum = np.where(unit >= 0, self._unit_name[np.maximum(unit, 0)], None)
        soum = np.where(status == "matched", soum, None)

        if lat_column and lon_column:
            self._apply_coordinates(frame[lat_column], frame[lon_column], lat, lon, aimag, soum,
                                    precision, status, score, note)
        out["lat"] = lat
        out["lon"] = lon
        out["aimag_code"] = pd.array(aimag, dtype="string")
        out["aimag"] = pd.array([self._aimag_name.get(a) if a else None for a in aimag],
                                dtype="string")
        out["soum"] = pd.array(soum, dtype="string")
        out["precision"] = pd.array(precision, dtype="string")
        out["geocode_status"] = pd.array(status, dtype="string")
        out["geocode_score"] = np.round(score, 3)
        out["geocode_note"] = pd.array(note, dtype="string")
        if progress:
            progress(1.0)
        return out

    def _apply_coordinates(self, lat_in, lon_in, lat, lon, aimag, soum, precision, status,
                           score, note) -> None:
        glat, glon = _coordinates(lat_in), _coordinates(lon_in)
        given = np.isfinite(glat) & np.isfinite(glon)
        if not given.any():
            return
        where = np.flatnonzero(given)
        direct = self.index.locate(glat[where], glon[where])
        swapped = self.index.locate(glon[where], glat[where])
        d_code = direct["aimag_code"].to_numpy(dtype=object)
        d_unit = direct["unit_code"].to_numpy(dtype=object)
        s_code = swapped["aimag_code"].to_numpy(dtype=object)
        s_unit = swapped["unit_code"].to_numpy(dtype=object)
        name_of_unit = dict(zip(self.index.units["unit_code"].astype(str),
                                self.index.units["name_mn"]))
        for k, i in enumerate(where):
            code, unit_code = d_code[k], d_unit[k]
            extra = ""
            la, lo = glat[i], glon[i]
            if not isinstance(code, str):
                if isinstance(s_code[k], str):
                    code, unit_code = s_code[k], s_unit[k]
                    la, lo = glon[i], glat[i]
                    extra = "latitude and longitude were swapped; fixed"
                else:
                    msg = f"coordinates {glat[i]:.4f}, {glon[i]:.4f} are outside Mongolia; ignored"
                    note[i] = f"{msg}; {note[i]}" if note[i] else msg
                    continue
            if status[i] == "matched" and aimag[i] and aimag[i] != code:
                extra = (extra + "; " if extra else "") + (
                    f"point lies in {self._aimag_en[code]}, address names "
                    f"{self._aimag_en[aimag[i]]}")
            lat[i], lon[i] = la, lo
            aimag[i] = code
            soum[i] = name_of_unit.get(str(unit_code))
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
        numbers[i] = parse_coordinate(text.iat[i])
    return numbers


def _guess(frame: pd.DataFrame, names: tuple[str, ...]) -> str | None:
    lower = {str(c).lower().strip(): c for c in frame.columns}
    for name in names:
        if name in lower:
            return lower[name]
    return None


_DMS_RE = re.compile(
    r"^\s*([NSEWСХЗБ])?\s*(-?\d+(?:[.,]\d+)?)\s*[°º:\s]\s*(?:(\d+(?:[.,]\d+)?)\s*['′:\s]\s*)?"
    r"(?:(\d+(?:[.,]\d+)?)\s*(?:\"|″|''|)\s*)?([NSEWСХЗБ])?\s*$", re.IGNORECASE)


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
