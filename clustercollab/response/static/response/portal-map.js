// The response portal's map: open offers (green) and requests (red) from the GeoJSON endpoint.
// It needs no tile server: without a configured tile URL the points are drawn on a blank map.
(function () {
  "use strict";
  const element = document.getElementById("response-map");
  if (!element || typeof L === "undefined") return;
  const map = L.map(element, { worldCopyJump: true }).setView([50, 10], 4);
  if (element.dataset.tiles) {
    L.tileLayer(element.dataset.tiles, { maxZoom: 18 }).addTo(map);
  }
  const colours = { offer: "#1b7f3b", request: "#b3261e" };
  const labels = { offer: element.dataset.offerLabel, request: element.dataset.requestLabel };
  fetch(element.dataset.geojson, { headers: { Accept: "application/json" } })
    .then((response) => response.json())
    .then((data) => {
      const layer = L.geoJSON(data, {
        pointToLayer: (feature, latlng) =>
          L.circleMarker(latlng, {
            radius: 7,
            color: colours[feature.properties.side],
            fillOpacity: 0.7,
          }),
        onEachFeature: (feature, marker) => {
          const p = feature.properties;
          const link = document.createElement("a");
          link.href = p.url;
          link.textContent = p.item;
          const box = document.createElement("div");
          box.append(labels[p.side] + ": ", link, ` — ${p.remaining} ${p.unit} · ${p.organisation}`);
          marker.bindPopup(box);
        },
      }).addTo(map);
      element.dataset.count = String(data.features.length);
      if (data.features.length) map.fitBounds(layer.getBounds(), { maxZoom: 7, padding: [20, 20] });
    });
})();
