"""An empty map of Mongolia: offline background, bounds, zoom steps, scale, touch."""

from __future__ import annotations

import folium
from branca.element import Element, MacroElement
from folium.template import Template

from geo.maps.assets import DEFAULT_ASSET_BASE, localise_assets

__all__ = ["MONGOLIA_BOUNDS", "MONGOLIA_CENTER", "PAN_BOUNDS", "base_map"]

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
    not the map (two fingers zoom; the +/- buttons still work). No data-derived text."""

    _template = Template("""
{% macro script(this, kwargs) %}
(function () {
  var map = {{ this._parent.get_name() }};
  L.control.scale({metric: true, imperial: false}).addTo(map);
  // Leaflet focuses the map on mousedown (for its keyboard handler); in a page that
  // shows the map in a frame, that focus scrolled the page between mousedown and
  // mouseup, so the first click landed elsewhere: focus without scrolling
  var container = map.getContainer();
  container.focus = function () { HTMLElement.prototype.focus.call(container, {preventScroll: true}); };
  var coarse = window.matchMedia && window.matchMedia("(pointer: coarse)").matches;
  if ((L.Browser.mobile || coarse) && window.innerWidth < 800) {
    map.dragging.disable();
    if (map.tap) { map.tap.disable(); }
  }
})();
{% endmacro %}
""")

    def __init__(self) -> None:
        super().__init__()
        self._name = "Behaviour"


def base_map(tiles: str | None = None, *, height: str = "100%",
             asset_base: str = DEFAULT_ASSET_BASE,
             view: tuple[float, float, int] | None = None) -> folium.Map:
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
    """
    (south, west), (north, east) = PAN_BOUNDS
    m = folium.Map(
        location=list(view[:2]) if view else MONGOLIA_CENTER,
        zoom_start=float(view[2]) if view else 5, tiles=None, control_scale=False,
        height=height, min_zoom=3, max_bounds=True, prefer_canvas=False,
        min_lat=south, max_lat=north, min_lon=west, max_lon=east,
    )
    # Without a tile layer Leaflet knows no zoom range, and marker clusters and
    # heat maps refuse to draw ("Map has no maxZoom specified").
    m.options["maxZoom"] = 18
    m.options["minZoom"] = 3
    # quarter steps, so that the whole country fits a phone's width
    m.options["zoomSnap"] = 0.25
    m.options["maxBoundsViscosity"] = 1.0
    _Behaviour().add_to(m)
    if tiles == "osm":
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap", control=True, max_zoom=18
                         ).add_to(m)
    m.get_root().header.add_child(Element(_NO_TILES_CSS))
    if view is None:
        m.fit_bounds(MONGOLIA_BOUNDS)
    localise_assets(m, asset_base)
    return m
