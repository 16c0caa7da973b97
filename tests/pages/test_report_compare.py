"""Statistics page (AppTest): the aimag report's control, the chart downloads, the comparison."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ui.i18n import t
from ui.reportview import AIMAG_WIDGET, report_file_name

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "aimag_statistics.py")


def open_page(lang="en", **query) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=180)
    at.query_params["lang"] = lang
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, at.exception
    return at


def labels(at) -> list[str]:
    return [b.proto.label for b in at.get("download_button")]


@pytest.mark.parametrize("lang", ["en", "mn"])
def test_the_report_button_is_there_in_both_languages(lang):
    at = open_page(lang)
    assert any(s.value == t("report_heading", lang) for s in at.subheader)
    assert t("report_download", lang) in labels(at)


def test_the_report_follows_the_selected_aimag_and_selects_it():
    at = open_page(sel="MN-053")
    assert at.selectbox(key=AIMAG_WIDGET).value == "MN-053"
    at.selectbox(key=AIMAG_WIDGET).set_value("MN-041").run()  # Khövsgöl
    assert not at.exception
    assert at.query_params["sel"] == "MN-041"  # the view's selection
    assert any(s.value == "Khövsgöl" for s in at.subheader)  # its profile is shown
    assert at.selectbox(key=AIMAG_WIDGET).value == "MN-041"


def test_report_file_names_carry_dataset_aimag_and_language():
    assert (
        report_file_name("demo", "MN-053", "mn")
        == "cluster_atlas_demo_synthetic_MN-053_report_mn.pdf"
    )
    assert report_file_name("abc", "MN-1", "en") == "cluster_atlas_abc_MN-1_report_en.pdf"


def test_every_chart_has_png_and_svg_downloads():
    at = open_page(sel="MN-053")
    keys = {b.key for b in at.get("download_button")}
    for chart in ("top_units", "portfolio", "kdensity", "colocation"):
        assert {f"dl_chart_{chart}_png", f"dl_chart_{chart}_svg"} <= keys, chart
    assert labels(at).count(t("chart_png", "en")) == 4


def test_chart_file_names_carry_the_dataset():
    from ui.chartexport import ChartContext, chart_file_name

    demo = ChartContext(stem="cluster_atlas_demo_synthetic", source="", filter_text="")
    assert (
        chart_file_name(demo, "top_aimag_mining/lq", "svg")
        == "cluster_atlas_demo_synthetic_top_aimag_mining_lq.svg"
    )


# -- compare ---------------------------------------------------------------------------------


def compare_table(at):
    return next(d.value for d in at.dataframe if t("compare_strong_count", "en") in d.value)


def test_the_compare_control_changes_the_table_and_the_url():
    at = open_page()
    assert t("compare_empty", "en") in [c.value for c in at.caption]
    assert "cmp" not in at.query_params
    at.multiselect(key="s_compare").set_value(["MN-053", "MN-1"]).run()
    assert not at.exception
    table = compare_table(at)
    assert list(table[t("name", "en")]) == ["Ömnögovi", "Ulaanbaatar"]
    assert at.query_params["cmp"] == "MN-053,MN-1"
    assert "dl_chart_compare_png" in {b.key for b in at.get("download_button")}
    at.multiselect(key="s_compare").set_value(["MN-041"]).run()
    assert list(compare_table(at)[t("name", "en")]) == ["Khövsgöl"]
    assert at.query_params["cmp"] == "MN-041"


def test_a_link_with_cmp_opens_that_comparison_in_mongolian():
    at = open_page("mn", cmp="MN-053,MN-041,MN-1,MN-999")
    assert at.multiselect(key="s_compare").value == ["MN-053", "MN-041", "MN-1"]
    table = next(d.value for d in at.dataframe if t("compare_strong_count", "mn") in d.value)
    assert list(table[t("name", "mn")]) == ["Өмнөговь", "Хөвсгөл", "Улаанбаатар"]
    assert at.query_params["cmp"] == "MN-053,MN-041,MN-1"  # the unknown one is dropped


def test_regions_compare_at_the_region_level_and_other_choices_keep_the_comparison():
    at = open_page(slvl="region", cmp="Khangai,Central")
    assert at.multiselect(key="s_compare").value == ["Khangai", "Central"]
    assert len(compare_table(at)) == 2
    at.selectbox(key="s_sector").set_value("ict").run()  # another choice: kept
    assert at.multiselect(key="s_compare").value == ["Khangai", "Central"]
    at.radio(key="s_level").set_value("aimag").run()  # another level: emptied
    assert not at.exception
    assert at.multiselect(key="s_compare").value == []
    assert "cmp" not in at.query_params
