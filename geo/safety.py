"""Neutralising untrusted text: one function for HTML/JavaScript, one for spreadsheets.

Data-derived text (firm names, addresses, column names) reaches folium's HTML
and JavaScript, where folium 0.20 places it inside JavaScript template
literals and ``innerHTML``. :func:`escape_text` is the *only* function the
project uses to make such text inert; :func:`neutralise_formula` is the only
one used for spreadsheet cells.
"""

from __future__ import annotations

import html
import math
import re

import pandas as pd

__all__ = [
    "escape_markdown",
    "escape_text",
    "neutralise_formula",
    "neutralise_formulas",
    "shorten",
    "FORMULA_PREFIXES",
]

_EXTRA = str.maketrans(
    {
        "\\": "&#92;",  # a backslash would start a JavaScript escape sequence
        "`": "&#96;",  # ends a template literal
        "$": "&#36;",  # starts a ${...} substitution
        "{": "&#123;",  # template and Jinja delimiters
        "}": "&#125;",
        "\n": "&#10;",  # line breaks end ordinary JavaScript strings
        "\r": "&#13;",
        "\u2028": "&#8232;",
        "\u2029": "&#8233;",
        "\0": "",
    }
)
# Bidirectional controls (embeddings, overrides, isolates, marks) are dropped: a
# right-to-left override in a firm name would reorder the text around it
# ("exe.txt" shown as "txt.exe"). Mongolian, in Cyrillic or Latin, never needs them.
_EXTRA.update(
    {
        code: None
        for code in (0x200E, 0x200F, 0x061C, *range(0x202A, 0x202F), *range(0x2066, 0x206A))
    }
)


def escape_text(value: object) -> str:
    """Make a value safe to place in HTML *and* inside any JavaScript string.

    Escapes what :func:`html.escape` does (``& < > " '``) and, in addition,
    backslashes, backticks, ``$``, braces, line breaks and the Unicode line
    separators, all as HTML character references; bidirectional control
    characters (which reorder the text shown around them) are dropped. The result shows the
    original text exactly when a browser renders it as HTML, and contains no
    character that can end or interpolate a JavaScript string or template
    literal.

    Parameters
    ----------
    value : object
        Any value; ``None`` and NaN give an empty string, others are
        converted with :class:`str`.

    Returns
    -------
    str

    Examples
    --------
    >>> escape_text("<b>${alert(1)}</b>")
    '&lt;b&gt;&#36;&#123;alert(1)&#125;&lt;/b&gt;'
    >>> escape_text("Хаан ХХК")
    'Хаан ХХК'
    >>> escape_text("Evil \u202eexe.txt")
    'Evil exe.txt'
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return html.escape(str(value), quote=True).translate(_EXTRA)


def shorten(value: object, limit: int = 160) -> str:
    """At most ``limit`` characters of a text, with an ellipsis where it was cut
    (a 2,000-character name would otherwise run far past a popup).

    Examples
    --------
    >>> shorten("abcdef", 4)
    'abc…'
    >>> shorten(None)
    ''
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


#: First characters that make a spreadsheet treat a text cell as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")


def neutralise_formula(value: object) -> object:
    """Prefix a text cell that a spreadsheet would run as a formula with ``'``.

    Only strings are touched; numbers (including negative ones) pass
    unchanged, so that ``-5`` stays a number while ``"-5+cmd"`` becomes text.
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with :func:`neutralise_formula` applied to every text
    cell, column by column at once (numeric columns are left alone: only text
    can hold a formula). Column names are neutralised too.
    """
    safe = frame.copy()
    for column in safe.columns:
        values = safe[column]
        if not (values.dtype == object or pd.api.types.is_string_dtype(values)):
            continue
        # non-text cells (numbers, None) give NA: left alone
        found = values.str.startswith(FORMULA_PREFIXES).astype("boolean").fillna(False)
        starts = found.to_numpy(dtype=bool)
        if starts.any():
            fixed = values.astype(object)
            fixed[starts] = "'" + values[starts].astype("str")
            safe[column] = fixed if values.dtype == object else fixed.astype(values.dtype)
    safe.columns = [neutralise_formula(c) for c in safe.columns]
    return safe


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def escape_markdown(value: object) -> str:
    """Text from data made inert for Streamlit's Markdown (``st.markdown``,
    ``st.caption``, widget labels): every Markdown and HTML character
    backslash-escaped, so no link, image, emphasis or LaTeX can appear.
    """
    if value is None:
        return ""
    text = str(value).replace("\r", " ").replace("\n", " ")
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)
