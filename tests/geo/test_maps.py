"""Maps load nothing from outside and carry escaped text."""

import re

import folium
import folium.plugins
import pytest

from geo import maps


def rendered(m: folium.Map) -> str:
    return m.get_root().render()


def test_base_map_has_no_external_assets(aimags):
    m = maps.base_map()
    maps.aimag_layer(aimags, {"name": "N", "region": "R", "population": "P"}).add_to(m)
    html = rendered(m)
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert urls, "the map must load Leaflet"
    assert all(u.startswith(maps.DEFAULT_ASSET_BASE) for u in urls), urls
    assert "cdn" not in html.lower()
    assert html.count('"iso_3166_2"') == 22


def test_osm_tiles_are_optional():
    assert "tile.openstreetmap.org" not in rendered(maps.base_map())
    assert "tile.openstreetmap.org" in rendered(maps.base_map(tiles="osm"))


def test_plugins_are_localised():
    m = maps.base_map()
    folium.plugins.MarkerCluster().add_to(m)
    folium.plugins.HeatMap([[47.9, 106.9]]).add_to(m)
    maps.localise_assets(m)
    urls = re.findall(r'(?:src|href)="([^"]+)"', rendered(m))
    assert any("markercluster" in u for u in urls)
    assert any("leaflet-heat" in u for u in urls)
    assert all(u.startswith(maps.DEFAULT_ASSET_BASE) for u in urls)


def test_unknown_asset_is_refused():
    m = maps.base_map()
    folium.plugins.Fullscreen().add_to(m)
    with pytest.raises(KeyError):
        maps.localise_assets(m)


def test_vendored_files_exist():
    from pathlib import Path
    root = Path(__file__).resolve().parents[2] / "static" / "vendor"
    for path in filter(None, maps.VENDOR_ASSETS.values()):
        assert (root / path).is_file(), path


def test_hostile_names_are_escaped(aimags):
    hostile = aimags.copy()
    hostile.loc[0, "name_en"] = "<img src=x onerror=alert(1)>${alert(2)}`"
    m = maps.base_map()
    maps.aimag_layer(hostile, {"name": "N", "region": "R", "population": "P"},
                     lang="en").add_to(m)
    html = rendered(m)
    assert "<img src=x" not in html
    assert "${alert(2)}" not in html
    assert "\\u0026lt;img" in html or "&lt;img" in html
