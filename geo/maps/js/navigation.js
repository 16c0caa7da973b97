/* The map's own navigation: "whole country" and "full screen" buttons under the zoom
 * buttons, reachable by keyboard (links with a role and a name), and the country fitted
 * beside the legend rather than under it.
 * Loaded by geo/maps/controls.py (_Navigation), which calls
 * camNavigation(map, bounds, fitNow, labels) with escaped interface strings. */

/**
 * Fit `bounds` beside the legend: when the open legend can sit left of the country at a
 * zoom at most half a step smaller, the country is fitted to its right; when it cannot
 * (a narrow map), the legend is folded to its title, which a click opens.
 * @param {L.Map} map
 * @param {Array} bounds  [[south, west], [north, east]]
 */
function camFitCountry(map, bounds) {
  var pad = L.point(10, 10);
  var legend = map.getContainer().ownerDocument.querySelector("details.cam-legend");
  if (legend && legend.open) {
    var beside = L.point(legend.offsetWidth + 20, 10);
    var box = L.latLngBounds(bounds);
    if (map.getBoundsZoom(box, false, beside.add(pad)) >=
        map.getBoundsZoom(box, false, pad.multiplyBy(2)) - 0.5) {
      pad = beside;
    } else {
      legend.open = false;
    }
  }
  map.fitBounds(bounds, {paddingTopLeft: pad, paddingBottomRight: [10, 10], animate: false});
}

/**
 * @param {L.Map} map
 * @param {Array} bounds  the country, [[south, west], [north, east]]
 * @param {boolean} fitNow  the map opened on the whole country (no link, view or restore)
 * @param {Object} labels  the buttons' names (country, fullscreen)
 */
function camNavigation(map, bounds, fitNow, labels) {
  var SVG = "http://www.w3.org/2000/svg";
  function icon(a, path) {     // a fixed drawing: no text from data
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("width", "16"); svg.setAttribute("height", "16");
    svg.setAttribute("aria-hidden", "true");
    svg.style.verticalAlign = "middle";
    var p = document.createElementNS(SVG, "path");
    p.setAttribute("d", path);
    p.setAttribute("fill", "none"); p.setAttribute("stroke", "#1b1b1b");
    p.setAttribute("stroke-width", "2.2"); p.setAttribute("stroke-linecap", "round");
    p.setAttribute("stroke-linejoin", "round");
    svg.appendChild(p);
    a.appendChild(svg);
  }
  function button(box, path, title, action) {
    var a = L.DomUtil.create("a", "cam-nav", box);
    a.href = "#";
    icon(a, path);
    a.title = title;
    a.setAttribute("role", "button");
    a.setAttribute("aria-label", title);
    L.DomEvent.on(a, "click", function (e) {
      L.DomEvent.stop(e);
      action();
    });
    return a;
  }
  var Control = L.Control.extend({
    options: {position: "topleft"},
    onAdd: function () {
      var box = L.DomUtil.create("div", "leaflet-bar cam-navigation");
      // a house (the whole country) and four corners (full screen)
      button(box, "M4 11l8-7 8 7M6 9.5V20h12V9.5", labels.country, function () { camFitCountry(map, bounds); });
      var doc = map.getContainer().ownerDocument;
      var root = doc.documentElement;
      if (root.requestFullscreen) {
        button(box, "M4 9V4h5M15 4h5v5M20 15v5h-5M9 20H4v-5", labels.fullscreen, function () {
          if (doc.fullscreenElement) { doc.exitFullscreen(); }
          else { root.requestFullscreen().catch(function () {}); }
        });
        var container = map.getContainer();
        var height = container.style.height;
        doc.addEventListener("fullscreenchange", function () {
          // the map takes the whole screen, not its height on the page
          container.style.height = doc.fullscreenElement ? "100vh" : height;
          setTimeout(function () { map.invalidateSize(); }, 50);
        });
      }
      L.DomEvent.disableClickPropagation(box);
      return box;
    }
  });
  new Control().addTo(map);
  if (fitNow && !map._camRestored) {
    // after the legend is laid out (and folded on a phone)
    setTimeout(function () { camFitCountry(map, bounds); }, 0);
  } else {
    // a map opened at a place (a link, a search answer): a legend wider than 40 % of the
    // map starts folded to its title, as it does beside the whole country
    setTimeout(function () {
      var legend = map.getContainer().ownerDocument.querySelector("details.cam-legend");
      if (legend && legend.open && legend.offsetWidth > map.getSize().x * 0.4) {
        legend.open = false;
      }
    }, 0);
  }
}
