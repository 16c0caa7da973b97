"""The Leaflet map component, rendered once per view and shared by every session.

``streamlit_folium.st_folium`` renders the folium map to HTML and JavaScript on
every rerun of every session: for the demo's default view that is about a
third of the Python a page costs. A view's map depends only on the view (its
dataset version, language and parameters), so here the rendered component
arguments are computed once per view key with ``st.cache_data`` and handed to
streamlit-folium's own front end. Thirty people opening one link render the
map once.

:func:`component_args` reproduces what ``st_folium`` sends (a test compares the
two for the pinned streamlit-folium release). It needs a few of streamlit-folium's
private functions (:data:`PRIVATE_FUNCTIONS`); when a release renames or changes
them, :func:`map_component` uses the public ``st_folium`` instead (the map is then
built on every run, as ``st_folium`` does), chosen automatically: at import when a
function is missing, and at the first failure otherwise.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable, Iterable
from typing import Any

import branca
import folium
import folium.elements
import streamlit as st
import streamlit_folium as sf

LOG = logging.getLogger(__name__)

#: streamlit-folium's private functions the cached path calls, with the parameters it passes.
PRIVATE_FUNCTIONS: dict[str, tuple[str, ...]] = {
    "_get_html": ("fig",),
    "_get_header": ("fig",),
    "_get_map_string": ("fig",),
    "get_full_id": ("m",),
    "generate_js_hash": ("js_string", "key", "return_on_hover"),
    "_component_func": (),
}


def private_api_usable(module: Any = sf) -> bool:
    """Whether ``module`` (streamlit_folium) still has the private functions the cached
    path calls, taking the parameters it passes."""
    for name, parameters in PRIVATE_FUNCTIONS.items():
        function = getattr(module, name, None)
        if not callable(function):
            return False
        try:
            signature = inspect.signature(function)
        except (TypeError, ValueError):
            continue
        if list(signature.parameters)[: len(parameters)] != list(parameters):
            return False
    return True


#: Which path :func:`map_component` takes: "cached" (private functions) or "public".
MODE = "cached" if private_api_usable() else "public"

DEFAULT_RETURNS: dict[str, Any] = {
    "last_clicked": None,
    "last_object_clicked": None,
    "last_object_clicked_count": None,
    "last_object_clicked_tooltip": None,
    "last_object_clicked_popup": None,
    "all_drawings": None,
    "last_active_drawing": None,
    "bounds": None,
    "zoom": None,
    "last_circle_radius": None,
    "last_circle_polygon": None,
    "selected_layers": None,
    "selected_tags": None,
    "last_geocoder_result": None,
}


def _bounds_dict(bounds: list[list[float | None]]) -> dict[str, dict[str, float | None]]:
    (south, west), (north, east) = bounds
    return {"_southWest": {"lat": south, "lng": west}, "_northEast": {"lat": north, "lng": east}}


def _walk(element) -> Iterable[Any]:
    if isinstance(element, branca.colormap.ColorMap | folium.elements.JSCSSMixin):
        yield element
    for child in getattr(element, "_children", {}).values():
        yield from _walk(child)


def component_args(
    fmap: folium.Map, key: str, returned_objects: Iterable[str] | None = None
) -> dict[str, Any]:
    """The arguments ``st_folium`` passes to its front end for ``fmap``.

    Parameters
    ----------
    fmap : folium.Map
        A map that has not been rendered yet (rendering it twice duplicates its
        header).
    key : str
        The widget key the page gives the map.
    returned_objects : iterable of str, optional
        What the map reports back (all when None).

    Returns
    -------
    dict
        ``script``, ``header``, ``html``, ``id``, ``key`` (the component's hash key),
        ``default`` and the ``css_links`` and ``js_links`` served by the app.
    """
    fmap.get_root().render()
    fmap.render()
    html = sf._get_html(fmap)
    header = sf._get_header(fmap)
    script = sf._get_map_string(fmap)
    try:
        bounds = fmap.get_bounds()
    except AttributeError:
        bounds = [[None, None], [None, None]]
    defaults = {
        **DEFAULT_RETURNS,
        "bounds": _bounds_dict(bounds),
        "zoom": fmap.options.get("zoom") if hasattr(fmap, "options") else {},
    }
    returned = None if returned_objects is None else list(returned_objects)
    if returned is not None:
        defaults = {k: v for k, v in defaults.items() if k in returned}
    css_links: list[str] = []
    js_links: list[str] = []
    for element in _walk(fmap):
        if isinstance(element, branca.colormap.ColorMap):
            raise ValueError("branca colour maps load d3 from a CDN; draw legends as HTML")
        css_links.extend(href for _, href in getattr(element, "default_css", []))
        js_links.extend(src for _, src in getattr(element, "default_js", []))
    return {
        "script": script,
        "header": header,
        "html": html,
        "id": sf.get_full_id(fmap),
        "key": sf.generate_js_hash(script, key, False),
        "default": defaults,
        "returned_objects": returned,
        "css_links": list(dict.fromkeys(css_links)),
        "js_links": list(dict.fromkeys(js_links)),
    }


@st.cache_data(show_spinner=False, max_entries=48)
def _cached_args(
    view_key: str,
    key: str,
    returned_objects: tuple[str, ...] | None,
    _build: Callable[[], folium.Map],
) -> dict[str, Any]:
    return component_args(_build(), key, returned_objects)


def map_component(
    build: Callable[[], folium.Map],
    view_key: str,
    *,
    key: str,
    height: int,
    returned_objects: Iterable[str] | None = None,
    on_change: Callable[[dict], None] | None = None,
) -> dict | None:
    """Show the map of a view; build it only when no session has shown this view yet.

    Parameters
    ----------
    build : callable
        Makes the view's folium map (called on a cache miss only).
    view_key : str
        Everything the map depends on (dataset and its version, language, view);
        two calls with one key must build the same map.
    key : str
        Widget key; after an interaction ``st.session_state[key]`` holds what
        the map returned, as with ``st_folium``.
    height : int
        Height in pixels; the map takes the container's width.
    returned_objects : iterable of str, optional
        What the map reports back (all when None).
    on_change : callable, optional
        Called with what the map returned when it reports something new, as a
        widget callback: before the page runs, so it may change widget state.

    Returns
    -------
    dict or None
        What the map returned (``st_folium``'s dictionary).
    """
    global MODE
    returned = None if returned_objects is None else tuple(returned_objects)
    if MODE == "cached":
        try:
            args = _cached_args(view_key, key, returned, build)
        except (AttributeError, TypeError, ValueError) as exc:
            if isinstance(exc, ValueError) and "CDN" in str(exc):
                raise
            LOG.warning(
                "streamlit-folium's private functions changed (%s); "
                "the map falls back to the public st_folium",
                exc,
            )
            MODE = "public"
    if MODE == "public":
        return public_map_component(
            build, key=key, height=height, returned_objects=returned, on_change=on_change
        )
    hash_key = args["key"]

    def changed() -> None:
        value = st.session_state.get(hash_key) or {}
        st.session_state[key] = value
        if on_change is not None:
            on_change(dict(value))

    return sf._component_func(
        script=args["script"],
        header=args["header"],
        html=args["html"],
        id=args["id"],
        key=hash_key,
        height=height,
        width=None,
        returned_objects=args["returned_objects"],
        default=args["default"],
        zoom=None,
        center=None,
        feature_group=None,
        return_on_hover=False,
        layer_control=None,
        pixelated=False,
        css_links=args["css_links"],
        js_links=args["js_links"],
        on_change=changed,
        wrap_longitude=False,
    )


def public_map_component(
    build: Callable[[], folium.Map],
    *,
    key: str,
    height: int,
    returned_objects: Iterable[str] | None = None,
    on_change: Callable[[dict], None] | None = None,
) -> dict | None:
    """The same as :func:`map_component` through streamlit-folium's public ``st_folium``
    (builds and renders the map on every run)."""

    def changed() -> None:
        if on_change is not None:
            on_change(dict(st.session_state.get(key) or {}))

    returned = None if returned_objects is None else list(returned_objects)
    result: dict | None = sf.st_folium(
        build(),
        key=key,
        height=height,
        use_container_width=True,
        returned_objects=returned,
        on_change=changed,
    )
    return result
