"""Folium maps that work offline and never trust text from data.

Every map built here loads its scripts and stylesheets from the app's own
static folder (see :data:`VENDOR_ASSETS`), never from a CDN, and passes every
data-derived string through :func:`geo.safety.escape_text`.
"""

from __future__ import annotations

import base64
import gzip
import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
from branca.element import Element, MacroElement
from folium.plugins import FastMarkerCluster, HeatMap
from folium.template import Template

from geo.formats import format_range
from geo.safety import escape_text, shorten

__all__ = [
    "DEFAULT_ASSET_BASE",
    "MONGOLIA_BOUNDS",
    "MONGOLIA_CENTER",
    "VENDOR_ASSETS",
    "SECTOR_PALETTE",
    "aimag_layer",
    "atlas_map",
    "base_map",
    "classify",
    "cluster_geojson",
    "cluster_layer",
    "drawable_layers",
    "finish",
    "firm_layer",
    "firm_payload",
    "heat_layer",
    "legend",
    "localise_assets",
    "sector_colours",
    "standalone_html",
    "view_colours",
    "view_link_control",
]

#: Folder of the vendored scripts and stylesheets.
VENDOR_DIR = Path(__file__).resolve().parent.parent / "static" / "vendor"

#: Colours for sectors: Paul Tol's "muted" and "bright" schemes (colour-blind safe), then greys.
SECTOR_PALETTE = ("#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677",
                  "#882255", "#AA4499", "#4477AA", "#EE6677", "#228833", "#CCBB44", "#66CCEE",
                  "#AA3377", "#BBBBBB", "#555555", "#000000")

#: Choropleth colours (the lighter five of ColorBrewer YlGnBu: sector outlines and
#: markers stay visible on the darkest class) and the colour of "no data".
CHOROPLETH_COLOURS = ("#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0")
NO_DATA_COLOUR = "#e0e0e0"

#: URL path under which Streamlit serves ``static/vendor`` (static serving on).
DEFAULT_ASSET_BASE = "/app/static/vendor"

#: Centre of the country's bounding box (lat, lon).
MONGOLIA_CENTER = [46.85, 103.8]

#: South-west and north-east corners of Mongolia (lat, lon).
MONGOLIA_BOUNDS = [[41.5, 87.7], [52.2, 119.95]]
#: How far the map may be panned: the country and a margin around it.
PAN_BOUNDS = [[37.5, 80.0], [56.0, 127.5]]

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
  .cam-cluster { filter: drop-shadow(0 0 1.2px #fff) drop-shadow(0 0 1.2px #fff); }
  .cam-legend summary { cursor: pointer; font-weight: 600; }
  .leaflet-popup-content { overflow-wrap: anywhere; max-height: 260px; overflow-y: auto; }
  @media (max-width: 600px) {
    .leaflet-control-layers-expanded { padding: 2px 6px; font-size: 11px; line-height: 1.2; }
  }
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


def aimag_layer(aimags: gpd.GeoDataFrame, labels: dict[str, str], *,
                lang: str = "mn", name: str = "aimags",
                fill: dict[str, str] | None = None,
                extra: Iterable[tuple[str, str]] = (),
                values: Mapping[str, str] | None = None, value_label: str = "",
                selected: str | None = None, fill_opacity: float = 0.5) -> folium.GeoJson:
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
    values : mapping, optional
        ISO code -> formatted indicator value, shown as ``value_label``.
    selected : str, optional
        ISO code of the selected aimag, drawn with a thick outline.
    fill_opacity : float, default 0.5
        Opacity of the fill (lower under a heat map, which must stay readable).

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
    if values is not None:
        props["t_value"] = aimags["iso_3166_2"].map(lambda c: escape_text(values.get(c, "–")))
        fields.append("t_value")
        aliases.append(value_label)
    gdf = gpd.GeoDataFrame(props, geometry=aimags.geometry.values, crs=4326)
    colours = fill or {}

    def style(feature):
        code = feature["properties"]["iso_3166_2"]
        chosen = code == selected
        return {"color": "#0d47a1" if chosen else "#37474f", "weight": 4 if chosen else 1.2,
                "fillColor": colours.get(code, "#cfd8dc"), "fillOpacity": fill_opacity}

    layer = folium.GeoJson(
        json.loads(gdf.to_json(drop_id=True)),
        name=escape_text(name),
        style_function=style,
        highlight_function=lambda _f: {"weight": 3, "color": "#0d47a1"},
        tooltip=folium.GeoJsonTooltip(
            fields=fields, aliases=[escape_text(a) for a in aliases], sticky=True),
    )
    return layer


def sector_colours(sectors: Iterable[str]) -> dict[str, str]:
    """A stable colour per sector: sorted sectors take :data:`SECTOR_PALETTE` in turn."""
    ordered = sorted({str(x) for x in sectors})
    return {name: SECTOR_PALETTE[i % len(SECTOR_PALETTE)] for i, name in enumerate(ordered)}


def view_colours(firms: pd.DataFrame | None, clusters: gpd.GeoDataFrame | None = None
                 ) -> dict[str, str]:
    """The sector colours of a view: sectors of its located firms and of its clusters.

    Every drawing of one view (map layers cached apart, the PNG) takes its
    colours from here, so that a sector has one colour everywhere.
    """
    present: set[str] = set()
    if firms is not None and "sector" in firms.columns:
        located = firms[firms["lat"].notna() & firms["lon"].notna()]
        present |= set(located["sector"].dropna().astype(str))
    if clusters is not None and len(clusters) and "sector" in clusters.columns:
        present |= set(clusters["sector"].astype(str))
    return sector_colours(present)


#: Above this many located firms a map shows their density, not each firm (browser time:
#: 200,000 firms took 42-45 s to open as markers, 5.5 s as density).
FIRM_POINTS_LIMIT = 60_000


def drawable_layers(layers: Iterable[str], located_firms: int,
                    limit: int = FIRM_POINTS_LIMIT) -> tuple[tuple[str, ...], bool]:
    """The layers to draw, and whether the firm layer gave way to the heat map.

    Above ``limit`` located firms the firm layer is replaced by the heat map.
    """
    layers = tuple(layers)
    if "firms" not in layers or located_firms <= limit:
        return layers, False
    kept = tuple(x for x in layers if x != "firms")
    return kept + (() if "heat" in kept else ("heat",)), True


def classify(values: pd.Series, scheme: str = "quantiles", k: int = 5
             ) -> tuple[dict[str, str], list[tuple[float, float, str]]]:
    """Colour classes of an indicator per unit, with mapclassify.

    Parameters
    ----------
    values : Series
        Indicator by unit code; missing values get :data:`NO_DATA_COLOUR`.
    scheme : {"quantiles", "natural_breaks", "equal_interval"}
        mapclassify's ``Quantiles``, ``FisherJenks`` or ``EqualInterval``.
    k : int, default 5
        Number of classes (fewer when there are fewer distinct values).

    Returns
    -------
    fill : dict
        Unit code -> colour.
    bins : list of (low, high, colour)
        The legend, lowest class first.
    """
    import mapclassify

    values = pd.to_numeric(values, errors="coerce")
    known = values.dropna()
    fill = {str(code): NO_DATA_COLOUR for code in values.index}
    if known.empty:
        return fill, []
    k = max(1, min(k, known.nunique()))
    if k == 1:
        colour = CHOROPLETH_COLOURS[-1]
        fill.update({str(code): colour for code in known.index})
        return fill, [(float(known.min()), float(known.max()), colour)]
    classifiers = {"quantiles": mapclassify.Quantiles, "natural_breaks": mapclassify.FisherJenks,
                   "equal_interval": mapclassify.EqualInterval}
    if scheme not in classifiers:
        raise ValueError(f"scheme must be one of {list(classifiers)}, got {scheme!r}")
    data = known.to_numpy(dtype=float)
    result = classifiers[scheme](data, k=k)
    # many equal values (zeros, say) give quantile classes with one bound twice:
    # keep each upper bound once, so that no class is empty or written "0 - 0" twice
    uppers = sorted(set(float(b) for b in result.bins))
    if len(uppers) < len(result.bins):
        result = mapclassify.UserDefined(data, bins=uppers)
    n_classes = len(result.bins)
    palette = [CHOROPLETH_COLOURS[int(round(i * (len(CHOROPLETH_COLOURS) - 1)
                                            / max(n_classes - 1, 1)))]
               for i in range(n_classes)]
    for code, cls in zip(known.index, result.yb):
        fill[str(code)] = palette[int(cls)]
    lows = [float(known.min())] + [float(b) for b in result.bins[:-1]]
    bins = [(low, float(high), palette[i]) for i, (low, high) in enumerate(zip(lows, result.bins))]
    return fill, bins


def _safe_json(value) -> str:
    """JSON for a <script>: compact, UTF-8 (not \\u-escaped), and unable to close the
    script or break a JavaScript string (``<``, ``>``, ``&``, U+2028/9 escaped)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for raw, code in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                      ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, code)
    return text


_BASE64 = re.compile(r"[A-Za-z0-9+/]*={0,2}")


def pack_json(value) -> str:
    """JSON, gzip-compressed and base64-encoded, for a large payload inside a script.

    The result holds only base64's letters, so it cannot end or interpolate
    any JavaScript string; streamlit-folium sends map scripts as JSON with
    ``\\u``-escaped Cyrillic, so packing cuts the demo's firm rows from 5.9 MB
    to 0.5 MB. Deterministic (no time stamp in the gzip header).

    See Also
    --------
    unpack_json : the inverse.
    """
    raw = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return base64.b64encode(gzip.compress(raw, compresslevel=6, mtime=0)).decode("ascii")


def unpack_json(packed: str):
    """The value :func:`pack_json` packed."""
    return json.loads(gzip.decompress(base64.b64decode(packed, validate=True)))


class _FirmPoints(FastMarkerCluster):
    """Clustered circle markers from compact rows; popups assembled in the browser.

    Rows are ``[lat, lon, sector, precision, employees, name, address]`` with
    sector and precision as indexes into ``lookup``; every text is escaped
    with :func:`geo.safety.escape_text` before it is put in a row. The rows
    arrive packed (:func:`pack_json`) and are unpacked in the browser with
    ``DecompressionStream``, so the layer's markers appear a moment after the map.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = (function(){
                var look = {{ this.lookup_json }};
                var cluster = L.markerClusterGroup({{ this.options|tojavascript }});
                function row(label, value) {
                    return "<tr><th style='text-align:left;padding-right:6px'>" + label +
                           "</th><td>" + value + "</td></tr>";
                }
                function popup(r) {
                    var html = "<table style='font-size:12px'>";
                    if (r.length > 5) { html += row(look.labels.name, r[5]); }
                    html += row(look.labels.sector, look.sectors[r[2]]);
                    html += row(look.labels.employees, r[4]);
                    if (r.length > 6) { html += row(look.labels.address, r[6]); }
                    html += row(look.labels.precision, look.precisions[r[3]]);
                    if (r.length <= 5) { html += "<tr><td colspan='2'>" + look.labels.more +
                                                 "</td></tr>"; }
                    return html + "</table>";
                }
                function draw(data) {
                    var markers = new Array(data.length);
                    for (var i = 0; i < data.length; i++) {
                        var r = data[i];
                        var colour = look.colours[r[2]];
                        var marker = L.circleMarker([r[0], r[1]], {radius: 5, color: colour,
                            weight: 1, fillColor: colour, fillOpacity: 0.85});
                        // the popup is written when opened, not for every firm up front
                        marker.bindPopup(popup.bind(null, r), {maxWidth: 320});
                        markers[i] = marker;
                    }
                    cluster.addLayers(markers);
                }
                // rows travel gzip-compressed in base64 (a fifth of the JSON's size)
                var packed = "{{ this.rows_packed }}";
                var bytes = Uint8Array.from(atob(packed), function(c) { return c.charCodeAt(0); });
                new Response(new Blob([bytes]).stream().pipeThrough(
                    new DecompressionStream("gzip"))).text().then(function(text) {
                        draw(JSON.parse(text));
                    });
                cluster.addTo({{ this._parent.get_name() }});
                return cluster;
            })();
        {% endmacro %}""")

    def __init__(self, rows_packed: str, lookup_json: str, *, name, show, options) -> None:
        super().__init__([], name=name, show=show, options=options)
        if not _BASE64.fullmatch(rows_packed):
            raise ValueError("firm rows must be packed with geo.maps.pack_json")
        self.rows_packed = rows_packed
        self.lookup_json = lookup_json


#: Above this many firms the map carries no names and addresses (HTML size).
FIRM_TEXT_LIMIT = 50_000


def firm_layer(firms: pd.DataFrame, *, colours: Mapping[str, str], labels: Mapping[str, str],
               sector_names: Mapping[str, str] | None = None,
               precision_names: Mapping[str, str] | None = None, name: str = "firms",
               show: bool = True, text_limit: int = FIRM_TEXT_LIMIT,
               payload: tuple[str, str] | None = None) -> FastMarkerCluster:
    """Firms as clustered circle markers coloured by sector, with popups.

    One compact JavaScript row per firm (coordinates rounded to 5 decimals,
    about 1 m), never one folium object per firm. Up to ``text_limit`` firms
    the rows carry name and address; above it only sector, size and
    precision, and the popup asks to filter further (the HTML would
    otherwise grow by about 150 bytes per firm).

    Parameters
    ----------
    firms : DataFrame
        With ``lat``, ``lon``, ``sector`` and, if present, ``name``,
        ``employees``, ``address``, ``precision``; rows without coordinates
        are skipped (they stay in the table and in every export).
    colours : mapping
        Sector -> colour (:func:`sector_colours`).
    labels : mapping
        Translated popup labels for ``name``, ``sector``, ``employees``,
        ``address``, ``precision`` and (optionally) ``more``.
    sector_names, precision_names : mapping, optional
        Labels of sector keys and precisions shown in the popup.
    payload : (str, str), optional
        :func:`firm_payload` computed before (and cached); the other data
        arguments are then not read.
    """
    if payload is None:
        payload = firm_payload(firms, colours=colours, labels=labels,
                               sector_names=sector_names, precision_names=precision_names,
                               text_limit=text_limit)
    return _FirmPoints(*payload, name=escape_text(name), show=show,
                       options={"chunkedLoading": True, "maxClusterRadius": 50})


def firm_payload(firms: pd.DataFrame, *, colours: Mapping[str, str],
                 labels: Mapping[str, str], sector_names: Mapping[str, str] | None = None,
                 precision_names: Mapping[str, str] | None = None,
                 text_limit: int = FIRM_TEXT_LIMIT) -> tuple[str, str]:
    """The firm layer's data: rows packed with :func:`pack_json` and the lookup as safe
    JSON. The costly part of :func:`firm_layer`, worth caching per dataset, filter and
    language."""
    ok = firms["lat"].notna() & firms["lon"].notna()
    f = firms[ok]
    sector_names = sector_names or {}
    precision_names = precision_names or {}

    def text(col):
        return f[col].astype("string").fillna("") if col in f.columns else \
            pd.Series("", index=f.index, dtype="string")

    sectors = text("sector")
    sector_keys = sorted(set(sectors))
    sector_idx = sectors.map({k: i for i, k in enumerate(sector_keys)}).to_numpy()
    precision = text("precision")
    precision_keys = sorted(set(precision))
    precision_idx = precision.map({k: i for i, k in enumerate(precision_keys)}).to_numpy()
    employees = text("employees").map(escape_text).to_numpy()
    lat = np.round(f["lat"].to_numpy(dtype=float), 5).tolist()
    lon = np.round(f["lon"].to_numpy(dtype=float), 5).tolist()
    with_text = len(f) <= text_limit
    if with_text:
        names = text("name").map(lambda v: escape_text(shorten(v))).to_numpy()
        addresses = text("address").map(lambda v: escape_text(shorten(v))).to_numpy()
        rows = [[a, b, int(s), int(p), e, n, d] for a, b, s, p, e, n, d in zip(
            lat, lon, sector_idx, precision_idx, employees, names, addresses)]
    else:
        rows = [[a, b, int(s), int(p), e] for a, b, s, p, e in zip(
            lat, lon, sector_idx, precision_idx, employees)]
    lookup = {
        "colours": [colours.get(k, "#555555") for k in sector_keys],
        "sectors": [escape_text(sector_names.get(k, k)) for k in sector_keys],
        "precisions": [escape_text(precision_names.get(k, k)) for k in precision_keys],
        "labels": {k: escape_text(labels.get(k, k)) for k in
                   ("name", "sector", "employees", "address", "precision", "more")},
    }
    return pack_json(rows), _safe_json(lookup)


def heat_layer(firms: pd.DataFrame, *, weight: str | None = None, name: str = "heat",
               show: bool = False) -> HeatMap:
    """A heat map of firms (or of employees, with ``weight``).

    Firms are summed on a grid of 0.002 degrees (about 200 m), which the eye
    cannot tell from the points and which keeps 200,000 firms to a few
    hundred kilobytes; weights are log-scaled so that one large employer does
    not hide a town.
    """
    ok = firms["lat"].notna() & firms["lon"].notna()
    f = firms[ok]
    if weight and weight in f.columns:
        w = pd.to_numeric(f[weight], errors="coerce").fillna(0).clip(lower=0).to_numpy()
        w = np.log1p(w)
    else:
        w = np.ones(len(f))
    cells = pd.DataFrame({"lat": np.round(f["lat"].to_numpy(dtype=float) / 0.002) * 0.002,
                          "lon": np.round(f["lon"].to_numpy(dtype=float) / 0.002) * 0.002,
                          "w": w}).groupby(["lat", "lon"], as_index=False)["w"].sum()
    top = max(float(cells["w"].max()) if len(cells) else 1.0, 1e-9)
    data = [[round(a, 3), round(b, 3), round(c / top, 3)]
            for a, b, c in zip(cells["lat"], cells["lon"], cells["w"])]
    return HeatMap(data, name=escape_text(name), show=show, radius=14, blur=18, min_opacity=0.3)


def cluster_geojson(clusters: gpd.GeoDataFrame, *, colours: Mapping[str, str],
                    sector_names: Mapping[str, str] | None = None,
                    stage_names: Mapping[str, str] | None = None, by: str = "sector") -> dict:
    """The cluster outlines as a GeoJSON dict with escaped tooltip fields (cacheable)."""
    sector_names = sector_names or {}
    stage_names = stage_names or {}
    sectors = clusters[by].astype(str) if by in clusters.columns else pd.Series(
        "", index=clusters.index)
    props = {
        "cluster": clusters["cluster"].astype(int),
        "colour": sectors.map(lambda k: colours.get(k, "#555555")),
        "t_cluster": clusters["cluster"].map(lambda c: escape_text(f"#{int(c)}")),
        "t_sector": sectors.map(lambda k: escape_text(sector_names.get(k, k))),
        "t_firms": clusters["firms"].map(lambda v: escape_text(f"{int(v):,}".replace(",", " "))),
        "t_employees": clusters["employees"].map(
            lambda v: escape_text(f"{float(v):,.0f}".replace(",", " "))),
        "t_stage": clusters["stage"].map(lambda v: escape_text(stage_names.get(v, v))),
        "t_aimags": clusters["aimags"].map(escape_text),
    }
    gdf = gpd.GeoDataFrame({k: pd.Series(v).astype(object).to_numpy() for k, v in props.items()},
                           geometry=clusters.geometry.values, crs=4326)
    return json.loads(gdf.to_json(drop_id=True))


def cluster_layer(clusters: gpd.GeoDataFrame | None, *, colours: Mapping[str, str],
                  labels: Mapping[str, str], sector_names: Mapping[str, str] | None = None,
                  stage_names: Mapping[str, str] | None = None, by: str = "sector",
                  name: str = "clusters", selected: int | None = None,
                  geojson: dict | None = None) -> folium.GeoJson:
    """DBSCAN cluster outlines coloured by sector, with a tooltip.

    Each feature carries ``cluster`` (its id) so that a click can select it.
    ``labels`` translates ``cluster``, ``sector``, ``firms``, ``employees``,
    ``stage`` and ``aimags``. ``geojson`` is a cached :func:`cluster_geojson`.
    """
    if geojson is None:
        geojson = cluster_geojson(clusters, colours=colours, sector_names=sector_names,
                                  stage_names=stage_names, by=by)
    fields = ["t_cluster", "t_sector", "t_firms", "t_employees", "t_stage", "t_aimags"]
    aliases = [escape_text(labels[k]) for k in ("cluster", "sector", "firms", "employees",
                                                  "stage", "aimags")]

    def style(feature):
        props = feature["properties"]
        chosen = selected is not None and props["cluster"] == selected
        return {"color": props["colour"], "weight": 4 if chosen else 2,
                "fillColor": props["colour"], "fillOpacity": 0.35 if chosen else 0.18,
                "dashArray": None if chosen else "4 3"}

    return folium.GeoJson(
        geojson, name=escape_text(name), style_function=style, className="cam-cluster",
        highlight_function=lambda _f: {"weight": 4, "fillOpacity": 0.4},
        tooltip=folium.GeoJsonTooltip(fields=fields, aliases=aliases, sticky=True),
    )


class _Legend(MacroElement):
    _template = Template("""
{% macro html(this, kwargs) %}
<details class="cam-legend" open style="position:absolute; z-index:9999; bottom:24px; left:10px;
     background:rgba(255,255,255,.92); padding:5px 8px; border-radius:4px;
     font:12px system-ui,sans-serif; max-height:40%; max-width:46%; overflow:auto;
     box-shadow:0 1px 4px rgba(0,0,0,.3)">
<summary>{{ this.title }}</summary>
{{ this.body }}
</details>
{% endmacro %}
{% macro script(this, kwargs) %}
(function () {
  // closed on a small screen (the page's, not this frame's, which may not be laid out
  // yet), where it would cover the country; a tap opens it
  var width = window.innerWidth;
  try { width = window.top.innerWidth || width; } catch (e) {}
  if (width < 600) {
    document.querySelectorAll("details.cam-legend").forEach(function (d) { d.open = false; });
  }
})();
{% endmacro %}
""")

    def __init__(self, body: str, title: str) -> None:
        super().__init__()
        self._name = "Legend"
        self.body = body
        self.title = title


def legend(sections: Iterable[tuple[str, Iterable[tuple[str, str]]]],
           title: str = "Legend", note: str = "") -> MacroElement:
    """A collapsible legend box: sections of (title, [(label, colour), ...]) and an
    optional note, all text escaped."""
    parts = []
    for heading, items in sections:
        rows = "".join(
            f"<div><span style='display:inline-block;width:12px;height:12px;"
            f"background:{escape_text(colour)};margin-right:5px;border:1px solid #777;"
            f"vertical-align:middle'></span>{escape_text(label)}</div>"
            for label, colour in items)
        parts.append(f"<div style='font-weight:600;margin-top:3px'>{escape_text(heading)}</div>"
                     f"{rows}")
    if note:
        parts.append(f"<div style='margin-top:3px;max-width:220px'>{escape_text(note)}</div>")
    return _Legend("".join(parts), escape_text(title))


class _ViewLink(MacroElement):
    """Keeps the map view in the page address and offers a link to copy.

    On every move the centre and zoom go into the page's URL (``lat``,
    ``lon``, ``z``) without reloading, and into the tab's sessionStorage, so
    that a filter change that redraws the map keeps the view. The stored
    view is restored only while the map's initial view (``base``) is the same
    one, so opening another link or saved view is not overridden. A control
    shows the address to copy. No data-derived text is involved.
    """

    _template = Template("""
{% macro script(this, kwargs) %}
(function () {
  var map = {{ this._parent.get_name() }};
  var top = window;
  try { if (window.parent && window.parent.location.href) { top = window.parent; } }
  catch (e) { top = window; }
  var store = null;
  try { store = top.sessionStorage; } catch (e) { store = null; }
  function save() {
    var c = map.getCenter();
    var view = {lat: c.lat.toFixed(4), lon: c.lng.toFixed(4), z: String(map.getZoom()),
                base: {{ this.base|tojson }}};
    try {
      var url = new URL(top.location.href);
      url.searchParams.set("lat", view.lat);
      url.searchParams.set("lon", view.lon);
      url.searchParams.set("z", view.z);
      top.history.replaceState(top.history.state, "", url.toString());
      if (store) { store.setItem("cam-view", JSON.stringify(view)); }
    } catch (e) {}
  }
  try {
    var kept = store && store.getItem("cam-view");
    var v = kept ? JSON.parse(kept) : null;
    if (v && {{ this.restore|tojson }} && v.base === {{ this.base|tojson }}) {
      map.setView([parseFloat(v.lat), parseFloat(v.lon)], parseFloat(v.z), {animate: false});
    }
  } catch (e) {}
  map.on("moveend", save);
  var Control = L.Control.extend({
    options: {position: "topright"},
    onAdd: function () {
      var box = L.DomUtil.create("div", "leaflet-bar cam-link");
      box.style.background = "#fff"; box.style.padding = "3px 6px";
      box.style.font = "12px system-ui, sans-serif";
      var button = L.DomUtil.create("a", "", box);
      button.href = "#"; button.title = {{ this.title|tojson }};
      button.textContent = {{ this.label|tojson }};
      button.style.width = "auto"; button.style.padding = "0 6px";
      var field = L.DomUtil.create("input", "cam-link-url", box);
      field.readOnly = true; field.style.display = "none"; field.style.width = "260px";
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.on(button, "click", function (ev) {
        L.DomEvent.preventDefault(ev);
        save();
        // a link for others: never in presenter mode
        var shared = new URL(top.location.href);
        shared.searchParams.delete("pres");
        field.value = shared.toString();
        field.style.display = "block";
        field.select();
        try { navigator.clipboard.writeText(field.value); } catch (e) {}
      });
      return box;
    }
  });
  new Control().addTo(map);
})();
{% endmacro %}
""")

    def __init__(self, label: str, title: str, restore: bool, base: str) -> None:
        super().__init__()
        self._name = "ViewLink"
        self.label = label
        self.title = title
        self.restore = restore
        self.base = base


def view_link_control(label: str = "Link", title: str = "Copy the link to this view",
                      restore: bool = True, base: str = "auto") -> MacroElement:
    """The map's "copy link" control and its URL view sync (see :class:`_ViewLink`).

    ``restore`` lets a redrawn map return to the view last seen in this tab,
    as long as its initial view ``base`` is unchanged. The label and title
    are interface strings, escaped and passed as JSON strings.
    """
    return _ViewLink(escape_text(label), escape_text(title), restore, str(base))


def finish(m: folium.Map, *, asset_base: str = DEFAULT_ASSET_BASE,
           layer_control: bool = True) -> folium.Map:
    """Add the layer switcher and point every asset at the vendored copies."""
    if layer_control:
        folium.LayerControl(collapsed=False, position="topright").add_to(m)
    return localise_assets(m, asset_base)


def _data_uri(path: Path) -> str:
    kind = {"png": "image/png", "svg": "image/svg+xml", "gif": "image/gif"}.get(
        path.suffix[1:].lower(), "application/octet-stream")
    return f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode()}"


def standalone_html(m: folium.Map, *, asset_base: str = DEFAULT_ASSET_BASE,
                    title: str = "Cluster Atlas Mongolia", note: str = "") -> str:
    """The map as one HTML file that opens offline: every vendored script,
    stylesheet and image inlined, nothing fetched.

    Parameters
    ----------
    m : folium.Map
        A map finished with :func:`finish` (assets under ``asset_base``).
    title : str
        The document title (escaped).
    note : str
        Text shown under the map, for example the filter and the data source
        (escaped).
    """
    html = m.get_root().render()
    base = re.escape(asset_base.rstrip("/"))

    def script(match):
        path = VENDOR_DIR / match.group(1)
        code = path.read_text(encoding="utf-8").replace("</script", "<\\/script")
        return f"<script>{code}</script>"

    def style(match):
        path = VENDOR_DIR / match.group(1)
        css = path.read_text(encoding="utf-8")
        folder = path.parent
        css = re.sub(r"url\((?!['\"]?(?:data:|#))['\"]?([^)'\"]+)['\"]?\)",
                     lambda u: f"url({_data_uri(folder / u.group(1))})"
                     if (folder / u.group(1)).is_file() else u.group(0), css)
        return f"<style>{css}</style>"

    html = re.sub(rf'<script src="{base}/([^"]+)"></script>', script, html)
    html = re.sub(rf'<link rel="stylesheet" href="{base}/([^"]+)"\s*/?>', style, html)
    head = f"<title>{escape_text(title)}</title><meta charset=\"utf-8\">"
    html = html.replace("<head>", "<head>" + head, 1)
    if note:
        html = html.replace("</body>", f"<p style='font:12px system-ui,sans-serif;margin:4px'>"
                            f"{escape_text(note)}</p></body>", 1)
    return html


def atlas_map(aimags: gpd.GeoDataFrame, *, labels: Mapping[str, str], lang: str = "mn",
              firms: pd.DataFrame | None = None, clusters: gpd.GeoDataFrame | None = None,
              layers: Iterable[str] = ("aimags", "firms", "clusters"),
              basemap: str | None = None, fill: dict[str, str] | None = None,
              bins: list[tuple[float, float, str]] | None = None,
              values: Mapping[str, str] | None = None, indicator_label: str = "",
              indicator: str = "", legend_note: str = "",
              sector_names: Mapping[str, str] | None = None,
              stage_names: Mapping[str, str] | None = None,
              precision_names: Mapping[str, str] | None = None,
              selected_aimag: str | None = None, selected_cluster: int | None = None,
              view: tuple[float, float, int] | None = None, link_control: bool = True,
              opening: str | None = None,
              firm_json: tuple[str, str] | None = None, cluster_json: dict | None = None,
              asset_base: str = DEFAULT_ASSET_BASE) -> folium.Map:
    """The Map page's map: aimags, firms, clusters, heat, legend, link control.

    Parameters
    ----------
    aimags : GeoDataFrame
        :func:`geo.admin.load_aimags`.
    labels : mapping
        Translated interface strings: ``name``, ``region``, ``population``,
        ``sector``, ``firms``, ``employees``, ``address``, ``precision``,
        ``cluster``, ``stage``, ``aimags``, ``layer_aimags``, ``layer_firms``,
        ``layer_clusters``, ``layer_heat``, ``legend_sectors``, ``copy_link``,
        ``copy_link_title``.
    firms : DataFrame, optional
        Filtered firms with ``lat``, ``lon`` and ``sector``.
    clusters : GeoDataFrame, optional
        :func:`geo.describe.describe_clusters`.
    layers : iterable of str
        Which of ``aimags``, ``firms``, ``clusters``, ``heat`` to draw.
    basemap : {None, "none", "osm"}
    fill, bins : from :func:`classify`
        Choropleth colours and legend of the aimags.
    values : mapping, optional
        Formatted indicator value per aimag for the tooltip.
    indicator : str, optional
        The indicator's column (how the legend writes its classes, see
        :func:`geo.formats.format_range`).
    legend_note : str, optional
        A line under the legend (for example why the aimags are not coloured).
    view : (lat, lon, zoom), optional
        Initial view; otherwise the whole country.
    opening : str, optional
        Names this opening of the map (default: from ``view``); a map redrawn
        with the same opening returns to where it was moved in this tab.
    firm_json : (str, str), optional
        A cached :func:`firm_payload` of ``firms`` (made with the same colours).
    cluster_json : dict, optional
        A cached :func:`cluster_geojson` of ``clusters`` (same colours).
    """
    layers = set(layers)
    m = base_map(tiles="osm" if basemap == "osm" else None, view=view, asset_base=asset_base)
    colours = view_colours(firms, clusters)
    names = sector_names or {}
    if "aimags" in layers:
        aimag_layer(aimags, labels, lang=lang, name=labels["layer_aimags"], fill=fill,
                    values=values, value_label=indicator_label,
                    selected=selected_aimag,
                    fill_opacity=0.2 if "heat" in layers else 0.5).add_to(m)
    if "heat" in layers and firms is not None and len(firms):
        heat_layer(firms, weight="employees", name=labels["layer_heat"], show=True).add_to(m)
    if "clusters" in layers and clusters is not None and len(clusters):
        cluster_layer(clusters, colours=colours, labels=labels, sector_names=names,
                      stage_names=stage_names, name=labels["layer_clusters"],
                      selected=selected_cluster, geojson=cluster_json).add_to(m)
    if "firms" in layers and firms is not None and len(firms):
        firm_layer(firms, colours=colours, labels=labels, sector_names=names,
                   precision_names=precision_names, name=labels["layer_firms"],
                   payload=firm_json).add_to(m)
    sections = []
    if ("firms" in layers or "clusters" in layers) and colours:
        sections.append((labels["legend_sectors"],
                         [(names.get(k, k), c) for k, c in sorted(
                             colours.items(), key=lambda kv: names.get(kv[0], kv[0]))]))
    if "aimags" in layers and bins:
        sections.append((indicator_label, [(format_range(lo, hi, indicator, lang), c)
                                           for lo, hi, c in bins]))
    if sections or legend_note:
        legend(sections, title=labels.get("legend", "Legend"), note=legend_note).add_to(m)
    if link_control:
        view_link_control(labels["copy_link"], labels["copy_link_title"],
                          base=opening or (",".join(map(str, view)) if view else "auto")
                          ).add_to(m)
    return finish(m, asset_base=asset_base)
