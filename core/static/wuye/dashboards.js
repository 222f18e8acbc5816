/* Draw each chart of the dashboards page with the vendored Apache ECharts (no network). */
(function () {
  "use strict";
  var node = document.getElementById("wuye-charts");
  if (!node || typeof echarts === "undefined") { return; }
  var charts = JSON.parse(node.textContent || "[]");
  var drawn = [];
  function axisFormatter(unit) {
    return unit === "%" ? "{value}%" : "{value}";
  }
  function crowded(labels) {  // long labels side by side overlap: tilt them
    var chars = labels.reduce(function (n, l) { return n + String(l).length; }, 0);
    return labels.length > 6 || chars > 40;
  }
  charts.forEach(function (c) {
    var el = document.getElementById("chart-" + c.id);
    if (!el) { return; }
    var chart = echarts.init(el);
    var option;
    if (c.kind === "pie") {
      var s = c.series[0] || {name: "", values: []};
      option = {
        tooltip: {trigger: "item"}, legend: {type: "scroll", bottom: 0},
        series: [{name: s.name, type: "pie", radius: ["35%", "65%"],
                  data: c.categories.map(function (name, i) { return {name: name, value: s.values[i]}; })
                    .filter(function (d) { return d.value; })}]
      };
    } else {
      // Rate charts carry billed / paid amounts and the rate: amounts as bars, the rate as a line on its own axis.
      var rate = c.unit === "%" && c.series.length > 1;
      option = {
        tooltip: {trigger: "axis"}, legend: {top: 0},
        grid: {left: 50, right: rate ? 50 : 20, bottom: 60, top: 36},
        xAxis: {type: "category", data: c.categories, axisLabel: {interval: 0, rotate: crowded(c.categories) ? 30 : 0}},
        yAxis: rate ? [{type: "value", name: "¥"}, {type: "value", name: "%", max: 100, axisLabel: {formatter: "{value}%"}}]
                    : [{type: "value", minInterval: c.unit ? 0 : 1, axisLabel: {formatter: axisFormatter(c.unit)}}],
        series: c.series.map(function (s, i) {
          var isRate = rate && i === c.series.length - 1;
          return {name: s.name, type: isRate || c.kind === "line" ? "line" : "bar", data: s.values,
                  yAxisIndex: isRate ? 1 : 0, smooth: false,
                  label: {show: isRate && c.categories.length <= 6, formatter: "{c}%"}};
        })
      };
    }
    chart.setOption(option);
    el.setAttribute("data-rendered", "1");
    drawn.push(chart);
  });
  window.addEventListener("resize", function () { drawn.forEach(function (ch) { ch.resize(); }); });
  window.wuyeCharts = drawn;
})();
