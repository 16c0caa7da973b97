"""The Statistics page's tables and charts."""

from __future__ import annotations

import functools
from collections.abc import Callable

import altair as alt
import pandas as pd
import streamlit as st

from geo import export
from geo.maps.style import CHART_PAIR
from geo.formats import KIND_OF, format_number, format_value
from geo.safety import escape_markdown
from geo.view import View
from geo.stats import KEY_COLUMN, morans_i
from ui import loaders
from ui.chartexport import ChartContext, chart_downloads
from ui.i18n import t
from ui.widgets import filter_summary

#: Columns of the unit table, in order.
TABLE_COLUMNS = (
    "firms",
    "employees",
    "share_of_unit_employment",
    "share_of_sector_employment",
    "lq_employment",
    "lq_firms",
    "employees_per_10k",
    "hhi",
    "cmp_strong",
    "eco_stars",
    "lq_note",
)


def indicator_table(rows: pd.DataFrame, level: str, lang: str) -> pd.DataFrame:
    """The units of one sector, translated headers, names in the chosen language."""
    name_col = "name_mn" if lang == "mn" else "name_en"
    key = KEY_COLUMN[level]
    out = pd.DataFrame(
        {t("code", lang): rows[key].to_numpy(), t("name", lang): rows[name_col].to_numpy()}
    )
    if level == "region":  # regions are keyed by their English name: no code to show
        out = out.drop(columns=[t("code", lang)])
    for column in TABLE_COLUMNS:
        values = rows[column]
        if column == "lq_note":
            values = values.map(lambda v: t("small_count", lang) if v else "")
        elif column.startswith("share"):
            values = (values * 100).round(1)
        elif values.dtype.kind == "f":
            values = values.round(2)
        out[t(f"col_{column}", lang)] = values.to_numpy()
    return out


def table_formats(lang: str) -> dict[str, Callable[[float], str]]:
    """How :func:`indicator_table`'s number columns are written (translated header ->
    formatter): counts as whole numbers, quotients with two decimals, rates and shares
    (already in per cent) with one, in the language's way."""
    decimals = {"count": 0, "ratio": 2, "rate": 1, "share": 1}
    return {
        t(f"col_{c}", lang): functools.partial(
            format_number, decimals=decimals[KIND_OF[c]], lang=lang
        )
        for c in TABLE_COLUMNS
        if c in KIND_OF
    }


def top_units_chart(
    rows: pd.DataFrame,
    level: str,
    indicator: str,
    lang: str,
    *,
    sector: str = "",
    sector_name: str = "",
    charts: ChartContext | None = None,
) -> None:
    """A bar chart of the ten units with the highest value of the indicator (with PNG and
    SVG downloads when ``charts`` is given)."""
    name_col = "name_mn" if lang == "mn" else "name_en"
    # units with no firms of the sector (or outside the view's filter) are no "top" units
    units = rows[(rows[KEY_COLUMN[level]] != "MN") & (rows["firms"] > 0)].dropna(subset=[indicator])
    top = units.nlargest(10, indicator)
    st.markdown(f"**{t('top_units', lang)}: {t('ind_' + indicator, lang)}**")
    if top.empty:
        st.caption(t("no_data", lang))
        return
    values = pd.DataFrame(
        {
            "unit": top[name_col],
            "value": top[indicator],
            "shown": top[indicator].map(lambda v: format_value(v, indicator, lang)),
        }
    )
    chart = (
        alt.Chart(values)
        .mark_bar()
        .encode(
            x=alt.X("value:Q", title=t("ind_" + indicator, lang)),
            y=alt.Y("unit:N", sort="-x", title=None),
            tooltip=["unit", alt.Tooltip("shown:N", title=t("ind_" + indicator, lang))],
        )
    )
    st.altair_chart(chart, width="stretch")
    title = f"{t('top_units', lang)}: {t('ind_' + indicator, lang)}"
    chart_downloads(
        chart,
        "top_units",
        f"top_{level}_{sector}_{indicator}",
        f"{title} · {sector_name}" if sector_name else title,
        charts,
        lang,
    )


def portfolio_chart(
    table: pd.DataFrame,
    code: str,
    names: dict,
    lang: str,
    *,
    aimag_name: str = "",
    charts: ChartContext | None = None,
) -> None:
    """Cluster portfolio of one aimag: each sector's LQ against its employees, size = firms
    (after the U.S. Cluster Mapping Project's portfolio chart).

    Only the sectors that matter carry a label (specialised, LQ >= 1, or among the
    five largest employers): labels of all fifteen sectors overlapped; every
    bubble names its sector on hover.
    """
    rows = table[(table["aimag_code"] == code) & (table["firms"] > 0)]
    if rows.empty:
        return
    strong = {True: t("strong_cluster_yes", lang), False: t("strong_cluster_no", lang)}
    frame = pd.DataFrame(
        {
            "sector": rows["sector"].map(lambda k: names.get(k, k)),
            "lq": rows["lq_employment"].clip(lower=0.01),
            "employees": rows["employees"].clip(lower=1),
            "firms": rows["firms"],
            "employees_shown": rows["employees"].map(lambda v: format_number(v, 0, lang)),
            "strong": rows["cmp_strong"].fillna(False).astype(bool).map(strong),
        }
    )
    labelled = frame[(frame["lq"] >= 1) | frame["employees"].rank(ascending=False).le(5)]
    st.markdown(f"**{t('portfolio', lang)}**")
    st.caption(t("portfolio_help", lang))
    x = alt.X("lq:Q", scale=alt.Scale(type="log"), title=t("col_lq_employment", lang))
    y = alt.Y("employees:Q", scale=alt.Scale(type="log"), title=t("col_employees", lang))
    bubbles = (
        alt.Chart(frame)
        .mark_circle(opacity=0.7)
        .encode(
            x=x,
            y=y,
            size=alt.Size("firms:Q", title=t("col_firms", lang)),
            color=alt.Color(
                "strong:N",
                title=t("col_cmp_strong", lang),
                scale=alt.Scale(domain=[strong[True], strong[False]], range=list(CHART_PAIR)),
            ),
            tooltip=[
                alt.Tooltip("sector:N", title=t("sector", lang)),
                alt.Tooltip("lq:Q", format=".2f", title="LQ"),
                alt.Tooltip("employees_shown:N", title=t("col_employees", lang)),
                alt.Tooltip("firms:Q", title=t("col_firms", lang)),
            ],
        )
    )
    labels = (
        alt.Chart(labelled)
        .mark_text(align="left", dx=7, dy=-6, fontSize=11)
        .encode(x=x, y=y, text="sector")
    )
    rule = alt.Chart(pd.DataFrame({"x": [1.0]})).mark_rule(strokeDash=[4, 3]).encode(x="x:Q")
    chart = bubbles + labels + rule
    st.altair_chart(chart, width="stretch")
    title = t("portfolio", lang)
    chart_downloads(
        chart,
        "portfolio",
        f"portfolio_{code}",
        f"{title}: {aimag_name}" if aimag_name else title,
        charts,
        lang,
    )


def moran_panel(rows: pd.DataFrame, sector: str, names: dict, lang: str) -> None:
    """Global and local Moran's I of the sector's LQ across aimags, in plain words."""
    aimags = loaders.aimags()
    values = rows.set_index("aimag_code")["lq_employment"]
    result = _moran(sector, tuple(values.fillna(0).round(6).items()))
    st.subheader(t("moran_title", lang))
    if result.I != result.I:
        st.caption(t("moran_flat", lang))
        return
    if result.p_value < 0.05 and result.I > result.expected:
        reading = t("moran_clustered", lang)
    elif result.p_value < 0.05:
        reading = t("moran_dispersed", lang)
    else:
        reading = t("moran_random", lang)
    st.write(
        f"{reading} (I = {format_number(result.I, 2, lang)}, "
        f"p = {format_number(result.p_value, 3, lang)}; "
        f"{t('moran_expected', lang)} {format_number(result.expected, 2, lang)})"
    )
    local = result.local[result.local["significant"]]
    if len(local):
        name_col = "name_mn" if lang == "mn" else "name_en"
        label = dict(zip(aimags["iso_3166_2"], aimags[name_col]))
        st.dataframe(
            pd.DataFrame(
                {
                    t("name", lang): local["aimag_code"].map(label),
                    t("moran_quadrant", lang): local["quadrant"].map(
                        lambda q: t(f"lisa_{q}", lang)
                    ),
                    "p": local["p_value"].round(3),
                }
            ),
            hide_index=True,
            width="stretch",
        )


@st.cache_data(show_spinner=False, max_entries=64)
def _moran(sector: str, values: tuple):
    import pandas as pd

    return morans_i(pd.Series(dict(values)), loaders.aimags(), permutations=999)


def view_caption(view: View, available: dict[str, str], lang: str) -> None:
    """Which dataset and filter the page shows (the session's, set on the Map page)."""
    name = t("demo_name", lang) if view.dataset == "demo" else available[view.dataset]
    parts = [f"**{t('dataset', lang)}:** {escape_markdown(name)}"]
    summary = filter_summary(view, lang)
    parts.append(
        f"**{t('filters', lang)}:** "
        + (escape_markdown(summary) if summary else t("no_filter", lang))
    )
    st.caption(" · ".join(parts) + f" ({t('set_on_map', lang)})")
    if view.dataset == "demo":
        st.warning(t("demo_warning", lang))


def stats_downloads(
    table: pd.DataFrame,
    rows: pd.DataFrame,
    level: str,
    sector: str,
    lang: str,
    *,
    view: View,
    dataset_name: str,
) -> None:
    """CSV and XLSX of the sector's table and of the whole table (all sectors), named
    after the dataset, with its filter in the metadata."""
    demo = view.dataset == "demo"
    selection = view.firm_filter().replace(sectors=())
    meta = export.metadata(
        dataset=view.dataset,
        source=t("demo_source", "en") if demo else dataset_name,
        rows=len(table),
        filters=selection.as_dict(),
        parameters={"level": level, "by": "sector", "weight": "employees"},
        what="sector statistics",
        boundaries=loaders.boundary_source(),
    )
    stem = (
        f"cluster_atlas_demo_synthetic_{level}" if demo else f"cluster_atlas_{view.dataset}_{level}"
    )
    cols = st.columns(3)
    cols[0].download_button(
        f"{t('download_sector', lang)} (CSV)",
        lambda: export.csv_bytes(rows),
        f"{stem}_{sector}.csv",
        "text/csv",
        key="dl_stats_sector_csv",
        on_click="ignore",
    )
    cols[1].download_button(
        f"{t('download_all', lang)} (CSV)",
        lambda: export.csv_bytes(table),
        f"{stem}_all.csv",
        "text/csv",
        key="dl_stats_all_csv",
        on_click="ignore",
    )
    cols[2].download_button(
        f"{t('download_all', lang)} (XLSX)",
        lambda: export.xlsx_bytes({"statistics": table}, meta),
        f"{stem}_all.xlsx",
        key="dl_stats_all_xlsx",
        on_click="ignore",
    )
