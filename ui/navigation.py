"""Getting around the map: the place search, "zoom to" the selection, a cluster's firms.

The search answers with aimags, soums, districts and firms (:mod:`geo.search`);
choosing one opens the map there and selects its aimag. "Zoom to" buttons open
the map on the selected aimag or cluster. Every change goes through
:mod:`ui.state` callbacks, so the URL and the other pages follow.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo import export
from geo.describe import cluster_members
from geo.search import Place, zoom_for_bounds
from geo.view import View
from ui import loaders, state
from ui.i18n import t

#: Session key of the search box's text.
SEARCH = "place_search"
#: How many answers the search shows.
ANSWERS = 6


def _go(place: Place) -> None:
    """Open the map on ``place`` and select its aimag (a button's callback)."""
    state.open_at(place.lat, place.lon, place.zoom, aimag=place.aimag or None, cluster=None)
    st.session_state[SEARCH] = ""


def _answer_label(place: Place, lang: str, aimag_names: dict[str, str]) -> str:
    where = aimag_names.get(place.aimag, "")
    kind = t(f"kind_{place.kind}", lang)
    if place.kind == "aimag" or not where:
        return f"{place.name(lang)} · {kind}"
    return f"{place.name(lang)} · {kind}, {where}"


def place_search(dataset: str, lang: str) -> None:
    """The search box and its answers (buttons that zoom to them)."""
    text = st.text_input(
        t("search_place", lang),
        key=SEARCH,
        help=t("search_place_help", lang),
        placeholder=t("search_place", lang),
        label_visibility="collapsed",
        icon=":material/search:",
    )
    if not text.strip():
        return
    answers = loaders.place_index(dataset).find(text, limit=ANSWERS)
    if not answers:
        st.caption(t("search_none", lang).format(text=text.strip()[:60]))
        return
    aimags = loaders.aimags()
    aimag_names = dict(zip(aimags["iso_3166_2"], aimags["name_mn" if lang == "mn" else "name_en"]))
    for i, place in enumerate(answers):
        st.button(
            _answer_label(place, lang, aimag_names),
            key=f"place_answer_{i}",
            on_click=_go,
            args=(place,),
            width="stretch",
            type="tertiary",
            icon=":material/place:",
        )


def zoom_to_aimag(code: str, name: str, lang: str) -> None:
    """A button opening the map on the aimag ``code`` whole."""
    aimags = loaders.aimags().set_index("iso_3166_2")
    if code not in aimags.index:
        return
    west, south, east, north = aimags.loc[code].geometry.bounds
    st.button(
        t("zoom_to_aimag", lang).format(name=name),
        key="zoom_aimag",
        icon=":material/zoom_in_map:",
        on_click=state.open_at,
        args=((south + north) / 2, (west + east) / 2, zoom_for_bounds(west, south, east, north)),
    )


def zoom_to_cluster(cluster: pd.Series, lang: str) -> None:
    """A button opening the map on the cluster's outline whole."""
    west, south, east, north = cluster.geometry.bounds
    pad = 0.01  # a one-firm cluster has no extent: show its surroundings
    st.button(
        t("zoom_to_cluster", lang),
        key="zoom_cluster",
        icon=":material/zoom_in_map:",
        on_click=state.open_at,
        args=(
            (south + north) / 2,
            (west + east) / 2,
            zoom_for_bounds(west - pad, south - pad, east + pad, north + pad),
        ),
    )


def cluster_firms(
    view: View, labelled: pd.DataFrame, cluster: int, lang: str, *, stem: str, meta: dict
) -> None:
    """The firms of the selected cluster: a table and its downloads (CSV, Excel)."""
    members = cluster_members(labelled, cluster)
    names = loaders.sector_names(view.dataset, lang)
    with st.expander(t("cluster_firms", lang).format(n=len(members))):
        shown = members.copy()
        if "sector" in shown.columns:
            shown["sector"] = shown["sector"].map(lambda k: names.get(k, k))
        if "precision" in shown.columns:
            shown["precision"] = shown["precision"].map(
                lambda p: t(f"prec_{p}", lang) if isinstance(p, str) else p
            )
        headers = {
            "firm_id": t("firm_id", lang),
            "name": t("name", lang),
            "sector": t("sector", lang),
            "employees": t("employees", lang),
            "founded": t("founded", lang),
            "address": t("address", lang),
            "aimag": t("aimag", lang),
            "soum": t("soum", lang),
            "precision": t("precision", lang),
            "lat": t("coord_lat", lang),
            "lon": t("coord_lon", lang),
        }
        st.dataframe(
            shown.rename(columns=headers),
            hide_index=True,
            width="stretch",
            height=min(320, 38 + 35 * max(len(shown), 1)),
        )
        meta = {**meta, "rows": len(members), "cluster": int(cluster)}
        name = f"{stem}_cluster_{int(cluster)}_firms"
        cols = st.columns(2)
        cols[0].download_button(
            t("cluster_firms_csv", lang),
            lambda: export.csv_bytes(members),
            f"{name}.csv",
            "text/csv",
            key="dl_cluster_firms_csv",
            on_click="ignore",
            width="stretch",
        )
        cols[1].download_button(
            t("cluster_firms_xlsx", lang),
            lambda: export.xlsx_bytes({"firms": members}, meta),
            f"{name}.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key="dl_cluster_firms_xlsx",
            on_click="ignore",
            width="stretch",
        )
