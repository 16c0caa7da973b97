"""The cached map component sends what st_folium sends, and builds a view's map once."""

import re

import folium
import pytest
import streamlit_folium as sf

from geo import maps
from ui import foliummap


def small_map(aimags) -> folium.Map:
    from ui.mapview import map_labels

    return maps.atlas_map(aimags, labels=map_labels("en"), layers=("aimags",))


def captured(monkeypatch) -> list[dict]:
    calls: list[dict] = []
    monkeypatch.setattr(sf, "_component_func", lambda **kw: calls.append(kw) or None)
    return calls


def test_component_args_equal_st_folium(aimags, monkeypatch):
    calls = captured(monkeypatch)
    sf.st_folium(small_map(aimags), key="atlas_map", height=500, use_container_width=True,
                 returned_objects=["last_active_drawing"])
    theirs = calls[0]
    ours = foliummap.component_args(small_map(aimags), "atlas_map", ["last_active_drawing"])
    # element ids are random per map object; st_folium's own hash ignores them
    assert ours["key"] == theirs["key"]
    for name in ("html", "default", "returned_objects", "css_links", "js_links"):
        assert ours[name] == theirs[name], name
    def normal(text: str) -> str:
        return re.sub(r"_[0-9a-f]{32}", "_ID", text)

    for name in ("script", "header", "id"):
        assert normal(ours[name]) == normal(theirs[name]), name
    assert all(u.startswith(maps.DEFAULT_ASSET_BASE) for u in ours["js_links"] + ours["css_links"])


def test_map_component_builds_each_view_once(aimags, monkeypatch):
    calls = captured(monkeypatch)
    foliummap._cached_args.clear()
    built = []

    def build():
        built.append(1)
        return small_map(aimags)

    for _ in range(3):
        foliummap.map_component(build, "view-a", key="atlas_map", height=500,
                                returned_objects=["last_active_drawing"])
    foliummap.map_component(build, "view-b", key="atlas_map", height=500,
                            returned_objects=["last_active_drawing"])
    assert len(built) == 2
    assert len(calls) == 4
    assert calls[0]["script"] == calls[2]["script"]
    assert calls[0]["height"] == 500 and calls[0]["width"] is None


def test_colour_maps_from_a_cdn_are_refused(aimags):
    import branca.colormap

    m = small_map(aimags)
    branca.colormap.LinearColormap(["red", "blue"]).add_to(m)
    with pytest.raises(ValueError, match="CDN"):
        foliummap.component_args(m, "k")
