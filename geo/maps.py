"""Folium maps that work offline and never trust text from data.

Every map built here loads its scripts and stylesheets from the app's own
static folder (see :data:`VENDOR_ASSETS`), never from a CDN, and passes every
data-derived string through :func:`geo.safety.escape_text`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

import folium
import geopandas as gpd
from branca.element import Element

from geo.safety import escape_text

__all__ = [
    "DEFAULT_ASSET_BASE",
    "MONGOLIA_BOUNDS",
    "MONGOLIA_CENTER",
    "VENDOR_ASSETS",
    "aimag_layer",
    "base_map",
    "localise_assets",
]

#: URL path under which Streamlit serves ``static/vendor`` (static serving on).
DEFAULT_ASSET_BASE = "/app/static/vendor"

#: Centre of the country's bounding box (lat, lon).
MONGOLIA_CENTER = [46.85, 103.8]

#: South-west and north-east corners of Mongolia (lat, lon).
MONGOLIA_BOUNDS = [[41.5, 87.7], [52.2, 119.95]]

#: folium's asset names -> files under ``static/vendor``. ``None`` drops an
#: asset the project does not use (Bootstrap, awesome-markers, Font Awesome).
VENDOR_ASSETS: dict[str, str | None] = {
    "leaflet": "leaflet/leaflet.js",
    "leaflet_css": "leaflet/leaflet.css",
    "jquery": "jquery/jquery.min.js",
    "bootstrap": None,
    "bootstrap_css": None,
    "glyphicons_css": None,
    "awesome_markers": None,
    "awesome_markers_font_css": None,
    "awesome_markers_css": None,
    "awesome_rotate_css": None,
    "markerclusterjs": "markercluster/leaflet.markercluster.js",
    "markerclustercss": "markercluster/MarkerCluster.css",
    "markerclusterdefaultcss": "markercluster/MarkerCluster.Default.css",
    "leaflet-heat.js": "leaflet-heat/leaflet-heat.js",
}

_NO_TILES_CSS = """
<style>
  .leaflet-container { background: #eef2f5; font-family: system-ui, sans-serif; }
  .leaflet-tooltip { font-size: 13px; }
</style>
"""


def _walk(element):
    yield element
    for child in getattr(element, "_children", {}).values():
        yield from _walk(child)


def localise_assets(m: folium.Map, base: str = DEFAULT_ASSET_BASE) -> folium.Map:
    """Point every script and stylesheet of ``m`` and its children at ``base``.

    Raises
    ------
    KeyError
        When an element needs an asset that is not vendored, so that a new
        plugin can never silently fall back to a CDN.
    """
    base = base.rstrip("/")
    for element in _walk(m):
        for attr in ("default_js", "default_css"):
            assets = getattr(element, attr, None)
            if not assets:
                continue
            local = []
            for name, _url in assets:
                if name not in VENDOR_ASSETS:
                    raise KeyError(f"asset {name!r} of {type(element).__name__} is not vendored")
                path = VENDOR_ASSETS[name]
                if path is not None:
                    local.append((name, f"{base}/{path}"))
            setattr(element, attr, local)
    return m


def base_map(tiles: str | None = None, *, height: str = "100%",
             asset_base: str = DEFAULT_ASSET_BASE) -> folium.Map:
    """An empty map of Mongolia, without tiles unless ``tiles='osm'``.

    Parameters
    ----------
    tiles : {None, 'osm'}
        ``None`` draws no basemap (works offline; a plain light background);
        ``'osm'`` adds OpenStreetMap tiles, which need internet.
    asset_base : str
        URL prefix of the vendored scripts and stylesheets.
    """
    m = folium.Map(
        location=MONGOLIA_CENTER, zoom_start=5, tiles=None, control_scale=True,
        height=height, min_zoom=4, max_bounds=True, prefer_canvas=False,
    )
    if tiles == "osm":
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap", control=True).add_to(m)
    m.get_root().header.add_child(Element(_NO_TILES_CSS))
    m.fit_bounds(MONGOLIA_BOUNDS)
    localise_assets(m, asset_base)
    return m


def aimag_layer(aimags: gpd.GeoDataFrame, labels: dict[str, str], *,
                lang: str = "mn", name: str = "aimags",
                fill: dict[str, str] | None = None,
                extra: Iterable[tuple[str, str]] = ()) -> folium.GeoJson:
    """The aimag boundaries as a GeoJson layer with a tooltip.

    Parameters
    ----------
    aimags : geopandas.GeoDataFrame
        As from :func:`geo.admin.load_aimags`.
    labels : dict
        Translated tooltip labels for the keys ``name``, ``region`` and
        ``population``.
    lang : {'mn', 'en'}
        Language of the unit and region names.
    fill : dict, optional
        ISO code -> fill colour (a choropleth); a neutral fill when omitted.
    extra : iterable of (column, label)
        More columns of ``aimags`` to show in the tooltip.

    Returns
    -------
    folium.GeoJson
        Each feature carries ``iso_3166_2`` and escaped tooltip fields.
    """
    name_col = "name_mn" if lang == "mn" else "name_en"
    region_col = "region_mn" if lang == "mn" else "region_en"
    props = {
        "iso_3166_2": aimags["iso_3166_2"].map(escape_text),
        "t_name": aimags[name_col].map(escape_text),
        "t_region": aimags[region_col].map(escape_text),
        "t_population": aimags["population"].map(
            lambda p: escape_text(f"{int(p):,}".replace(",", " ")))
        + aimags["population_year"].map(lambda y: escape_text(f" ({int(y)})")),
    }
    fields = ["t_name", "t_region", "t_population"]
    aliases = [labels["name"], labels["region"], labels["population"]]
    for column, label in extra:
        props[f"t_{column}"] = aimags[column].map(escape_text)
        fields.append(f"t_{column}")
        aliases.append(label)
    gdf = gpd.GeoDataFrame(props, geometry=aimags.geometry.values, crs=4326)
    colours = fill or {}

    def style(feature):
        code = feature["properties"]["iso_3166_2"]
        return {"color": "#37474f", "weight": 1.2,
                "fillColor": colours.get(code, "#cfd8dc"), "fillOpacity": 0.55}

    layer = folium.GeoJson(
        json.loads(gdf.to_json(drop_id=True)),
        name=escape_text(name),
        style_function=style,
        highlight_function=lambda _f: {"weight": 3, "color": "#0d47a1"},
        tooltip=folium.GeoJsonTooltip(
            fields=fields, aliases=[escape_text(a) for a in aliases], sticky=True),
    )
    return layer
