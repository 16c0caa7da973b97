"""The Data page's steps: upload, read options, column mapping, sectors, validation,
geocoding with a progress bar, review of unplaced rows, save to the workspace.

Everything the user uploads stays in their own session state; only a save
writes it to the shared workspace.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from geo import export, io
from geo.access import EditorPolicy
from geo.geocode import Geocoder, place_key
from geo.safety import escape_markdown
from geo.ingest import (EDITABLE_COLUMNS, ROLES, geocoding_address, load_isic_sections,
                        map_sectors, propose_mapping, standardise, validate)
from geo.workspace import DEMO_ID, Workspace, WorkspaceError
from ui import loaders
from ui.i18n import t

SUFFIXES = ["csv", "tsv", "txt", "xlsx", "geojson", "gpkg", "parquet"]
_UPLOAD = "upload"          # session_state key of the current upload's state


def workspace() -> Workspace:
    """The shared workspace (see :func:`ui.loaders.workspace`)."""
    return loaders.workspace()


def editor_policy() -> EditorPolicy:
    """The workspace's editor policy from the app's secrets (see :mod:`geo.access`)."""
    try:
        secrets = {k: st.secrets[k] for k in st.secrets}
    except Exception:   # no secrets file
        secrets = {}
    return EditorPolicy.from_secrets(secrets)


def _signed_in_email() -> str:
    try:
        if st.user.is_logged_in:
            return str(st.user.get("email") or st.user.get("name") or "")
    except Exception:   # st.user unavailable (no auth configured)
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
        typed = st.text_input(t("editor_password", lang), type="password",
                              key="editor_password_input")
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
    return sorted(p.name for p in folder.iterdir()
                  if p.is_file() and p.suffix.lower().lstrip(".") in SUFFIXES)


def source_file(uploaded, editor: bool, lang: str):
    """The upload, or (for editors, when nothing is uploaded) a file from the import folder."""
    names = server_files() if editor else []
    if not names:
        return uploaded
    choice = st.selectbox(t("import_folder", lang), [""] + names, key="server_file",
                          format_func=lambda n: n or "—",
                          help=t("import_folder_help", lang).format(folder=import_folder()))
    if uploaded is None and choice:
        return ServerFile(import_folder() / choice)
    return uploaded


def _store_upload(uploaded) -> Path:
    """Keep the uploaded bytes in a private temporary file for this session."""
    state = st.session_state.setdefault(_UPLOAD, {})
    if isinstance(uploaded, ServerFile):
        if state.get("file_id") != uploaded.file_id:
            state.clear()
            state.update(file_id=uploaded.file_id, path=str(uploaded.path), name=uploaded.name)
        return uploaded.path
    if state.get("file_id") != uploaded.file_id:
        suffix = Path(uploaded.name).suffix.lower() or ".csv"
        handle = tempfile.NamedTemporaryFile(prefix="cam_upload_", suffix=suffix, delete=False)
        handle.write(uploaded.getbuffer())
        handle.close()
        state.clear()
        state.update(file_id=uploaded.file_id, path=handle.name, name=uploaded.name)
    return Path(state["path"])


def read_step(uploaded, lang: str) -> pd.DataFrame | None:
    """Read the upload with the options shown (and changeable); None on a clear error."""
    path = _store_upload(uploaded)
    suffix = path.suffix.lower()
    kwargs: dict = {}
    try:
        io.check_limits(path)
        if suffix in (".csv", ".tsv", ".txt"):
            encoding, delimiter = io.sniff_text(path.read_bytes()[:200_000])
            cols = st.columns(3)
            encodings = list(dict.fromkeys([encoding, "utf-8-sig", "utf-16", "cp1251"]))
            kwargs["encoding"] = cols[0].selectbox(t("encoding", lang), encodings,
                                                   key="read_encoding",
                                                   help=t("detected", lang) + f": {encoding}")
            names = {",": ", (comma)", ";": "; (semicolon)", "\t": "tab", "|": "| (bar)"}
            delimiters = list(dict.fromkeys([delimiter, ",", ";", "\t", "|"]))
            kwargs["delimiter"] = cols[1].selectbox(t("delimiter", lang), delimiters,
                                                    format_func=names.get, key="read_delimiter")
            kwargs["header_row"] = int(cols[2].number_input(t("header_row", lang), 1, 50, 1,
                                                            key="read_header")) - 1
        elif suffix in (".xlsx", ".xlsm"):
            import openpyxl

            book = openpyxl.load_workbook(path, read_only=True)
            sheets = book.sheetnames
            book.close()
            cols = st.columns(2)
            kwargs["sheet"] = cols[0].selectbox(t("sheet", lang), sheets, key="read_sheet")
            kwargs["header_row"] = int(cols[1].number_input(t("header_row", lang), 1, 50, 1,
                                                            key="read_header")) - 1
        frame = io.read_table(path, **kwargs)
    except io.InputError as exc:
        st.error(f"{t('cannot_read', lang)}: {escape_markdown(exc)}")
        return None
    except Exception as exc:    # a parser we do not know fails: say so, never a traceback
        st.error(f"{t('cannot_read', lang)}: "
                 + escape_markdown(f"{uploaded.name}: {type(exc).__name__}: {exc}"))
        return None
    if frame.empty:
        st.warning(f"{escape_markdown(uploaded.name)}: {t('only_header', lang)}")
    st.caption(t("read_summary", lang).format(rows=len(frame), cols=len(frame.columns)))
    return frame


def mapping_step(frame: pd.DataFrame, lang: str) -> dict[str, str | None]:
    """Proposed column mapping, confirmed or changed by the user (remembered per headers)."""
    remembered = workspace().mapping(frame.columns)
    proposal = propose_mapping(frame.columns, remembered)
    st.subheader(t("column_mapping", lang))
    if remembered:
        st.caption(t("mapping_remembered", lang))
    options = [None, *map(str, frame.columns)]
    cols = st.columns(4)
    mapping = {}
    for i, role in enumerate(ROLES):
        default = proposal.get(role)
        mapping[role] = cols[i % 4].selectbox(
            t(f"role_{role}", lang), options,
            index=options.index(default) if default in options else 0,
            format_func=lambda c: "—" if c is None else c, key=f"map_{role}")
    return mapping


def sector_step(frame: pd.DataFrame, mapping: dict, lang: str) -> dict[str, str]:
    """Sector values that could not be placed, for the user to assign an ISIC section."""
    column = mapping.get("sector")
    if not column:
        return {}
    _, unplaced = map_sectors(frame[column])
    if not unplaced:
        return {}
    sections = load_isic_sections()
    st.subheader(t("unmapped_sectors", lang))
    st.caption(t("unmapped_sectors_help", lang))
    letters = [""] + sections["code"].tolist()
    name_col = "name_mn_short" if lang == "mn" else "name_en"
    labels = dict(zip(sections["code"], sections[name_col]))
    table = pd.DataFrame({"value": unplaced[:200], "section": [""] * min(len(unplaced), 200)})
    edited = st.data_editor(table, key="sector_editor", hide_index=True, width="stretch",
                            disabled=["value"], column_config={
                                "value": st.column_config.TextColumn(t("sector_as_written", lang)),
                                "section": st.column_config.SelectboxColumn(
                                    t("isic_section", lang), options=letters,
                                    help=", ".join(f"{k}: {v}" for k, v in labels.items()))})
    return {r.value: r.section for r in edited.itertuples() if r.section}


def validation_step(table: pd.DataFrame, problems, lang: str) -> None:
    """The report: each problem with its count and rows, and a download of flagged rows."""
    st.subheader(t("validation", lang))
    flagged = table[table["import_status"] == "flagged"]
    st.write(t("validation_summary", lang).format(rows=len(table), ok=len(table) - len(flagged),
                                                  flagged=len(flagged)))
    if problems:
        st.dataframe(pd.DataFrame({
            t("problem", lang): [t(f"problem_{p.key}", lang) for p in problems],
            t("column", lang): [p.column for p in problems],
            t("count", lang): [p.count for p in problems],
            t("rows", lang): [", ".join(map(str, p.rows[:30])) + (" …" if p.count > 30 else "")
                              for p in problems]}), hide_index=True, width="stretch")
        st.download_button(t("download_flagged", lang), lambda: export.csv_bytes(flagged),
                           "flagged_rows.csv", "text/csv", key="dl_flagged", on_click="ignore")


def fix_step(table: pd.DataFrame, lang: str) -> pd.DataFrame | None:
    """Let the user fix flagged rows in place; returns the edited rows (or None)."""
    flagged = table[table["import_status"] == "flagged"]
    if flagged.empty:
        return None
    with st.expander(t("fix_rows", lang).format(n=len(flagged))):
        shown = flagged[["row", *EDITABLE_COLUMNS, "import_issues"]].head(500)
        edited = st.data_editor(shown, key="fix_editor", hide_index=True,
                                disabled=["row", "import_issues"], width="stretch")
    return edited


def table_signature(table: pd.DataFrame, file_id: str) -> str:
    """Changes whenever the standard table does (mapping, sectors, fixes)."""
    hashed = pd.util.hash_pandas_object(table.drop(columns=[c for c in table.columns
                                                            if c.startswith("src_")]),
                                        index=False)
    return f"{file_id}:{len(table)}:{int(hashed.sum())}"


def geocode_step(table: pd.DataFrame, lang: str, online: bool = False) -> pd.DataFrame:
    """Geocode with a progress bar; corrections saved in the workspace are applied.

    With ``online``, rows left unmatched are sent to OpenStreetMap Nominatim
    (one per second, cached in the workspace; each placed row says so).
    """
    bar = st.progress(0.0, text=t("geocoding", lang))
    geocoder = Geocoder(loaders.admin_index(), corrections=workspace().corrections())
    work = table.assign(_address=geocoding_address(table))
    out = geocoder.geocode(work, address_column="_address", lat_column="lat", lon_column="lon",
                           progress=lambda f: bar.progress(min(1.0, f), text=t("geocoding", lang)))
    if online:
        from geo.online import NominatimFallback

        fallback = NominatimFallback(workspace().path, loaders.admin_index())
        try:
            out = fallback.apply(out, "_address", progress=lambda f: bar.progress(
                min(1.0, f), text=t("geocoding_online", lang)))
        except OSError as exc:
            st.warning(f"{t('online_failed', lang)}: {escape_markdown(exc)}")
    bar.empty()
    return out


def review_step(geocoded: pd.DataFrame, lang: str, editor: bool, user: str) -> bool:
    """Ambiguous and unmatched rows: pick the unit; the choice is remembered.

    One searchable choice per distinct address (the first 30; the rest after
    these are fixed). Returns True when corrections were saved (the caller
    geocodes again).
    """
    todo = geocoded[geocoded["geocode_status"].isin(["ambiguous", "unmatched"])
                    & geocoded["_address"].ne("")]
    st.subheader(t("review", lang))
    if todo.empty:
        st.success(t("review_none", lang))
        return False
    distinct = todo.drop_duplicates("_address").rename(columns={"_address": "address_text"})
    st.caption(t("review_help", lang).format(n=len(todo)))
    index = loaders.admin_index()
    aimag_names = dict(zip(index.aimags["iso_3166_2"], index.aimags["name_mn"]))
    label = {c: f"{aimag_names[c]} ({c})" for c in index.aimags["iso_3166_2"]}
    label.update({str(u.unit_code): f"{u.name_mn}, {aimag_names.get(u.aimag_code, '')}"
                  for u in index.units.itertuples()})
    options = [""] + sorted(label, key=label.get)
    shown = distinct.head(30)
    points = st.session_state.setdefault("review_points", {})
    chosen = []
    for i, r in enumerate(shown.itertuples()):
        cols = st.columns([3, 2])
        cols[0].markdown(f"**{t('row', lang)} {r.row}:** {escape_markdown(r.address_text)}")
        cols[0].caption(escape_markdown(f"{r.geocode_status}: {r.geocode_note}"))
        code = cols[1].selectbox(t("choose_unit", lang), options, key=f"review_{i}",
                                 format_func=lambda c: label.get(c, "—") if c else "—")
        point = points.get(r.address_text)
        if code:
            chosen.append((r.address_text, code))
        elif point:
            cols[1].caption(f"📍 {t('review_point', lang)}: {point[0]:.5f}, {point[1]:.5f}")
            chosen.append((r.address_text, f"point:{point[0]:.5f},{point[1]:.5f}"))
    review_map(shown["address_text"].tolist(), lang)
    if st.button(t("save_fixes", lang), key="save_fixes", disabled=not (editor and chosen)):
        store = workspace()
        for address, code in chosen:
            store.save_correction(place_key(address), code, saved_by=user or "anonymous",
                                  note="Data page review")
        st.session_state["review_points"] = {}
        st.success(t("fixes_saved", lang).format(n=len(chosen)))
        return True
    return False


def review_map(addresses: list[str], lang: str) -> None:
    """Place one address by clicking the map: the click becomes that address's point."""
    import folium

    from geo import maps
    from ui.foliummap import map_component

    st.markdown(f"**{t('review_map', lang)}**")
    st.caption(t("review_map_help", lang))
    cols = st.columns([3, 2])
    target = cols[0].selectbox(t("review_map_row", lang), addresses, key="review_map_row")
    osm = cols[1].toggle(t("basemap_osm", lang), key="review_map_osm",
                         help=t("review_map_osm_help", lang))
    point = st.session_state.get("review_points", {}).get(target)

    def build():
        m = maps.base_map("osm" if osm else None,
                          view=(point[0], point[1], 12) if point else None)
        maps.aimag_layer(loaders.aimags(), {k: t(k, lang) for k in ("name", "region",
                                                                    "population")},
                         lang=lang, name=t("layer_aimags", lang)).add_to(m)
        if point:
            folium.CircleMarker(list(point), radius=7, color="#b71c1c", fill=True,
                                fill_opacity=0.9, weight=2).add_to(m)
        return m

    state = map_component(build, f"review-map:{lang}:{osm}:{point}", key="review_map",
                          height=420, returned_objects=["last_clicked"])
    click = (state or {}).get("last_clicked") or {}
    if "lat" not in click or target is None:
        return
    seen = (round(float(click["lat"]), 5), round(float(click["lng"]), 5))
    if st.session_state.get("review_click_seen") == seen:
        return
    st.session_state["review_click_seen"] = seen
    where = loaders.admin_index().locate([seen[0]], [seen[1]])
    if not isinstance(where.at[0, "aimag_code"], str):
        st.warning(f"{t('review_point_outside', lang)}: {seen[0]:.5f}, {seen[1]:.5f}")
        return
    st.session_state.setdefault("review_points", {})[target] = seen
    st.rerun()


def save_step(final: pd.DataFrame, source_name: str, lang: str, editor: bool,
              user: str) -> None:
    """Save the geocoded table to the shared workspace (atomic; confirmation to replace)."""
    st.subheader(t("save_dataset", lang))
    if not editor:
        st.info(t("viewer_only", lang))
        return
    name = st.text_input(t("dataset_name", lang), value=Path(source_name).stem, key="ds_name")
    description = st.text_area(t("dataset_description", lang), key="ds_description")
    if user:    # signed in: the record names the account, not what someone types
        who = user
        st.caption(f"{t('saved_by', lang)}: {escape_markdown(user)}")
    else:
        who = st.text_input(t("saved_by", lang), key="ds_user")
    store = workspace()
    from geo.workspace import dataset_id

    target = dataset_id(name)
    exists = target != DEMO_ID and store.exists(target)
    confirm = True
    if exists:
        confirm = st.checkbox(t("confirm_replace", lang).format(name=target), key="ds_replace")
    if st.button(t("save", lang), key="ds_save", disabled=not (name.strip() and who.strip()
                                                               and confirm)):
        try:
            saved = store.save(final, name=name, description=description,
                               source_file=source_name, saved_by=who, replace=exists)
        except WorkspaceError as exc:
            st.error(str(exc))
            return
        loaders._geocoded_firms.clear()
        st.success(t("dataset_saved", lang).format(name=saved, rows=len(final)))
        st.page_link("pages/map.py", label=t("open_on_map", lang), query_params={"ds": saved})


def datasets_tab(lang: str, editor: bool) -> None:
    """The saved datasets, with delete (confirmed); the demo is listed and protected."""
    store = workspace()
    table = store.list()
    rows = [{"id": DEMO_ID, "name": t("demo_name", lang), "rows": len(loaders.demo_firms()),
             "saved_by": "—", "saved_at": "—", "source_file": "firms_demo_synthetic.csv"}]
    rows += table.to_dict("records")
    st.dataframe(pd.DataFrame(rows)[["id", "name", "rows", "source_file", "saved_by",
                                     "saved_at"]], hide_index=True, width="stretch")
    deletable = table["id"].tolist()
    if not deletable or not editor:
        return
    victim = st.selectbox(t("delete_dataset", lang), [""] + deletable, key="ds_delete")
    if victim and st.checkbox(t("confirm_delete", lang).format(name=victim), key="ds_delete_ok"):
        if st.button(t("delete", lang), key="ds_delete_button"):
            store.delete(victim)
            loaders._geocoded_firms.clear()
            st.success(t("deleted", lang).format(name=victim))
