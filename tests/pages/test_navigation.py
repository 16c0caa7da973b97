"""Map page navigation (AppTest): the place search, "zoom to", reset filters, a cluster's firms."""

from __future__ import annotations


from tests.pages.test_map_page import figures, open_map
from ui import state
from ui.i18n import t


def answers(at) -> list:
    return [b for b in at.button if str(b.key or "").startswith("place_answer_")]


def test_search_answers_and_choosing_one_zooms_there_and_selects_its_aimag():
    at = open_map()
    opened = at.session_state[state.OPENED] if state.OPENED in at.session_state else 0
    at.text_input(key="place_search").set_value("Dalanzadgd").run()  # a typo
    assert not at.exception, at.exception
    found = answers(at)
    assert found and found[0].label.startswith("Dalanzadgad · soum, Ömnögovi")
    found[0].click().run()
    assert not at.exception, at.exception
    lat, lon, zoom = at.session_state[state.START]
    assert 43 < lat < 44 and 104 < lon < 105 and zoom >= 9
    assert at.session_state[state.OPENED] == opened + 1  # the map opens there anew
    assert at.query_params["sel"] == "MN-053"
    assert at.query_params["z"] == f"{zoom:g}"
    assert at.text_input(key="place_search").value == ""  # the box is emptied
    assert not answers(at)


def test_search_in_mongolian_and_nothing_found():
    at = open_map(lang="mn")
    at.text_input(key="place_search").set_value("Хан-Уул").run()
    assert answers(at)[0].label.startswith("Хан-Уул · дүүрэг")
    at.text_input(key="place_search").set_value("qqqqqq").run()
    assert not answers(at)
    assert any("qqqqqq" in c.value for c in at.caption)


def test_zoom_to_the_selected_aimag():
    at = open_map(sel="MN-055")
    button = at.button(key="zoom_aimag")
    assert button.label == t("zoom_to_aimag", "en").format(name="Övörkhangai")
    button.click().run()
    lat, lon, zoom = at.session_state[state.START]
    assert 44 < lat < 48 and 100 < lon < 105 and 6 <= zoom <= 8


def test_reset_filters_clears_every_filter_and_keeps_the_map_parameters():
    at = open_map(sec="mining", reg="Western", size="large", exp="1", eps="3")
    narrowed = figures(at)[0]
    at.button(key="reset_filters").click().run()
    assert not at.exception, at.exception
    view = at.session_state[state.VIEW]
    assert (view.sectors, view.region, view.sizes, view.exporter) == ((), None, (), None)
    assert view.eps_km == 3.0
    assert figures(at)[0] != narrowed and figures(at)[0] == "20,400"
    for key in ("sec", "reg", "size", "exp"):
        assert key not in at.query_params
    assert at.query_params["eps"] == "3"


def test_a_selected_cluster_lists_its_firms_with_downloads():
    at = open_map(sec="mining")
    first = int(at.dataframe[0].value.iloc[0][t("cluster", "en")])
    firms_in_list = int(at.dataframe[0].value.iloc[0][t("firms", "en")])
    at.session_state[state.VIEW] = at.session_state[state.VIEW].replace(cluster=first)
    at.run()
    assert not at.exception, at.exception
    expander = [e for e in at.expander if e.label.startswith("Its firms")]
    assert expander and expander[0].label == f"Its firms ({firms_in_list})"
    table = expander[0].dataframe[0].value
    assert len(table) == firms_in_list
    assert {"Name", "Sector", "Employees", "Address"} <= set(table.columns)
    assert set(table["Sector"]) == {"Mining and mining services"}
    employees = table["Employees"].tolist()
    assert employees == sorted(employees, reverse=True)
    assert at.button(key="zoom_cluster") is not None
    downloads = {b.proto.label for b in at.get("download_button")}
    assert {"Its firms (CSV)", "Its firms (Excel)"} <= downloads


def test_a_link_to_a_cluster_this_view_lacks_says_so_and_can_be_cleared():
    at = open_map(cl="99999")
    assert not at.exception, at.exception
    assert any("Cluster #99999 of the link" in c.value for c in at.caption)
    at.button(key="clear_cluster").click().run()
    assert "cl" not in at.query_params
    assert not any("Cluster #99999" in c.value for c in at.caption)
