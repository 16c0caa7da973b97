"""How numbers and dates are written for people: counts as whole numbers, quotients
with two decimals, rates with one, shares as percentages, in each language's way.

Numbers and dates are formatted by Babel (CLDR) for the language's locale. Mongolian
numbers follow the National Statistics Office's publications rather than CLDR's ``mn``
data: thousands separated by a space, a decimal comma (:data:`NUMBER_SYMBOLS`); English
separates thousands with a comma and writes a decimal point.
"""

from __future__ import annotations

import datetime as _dt
import functools
import math
from collections.abc import Sequence
from typing import Any

from babel import Locale
from babel.dates import format_date as _babel_date
from babel.dates import format_datetime as _babel_datetime
from babel.numbers import format_decimal

__all__ = [
    "KIND_OF",
    "LOCALES",
    "NUMBER_SYMBOLS",
    "class_labels",
    "format_date",
    "format_number",
    "format_range",
    "format_value",
    "locale",
]

#: The app's languages and their Babel locales.
LOCALES = {"mn": "mn", "en": "en"}

#: Where the app writes numbers differently from CLDR's locale data: language ->
#: number symbols. CLDR's ``mn`` writes 12,345.7; Mongolian statistics write 12 345,7.
NUMBER_SYMBOLS: dict[str, dict[str, str]] = {"mn": {"decimal": ",", "group": " "}}


class _Locale(Locale):
    """A Babel locale with some number symbols replaced (see :data:`NUMBER_SYMBOLS`)."""

    def __init__(self, language: str, symbols: dict[str, str]) -> None:
        super().__init__(language)
        self._symbols = symbols

    @property
    def number_symbols(self) -> Any:  # Babel's LocaleDataDict, as a plain dict
        data = super().number_symbols
        return {system: {**values, **self._symbols} for system, values in data.items()}


@functools.cache
def locale(lang: str) -> Locale:
    """The Babel locale numbers and dates of ``lang`` are written in."""
    symbols = NUMBER_SYMBOLS.get(lang)
    code = LOCALES.get(lang, "en")
    return _Locale(code, symbols) if symbols else Locale.parse(code)


#: Indicator (column) -> how it is written: ``count``, ``ratio``, ``rate``, ``share``.
KIND_OF: dict[str, str] = {
    "firms": "count",
    "employees": "count",
    "eco_stars": "count",
    "population": "count",
    "lq_employment": "ratio",
    "lq_firms": "ratio",
    "hhi": "ratio",
    "employees_per_10k": "rate",
    "firms_per_10k": "rate",
    "share_of_sector_employment": "share",
    "share_of_unit_employment": "share",
}

_DECIMALS = {"count": 0, "ratio": 2, "rate": 1, "share": 1}


def format_number(value: float, decimals: int = 0, lang: str = "en") -> str:
    """``value`` with ``decimals`` decimals and the language's separators.

    Examples
    --------
    >>> format_number(12345.678, 1, "en")
    '12,345.7'
    >>> format_number(12345.678, 1, "mn")
    '12 345,7'
    >>> format_number(float("nan"))
    '–'
    """
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    text: str = format_decimal(
        value, format=pattern, locale=locale(lang), decimal_quantization=True, group_separator=True
    )
    return text


def format_date(
    value: _dt.date | _dt.datetime | str | None, lang: str = "en", *, with_time: bool = False
) -> str:
    """A date (or an ISO 8601 text, as the workspace stores times) in ``lang``'s way.

    Examples
    --------
    >>> format_date("2026-12-02T14:03:00+00:00", "en")
    'Dec 2, 2026'
    >>> format_date("2026-12-02", "mn")  # CLDR puts a narrow no-break space after the year
    '2026\u202fоны 12-р сарын 2'
    >>> format_date(None)
    '–'
    """
    if value is None or value == "":
        return "–"
    if isinstance(value, str):
        try:
            value = _dt.datetime.fromisoformat(value)
        except ValueError:
            return str(value)
    if with_time and isinstance(value, _dt.datetime):
        text: str = _babel_datetime(value, format="medium", locale=locale(lang))
        return text
    day: Any = value.date() if isinstance(value, _dt.datetime) else value
    text = _babel_date(day, format="medium", locale=locale(lang))
    return text


def format_value(value: float, indicator: str, lang: str = "en") -> str:
    """A value of ``indicator`` as a person reads it (shares are fractions: 0.25 -> 25.0%).

    Examples
    --------
    >>> format_value(106.0, "firms")
    '106'
    >>> format_value(1.234, "lq_employment")
    '1.23'
    >>> format_value(0.256, "share_of_sector_employment", "mn")
    '25,6%'
    """
    kind = KIND_OF.get(indicator, "ratio")
    if kind == "share":
        text = format_number(None if value is None else value * 100, 1, lang)
        return text if text == "–" else text + "%"
    return format_number(value, _DECIMALS[kind], lang)


def format_range(low: float, high: float, indicator: str, lang: str = "en") -> str:
    """A class of a legend: ``low – high``, or one value when both are written alike.

    Examples
    --------
    >>> format_range(0, 0.001, "firms")
    '0'
    >>> format_range(0.5, 1.25, "lq_employment")
    '0.50 – 1.25'
    """
    lo, hi = format_value(low, indicator, lang), format_value(high, indicator, lang)
    return lo if lo == hi else f"{lo} – {hi}"


def class_labels(
    bins: Sequence[tuple[float, float, str]], indicator: str, lang: str = "en"
) -> list[str]:
    """Labels of a legend's classes ``[(low, high, colour), ...]``.

    Classes share their bounds (each holds values above the previous upper
    bound). Counts are whole numbers: a class of counts is written from the
    first whole number above its lower bound to the last one within its upper
    bound, so that no count seems to fall in two classes.

    Examples
    --------
    >>> class_labels([(0, 0, "a"), (0, 16, "b"), (16, 40, "c")], "firms")
    ['0', '1 – 16', '17 – 40']
    >>> class_labels([(1, 1.6, "a"), (1.6, 2.4, "b"), (2.4, 233, "c")], "firms")
    ['1', '2', '3 – 233']
    >>> class_labels([(0.0, 0.5, "a"), (0.5, 1.2, "b")], "lq_employment")
    ['0.00 – 0.50', '0.50 – 1.20']
    """
    labels = []
    for i, (low, high, _) in enumerate(bins):
        if KIND_OF.get(indicator) == "count":
            low = math.ceil(low) if i == 0 else math.floor(low) + 1
            high = max(math.floor(high), low)
        labels.append(format_range(low, high, indicator, lang))
    return labels
