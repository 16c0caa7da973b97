"""The Statistics page's comparison: up to ten units of the current level side by side
(:mod:`geo.compare`), in one table and one chart, kept in the URL as ``cmp=``."""

from __future__ import annotations

import functools

import altair as alt
import pandas as pd
import streamlit as st

from geo.compare import COMPARE_MAX_UNITS, compare_summary, compare_units
from geo.formats import format_number
from geo.stats import KEY_COLUMN
from ui.chartexport import ChartContext, chart_downloads
from ui.i18n import t
from ui.state import STATS_WIDGET


def unit_names(statistics: pd.DataFrame, level: str, lang: str) -> dict[str, str]:
    """Unit key -> its name in ``lang``."""
    name_col = "name_mn" if lang == "mn" else "name_en"
    units = statistics.drop_duplicates(KEY_COLUMN[level])
    return dict(zip(units[KEY_COLUMN[level]].astype(str), units[name_col].astype(str)))


def summary_table(
    summary: pd.DataFrame, level: str, sectors: dict[str, str], lang: str
) -> pd.DataFrame:
    """One row per unit: name, firms, employees, breadth, strong clusters, top sector."""
    name_col = "name_mn" if lang == "mn" else "name_en"
    return pd.DataFrame(
        {
            t("name", lang): summary[name_col].to_numpy(),
            t("col_firms", lang): summary["firms"].to_numpy(),
            t("col_employees", lang): summary["employees"].round().astype(int).to_numpy(),
            t("compare_effective_sectors", lang): summary["effective_sectors"].round(1).to_numpy(),
            t("compare_strong_count", lang): summary["strong_clusters"].to_numpy(),
            t("compare_strong_sectors", lang): summary["strong_sectors"]
            .map(lambda keys: ", ".join(sectors.get(k, k) for k in keys))
            .to_numpy(),
            t("compare_top_sector", lang): summary["top_sector"]
            .map(lambda k: sectors.get(k, k))
            .to_numpy(),
        }
    )


def portfolio_table(
    portfolio: pd.DataFrame, level: str, sectors: dict[str, str], lang: str
) -> pd.DataFrame:
    """Every sector of every unit: firms, employees, LQ, strong cluster, stars."""
    name_col = "name_mn" if lang == "mn" else "name_en"
    return pd.DataFrame(
        {
            t("compare_unit", lang): portfolio[name_col].to_numpy(),
            t("sector", lang): portfolio["sector"].map(lambda k: sectors.get(k, k)).to_numpy(),
            t("col_firms", lang): portfolio["firms"].to_numpy(),
            t("col_employees", lang): portfolio["employees"].round().astype(int).to_numpy(),
            t("col_lq_employment", lang): portfolio["lq_employment"].round(2).to_numpy(),
            t("col_cmp_strong", lang): portfolio["cmp_strong"]
            .fillna(False)
            .astype(bool)
            .to_numpy(),
            t("col_eco_stars", lang): portfolio["eco_stars"].to_numpy(),
        }
    )


def lq_chart(portfolio: pd.DataFrame, level: str, sectors: dict[str, str], lang: str):
    """LQ by sector, one dot per unit (log scale; the line at 1 is the country's share);
    filled dots are strong clusters."""
    name_col = "name_mn" if lang == "mn" else "name_en"
    shown = portfolio[portfolio["firms"] > 0]
    strong = {True: t("strong_cluster_yes", lang), False: t("strong_cluster_no", lang)}
    frame = pd.DataFrame(
        {
            "unit": shown[name_col].to_numpy(),
            "sector": shown["sector"].map(lambda k: sectors.get(k, k)).to_numpy(),
            "lq": shown["lq_employment"].clip(lower=0.01).to_numpy(),
            "employees": shown["employees"].map(lambda v: format_number(v, 0, lang)).to_numpy(),
            "strong": shown["cmp_strong"].fillna(False).astype(bool).map(strong).to_numpy(),
        }
    )
    units = list(dict.fromkeys(frame["unit"]))
    x = alt.X("lq:Q", scale=alt.Scale(type="log"), title=t("col_lq_employment", lang))
    encoding = dict(
        x=x,
        y=alt.Y("sector:N", title=None, sort="ascending"),
        color=alt.Color("unit:N", title=t("compare_unit", lang), scale=alt.Scale(domain=units)),
        tooltip=[
            alt.Tooltip("unit:N", title=t("compare_unit", lang)),
            alt.Tooltip("sector:N", title=t("sector", lang)),
            alt.Tooltip("lq:Q", format=".2f", title="LQ"),
            alt.Tooltip("employees:N", title=t("col_employees", lang)),
            alt.Tooltip("strong:N", title=t("col_cmp_strong", lang)),
        ],
    )
    # strong clusters are filled dots, the other sectors rings, both in the unit's colour
    is_strong = alt.datum.strong == strong[True]
    rings = (
        alt.Chart(frame)
        .transform_filter(~is_strong)
        .mark_point(size=70, filled=False, strokeWidth=2)
        .encode(**encoding)
    )
    dots = (
        alt.Chart(frame)
        .transform_filter(is_strong)
        .mark_point(size=90, filled=True, opacity=0.95)
        .encode(**encoding)
    )
    rule = alt.Chart(pd.DataFrame({"x": [1.0]})).mark_rule(strokeDash=[4, 3]).encode(x="x:Q")
    n_sectors = max(1, frame["sector"].nunique())
    return (rule + rings + dots).properties(height=min(40 + 24 * n_sectors, 700))


def compare_panel(
    statistics: pd.DataFrame,
    level: str,
    options: list[str],
    sectors: dict[str, str],
    lang: str,
    charts: ChartContext | None,
) -> list[str]:
    """The multiselect of units (seeded by :func:`ui.state.seed_compare_widget`), their
    summary table, the LQ chart (with downloads) and every sector in an expander."""
    names = unit_names(statistics, level, lang)
    st.subheader(t("compare_title", lang))
    st.caption(t("compare_help", lang).format(n=COMPARE_MAX_UNITS))
    chosen = st.multiselect(
        t("compare_units", lang),
        options,
        format_func=names.get,
        key=STATS_WIDGET["compare"],
        max_selections=COMPARE_MAX_UNITS,
        placeholder=t("compare_placeholder", lang),
    )
    if not chosen:
        st.caption(t("compare_empty", lang))
        return chosen
    summary = compare_summary(statistics, chosen, level=level)
    with st.container(key="compare_table"):  # a keyed box: tests find the table in it
        shown = summary_table(summary, level, sectors, lang)
        counts = {
            t(k, lang): functools.partial(format_number, decimals=d, lang=lang)
            for k, d in (("col_firms", 0), ("col_employees", 0), ("compare_effective_sectors", 1))
        }
        st.dataframe(shown.style.format(counts, na_rep="–"), hide_index=True, width="stretch")
    portfolio = compare_units(statistics, chosen, level=level)
    chart = lq_chart(portfolio, level, sectors, lang)
    title = t("compare_chart", lang)
    st.markdown(f"**{title}**")
    st.altair_chart(chart, width="stretch")
    chart_downloads(
        chart,
        "compare",
        f"compare_{level}_" + "_".join(chosen),
        f"{title}: " + ", ".join(names.get(c, c) for c in chosen),
        charts,
        lang,
    )
    with st.expander(t("compare_detail", lang)):
        st.dataframe(
            portfolio_table(portfolio, level, sectors, lang),
            hide_index=True,
            width="stretch",
            column_config={
                t("col_lq_employment", lang): st.column_config.NumberColumn(format="%.2f")
            },
        )
    return chosen
