// stackledger console: the little progressive enhancement the pages get. Everything works without it;
// with it, charts are drawn, long posts show that they are running, and a chosen CSV file fills its box.
(function () {
  "use strict";
  var colours = ["#0b5cad", "#1a6b2f", "#8a3ffc", "#a4161a", "#6e4b00", "#00695c", "#d4380d", "#3b3b98"];

  // A stacked chart: each series is drawn as the running sum of those before it, filled to the one below.
  function drawChart(el) {
    var data = JSON.parse(document.getElementById(el.getAttribute("data-chart")).textContent);
    if (!window.uPlot || !data.x.length) { return; }
    var sums = data.x.map(function () { return 0; });
    var stacked = data.series.map(function (s) {
      sums = sums.map(function (v, i) { return v + s.values[i]; });
      return sums.slice();
    });
    var series = [{}];
    var bands = [];
    data.series.forEach(function (s, i) {
      series.push({ label: s.label, stroke: colours[i % colours.length], fill: colours[i % colours.length] + "55",
        value: function (u, v, si, idx) { return idx == null ? "" : String(s.values[idx]); } });
      if (i > 0) { bands.push({ series: [i + 1, i] }); }
    });
    var width = Math.max(280, el.clientWidth || 800);
    var opts = { width: width, height: width < 500 ? 240 : 320, series: series, bands: bands,
      scales: { x: { time: true } }, axes: [{}, { size: 70 }] };
    if (data.x.length === 1) {
      // One period alone has no span: give the axis half a day either side so the point sits in the middle.
      opts.scales.x.range = [data.x[0] - 43200, data.x[0] + 43200];
    }
    el.textContent = "";
    new window.uPlot(opts, [data.x].concat(stacked), el);
  }

  function busyForms() {
    document.querySelectorAll("form[data-busy]").forEach(function (form) {
      form.addEventListener("submit", function () {
        var button = form.querySelector("button[type=submit]");
        var status = form.querySelector(".busy");
        if (button) { button.disabled = true; }
        if (status) { status.textContent = form.getAttribute("data-busy"); }
        // A download leaves the page where it is: give the button back after a while.
        setTimeout(function () { if (button) { button.disabled = false; } if (status) { status.textContent = ""; } }, 8000);
      });
    });
  }

  function csvFiles() {
    document.querySelectorAll("input[type=file][data-fills]").forEach(function (input) {
      input.addEventListener("change", function () {
        var file = input.files && input.files[0];
        var target = document.getElementById(input.getAttribute("data-fills"));
        if (!file || !target) { return; }
        var reader = new FileReader();
        reader.onload = function () { target.value = reader.result; };
        reader.readAsText(file);
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-chart]").forEach(drawChart);
    var pending;
    window.addEventListener("resize", function () {
      clearTimeout(pending);
      pending = setTimeout(function () { document.querySelectorAll("[data-chart]").forEach(drawChart); }, 200);
    });
    busyForms();
    csvFiles();
  });
})();
