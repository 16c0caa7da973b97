"""The Data page's steps, drawn: upload, read options and preview, column mapping,
sectors, validation and fixes, geocoding with a progress bar, review of unplaced
places, save to the workspace.

The state and its transitions live in :class:`geo.importflow.ImportFlow`
(tested without Streamlit); the functions here draw a step from the flow and
return what the user chose, and ``pages/data.py`` passes it to the flow. The review
step is :mod:`ui.reviewview`, the save and the saved datasets :mod:`ui.datasetsview`.
Everything the user uploads stays in their own session; only a save writes
it to the shared workspace.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from geo import export, io
from geo.access import EditorPolicy
from geo.geocode import Geocoder
from geo.importflow import ImportFlow, Source
from geo.ingest import ROLES, load_isic_sections, map_sectors
from geo.safety import escape_markdown
from geo.workspace import Workspace
from ui import loaders
from ui.i18n import column_labels, plural, t

SUFFIXES = ["csv", "tsv", "txt", "xlsx", "geojson", "gpkg", "parquet"]
_FLOW = "import_flow"  # session_state key of this session's ImportFlow


def workspace() -> Workspace:
    """The shared workspace (see :func:`ui.loaders.workspace`)."""
    return loaders.workspace()


def editor_policy() -> EditorPolicy:
    """The workspace's editor policy from the app's secrets (see :mod:`geo.access`)."""
    try:
        secrets = {k: st.secrets[k] for k in st.secrets}
    except Exception:  # no secrets file
        secrets = {}
    return EditorPolicy.from_secrets(secrets)


def _signed_in_email() -> str:
    try:
        if st.user.is_logged_in:
            return str(st.user.get("email") or st.user.get("name") or "")
    except Exception:  # st.user unavailable (no auth configured)
        pass
    return ""


def can_edit() -> tuple[bool, str]:
    """Whether this user may change the workspace, and their name for the record.

    Shows what the policy needs: a sign-in button (``st.login``) when sign-in
    is configured, the password field when a password is; nothing when
    everyone may edit.
    """
    lang = st.session_state.get("lang", "mn")
    policy = editor_policy()
    email = _signed_in_email()
    if policy.open:
        return True, email
    if policy.sign_in:
        if email:
            cols = st.columns([4, 1])
            cols[0].caption(t("signed_in_as", lang).format(user=escape_markdown(email)))
            if cols[1].button(t("sign_out", lang), key="sign_out"):
                st.logout()
            if not policy.is_editor_email(email) and not policy.password:
                st.info(t("not_an_editor", lang).format(user=escape_markdown(email)))
        else:
            for provider in policy.providers or (None,):
                label = t("sign_in", lang) + (f" ({provider})" if provider else "")
                if st.button(label, key=f"sign_in_{provider or 'default'}"):
                    st.login(provider) if provider else st.login()
    if policy.allows(email=email, password_ok=bool(st.session_state.get("editor_ok"))):
        return True, email
    if policy.password:
        typed = st.text_input(
            t("editor_password", lang), type="password", key="editor_password_input"
        )
        if policy.password_matches(typed):
            st.session_state["editor_ok"] = True
            return True, email
    return False, email


# -- the file: uploaded, or from the server's import folder --------------------------


@dataclass(frozen=True)
class ServerFile:
    """A file in the workspace's import folder, offered like an upload.

    For registers that arrive on the server (a nightly export, a shared
    drive): editors open them without uploading.
    """

    path: Path

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def file_id(self) -> str:
        stat = self.path.stat()
        return f"server:{self.path.name}:{stat.st_size}:{stat.st_mtime_ns}"


def import_folder() -> Path:
    """``imports/`` in the workspace folder (``$CAM_DATA_DIR`` or ``./workspace``)."""
    from geo.views import data_dir

    return data_dir() / "imports"


def server_files() -> list[str]:
    """Names of the readable files in the import folder (sorted)."""
    folder = import_folder()
    if not folder.is_dir():
        return []
    return sorted(
        p.name for p in folder.iterdir() if p.is_file() and p.suffix.lower().lstrip(".") in SUFFIXES
    )


def source_file(uploaded, editor: bool, lang: str):
    """The upload, or (for editors, when nothing is uploaded) a file from the import folder."""
    names = server_files() if editor else []
    if not names:
        return uploaded
    choice = st.selectbox(
        t("import_folder", lang),
        [""] + names,
        placeholder=t("choose_option", lang),
        key="server_file",
        format_func=lambda n: n or "—",
        help=t("import_folder_help", lang).format(folder=import_folder()),
    )
    if uploaded is None and choice:
        return ServerFile(import_folder() / choice)
    return uploaded


def source(uploaded, server: ServerFile | None = None) -> Source | None:
    """The file to import, as :class:`geo.importflow.Source` (an upload's bytes stay in
    memory; they touch the disk only for the moment of a read)."""
    if uploaded is None:
        return None
    current = import_flow().source
    if isinstance(uploaded, ServerFile):
        file_id = uploaded.file_id
        if current is not None and current.file_id == file_id:
            return current
        return Source(uploaded.name, file_id, path=uploaded.path)
    file_id = f"upload:{uploaded.file_id}"
    if current is not None and current.file_id == file_id:
        return current  # the bytes are in the session already
    return Source(uploaded.name, file_id, data=uploaded.getvalue())


def import_flow() -> ImportFlow:
    """This session's import (:class:`geo.importflow.ImportFlow`), kept across reruns."""
    return st.session_state.setdefault(_FLOW, ImportFlow())


def _sync(key: str, value, generation: int) -> None:
    """Set a widget's value from the flow when the flow moved on (a new file, a new proposal),
    so that a widget never shows a choice made for another file."""
    marker = f"_synced_{key}"
    if st.session_state.get(marker) != generation or key not in st.session_state:
        st.session_state[key] = value
        st.session_state[marker] = generation


def flash(kind: str, text: str) -> None:
    """A message to show after the rerun that follows an action."""
    st.session_state["import_flash"] = (kind, text)


def show_flash() -> None:
    """The message left by the last action, once."""
    kind, text = st.session_state.pop("import_flash", (None, ""))
    if kind:
        getattr(st, kind)(text)


# -- read ----------------------------------------------------------------------------

_DELIMITER_NAMES = {",": ", (comma)", ";": "; (semicolon)", "\t": "tab", "|": "| (bar)"}


def read_options(flow: ImportFlow, lang: str) -> dict:
    """The read options as the widgets show them (encoding, delimiter, sheet, header row,
    text repair); the detected values are the defaults."""
    detected, generation = flow.detected, flow.read_generation
    if not flow.source or flow.source.suffix in io.GEO_SUFFIXES:
        return {}
    options: dict = {}
    cols = st.columns(4)
    if "encoding" in detected:
        found = detected["encoding"]
        encodings = list(dict.fromkeys([found, "utf-8-sig", "utf-16", "cp1251"]))
        _sync("read_encoding", flow.options.encoding or found, generation)
        options["encoding"] = cols[0].selectbox(
            t("encoding", lang),
            encodings,
            placeholder=t("choose_option", lang),
            key="read_encoding",
            help=f"{t('detected', lang)}: {found}",
        )
        delimiters = list(dict.fromkeys([detected["delimiter"], ",", ";", "\t", "|"]))
        _sync("read_delimiter", flow.options.delimiter or detected["delimiter"], generation)
        options["delimiter"] = cols[1].selectbox(
            t("delimiter", lang),
            delimiters,
            format_func=_DELIMITER_NAMES.get,
            placeholder=t("choose_option", lang),
            key="read_delimiter",
        )
    if detected.get("sheets"):
        _sync("read_sheet", detected["sheet"], generation)
        options["sheet"] = cols[0].selectbox(
            t("sheet", lang),
            detected["sheets"],
            placeholder=t("choose_option", lang),
            key="read_sheet",
        )
    if "header_row" in detected:
        _sync("read_header", flow.header_row + 1, generation)
        options["header_row"] = (
            int(
                cols[2].number_input(
                    t("header_row", lang),
                    1,
                    50,
                    key="read_header",
                    help=f"{t('detected', lang)}: {detected['header_row'] + 1}",
                )
            )
            - 1
        )
    _sync("read_repair", flow.options.repair, generation)
    options["repair"] = cols[3].toggle(
        t("repair_text", lang), key="read_repair", help=t("repair_text_help", lang)
    )
    if options.get("encoding") == detected.get("encoding"):
        options["encoding"] = flow.options.encoding  # detected: keep "detect"
    if options.get("delimiter") == detected.get("delimiter"):
        options["delimiter"] = flow.options.delimiter
    if options.get("header_row") == detected.get("header_row") and flow.options.header_row is None:
        options["header_row"] = None
    if options.get("sheet") == detected.get("sheet") and flow.options.sheet is None:
        options["sheet"] = None
    return options


def read_report(flow: ImportFlow, lang: str) -> None:
    """The outcome of the read: a clear error naming the file, or the preview, the size and
    the repaired text."""
    if flow.error:
        st.error(f"{t('cannot_read', lang)}: {escape_markdown(flow.error)}")
        return
    if flow.preview:
        with st.expander(t("preview", lang), expanded=True):
            st.caption(
                t("preview_help", lang).format(
                    row=flow.header_row + 1, detected=flow.detected.get("header_row", 0) + 1
                )
            )
            width = max(len(r) for r in flow.preview)
            rows = [list(r) + [""] * (width - len(r)) for r in flow.preview[:12]]
            shown = pd.DataFrame(
                rows,
                columns=[f"{i + 1}" for i in range(width)],
                index=pd.Index(range(1, len(rows) + 1), name=t("preview_row", lang)),
            )
            st.dataframe(
                shown.style.apply(
                    lambda r: [
                        "font-weight: bold; background-color: #fff3cd"
                        if r.name == flow.header_row + 1
                        else ""
                        for _ in r
                    ],
                    axis=1,
                ),
                width="stretch",
            )
    frame = flow.frame
    if frame is None:
        return
    if frame.empty:
        st.warning(f"{escape_markdown(flow.source.name)}: {t('only_header', lang)}")
    st.caption(
        t("read_summary", lang).format(
            rows=plural("n_rows", len(frame), lang),
            cols=plural("n_columns", len(frame.columns), lang),
        )
    )
    if flow.repairs:
        rows = len({r.row for r in flow.repairs})
        st.info(
            t("repaired_summary", lang).format(
                cells=plural("n_cells", len(flow.repairs), lang), rows=plural("n_rows", rows, lang)
            )
        )
        st.dataframe(
            pd.DataFrame(
                {
                    t("row", lang): [r.row for r in flow.repairs[:200]],
                    t("column", lang): [r.column for r in flow.repairs[:200]],
                    t("repaired_before", lang): [r.before for r in flow.repairs[:200]],
                    t("repaired_after", lang): [r.after for r in flow.repairs[:200]],
                }
            ),
            hide_index=True,
            width="stretch",
            height=180,
        )


# -- mapping, sectors ------------------------------------------------------------------


def mapping_widgets(flow: ImportFlow, lang: str) -> tuple[dict, bool]:
    """The column mapping as the user sets it (the flow's proposal by default), and whether
    they pressed "Remember this mapping"."""
    st.subheader(t("column_mapping", lang))
    if flow.mapping_source == "remembered":
        st.caption(t("mapping_remembered", lang))
    options = [None, *map(str, flow.frame.columns)]
    cols = st.columns(4)
    mapping = {}
    for i, role in enumerate(ROLES):
        proposed = flow.mapping.get(role)
        _sync(f"map_{role}", proposed if proposed in options else None, flow.mapping_generation)
        mapping[role] = cols[i % 4].selectbox(
            t(f"role_{role}", lang),
            options,
            format_func=lambda c: "—" if c is None else c,
            placeholder=t("choose_option", lang),
            key=f"map_{role}",
        )
    confirm = st.button(
        t("confirm_mapping", lang),
        key="confirm_mapping",
        disabled=flow.mapping_confirmed and mapping == flow.mapping,
    )
    if not flow.mapping_confirmed:
        st.caption(t("mapping_not_remembered", lang))
    return mapping, confirm


def sector_widgets(flow: ImportFlow, lang: str) -> dict[str, str] | None:
    """Sector values no rule could place, for the user to assign a section ("C - Manufacturing",
    in the page's language); None when there are none."""
    column = flow.mapping.get("sector")
    if not column:
        return None
    _, unplaced = map_sectors(flow.frame[column])
    if not unplaced:
        return None
    sections = load_isic_sections()
    st.subheader(t("unmapped_sectors", lang))
    st.caption(t("unmapped_sectors_help", lang))
    name_col = "name_mn_short" if lang == "mn" else "name_en"
    labels = {
        code: t("isic_choice", lang).format(code=code, name=name)
        for code, name in zip(sections["code"], sections[name_col])
    }
    shown = unplaced[:200]
    table = pd.DataFrame({"value": shown, "section": [flow.assignments.get(v, "") for v in shown]})
    edited = st.data_editor(
        table,
        key="sector_editor",
        hide_index=True,
        width="stretch",
        disabled=["value"],
        column_config={
            "value": st.column_config.TextColumn(t("sector_as_written", lang)),
            "section": st.column_config.SelectboxColumn(
                t("isic_section", lang),
                options=["", *labels],
                format_func=lambda c: labels.get(c, "—"),
            ),
        },
    )
    return {r.value: r.section for r in edited.itertuples() if r.section}


# -- validation and fixes ----------------------------------------------------------------


def validation_report(flow: ImportFlow, lang: str) -> None:
    """The report: each problem with its count and rows, and a download of flagged rows."""
    table, problems = flow.table, flow.problems
    st.subheader(t("validation", lang))
    flagged = table[table["import_status"] == "flagged"]
    st.write(
        t("validation_summary", lang).format(
            rows=plural("n_rows", len(table), lang),
            ok=len(table) - len(flagged),
            flagged=len(flagged),
        )
    )
    fixed = sum(len(cells) for cells in flow.edits.values())
    if fixed:
        st.caption(t("fixes_kept", lang).format(cells=plural("n_cells", fixed, lang)))
    if problems:
        st.dataframe(
            pd.DataFrame(
                {
                    t("problem", lang): [t(f"problem_{p.key}", lang) for p in problems],
                    t("column", lang): [p.column for p in problems],
                    t("count", lang): [p.count for p in problems],
                    t("rows", lang): [
                        ", ".join(map(str, p.rows[:30])) + (" …" if p.count > 30 else "")
                        for p in problems
                    ],
                }
            ),
            hide_index=True,
            width="stretch",
        )
        st.download_button(
            t("download_flagged", lang),
            lambda: export.csv_bytes(flagged),
            "flagged_rows.csv",
            "text/csv",
            key="dl_flagged",
            on_click="ignore",
        )


def fix_widgets(flow: ImportFlow, lang: str) -> pd.DataFrame | None:
    """The rows to fix in an editable table; returns them as edited when the user presses
    "Apply the fixes and check again" (else None)."""
    rows = flow.fixable()
    if rows.empty:
        return None
    shown = rows.head(500).reset_index(drop=True)
    with st.expander(
        t("fix_rows", lang).format(rows=plural("n_rows", len(rows), lang)), expanded=True
    ):
        # no rerun per cell ("ignore"): the edits travel with the next click (Apply, or
        # Geocode, after which the warning below says they are not applied yet)
        edited = st.data_editor(
            shown,
            key=f"fix_editor_{flow.edit_generation}",
            hide_index=True,
            disabled=["row", "import_issues"],
            width="stretch",
            on_change="ignore",
            column_config=column_labels(shown.columns, lang),
        )
        pending = not edited.astype("string").fillna("").equals(shown.astype("string").fillna(""))
        if pending:
            st.warning(t("fixes_pending", lang))
        if st.button(t("apply_fixes", lang), key="apply_fixes"):
            return edited
    return None


# -- geocoding, review, save -----------------------------------------------------------------


def geocode_widgets(lang: str) -> tuple[bool, bool]:
    """(online fallback on, Geocode pressed)."""
    online = st.checkbox(
        t("online_fallback", lang), value=False, key="online", help=t("online_fallback_help", lang)
    )
    return online, st.button(t("geocode", lang), key="geocode", type="primary")


def geocode(flow: ImportFlow, lang: str, online: bool = False) -> None:
    """Geocode the flow's table with a progress bar; the workspace's corrections applied.

    With ``online``, rows left unmatched are sent to OpenStreetMap Nominatim
    (one per second, cached in the workspace; each placed row says so).
    """
    bar = st.progress(0.0, text=t("geocoding", lang))
    corrections = workspace().corrections()
    geocoder = Geocoder(loaders.admin_index(), corrections=corrections)

    def fallback(out: pd.DataFrame) -> pd.DataFrame:
        from geo.online import NominatimFallback

        try:
            return NominatimFallback(workspace().path, loaders.admin_index()).apply(
                out,
                "_address",
                progress=lambda f: bar.progress(min(1.0, f), text=t("geocoding_online", lang)),
            )
        except OSError as exc:
            st.warning(f"{t('online_failed', lang)}: {escape_markdown(exc)}")
            return out

    flow.geocode(
        geocoder,
        corrections=corrections,
        fallback=fallback if online else None,
        progress=lambda f: bar.progress(min(1.0, f), text=t("geocoding", lang)),
    )
    bar.empty()


def geocode_summary(flow: ImportFlow, lang: str) -> None:
    counts = flow.geocoded["geocode_status"].value_counts()
    st.write(
        t("geocode_summary", lang).format(
            matched=counts.get("matched", 0),
            ambiguous=counts.get("ambiguous", 0),
            unmatched=counts.get("unmatched", 0),
        )
    )
