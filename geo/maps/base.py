"""An empty map of Mongolia: offline background, bounds, zoom steps, scale, touch."""

from __future__ import annotations

import folium
from branca.element import Element, MacroElement
from folium.template import Template

from geo.maps.assets import DEFAULT_ASSET_BASE, browser_script, localise_assets

__all__ = ["MONGOLIA_BOUNDS", "MONGOLIA_CENTER", "PAN_BOUNDS", "base_map"]

#: The scale's units where they are not written "km" and "m".
SCALE_UNITS = {"mn": {"km": "км", "m": "м"}}

#: Centre of the country's bounding box (lat, lon).
MONGOLIA_CENTER = [46.85, 103.8]

#: South-west and north-east corners of Mongolia (lat, lon).
MONGOLIA_BOUNDS = [[41.5, 87.7], [52.2, 119.95]]
#: How far the map may be panned: the country and a margin around it.
PAN_BOUNDS = [[37.5, 80.0], [56.0, 127.5]]

_NO_TILES_CSS = """
<style>
  .leaflet-container { background: #eef2f5; font-family: system-ui, sans-serif; }
  .leaflet-tooltip { font-size: 13px; }
  .cam-cluster { filter: drop-shadow(0 0 1.2px #fff) drop-shadow(0 0 1.2px #fff); }
  .cam-legend summary { cursor: pointer; font-weight: 600; }
  .leaflet-popup-content { overflow-wrap: anywhere; max-height: 260px; overflow-y: auto; }
  @media (max-width: 600px) {
    .leaflet-control-layers-expanded { padding: 2px 6px; font-size: 11px; line-height: 1.2; }
  }
</style>
"""


class _Behaviour(MacroElement):
    """A metric scale; focus without scrolling the page (the first click on a map
    partly below the fold was lost); on touch screens one finger scrolls the page,
    not the map (two fingers zoom; the +/- buttons still work); on a phone a
    country-wide view fits the country; the scale's units in the page's language.
    No data-derived text. The script is ``js/behaviour.js``."""

    _template = Template("""
{% macro script(this, kwargs) %}
(function () {
{{ this.source }}
camBehaviour({{ this._parent.get_name() }}, {{ this.bounds|tojson }}, {{ this.units|tojson }});
})();
{% endmacro %}
""")

    def __init__(self, units: dict[str, str] | None = None) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "Behaviour"
        self.bounds = MONGOLIA_BOUNDS
        self.units = units
        self.source = browser_script("behaviour")


def base_map(
    tiles: str | None = None,
    *,
    height: str = "100%",
    asset_base: str = DEFAULT_ASSET_BASE,
    view: tuple[float, float, int] | None = None,
    lang: str = "en",
) -> folium.Map:
    """An empty map of Mongolia, without tiles unless ``tiles='osm'``.

    Parameters
    ----------
    tiles : {None, 'osm'}
        ``None`` draws no basemap (works offline; a plain light background);
        ``'osm'`` adds OpenStreetMap tiles, which need internet.
    asset_base : str
        URL prefix of the vendored scripts and stylesheets.
    view : (lat, lon, zoom), optional
        The initial view; the whole country when omitted.
    lang : {'mn', 'en'}
        Language of the scale's units.
    """
    (south, west), (north, east) = PAN_BOUNDS
    m = folium.Map(
        location=list(view[:2]) if view else MONGOLIA_CENTER,
        # folium types the zoom as int; Leaflet takes fractional zooms
        zoom_start=float(view[2]) if view else 5,  # type: ignore[arg-type]
        tiles=None,
        control_scale=False,
        height=height,
        min_zoom=3,
        max_bounds=True,
        prefer_canvas=False,
        min_lat=south,
        max_lat=north,
        min_lon=west,
        max_lon=east,
    )
    # Without a tile layer Leaflet knows no zoom range, and marker clusters and
    # heat maps refuse to draw ("Map has no maxZoom specified").
    m.options["maxZoom"] = 18
    m.options["minZoom"] = 3
    # quarter steps, so that the whole country fits a phone's width
    m.options["zoomSnap"] = 0.25
    m.options["maxBoundsViscosity"] = 1.0
    _Behaviour(SCALE_UNITS.get(lang)).add_to(m)
    if tiles == "osm":
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap", control=True, max_zoom=18).add_to(m)
    m.get_root().header.add_child(Element(_NO_TILES_CSS))  # type: ignore[attr-defined]
    if view is None:
        m.fit_bounds(MONGOLIA_BOUNDS)
    localise_assets(m, asset_base)
    return m
