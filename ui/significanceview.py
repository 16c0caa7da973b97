"""Evidence against chance on the pages (issue #17): cluster p-values on the Map,
K-densities on Statistics. The numbers come from :mod:`geo.significance` and
:mod:`geo.localisation` through the shared store of :mod:`ui.loaders`."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from geo import export
from geo.formats import format_number
from geo.maps.style import CHART_SIGNIFICANCE
from geo.safety import escape_markdown
from geo.settings import KDENSITY_REPLICATES
from ui import evidence
from ui.chartexport import chart_context, chart_downloads
from ui.i18n import t


def p_text(p: float, replicates: int, lang: str = "en") -> str:
    """A Monte Carlo p-value as people read it: ``≤ 0.002`` at the smallest possible."""
    if p != p:
        return "–"
    smallest = 1.0 / (replicates + 1)
    digits = 3 if smallest < 0.01 else 2
    if p <= smallest * (1 + 1e-9):
        return f"≤ {format_number(smallest, digits, lang)}"
    return f"= {format_number(p, digits, lang)}"


# -- the Map ---------------------------------------------------------------------------------


def cluster_columns(clusters: pd.DataFrame, lang: str) -> dict[str, object]:
    """The cluster list's p-value and significance columns (in the list's row order)."""
    return {
        t("significant_short", lang): clusters["significant"].to_numpy(dtype=bool),
        t("p_value", lang): clusters["p_value"].to_numpy(),
    }


def column_config(lang: str) -> dict:
    """How the list shows them: p with three decimals, significance as a tick."""
    return {
        t("p_value", lang): st.column_config.NumberColumn(format="%.3f"),
        t("significant_short", lang): st.column_config.CheckboxColumn(),
    }


def significance_note(result, clusters: pd.DataFrame, shown: pd.DataFrame, lang: str) -> None:
    """What p and the tick mean, with R and the seed; how many clusters are hidden."""
    tested = int(result.sectors["tested"].sum())
    st.caption(t("sig_note", lang).format(R=result.replicates, seed=result.seed, m=tested))
    hidden = len(clusters) - len(shown)
    if hidden:
        st.caption(t("sig_hidden_note", lang).format(n=hidden))


def cluster_detail(cluster, replicates: int, lang: str) -> None:
    """The selected cluster's p-value, footprint, local LQ and hypergeometric tail."""
    if "p_value" not in cluster or cluster["p_value"] != cluster["p_value"]:
        return
    tail = float(cluster["hypergeom_p"])
    st.caption(
        t("sig_detail", lang).format(
            p=p_text(float(cluster["p_value"]), replicates, lang),
            n=format_number(cluster["footprint_firms"], 0, lang),
            c=format_number(cluster["footprint_sector_firms"], 0, lang),
            lq=format_number(cluster["local_lq"], 2, lang),
            h=f"{tail:.1e}" if tail < 0.001 else f"{tail:.3f}",
        )
    )


def headline_count(clusters, result) -> tuple[int, dict[str, object]] | None:
    """The headline's cluster figure: significant clusters only, and the help's values."""
    if result is None or clusters is None or "significant" not in clusters.columns:
        return None
    k = int(clusters["significant"].sum())
    return k, {"k": k, "n": len(clusters), "R": result.replicates, "seed": result.seed}


# -- Statistics ------------------------------------------------------------------------------


def _ranges_text(ranges, lang: str) -> str:
    return ", ".join(f"{format_number(a, 1, lang)}–{format_number(b, 1, lang)}" for a, b in ranges)


def localisation_sentence(row, name: str, result, lang: str) -> str:
    """ "Mining: localised up to 8.4 km, p ≤ 0.01." (or dispersed, neither, too few)."""
    sector = escape_markdown(name)
    if row["status"] == "too few":
        return t("kd_too_few", lang).format(sector=sector)
    if row["status"] == "localised":
        ranges = row["localised_ranges"]
        p = p_text(row["p_localised"], result.replicates, lang)
        if len(ranges) == 1 and ranges[0][0] <= result.step_km:
            return t("kd_localised_up_to", lang).format(
                sector=sector, km=format_number(ranges[0][1], 1, lang), p=p
            )
        return t("kd_localised_at", lang).format(
            sector=sector, ranges=_ranges_text(ranges, lang), p=p
        )
    if row["status"] == "dispersed":
        return t("kd_dispersed_at", lang).format(
            sector=sector,
            ranges=_ranges_text(row["dispersed_ranges"], lang),
            p=p_text(row["p_dispersed"], result.replicates, lang),
        )
    return t("kd_neither", lang).format(
        sector=sector,
        D=format_number(result.max_km, 0, lang),
        p=format_number(row["p_localised"], 2, lang),
    )


def kdensity_chart(curve: pd.DataFrame, lang: str):
    """The K-density with its local band (shaded) and global band (dashed lines)."""
    x = alt.X("distance_km:Q", title=t("kd_distance", lang))
    y_title = t("kd_density", lang)
    local = (
        alt.Chart(curve)
        .mark_area(opacity=0.35, color=CHART_SIGNIFICANCE[1])
        .encode(x=x, y=alt.Y("local_low:Q", title=y_title), y2="local_high:Q")
    )
    bands = curve.melt(
        id_vars="distance_km",
        value_vars=["global_low", "global_high"],
        var_name="band",
        value_name="value",
    )
    glob = (
        alt.Chart(bands)
        .mark_line(strokeDash=[5, 4], color=CHART_SIGNIFICANCE[2])
        .encode(x=x, y=alt.Y("value:Q", title=y_title), detail="band:N")
    )
    line = (
        alt.Chart(curve.assign(what=t("kd_observed", lang)))
        .mark_line(color=CHART_SIGNIFICANCE[0], strokeWidth=2.5)
        .encode(
            x=x,
            y=alt.Y("k_density:Q", title=y_title),
            tooltip=[
                alt.Tooltip("distance_km:Q", title=t("kd_distance", lang), format=".1f"),
                alt.Tooltip("k_density:Q", title=y_title, format=".4f"),
            ],
        )
    )
    key = pd.DataFrame(
        {"what": [t("kd_observed", lang), t("kd_local", lang), t("kd_global", lang)]}
    )
    legend = (
        alt.Chart(key)
        .mark_point(opacity=0)
        .encode(
            color=alt.Color(
                "what:N",
                title=None,
                scale=alt.Scale(domain=list(key["what"]), range=list(CHART_SIGNIFICANCE)),
                legend=alt.Legend(
                    orient="bottom",
                    direction="vertical",
                    symbolOpacity=1,
                    symbolType="stroke",
                    labelLimit=400,
                ),
            )
        )
    )
    return (local + glob + line + legend).properties(height=260)


def localisation_table(summary: pd.DataFrame, names: dict, lang: str) -> pd.DataFrame:
    """Sectors by localisation: reading, distances, index, p-value."""
    where = [(r["localised_ranges"] or r["dispersed_ranges"]) for _, r in summary.iterrows()]
    p = [
        r["p_dispersed"] if r["status"] == "dispersed" else r["p_localised"]
        for _, r in summary.iterrows()
    ]
    return pd.DataFrame(
        {
            t("sector", lang): summary["sector"].map(lambda k: names.get(k, k)).to_numpy(),
            t("kd_status", lang): summary["status"]
            .map(lambda s: t(f"kd_status_{s}", lang))
            .to_numpy(),
            t("kd_where", lang): [_ranges_text(r, lang) for r in where],
            t("kd_index", lang): summary["localisation_index"].round(4).to_numpy(),
            t("p_value", lang): p,
            t("firms", lang): summary["firms"].to_numpy(),
        }
    )


def localisation_panel(
    view, selection, sector: str, names: dict, lang: str, dataset_name: str
) -> None:
    """The Statistics page's K-density of the chosen sector, its sentence, and the table of
    every sector by localisation, with a CSV of the curves."""
    st.subheader(t("kd_title", lang))
    result = evidence.view_localisation(
        view.dataset,
        repr(selection),
        selection,
        progress_text=t("kd_progress", lang).format(R=KDENSITY_REPLICATES),
    )
    summary = result.summary
    row = summary[summary["sector"] == sector]
    if row.empty:
        st.caption(t("no_data", lang))
        return
    row = row.iloc[0]
    st.markdown(localisation_sentence(row, names.get(sector, sector), result, lang))
    curve = result.curves[result.curves["sector"] == sector]
    if len(curve):
        chart = kdensity_chart(curve.drop(columns="sector"), lang)
        st.altair_chart(chart, width="stretch")
        chart_downloads(
            chart,
            "kdensity",
            f"kdensity_{sector}",
            f"{t('kd_title', lang)}: {names.get(sector, sector)}",
            chart_context(view, dataset_name, lang),
            lang,
        )
        st.caption(
            t("kd_help", lang).format(
                h=format_number(row["bandwidth_km"], 2, lang), R=result.replicates, seed=result.seed
            )
        )
        if row["sampled"] < row["firms"]:
            st.caption(
                t("kd_sampled", lang).format(
                    n=format_number(row["sampled"], 0, lang), N=format_number(row["firms"], 0, lang)
                )
            )
    st.markdown(f"**{t('kd_table', lang)}**")
    st.dataframe(
        localisation_table(summary, names, lang),
        hide_index=True,
        width="stretch",
        column_config={t("p_value", lang): st.column_config.NumberColumn(format="%.3f")},
    )
    demo = view.dataset == "demo"
    meta = export.metadata(
        dataset=view.dataset,
        source=t("demo_source", "en") if demo else dataset_name,
        rows=len(result.curves),
        filters=selection.as_dict(),
        parameters={"by": "sector", "max_km": result.max_km, "step_km": result.step_km},
        what="K-densities",
        significance=result.metadata(),
    )
    stem = "cluster_atlas_demo_synthetic" if demo else f"cluster_atlas_{view.dataset}"
    table = summary.assign(
        **{
            c: summary[c].map(lambda r: "; ".join(f"{a:g}-{b:g}" for a, b in r))
            for c in ("localised_ranges", "dispersed_ranges")
        }
    )
    cols = st.columns(3)
    cols[0].download_button(
        t("kd_download", lang),
        lambda: export.csv_bytes(result.curves),
        f"{stem}_kdensity.csv",
        "text/csv",
        key="dl_kdensity_csv",
        on_click="ignore",
    )
    cols[1].download_button(
        f"{t('kd_table', lang)} (XLSX)",
        lambda: export.xlsx_bytes({"localisation": table, "kdensity": result.curves}, meta),
        f"{stem}_localisation.xlsx",
        key="dl_kdensity_xlsx",
        on_click="ignore",
    )
    cols[2].download_button(
        t("metadata_json", lang),
        export.metadata_json(meta),
        f"{stem}_kdensity.metadata.json",
        "application/json",
        key="dl_kdensity_meta",
        on_click="ignore",
    )
