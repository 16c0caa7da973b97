"""Which boundaries the app uses: the caption every page shows, and the Data page's
Boundaries tab, where editors load official boundaries and read the checks' report.

The checks and the storage live in :mod:`geo.boundaries` and
:class:`geo.workspace.Workspace` (tested without Streamlit); this module draws them.
"""

from __future__ import annotations

import streamlit as st

from geo import io
from geo.boundaries import BoundaryImport, BoundaryReport, BoundarySource, import_boundaries
from geo.safety import escape_markdown
from geo.workspace import WorkspaceError
from ui import loaders
from ui.i18n import t

_IMPORT = "boundary_import"  # session_state: (file id, BoundaryImport) of this session
_FLASH = "boundary_flash"


def caption_text(source: BoundarySource, lang: str, here: bool = False) -> str:
    """One line of Markdown saying which boundaries are in use (official with their name
    and date, escaped, or the embedded generalised ones). ``here``: on the Data page, whose
    Boundaries tab loads official ones (so the line points below, not to the page)."""
    if source.official:
        return t("boundaries_caption_official", lang).format(
            name=escape_markdown(source.name),
            date=source.date,
            file=escape_markdown(source.source_file),
        )
    if here:
        return t("boundaries_caption_generalised_here", lang)
    return t("boundaries_caption_generalised", lang)


def boundaries_caption(lang: str) -> None:
    """The caption under a page's map: which boundaries the page uses."""
    st.caption(caption_text(loaders.boundary_source(), lang))


def _figure(value: object, lang: str) -> object:
    """A check's figure as the page writes numbers: separators of the language, whole
    numbers for large values, a decimal or two for small ones (percentages)."""
    from geo.formats import format_number

    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return value
    size = abs(float(value))
    decimals = 0 if size >= 100 or float(value).is_integer() else (1 if size >= 1 else 2)
    return format_number(float(value), decimals, lang)


def _check_line(check, lang: str) -> str:
    template = t(f"bcheck_{check.code}", lang)
    try:
        return template.format(**{k: _figure(v, lang) for k, v in check.figures.items()})
    except (KeyError, IndexError, ValueError):
        return check.message


def report_view(report: BoundaryReport, lang: str) -> None:
    """The checks' report: a summary line, then each check with its result and units."""
    level = t(f"boundaries_level_{report.level}", lang) if report.level else "—"
    st.caption(
        escape_markdown(
            t("boundaries_summary", lang).format(
                file=report.file,
                features=report.features,
                level=level,
                code=report.code_column or "—",
                name=report.name_column or "—",
            )
        )
    )
    lines = []
    for check in report.checks:
        units = ""
        if check.units:
            shown = ", ".join(check.units[:40]) + (" …" if len(check.units) > 40 else "")
            units = f" — {t('boundaries_col_units', lang)}: {escape_markdown(shown)}"
        lines.append(
            f"- **{t(f'severity_{check.severity}', lang)}**: "
            f"{escape_markdown(_check_line(check, lang))}{units}"
        )
    st.markdown("\n".join(lines))
    if report.ok:
        st.success(t("boundaries_accepted", lang))
    else:
        st.error(t("boundaries_refused", lang))


def _check(uploaded, level: str, name: str, user: str) -> BoundaryImport:
    with io.private_copy(uploaded.name, uploaded.getvalue()) as path:
        return import_boundaries(
            path,
            level=None if level == "auto" else level,
            name=name.strip() or None,
            imported_by=user,
            display_name=uploaded.name,
            units=loaders.units(),
            aimags=loaders.embedded_aimags(),
        )


def boundaries_tab(lang: str, editor: bool, user: str) -> None:
    """The Data page's Boundaries tab."""
    st.caption(t("boundaries_intro", lang))
    kind, text = st.session_state.pop(_FLASH, (None, ""))
    if kind:
        getattr(st, kind)(text)
    source = loaders.boundary_source()
    st.markdown(f"**{t('boundaries_in_use', lang)}:** {caption_text(source, lang, here=True)}")
    store = loaders.workspace()
    if source.official:
        stored = store.boundaries()
        if stored is not None:
            with st.expander(t("boundaries_report", lang)):
                report_view(stored[2], lang)
    if not editor:
        st.info(t("boundaries_editors_only", lang))
        return
    if source.official and st.button(t("boundaries_remove", lang), key="boundary_remove"):
        store.clear_boundaries(saved_by=user)
        st.session_state[_FLASH] = ("success", t("boundaries_removed", lang))
        st.rerun()
    # the upload appears when asked for: the Data page's import keeps the one file input
    if not st.toggle(t("boundaries_load", lang), key="boundary_open"):
        st.session_state.pop(_IMPORT, None)
        return
    uploaded = st.file_uploader(
        t("boundaries_upload", lang),
        type=["zip", "gpkg", "geojson", "json"],
        key="boundary_file",
        help=t("boundaries_upload_help", lang),
    )
    cols = st.columns([2, 3])
    level = cols[0].radio(
        t("boundaries_level", lang),
        ["auto", "soum", "aimag"],
        format_func=lambda v: t(f"boundaries_level_{v}", lang),
        key="boundary_level",
        horizontal=True,
    )
    name = cols[1].text_input(
        t("boundaries_name", lang), key="boundary_name", help=t("boundaries_name_help", lang)
    )
    if uploaded is None:
        st.session_state.pop(_IMPORT, None)
        return
    file_id = f"{uploaded.name}:{uploaded.size}:{level}:{name}"
    if st.button(t("boundaries_check", lang), key="boundary_check", type="primary"):
        with st.spinner(t("boundaries_check", lang)):
            st.session_state[_IMPORT] = (file_id, _check(uploaded, level, name, user))
    held = st.session_state.get(_IMPORT)
    if not held or held[0] != file_id:
        return
    imported: BoundaryImport = held[1]
    st.subheader(t("boundaries_report", lang))
    report_view(imported.report, lang)
    if imported.ok and st.button(t("boundaries_use", lang), key="boundary_use", type="primary"):
        try:
            store.save_boundaries(imported, saved_by=user)
        except WorkspaceError as exc:
            st.error(escape_markdown(str(exc)))
            return
        st.session_state.pop(_IMPORT, None)
        st.session_state[_FLASH] = ("success", t("boundaries_saved", lang))
        st.rerun()
