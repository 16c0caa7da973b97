"""The map's scripts and stylesheets, served by the app itself, never from a CDN;
a map as one offline HTML file."""

from __future__ import annotations

import base64
import functools
import re
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import folium
from branca.element import Element

from geo.safety import escape_text

__all__ = [
    "DEFAULT_ASSET_BASE",
    "VENDOR_ASSETS",
    "VENDOR_DIR",
    "browser_script",
    "finish",
    "localise_assets",
    "standalone_html",
]

#: Folder of the vendored scripts and stylesheets.
VENDOR_DIR = Path(__file__).resolve().parents[2] / "static" / "vendor"

#: URL path under which Streamlit serves ``static/vendor`` (static serving on).
DEFAULT_ASSET_BASE = "/app/static/vendor"

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


@functools.cache
def browser_script(name: str) -> str:
    """The source of ``geo/maps/js/<name>.js``, one of the map's own browser scripts.

    The scripts are package data: plain JavaScript files (each defines one function that
    the map's elements call with their arguments as JSON), readable by a linter, kept out
    of Python strings.
    """
    text = (resources.files("geo.maps") / "js" / f"{name}.js").read_text(encoding="utf-8")
    # the text goes into a <script> and, through folium, into a Jinja template
    for forbidden in ("</script", "{{", "{%", "{#"):
        if forbidden in text.lower():
            raise ValueError(f"{name}.js must not contain {forbidden!r}")
    return text


def _walk(element: Element) -> Iterator[Element]:
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


def finish(
    m: folium.Map, *, asset_base: str = DEFAULT_ASSET_BASE, layer_control: bool = True
) -> folium.Map:
    """Add the layer switcher and point every asset at the vendored copies."""
    if layer_control:
        folium.LayerControl(collapsed=False, position="topright").add_to(m)
    return localise_assets(m, asset_base)


def _data_uri(path: Path) -> str:
    kind = {"png": "image/png", "svg": "image/svg+xml", "gif": "image/gif"}.get(
        path.suffix[1:].lower(), "application/octet-stream"
    )
    return f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode()}"


def standalone_html(
    m: folium.Map,
    *,
    asset_base: str = DEFAULT_ASSET_BASE,
    title: str = "Cluster Atlas Mongolia",
    note: str = "",
) -> str:
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

    def script(match: re.Match[str]) -> str:
        path = VENDOR_DIR / match.group(1)
        code = path.read_text(encoding="utf-8").replace("</script", "<\\/script")
        return f"<script>{code}</script>"

    def style(match: re.Match[str]) -> str:
        path = VENDOR_DIR / match.group(1)
        css = path.read_text(encoding="utf-8")
        folder = path.parent
        css = re.sub(
            r"url\((?!['\"]?(?:data:|#))['\"]?([^)'\"]+)['\"]?\)",
            lambda u: (
                f"url({_data_uri(folder / u.group(1))})"
                if (folder / u.group(1)).is_file()
                else u.group(0)
            ),
            css,
        )
        return f"<style>{css}</style>"

    html = re.sub(rf'<script src="{base}/([^"]+)"></script>', script, html)
    html = re.sub(rf'<link rel="stylesheet" href="{base}/([^"]+)"\s*/?>', style, html)
    head = f'<title>{escape_text(title)}</title><meta charset="utf-8">'
    html = html.replace("<head>", "<head>" + head, 1)
    if note:
        html = html.replace(
            "</body>",
            f"<p style='font:12px system-ui,sans-serif;margin:4px'>{escape_text(note)}</p></body>",
            1,
        )
    return html
