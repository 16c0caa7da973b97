"""Find a place or a firm by name: the search box of the map.

:func:`find_places` answers a typed text with the aimags, soums, districts and
firms it may mean, best first. It matches as the geocoder does
(:mod:`geo.text`): the Cyrillic key (case, hyphens and ``ё`` folded) and the
phonetic skeleton (``Ulaanbaatar``, ``Ulanbator`` and ``Улаанбаатар`` compare
equal), so a name typed in either script and in any common romanisation is
found; a typo is forgiven by a fuzzy score on the skeleton (rapidfuzz). Each
:class:`Place` says where to look (a centre and a zoom that shows it whole) and
which aimag to select.

Examples
--------
>>> from geo.admin import AdminIndex
>>> places = PlaceIndex(AdminIndex.default())
>>> [p.name_en for p in places.find("Өвөрхангай")[:1]]
['Övörkhangai']
>>> [p.kind for p in places.find("Khan Uul")[:1]]
['district']
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from geo.admin import AdminIndex
from geo.text import cyrillic_key, latin_skeleton, transliterate

__all__ = ["Place", "PlaceIndex", "zoom_for_bounds"]

#: The zoom at which a place of each kind is shown when it has no extent of its own.
KIND_ZOOM = {"soum": 10.0, "district": 12.0, "firm": 15.0}
#: Scores: an exact name, a name that starts with the text, then fuzzy (0-100).
EXACT, PREFIX = 100.0, 95.0
#: The smallest fuzzy score a suggestion needs.
FUZZY_CUTOFF = 75.0
#: Kinds in the order they are preferred when scores tie.
KIND_ORDER = {"aimag": 0, "district": 1, "soum": 2, "firm": 3}


@dataclass(frozen=True)
class Place:
    """One answer of a search.

    Attributes
    ----------
    kind : str
        ``"aimag"``, ``"soum"``, ``"district"`` or ``"firm"``.
    name_mn, name_en : str
        Its name in Mongolian and in English (a firm's name as registered, twice).
    aimag : str
        ISO 3166-2 code of the aimag it lies in (the one to select).
    lat, lon, zoom : float
        Where to look: the centre and a zoom that shows it whole.
    score : float
        How well the text matched, 0-100.
    row : int
        Row of the unit in the gazetteer, or of the firm in the firms; -1 for an aimag.
    """

    kind: str
    name_mn: str
    name_en: str
    aimag: str
    lat: float
    lon: float
    zoom: float
    score: float
    row: int = -1

    def name(self, lang: str) -> str:
        """Its name in ``lang`` (``"mn"`` or ``"en"``)."""
        return self.name_mn if lang == "mn" else self.name_en


def zoom_for_bounds(
    west: float,
    south: float,
    east: float,
    north: float,
    *,
    width: int = 800,
    height: int = 560,
    largest: float = 14.0,
) -> float:
    """The largest Web Mercator zoom (quarter steps) showing the box in ``width`` x ``height`` px.

    Examples
    --------
    >>> zoom_for_bounds(87.7, 41.6, 119.9, 52.1)  # Mongolia on an 800 px map
    5.0
    """

    def y(lat: float) -> float:
        lat = max(min(lat, 85.0), -85.0)
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    dx = max(east - west, 1e-6) / 360.0
    dy = max(y(north) - y(south), 1e-6) / (2 * math.pi)
    zoom = min(math.log2(width / 256.0 / dx), math.log2(height / 256.0 / dy), largest)
    return math.floor(zoom * 4) / 4


class PlaceIndex:
    """The names of the gazetteer (and optionally of firms), ready to search.

    Parameters
    ----------
    index : AdminIndex
        The aimags and the soum and district gazetteer.
    firms : pandas.DataFrame, optional
        Firms with ``name``, ``lat``, ``lon`` and ``aimag_code``; only located firms are
        searched (a firm without coordinates has nowhere to be shown).
    """

    def __init__(self, index: AdminIndex, firms: pd.DataFrame | None = None) -> None:
        aimags = index.aimags.set_index("iso_3166_2")
        self._aimags = aimags
        self._units = index.units
        self._aimag_zoom = {
            code: zoom_for_bounds(*geom.bounds) for code, geom in aimags.geometry.items()
        }
        # (aimag code or "", unit row or -1, the town a unit is known by or "")
        entries: list[tuple[str, int, str]] = []
        keys: list[str] = []
        skeletons: list[str] = []
        seen: set[tuple[str, int, str]] = set()
        for name, kind, code, row in index.spellings():
            key = cyrillic_key(name)
            if (code, row, key) in seen:
                continue
            seen.add((code, row, key))
            entries.append((code, row, "") if kind == "aimag" else ("", row, ""))
            keys.append(key)
            skeletons.append(latin_skeleton(name))
        # towns that people name instead of their soum (Erdenet, Zuunkharaa)
        units = index.units
        for town, (code, soum) in index.towns().items():
            hit = np.flatnonzero(
                (units["aimag_code"] == code).to_numpy() & (units["name_mn"] == soum).to_numpy()
            )
            if len(hit) and cyrillic_key(town) != cyrillic_key(soum):
                entries.append(("", int(hit[0]), town))
                keys.append(cyrillic_key(town))
                skeletons.append(latin_skeleton(town))
        self._entries = entries
        self._keys = keys
        self._skeletons = skeletons
        self._firms: pd.DataFrame | None = None
        self._firm_keys: list[str] = []
        self._firm_skeletons: list[str] = []
        if firms is not None and "name" in firms.columns and len(firms):
            located = firms[firms["lat"].notna() & firms["lon"].notna()]
            names = located["name"].astype("string").fillna("")
            self._firms = located
            self._firm_keys = [cyrillic_key(str(n)) for n in names]
            self._firm_skeletons = [latin_skeleton(str(n)) for n in names]

    def _place(self, entry: tuple[str, int, str], score: float) -> Place:
        code, row, town = entry
        if row < 0:
            a = self._aimags.loc[code]
            centre = a.geometry.representative_point()
            return Place(
                "aimag",
                str(a["name_mn"]),
                str(a["name_en"]),
                code,
                float(centre.y),
                float(centre.x),
                self._aimag_zoom[code],
                score,
            )
        u = self._units.iloc[row]
        kind = str(u["kind"])
        name_mn, name_en = str(u["name_mn"]), str(u["name_en"])
        if town:
            name_mn, name_en = f"{town} ({name_mn})", f"{transliterate(town)} ({name_en})"
        return Place(
            kind,
            name_mn,
            name_en,
            str(u["aimag_code"]),
            float(u["lat"]),
            float(u["lon"]),
            KIND_ZOOM.get(kind, 10.0),
            score,
            row,
        )

    @staticmethod
    def _scores(
        text_key: str, text_skeleton: str, keys: list[str], skeletons: list[str]
    ) -> dict[int, float]:
        """Index -> score of the names that match (exact, prefix, fuzzy)."""
        scores: dict[int, float] = {}
        for i, (key, skeleton) in enumerate(zip(keys, skeletons)):
            if key == text_key or (skeleton and skeleton == text_skeleton):
                scores[i] = EXACT
            elif (len(text_key) >= 2 and key.startswith(text_key)) or (
                len(text_skeleton) >= 3 and skeleton.startswith(text_skeleton)
            ):
                scores[i] = PREFIX - min(len(key) - len(text_key), 20) / 10
        if len(text_skeleton) >= 3:
            for _, score, i in process.extract(
                text_skeleton, skeletons, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=50
            ):
                scores[i] = max(scores.get(i, 0.0), min(float(score), PREFIX - 5))
        return scores

    def find(self, text: str, limit: int = 8) -> list[Place]:
        """The places and firms ``text`` may name, best first (at most ``limit``).

        Parameters
        ----------
        text : str
            A name or the start of one, in Cyrillic or Latin script.
        limit : int
            How many answers at most.

        Returns
        -------
        list of Place
            Aimags, soums and districts first when scores tie, then firms; one
            answer per place (the best-matching spelling).
        """
        text = (text or "").strip()
        text_key, text_skeleton = cyrillic_key(text), latin_skeleton(text)
        if not text_key and not text_skeleton:
            return []
        # one answer per place: its best-matching spelling (a town's name, when it was that)
        best: dict[tuple[str, int], tuple[float, tuple[str, int, str]]] = {}
        for i, score in self._scores(text_key, text_skeleton, self._keys, self._skeletons).items():
            entry = self._entries[i]
            place = entry[:2]
            if place not in best or score > best[place][0]:
                best[place] = (score, entry)
        places = [self._place(entry, score) for score, entry in best.values()]
        if self._firms is not None:
            firm_scores = self._firm_matches(text_key, text_skeleton, limit)
            firms = self._firms
            for i, score in firm_scores.items():
                f = firms.iloc[i]
                name = str(f["name"])
                places.append(
                    Place(
                        "firm",
                        name,
                        name,
                        str(f.get("aimag_code", "") or ""),
                        float(f["lat"]),
                        float(f["lon"]),
                        KIND_ZOOM["firm"],
                        score,
                        int(i),
                    )
                )
        places.sort(key=lambda p: (-p.score, KIND_ORDER.get(p.kind, 9), p.name_en))
        return places[:limit]

    def _firm_matches(self, text_key: str, text_skeleton: str, limit: int) -> dict[int, float]:
        """Firm row -> score: names containing the text, then fuzzy on the skeleton."""
        scores: dict[int, float] = {}
        if len(text_key) >= 2:
            keys = pd.Series(self._firm_keys, dtype="string")
            hits = np.flatnonzero(
                keys.str.contains(text_key, regex=False).fillna(False).to_numpy(dtype=bool)
            )
            for i in hits[: limit * 4]:
                exact = self._firm_keys[i] == text_key
                scores[int(i)] = EXACT if exact else PREFIX - 10
        if len(text_skeleton) >= 4 and len(scores) < limit:
            for _, score, i in process.extract(
                text_skeleton,
                self._firm_skeletons,
                scorer=fuzz.partial_ratio,
                score_cutoff=90,
                limit=limit,
            ):
                scores.setdefault(int(i), min(float(score), PREFIX - 15))
        return scores
