// Draws the statistics charts (Chart.js) and choropleth maps (Leaflet) from the JSON the page
// carries; the tables beside them hold the same figures for readers without JavaScript.
(function () {
  "use strict";

  const PALETTE = ["#255ea3", "#e07b39", "#3a9a5b", "#b8405e", "#7a5cb0", "#c9a227", "#4aa3b5"];

  function read(id) {
    const element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : [];
  }

  function drawChart(chart) {
    const canvas = document.getElementById(`chart-${chart.key}`);
    if (!canvas || typeof Chart === "undefined") return;
    const round = chart.type === "doughnut";
    const datasets = chart.datasets.map((dataset, index) => ({
      label: dataset.label,
      data: dataset.data,
      backgroundColor: round ? chart.labels.map((_l, i) => PALETTE[i % PALETTE.length]) : PALETTE[index % PALETTE.length],
      borderColor: round ? "#fff" : PALETTE[index % PALETTE.length],
      tension: 0.2,
      pointRadius: 0,
    }));
    const instance = new Chart(canvas, {
      type: chart.type,
      data: { labels: chart.labels, datasets: datasets },
      options: {
        animation: false,
        maintainAspectRatio: false,
        indexAxis: chart.type === "bar" && chart.datasets.length === 1 ? "y" : "x",
        plugins: { legend: { display: round || chart.datasets.length > 1 } },
      },
    });
    canvas.dataset.drawn = "true";
    canvas.chart = instance;
  }

  function colour(count, max) {
    if (!count) return "#f4f6f9";
    const steps = ["#dbe7f5", "#b3cde9", "#7fa9d6", "#4d84c1", "#255ea3", "#123e75"];
    const index = Math.min(steps.length - 1, Math.floor((Math.log(count) / Math.log(max + 1)) * steps.length));
    return steps[index];
  }

  async function drawMap(map) {
    const element = document.getElementById(`map-${map.key}`);
    if (!element || typeof L === "undefined") return;
    const view = L.map(element, { preferCanvas: true, maxZoom: 10 }).setView([52, 12], 3);
    if (element.dataset.tiles) {
      L.tileLayer(element.dataset.tiles, { attribution: element.dataset.attribution }).addTo(view);
    }
    const outlines = await fetch(map.outlines).then((response) => response.json());
    const max = Math.max(1, ...Object.values(map.values));
    L.geoJSON(outlines, {
      style: (feature) => ({
        color: "#8a96a8",
        weight: 0.6,
        fillOpacity: 0.85,
        fillColor: colour(map.values[feature.properties.code] || 0, max),
      }),
      onEachFeature: (feature, layer) => {
        const name = document.createElement("span");
        name.textContent = `${feature.properties.name}: ${map.values[feature.properties.code] || 0}`;
        layer.bindTooltip(name);
      },
    }).addTo(view);
    // How many areas have a value: lets a reader (and a test) check the map against the table.
    element.dataset.shaded = outlines.features.filter((f) => map.values[f.properties.code]).length;
    element.dataset.drawn = "true";
  }

  read("insights-charts").forEach(drawChart);
  read("insights-maps").forEach(drawMap);
})();
