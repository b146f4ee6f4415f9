// Draws every chart of a page from the options the server computed for it (no requests).
(function () {
  "use strict";
  var charts = [];
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var data = document.getElementById(el.id + "-options");
    if (!data) { return; }
    var options = JSON.parse(data.textContent);
    if (typeof window.echarts === "undefined") {
      el.innerHTML = '<p class="missing">图表脚本未安装，无法显示图表。</p>';
      return;
    }
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(options);
    charts.push(chart);
  });
  window.jingxinCharts = charts;
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
