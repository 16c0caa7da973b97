"""Charts to take away: PNG and SVG downloads under every chart of the Statistics page.

Each chart leaves with its title, the view's filter and the source of its
data (:func:`geo.chartimage.chart_image`); file names carry the dataset
(``cluster_atlas_<dataset>_<chart>.png``; the demo's say it is synthetic). The
image is made only when a button is pressed.
"""

from __future__ import annotations

from dataclasses import dataclass

import altair as alt
import streamlit as st

from geo.chartimage import FORMATS, chart_image
from geo.view import View
from ui.i18n import t
from ui.widgets import filter_summary


@dataclass(frozen=True)
class ChartContext:
    """What every exported chart of a view says besides its title.

    Attributes
    ----------
    stem : str
        File name stem, with the dataset.
    source : str
        The source line.
    filter_text : str
        The view's filter in words.
    """

    stem: str
    source: str
    filter_text: str


def chart_context(view: View, dataset_name: str, lang: str) -> ChartContext:
    """The view's file name stem, source line and filter line, in ``lang``."""
    demo = view.dataset == "demo"
    stem = "cluster_atlas_demo_synthetic" if demo else f"cluster_atlas_{view.dataset}"
    source = t("demo_source", lang) if demo else dataset_name
    summary = filter_summary(view, lang) or t("no_filter", lang)
    return ChartContext(
        stem=stem,
        source=t("chart_source", lang).format(source=source),
        filter_text=f"{t('filters', lang)}: {summary}",
    )


def chart_file_name(context: ChartContext, name: str, fmt: str) -> str:
    """``<stem>_<name>.<fmt>`` with the name made safe for a file system."""
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in name)
    return f"{context.stem}_{safe}.{fmt}"


def chart_downloads(
    chart: alt.TopLevelMixin,
    kind: str,
    name: str,
    title: str,
    context: ChartContext | None,
    lang: str,
) -> None:
    """PNG and SVG buttons for ``chart`` (none without a context): widget keys
    ``dl_chart_<kind>_png`` and ``_svg``, files ``<stem>_<name>.png`` and ``.svg``."""
    if context is None:
        return
    row = st.container(horizontal=True, gap="small")  # buttons as wide as their labels
    for fmt in FORMATS:
        row.download_button(
            t(f"chart_{fmt}", lang),
            lambda fmt=fmt: chart_image(
                chart.to_dict(),
                fmt,
                title=title,
                source=context.source,
                filter_text=context.filter_text,
                lang=lang,
            ),
            chart_file_name(context, name, fmt),
            FORMATS[fmt],
            key=f"dl_chart_{kind}_{fmt}",
            on_click="ignore",
            icon=":material/download:",
        )
