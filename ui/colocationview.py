"""Related sectors on the Statistics page (issue #18): a heat map of co-location quotients
with the related pairs marked, the strongest related pairs in words, and a download. The
numbers come from :mod:`geo.colocation` through the shared store of :mod:`ui.loaders`."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

from geo import export
from geo.colocation import related_pairs
from geo.formats import format_number
from geo.safety import escape_markdown
from ui import evidence
from ui.chartexport import chart_context, chart_downloads
from ui.i18n import t
from ui.significanceview import p_text
from ui.state import STATS_WIDGET

#: Radii (km) and relabellings offered; the first of each is not the default (see ui.state).
RADII = ("0.5", "1", "2", "5")
REPLICATES = ("99", "199", "499")
#: Related pairs listed in words.
TOP_PAIRS = 5


def colocation_controls(lang: str) -> tuple[float, int]:
    """The radius and replicates widgets (keys of :data:`ui.state.STATS_WIDGET`)."""
    cols = st.columns([2, 2, 3])
    radius = cols[0].select_slider(
        t("co_radius", lang),
        RADII,
        key=STATS_WIDGET["co_radius"],
        format_func=lambda v: f"{format_number(float(v), 1, lang)} km",
    )
    replicates = cols[1].radio(
        t("co_replicates", lang), REPLICATES, horizontal=True, key=STATS_WIDGET["co_replicates"]
    )
    return float(radius), int(replicates)


def heatmap_chart(table: pd.DataFrame, names: dict, lang: str) -> alt.LayerChart:
    """Sectors against sectors, coloured by log2 of the quotient (blue: less often than all
    firms, red: more often), a dot on the related pairs."""
    data = table.assign(
        a=table["sector_a"].map(lambda k: names.get(k, k)),
        b=table["sector_b"].map(lambda k: names.get(k, k)),
        log2=np.log2(table["colocation"].clip(lower=1 / 8, upper=8)),
        shown=table["colocation"].map(lambda v: format_number(v, 2, lang) if v == v else "–"),
        p=table["p_value"].map(lambda v: format_number(v, 3, lang) if v == v else "–"),
        mark=np.where(table["related"], "●", ""),
    )
    data = data[["a", "b", "log2", "shown", "p", "mark"]]
    order = sorted(set(data["a"]))
    base = alt.Chart(data).encode(
        x=alt.X(
            "b:N",
            sort=order,
            title=t("co_axis_b", lang),
            axis=alt.Axis(labelAngle=-45, labelOverlap=False, labelLimit=160),
        ),
        y=alt.Y(
            "a:N",
            sort=order,
            title=t("co_axis_a", lang),
            axis=alt.Axis(labelOverlap=False, labelLimit=160),
        ),
    )
    cells = base.mark_rect().encode(
        color=alt.Color(
            "log2:Q",
            scale=alt.Scale(scheme="redblue", reverse=True, domain=[-3, 3]),
            title=t("co_legend", lang),
        ),
        tooltip=[
            alt.Tooltip("a:N", title=t("co_axis_a", lang)),
            alt.Tooltip("b:N", title=t("co_axis_b", lang)),
            alt.Tooltip("shown:N", title=t("co_value", lang)),
            alt.Tooltip("p:N", title=t("p_value", lang)),
        ],
    )
    dots = base.mark_text(fontSize=10).encode(text="mark:N")
    return alt.layer(cells, dots).properties(width=alt.Step(20), height=alt.Step(20))


def pair_lines(table: pd.DataFrame, names: dict, radius_km: float, lang: str) -> list[str]:
    """The strongest related pairs, one sentence each (names escaped for Markdown)."""
    replicates = int(table.attrs.get("replicates", 0))
    lines = []
    for row in related_pairs(table, top=TOP_PAIRS).itertuples(index=False):
        lines.append(
            t("co_pair_line", lang).format(
                a=escape_markdown(names.get(row.sector_a, row.sector_a)),
                b=escape_markdown(names.get(row.sector_b, row.sector_b)),
                v=format_number(row.colocation, 2, lang),
                r=format_number(radius_km, 1, lang),
                p=p_text(row.p_value, replicates, lang),
            )
        )
    return lines


def colocation_panel(
    view, selection, names: dict, lang: str, dataset_name: str
) -> pd.DataFrame | None:
    """The Statistics page's section on related sectors; returns the table shown."""
    st.subheader(t("co_title", lang))
    st.caption(t("co_intro", lang))
    radius, replicates = colocation_controls(lang)
    try:
        table = evidence.view_colocation(
            view.dataset,
            repr(selection),
            selection,
            radius,
            replicates,
            progress_text=t("co_progress", lang).format(R=replicates),
        )
    except ValueError:  # too many neighbour pairs for this radius
        st.warning(t("co_too_many", lang))
        return None
    if table.empty or table["colocation"].notna().sum() == 0:
        st.caption(t("no_data", lang))
        return None
    st.markdown(f"**{t('co_related_title', lang)}**")
    lines = pair_lines(table, names, radius, lang)
    st.markdown("\n".join(f"- {line}" for line in lines) if lines else t("co_none", lang))
    chart = heatmap_chart(table, names, lang)
    st.altair_chart(chart, width="content")
    chart_downloads(
        chart,
        "colocation",
        f"colocation_{radius}km",
        f"{t('co_title', lang)} ({format_number(float(radius), 1, lang)} km)",
        chart_context(view, dataset_name, lang),
        lang,
    )
    left_out = sum(table.attrs["left_out"].values())
    st.caption(
        t("co_caption", lang).format(
            n=format_number(table.attrs["firms"], 0, lang),
            left=format_number(left_out, 0, lang),
            R=table.attrs["replicates"],
            seed=table.attrs["seed"],
        )
    )
    demo = view.dataset == "demo"
    meta = export.metadata(
        dataset=view.dataset,
        source=t("demo_source", "en") if demo else dataset_name,
        rows=len(table),
        filters=selection.as_dict(),
        parameters={
            "by": "sector",
            "radius_km": radius,
            "replicates": replicates,
            "seed": table.attrs["seed"],
            "alpha": table.attrs["alpha"],
            "adjustment": "holm (p_adjusted)",
        },
        what="co-location quotients",
    )
    stem = "cluster_atlas_demo_synthetic" if demo else f"cluster_atlas_{view.dataset}"
    cols = st.columns(2)
    cols[0].download_button(
        t("co_download", lang),
        lambda: export.csv_bytes(table),
        f"{stem}_colocation.csv",
        "text/csv",
        key="dl_colocation_csv",
        on_click="ignore",
    )
    cols[1].download_button(
        t("metadata_json", lang),
        export.metadata_json(meta),
        f"{stem}_colocation.metadata.json",
        "application/json",
        key="dl_colocation_meta",
        on_click="ignore",
    )
    return table
