"""Data page: bring your own firms (import, check, geocode, fix, keep); the gazetteer."""

from __future__ import annotations

import streamlit as st

from ui import boundaryview, datasetsview, dataview, loaders, reviewview
from ui.i18n import plural, t
from ui.state import current_language, follow_switch

follow_switch()  # "Open on the map" after a save
lang = current_language()
st.session_state["lang"] = lang
st.header(t("page_data", lang))
st.caption(t("data_intro", lang))
editor, user = dataview.can_edit()
store = dataview.workspace()

tab_import, tab_sets, tab_gazetteer, tab_boundaries = st.tabs(
    [
        t("tab_import", lang),
        t("tab_datasets", lang),
        t("tab_gazetteer", lang),
        t("tab_boundaries", lang),
    ]
)

with tab_import:
    # the file: widgets -> flow.open -> the read's report
    uploaded = st.file_uploader(
        t("upload", lang), type=dataview.SUFFIXES, key="uploader", help=t("upload_help", lang)
    )
    flow = dataview.import_flow()
    flow.open(
        dataview.source(dataview.source_file(uploaded, editor, lang)), remembered=store.mapping
    )
    dataview.show_flash()
    if flow.source is not None:
        options = dataview.read_options(flow, lang)
        if flow.set_options(remembered=store.mapping, **options):
            st.rerun()
        dataview.read_report(flow, lang)
    if flow.ready:
        # mapping and sectors: widgets -> flow
        mapping, confirmed = dataview.mapping_widgets(flow, lang)
        flow.set_mapping(mapping)
        if confirmed:
            store.save_mapping(*flow.confirm_mapping())
            dataview.flash("success", t("mapping_saved", lang))
            st.rerun()
        assignments = dataview.sector_widgets(flow, lang)
        if assignments is not None:
            flow.set_sectors(assignments)
        # validation and fixes: the report, the fix table -> flow.apply_fixes (kept from now on)
        dataview.validation_report(flow, lang)
        edited = dataview.fix_widgets(flow, lang)
        if edited is not None:
            changed = flow.apply_fixes(edited)
            dataview.flash(
                "success" if changed else "info",
                t("fixes_applied", lang).format(cells=plural("n_cells", changed, lang))
                if changed
                else t("nothing_to_apply", lang),
            )
            st.rerun()
        # geocoding: again by itself when the table or the corrections changed since
        online, clicked = dataview.geocode_widgets(lang)
        if clicked or flow.needs_geocode:
            dataview.geocode(flow, lang, online)
        if flow.geocoded is not None:
            dataview.geocode_summary(flow, lang)
            if reviewview.review_widgets(flow, lang, editor) and reviewview.save_review(
                flow, lang, user
            ):
                st.rerun()
            arguments = datasetsview.save_widgets(flow, lang, editor, user)
            if arguments is not None:
                datasetsview.save(flow, lang, **arguments)

with tab_sets:
    datasetsview.datasets_tab(lang, editor)

with tab_gazetteer:
    st.subheader(t("demo_table", lang))
    st.warning(t("demo_warning", lang))
    st.dataframe(loaders.demo_firms().head(500), hide_index=True, width="stretch")
    st.subheader(t("gazetteer_table", lang))
    index = loaders.admin_index()
    query = st.text_input(t("search_unit", lang), key="unit_query")
    units = index.find_units(query) if query.strip() else index.units
    names = dict(
        zip(index.aimags["iso_3166_2"], index.aimags["name_mn" if lang == "mn" else "name_en"])
    )
    shown = units.assign(aimag=units["aimag_code"].map(names))[
        [
            "unit_code",
            "aimag",
            "kind",
            "name_mn",
            "name_en",
            "postal_code",
            "lat",
            "lon",
            "centre_source",
            "variants",
        ]
    ].rename(
        columns={
            "aimag": t("aimag", lang),
            "kind": t("kind", lang),
            "postal_code": t("postal_code", lang),
            "centre_source": t("centre_source", lang),
            "variants": t("variants", lang),
        }
    )
    st.write(plural("n_units_found", len(shown), lang))
    st.dataframe(shown, hide_index=True, width="stretch")

with tab_boundaries:
    boundaryview.boundaries_tab(lang, editor, user)
