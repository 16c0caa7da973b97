"""A chart to take away: a Vega-Lite chart as PNG or SVG, with its title, filter and source.

The dashboard's charts are Vega-Lite specifications (made with altair).
:func:`chart_image` adds what a chart needs once it leaves the page, a title
and, under it, the filter it shows and where its data come from, and renders
it with vl-convert, which runs Vega in-process: no browser, no network (the
conversion may fetch no URL). Text is set in DejaVu Sans (matplotlib's copy,
which covers Cyrillic); the SVG keeps its text as text.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Mapping
from typing import Any, Literal

from geo.formats import NUMBER_SYMBOLS

__all__ = ["FONT", "FORMATS", "annotated_spec", "chart_image", "number_locale"]

#: The font of every text in an exported chart.
FONT = "DejaVu Sans"
#: The formats :func:`chart_image` writes, with their media types.
FORMATS = {"png": "image/png", "svg": "image/svg+xml"}

#: Width of an exported chart that has none of its own (pixels, before ``scale``).
DEFAULT_WIDTH = 640
#: Longest title and subtitle line kept (longer ones end in "…").
MAX_LINE = 160

_fonts_registered = False


def _register_fonts() -> None:
    """Make matplotlib's DejaVu fonts known to vl-convert (once per process)."""
    global _fonts_registered
    if _fonts_registered:
        return
    import matplotlib
    import vl_convert

    vl_convert.register_font_directory(os.path.join(matplotlib.get_data_path(), "fonts", "ttf"))
    _fonts_registered = True


def _line(text: object) -> str:
    value = " ".join("".join(c if c.isprintable() else " " for c in str(text)).split())
    return value if len(value) <= MAX_LINE else value[: MAX_LINE - 1] + "…"


def annotated_spec(
    spec: Mapping[str, Any],
    *,
    title: str,
    source: str = "",
    filter_text: str = "",
    width: int = DEFAULT_WIDTH,
) -> dict[str, Any]:
    """The chart's specification with a title, and the filter and source as subtitle lines.

    Parameters
    ----------
    spec : mapping
        A Vega-Lite specification (``altair.Chart.to_dict()``); not changed.
    title : str
        What the chart shows.
    source, filter_text : str
        Where its data come from, and which firms it counts ("" leaves a line out).
    width : int
        Width given to a single or layered chart that has none.

    Returns
    -------
    dict

    Examples
    --------
    >>> spec = {"mark": "bar", "data": {"values": [{"a": 1}]}, "encoding": {}}
    >>> out = annotated_spec(
    ...     spec, title="Top aimags", source="Source: demo", filter_text="Filter: none"
    ... )
    >>> out["title"]["text"], out["title"]["subtitle"]
    ('Top aimags', ['Filter: none', 'Source: demo'])
    >>> "title" in spec
    False
    """
    out = copy.deepcopy(dict(spec))
    subtitle = [_line(x) for x in (filter_text, source) if x]
    out["title"] = {
        "text": _line(title),
        "subtitle": subtitle,
        "anchor": "start",
        "fontSize": 14,
        "subtitleFontSize": 10,
        "subtitleColor": "#555555",
        "offset": 8,
    }
    if "width" not in out and not any(
        k in out for k in ("hconcat", "vconcat", "concat", "facet", "repeat")
    ):
        out["width"] = width
    config = dict(out.get("config") or {})
    config["font"] = FONT
    out["config"] = config
    out.setdefault("background", "white")
    return out


def number_locale(lang: str) -> dict[str, Any] | None:
    """d3's number locale for ``lang``: the separators the app's tables use
    (:data:`geo.formats.NUMBER_SYMBOLS`); None for d3's own (English).

    Examples
    --------
    >>> number_locale("mn")["decimal"], number_locale("en")
    (',', None)
    """
    symbols = NUMBER_SYMBOLS.get(lang)
    if not symbols:
        return None
    return {
        "decimal": symbols["decimal"],
        "thousands": symbols["group"],
        "grouping": [3],
        "currency": ["", ""],
    }


def chart_image(
    spec: Mapping[str, Any],
    fmt: Literal["png", "svg"] = "png",
    *,
    title: str,
    source: str = "",
    filter_text: str = "",
    scale: float = 2.0,
    lang: str = "en",
) -> bytes:
    """The chart, titled (:func:`annotated_spec`), as PNG or SVG bytes.

    Parameters
    ----------
    spec : mapping
        A Vega-Lite specification with its data inline.
    fmt : {"png", "svg"}
    title, source, filter_text : str
        See :func:`annotated_spec`.
    scale : float, default 2.0
        PNG pixels per chart pixel (2: sharp on slides and print).
    lang : str, default "en"
        Axis numbers are written with this language's separators (:func:`number_locale`).

    Returns
    -------
    bytes
        A PNG image, or an SVG document in UTF-8.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown chart format {fmt!r}: use one of {sorted(FORMATS)}")
    import vl_convert

    _register_fonts()
    full = annotated_spec(spec, title=title, source=source, filter_text=filter_text)
    # offline: the conversion may load no URL (the data are inline)
    numbers = number_locale(lang)
    if fmt == "png":
        png: bytes = vl_convert.vegalite_to_png(
            full, scale=scale, allowed_base_urls=[], format_locale=numbers
        )
        return png
    svg: str = vl_convert.vegalite_to_svg(full, allowed_base_urls=[], format_locale=numbers)
    return svg.encode("utf-8")
