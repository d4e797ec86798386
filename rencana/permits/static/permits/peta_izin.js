// Maps of the permits module (permits/map_upload.html, permits/forest_layers.html), drawn with Leaflet from
// django-leaflet's static files. No tile server (the machine may be offline). The data is either fetched
// from the page's GeoJSON endpoint (data-geojson) or read from a JSON data block (<id>-data). Each feature's
// `peran` picks its style; its `label` (translated by the server) is set as text, never as markup.
(function () {
  "use strict";
  if (typeof L === "undefined") { return; }

  var STYLES = {
    kawasan: { color: "#1a7f37", weight: 1, fillColor: "#a7d7b0", fillOpacity: 0.35 },
    di_luar_kawasan: { color: "#9a6700", weight: 2, dashArray: "4 3", fillColor: "#f2c14e", fillOpacity: 0.6 },
    lain: { color: "#59636e", weight: 1.5, dashArray: "6 4", fillColor: "#c9d1d9", fillOpacity: 0.3 },
    tumpang_tindih: { color: "#b42318", weight: 2, fillColor: "#e5534b", fillOpacity: 0.65 },
    permohonan: { color: "#1d4e89", weight: 3, fillColor: "#8fb8de", fillOpacity: 0.25 }
  };
  var FOCUS = { permohonan: true, kawasan: false };

  function styleOf(feature) {
    var p = feature.properties || {};
    return STYLES[p.peran] || STYLES.permohonan;
  }

  function fail(holder) {
    holder.setAttribute("data-ready", "0");
    var note = document.createElement("p");
    note.className = "empty";
    note.textContent = holder.getAttribute("data-error") || "";
    holder.appendChild(note);
  }

  function draw(holder, data) {
    var map = L.map(holder, { attributionControl: true, zoomSnap: 0.25 });
    var focus = null;
    var layer = L.geoJSON(data, {
      style: styleOf,
      onEachFeature: function (feature, lyr) {
        var p = feature.properties || {};
        if (p.label) {
          var tip = document.createElement("span");
          tip.textContent = p.label;
          lyr.bindTooltip(tip, { sticky: true });
        }
        if (FOCUS[p.peran] && !focus) { focus = lyr; }
      }
    }).addTo(map);
    // Draw order: the layer first, the application's own area on top.
    layer.eachLayer(function (lyr) {
      var p = (lyr.feature && lyr.feature.properties) || {};
      if (p.peran === "tumpang_tindih" || p.peran === "di_luar_kawasan") { lyr.bringToFront(); }
    });
    if (focus) { focus.bringToFront(); }
    var bounds = focus ? focus.getBounds() : (layer.getLayers().length ? layer.getBounds() : null);
    if (bounds && bounds.isValid()) {
      map.fitBounds(bounds.pad(focus ? 0.4 : 0.05));
    } else {
      map.setView([-2.5, 118], 4);
    }
    L.control.scale({ imperial: false }).addTo(map);
    holder.setAttribute("data-ready", "1");
  }

  function start(id) {
    var holder = document.getElementById(id);
    if (!holder) { return; }
    var url = holder.getAttribute("data-geojson");
    if (url) {
      if (!window.fetch) { fail(holder); return; }
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/geo+json" } })
        .then(function (response) {
          if (!response.ok) { throw new Error("HTTP " + response.status); }
          return response.json();
        })
        .then(function (data) { draw(holder, data); })
        .catch(function () { fail(holder); });
      return;
    }
    var node = document.getElementById(id + "-data");
    if (!node) { return; }
    try {
      draw(holder, JSON.parse(node.textContent));
    } catch (e) {
      fail(holder);
    }
  }

  start("peta-izin");
  start("peta-kawasan");
})();
