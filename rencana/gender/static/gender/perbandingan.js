// Choropleth of the regional comparison (gender/compare.html): fetches the page's GeoJSON endpoint
// (data-geojson) and colours each kabupaten/kota by the class colour the server computed (`warna`), the
// same colours as the bar chart and the legend. No tile server (the machine may be offline). Texts come
// translated from the server (`label`, data-error) and are set as text, never as markup.
(function () {
  "use strict";
  var holder = document.getElementById("peta-perbandingan");
  if (!holder || typeof L === "undefined" || !window.fetch) { return; }
  var url = holder.getAttribute("data-geojson");
  if (!url) { return; }
  var HIGHLIGHT = "#b42318";

  function styleOf(feature) {
    var p = feature.properties || {};
    if (p.sorot) {
      return { color: HIGHLIGHT, weight: 4, fillColor: p.warna, fillOpacity: 0.9 };
    }
    return { color: "#59636e", weight: 0.8, fillColor: p.warna, fillOpacity: 0.85 };
  }

  fetch(url, { credentials: "same-origin", headers: { "Accept": "application/geo+json" } })
    .then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    })
    .then(function (data) {
      var map = L.map(holder, { attributionControl: true, zoomSnap: 0.25 });
      var highlighted = null;
      var layer = L.geoJSON(data, {
        style: styleOf,
        onEachFeature: function (feature, lyr) {
          var p = feature.properties || {};
          var tip = document.createElement("span");
          tip.textContent = p.label || p.nama;
          lyr.bindTooltip(tip, { sticky: true });
          lyr.on("mouseover", function () { lyr.setStyle({ weight: 2.5 }); });
          lyr.on("mouseout", function () { layer.resetStyle(lyr); });
          if (p.sorot) { highlighted = lyr; }
        }
      }).addTo(map);
      if (highlighted) { highlighted.bringToFront(); }
      if (layer.getLayers().length) {
        map.fitBounds(layer.getBounds(), { padding: [10, 10] });
      } else {
        map.setView([-2.5, 118], 4);
      }
      map.attributionControl.addAttribution("Sumber: BPS; batas: cahyadsn/wilayah_boundaries (MIT)");
      holder.setAttribute("data-ready", "1");
    })
    .catch(function () {
      holder.setAttribute("data-ready", "0");
      var note = document.createElement("p");
      note.className = "empty";
      note.textContent = holder.getAttribute("data-error") || "";
      holder.appendChild(note);
    });
})();
