"""Small Streamlit widgets that several pages draw."""

from __future__ import annotations

import streamlit as st

from ui import loaders
from ui.i18n import t


def aimag_profile(code: str, lang: str) -> None:
    """Show the facts of the aimag with ISO code ``code``."""
    index = loaders.admin_index()
    try:
        row = index.aimag(code)
    except KeyError:
        return
    name = row["name_mn"] if lang == "mn" else row["name_en"]
    st.subheader(name)
    st.caption(f"{t('selected_aimag', lang)} · {row['iso_3166_2']}")
    st.metric(t("population", lang), f"{int(row['population']):,}".replace(",", " "),
              help=f"{int(row['population_year'])}")
    st.metric(t("area_km2", lang), f"{row['area_km2']:,.0f}".replace(",", " "))
    st.write(f"**{t('region', lang)}:** {row['region_mn'] if lang == 'mn' else row['region_en']}")
    st.write(f"**{t('capital', lang)}:** {row['capital_mn'] if lang == 'mn' else row['capital_en']}")
    n_units = int((index.units["aimag_code"] == code).sum())
    st.write(f"**{t('soums', lang)}:** {n_units}")
