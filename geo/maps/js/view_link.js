/* Keeps the map view in the page address and offers a link to copy.
 * Loaded by geo/maps/controls.py (_ViewLink), which calls
 * camViewLink(map, base, restore, label, title) with escaped interface strings.
 *
 * On every move the centre and zoom go into the page's URL (lat, lon, z) without
 * reloading, and into the tab's sessionStorage, so that a filter change that redraws the
 * map keeps the view. The stored view is restored only while the map's initial view
 * (base) is the same one, so opening another link or saved view is not overridden. */

/**
 * @param {L.Map} map
 * @param {string} base  names the map's initial view
 * @param {boolean} restore  return to the view last seen in this tab
 * @param {string} label  the button's text
 * @param {string} title  the button's tooltip
 */
function camViewLink(map, base, restore, label, title) {
  var top = window;
  try { if (window.parent && window.parent.location.href) { top = window.parent; } }
  catch (e) { top = window; }
  var store = null;
  try { store = top.sessionStorage; } catch (e) { store = null; }
  function save() {
    var c = map.getCenter();
    var view = {lat: c.lat.toFixed(4), lon: c.lng.toFixed(4), z: String(map.getZoom()),
                base: base};
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
    if (v && restore && v.base === base) {
      map.setView([parseFloat(v.lat), parseFloat(v.lon)], parseFloat(v.z), {animate: false});
      map._camRestored = true;   // camNavigation leaves a restored view alone
    }
  } catch (e) {}
  map.on("moveend", save);
  save();     // a map opened at a given place (a search answer, "zoom to") says where it is
  var Control = L.Control.extend({
    options: {position: "topright"},
    onAdd: function () {
      var box = L.DomUtil.create("div", "leaflet-bar cam-link");
      box.style.background = "#fff"; box.style.padding = "3px 6px";
      box.style.font = "12px system-ui, sans-serif";
      var button = L.DomUtil.create("a", "", box);
      button.href = "#"; button.title = title;
      button.textContent = label;
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
}
