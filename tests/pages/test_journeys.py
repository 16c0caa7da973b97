"""Journeys across pages (AppTest of the whole app): what one page chose, the next keeps.

Streamlit forgets a widget's value when its page is left; the view lives in
:mod:`ui.state`, so Map -> Statistics -> Map comes back as it was left, and
Statistics shows the Map's dataset and filter (issue 14, items 2 and 3).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from geo.workspace import Workspace
from ui.i18n import t

ROOT = Path(__file__).resolve().parents[2]
MAP, STATS, METHODS = "pages/map.py", "pages/aimag_statistics.py", "pages/methods.py"


def no_failure(at: AppTest) -> None:
    """No exception, and not the app's own message for a page that failed."""
    assert not at.exception, at.exception
    crash = t("crash_message", "en").split(":")[0]
    assert not any(crash in e.value for e in at.error), [e.value for e in at.error]


def open_app(**query) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for key, value in {"lang": "en", **query}.items():
        at.query_params[key] = value
    at.run()
    no_failure(at)
    return at


def go(at: AppTest, page: str) -> AppTest:
    at.switch_page(page).run()
    no_failure(at)
    return at


def map_widgets(at: AppTest) -> dict:
    return {
        "sectors": at.multiselect(key="v_sectors").value,
        "region": at.selectbox(key="v_region").value,
        "eps": at.number_input(key="v_eps_km").value,
        "min": at.number_input(key="v_min_samples").value,
        "clustering": at.toggle(key="v_clustering").value,
        "layers": at.multiselect(key="v_layers").value,
        "indicator": at.selectbox(key="v_indicator").value,
        "exporter": at.radio(key="v_exporter").value,
    }


def test_map_statistics_map_keeps_every_choice():
    at = open_app(sec="mining,tourism", eps="1.5", min="6", lay="aimags,clusters")
    at.selectbox(key="v_region").set_value("Central").run()
    at.radio(key="v_exporter").set_value("yes").run()
    at.selectbox(key="v_indicator").set_value("firms").run()
    at.selectbox(key="aimag_pick").set_value("MN-063").run()
    before, url = map_widgets(at), dict(at.query_params)
    assert before["eps"] == 1.5 and before["layers"] == ["aimags", "clusters"]
    for page in (STATS, METHODS):
        go(at, page)
        go(at, MAP)
        assert map_widgets(at) == before, page
        assert dict(at.query_params) == url, page
        assert any(s.value == "Dornogovi" for s in at.subheader)  # the selection too


def test_statistics_keeps_its_choices_and_shows_the_maps_filter():
    at = open_app(sec="tourism", reg="Western")
    go(at, STATS)
    # the Map's first sector, its filter in words, its region in the URL
    assert at.selectbox(key="s_sector").value == "tourism"
    caption = " ".join(c.value for c in at.caption)
    assert "Region" in caption and "Western" in caption
    assert at.query_params["reg"] == "Western" and at.query_params["ssec"] == "tourism"
    at.radio(key="s_level").set_value("region").run()
    at.selectbox(key="s_indicator").set_value("employees_per_10k").run()
    go(at, MAP)
    assert at.multiselect(key="v_sectors").value == ["tourism"]
    go(at, STATS)
    assert at.radio(key="s_level").value == "region"
    assert at.selectbox(key="s_indicator").value == "employees_per_10k"
    assert at.query_params["slvl"] == "region"


@pytest.fixture
def saved_dataset(tmp_path, monkeypatch):
    """A small saved register (not the demo) in a workspace of its own."""
    monkeypatch.setenv("CAM_DATA_DIR", str(tmp_path))
    rng = np.random.default_rng(1)
    n = 60
    frame = pd.DataFrame(
        {
            "name": [f"Firm {i}" for i in range(n)],
            "address": ["Ulaanbaatar"] * n,
            "sector": ["mining"] * 30 + ["tourism"] * 30,
            "employees": rng.integers(1, 50, n),
            "precision": ["point"] * n,
            "lat": 47.9 + rng.normal(0, 0.01, n),
            "lon": 106.9 + rng.normal(0, 0.01, n),
            "aimag_code": ["MN-1"] * n,
            "soum": ["x"] * n,
            "founded": [2010] * n,
            "exporter": [True] * n,
            "foreign_owned": [False] * n,
            "isic_division": ["07"] * n,
        }
    )
    frame.loc[25:34, ["lat", "lon", "aimag_code", "precision"]] = [np.nan, np.nan, None, "none"]
    return Workspace(tmp_path / "workspace.sqlite").save(
        frame, name="Ulaanbaatar register", saved_by="test"
    )


def test_statistics_shows_the_opened_dataset_after_every_change(saved_dataset):
    at = open_app(ds=saved_dataset)
    assert at.metric[0].value == "60"
    go(at, STATS)
    for step in (
        lambda: at.radio(key="s_level").set_value("region").run(),
        lambda: at.selectbox(key="s_indicator").set_value("firms").run(),
        lambda: at.radio(key="s_level").set_value("aimag").run(),
    ):
        step()
        no_failure(at)
        caption = " ".join(c.value for c in at.caption)
        assert "Ulaanbaatar register" in caption
        assert not any(w.value == t("demo_warning", "en") for w in at.warning)
        assert at.query_params["ds"] == saved_dataset
    table = at.dataframe[0].value
    ub = table[table[t("code", "en")] == "MN-1"].iloc[0]
    assert ub[t("col_firms", "en")] == 25  # 30 mining, 5 without a place
    assert any("5 firms" in c.value for c in at.caption)
    names = [b.proto.label for b in at.get("download_button")]
    assert names  # the downloads are there; their file names are checked in the browser


def test_a_failing_page_shows_our_message_not_streamlits():
    """Issue 14.11: our own message, in the user's language, with a reference
    (app.py runs every page through ui.widgets.guarded)."""

    def app():
        import streamlit as st  # noqa: F401

        from ui.widgets import guarded

        def page():
            raise RuntimeError("boom")

        guarded(page, "mn")

    at = AppTest.from_function(app)
    at.run()
    assert not at.exception
    from ui.i18n import t as tr

    messages = [e.value for e in at.error]
    assert any(m.startswith(tr("crash_message", "mn").split(":")[0]) for m in messages)
    assert at.button(key="crash_retry")


def test_a_register_placed_only_at_soum_centres_says_why_there_are_no_clusters(
    tmp_path, monkeypatch
):
    """Issue 14.8: say how many firms were left out of clustering and how to include them."""
    monkeypatch.setenv("CAM_DATA_DIR", str(tmp_path))
    n = 40
    frame = pd.DataFrame(
        {
            "name": [f"Firm {i}" for i in range(n)],
            "address": ["Даланзадгад"] * n,
            "sector": ["mining"] * n,
            "employees": [5] * n,
            "precision": ["soum"] * n,
            "lat": [43.57] * n,
            "lon": [104.42] * n,
            "aimag_code": ["MN-053"] * n,
            "soum": ["Даланзадгад"] * n,
            "founded": [2010] * n,
            "exporter": [False] * n,
            "foreign_owned": [False] * n,
            "isic_division": ["07"] * n,
        }
    )
    dataset = Workspace(tmp_path / "workspace.sqlite").save(
        frame, name="Soum register", saved_by="test"
    )
    for lang in ("en", "mn"):
        at = open_app(ds=dataset, lang=lang)
        assert at.metric[2].value == "0"
        notes = [i.value for i in at.info]
        expected = t("centres_left_out", lang).format(
            n="40", total="40", option=t("include_centres", lang)
        )
        assert expected in notes, notes
        at.checkbox(key="v_include_centres").check().run()
        no_failure(at)
        # one cluster now; the headline counts significant clusters (issue 17), and a
        # register of one sector has nothing to compare its cluster with
        assert at.metric[2].label == t("significant_clusters", lang)
        assert at.metric[2].help == t("significant_clusters_help", lang).format(
            k=0, n=1, R=499, seed=17
        )
