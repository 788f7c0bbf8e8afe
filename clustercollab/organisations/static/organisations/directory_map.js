// The directory map: country choropleth of the result counts, clustered markers with popups.
// Data comes from the directory's GeoJSON endpoint with the page's own query string.
(function () {
  "use strict";

  function escapeHtml(text) {
    const div = document.createElement("div");
    div.textContent = text;
    return div.innerHTML;
  }

  function colour(count, max) {
    if (!count) return "#f4f6f9";
    const steps = ["#dbe7f5", "#b3cde9", "#7fa9d6", "#4d84c1", "#255ea3", "#123e75"];
    const index = Math.min(steps.length - 1, Math.floor((Math.log(count) / Math.log(max + 1)) * steps.length));
    return steps[index];
  }

  async function start() {
    const element = document.getElementById("directory-map");
    if (!element || typeof L === "undefined") return;
    const status = document.getElementById("map-status");
    const map = L.map(element, { preferCanvas: true, worldCopyJump: true, maxZoom: 18 }).setView([52, 12], 4);
    if (element.dataset.tiles) {
      L.tileLayer(element.dataset.tiles, { attribution: element.dataset.attribution, maxZoom: 18 }).addTo(map);
    } else {
      element.classList.add("no-tiles");
    }
    const [outlines, points] = await Promise.all([
      fetch(element.dataset.outlines).then((r) => r.json()),
      fetch(element.dataset.points, { headers: { Accept: "application/geo+json" } }).then((r) => r.json()),
    ]);
    const counts = points.countries || {};
    const max = Math.max(1, ...Object.values(counts));
    L.geoJSON(outlines, {
      style: (feature) => ({
        color: "#8a96a8",
        weight: 0.6,
        fillOpacity: 0.85,
        fillColor: colour(counts[feature.properties.code] || 0, max),
      }),
      onEachFeature: (feature, layer) => {
        const n = counts[feature.properties.code] || 0;
        layer.bindTooltip(`${escapeHtml(feature.properties.name)}: ${n} ${element.dataset.textProfiles}`);
      },
    }).addTo(map);
    const legend = L.control({ position: "bottomleft" });
    legend.onAdd = () => {
      const div = L.DomUtil.create("div", "map-legend");
      const steps = [1, Math.ceil(max / 10), Math.ceil(max / 3), max].filter((v, i, a) => a.indexOf(v) === i);
      div.innerHTML = `<strong>${escapeHtml(element.dataset.textLegend)}</strong><br>` +
        steps.map((n) => `<i style="background:${colour(n, max)}"></i> ${n}`).join("<br>");
      return div;
    };
    legend.addTo(map);
    const cluster = L.markerClusterGroup({ chunkedLoading: true, showCoverageOnHover: false });
    const profileUrl = element.dataset.profileUrl;
    const markers = points.features.map((feature) => {
      const [lon, lat] = feature.geometry.coordinates;
      const marker = L.marker([lat, lon], { title: feature.properties.name });
      const url = profileUrl.replace("/0/", `/${feature.properties.id}/`);
      marker.bindPopup(`<strong>${escapeHtml(feature.properties.name)}</strong><br><a href="${url}">${element.dataset.textOpen}</a>`);
      return marker;
    });
    cluster.addLayers(markers);
    map.addLayer(cluster);
    if (markers.length) map.fitBounds(cluster.getBounds(), { maxZoom: 9, padding: [20, 20] });
    element.dataset.total = points.total;
    element.dataset.drawn = markers.length;
    const unplaced = points.total - markers.length;
    status.textContent = `${markers.length} ${element.dataset.textPlaced}` +
      (unplaced > 0 ? `; ${unplaced} ${element.dataset.textUnplaced}` : "");
  }

  document.addEventListener("DOMContentLoaded", () => {
    start().catch((error) => {
      const status = document.getElementById("map-status");
      if (status) status.textContent = String(error);
    });
  });
})();
