/* The legend starts closed on a small screen (the page's, not this frame's, which may not
 * be laid out yet), where it would cover the country; a tap opens it.
 * Loaded by geo/maps/controls.py (_Legend), which calls camLegend(). */

function camLegend() {
  var width = window.innerWidth;
  try { width = window.top.innerWidth || width; } catch (e) {}
  if (width < 600) {
    document.querySelectorAll("details.cam-legend").forEach(function (d) { d.open = false; });
  }
}
