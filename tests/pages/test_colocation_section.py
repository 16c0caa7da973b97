"""Statistics page (AppTest): the related-sectors section in both languages, its controls
and their link."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ui.i18n import t

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "aimag_statistics.py")


def open_page(lang="en", **query) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=180)
    at.query_params["lang"] = lang
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, at.exception
    return at


def markdown(at) -> str:
    return "\n".join(m.value for m in at.markdown)


@pytest.mark.parametrize("lang", ["en", "mn"])
def test_the_section_shows_the_planted_pairs(lang):
    at = open_page(lang)
    assert t("co_title", lang) in [s.value for s in at.subheader]
    text = markdown(at)
    assert t("co_related_title", lang) in text
    mining = "Mining and mining services" if lang == "en" else "Уул уурхай"
    services = "Mining support services" if lang == "en" else "Уул уурхайн туслах үйлчилгээ"
    assert mining in text and services in text
    captions = " ".join(c.value for c in at.caption)
    assert "seed 17" in captions


def test_radius_and_replicates_are_in_the_link():
    at = open_page()
    assert at.select_slider(key="s_co_radius").value == "1"
    assert "crad" not in at.query_params
    at.select_slider(key="s_co_radius").set_value("2").run()
    assert not at.exception
    assert at.query_params["crad"] == "2"
    at.radio(key="s_co_replicates").set_value("199").run()
    assert at.query_params["crep"] == "199"
    assert "199" in " ".join(c.value for c in at.caption)
    again = open_page(crad="0.5", crep="199")
    assert again.select_slider(key="s_co_radius").value == "0.5"
    assert again.radio(key="s_co_replicates").value == "199"


@pytest.mark.parametrize("lang", ["en", "mn"])
def test_super_cluster_candidates_are_listed(lang):
    at = open_page(lang)
    assert t("sc_title", lang) in [s.value for s in at.subheader]
    table = next(d.value for d in at.dataframe if t("sc_sectors", lang) in d.value.columns)
    groups = table[t("sc_sectors", lang)].str.split("; ").map(set)
    en = lang == "en"
    mining = "Mining and mining services" if en else "Уул уурхай"
    logistics = "Transport and logistics" if en else "Тээвэр, логистик"
    meat = "Meat and dairy" if en else "Мах, сүү"
    leather = "Cashmere, wool and leather" if en else "Ноолуур, ноос, арьс шир"
    tourism = "Tourism and hospitality" if en else "Аялал жуулчлал"
    assert groups.map(lambda g: {mining, logistics} <= g).any()
    assert groups.map(lambda g: {meat, leather} <= g).any()
    assert not groups.map(lambda g: tourism in g).any()


@pytest.mark.parametrize("lang", ["en", "mn"])
def test_the_methods_page_explains_related_sectors(lang):
    at = AppTest.from_file(str(Path(PAGE).parent / "methods.py"), default_timeout=60)
    at.query_params["lang"] = lang
    at.run()
    assert not at.exception, at.exception
    text = markdown(at)
    assert "Leslie" in text and "Holm" in text and "(72)" in text
    assert not any(f"{{{k}}}" in text for k in ("r", "R", "seed", "q", "gap", "d"))
    assert "1.5" in text and ("5 km" in text or "5 км" in text)


def test_too_many_pairs_is_a_message_not_a_traceback(monkeypatch):
    from ui import evidence

    def refuse(*_args, **_kwargs):
        raise ValueError("99,000,000 neighbour pairs within 5 km exceed the limit")

    monkeypatch.setattr(evidence, "view_colocation", refuse)
    at = open_page(crad="5")
    assert any(w.value == t("co_too_many", "en") for w in at.warning)
    assert t("sc_title", "en") not in [s.value for s in at.subheader]
