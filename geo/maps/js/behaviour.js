/* The map's behaviour: a metric scale, focus without scrolling the page, touch screens,
 * a phone's first view, the scale's units in the page's language.
 * Loaded by geo/maps/base.py (_Behaviour), which calls camBehaviour(map, bounds, units).
 * No data-derived text reaches this script. */

/**
 * @param {L.Map} map
 * @param {Array} bounds  [[south, west], [north, east]] of the country
 * @param {?Object} units  the scale's units ({km, m}), or null for Leaflet's own
 */
function camBehaviour(map, bounds, units) {
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
  // on a phone a country-wide view (a link made on a wide screen, say) shows the whole
  // country, in the top of the map, so that it is on the first screen
  var width = window.innerWidth;
  try { width = window.top.innerWidth || width; } catch (e) {}
  if (width < 600) {
    var tries = 0;
    var fit = function () {
      var size = map.getSize();
      if (size.y < 100 && tries++ < 30) { setTimeout(fit, 100); return; }   // not laid out yet
      // the initial fit to the country may still be zooming: its end would undo this one
      if (map._animatingZoom) { map.once("zoomend", function () { setTimeout(fit, 0); }); return; }
      if (map.getZoom() < 6) {
        // the whole-country view is taller than the pan bounds on a narrow screen, which
        // would pull it back to their middle; a phone cannot drag the map away anyway
        map.setMaxBounds(null);
        map.invalidateSize();
        var country = L.latLngBounds(bounds);
        var below = Math.max(0, size.y - size.x * 0.8);          // room left under it
        var zoom = map.getBoundsZoom(country, false, L.point(8, 8 + below));
        var centre = map.project(country.getCenter(), zoom).add([0, below / 2]);
        map.setView(map.unproject(centre, zoom), zoom, {reset: true});
      }
    };
    setTimeout(fit, 0);
  }
  // the scale in the page's language
  if (units) {
    var relabel = function () {
      container.querySelectorAll(".leaflet-control-scale-line").forEach(function (line) {
        line.textContent = line.textContent.replace(/ km$/, " " + units.km).replace(/ m$/, " " + units.m);
      });
    };
    map.on("zoomend moveend", relabel);
    setTimeout(relabel, 0);
  }
}
