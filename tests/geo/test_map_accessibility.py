"""Every palette of the map and the charts checked under simulated colour-vision deficiencies."""

from __future__ import annotations

import itertools

import folium
import pytest

from geo.maps import labels, style
from geo.maps.accessibility import DEFICIENCIES, contrast_ratio, delta_e, lightness, simulate

VISIONS = ("normal", *DEFICIENCIES)


def seen(colour: str, vision: str) -> str:
    return colour if vision == "normal" else simulate(colour, vision)


def smallest_difference(colours, vision: str) -> float:
    return min(
        delta_e(seen(a, vision), seen(b, vision)) for a, b in itertools.combinations(colours, 2)
    )


def test_simulation_keeps_greys_and_confuses_red_and_green():
    for vision in DEFICIENCIES:
        assert delta_e(simulate("#777777", vision), "#777777") < 1
    # the classic confusion: red and green, far apart normally, much closer for the red-green
    # deficiencies (deuteranopia nearly merges them; protanopia keeps a difference of lightness)
    normal = delta_e("#d62728", "#2ca02c")
    assert normal > 80
    assert delta_e(simulate("#d62728", "deuteranopia"), simulate("#2ca02c", "deuteranopia")) < 10
    assert (
        delta_e(simulate("#d62728", "protanopia"), simulate("#2ca02c", "protanopia")) < normal / 2
    )


def test_contrast_ratio_and_lightness_known_values():
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert lightness("#ffffff") == pytest.approx(100, abs=0.01)
    assert lightness("#000000") == pytest.approx(0, abs=0.01)


@pytest.mark.parametrize("vision", VISIONS)
def test_sector_colours_stay_apart_for_everyone(vision):
    palette = style.SECTOR_PALETTE
    assert len(set(c.lower() for c in palette)) == len(palette) == 18
    assert smallest_difference(palette, vision) >= 12
    # a view with few sectors takes the first colours: these are further apart still
    assert smallest_difference(palette[:12], vision) >= 16


@pytest.mark.parametrize("vision", VISIONS)
def test_sequential_scales_keep_their_order(vision):
    for scale in (style.CHOROPLETH_COLOURS, tuple(style.HEAT_GRADIENT.values())):
        steps = [lightness(seen(c, vision)) for c in scale]
        assert all(b < a - 4 for a, b in zip(steps, steps[1:])), (scale, steps)
    # "no data" is not mistaken for the lightest class
    assert (
        delta_e(seen(style.NO_DATA_COLOUR, vision), seen(style.CHOROPLETH_COLOURS[0], vision)) > 10
    )


@pytest.mark.parametrize("vision", VISIONS)
def test_chart_contrasts_are_distinct(vision):
    assert smallest_difference(style.CHART_PAIR, vision) >= 20
    assert smallest_difference(style.CHART_SIGNIFICANCE, vision) >= 20


def test_names_on_the_map_meet_wcag_aa_on_every_fill():
    backgrounds = ("#ffffff", style.NO_DATA_COLOUR, *style.CHOROPLETH_COLOURS)
    for text in labels.LABEL_COLOURS.values():
        for fill in backgrounds:
            assert contrast_ratio(text, fill) >= 4.5, (text, fill)


def test_the_labels_are_drawn_in_the_tested_colours():
    m = folium.Map()
    labels.map_labels([]).add_to(m)
    page = m.get_root().render()
    for colour in labels.LABEL_COLOURS.values():
        assert f"color: {colour}" in page


def test_the_heat_map_uses_the_tested_gradient():
    import pandas as pd

    from geo.maps.layers import heat_layer

    layer = heat_layer(pd.DataFrame({"lat": [47.9, 47.91], "lon": [106.9, 106.91]}))
    m = folium.Map()
    layer.add_to(m)
    page = m.get_root().render()
    assert "#bd0026" in page and "#fed976" in page
