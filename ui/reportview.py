"""The Statistics page's aimag report: a PDF profile of one aimag (:mod:`geo.report`).

The report shows the view's dataset, filter (sectors aside: a profile covers
every sector) and clustering, in the interface's language. Its aimag is the
view's selected aimag (the one the Map and the Statistics map select):
choosing another here selects that one (:func:`ui.state.change`). The PDF is
made only when the button is pressed.
"""

from __future__ import annotations

import streamlit as st

from geo import export
from geo.formats import format_date
from geo.report import LABEL_KEYS, aimag_report
from geo.view import View
from ui import evidence, loaders, state
from ui.i18n import t
from ui.widgets import filter_summary

#: Widget key of the report's aimag.
AIMAG_WIDGET = "report_aimag"


def report_labels(lang: str) -> dict[str, str]:
    """The interface strings :func:`geo.report.aimag_report` needs, in ``lang``."""
    return {key: t(key, lang) for key in LABEL_KEYS}


def data_date(dataset: str, lang: str) -> str:
    """When the dataset was saved (the demo is synthetic and has no date)."""
    if dataset == "demo":
        return t("report_no_date", lang)
    saved = loaders.workspace().list()
    row = saved[saved["id"] == dataset]
    return format_date(row["saved_at"].iloc[0], lang) if len(row) else "–"


def report_file_name(dataset: str, code: str, lang: str) -> str:
    """``cluster_atlas_<dataset>_<aimag code>_report_<lang>.pdf`` (the demo says it is
    synthetic, as the other downloads do)."""
    stem = "cluster_atlas_demo_synthetic" if dataset == "demo" else f"cluster_atlas_{dataset}"
    return f"{stem}_{code}_report_{lang}.pdf"


def build_report(view: View, code: str, lang: str, dataset_name: str) -> bytes:
    """The PDF of aimag ``code`` for the view: its firms, statistics and clusters (with
    p-values when the Map computed them for this view)."""
    dataset = view.dataset
    selection = view.firm_filter().replace(sectors=())
    key = repr(selection)
    statistics = loaders.view_statistics(dataset, key, selection, "aimag", "sector")
    labelled, clusters = loaders.view_clusters(
        dataset,
        key,
        selection,
        view.eps_km,
        view.min_samples,
        view.weighted,
        view.method,
        view.include_centres,
    )
    replicates = None
    if view.method == "dbscan" and evidence.significance_ready(
        dataset, selection, view.eps_km, view.min_samples, view.weighted, view.include_centres
    ):
        clusters, result = evidence.tested_clusters(
            dataset,
            key,
            selection,
            view.eps_km,
            view.min_samples,
            view.weighted,
            view.include_centres,
        )
        replicates = result.replicates
    demo = dataset == "demo"
    source = t("demo_source", lang) if demo else dataset_name
    attribution = export.metadata(
        dataset=dataset, source=source, rows=len(labelled), boundaries=loaders.boundary_source()
    )["attribution"]
    return aimag_report(
        code,
        aimags=loaders.aimags(),
        statistics=statistics,
        labels=report_labels(lang),
        lang=lang,
        firms=labelled,
        clusters=clusters,
        sector_names=loaders.sector_names(dataset, lang),
        dataset_name=t("demo_name", lang) if demo else dataset_name,
        data_date=data_date(dataset, lang),
        filter_text=filter_summary(view, lang),
        note=t("demo_warning", lang).replace("**", "") if demo else "",
        sources=[f"{t('dataset', lang)}: {source}", attribution],
        replicates=replicates,
    )


def _select(codes: tuple[str, ...]) -> None:
    """The report's aimag becomes the view's selected aimag (a widget callback)."""
    code = st.session_state.get(AIMAG_WIDGET)
    if code in codes:
        state.change(aimag=code)


def report_panel(view: View, lang: str, dataset_name: str) -> None:
    """Choose an aimag (the view's selected one by default) and download its PDF report."""
    aimags = loaders.aimags()
    codes = tuple(aimags["iso_3166_2"])
    names = dict(zip(codes, aimags["name_mn" if lang == "mn" else "name_en"]))
    if view.aimag in codes:  # the view's selection wins over the widget's last state
        st.session_state[AIMAG_WIDGET] = view.aimag
    elif st.session_state.get(AIMAG_WIDGET) not in codes:
        st.session_state[AIMAG_WIDGET] = codes[0]
    st.subheader(t("report_heading", lang))
    st.caption(t("report_help", lang))
    cols = st.columns([2, 2], vertical_alignment="bottom")
    code = cols[0].selectbox(
        t("report_aimag", lang),
        codes,
        format_func=names.get,
        key=AIMAG_WIDGET,
        on_change=_select,
        args=(codes,),
    )
    cols[1].download_button(
        t("report_download", lang),
        lambda: build_report(view, code, lang, dataset_name),
        report_file_name(view.dataset, code, lang),
        "application/pdf",
        key="dl_aimag_report",
        on_click="ignore",
        icon=":material/picture_as_pdf:",
    )
