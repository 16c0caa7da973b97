"""Every page runs without exception in both languages (AppTest)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ui.i18n import t

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
PAGES = ["pages/map.py", "pages/aimag_statistics.py", "pages/data.py", "pages/methods.py"]


def run_page(page: str, lang: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / page), default_timeout=60)
    at.query_params["lang"] = lang
    at.run()
    return at


@pytest.mark.parametrize("lang", ["mn", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_page_runs(page, lang):
    at = run_page(page, lang)
    assert not at.exception, at.exception
    assert at.header[0].value in {
        t(k, lang) for k in ("page_map", "page_stats", "page_data", "page_methods")
    }


@pytest.mark.parametrize("lang", ["mn", "en"])
def test_app_shell_navigation_and_language(lang):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = lang
    at.run()
    assert not at.exception
    assert at.sidebar.title[0].value == t("app_title", lang)
    assert at.header[0].value == t("page_map", lang)


def test_language_switch_changes_labels():
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert at.header[0].value == t("page_map", "mn")
    at.radio(key="lang_switch").set_value("en").run()
    assert not at.exception
    assert at.header[0].value == t("page_map", "en")
    assert at.radio(key="v_basemap").label == t("basemap", "en")


def test_data_page_search_finds_units_in_latin():
    at = run_page("pages/data.py", "en")
    at.text_input(key="unit_query").input("Khanbogd").run()
    assert not at.exception
    frame = next(
        d.value
        for d in at.dataframe
        if "name_mn" in d.value.columns and "unit_code" in d.value.columns
    )
    assert "Ханбогд" in frame["name_mn"].tolist()


def test_statistics_tables():
    at = run_page("pages/aimag_statistics.py", "en")
    assert len(at.dataframe[0].value) == 23  # 22 aimags and Mongolia


@pytest.mark.parametrize("lang", ["mn", "en"])
@pytest.mark.parametrize("page", ["pages/map.py", "pages/data.py"])
def test_demo_data_is_labelled_synthetic(page, lang):
    at = run_page(page, lang)
    assert any(w.value == t("demo_warning", lang) for w in at.warning)


def test_data_page_lists_saved_datasets_and_protects_the_demo(tmp_path, monkeypatch):
    import pandas as pd

    from geo.workspace import Workspace

    monkeypatch.setenv("CAM_DATA_DIR", str(tmp_path))
    Workspace.default().save(pd.DataFrame({"name": ["a"]}), name="Khovd 2026", saved_by="Bold")
    at = run_page("pages/data.py", "en")
    assert not at.exception
    listing = at.dataframe[0].value
    assert listing["id"].tolist() == ["demo", "khovd-2026"]
    options = at.selectbox(key="ds_delete").options
    assert "demo" not in options and "khovd-2026" in options
    at.selectbox(key="ds_delete").set_value("khovd-2026").run()
    at.checkbox(key="ds_delete_ok").check().run()
    at.button(key="ds_delete_button").click().run()
    assert not at.exception
    assert Workspace.default().list().empty
