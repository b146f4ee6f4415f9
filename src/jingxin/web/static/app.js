// Draws every chart of a page from the options the server computed for it (no requests;
// a map fetches its boundaries once, from the platform itself).
(function () {
  "use strict";
  var charts = [];
  function draw(el, options) {
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(options);
    charts.push(chart);
  }
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var data = document.getElementById(el.id + "-options");
    if (!data) { return; }
    var options = JSON.parse(data.textContent);
    if (typeof window.echarts === "undefined") {
      el.innerHTML = '<p class="missing">图表脚本未安装，无法显示图表。</p>';
      return;
    }
    if (!el.dataset.map) { draw(el, options); return; }
    fetch(el.dataset.map, { credentials: "same-origin" })
      .then(function (r) {
        if (!r.ok) { throw new Error(r.status); }
        return r.json();
      })
      .then(function (geo) {
        window.echarts.registerMap(options.series[0].map, geo);
        draw(el, options);
      })
      .catch(function () {
        el.innerHTML = '<p class="missing">区县边界读取失败，无法显示地图。</p>';
      });
  });
  window.jingxinCharts = charts;
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
