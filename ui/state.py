"""View state kept in the URL query parameters, so that a link reproduces a view."""

from __future__ import annotations

import streamlit as st

from ui.i18n import DEFAULT_LANGUAGE, LANGUAGES, t


def current_language() -> str:
    """The language of this view: the switch if touched, else ``?lang=``, else Mongolian."""
    lang = st.session_state.get("lang_switch") or st.query_params.get("lang", DEFAULT_LANGUAGE)
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def language_switch() -> str:
    """Draw the sidebar language switch and mirror the choice into the URL."""
    lang = current_language()
    choice = st.sidebar.radio(
        f"{t('language', 'mn')} / {t('language', 'en')}",
        options=list(LANGUAGES),
        format_func=LANGUAGES.get,
        index=list(LANGUAGES).index(lang),
        horizontal=True,
        key="lang_switch",
    )
    if st.query_params.get("lang") != choice:
        st.query_params["lang"] = choice
    return choice


# -- the Map page's view ---------------------------------------------------------
from geo.view import View  # noqa: E402

#: Widget keys of the view's fields (session_state keys).
WIDGET = {name: f"v_{name}" for name in (
    "sectors", "region", "aimags", "sizes", "founded", "exporter", "foreign_owned",
    "precisions", "eps_km", "min_samples", "weighted", "method", "clustering",
    "include_centres", "layers", "basemap", "indicator", "aimag", "cluster", "presenter",
    "dataset")}


def initial_view(*, sectors: tuple[str, ...], aimags: tuple[str, ...],
                 regions: tuple[str, ...]) -> View:
    """The view this session opened with: read once from the URL, then kept.

    Seeds every widget's session state from it, so that the widgets show the
    linked view; problems with the link are kept in ``view_problems``.
    """
    if "view0" not in st.session_state:
        query = {k: st.query_params.get(k) for k in st.query_params.keys()}
        view, problems = View.from_query(query, sectors=sectors, aimags=aimags, regions=regions)
        view = view.replace(lang=current_language())
        st.session_state["view0"] = view
        st.session_state["view_problems"] = problems
        for name, key in WIDGET.items():
            value = getattr(view, name)
            if isinstance(value, tuple) and name != "founded":
                value = list(value)
            st.session_state[key] = value
    return st.session_state["view0"]


def publish_view(view: View) -> None:
    """Write the view into the URL (only what differs from the defaults)."""
    wanted = view.to_query()
    current = {k: st.query_params.get(k) for k in st.query_params.keys()}
    if wanted != current:
        st.query_params.from_dict(wanted)



def url_choice(param: str, options, default) -> dict:
    """Widget arguments that keep a choice in the URL query parameter ``param``.

    The first run of a session takes the value from the URL (or ``default``
    when absent or not one of ``options``); every change is written back.
    Use as ``st.selectbox(label, options, **url_choice("ssec", options, "mining"))``.
    """
    key = f"u_{param}"
    options = [str(o) for o in options]
    if key not in st.session_state:
        value = st.query_params.get(param)
        st.session_state[key] = value if value in options else default

    def write() -> None:
        value = st.session_state[key]
        if value == default:
            st.query_params.pop(param, None)
        else:
            st.query_params[param] = value

    return {"key": key, "on_change": write}
