// The campaign map: one marker per event with coordinates; tiles only when a tile URL is set.
(function () {
  "use strict";
  var element = document.getElementById("campaign-map");
  var data = document.getElementById("campaign-markers");
  if (!element || !data || typeof L === "undefined") { return; }
  var markers = JSON.parse(data.textContent);
  var map = L.map(element, { scrollWheelZoom: false }).setView([50, 10], 3);
  var tileUrl = document.getElementById("campaign-map-script").dataset.tileUrl;
  if (tileUrl) { L.tileLayer(tileUrl, { maxZoom: 18 }).addTo(map); }
  var bounds = [];
  markers.forEach(function (m) {
    var link = document.createElement("a");
    link.href = m.url;
    link.textContent = m.title;
    L.circleMarker([m.lat, m.lon], { radius: 7, weight: 2 }).bindPopup(link).addTo(map);
    bounds.push([m.lat, m.lon]);
  });
  if (bounds.length) { map.fitBounds(bounds, { maxZoom: 8, padding: [20, 20] }); }
})();
