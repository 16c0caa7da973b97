"""Super-cluster candidates on the Statistics page (issue #18): clusters of related sectors
that lie together, from :mod:`geo.supercluster` over the view's clusters and the co-location
table of :mod:`ui.colocationview`."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo import export
from geo.formats import format_number
from geo.settings import (
    COLOCATION_RADIUS_KM,
    COLOCATION_REPLICATES,
    SUPERCLUSTER_GAP_KM,
    SUPERCLUSTER_MIN_COLOCATION,
)
from ui import evidence, loaders
from ui.i18n import t


def candidates_table(found: pd.DataFrame, names: dict, lang: str) -> pd.DataFrame:
    """The candidates as shown: sectors by name, firms, employees, aimags, stage."""
    aimag_name = dict(
        zip(
            loaders.aimags()["iso_3166_2"],
            loaders.aimags()["name_mn" if lang == "mn" else "name_en"],
        )
    )
    return pd.DataFrame(
        {
            t("sc_sectors", lang): found["sectors"].map(
                lambda s: "; ".join(names.get(k, k) for k in s.split("; "))
            ),
            t("sc_clusters", lang): found["clusters"].map(
                lambda s: ", ".join(f"#{c}" for c in s.split("; "))
            ),
            t("firms", lang): found["firms"].astype(int),
            t("employees", lang): found["employees"].round().astype(int),
            t("aimags", lang): found["aimag_codes"].map(
                lambda s: ", ".join(aimag_name.get(c, c) for c in s.split("; ") if c)
            ),
            t("stage", lang): found["stage"].map(lambda s: t(f"stage_{s}", lang)),
        }
    )


def map_candidates(view) -> pd.DataFrame | None:
    """The super-cluster candidates of the Map's view (its filter, all sectors; the radius
    and relabellings chosen on the Statistics page, else the defaults), for the map layer."""
    from geo.supercluster import supercluster_candidates
    from ui import state

    selection = view.firm_filter().replace(sectors=())
    choices = state.stats_choices()
    radius = float(choices.get("co_radius") or COLOCATION_RADIUS_KM)
    replicates = int(choices.get("co_replicates") or COLOCATION_REPLICATES)
    try:
        table = evidence.view_colocation(
            view.dataset, repr(selection), selection, radius, replicates
        )
    except ValueError:
        return None
    _, clusters = loaders.view_clusters(
        view.dataset,
        repr(selection),
        selection,
        view.eps_km,
        view.min_samples,
        view.weighted,
        view.method,
        view.include_centres,
    )
    if clusters is None or table.empty:
        return None
    return supercluster_candidates(clusters, table)


def supercluster_panel(
    view, selection, colocation: pd.DataFrame, names: dict, lang: str, dataset_name: str
) -> None:
    """The list of super-cluster candidates, with their outlines as a download."""
    from geo.supercluster import supercluster_candidates

    st.subheader(t("sc_title", lang))
    st.caption(
        t("sc_intro", lang).format(
            q=format_number(SUPERCLUSTER_MIN_COLOCATION, 1, lang),
            gap=format_number(SUPERCLUSTER_GAP_KM, 0, lang),
            eps=format_number(view.eps_km, 1, lang),
            min=view.min_samples,
        )
    )
    _, clusters = loaders.view_clusters(
        view.dataset,
        repr(selection),
        selection,
        view.eps_km,
        view.min_samples,
        view.weighted,
        view.method,
        view.include_centres,
    )
    found = supercluster_candidates(clusters, colocation) if clusters is not None else None
    if found is None or found.empty:
        st.caption(t("sc_none", lang))
        return
    st.dataframe(
        candidates_table(found, names, lang), hide_index=True, width="stretch", key="sc_table"
    )
    demo = view.dataset == "demo"
    meta = export.metadata(
        dataset=view.dataset,
        source=t("demo_source", "en") if demo else dataset_name,
        rows=len(found),
        filters=selection.as_dict(),
        parameters={
            "eps_km": view.eps_km,
            "min_samples": view.min_samples,
            "gap_km": SUPERCLUSTER_GAP_KM,
            "min_colocation": SUPERCLUSTER_MIN_COLOCATION,
            "colocation_radius_km": colocation.attrs["radius_km"],
            "colocation_replicates": colocation.attrs["replicates"],
            "seed": colocation.attrs["seed"],
        },
        what="super-cluster candidates",
    )
    stem = "cluster_atlas_demo_synthetic" if demo else f"cluster_atlas_{view.dataset}"
    st.download_button(
        t("sc_download", lang),
        lambda: export.geojson_bytes(found, meta),
        f"{stem}_superclusters.geojson",
        "application/geo+json",
        key="dl_superclusters",
        on_click="ignore",
    )
