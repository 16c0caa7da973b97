"""Controls drawn on the map: the collapsible legend and the view link."""

from __future__ import annotations

from collections.abc import Iterable

from branca.element import MacroElement
from folium.template import Template

from geo.safety import escape_text

__all__ = ["legend", "view_link_control"]

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
        super().__init__()  # type: ignore[no-untyped-call]
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
        super().__init__()  # type: ignore[no-untyped-call]
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
