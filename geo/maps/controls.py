"""Controls drawn on the map: the collapsible legend, the view link, whole country and full screen."""

from __future__ import annotations

from collections.abc import Iterable

from branca.element import MacroElement
from folium.template import Template

from geo.maps.assets import browser_script
from geo.safety import escape_text

__all__ = ["legend", "view_link_control"]


class _Legend(MacroElement):
    """The legend box; its script (``js/legend.js``) folds it on a phone."""

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
{{ this.source }}
camLegend();
})();
{% endmacro %}
""")

    def __init__(self, body: str, title: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "Legend"
        self.body = body
        self.title = title
        self.source = browser_script("legend")


def legend(
    sections: Iterable[tuple[str, Iterable[tuple[str, str]]]], title: str = "Legend", note: str = ""
) -> MacroElement:
    """A collapsible legend box: sections of (title, [(label, colour), ...]) and an
    optional note, all text escaped."""
    parts = []
    for heading, items in sections:
        rows = "".join(
            f"<div><span style='display:inline-block;width:12px;height:12px;"
            f"background:{escape_text(colour)};margin-right:5px;border:1px solid #777;"
            f"vertical-align:middle'></span>{escape_text(label)}</div>"
            for label, colour in items
        )
        parts.append(
            f"<div style='font-weight:600;margin-top:3px'>{escape_text(heading)}</div>{rows}"
        )
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
    shows the address to copy. No data-derived text is involved. The script is
    ``js/view_link.js``.
    """

    _template = Template("""
{% macro script(this, kwargs) %}
(function () {
{{ this.source }}
camViewLink({{ this._parent.get_name() }}, {{ this.base|tojson }}, {{ this.restore|tojson }},
            {{ this.label|tojson }}, {{ this.title|tojson }});
})();
{% endmacro %}
""")

    def __init__(self, label: str, title: str, restore: bool, base: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "ViewLink"
        self.label = label
        self.title = title
        self.restore = restore
        self.base = base
        self.source = browser_script("view_link")


def view_link_control(
    label: str = "Link",
    title: str = "Copy the link to this view",
    restore: bool = True,
    base: str = "auto",
) -> MacroElement:
    """The map's "copy link" control and its URL view sync (see :class:`_ViewLink`).

    ``restore`` lets a redrawn map return to the view last seen in this tab,
    as long as its initial view ``base`` is unchanged. The label and title
    are interface strings, escaped and passed as JSON strings.
    """
    return _ViewLink(escape_text(label), escape_text(title), restore, str(base))


class _Navigation(MacroElement):
    """The "whole country" and "full screen" buttons (``js/navigation.js``); the
    country fitted beside the open legend when the map opens on it."""

    _template = Template("""
{% macro script(this, kwargs) %}
(function () {
{{ this.source }}
camNavigation({{ this._parent.get_name() }}, {{ this.bounds|tojson }}, {{ this.fit|tojson }},
              {{ this.labels|tojson }});
})();
{% endmacro %}
""")

    def __init__(self, bounds: list[list[float]], fit: bool, labels: dict[str, str]) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "Navigation"
        self.bounds = bounds
        self.fit = fit
        self.labels = labels
        self.source = browser_script("navigation")


def navigation_control(
    bounds: list[list[float]],
    *,
    fit: bool = True,
    country: str = "Whole country",
    fullscreen: str = "Full screen",
) -> MacroElement:
    """Buttons for the whole country (``bounds``, ``[[south, west], [north, east]]``) and
    full screen; with ``fit`` the map is fitted to the country beside the legend once drawn.
    The names are interface strings, escaped and passed as JSON strings."""
    return _Navigation(
        [[float(v) for v in corner] for corner in bounds],
        bool(fit),
        {"country": escape_text(country), "fullscreen": escape_text(fullscreen)},
    )
