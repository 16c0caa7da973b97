"""Every user-facing string of the app, in Mongolian and English: gettext catalogues.

Pages never write literal interface text: they call :func:`t` with a key (and
:func:`plural` for a counted noun). The texts are in
``ui/locale/<lang>/LC_MESSAGES/messages.po`` (``msgid`` the key, ``msgstr`` the text;
English is the source language) and, for the long Markdown texts of the Methods page,
``ui/locale/<lang>/essays/<name>.md`` (asked for as ``t("<name>_md", lang)``). Translators
work on the ``.po`` files with Poedit or Weblate; ``python -m ui.translations`` adds keys,
checks that nothing is untranslated and compiles (see that module; ``make translations``).
A test fails on any string missing in either language.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping

from geo import settings
from ui import translations as _catalogues

LANGUAGES = {"mn": "Монгол", "en": "English"}
DEFAULT_LANGUAGE = settings.DEFAULT_LANGUAGE


@functools.cache
def _texts(lang: str) -> dict[str, str]:
    return _catalogues.texts(lang)


@functools.cache
def _essay(key: str, lang: str) -> str | None:
    path = _catalogues.essay_path(lang, key)
    return path.read_text(encoding="utf-8") if path.exists() else None


def _lookup(key: str, lang: str) -> str | None:
    if key.endswith(_catalogues.ESSAY_SUFFIX):
        return _essay(key, lang)
    return _texts(lang).get(key)


def t(key: str, lang: str) -> str:
    """The string ``key`` in ``lang`` (``'mn'`` or ``'en'``).

    Falls back to English, then to the key itself, so a missing translation
    shows up visibly rather than raising in front of a user; a test keeps the
    catalogues complete.
    """
    return _lookup(key, lang) or _lookup(key, "en") or key


def plural(key: str, n: int, lang: str) -> str:
    """A count with its noun: ``key_one`` for one (when defined), else ``key``, with ``{n}``.

    English says "1 row", "2 rows"; Mongolian keeps the noun singular after
    a numeral ("1 мөр", "7 мөр"), and has both forms too. (``{n}`` is written as a
    plain whole number: the Data page's tests pin "Read 20000 rows".)
    """
    chosen = f"{key}_one" if n == 1 and f"{key}_one" in STRINGS else key
    return t(chosen, lang).format(n=n)


def column_labels(columns, lang: str) -> dict[str, str]:
    """Translated headers for a table's columns (``field_<column>``; unknown ones kept)."""
    return {c: STRINGS.get(f"field_{c}", {}).get(lang) or c for c in columns}


class _Strings(Mapping[str, Mapping[str, str]]):
    """Key -> {language: text} over the catalogues and essays (read-only)."""

    def _keys(self) -> dict[str, None]:
        keys: dict[str, None] = {}
        for lang in LANGUAGES:
            keys.update(dict.fromkeys(_texts(lang)))
        keys.update(dict.fromkeys(_catalogues.essay_keys()))
        return keys

    def __getitem__(self, key: str) -> Mapping[str, str]:
        entry = {lang: text for lang in LANGUAGES if (text := _lookup(key, lang)) is not None}
        if not entry:
            raise KeyError(key)
        return entry

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and any(_lookup(key, lang) is not None for lang in LANGUAGES)

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys())

    def __len__(self) -> int:
        return len(self._keys())


#: Every string: key -> {"mn": ..., "en": ...} (read from the catalogues).
STRINGS: Mapping[str, Mapping[str, str]] = _Strings()


#: The geocoder's notes (English, as the command line writes them), pattern by pattern, and
#: the catalogue key of their wording; parts in braces are names from the data, kept as they are.
NOTE_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"no place in Mongolia named", "note_no_place"),
    (r"several units fit: (?P<a>.+)", "note_several_units"),
    (r"soum name (?P<a>.+?) exists in (?P<b>.+?): (?P<c>.+)", "note_soum_in_aimags"),
    (r"(?P<a>.+) is not in (?P<b>.+)", "note_not_in"),
    (r"several aimags named: (?P<a>.+)", "note_several_aimags"),
    (r"aimag only", "note_aimag_only"),
    (r"fuzzy match", "note_fuzzy"),
    (r"manual correction \(point\)", "note_manual_point"),
    (r"manual correction", "note_manual"),
    (r"correction (?P<a>.+) is unknown", "note_correction_unknown"),
    (r"corrected point (?P<a>.+) is outside Mongolia", "note_corrected_outside"),
    (r"empty address", "note_empty_address"),
    (
        r"the address names no place \(only a street, number or other detail\)",
        "note_no_place_named",
    ),
    (r"coordinates (?P<a>.+) are outside Mongolia; ignored", "note_coordinates_outside"),
    (r"latitude and longitude were swapped", "note_swapped"),
    (r"fixed", "note_fixed"),
    (r"point lies in (?P<a>.+), address names (?P<b>.+)", "note_point_lies_in"),
    (r"placed online by OpenStreetMap Nominatim: (?P<a>.*)", "note_online"),
)


def note_text(note: str, lang: str, names: dict[str, str] | None = None) -> str:
    """A geocoding note in ``lang``: each ``; ``-separated part translated where its
    pattern is known, kept as written otherwise; ``names`` (English -> this
    language, for example aimag names) rewrites the names it holds.

    Examples
    --------
    >>> note_text("aimag only; fuzzy match", "mn")
    'зөвхөн аймаг хүртэл; ойролцоо таарсан'
    >>> note_text("several units fit: Хэрлэн (Dornod)", "en")
    'several units fit: Хэрлэн (Dornod)'
    """
    import re

    if lang == "en" or not note:
        return note
    parts = []
    for part in str(note).split("; "):
        for pattern, key in NOTE_PATTERNS:
            match = re.fullmatch(pattern, part)
            if match:
                part = t(key, lang).format(**match.groupdict())
                break
        parts.append(part)
    text = "; ".join(parts)
    for english in sorted(names or {}, key=len, reverse=True):  # "Govi-Altai" before "Altai"
        text = re.sub(rf"(?<!\w){re.escape(english)}(?!\w)", names[english], text)
    return text
