"""geo.view, geo.filters, geo.views: view state, its URL form, the firm filter, saved views."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.filters import FirmFilter, size_band
from geo.view import INDICATORS, LAYERS, View
from geo.views import SavedViews


def test_default_view_has_an_empty_query():
    assert View().to_query() == {}
    assert View.from_query({}) == (View(), [])


def test_round_trip_of_every_field():
    view = View(
        lang="en",
        dataset="reg2026",
        sectors=("mining", "ict"),
        region="Central",
        aimags=("MN-053", "MN-063"),
        sizes=("small", "large"),
        founded=(1995, 2020),
        exporter=True,
        foreign_owned=False,
        precisions=("point", "soum"),
        eps_km=1.5,
        min_samples=7,
        weighted=True,
        method="hdbscan",
        clustering=False,
        include_centres=True,
        layers=("aimags", "heat"),
        basemap="osm",
        indicator="firms_per_10k",
        lat=44.5,
        lon=104.25,
        zoom=7,
        aimag="MN-053",
        cluster=12,
        presenter=True,
        as_of=2012,
    )
    query = view.to_query()
    assert query["sec"] == "mining,ict" and query["fy"] == "1995-2020" and query["exp"] == "1"
    assert query["yr"] == "2012"
    back, problems = View.from_query(query)
    assert back == view and problems == []


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(list(View._KEYS.values()) + ["zzz"]), st.text(max_size=30), max_size=8
    )
)
def test_any_query_opens_a_valid_view(query):
    view, problems = View.from_query(query)
    assert isinstance(view, View)
    assert 0.05 <= view.eps_km <= 100 and 2 <= view.min_samples <= 10_000
    assert set(view.layers) <= set(LAYERS) and view.indicator in INDICATORS
    view.firm_filter()  # never raises
    assert all(isinstance(p, str) for p in problems)


def test_bad_values_are_reported_and_unknown_values_dropped():
    view, problems = View.from_query(
        {
            "eps": "abc",
            "min": "1",
            "z": "40",
            "sec": "mining,x",
            "reg": "Atlantis",
            "fy": "2020-1990",
        },
        sectors=("mining", "ict"),
        regions=("Central",),
    )
    assert view.eps_km == 2.0 and view.min_samples == 10 and view.zoom is None
    assert view.sectors == ("mining",) and view.region is None and view.founded is None
    text = " ".join(problems)
    for key in ("eps=", "min=", "z=", "reg=", "fy=", "sec"):
        assert key in text


def firms() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "sector": ["mining", "ict", "ict", "trade", None],
            "aimag_code": ["MN-053", "MN-1", "MN-1", "MN-063", None],
            "employees": [300, 12, "5", None, 40],
            "founded": [1999, 2015, "2021", 2010, None],
            "exporter": [True, "False", "true", False, None],
            "foreign_owned": [False, False, True, False, False],
            "precision": ["point", "district", "point", "soum", "none"],
        }
    )


@pytest.mark.parametrize(
    "flt,expected",
    [
        (FirmFilter(), [True] * 5),
        (FirmFilter(sectors=("ict",)), [False, True, True, False, False]),
        (FirmFilter(aimags=("MN-1", "MN-053")), [True, True, True, False, False]),
        (FirmFilter(region="Central"), [True, False, False, False, False]),
        (FirmFilter(region="Eastern"), [False, False, False, True, False]),
        (FirmFilter(sizes=("micro",)), [False, False, True, False, False]),
        (FirmFilter(sizes=("small", "large")), [True, True, False, False, True]),
        (FirmFilter(founded=(2010, 2016)), [False, True, False, True, False]),
        (FirmFilter(exporter=True), [True, False, True, False, False]),
        (FirmFilter(exporter=False), [False, True, False, True, False]),
        (FirmFilter(foreign_owned=True), [False, False, True, False, False]),
        (FirmFilter(precisions=("point",)), [True, False, True, False, False]),
        (FirmFilter(sectors=("ict",), precisions=("point",)), [False, False, True, False, False]),
        (FirmFilter(as_of=2015), [True, True, False, True, False]),
        (FirmFilter(as_of=2009), [True, False, False, False, False]),
    ],
)
def test_firm_filter(flt, expected):
    region_of = {"MN-053": "Central", "MN-063": "Eastern", "MN-1": "Ulaanbaatar"}
    frame = firms()
    before = frame.copy()
    assert flt.mask(frame, region_of).tolist() == expected
    pd.testing.assert_frame_equal(frame, before)
    assert flt.apply(frame, region_of).index.tolist() == list(np.flatnonzero(expected))


def test_filter_checks_its_values_and_is_hashable():
    with pytest.raises(ValueError, match="size bands"):
        FirmFilter(sizes=("huge",))
    with pytest.raises(ValueError, match="precisions"):
        FirmFilter(precisions=("exact",))
    with pytest.raises(ValueError, match="reversed"):
        FirmFilter(founded=(2020, 2000))
    with pytest.raises(ValueError, match="region_of"):
        FirmFilter(region="Central").mask(firms())
    assert hash(FirmFilter(sectors=("a",))) == hash(FirmFilter(sectors=("a",)))
    assert json.dumps(FirmFilter(sectors=("a",), founded=(1, 2)).as_dict())
    assert size_band([0, 9, 10, 49, 50, 250, None, "x"]).tolist()[:6] == [
        "micro",
        "micro",
        "small",
        "small",
        "medium",
        "large",
    ]


def test_saved_views_round_trip_and_atomic_writes(tmp_path):
    store = SavedViews(tmp_path / "views" / "views.json")
    assert store.list() == []
    store.save("Gobi mining", {"sec": "mining", "reg": "Central"})
    store.save("ICT in UB", {"sec": "ict"})
    store.save("Gobi mining", {"sec": "mining"})  # replaces, moves to the end
    assert [v["name"] for v in store.list()] == ["ICT in UB", "Gobi mining"]
    assert store.list()[1]["query"] == {"sec": "mining"}
    store.delete("ICT in UB")
    assert [v["name"] for v in store.list()] == ["Gobi mining"]
    assert [p.name for p in (tmp_path / "views").iterdir()] == ["views.json"]  # no temp left
    (tmp_path / "views" / "views.json").write_text("{broken")
    assert store.list() == []
    with pytest.raises(ValueError, match="name"):
        store.save("  ", {})


def test_saved_views_are_renamed_in_place(tmp_path):
    store = SavedViews(tmp_path / "views.json")
    store.save("A", {"sec": "mining"})
    store.save("B", {"sec": "ict"})
    store.rename("A", "Gobi")
    assert [v["name"] for v in store.list()] == ["Gobi", "B"]
    assert store.list()[0]["query"] == {"sec": "mining"}
    with pytest.raises(ValueError):
        store.rename("Gobi", "B")  # taken
    with pytest.raises(ValueError):
        store.rename("nope", "C")
    with pytest.raises(ValueError):
        store.rename("B", "  ")


def test_zoom_may_be_fractional():
    view, problems = View.from_query({"z": "4.75", "lat": "47.1", "lon": "103.2"})
    assert view.zoom == 4.75 and problems == []
    assert view.to_query()["z"] == "4.75"


UB = {"properties": {"iso_3166_2": "MN-1", "t_name": "Ulaanbaatar"}, "type": "Feature"}


@pytest.mark.parametrize(
    "before,now,expected",
    [
        # a click on an aimag selects it; the map's centre and zoom are kept
        (
            {},
            {
                "last_active_drawing": UB,
                "last_clicked": {"lat": 47.9, "lng": 106.9},
                "last_object_clicked": {"lat": 47.9, "lng": 106.9},
                "center": {"lat": 47.0, "lng": 104.0},
                "zoom": 5,
            },
            {"aimag": "MN-1", "lat": 47.0, "lon": 104.0, "zoom": 5},
        ),
        # a click on a cluster outline selects the cluster
        ({}, {"last_active_drawing": {"properties": {"cluster": 7}}}, {"cluster": 7}),
        # a click that only the map pane got (the lost first click): the aimag under it
        (
            {},
            {"last_clicked": {"lat": 44.0, "lng": 109.5}, "last_object_clicked": None},
            {"aimag": "MN-063"},
        ),
        # a click on a firm marker: its popup opens, nothing is selected
        (
            {},
            {
                "last_active_drawing": {"type": "Feature", "properties": {}},
                "last_clicked": {"lat": 44.0, "lng": 109.5},
                "last_object_clicked": {"lat": 44.0, "lng": 109.5},
            },
            {},
        ),
        # the same report again (a rerun) changes nothing
        ({"last_active_drawing": UB}, {"last_active_drawing": UB}, {}),
        # outside Mongolia
        ({}, {"last_clicked": {"lat": 30.0, "lng": 100.0}}, {}),
    ],
)
def test_map_event_changes(before, now, expected):
    from geo.view import map_event_changes

    def aimag_at(lat, lon):
        return "MN-063" if 41 < lat < 46 and 107 < lon < 112 else None

    assert map_event_changes(before, now, {"MN-1", "MN-063"}, aimag_at) == expected


def test_kept_units_of_a_region_filter(aimags):
    khangai = FirmFilter(region="Khangai")
    units = khangai.kept_units("aimag", aimags)
    assert "MN-073" in units and "MN-1" not in units and "MN" in units  # Arkhangai
    assert khangai.kept_units("region", aimags) == {"Khangai", "MN"}
    assert khangai.kept_units("district", aimags) == {"MN"}  # no Ulaanbaatar
    assert FirmFilter(region="Ulaanbaatar").kept_units("district", aimags) is None
    assert FirmFilter().kept_units("aimag", aimags) is None


def test_as_of_year_in_the_url():
    """``yr`` opens the firms as of a year; a bad year is reported and ignored."""
    view, problems = View.from_query({"yr": "2015", "sec": "ict"}, sectors=("ict",))
    assert view.as_of == 2015 and problems == []
    assert view.firm_filter().as_of == 2015
    assert view.to_query() == {"yr": "2015", "sec": "ict"}
    for bad in ("2015.5", "1700", "abc", "20155"):
        view, problems = View.from_query({"yr": bad})
        assert view.as_of is None and problems == [f"yr={bad!r} ignored"]
    assert View(as_of=None).to_query() == {}
    # the year keys the shared caches: views of two years differ
    assert repr(View(as_of=2010).firm_filter()) != repr(View(as_of=2011).firm_filter())


def test_as_of_uses_closing_years():
    frame = firms().assign(closed=[2005, None, None, "2012", None])
    assert FirmFilter(as_of=2010).mask(frame).tolist() == [False, False, False, True, False]
    assert FirmFilter(as_of=2012).mask(frame).tolist() == [False, False, False, False, False]
