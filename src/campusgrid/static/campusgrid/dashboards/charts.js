/* The dashboards' charts (dashboards/index.html): each .dashboard-chart names its JSON
 * (data-chart-url, /api/v1/dashboards/charts/<key>/, scoped to the viewer) and its kind.
 *
 * Every datum carries the URL of the list of exactly its rows; a click on a bar, a point or
 * a gauge opens it. Names in the data (classes, buildings, round titles) are typed by users,
 * so tooltips are ECharts rich text drawn on the canvas and subtitles are set as textContent:
 * nothing is ever parsed as HTML. */
(function () {
  "use strict";

  if (!window.echarts) return;
  var charts = [];

  function sameOrigin(url) {
    return typeof url === "string" && url.charAt(0) === "/" && url.charAt(1) !== "/";
  }

  function unitOf(data) {
    return data.unit ? String(data.unit) : "";
  }

  function axisOptions(data, kind) {
    var many = (data.categories || []).length > 8;
    var unit = unitOf(data);
    return {
      tooltip: {
        trigger: "axis",
        renderMode: "richText",
        formatter: function (points) {
          var lines = [String(points[0].name)];
          points.forEach(function (p) {
            var d = p.data || {};
            lines.push(String(p.seriesName) + "：" + String(d.value) + unit + (d.detail ? "（" + String(d.detail) + "）" : ""));
          });
          return lines.join("\n");
        }
      },
      legend: (data.series || []).length > 1 ? { top: 0 } : undefined,
      grid: { left: 44, right: 16, top: (data.series || []).length > 1 ? 32 : 16, bottom: many ? 72 : 32, containLabel: false },
      xAxis: {
        type: "category",
        data: data.categories,
        axisLabel: many ? { rotate: 45, interval: 0, fontSize: 10 } : {}
      },
      yAxis: { type: "value", max: data.max || null, minInterval: unit ? 0 : 1, axisLabel: { formatter: "{value}" + unit } },
      series: (data.series || []).map(function (s) {
        return {
          name: s.name,
          type: kind === "line" ? "line" : "bar",
          stack: kind === "stacked" ? (s.stack || "total") : undefined,
          smooth: false, // a spline of counts overshoots (below 0, above the real peak): draw the points as they are
          symbolSize: kind === "line" ? 8 : undefined,
          data: s.data,
          cursor: "pointer"
        };
      })
    };
  }

  function gaugeOptions(data) {
    var items = ((data.series || [])[0] || {}).data || [];
    var columns = Math.min(items.length, window.innerWidth < 576 ? 2 : 4) || 1;
    var rows = Math.ceil(items.length / columns) || 1;
    var unit = unitOf(data);
    return {
      tooltip: {
        renderMode: "richText",
        formatter: function (p) {
          var d = p.data || {};
          return String(d.name) + "：" + String(d.value) + unit + (d.detail ? "（" + String(d.detail) + "）" : "");
        }
      },
      series: items.map(function (d, i) {
        var col = i % columns, row = Math.floor(i / columns);
        return {
          type: "gauge",
          center: [((col + 0.5) * 100 / columns) + "%", ((row + 0.55) * 100 / rows) + "%"],
          radius: Math.min(90 / columns, 80 / rows) + "%",
          min: 0,
          max: 100,
          progress: { show: true, width: 8 },
          axisLine: { lineStyle: { width: 8 } },
          axisTick: { show: false },
          splitLine: { show: false },
          axisLabel: { show: false },
          pointer: { show: false },
          title: { offsetCenter: [0, "70%"], fontSize: 11 },
          detail: { offsetCenter: [0, "10%"], fontSize: 14, formatter: "{value}" + unit },
          data: [d],
          cursor: "pointer"
        };
      })
    };
  }

  function heightFor(element, data, kind) {
    if (kind !== "gauge") return;
    var items = ((data.series || [])[0] || {}).data || [];
    var columns = Math.min(items.length, window.innerWidth < 576 ? 2 : 4) || 1;
    var rows = Math.ceil(items.length / columns) || 1;
    element.style.height = Math.max(160, rows * 150) + "px";
  }

  function draw(element, data) {
    var kind = element.getAttribute("data-chart-kind");
    var key = String(data.key);
    var subtitle = document.querySelector('[data-chart-subtitle="' + key + '"]');
    if (subtitle && data.subtitle) subtitle.textContent = String(data.subtitle);
    var items = kind === "gauge" ? (((data.series || [])[0] || {}).data || []) : (data.categories || []);
    if (!items.length) {
      var empty = document.querySelector('[data-chart-empty="' + key + '"]');
      if (empty) {
        if (data.empty) empty.textContent = String(data.empty);
        empty.classList.remove("d-none");
      }
      element.classList.add("d-none");
      return;
    }
    heightFor(element, data, kind);
    var chart = window.echarts.init(element, null, { renderer: "canvas" });
    chart.setOption(kind === "gauge" ? gaugeOptions(data) : axisOptions(data, kind));
    chart.on("click", function (params) {
      var url = params.data && params.data.url;
      if (sameOrigin(url)) window.location.assign(url);
    });
    element.setAttribute("data-chart-drawn", "1");
    charts.push(chart);
  }

  function load(element) {
    var url = element.getAttribute("data-chart-url");
    if (!sameOrigin(url)) return Promise.resolve();
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (data) { draw(element, data); })
      .catch(function () {
        var empty = document.querySelector('[data-chart-empty="' + element.id.replace(/^chart-/, "") + '"]');
        if (empty) {
          empty.textContent = "图表数据加载失败，请刷新重试";
          empty.classList.remove("d-none");
        }
      });
  }

  // One chart after another, top of the page first: ten at once would take ten of the server's
  // threads for one person's look (and one SQLite connection shared by a test server's threads
  // deadlocks under them).
  Array.prototype.reduce.call(
    document.querySelectorAll(".dashboard-chart[data-chart-url]"),
    function (previous, element) { return previous.then(function () { return load(element); }); },
    Promise.resolve()
  );

  function resizeAll() { charts.forEach(function (c) { c.resize(); }); }
  window.addEventListener("resize", resizeAll);
  // Print: the cards take the page's width; redraw at that width before printing.
  window.addEventListener("beforeprint", resizeAll);
  window.addEventListener("afterprint", resizeAll);
})();
