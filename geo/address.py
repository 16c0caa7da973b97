"""Parsing a Mongolian address into the parts that can name a place.

An address such as ``"УБ, ХУД-ийн 3-р хороо, Чингисийн өргөн чөлөө 17"`` or
``"Орхон аймаг, Жаргалант сум, 5-р баг, Төв -12-р гудамж"`` holds three kinds
of words: names of places (aimag, soum, district, town), the words that say
what kind of place a name is (*markers*: аймаг, сум, дүүрэг, хот, ...), and
details below the soum (bag, khoroo, street, building, door) that name no
unit of the gazetteer, although they often *look* like one (``Төв гудамж``
is a street, not Töv aimag; ``Хэнтий хороолол`` a neighbourhood of the
capital).

:func:`parse_address` reduces an address to its *place key*: the place words
and markers in lower case, with the details removed, and a 5-digit postal
code kept as ``#NNNNN``. Addresses that differ only in details share a key, so
that a registry is resolved once per place, and a manual correction made for
one address applies to all of them. It also keeps the number (or name) of the
bag or khoroo, the next step to a finer place.

Rules, in order:

* district abbreviations with a case ending attached lose the ending
  (``ХУД-ийн``, ``СБД-ын``, ``БЗД-д``, ``СХД-т``, ``ХУДийн``, ``KhUD-iin``),
  and so does any hyphenated word whose last part is a case ending;
* a street or building word (``гудамж``, ``өргөн чөлөө``, ``хороолол``,
  ``байр``, ``талбай``, ``street``, ...) removes the name just before it: one
  word, or a word and the number attached to it (``Төв -12-р гудамж``);
  ``<genitive> төв`` (``худалдааны төв``, a trade centre) is a building too,
  and ``төв`` before a noun such as ``зах`` or ``шуудан`` means "central";
  a market (``Шинэ зах``) stays a place of its own, which a correction can
  name;
* a bag or khoroo word removes its number (kept as the bag or khoroo) or the
  one-word name before it (``Номин баг``);
* numbers, ordinals (``3-р``, ``3х``, ``26th``) and door, floor and entrance
  words are dropped.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

import numpy as np

__all__ = [
    "CASE_ENDINGS",
    "DETAIL_WORDS",
    "MARKERS",
    "UB_WORDS",
    "ParsedAddress",
    "clear_cache",
    "parse_address",
    "place_key",
]

#: Words that say what kind of unit the preceding name is.
MARKERS: dict[str, str] = {
    "аймаг": "aimag",
    "аймгийн": "aimag",
    "а": "aimag",
    "aimag": "aimag",
    "aimak": "aimag",
    "province": "aimag",
    "аймагийн": "aimag",
    "aimgiin": "aimag",
    "prov": "aimag",
    "сум": "soum",
    "сумын": "soum",
    "с": "soum",
    "soum": "soum",
    "sum": "soum",
    "sumu": "soum",
    "somon": "soum",
    "сомон": "soum",
    "дүүрэг": "district",
    "дүүргийн": "district",
    "д": "district",
    "district": "district",
    "duureg": "district",
    "дуурэг": "district",
    "дуургийн": "district",
    "düüreg": "district",
    "dist": "district",
    "duuregt": "district",
    "район": "district",
    "rayon": "district",
    "хот": "city",
    "хотын": "city",
    "city": "city",
    "khot": "city",
    "hot": "city",
    "town": "city",
    "г": "city",
}
#: Words that carry no place (dropped from the place key).
DETAIL_WORDS = {
    "тоот",
    "корпус",
    "орц",
    "давхар",
    "р",
    "рт",
    "ийн",
    "ын",
    "ний",
    "т",
    "х",
    "хх",
    "ш",
    "ба",
    "r",
    "th",
    "st",
    "nd",
    "rd",
    "no",
    "iin",
    "yn",
    "toot",
    "apt",
    "door",
    "floor",
    "монгол",
    "улс",
    "mongolia",
    "байрлах",
    "байрладаг",
    "тосгон",
    "village",
    "mn",
}
#: Words for a street, building, neighbourhood or market: they remove the name before them.
STREET_WORDS = {
    "гудамж",
    "гудамжны",
    "гудамжинд",
    "чөлөө",
    "чөлөөний",
    "зам",
    "замд",
    "тойруу",
    "хороолол",
    "хорооллын",
    "хотхон",
    "хотхоны",
    "байр",
    "байрны",
    "байранд",
    "цогцолбор",
    "талбай",
    "талбайн",
    "шуудан",
    "цэнгэлдэх",
    "эмнэлэг",
    "сургууль",
    "дэлгүүр",
    "буудал",
    "плаза",
    "тауэр",
    "парк",
    "street",
    "str",
    "avenue",
    "ave",
    "road",
    "building",
    "bldg",
    "bair",
    "tower",
    "plaza",
    "center",
    "centre",
    "market",
    "park",
    "mall",
    "hotel",
    "microdistrict",
    "khoroolol",
}
#: Words for a bag or a khoroo (subdivisions of a soum or a district).
SUBDIVISION_WORDS = {
    "баг",
    "багийн",
    "багт",
    "хороо",
    "хорооны",
    "хороонд",
    "bag",
    "khoroo",
    "horoo",
    "xoroo",
}
#: Words for the capital (aimag MN-1).
UB_WORDS = {
    "уб",
    "ub",
    "нийслэл",
    "нийслэлийн",
    "ulanbator",
    "ulaanbaatar",
    "улаанбаатар",
    "улаанбаатарын",
    "улан-батор",
    "ulaanbaatar-city",
}
#: Case endings that Mongolian attaches to a name (genitive, dative, ablative, comitative),
#: in Cyrillic and in Latin spelling, longest first.
CASE_ENDINGS = (
    "гийн",
    "ийн",
    "ын",
    "ний",
    "ны",
    "ы",
    "аас",
    "ээс",
    "оос",
    "өөс",
    "тай",
    "тэй",
    "той",
    "руу",
    "рүү",
    "д",
    "т",
    "н",
    "iin",
    "yn",
    "in",
    "aas",
    "ees",
    "tai",
    "d",
    "t",
)
#: Endings a hyphen may separate from a name (``ХУД-ийн``, ``БЗД-д``, ``UB-iin``): not ``н``,
#: which ends real names.
_HYPHEN_ENDINGS = {e for e in CASE_ENDINGS if e not in ("н", "ы")}

_PART_RE = re.compile(r"[,;\n|]+")
_SPLIT_RE = re.compile(r"[\s/\\()\[\]\"'«»:]+")
_POSTAL_RE = re.compile(r"(?<!\d)(\d{5})(?!\d)")
#: An abbreviation in capitals with a case ending attached without a hyphen: ``ХУДийн``.
_ABBREVIATION_ENDING_RE = re.compile(
    r"(?<![А-ЯӨҮЁа-яөүё])([А-ЯӨҮЁ]{2,4})("
    + "|".join(e for e in CASE_ENDINGS if not e.isascii())
    + r")(?![а-яөүё])"
)
_ORDINAL_RE = re.compile(r"^-?(\d+)")
#: A hyphen between a word and a number: "Төв-12-р", "Ulaanbaatar-17011".
_WORD_NUMBER_RE = re.compile(r"(?<=[^\W\d])-(?=\d)")
_GENITIVE_RE = re.compile(r"(ны|ний|ын|ийн)$")
#: Nouns after which "төв" means "central", not Töv aimag: "Төв зах", "Төв шуудан".
_CENTRAL_NOUNS = {
    "зах",
    "захын",
    "шуудан",
    "талбай",
    "цэнгэлдэх",
    "эмнэлэг",
    "номын",
    "дэлгүүр",
    "банк",
    "оффис",
    "байр",
}


@dataclass(frozen=True)
class ParsedAddress:
    """An address reduced to its place words.

    Attributes
    ----------
    key : str
        The place key (see the module's text); empty when no place word is left.
    subdivision : str or None
        The bag or khoroo as written: its number (``"3"``) or its one-word name
        (``"Номин"``); None when the address names none.
    postal : str or None
        A 5-digit postal code found in the address.
    """

    key: str
    subdivision: str | None = None
    postal: str | None = None


_DIGIT_RE = re.compile(r"\d")


def _is_number(token: str) -> bool:
    return _DIGIT_RE.search(token) is not None


def _strip_hyphen_ending(token: str) -> str:
    """``худ-ийн`` -> ``худ``; names whose last part is no case ending stay (``хан-уул``)."""
    if "-" not in token.strip("-"):
        return token
    head, _, tail = token.strip("-").rpartition("-")
    return head if tail in _HYPHEN_ENDINGS and head else token


def _tokens(part: str) -> list[str]:
    out = []
    for raw in _SPLIT_RE.split(part.replace(".", " . ")):
        if not raw or raw == ".":
            continue
        tok = raw if _is_number(raw) else raw.strip("-.")
        if tok:
            out.append(tok)
    return out


@functools.lru_cache(maxsize=1 << 16)
def _parse_part(part: str) -> tuple[tuple[str, ...], str | None]:
    """The place words of one comma-separated part of an address, and the first bag or
    khoroo it names (parts repeat across a register: each distinct part is parsed once)."""
    words: list[str] = []
    subdivision: str | None = None
    part = _ABBREVIATION_ENDING_RE.sub(r"\1", part)
    part = _WORD_NUMBER_RE.sub(" -", part).replace("ё", "е").replace("Ё", "Е")
    part_tokens = _tokens(part)
    tokens = [_strip_hyphen_ending(t.lower()) for t in part_tokens]
    keep = [True] * len(tokens)
    for j, tok in enumerate(tokens):
        if tok in SUBDIVISION_WORDS:
            keep[j] = False
            before = j - 1
            if before >= 0 and keep[before] and _is_number(tokens[before]):
                keep[before] = False
                number = _ORDINAL_RE.match(tokens[before])
                if subdivision is None and number:
                    subdivision = number.group(1)
            elif (
                before >= 0
                and keep[before]
                and tokens[before] not in MARKERS
                and tokens[before] not in DETAIL_WORDS
            ):
                keep[before] = False
                if subdivision is None:
                    subdivision = part_tokens[before]
            elif j + 1 < len(tokens) and _is_number(tokens[j + 1]):
                number = _ORDINAL_RE.match(tokens[j + 1].lstrip("#№"))
                if subdivision is None and number:
                    subdivision = number.group(1)
            continue
        street = tok in STREET_WORDS
        if tok == "төв" and j + 1 < len(tokens) and tokens[j + 1] in _CENTRAL_NOUNS:
            keep[j] = False
            continue
        if (
            tok == "төв"
            and j > 0
            and keep[j - 1]
            and tokens[j - 1] not in MARKERS
            and _GENITIVE_RE.search(tokens[j - 1])
        ):
            # "худалдааны төв", "соёлын төв": a building named by the word before
            keep[j - 1] = False
            street = True
        if not street:
            continue
        keep[j] = False
        before = j - 1
        while before >= 0 and not keep[before]:
            before -= 1
        if tok.startswith("чөлөө") and before >= 0 and tokens[before] == "өргөн":
            keep[before] = False  # "өргөн чөлөө": an avenue
            before -= 1
        attached = False
        skipped = False
        while before >= 0 and keep[before] and _is_number(tokens[before]):
            attached = tokens[before].startswith("-")
            keep[before] = False
            skipped = True
            before -= 1
        if (
            before >= 0
            and keep[before]
            and (attached or not skipped)
            and tokens[before] not in MARKERS
            and tokens[before] not in UB_WORDS
            and tokens[before] not in STREET_WORDS
        ):
            keep[before] = False
    for tok, kept in zip(tokens, keep):
        if kept and not _is_number(tok) and tok not in DETAIL_WORDS:
            words.append(tok)
    return tuple(words), subdivision


def clear_cache() -> None:
    """Forget the parsed address parts (for benchmarks that must start cold)."""
    _parse_part.cache_clear()


def parse_address(address: object) -> ParsedAddress:
    """Parse an address into its place key, its bag or khoroo and its postal code.

    Examples
    --------
    >>> parse_address("УБ, ХУД-ийн 3-р хороо, Чингисийн өргөн чөлөө 17")
    ParsedAddress(key='уб худ', subdivision='3', postal=None)
    >>> parse_address("Орхон аймаг, Жаргалант сум, 5-р баг, Төв -12-р гудамж").key
    'орхон аймаг жаргалант сум'
    >>> parse_address("Эрдэнэт хот, Номин баг").subdivision
    'Номин'
    """
    if address is None or (isinstance(address, float) and np.isnan(address)):
        return ParsedAddress("")
    text = unicodedata.normalize("NFC", str(address))
    postal = _POSTAL_RE.findall(text)
    words: list[str] = []
    subdivision: str | None = None
    for part in _PART_RE.split(text):
        part_words, part_subdivision = _parse_part(part)
        words.extend(part_words)
        if subdivision is None:
            subdivision = part_subdivision
    if postal:
        words.append("#" + postal[0])
    return ParsedAddress(" ".join(words), subdivision, postal[0] if postal else None)


def place_key(address: object) -> str:
    """Reduce an address to the words that can name a place (see :func:`parse_address`).

    Lower case; numbers, ordinals (``3-р``, ``3х``) and details (bag, khoroo,
    street, building, door) removed; a 5-digit postal code kept as
    ``#NNNNN``. Addresses that differ only in those details share a key, so
    that a registry is parsed once per place, not once per row.
    """
    return parse_address(address).key
