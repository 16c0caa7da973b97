"""The place search: aimags, soums, districts, towns and firms, in either script, typos forgiven."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.admin import AdminIndex
from geo.search import PlaceIndex, zoom_for_bounds


@pytest.fixture(scope="module")
def places():
    firms = pd.DataFrame(
        {
            "name": [
                "Говийн Ноолуур ХХК",
                "Mongol Leather LLC",
                "Unlocated Co",
                "Говь-Алтай Махны ХХК",
            ],
            "lat": [43.57, 47.92, None, 46.37],
            "lon": [104.42, 106.92, None, 96.26],
            "aimag_code": ["MN-053", "MN-1", None, "MN-065"],
        }
    )
    return PlaceIndex(AdminIndex.default(), firms)


@pytest.mark.parametrize(
    "text",
    ["Өвөрхангай", "Övörkhangai", "Uvurkhangai", "ovorkhangay", "ӨВӨРХАНГАЙ аймаг", "Uvurkhangia"],
)
def test_an_aimag_is_found_in_any_script_and_romanisation(places, text):
    best = places.find(text)[0]
    assert (best.kind, best.aimag) == ("aimag", "MN-055")
    assert best.name("mn") == "Өвөрхангай"


def test_a_district_of_the_capital_and_a_soum(places):
    khan_uul = places.find("Khan-Uul")[0]
    assert (khan_uul.kind, khan_uul.aimag) == ("district", "MN-1")
    assert khan_uul.zoom > 10
    dalan = places.find("Даланзадгад")[0]
    assert (dalan.kind, dalan.aimag, dalan.name("en")) == ("soum", "MN-053", "Dalanzadgad")
    assert 43 < dalan.lat < 44 and 104 < dalan.lon < 105


def test_a_typo_is_forgiven_and_an_exact_name_ranks_first(places):
    assert places.find("Dalanzadgd")[0].name("en") == "Dalanzadgad"
    scores = [p.score for p in places.find("Dalanzadgd")]
    assert scores == sorted(scores, reverse=True)


def test_a_town_is_found_by_its_own_name(places):
    erdenet = places.find("Erdenet")[0]
    assert erdenet.aimag == "MN-035" and erdenet.kind == "soum"
    assert erdenet.name("en").startswith("Erdenet")


def test_a_name_shared_by_places_of_several_kinds_lists_each_once(places):
    answers = places.find("Сүхбаатар", limit=10)
    kinds = {(p.kind, p.aimag) for p in answers}
    assert ("aimag", "MN-051") in kinds and ("district", "MN-1") in kinds
    assert len(kinds) == len(answers)  # one answer per place
    assert answers[0].kind == "aimag"  # on a tie, the aimag first


def test_firms_are_found_by_part_of_their_name_only_when_located(places):
    hits = places.find("Ноолуур")
    assert [(p.kind, p.aimag) for p in hits if p.kind == "firm"] == [("firm", "MN-053")]
    assert places.find("Mongol Leather")[0].name("en") == "Mongol Leather LLC"
    assert not [p for p in places.find("Unlocated") if p.kind == "firm"]


def test_nothing_for_noise_or_nothing(places):
    assert places.find("") == [] and places.find("   ") == []
    assert places.find("zzz") == []
    assert places.find("qqqqqqqq") == []


def test_text_from_the_user_is_not_a_pattern(places):
    assert isinstance(places.find("(.*["), list)
    assert isinstance(places.find("Говь.*"), list)


def test_zoom_for_bounds_fits_the_box():
    country = zoom_for_bounds(87.7, 41.6, 119.9, 52.1)
    aimag = zoom_for_bounds(99.5, 44.0, 104.5, 47.5)
    assert 4 <= country < aimag < 9
    assert zoom_for_bounds(106.9, 47.9, 106.9, 47.9) == 14  # a point: the closest
    assert zoom_for_bounds(87.7, 41.6, 119.9, 52.1, width=1600, height=1120) == country + 1
