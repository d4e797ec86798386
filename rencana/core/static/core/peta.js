// Draws the boundaries embedded in the page (no tile server: the machine may be offline).
(function () {
  "use strict";
  var holder = document.getElementById("peta");
  var dataNode = document.getElementById("peta-data");
  if (!holder || !dataNode || typeof L === "undefined") { return; }
  var data = JSON.parse(dataNode.textContent);
  var map = L.map(holder, { attributionControl: true, zoomSnap: 0.25 });
  var layer = L.geoJSON(data, {
    style: function () { return { color: "#1d4e89", weight: 1.2, fillColor: "#8fb8de", fillOpacity: 0.45 }; },
    onEachFeature: function (feature, lyr) {
      var p = feature.properties || {};
      lyr.bindTooltip(p.nama + " (" + p.kode + ")", { sticky: true });
      lyr.on("mouseover", function () { lyr.setStyle({ fillOpacity: 0.75 }); });
      lyr.on("mouseout", function () { layer.resetStyle(lyr); });
    }
  }).addTo(map);
  map.fitBounds(layer.getBounds(), { padding: [10, 10] });
  map.attributionControl.addAttribution("Batas: cahyadsn/wilayah_boundaries (MIT)");
  holder.setAttribute("data-ready", "1");
})();
