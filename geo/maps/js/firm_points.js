/* Firms as clustered circle markers from compact rows; popups assembled when opened.
 * Loaded by geo/maps/layers.py (_FirmPoints), which calls
 * camFirmPoints(map, look, packed, options) and names the returned layer.
 *
 * Rows are [lat, lon, sector, precision, employees, name, address] with sector and
 * precision as indexes into look; every text was escaped (geo.safety.escape_text) before
 * it was put in a row or in look. The rows arrive gzip-compressed in base64 (a fifth of
 * the JSON's size) and are unpacked with DecompressionStream, so the markers appear a
 * moment after the map. */

/**
 * @param {L.Map} map
 * @param {Object} look  colours, sectors, precisions (arrays) and labels (by name)
 * @param {string} packed  base64 of the gzip-compressed JSON rows
 * @param {Object} options  the marker cluster group's options
 * @returns {L.MarkerClusterGroup}
 */
function camFirmPoints(map, look, packed, options) {
  var cluster = L.markerClusterGroup(options);
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
    if (r.length <= 5) { html += "<tr><td colspan='2'>" + look.labels.more + "</td></tr>"; }
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
  var bytes = Uint8Array.from(atob(packed), function (c) { return c.charCodeAt(0); });
  new Response(new Blob([bytes]).stream().pipeThrough(
      new DecompressionStream("gzip"))).text().then(function (text) {
        draw(JSON.parse(text));
      });
  cluster.addTo(map);
  return cluster;
}
