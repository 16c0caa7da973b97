"""Charts to take away (geo.chartimage): PNG and SVG, titled, offline."""

from __future__ import annotations

import io

import altair as alt
import pandas as pd
import pytest
from PIL import Image

from geo.chartimage import annotated_spec, chart_image

FRAME = pd.DataFrame(
    {"unit": ["Өмнөговь", "Orkhon <script>&", "Dornogovi"], "value": [2.61, 1.4, 0.9]}
)


def bars():
    return alt.Chart(FRAME).mark_bar().encode(x="value:Q", y=alt.Y("unit:N", sort="-x"))


def layered():
    """Like the portfolio chart: log scales, text labels and a rule, layered."""
    x = alt.X("value:Q", scale=alt.Scale(type="log"))
    points = alt.Chart(FRAME).mark_circle().encode(x=x, y="unit:N")
    labels = alt.Chart(FRAME).mark_text(dx=7).encode(x=x, y="unit:N", text="unit")
    rule = alt.Chart(pd.DataFrame({"x": [1.0]})).mark_rule().encode(x="x:Q")
    return points + labels + rule


TEXT = dict(
    title="Хамгийн өндөр LQ · Уул уурхай",
    source="Эх сурвалж: demo",
    filter_text="Шүүлтүүр: байхгүй",
)


@pytest.mark.parametrize("make", [bars, layered])
def test_png_has_a_header_and_a_sensible_size(make):
    png = chart_image(make().to_dict(), "png", **TEXT)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = Image.open(io.BytesIO(png)).size
    assert 1000 < width < 2400 and 150 < height < 2000  # scale 2 of ~640 px wide


@pytest.mark.parametrize("make", [bars, layered])
def test_svg_keeps_title_filter_source_and_data_as_text(make):
    svg = chart_image(make().to_dict(), "svg", **TEXT).decode("utf-8")
    assert svg.startswith("<svg")
    for text in (
        "Хамгийн өндөр LQ · Уул уурхай",
        "Эх сурвалж: demo",
        "Шүүлтүүр: байхгүй",
        "Өмнөговь",
    ):
        assert text in svg
    assert "<script>" not in svg and "Orkhon &lt;script&gt;&amp;" in svg  # data escaped
    assert 'font-family="DejaVu Sans"' in svg or "DejaVu Sans" in svg


def test_annotation_leaves_the_original_alone_and_keeps_a_given_width():
    spec = bars().properties(width=300).to_dict()
    out = annotated_spec(spec, title="T\nwith a break", source="", filter_text="F")
    assert "title" not in spec
    assert out["width"] == 300
    assert out["title"]["text"] == "T with a break" and out["title"]["subtitle"] == ["F"]
    long = annotated_spec(spec, title="x" * 500)["title"]["text"]
    assert len(long) == 160 and long.endswith("…")


def test_no_url_is_loaded_and_unknown_formats_are_refused():
    remote = {
        "data": {"url": "https://example.org/data.csv"},
        "mark": "bar",
        "encoding": {"x": {"field": "a", "type": "quantitative"}},
    }
    with pytest.raises(ValueError, match="not allowed"):
        chart_image(remote, "png", title="x")
    with pytest.raises(ValueError, match="pdf"):
        chart_image(bars().to_dict(), "pdf", title="x")  # type: ignore[arg-type]


def test_axis_numbers_follow_the_language():
    spec = bars().to_dict()
    mn = chart_image(spec, "svg", lang="mn", **TEXT).decode("utf-8")
    en = chart_image(spec, "svg", lang="en", **TEXT).decode("utf-8")
    assert ">1,0<" in mn and ">1.0<" not in mn
    assert ">1.0<" in en
