/* Names written on the map: aimags, the capital's districts, clusters, each kind shown
 * within its own range of zoom levels, never catching the mouse (the aimag under a name
 * stays clickable). Where names would overlap, the earlier one in the list wins (aimags,
 * then districts, then clusters from the largest). Loaded by geo/maps/labels.py (_Labels),
 * which calls camLabels(map, labels). Every text arrives escaped by geo.safety.escape_text. */

/**
 * @param {L.Map} map
 * @param {Array<Object>} labels  {lat, lon, text, kind, min, max}: a name, its kind
 *     (aimag, district, cluster) and the zoom levels at which it is written
 */
function camLabels(map, labels) {
  // a pane of their own, above the firms (600) and under the tooltips (650); the mouse goes
  // through it to the firm or aimag underneath
  if (!map.getPane("camLabels")) {
    var pane = map.createPane("camLabels");
    pane.style.zIndex = 640;
    pane.style.pointerEvents = "none";
  }
  var group = L.layerGroup();
  var probe = document.createElement("span");
  labels.forEach(function (label) {
    var icon = L.divIcon({
      className: "cam-label cam-label-" + label.kind,
      html: "<span>" + label.text + "</span>",
      iconSize: null
    });
    label.marker = L.marker([label.lat, label.lon],
                            {icon: icon, interactive: false, keyboard: false,
                             pane: "camLabels"});
    probe.innerHTML = label.text;                   // the text as shown, for its width
    label.width = 7 * probe.textContent.length + 6;
  });
  function update() {
    var zoom = map.getZoom();
    var taken = [];
    labels.forEach(function (label) {
      var shown = zoom >= label.min && zoom <= label.max;
      if (shown) {
        var at = map.latLngToLayerPoint([label.lat, label.lon]);
        var box = [at.x - label.width / 2, at.y - 9, at.x + label.width / 2, at.y + 9];
        shown = !taken.some(function (other) {
          return box[0] < other[2] && other[0] < box[2] && box[1] < other[3] && other[1] < box[3];
        });
        if (shown) { taken.push(box); }
      }
      if (shown && !group.hasLayer(label.marker)) { group.addLayer(label.marker); }
      if (!shown && group.hasLayer(label.marker)) { group.removeLayer(label.marker); }
    });
  }
  group.addTo(map);
  map.on("zoomend", update);
  update();
}
