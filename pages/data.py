"""Data page: bring your own firms (import, check, geocode, fix, keep); the gazetteer."""

from __future__ import annotations

import streamlit as st

from geo.ingest import apply_edits, standardise, validate
from ui import dataview, loaders
from ui.i18n import t
from ui.state import current_language

lang = current_language()
st.session_state["lang"] = lang
st.header(t("page_data", lang))
st.caption(t("data_intro", lang))
editor, user = dataview.can_edit()

tab_import, tab_sets, tab_gazetteer = st.tabs(
    [t("tab_import", lang), t("tab_datasets", lang), t("tab_gazetteer", lang)])

with tab_import:
    uploaded = st.file_uploader(t("upload", lang), type=dataview.SUFFIXES, key="uploader",
                                help=t("upload_help", lang))
    uploaded = dataview.source_file(uploaded, editor, lang)
    if uploaded is not None:
        frame = dataview.read_step(uploaded, lang)
        if frame is not None and len(frame.columns):
            mapping = dataview.mapping_step(frame, lang)
            assigned = dataview.sector_step(frame, mapping, lang)
            table, problems = validate(standardise(frame, mapping, assigned))
            dataview.validation_step(table, problems, lang)
            edited = dataview.fix_step(table, lang)
            if edited is not None and st.button(t("apply_fixes", lang), key="apply_fixes"):
                frame = apply_edits(frame, mapping, edited)
                table, problems = validate(standardise(frame, mapping, assigned))
                st.session_state["fixed_frame"] = True
            state = st.session_state.setdefault("upload", {})
            signature = dataview.table_signature(table, uploaded.file_id)
            online = st.checkbox(t("online_fallback", lang), value=False, key="online",
                                 help=t("online_fallback_help", lang))
            clicked = st.button(t("geocode", lang), key="geocode", type="primary")
            if clicked or (state.get("geocoded") is not None
                           and state.get("geocoded_for") != signature):
                dataview.workspace().save_mapping(frame.columns, mapping)
                state["geocoded"] = dataview.geocode_step(table, lang, online)
                state["geocoded_for"] = signature
            geocoded = state.get("geocoded")
            if geocoded is not None and len(geocoded) == len(table):
                counts = geocoded["geocode_status"].value_counts()
                st.write(t("geocode_summary", lang).format(
                    matched=counts.get("matched", 0), ambiguous=counts.get("ambiguous", 0),
                    unmatched=counts.get("unmatched", 0)))
                if dataview.review_step(geocoded, lang, editor, user):
                    state["geocoded"] = dataview.geocode_step(table, lang, online)
                    st.rerun()
                dataview.save_step(geocoded.drop(columns=["_address"]), uploaded.name, lang,
                                   editor, user)

with tab_sets:
    dataview.datasets_tab(lang, editor)

with tab_gazetteer:
    st.subheader(t("demo_table", lang))
    st.warning(t("demo_warning", lang))
    st.dataframe(loaders.demo_firms().head(500), hide_index=True, width="stretch")
    st.subheader(t("gazetteer_table", lang))
    index = loaders.admin_index()
    query = st.text_input(t("search_unit", lang), key="unit_query")
    units = index.find_units(query) if query.strip() else index.units
    names = dict(zip(index.aimags["iso_3166_2"],
                     index.aimags["name_mn" if lang == "mn" else "name_en"]))
    shown = units.assign(aimag=units["aimag_code"].map(names))[
        ["unit_code", "aimag", "kind", "name_mn", "name_en", "postal_code", "lat", "lon",
         "centre_source", "variants"]
    ].rename(columns={"aimag": t("aimag", lang), "kind": t("kind", lang),
                      "postal_code": t("postal_code", lang),
                      "centre_source": t("centre_source", lang), "variants": t("variants", lang)})
    st.write(f"{len(shown)} {t('units_found', lang)}")
    st.dataframe(shown, hide_index=True, width="stretch")
