"""Finding the places a parsed address may name: the candidates the geocoder decides among.

A place key (:func:`geo.address.place_key`) is a list of words. Every run of
1-3 words is looked up among the spellings of the gazetteer
(:meth:`geo.admin.AdminIndex.spellings`: aimags, soums, districts, towns), by
exact Cyrillic key and by phonetic skeleton (:mod:`geo.text`). A run found
becomes a :class:`Span`: the entries it may mean, a score, and whether the
address *says* what it is (a marker after it, ``аймаг``, ``сум``,
``дүүрэг``, ``хот``; or a district abbreviation such as ``БЗД``, which can
mean nothing else). The decision among the spans is :mod:`geo.decide`'s.

Lookups, in order:

1. exact, per run of 3, 2, then 1 words; a marker after the run keeps only
   entries of that kind; several entries sharing a skeleton but not a
   spelling keep the closest spelling (``Tsagaannuur`` is Цагаан нуур, not
   Цагаан-Үүр);
2. a word with a case ending (``Дорноговийн``, ``Хан-Уулын``) as its stem;
3. runs before a marker that matched nothing: fuzzy among the names of that
   kind (rapidfuzz), within the aimags already found when there are any;
4. other long words: fuzzy within the aimags found, or among all names when
   nothing was found;
5. a postal code: the unit whose code it starts with (``17011`` -> Хан-Уул),
   else the aimag of its first two digits.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from geo.address import CASE_ENDINGS, MARKERS, UB_WORDS
from geo.admin import AdminIndex
from geo.text import cyrillic_key, has_cyrillic, latin_skeleton, transliterate

__all__ = ["Entry", "Gazetteer", "Span", "find_spans"]

#: What a marker admits.
ROLES = {"aimag": {"aimag"}, "soum": {"soum"}, "district": {"district"}, "city": {"town"}}
#: Span ids of the spans that do not come from a run of words.
POSTAL_AIMAG, UB_SPAN, POSTAL_UNIT = -1, -2, -3


@dataclass(frozen=True)
class Entry:
    """One meaning of a name: an aimag, or a unit of the gazetteer (soum, district, town)."""

    kind: str  # aimag, soum, district, town
    aimag: str  # ISO code
    unit: int  # row of the gazetteer, -1 for an aimag


@dataclass(frozen=True)
class Span:
    """A run of words of the address and the entries it may mean.

    Attributes
    ----------
    id : int
        Position of the run's first word (negative for the postal code and
        the capital's words, see the module's constants).
    entries : frozenset of Entry
    score : float
        1 for an exact match, the fuzzy ratio (0-1) otherwise.
    marked : bool
        The address says what the run is: a marker follows it, it is a
        district abbreviation, or it is a word for the capital.
    """

    id: int
    entries: frozenset[Entry]
    score: float = 1.0
    marked: bool = False


class Gazetteer:
    """The spellings of every place, indexed for exact, skeleton and fuzzy lookups.

    Parameters
    ----------
    index : AdminIndex
    fuzzy_cutoff, fuzzy_cutoff_within : float
        See :class:`geo.geocode.Geocoder`.
    """

    def __init__(
        self, index: AdminIndex, fuzzy_cutoff: float = 85.0, fuzzy_cutoff_within: float = 70.0
    ) -> None:
        self.index = index
        self.fuzzy_cutoff = fuzzy_cutoff
        self.fuzzy_cutoff_within = fuzzy_cutoff_within
        units = index.units
        self.unit_aimag = units["aimag_code"].to_numpy()
        self.unit_kind = units["kind"].to_numpy()
        self.unit_name = units["name_mn"].to_numpy()
        self.unit_code = units["unit_code"].to_numpy()
        aimags = index.aimags.set_index("iso_3166_2")
        self.aimag_name = aimags["name_mn"].to_dict()
        self.aimag_en = aimags["name_en"].to_dict()
        self.capital = {c: (r.capital_lat, r.capital_lon) for c, r in aimags.iterrows()}
        self.nso_to_iso = dict(zip(aimags["nso_code"], aimags.index))
        self._entries: dict[str, set[Entry]] = defaultdict(set)
        self._spellings: dict[Entry, set[str]] = defaultdict(set)
        self._abbreviations: set[str] = set()
        for name, kind, aimag_code, row in index.spellings():
            # "Сүхбаатар дүүрэг" is indexed as "Сүхбаатар": the word is a role, not a name
            if kind == "aimag" or not name.endswith(" дүүрэг"):
                self._add(name, Entry(kind, aimag_code, row))
                if (
                    kind == "district"
                    and 2 <= len(name) <= 4
                    and name[0].isupper()
                    and sum(c.isupper() for c in name) >= 2
                ):
                    for key in _abbreviation_keys(name):
                        self._abbreviations.add(key)
                        self._entries["a:" + key].add(Entry(kind, aimag_code, row))
        for town, (code, soum) in index.towns().items():
            hit = units[(units["aimag_code"] == code) & (units["name_mn"] == soum)]
            if len(hit):
                self._add(town, Entry("town", code, int(hit.index[0])))
        # postal codes without their trailing zeros: 17000 -> "17", 46080 -> "4608"
        self._postal: dict[str, int] = {}
        for i, p in enumerate(units["postal_code"]):
            if p:
                self._postal.setdefault(str(p).rstrip("0") or str(p), i)
        self._fuzzy: dict[str, dict[str, set[Entry]]] = defaultdict(lambda: defaultdict(set))
        # the same per aimag: (kind, aimag) -> skeleton -> entries, for lookups within aimags
        self._fuzzy_in: dict[tuple[str, str], dict[str, set[Entry]]] = defaultdict(
            lambda: defaultdict(set)
        )
        for key, entries in self._entries.items():
            if key.startswith("s:"):
                for e in entries:
                    self._fuzzy[e.kind][key[2:]].add(e)
                    self._fuzzy_in[(e.kind, e.aimag)][key[2:]].add(e)

    def _add(self, name: str, entry: Entry) -> None:
        if not name:
            return
        ck = cyrillic_key(name)
        sk = latin_skeleton(name)
        if ck:
            self._entries["c:" + ck].add(entry)
        if sk and len(sk) >= 3:
            self._entries["s:" + sk].add(entry)
        self._spellings[entry].add(_folded(name))

    # -- exact ---------------------------------------------------------------------------
    def lookup(self, text: str) -> set[Entry]:
        """Entries whose spelling is ``text``: exact Cyrillic first, then by skeleton.

        A correctly typed Cyrillic name is not confused with a name that only
        shares its skeleton. Entries that share the skeleton but are spelt
        differently are narrowed to the closest spelling.
        """
        if has_cyrillic(text):
            hits = self._entries.get("c:" + cyrillic_key(text), set())
            if hits:
                return set(hits)
        for key in _abbreviation_keys(text):
            hits = self._entries.get("a:" + key, set())
            if hits:
                return set(hits)
        hits = self._entries.get("s:" + latin_skeleton(text), set())
        if len({self._name_of(e) for e in hits}) > 1:
            hits = self._closest(text, hits)
        return set(hits)

    def _name_of(self, entry: Entry) -> tuple[str, str]:
        """The name an entry stands for: entries of one name in several aimags share it."""
        if entry.kind == "aimag":
            return "aimag", entry.aimag
        return ("town" if entry.kind == "town" else "unit"), self.unit_name[entry.unit]

    def _closest(self, text: str, hits: set[Entry]) -> set[Entry]:
        """The entries whose name (in any of its spellings) is closest to ``text``."""
        folded = _folded(text)
        by_name: dict[tuple[str, str], set[Entry]] = defaultdict(set)
        for e in hits:
            by_name[self._name_of(e)].add(e)
        score = {
            name: max(fuzz.ratio(folded, s) for e in group for s in self._spellings[e])
            for name, group in by_name.items()
        }
        best = max(score.values())
        return {e for name, group in by_name.items() if score[name] == best for e in group}

    def stem_lookup(self, text: str) -> set[Entry]:
        """Entries for a word with a case ending: ``Дорноговийн`` -> Дорноговь."""
        if len(text) < 5 or not has_cyrillic(text):
            return set()
        for ending in CASE_ENDINGS:
            if not text.endswith(ending) or len(text) - len(ending) < 3:
                continue
            stem = text[: -len(ending)]
            for restored in (stem, stem + "ь", stem + "й", stem + "э", stem + "ий"):
                hits = self._entries.get("c:" + cyrillic_key(restored))
                if hits:
                    return set(hits)
        return set()

    def is_abbreviation(self, text: str) -> bool:
        """Whether ``text`` is a district abbreviation (``БЗД``, ``KhUD``)."""
        return any(key in self._abbreviations for key in _abbreviation_keys(text))

    # -- fuzzy ---------------------------------------------------------------------------
    def fuzzy_lookup(
        self,
        text: str,
        kinds: set[str],
        within: set[str] | None = None,
        strict: bool = False,
        cutoff: float | None = None,
    ) -> tuple[set[Entry], float]:
        """Best fuzzy match among names of ``kinds``; among the units of the
        aimags ``within`` (a short list, so a lower cutoff is safe) when given."""
        sk = latin_skeleton(text)
        best: tuple[float, set[Entry]] = (0.0, set())
        for kind in kinds:
            choices = self._fuzzy.get(kind)
            if not choices:
                continue
            # 22 aimags with distinct names: a looser cutoff stays safe
            limit = (
                self.fuzzy_cutoff_within if kind == "aimag" and not strict else self.fuzzy_cutoff
            )
            if within and kind != "aimag":
                merged: dict[str, set[Entry]] = defaultdict(set)
                for aimag in within:
                    for k, v in self._fuzzy_in.get((kind, aimag), {}).items():
                        merged[k] |= v
                choices = merged
                limit = self.fuzzy_cutoff_within
            if cutoff is not None:
                limit = max(limit, cutoff)
            if not choices:
                continue
            hit = process.extractOne(sk, list(choices), scorer=fuzz.ratio, score_cutoff=limit)
            if hit and hit[1] > best[0]:
                best = (hit[1], set(choices[hit[0]]))
            elif hit and hit[1] == best[0]:
                best = (best[0], best[1] | set(choices[hit[0]]))
        return best[1], best[0] / 100.0

    def postal_unit(self, code: str) -> int | None:
        """The unit whose postal code ``code`` starts with (the longest such), if any."""
        for length in range(len(code), 1, -1):
            unit = self._postal.get(code[:length])
            if unit is not None:
                return unit
        return None


def _folded(text: str) -> str:
    """Latin letters without diacritics or punctuation, for comparing close spellings."""
    import unicodedata

    s = unicodedata.normalize("NFKD", transliterate(text).lower())
    return "".join(c for c in s if c.isascii() and c.isalpha())


def _abbreviation_keys(text: str) -> tuple[str, ...]:
    """Keys of an abbreviation as typed: ``SKhD``, ``skhd`` and ``SHD`` share ``shd``."""
    low = cyrillic_key(text)
    if len(low) > 4:
        return ()
    return tuple(dict.fromkeys((low, low.replace("kh", "h").replace("x", "h"))))


def _is_ub(token: str) -> bool:
    return token in UB_WORDS


def find_spans(gazetteer: Gazetteer, key: str) -> tuple[list[Span], bool]:
    """The spans of a place key, and whether a fuzzy match was used.

    Parameters
    ----------
    gazetteer : Gazetteer
    key : str
        A place key (:func:`geo.address.place_key`).
    """
    tokens = key.split()
    postal = [t[1:] for t in tokens if t.startswith("#")]
    tokens = [t for t in tokens if not t.startswith("#")]
    ub = any(_is_ub(t) for t in tokens)
    spans: list[Span] = []
    used = [False] * len(tokens)
    markers = [MARKERS.get(t) for t in tokens]
    fuzzy_used = False
    pending: list[tuple[int, str, str]] = []
    for length in (3, 2, 1):
        for i in range(len(tokens) - length + 1):
            if any(used[i : i + length]) or any(markers[i : i + length]):
                continue
            if any(_is_ub(t) for t in tokens[i : i + length]) and length > 1:
                continue
            text = " ".join(tokens[i : i + length])
            hits = gazetteer.lookup(text)
            if not hits and length == 1 and not _is_ub(text):
                hits = gazetteer.stem_lookup(text)
            marker = markers[i + length] if i + length < len(tokens) else None
            if hits and marker:
                hits = {h for h in hits if h.kind in ROLES[marker]}
            if not hits and marker and length == 1 and len(text) >= 3 and not _is_ub(text):
                pending.append((i, text, marker))
                continue
            if hits:
                marked = (
                    bool(marker)
                    or _is_ub(text)
                    or (length == 1 and gazetteer.is_abbreviation(text))
                )
                spans.append(Span(i, frozenset(hits), 1.0, marked))
                for j in range(i, i + length):
                    used[j] = True
    # misspelt names before a marker: aimags first, then units within them
    for i, text, marker in sorted(pending, key=lambda p: p[2] != "aimag"):
        if used[i]:
            continue
        found = {e.aimag for s in spans for e in s.entries if e.kind == "aimag"}
        if ub:
            found.add("MN-1")
        hits, score = gazetteer.fuzzy_lookup(text, ROLES[marker], found)
        if hits:
            spans.append(Span(i, frozenset(hits), score, True))
            used[i] = True
            fuzzy_used = True
    # unmarked misspellings: within the aimags named, or anywhere when none is
    found = {e.aimag for s in spans for e in s.entries if e.kind == "aimag"}
    if ub:
        found.add("MN-1")
    nothing = not spans
    for i, tok in enumerate(tokens):
        if used[i] or markers[i] or len(tok) < 5 or _is_ub(tok):
            continue
        if found:
            hits, score = gazetteer.fuzzy_lookup(
                tok, {"soum", "district", "town"}, found, cutoff=80.0
            )
        elif nothing:
            hits, score = gazetteer.fuzzy_lookup(
                tok, {"aimag", "soum", "district", "town"}, strict=True
            )
        else:
            continue
        if hits:
            spans.append(Span(i, frozenset(hits), score, False))
            fuzzy_used = True
    if postal:
        unit = gazetteer.postal_unit(postal[0])
        if unit is not None:
            aimag = gazetteer.unit_aimag[unit]
            spans.append(Span(POSTAL_AIMAG, frozenset({Entry("aimag", aimag, -1)}), 0.9))
            spans.append(
                Span(POSTAL_UNIT, frozenset({Entry(gazetteer.unit_kind[unit], aimag, unit)}), 0.9)
            )
        elif postal[0][:2] in gazetteer.nso_to_iso:
            spans.append(
                Span(
                    POSTAL_AIMAG,
                    frozenset({Entry("aimag", gazetteer.nso_to_iso[postal[0][:2]], -1)}),
                    0.8,
                )
            )
    if ub:
        spans.append(Span(UB_SPAN, frozenset({Entry("aimag", "MN-1", -1)}), 1.0, True))
    return spans, fuzzy_used
