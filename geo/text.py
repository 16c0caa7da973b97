"""Normalisation and transliteration of Mongolian place names.

Mongolian names reach the product in Cyrillic, in the national MNS 5217
romanisation, in English-style spellings (``kh``, ``ts``), in GeoNames'
older forms (``Dzavhan``, ``Övörhangay``) and typed on Russian keyboards
(``о`` for ``ө``, ``у`` for ``ү``). Every matcher in :mod:`geo` compares
names through the two keys defined here:

* :func:`cyrillic_key` - the Cyrillic text folded to lower case, ``ё`` to
  ``е``, with punctuation and spaces removed. Exact Cyrillic matches use it.
* :func:`latin_skeleton` - a phonetic skeleton in plain ASCII that maps every
  common spelling of a name, Cyrillic or Latin, to the same string
  (``Өвөрхангай``, ``Övörkhangai``, ``Uvurkhangai``, ``Ovorhangay`` and
  ``Оворхангай`` all give ``ubUrhangai``-like keys that compare equal).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any, cast

import pandas as pd

__all__ = [
    "CYRILLIC_TO_LATIN",
    "cell_text",
    "cyrillic_key",
    "has_cyrillic",
    "is_missing",
    "latin_skeleton",
    "transliterate",
]


def is_missing(value: object) -> bool:
    """Whether one table cell is missing (``None``, NaN, ``pd.NA`` or ``NaT``).

    Examples
    --------
    >>> [is_missing(v) for v in (None, float("nan"), pd.NA, "", "Төв")]
    [True, True, True, False, False]
    """
    return value is None or bool(pd.isna(cast(Any, value)))


def cell_text(value: object) -> str:
    """A table cell as stripped text, ``""`` when it is missing.

    Examples
    --------
    >>> cell_text(" Төв "), cell_text(None), cell_text(float("nan"))
    ('Төв', '', '')
    """
    return "" if is_missing(value) else str(value).strip()


#: Cyrillic to Latin in the common English-language style (``х`` -> ``kh``).
CYRILLIC_TO_LATIN: dict[str, str] = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "yo",
    "ж": "j",
    "з": "z",
    "и": "i",
    "й": "i",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "ө": "ö",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ү": "ü",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "sh",
    "ъ": "",
    "ы": "y",
    "ь": "i",
    "э": "e",
    "ю": "yu",
    "я": "ya",
    # Kazakh letters used in Bayan-Ölgii names
    "ә": "a",
    "ғ": "g",
    "қ": "k",
    "ң": "n",
    "ұ": "u",
    "һ": "h",
    "і": "i",
}

_CYRILLIC_VOWELS = set("аеёиоөуүыэюяэ")
_CYRILLIC_RE = re.compile(r"[\u0400-\u04FF]")
_NON_WORD_RE = re.compile(r"[^0-9a-z\u0400-\u04ff]+")


def has_cyrillic(text: str) -> bool:
    """Return True when ``text`` contains at least one Cyrillic letter."""
    return bool(_CYRILLIC_RE.search(text or ""))


def transliterate(text: str) -> str:
    """Romanise Cyrillic Mongolian text in the common English style.

    Parameters
    ----------
    text : str
        Any text; non-Cyrillic characters pass through unchanged.

    Returns
    -------
    str
        The romanised text, capitalised where the source letter was upper case.

    Examples
    --------
    >>> transliterate("Өвөрхангай")
    'Övörkhangai'
    >>> transliterate("Цэцэрлэг")
    'Tsetserleg'
    """
    out = []
    prev = " "
    for ch in text:
        low = ch.lower()
        latin = CYRILLIC_TO_LATIN.get(low)
        if low == "е" and (not prev.isalpha() or prev.lower() in _CYRILLIC_VOWELS):
            latin = "ye"  # word-initial and post-vowel е is iotated: Есөнзүйл, Үенч
        prev = ch
        if latin is None:
            out.append(ch)
        elif ch != low and latin:
            out.append(latin[0].upper() + latin[1:])
        else:
            out.append(latin)
    return "".join(out)


def cyrillic_key(text: str) -> str:
    """Fold Cyrillic text for exact comparison.

    Lower case, ``ё`` -> ``е``, and every character that is not a letter or
    digit removed, so that ``Баян-Өлгий``, ``баян өлгий`` and ``БАЯН-ӨЛГИЙ``
    share one key.
    """
    text = unicodedata.normalize("NFC", text or "").lower().replace("ё", "е")
    return _NON_WORD_RE.sub("", text)


_DIACRITIC_FOLD = str.maketrans(
    {
        "ö": "u",
        "ü": "u",
        "ó": "u",
        "ú": "u",
        "ò": "u",
        "ù": "u",
        "ô": "u",
        "û": "u",
        "ø": "u",
        "ő": "u",
        "ű": "u",
        "o": "u",
        "ĭ": "i",
        "í": "i",
        "ì": "i",
        "î": "i",
        "y": "i",
        "é": "e",
        "è": "e",
        "ê": "e",
        "ë": "e",
        "á": "a",
        "à": "a",
        "â": "a",
        "ä": "a",
        "x": "h",
        "w": "b",
        "v": "b",
    }
)


def latin_skeleton(text: str) -> str:
    """Reduce a name in any script or romanisation to a phonetic skeleton.

    The skeleton merges the letters that Mongolian romanisations disagree on,
    so that all spellings of one name compare equal:

    * Cyrillic is first transliterated (:func:`transliterate`);
    * ``kh``, ``h`` and ``x`` (х) become ``h``; ``ts``, ``tz`` and a lone
      ``c`` (ц) become ``c``; ``dz`` and ``zh`` become ``z`` and ``j``;
    * ``o``, ``u``, ``ö``, ``ü`` (and an apostrophe after ``o``/``u``, the
      GeoNames ASCII form ``O'ndor``) become ``u``; ``y`` becomes ``i``;
      ``v``, ``w`` and ``b`` become ``b`` (``Govi``/``Gobi``);
    * ``sh`` (ш) and ``ch`` (ч) stay distinct, as ``q`` and ``x``;
    * doubled letters collapse and everything that is not a letter goes.

    Two different names can share a skeleton (it merges ``о`` and ``у``);
    callers compare skeletons only within a small candidate set, such as the
    soums of one aimag, or confirm with the Cyrillic key.

    Parameters
    ----------
    text : str
        A name, in Cyrillic or Latin script.

    Returns
    -------
    str
        Lower-case ASCII skeleton; empty for text without letters.

    Examples
    --------
    >>> latin_skeleton("Өвөрхангай") == latin_skeleton("Uvurkhangai")
    True
    >>> latin_skeleton("Оворхангай") == latin_skeleton("Övörhangay")
    True
    """
    s = transliterate(unicodedata.normalize("NFC", text or "")).lower()
    s = s.replace("'", "").replace("\u2019", "").replace("`", "")
    s = s.replace("kh", "h").replace("dz", "z").replace("zh", "j")
    s = s.replace("tz", "ts")
    s = re.sub(r"c(?!h)", "ts", s)
    s = s.replace("ts", "c")
    # protect the digraphs of ш and ч from the folding below (Q and X survive it)
    s = s.replace("sh", "Q").replace("ch", "X")
    s = s.translate(_DIACRITIC_FOLD)
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if c.isascii() and c.isalpha())
    s = re.sub(r"(.)\1+", r"\1", s)
    return s.lower()
