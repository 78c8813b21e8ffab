/* The illegal-appliance rate per inspection round (ledgers/inspection_list.html).
 *
 * The data comes from a json_script block (inert JSON, not a script). Round titles are
 * typed by users (a dorm head can name a round over their own room), so the tooltip is
 * ECharts rich text drawn on the canvas: nothing in it is ever parsed as HTML. */
(function () {
  "use strict";

  var source = document.getElementById("illegal-rate-data");
  var element = document.getElementById("illegal-rate-chart");
  if (!source || !element || !window.echarts) return;
  var data = JSON.parse(source.textContent);
  if (!data.rates || !data.rates.length) return;

  var chart = window.echarts.init(element);
  chart.setOption({
    tooltip: {
      trigger: "axis",
      renderMode: "richText",
      formatter: function (points) {
        var i = points[0].dataIndex;
        return (
          String(data.titles[i]) + "\n" + data.dates[i] + "：" + data.rates[i] + "%（" +
          data.illegal[i] + "/" + data.inspected[i] + " 间）"
        );
      }
    },
    grid: { left: 40, right: 16, top: 24, bottom: 40 },
    xAxis: { type: "category", data: data.dates },
    yAxis: { type: "value", axisLabel: { formatter: "{value}%" } },
    series: [{ name: "违章电器率", type: "line", smooth: true, data: data.rates, areaStyle: { opacity: 0.15 } }]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
