"""Small Streamlit widgets that several pages draw."""

from __future__ import annotations

import logging
import uuid

import pandas as pd
import streamlit as st

from geo.formats import format_number
from geo.view import View
from ui import loaders
from ui.i18n import t


def guarded(run, lang: str) -> None:
    """Run a page; if it fails, say so in the user's language with a reference.

    Streamlit's own error box offers web searches (useless offline) and speaks
    English; the details go to the server log under the reference shown.
    Streamlit's reruns and stops are ``BaseException``s and pass through.
    """
    try:
        run()
    except Exception:  # noqa: BLE001 - any failure of a page
        reference = uuid.uuid4().hex[:8]
        logging.getLogger("cluster_atlas").exception("page failed (reference %s)", reference)
        st.error(t("crash_message", lang).format(reference=reference), icon=":material/error:")
        st.button(t("crash_retry", lang), key="crash_retry")


def page_style() -> None:
    """Layout rules for every page: on a phone the headline figures sit two to a row
    and the padding shrinks, so that the map starts within the first screen.

    Only rows of figures are kept side by side: a row holding the map (an iframe) or other
    rows stays stacked, even when a figure sits in it (a selected aimag's profile).

    Captions are drawn in #5f6368 at full opacity (6.0:1 on white; Streamlit's grey at
    60 % opacity, 2.6:1, fails WCAG AA for small text).

    Static CSS only; no data-derived text goes into it.
    """
    st.html("""<style>
      [data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p {
        color: #5f6368 !important; opacity: 1 !important; }
      @media (max-width: 640px) {
        .block-container { padding: 2.75rem 0.75rem 1rem 0.75rem; }
        [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] [data-testid="stMetric"]):not(:has(iframe, [data-testid="stHorizontalBlock"])) {
          flex-direction: row !important; flex-wrap: wrap !important; gap: 0.25rem 0.75rem; }
        [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] [data-testid="stMetric"]):not(:has(iframe, [data-testid="stHorizontalBlock"]))
          > [data-testid="stColumn"] { flex: 1 1 44% !important; min-width: 44% !important;
                                        width: 44% !important; }
        [data-testid="stMetricValue"] { font-size: 1.35rem; }
        [data-testid="stMetricLabel"] p { font-size: 0.8rem; }
        h1, h2 { font-size: 1.45rem; padding-top: 0.25rem; padding-bottom: 0.25rem; }
        [data-testid="stAlert"] p { font-size: 0.85rem; }
      }
    </style>""")


def aimag_profile(
    code: str, lang: str, *, dataset: str | None = None, firm_filter=None, clusters=None
) -> None:
    """Show the facts of the aimag with ISO code ``code``.

    With a dataset and a filter, also its leading sectors (by location
    quotient and by employment, all sectors of the filtered firms) and the
    clusters that touch it.
    """
    index = loaders.admin_index()
    try:
        row = index.aimag(code)
    except KeyError:
        return
    name = row["name_mn"] if lang == "mn" else row["name_en"]
    st.subheader(name)
    st.caption(f"{t('selected_aimag', lang)} · {row['iso_3166_2']}")
    st.metric(
        t("population", lang),
        format_number(row["population"], 0, lang),
        help=f"{int(row['population_year'])}",
    )
    st.metric(t("area_km2", lang), format_number(row["area_km2"], 0, lang))
    st.write(f"**{t('region', lang)}:** {row['region_mn'] if lang == 'mn' else row['region_en']}")
    st.write(
        f"**{t('capital', lang)}:** {row['capital_mn'] if lang == 'mn' else row['capital_en']}"
    )
    n_units = int((index.units["aimag_code"] == code).sum())
    st.write(f"**{t('soums', lang)}:** {n_units}")

    if dataset is None or firm_filter is None:
        return
    from geo.stats import unit_profile

    everything = firm_filter.replace(sectors=())
    table = loaders.view_statistics(dataset, repr(everything), everything, "aimag", "sector")
    profile = unit_profile(table, code, top=5)
    names = loaders.sector_names(dataset, lang)
    for part, title in (("by_lq", "top_by_lq"), ("by_employment", "top_by_employment")):
        rows = profile[part]
        if rows.empty:
            continue
        st.markdown(f"**{t(title, lang)}**")
        st.dataframe(
            pd.DataFrame(
                {
                    t("sector", lang): rows["sector"].map(lambda k: names.get(k, k)),
                    "LQ": rows["lq_employment"].round(2),
                    t("employees", lang): rows["employees"].round().astype(int),
                }
            ),
            hide_index=True,
            width="stretch",
        )
    if clusters is not None and len(clusters):
        inside = clusters[clusters["aimag_codes"].str.split("; ").map(lambda c: code in c)]
        st.markdown(f"**{t('clusters_in_aimag', lang)}: {len(inside)}**")
        if len(inside):
            st.dataframe(
                pd.DataFrame(
                    {
                        t("cluster", lang): inside["cluster"],
                        t("sector", lang): inside["sector"].map(lambda k: names.get(k, k)),
                        t("firms", lang): inside["firms"],
                        t("stage", lang): inside["stage"].map(lambda s: t(f"stage_{s}", lang)),
                    }
                ),
                hide_index=True,
                width="stretch",
            )


def filter_summary(view: View, lang: str) -> str:
    """The view's filter (sectors aside) in words, '' when it keeps every firm."""
    aimags = loaders.aimags()
    names = dict(zip(aimags["iso_3166_2"], aimags["name_mn" if lang == "mn" else "name_en"]))
    parts = []
    if view.region:
        parts.append(f"{t('region', lang)}: {loaders.region_name(view.region, lang)}")
    if view.aimags:
        parts.append(f"{t('aimags', lang)}: " + ", ".join(names.get(c, c) for c in view.aimags))
    if view.sizes:
        parts.append(
            f"{t('size_band', lang)}: " + ", ".join(t(f"size_{b}", lang) for b in view.sizes)
        )
    if view.founded:
        parts.append(f"{t('founded', lang)}: {view.founded[0]}–{view.founded[1]}")
    if view.as_of is not None:
        parts.append(t("as_of_summary", lang).format(year=view.as_of))
    for field, label in (("exporter", "exporters"), ("foreign_owned", "foreign_owned")):
        value = getattr(view, field)
        if value is not None:
            parts.append(f"{t(label, lang)}: {t('tri_yes' if value else 'tri_no', lang)}")
    if view.precisions:
        parts.append(
            f"{t('precision', lang)}: " + ", ".join(t(f"prec_{p}", lang) for p in view.precisions)
        )
    return "; ".join(parts)
