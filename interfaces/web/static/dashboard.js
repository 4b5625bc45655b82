/* Draws the dashboard's charts from the JSON the page carries. The tables beside them hold
   the same numbers, so without JavaScript (or Chart.js) nothing is lost but the pictures. */
(function () {
  "use strict";
  var palette = ["#0b5e55", "#d08c00", "#2f6db5", "#a4161a", "#6a3d9a", "#5b6770", "#1e6b2e"];
  var stageColours = {
    pre_departure: "#2f6db5", placement: "#1e6b2e", returned: "#d08c00",
    reintegration: "#6a3d9a", closed: "#9aa5ad", cancelled: "#c9d1d6"
  };
  function draw() {
    var source = document.getElementById("dashboard-data");
    if (!source || typeof window.Chart === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    window.Chart.defaults.animation = false;  // old PCs: draw once, do not animate
    window.Chart.defaults.font.family = "system-ui, 'Segoe UI', Roboto, Arial, sans-serif";
    function colour(i) { return palette[i % palette.length]; }
    function make(id, type, chart, options) {
      var canvas = document.getElementById(id);
      if (!canvas || !chart || !chart.labels.length) { if (canvas) { canvas.parentNode.style.display = "none"; } return; }
      chart.datasets.forEach(function (set, i) {
        var c = set.stage ? stageColours[set.stage] : colour(i);
        set.backgroundColor = c; set.borderColor = c;
        if (type === "line") { set.fill = false; set.tension = 0.2; }
      });
      return new window.Chart(canvas, {
        type: type,
        data: chart,
        options: Object.assign({ responsive: true, maintainAspectRatio: false,
          plugins: { legend: { position: "bottom" } } }, options || {})
      });
    }
    var stacked = { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } };
    make("chart-stages", "bar", data.stages, stacked);
    make("chart-destinations", "bar", data.destinations, stacked);
    make("chart-pillars", "bar", data.pillars, stacked);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
