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
    sf.st_folium(
        small_map(aimags),
        key="atlas_map",
        height=500,
        use_container_width=True,
        returned_objects=["last_active_drawing"],
    )
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
        foliummap.map_component(
            build, "view-a", key="atlas_map", height=500, returned_objects=["last_active_drawing"]
        )
    foliummap.map_component(
        build, "view-b", key="atlas_map", height=500, returned_objects=["last_active_drawing"]
    )
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


# -- the public fallback ----------------------------------------------------------------
def test_the_private_functions_are_there_and_used():
    """Pins streamlit-folium's private functions the cached path needs (see
    test_component_args_equal_st_folium): a release that changes them fails here, and the
    app has fallen back to st_folium by itself."""
    assert foliummap.private_api_usable()
    assert foliummap.MODE == "cached"


def test_a_changed_private_function_is_noticed():
    from types import SimpleNamespace

    def fig(fig): ...

    good = SimpleNamespace(
        _get_html=fig,
        _get_header=fig,
        _get_map_string=fig,
        get_full_id=lambda m: "",
        _component_func=lambda **kw: None,
        generate_js_hash=lambda js_string, key, return_on_hover: "",
    )
    assert foliummap.private_api_usable(good)
    gone = SimpleNamespace(**{k: v for k, v in vars(good).items() if k != "_get_map_string"})
    assert not foliummap.private_api_usable(gone)
    renamed = SimpleNamespace(**{**vars(good), "generate_js_hash": lambda script, key: ""})
    assert not foliummap.private_api_usable(renamed)


def test_public_path_is_st_folium(aimags, monkeypatch):
    import streamlit as st

    calls = captured(monkeypatch)
    monkeypatch.setattr(foliummap, "MODE", "public")
    built, seen = [], []

    def build():
        built.append(1)
        return small_map(aimags)

    for _ in range(2):
        foliummap.map_component(
            build,
            "view-a",
            key="atlas_map",
            height=500,
            returned_objects=["last_active_drawing"],
            on_change=seen.append,
        )
    assert len(built) == 2 and len(calls) == 2  # st_folium builds on every run
    sf.st_folium(
        small_map(aimags),
        key="atlas_map",
        height=500,
        use_container_width=True,
        returned_objects=["last_active_drawing"],
    )
    assert calls[0]["key"] == calls[2]["key"]  # exactly what st_folium sends
    assert calls[0]["height"] == 500 and calls[0]["width"] is None
    # a report from the map reaches the page's callback, and session_state[key], as before
    st.session_state[calls[0]["key"]] = {"zoom": 7}
    calls[0]["on_change"]()
    assert seen == [{"zoom": 7}] and st.session_state["atlas_map"] == {"zoom": 7}


def test_a_failing_private_path_falls_back_to_st_folium(aimags, monkeypatch):
    calls = captured(monkeypatch)
    foliummap._cached_args.clear()
    monkeypatch.setattr(foliummap, "MODE", "cached")

    def changed_release(*args, **kwargs):
        raise TypeError("_get_map_string() missing 1 required positional argument")

    monkeypatch.setattr(foliummap, "component_args", changed_release)
    foliummap.map_component(lambda: small_map(aimags), "view-c", key="atlas_map", height=400)
    assert foliummap.MODE == "public" and len(calls) == 1
    assert calls[0]["height"] == 400
