"""Statistics page (AppTest) in both languages: sector, level, indicator, link, profile."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ui.i18n import t

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "aimag_statistics.py")


def open_page(lang="en", **query) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.query_params["lang"] = lang
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, at.exception
    return at


def row(at, name_header, name):
    table = at.dataframe[0].value
    return table[table[name_header] == name].iloc[0]


@pytest.mark.parametrize("lang", ["mn", "en"])
def test_aimag_table_in_both_languages(lang):
    at = open_page(lang)
    table = at.dataframe[0].value
    assert len(table) == 23
    assert t("col_lq_employment", lang) in table.columns
    name = "Өмнөговь" if lang == "mn" else "Ömnögovi"
    assert row(at, t("name", lang), name)[t("col_lq_employment", lang)] > 2  # mining default
    assert at.subheader[0].value == t("table_aimag", lang)


def test_sector_and_level_change_the_table_and_the_url():
    at = open_page()
    before = at.dataframe[0].value[t("col_lq_employment", "en")].tolist()
    at.selectbox(key="s_sector").set_value("ict").run()
    after = at.dataframe[0].value[t("col_lq_employment", "en")].tolist()
    assert before != after and at.query_params["ssec"] == "ict"
    at.radio(key="s_level").set_value("region").run()
    assert len(at.dataframe[0].value) == 6 and at.query_params["slvl"] == "region"
    at.radio(key="s_level").set_value("district").run()
    assert len(at.dataframe[0].value) == 10
    assert any(i.value == t("district_no_map", "en") for i in at.info)


def test_a_link_restores_sector_level_and_indicator():
    at = open_page(ssec="ict", slvl="district", sind="employees_per_10k", scls="natural_breaks")
    assert at.selectbox(key="s_sector").value == "ict"
    assert at.radio(key="s_level").value == "district"
    assert at.selectbox(key="s_indicator").value == "employees_per_10k"
    sb = row(at, t("name", "en"), "Sükhbaatar")
    assert sb[t("col_lq_employment", "en")] > 2  # the demo's ICT cluster district


def test_selected_aimag_shows_profile_portfolio_and_clusters():
    at = open_page(sel="MN-053")
    assert not at.exception
    assert any(s.value == "Ömnögovi" for s in at.subheader)
    texts = [m.value for m in at.markdown]
    assert any(t("portfolio", "en") in x for x in texts)
    assert any(t("clusters_in_aimag", "en") in x for x in texts)
    assert any(t("top_by_lq", "en") in x for x in texts)


def test_moran_reading_is_shown():
    at = open_page()
    assert any(s.value == t("moran_title", "en") for s in at.subheader)
    assert any("I = " in m.value for m in at.markdown)


@pytest.mark.parametrize("level", ["region", "district"])
def test_a_selected_aimag_keeps_its_profile_at_every_level(level):
    at = open_page(sel="MN-053", slvl=level)
    assert any(s.value == "Ömnögovi" for s in at.subheader)
    assert any(t("portfolio", "en") in m.value for m in at.markdown)


def test_the_maps_region_filter_limits_the_units_shown():
    """A Region filter set on the Map: other regions' aimags are not listed as empty rows,
    and the district level says that the filter leaves Ulaanbaatar out."""
    at = open_page(reg="Khangai")
    names = set(at.dataframe[0].value[t("name", "en")])
    assert "Arkhangai" in names and "Dornod" not in names and "Ulaanbaatar" not in names
    at.radio(key="s_level").set_value("district").run()
    assert not at.exception
    assert any(i.value == t("district_filtered_out", "en") for i in at.info)
