"""The Map page's saved views: save, open, rename and delete them, and presenter mode's bar
that steps through them."""

from __future__ import annotations


import streamlit as st

from geo.safety import escape_markdown
from geo.view import View
from geo.views import SavedViews
from ui.i18n import t
from ui import state


#: Session key of the saved view last opened or saved (while the view is unchanged).
CURRENT_SAVED = "saved_view_current"


def _position(views: list[dict], view: View) -> int:
    """Which saved view is shown: the one last opened or saved if the view still is it,
    else the first whose filters and parameters match; -1 for none."""
    current = _comparable(view.to_query())
    matching = [i for i, v in enumerate(views) if _comparable(v["query"]) == current]
    last = st.session_state.get(CURRENT_SAVED)
    for i in matching:
        if views[i]["name"] == last:
            return i
    return matching[0] if matching else -1


def _comparable(query: dict) -> dict:
    """A view's query without what moves with the map or the mode."""
    return {k: v for k, v in query.items() if k not in ("lat", "lon", "z", "pres", "lang")}


def saved_views_controls(lang: str, view: View, opener) -> None:
    """Save the current view (centre and zoom included) under a name; open, rename or
    delete a saved one. ``opener(query)`` opens a query (a widget callback)."""
    store = SavedViews.default()
    with st.sidebar.expander(t("saved_views", lang)):
        name = st.text_input(t("view_name", lang), key="new_view_name", max_chars=80)
        if st.button(t("save_view", lang), key="save_view", disabled=not name.strip()):
            store.save(
                name,
                {k: v for k, v in view.replace(presenter=False).to_query().items() if k != "lang"},
            )
            st.session_state[CURRENT_SAVED] = name.strip()
            st.success(t("view_saved", lang))
        views = store.list()
        position = _position(views, view)
        for i, v in enumerate(views):
            mark = "● " if i == position else ""
            st.button(
                mark + v["name"],
                key=f"open_view_{i}",
                width="stretch",
                on_click=opener,
                args=(v["name"], v["query"]),
            )
        if views:
            st.divider()
            names = [v["name"] for v in views]
            target = st.selectbox(
                t("manage_view", lang),
                names,
                key="manage_view",
                placeholder=t("choose_option", lang),
            )
            new_name = st.text_input(t("rename_to", lang), key="rename_view_to", max_chars=80)
            cols = st.columns(2)
            if cols[0].button(
                t("rename", lang),
                key="rename_view",
                disabled=not new_name.strip() or new_name.strip() in names,
            ):
                store.rename(target, new_name)
                st.rerun()
            if cols[1].button(t("delete", lang), key="delete_view"):
                store.delete(target)
                st.rerun()


def presenter_bar(view: View, lang: str, opener) -> None:
    """Presenter mode: larger type, the map full width, and the presenter's buttons.

    The buttons sit below Streamlit's fixed header (clickable with a mouse);
    the sidebar stays reachable through its arrow. "Next view" steps through
    the saved views, each opening at its own centre and zoom. Static CSS only;
    no data-derived text goes into it.
    """
    st.html("""<style>
      [data-testid="stMetricValue"] { font-size: 2.2rem; }
      [data-testid="stMetricLabel"] p { font-size: 1.15rem; }
      .block-container { padding-top: 3.75rem; max-width: 100%; }
      h2 { font-size: 2.2rem; }
    </style>""")
    views = SavedViews.default().list()
    cols = st.columns([1.3, 2.4, 3])
    cols[0].button(
        t("presenter_exit", lang),
        key="presenter_exit",
        type="primary",
        on_click=state.change,
        kwargs={"presenter": False},
    )
    if views:
        names = [v["name"] for v in views]
        position = _position(views, view)
        following = views[(position + 1) % len(views)]
        cols[1].button(
            f"{t('next_view', lang)}: {following['name']}",
            key="next_view",
            on_click=opener,
            args=(following["name"], {**following["query"], "pres": "1"}),
        )
        cols[2].caption(
            " · ".join(
                f"**{escape_markdown(n)}**" if i == position else escape_markdown(n)
                for i, n in enumerate(names)
            )
        )
    else:
        cols[1].caption(t("no_saved_views", lang))
