"""Map page (AppTest): every filter changes what the page computes; links restore views."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ui import state
from ui.mapview import TABLE_GENERATION
from ui.i18n import t

ROOT = Path(__file__).resolve().parents[2]
MAP = str(ROOT / "pages" / "map.py")


def open_map(**query) -> AppTest:
    at = AppTest.from_file(MAP, default_timeout=120)
    at.query_params["lang"] = "en"
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def figures(at: AppTest) -> tuple[str, str, str]:
    """Firms, employees and clusters shown above the map."""
    return tuple(m.value for m in at.metric[:3])


def clusters_shown(at: AppTest) -> tuple[str, tuple[str, ...]]:
    """The headline (significant clusters) and the tables under the map (the cluster list):
    a change of the clusters shows in one of them even when as many are significant."""
    return at.metric[2].value, tuple(d.value.to_csv() for d in at.dataframe)


@pytest.fixture(scope="module")
def baseline():
    at = open_map()
    return (*figures(at), clusters_shown(at))


@pytest.mark.parametrize(
    "widget,kind,value",
    [
        ("v_sectors", "multiselect", ["mining"]),
        ("v_region", "selectbox", "Western"),
        ("v_aimags", "multiselect", ["MN-053"]),
        ("v_sizes", "multiselect", ["large"]),
        ("v_founded", "slider", (2000, 2010)),
        ("v_exporter", "radio", "yes"),
        ("v_foreign_owned", "radio", "no"),
        ("v_precisions", "multiselect", ["point"]),
    ],
)
def test_every_filter_changes_the_selection(baseline, widget, kind, value):
    at = open_map()
    getattr(at, kind)(key=widget).set_value(value).run()
    assert not at.exception, at.exception
    firms, _, _ = figures(at)
    assert firms != baseline[0], widget


@pytest.mark.parametrize(
    "widget,kind,value",
    [
        ("v_eps_km", "number_input", 0.7),
        ("v_min_samples", "number_input", 30),
        ("v_weighted", "checkbox", True),
        ("v_method", "radio", "hdbscan"),
        ("v_include_centres", "checkbox", True),
        ("v_clustering", "toggle", False),
    ],
)
def test_every_clustering_parameter_changes_the_clusters(baseline, widget, kind, value):
    at = open_map()
    getattr(at, kind)(key=widget).set_value(value).run()
    assert not at.exception, at.exception
    assert clusters_shown(at) != baseline[3], widget
    if widget == "v_include_centres":
        assert any(w.value == t("centres_warning", "en") for w in at.warning)


def test_map_settings_go_into_the_url():
    at = open_map()
    at.multiselect(key="v_layers").set_value(["aimags", "heat"]).run()
    at.selectbox(key="v_indicator").set_value("employees_per_10k").run()
    at.radio(key="v_basemap").set_value("osm").run()
    assert not at.exception
    assert at.query_params["lay"] == "aimags,heat"
    assert at.query_params["ind"] == "employees_per_10k"
    assert at.query_params["base"] == "osm"


def test_a_link_restores_the_view():
    query = {
        "sec": "mining,tourism",
        "reg": "Central",
        "eps": "1.5",
        "min": "6",
        "w": "1",
        "lay": "aimags,clusters",
        "ind": "firms",
        "fy": "2000-2020",
        "exp": "1",
        "sel": "MN-053",
        "lat": "44.5",
        "lon": "104.1",
        "z": "7",
    }
    at = open_map(**query)
    assert at.multiselect(key="v_sectors").value == ["mining", "tourism"]
    assert at.selectbox(key="v_region").value == "Central"
    assert at.number_input(key="v_eps_km").value == 1.5
    assert at.number_input(key="v_min_samples").value == 6
    assert at.checkbox(key="v_weighted").value is True
    assert at.slider(key="v_founded").value == (2000, 2020)
    assert at.radio(key="v_exporter").value == "yes"
    # the page writes back exactly the view it was given
    written = {k: at.query_params[k] for k in query}
    assert written == query
    # the selected aimag's profile is shown
    assert any(s.value == "Ömnögovi" for s in at.subheader)
    # the same link opened again gives the same figures
    assert figures(open_map(**query)) == figures(at)


def test_a_bad_link_still_opens_and_says_what_it_ignored():
    at = open_map(eps="lots", sec="mining,nonsense", z="99")
    assert at.number_input(key="v_eps_km").value == 2.0
    assert at.multiselect(key="v_sectors").value == ["mining"]
    texts = [w.value for w in at.warning]
    assert any("eps='lots' ignored" in x for x in texts)
    assert any("z='99' ignored" in x for x in texts)


def test_presenter_mode_renders():
    at = open_map(pres="1", sec="mining,cashmere_wool_leather")
    assert at.toggle(key="v_presenter").value is True
    labels = [m.label for m in at.metric]
    assert "Mining and mining services · employees" in labels
    assert "Cashmere, wool and leather · employees" in labels
    assert not at.warning or all(w.value != t("demo_warning", "en") for w in at.warning)


def test_selecting_a_cluster_in_the_list_selects_it():
    at = open_map(sec="mining")
    table = at.dataframe[0]
    assert len(table.value) > 0
    first = int(table.value.iloc[0][t("cluster", "en")])
    at.session_state[state.VIEW] = at.session_state[state.VIEW].replace(cluster=first)
    at.run()
    assert not at.exception
    assert at.query_params["cl"] == str(first)
    assert any(m.value.startswith(f"**#{first} ") for m in at.markdown)
    # "Clear selection" clears it: no cluster in the URL, no profile, the list unticked
    at.button(key="clear_cluster").click().run()
    assert not at.exception
    assert "cl" not in at.query_params
    assert not any(m.value.startswith(f"**#{first} ") for m in at.markdown)
    assert at.session_state[TABLE_GENERATION] == 1


def test_selecting_an_aimag_in_the_side_panel_selects_it_on_the_map():
    at = open_map()
    at.selectbox(key="aimag_pick").set_value("MN-053").run()
    assert not at.exception
    assert at.query_params["sel"] == "MN-053"
    assert any(s.value == "Ömnögovi" for s in at.subheader)
    at.selectbox(key="aimag_pick").set_value("").run()
    assert "sel" not in at.query_params


def test_a_hostile_link_value_is_reported_as_inert_text():
    at = open_map(lang="en", eps="![x](http://tracker.example/p.png)<img src=x>")
    assert not at.exception
    problems = [w.value for w in at.warning if t("link_problem", "en") in w.value]
    assert problems
    text = problems[0]
    import re

    # every Markdown and HTML character arrives backslash-escaped: no image, no tag
    assert not re.search(r"(?<!\\)[!\[\]()<>]", text.split(": ", 1)[1])
    assert "\\!\\[x\\]" in text and "\\<img" in text


def test_the_suggested_radius_is_used_without_breaking_the_page():
    """Issue 14.4: "Use the suggested radius" crashed the lower half of the page."""
    at = open_map(sec="mining")
    at.toggle(key="show_radius_aid").set_value(True).run()
    assert not at.exception, at.exception
    at.button(key="use_knee").click().run()
    assert not at.exception, at.exception
    eps = at.number_input(key="v_eps_km").value
    assert eps != 2.0
    assert at.query_params["eps"] == f"{eps:g}"
    # the rest of the page is there: downloads and the share link
    assert at.get("download_button")
    assert any(s.value == t("downloads", "en") for s in at.subheader)


def test_presenter_mode_is_left_with_its_button():
    """Issue 14.1: leaving presenter mode crashed the page; the URL kept pres=1."""
    at = open_map(pres="1", sec="mining")
    at.button(key="presenter_exit").click().run()
    assert not at.exception, at.exception
    assert at.toggle(key="v_presenter").value is False
    assert "pres" not in at.query_params
    assert at.query_params["sec"] == "mining"


def test_saved_views_keep_centre_and_zoom_and_can_be_renamed_and_deleted(tmp_path, monkeypatch):
    monkeypatch.setenv("CAM_DATA_DIR", str(tmp_path))
    at = open_map(sec="mining", lat="44.5", lon="104.1", z="7")
    at.text_input(key="new_view_name").input("South").run()
    at.button(key="save_view").click().run()
    at.multiselect(key="v_sectors").set_value(["tourism"]).run()
    # the map reports where it is (as the browser's map does when it is moved)
    at.session_state[state.VIEW] = at.session_state[state.VIEW].replace(
        lat=48.0, lon=100.0, zoom=5.5
    )
    at.run()
    at.text_input(key="new_view_name").input("North").run()
    at.button(key="save_view").click().run()
    from geo.views import SavedViews

    saved = {v["name"]: v["query"] for v in SavedViews(tmp_path / "views.json").list()}
    assert saved["South"]["z"] == "7" and saved["South"]["lat"] == "44.5"
    assert saved["North"]["z"] == "5.5" and "pres" not in saved["North"]
    # presenter mode: "Next view" opens the next saved view where it was saved
    at.toggle(key="v_presenter").set_value(True).run()
    at.button(key="next_view").click().run()
    assert not at.exception, at.exception
    assert at.session_state[state.START] == (44.5, 104.1, 7.0)
    assert at.query_params["sec"] == "mining" and at.query_params["pres"] == "1"
    assert "**South**" in " ".join(c.value for c in at.caption)
    at.button(key="next_view").click().run()
    assert at.session_state[state.START] == (48.0, 100.0, 5.5)
    assert at.query_params["sec"] == "tourism"
    # rename and delete
    at.toggle(key="v_presenter").set_value(False).run()
    at.selectbox(key="manage_view").set_value("South").run()
    at.text_input(key="rename_view_to").input("Gobi").run()
    at.button(key="rename_view").click().run()
    assert [v["name"] for v in SavedViews(tmp_path / "views.json").list()] == ["Gobi", "North"]
    at.selectbox(key="manage_view").set_value("North").run()
    at.button(key="delete_view").click().run()
    assert not at.exception, at.exception
    assert [v["name"] for v in SavedViews(tmp_path / "views.json").list()] == ["Gobi"]


def test_arriving_from_another_page_the_view_wins_over_leftover_widget_state():
    """A widget state left over from before a page switch (the Map's radius at its minimum,
    clustering off, no layers) must not replace the view when the Map is shown again."""
    at = open_map(eps="1.5", min="6")
    at.session_state["v_eps_km"] = 0.05  # what a stale state would hold
    at.session_state["v_min_samples"] = 2
    at.session_state["v_clustering"] = False
    at.session_state["atlas_arrived"] = True  # app.py: this run shows another page
    at.run()
    assert not at.exception, at.exception
    assert at.number_input(key="v_eps_km").value == 1.5
    assert at.number_input(key="v_min_samples").value == 6
    assert at.toggle(key="v_clustering").value is True
    assert "eps" in at.query_params and at.query_params["eps"] == "1.5"
    # a rerun on the same page keeps what the person typed
    at.number_input(key="v_eps_km").set_value(0.7).run()
    assert at.number_input(key="v_eps_km").value == 0.7 and at.query_params["eps"] == "0.7"
