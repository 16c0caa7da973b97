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
