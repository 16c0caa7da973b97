"""The Map page's radius aid (the k-distance curve and its suggested radius) and its
downloads: what you see is what you get (firms, clusters, the map as HTML and PNG)."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from geo import export, maps
from geo.maps.style import CHART_PAIR
from geo.safety import escape_markdown
from geo.formats import format_number
from geo.view import View
from ui import loaders
from ui.i18n import t
from ui import state


def k_distance_chart(curve: pd.DataFrame, knee: float, k: int, lang: str):
    """The sorted k-distances with the suggested radius marked; the y axis stops at
    three times the radius (a few remote firms would flatten the bend to nothing)."""
    import altair as alt

    top = float(curve["km"].quantile(0.98))
    if knee == knee and knee > 0:
        top = min(top, 3 * float(knee))
    shown = curve.assign(km=curve["km"].clip(upper=top))
    line = (
        alt.Chart(shown)
        .mark_line()
        .encode(
            x=alt.X("rank:Q", title=t("kdist_rank", lang)),
            y=alt.Y(
                "km:Q", title=t("kdist_km", lang).format(k=k), scale=alt.Scale(domain=[0, top])
            ),
        )
    )
    if not (knee == knee):
        return line.properties(height=220)
    rule = (
        alt.Chart(pd.DataFrame({"km": [float(knee)]}))
        .mark_rule(color=CHART_PAIR[0], strokeDash=[5, 3])
        .encode(y="km:Q")
    )
    label = (
        alt.Chart(
            pd.DataFrame(
                {
                    "km": [float(knee)],
                    "text": [
                        f"{t('suggested_radius', lang)}: "
                        f"{format_number(knee, 2, lang)} {t('km', lang)}"
                    ],
                }
            )
        )
        .mark_text(align="left", dx=4, dy=-6, color=CHART_PAIR[0])
        .encode(y="km:Q", text="text:N")
    )
    return (line + rule + label).properties(height=220)


def k_distance_aid(dataset: str, key: str, firm_filter, view: View, lang: str) -> None:
    """The k-distance curve for the chosen minimum and its suggested radius."""
    # a toggle, not an expander: an expander's body runs (and its chart is sent) on
    # every rerun of every session, even closed
    if not st.toggle(t("radius_aid", lang), key="show_radius_aid"):
        return
    with st.container(border=True):
        curve, knee = loaders.k_distance_curve(
            dataset, key, firm_filter, view.min_samples, view.include_centres
        )
        if curve.empty:
            st.caption(t("too_few_firms", lang))
            return
        st.caption(t("radius_aid_help", lang).format(k=view.min_samples))
        st.altair_chart(k_distance_chart(curve, knee, view.min_samples, lang), width="stretch")
        if knee == knee:
            st.write(
                f"{t('suggested_radius', lang)}: **{format_number(knee, 2, lang)} {t('km', lang)}**"
            )
            st.button(
                t("use_suggested", lang),
                key="use_knee",
                on_click=state.change,
                kwargs={"eps_km": round(max(0.05, min(float(knee), 100.0)), 2)},
            )


def download_metadata(
    view: View, dataset: str, rows: int, dataset_name: str = "", significance=None
) -> tuple[dict, str]:
    """The metadata of the view's downloads (dataset, filter, parameters, boundaries,
    p-values) and the stem of their file names."""
    params = {
        "eps_km": view.eps_km,
        "min_samples": view.min_samples,
        "weighted": view.weighted,
        "method": view.method,
        "include_centres": view.include_centres,
        "clustering": view.clustering,
    }
    source = t("demo_source", "en") if dataset == "demo" else (dataset_name or dataset)
    if significance is not None:
        params["significant_only"] = view.significant_only
    meta = export.metadata(
        dataset=dataset,
        source=source,
        rows=rows,
        filters=view.firm_filter().as_dict(),
        parameters=params,
        what="firms",
        boundaries=loaders.boundary_source(),
        significance=None if significance is None else significance.metadata(),
    )
    stem = "cluster_atlas_demo_synthetic" if dataset == "demo" else f"cluster_atlas_{dataset}"
    return meta, stem


def downloads(
    view: View,
    dataset: str,
    labelled: pd.DataFrame,
    clusters,
    build_map,
    lang: str,
    build_png=None,
    dataset_name: str = "",
    significance=None,
) -> None:
    """What you see is what you get: the filtered firms, the clusters, the map.

    Files are made when a button is clicked (deferred), not on every rerun. With
    ``significance`` the metadata say how the p-values were made (R, seed, null).
    """
    from urllib.parse import urlencode, urlsplit, urlunsplit

    st.subheader(t("downloads", lang))
    meta, stem = download_metadata(view, dataset, len(labelled), dataset_name, significance)
    common = {"on_click": "ignore", "width": "stretch"}
    cols = st.columns(4)
    cols[0].download_button(
        t("firms_csv", lang),
        lambda: export.csv_bytes(labelled),
        f"{stem}_firms.csv",
        "text/csv",
        key="dl_firms_csv",
        **common,
    )
    cols[0].download_button(
        t("metadata_json", lang),
        export.metadata_json(meta),
        f"{stem}_firms.metadata.json",
        "application/json",
        key="dl_firms_meta",
        **common,
    )
    if len(labelled) > export.EXCEL_MAX_ROWS:
        cols[1].warning(t("too_many_rows_xlsx", lang))
    else:
        cols[1].download_button(
            t("firms_xlsx", lang),
            lambda: export.xlsx_bytes({"firms": labelled}, meta),
            f"{stem}_firms.xlsx",
            key="dl_firms_xlsx",
            **common,
        )
    cols[2].download_button(
        t("firms_geojson", lang),
        lambda: export.geojson_bytes(export.firms_geodataframe(labelled), meta),
        f"{stem}_firms.geojson",
        "application/geo+json",
        key="dl_firms_geojson",
        **common,
    )
    cols[2].download_button(
        t("firms_gpkg", lang),
        lambda: export.gpkg_bytes(export.firms_geodataframe(labelled), meta, "firms"),
        f"{stem}_firms.gpkg",
        "application/geopackage+sqlite3",
        key="dl_firms_gpkg",
        **common,
    )
    if clusters is not None and len(clusters):
        cmeta = {**meta, "what": "clusters", "rows": len(clusters)}
        cols[3].download_button(
            t("clusters_geojson", lang),
            lambda: export.geojson_bytes(clusters, cmeta),
            f"{stem}_clusters.geojson",
            "application/geo+json",
            key="dl_clusters_geojson",
            **common,
        )
        cols[3].download_button(
            t("clusters_gpkg", lang),
            lambda: export.gpkg_bytes(clusters, cmeta, "clusters"),
            f"{stem}_clusters.gpkg",
            "application/geopackage+sqlite3",
            key="dl_clusters_gpkg",
            **common,
        )
    boundaries = loaders.boundary_source()
    note = f"{t('app_title', lang)} · {meta['source']} · {boundaries.label()} · " + json.dumps(
        {
            "filters": view.firm_filter().as_dict(),
            "parameters": meta["parameters"],
            **({"significance": meta["significance"]} if "significance" in meta else {}),
        },
        ensure_ascii=False,
    )
    cols[1].download_button(
        t("map_html", lang),
        lambda: maps.standalone_html(build_map(False), note=note),
        f"{stem}_map.html",
        "text/html",
        key="dl_map_html",
        **common,
    )
    if build_png is not None:
        cols[0].download_button(
            t("map_png", lang),
            build_png,
            f"{stem}_map.png",
            "image/png",
            key="dl_map_png",
            **common,
        )
    url = st.context.url
    if url:
        parts = urlsplit(url)
        link = urlunsplit(
            (
                parts.scheme,
                parts.netloc,
                parts.path,
                urlencode(view.replace(presenter=False).to_query()),
                "",
            )
        )
        # a plain link: st.code would make every first visit load a 1.5 MB highlighter
        st.caption(t("share_link", lang))
        st.markdown(f"[{escape_markdown(link)}]({link.replace(')', '%29')})")
