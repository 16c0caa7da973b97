"""Map page in time (AppTest): a link with a year opens that year; Play steps the years."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ui import timeview

ROOT = Path(__file__).resolve().parents[2]
MAP = str(ROOT / "pages" / "map.py")


@pytest.fixture(autouse=True)
def one_run_per_step(monkeypatch):
    """In a browser the page runs itself again while playing (timeview.play_driver);
    here each ``run()`` is one run of the page, so that every step can be seen."""
    monkeypatch.setattr(timeview, "play_driver", lambda: None)


def open_map(**query) -> AppTest:
    at = AppTest.from_file(MAP, default_timeout=180)
    at.query_params["lang"] = "en"
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def shown(at: AppTest) -> tuple[int, str, str]:
    """The year on the slider, the firms and the clusters above the map."""
    year = at.select_slider(key="v_as_of").value
    return year, at.metric[0].value, at.metric[2].value


def step(at: AppTest) -> None:
    """One run of the page when a step is due (the browser's ticker asks for it)."""
    at.session_state[timeview.LAST_STEP] = 0.0
    at.run()
    assert not at.exception, at.exception


def test_a_link_with_a_year_opens_that_year():
    today = open_map()
    assert at_year(today) == timeview.ALL
    at = open_map(yr="2012")
    year, firms, _ = shown(at)
    assert year == 2012 and at.query_params["yr"] == "2012"
    assert int(firms.replace(",", "")) < int(today.metric[0].value.replace(",", ""))
    # the survivors' caveat is said under the slider
    assert any("survivor bias" in c.value for c in at.caption)


def at_year(at: AppTest):
    return at.select_slider(key="v_as_of").value


def test_play_steps_the_years_and_the_clusters_change():
    at = open_map()
    at.button(key="time_play").click().run()
    assert not at.exception, at.exception
    seen = [shown(at)]
    assert at.session_state[timeview.PLAYING] is True
    for _ in range(3):
        step(at)
        seen.append(shown(at))
    years = [s[0] for s in seen]
    assert years == list(range(years[0], years[0] + 4)), years
    assert at.query_params["yr"] == str(years[-1])
    assert len({s[1] for s in seen}) == 4  # firms grow every year
    assert len({s[2] for s in seen}) > 1, seen  # and the clusters change
    # Stop: the year stays; a further run does not step
    at.button(key="time_stop").click().run()
    assert at.session_state[timeview.PLAYING] is False
    step(at)
    assert at_year(at) == years[-1]


def test_play_stops_at_the_last_year_and_the_slider_stops_it():
    at = open_map(yr="2025")
    at.button(key="time_play").click().run()
    assert at_year(at) == 2025
    step(at)
    assert at_year(at) == 2026 and at.session_state[timeview.PLAYING] is False
    step(at)
    assert at_year(at) == 2026
    at.button(key="time_play").click().run()  # from the end: starts again
    assert at.session_state[timeview.PLAYING] is True and at_year(at) < 2010
    at.select_slider(key="v_as_of").set_value(2015).run()
    assert at.session_state[timeview.PLAYING] is False and at_year(at) == 2015
    assert at.query_params["yr"] == "2015"


@pytest.mark.parametrize("lang", ["en", "mn"])
def test_a_selected_cluster_shows_its_history(lang):
    at = open_map(yr="2020", lang=lang)
    clusters = at.session_state["atlas_view"]
    assert clusters.as_of == 2020
    first = at.dataframe[0].value
    cluster = int(first.iloc[0, 0])
    charts = len(at.get("vega_lite_chart"))
    at = open_map(yr="2020", lang=lang, cl=str(cluster))
    captions = " ".join(c.value for c in at.caption)
    age = {"en": "Age", "mn": "Насны ангилал"}[lang]
    assert age in captions
    assert len(at.get("vega_lite_chart")) >= charts + 1  # its timeline (and lineage)


@pytest.mark.parametrize("lang", ["en", "mn"])
def test_statistics_shows_age_and_trend_by_aimag(lang):
    at = AppTest.from_file(str(ROOT / "pages" / "aimag_statistics.py"), default_timeout=180)
    for key, value in {"lang": lang, "ssec": "ict", "yr": "2020"}.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    from ui.i18n import t

    table = next(d.value for d in at.dataframe if t("col_trend", lang) in d.value.columns)
    assert len(table) >= 5
    assert set(table[t("col_trend", lang)]) <= {
        t(f"trend_{k}", lang) for k in ("increasing", "decreasing", "none")
    }
    # Ulaanbaatar's ICT: most of the sector, founded more and more often
    assert t("trend_increasing", lang) in set(table[t("col_trend", lang)])
    assert any("2001-2020" in c.value for c in at.caption)
    assert at.query_params["yr"] == "2020"


@pytest.mark.parametrize("lang", ["en", "mn"])
def test_methods_explain_time_with_the_thresholds(lang):
    from geo.timeline import AgeRules

    at = AppTest.from_file(str(ROOT / "pages" / "methods.py"), default_timeout=60)
    at.query_params["lang"] = lang
    at.run()
    assert not at.exception, at.exception
    text = " ".join(m.value for m in at.markdown)
    rules = AgeRules()
    assert f"{rules.emerging_share:.0%}" in text and f"{rules.emerging_ratio:g}" in text
    assert {"en": "Survivor bias", "mn": "Амьд үлдэгсдийн хазайлт"}[lang] in text
    assert "Mann-Kendall" in text or "Манн-Кендалл" in text


def test_presenter_mode_keeps_the_year_and_plays():
    at = open_map(yr="2016", pres="1")
    assert at_year(at) == 2016 and at.query_params["pres"] == "1"
    at.button(key="time_play").click().run()
    step(at)
    assert at_year(at) == 2017 and at.query_params["yr"] == "2017"
    at.button(key="time_stop").click().run()
    at.button(key="presenter_exit").click().run()
    assert not at.exception, at.exception
    assert at_year(at) == 2017 and "pres" not in at.query_params
