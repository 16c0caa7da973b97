"""A cluster's ecosystem on the Map (issue #18): the institutions around the selected
cluster by type (inside its outline, within a distance), the types missing, and a user's
own list of institutions. The counts come from :mod:`geo.institutions`."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import streamlit as st

from geo import io
from geo.formats import format_number
from geo.institutions import INSTITUTION_TYPES, ecosystem, read_institutions
from geo.safety import escape_markdown
from geo.settings import ECOSYSTEM_DISTANCE_KM
from ui import loaders
from ui.i18n import plural, t

#: Session key of an uploaded list of institutions: (file name, the read table).
UPLOADED = "eco_institutions"


def institutions(dataset: str) -> tuple[pd.DataFrame, str | None]:
    """The institutions counted: the user's uploaded list (its name), else the register's."""
    uploaded = st.session_state.get(UPLOADED)
    if uploaded is not None:
        name, table = uploaded
        return table[table["institution_status"] == "used"], name
    return loaders.register_institutions(dataset), None


def with_ecosystem(clusters: gpd.GeoDataFrame | None, dataset: str) -> gpd.GeoDataFrame | None:
    """The clusters with the ecosystem columns (for the downloads)."""
    if clusters is None or not len(clusters):
        return clusters
    found, _ = institutions(dataset)
    return clusters.join(ecosystem(clusters, found, distance_km=ECOSYSTEM_DISTANCE_KM))


def _read_upload() -> None:
    """Read an uploaded list (a widget callback): kept with every row's status, or refused
    with a message naming the file."""
    upload = st.session_state.get("eco_upload")
    st.session_state.pop("eco_upload_error", None)
    if upload is None:
        return
    try:
        with io.private_copy(upload.name, upload.getvalue()) as path:
            frame = io.read_table(path)
        from geo.ingest import guess_column

        lat = guess_column(frame.columns, "lat") or "lat"
        lon = guess_column(frame.columns, "lon") or "lon"
        table = read_institutions(frame, lat_column=lat, lon_column=lon)
    except ValueError as exc:  # io.InputError and a missing column
        st.session_state["eco_upload_error"] = f"{upload.name}: {exc}"
        return
    st.session_state[UPLOADED] = (upload.name, table)


def _forget_upload() -> None:
    st.session_state.pop(UPLOADED, None)
    st.session_state.pop("eco_upload_error", None)


def type_name(kind: str, lang: str) -> str:
    return t(f"inst_{kind}", lang)


def ecosystem_profile(cluster: gpd.GeoDataFrame, dataset: str, lang: str) -> None:
    """The selected cluster's ecosystem (``cluster``: its one row of the cluster table)."""
    found, uploaded = institutions(dataset)
    counts = ecosystem(cluster, found, distance_km=ECOSYSTEM_DISTANCE_KM).iloc[0]
    d = format_number(ECOSYSTEM_DISTANCE_KM, 0, lang)
    st.markdown(f"**{t('eco_title', lang)}**")
    firms = int(cluster.iloc[0]["firms"])
    st.caption(t("eco_firms", lang).format(n=format_number(firms, 0, lang)))
    table = pd.DataFrame(
        {
            t("eco_type", lang): [type_name(k, lang) for k in INSTITUTION_TYPES],
            t("eco_inside", lang): [int(counts[f"inside_{k}"]) for k in INSTITUTION_TYPES],
            t("eco_near", lang).format(d=d): [int(counts[f"near_{k}"]) for k in INSTITUTION_TYPES],
        }
    )
    st.dataframe(table, hide_index=True, width="stretch", key="eco_table")
    missing = [k for k in INSTITUTION_TYPES if counts[f"near_{k}"] == 0]
    if missing:
        st.caption(
            t("eco_missing", lang).format(d=d, types=", ".join(type_name(k, lang) for k in missing))
        )
    else:
        st.caption(t("eco_complete", lang).format(d=d))
    if uploaded is None:
        st.caption(t("eco_source_register", lang))
    else:
        _, read = st.session_state[UPLOADED]
        left = int((read["institution_status"] != "used").sum())
        st.caption(
            t("eco_source_upload", lang).format(
                name=escape_markdown(uploaded),
                n=format_number(len(found), 0, lang),
                m=plural("n_rows", left, lang),
            )
        )
    with st.expander(t("eco_upload", lang)):
        st.caption(t("eco_upload_help", lang))
        st.file_uploader(
            t("eco_upload", lang),
            type=["csv", "xlsx", "txt"],
            key="eco_upload",
            on_change=_read_upload,
            label_visibility="collapsed",
        )
        if st.session_state.get("eco_upload_error"):
            st.error(escape_markdown(st.session_state["eco_upload_error"]))
        if uploaded is not None:
            _, read = st.session_state[UPLOADED]
            bad = read[read["institution_status"] != "used"]
            if len(bad):
                st.dataframe(
                    pd.DataFrame(
                        {
                            t("eco_row", lang): bad.index + 2,
                            t("eco_reason", lang): bad["institution_reason"],
                        }
                    ),
                    hide_index=True,
                    key="eco_bad_rows",
                )
            st.button(t("eco_clear", lang), key="eco_clear", on_click=_forget_upload)
