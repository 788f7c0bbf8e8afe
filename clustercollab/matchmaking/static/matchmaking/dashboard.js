// Draws the organiser dashboard's charts from the JSON the page carries.
(function () {
  const source = document.getElementById("matchmaking-charts");
  if (!source || typeof Chart === "undefined") return;
  const charts = JSON.parse(source.textContent);
  const draw = (id, kind, series) => {
    const canvas = document.getElementById(id);
    if (!canvas) return;
    new Chart(canvas, {
      type: kind,
      data: { labels: series.labels, datasets: [{ data: series.data }] },
      options: { plugins: { legend: { display: kind !== "bar" } } },
    });
  };
  draw("chart-funnel", "bar", charts.funnel);
  draw("chart-by-country", "bar", charts.by_country);
  draw("chart-by-type", "doughnut", charts.by_type);
  draw("chart-requests", "bar", charts.requests);
  draw("chart-outcomes", "doughnut", charts.outcomes);
})();
