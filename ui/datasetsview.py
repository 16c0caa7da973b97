"""The Data page's last step and its second tab: saving the imported register as a dataset
of the shared workspace (a conflict with a colleague's save is said, not overwritten), and
the list of saved datasets (open, download, delete)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from geo.formats import format_date
from geo.importflow import ImportFlow
from geo.safety import escape_markdown
from geo.workspace import DEMO_ID, WorkspaceConflict, WorkspaceError, dataset_id
from ui import loaders, state
from ui.dataview import workspace
from ui.i18n import column_labels, plural, t


def save_widgets(flow: ImportFlow, lang: str, editor: bool, user: str) -> dict | None:
    """Name, description and who saves; returns the save's arguments when "Save" is pressed.

    The version of the dataset the user saw is passed on, so that a
    colleague's save in between is a conflict, not a silent overwrite.
    """
    st.subheader(t("save_dataset", lang))
    if not editor:
        st.info(t("viewer_only", lang))
        return None
    name = st.text_input(t("dataset_name", lang), value=Path(flow.source.name).stem, key="ds_name")
    description = st.text_area(t("dataset_description", lang), key="ds_description")
    if user:  # signed in: the record names the account, not what someone types
        who = user
        st.caption(f"{t('saved_by', lang)}: {escape_markdown(user)}")
    else:
        who = st.text_input(t("saved_by", lang), key="ds_user")
    store = workspace()
    target = dataset_id(name)
    seen = st.session_state.get("ds_seen")  # (id, version) as shown before this run
    version = store.version(target) if target != DEMO_ID else 0
    exists = version > 0
    confirm = True
    if exists:
        confirm = st.checkbox(t("confirm_replace", lang).format(name=target), key="ds_replace")
    missing = [t(k, lang) for k, v in (("dataset_name", name), ("saved_by", who)) if not v.strip()]
    clicked = st.button(
        t("save", lang),
        key="ds_save",
        disabled=bool(missing) or not confirm,
        help=t("save_needs", lang).format(fields=", ".join(missing)) if missing else None,
    )
    if missing:  # say why the button is off, not only by greying it
        st.caption(t("save_needs", lang).format(fields=", ".join(missing)))
    st.session_state["ds_seen"] = (target, version)
    if not clicked:
        return None
    expected = seen[1] if seen and seen[0] == target else version
    return dict(
        name=name,
        description=description,
        saved_by=who,
        replace=confirm and exists,
        expected_version=expected,
    )


def save(flow: ImportFlow, lang: str, **arguments) -> None:
    """Save the flow's table (atomic); a conflict with a colleague's save is said plainly."""
    try:
        saved = flow.save(workspace(), **arguments)
    except WorkspaceConflict as exc:
        st.error(
            t("save_conflict", lang).format(
                name=escape_markdown(exc.what),
                who=escape_markdown(exc.saved_by or "—"),
                when=escape_markdown(exc.saved_at or "—"),
            )
        )
        return
    except (WorkspaceError, ValueError) as exc:
        st.error(f"{t('save_failed', lang)}: {escape_markdown(exc)}")
        return
    loaders.geocoded_firms.clear()
    st.success(
        t("dataset_saved", lang).format(name=saved, rows=plural("n_rows", len(flow.final()), lang))
    )
    st.button(
        t("open_on_map", lang),
        key="open_saved_on_map",
        type="primary",
        on_click=state.open_dataset,
        args=(saved,),
    )


def datasets_tab(lang: str, editor: bool) -> None:
    """The saved datasets, with delete (confirmed); the demo is listed and protected."""
    store = workspace()
    table = store.list()
    rows = [
        {
            "id": DEMO_ID,
            "name": t("demo_name", lang),
            "rows": len(loaders.demo_firms()),
            "saved_by": "—",
            "saved_at": "—",
            "source_file": "firms_demo_synthetic.csv",
        }
    ]
    rows += table.assign(
        saved_at=table["saved_at"].map(lambda v: format_date(v, lang, with_time=True))
    ).to_dict("records")
    columns = ["id", "name", "rows", "source_file", "saved_by", "saved_at"]
    st.dataframe(
        pd.DataFrame(rows)[columns],
        hide_index=True,
        width="stretch",
        column_config=column_labels(columns, lang),
    )
    deletable = table["id"].tolist()
    if not deletable or not editor:
        return
    victim = st.selectbox(
        t("delete_dataset", lang),
        [""] + deletable,
        placeholder=t("choose_option", lang),
        key="ds_delete",
    )
    if victim and st.checkbox(t("confirm_delete", lang).format(name=victim), key="ds_delete_ok"):
        if st.button(t("delete", lang), key="ds_delete_button"):
            store.delete(victim)
            loaders.geocoded_firms.clear()
            st.success(t("deleted", lang).format(name=victim))
