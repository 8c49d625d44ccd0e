// Draws every chart on the page from the JSON option the server placed
// beside it. All formatting lives here, in a static file, so that the page
// needs no inline script and database text is never treated as HTML.
(function () {
  "use strict";

  var nf0 = new Intl.NumberFormat("fi-FI", { maximumFractionDigits: 0 });
  var nf1 = new Intl.NumberFormat("fi-FI", { minimumFractionDigits: 1, maximumFractionDigits: 1 });

  function isNum(v) { return typeof v === "number" && isFinite(v); }

  var lang = document.documentElement.lang;
  var days = { fi: "vrk", sv: "dygn", en: "d" }[lang] || "vrk";
  var millions = { fi: "milj.", sv: "milj.", en: "M" }[lang] || "milj.";

  // Minutes in the largest unit that reads naturally: 45 min, 3,5 h, 2,1 vrk.
  function duration(m, short) {
    var f = short ? nf0 : nf1;
    if (Math.abs(m) < 60) return nf0.format(m) + "\u00a0min";
    if (Math.abs(m) < 48 * 60) return f.format(m / 60) + "\u00a0h";
    return f.format(m / 1440) + "\u00a0" + days;
  }

  // Full precision, for tooltips.
  function full(format, v) {
    if (!isNum(v)) return "–";
    switch (format) {
      case "int": return nf0.format(v);
      case "percent": return nf1.format(v) + "\u00a0%";
      case "euro": return nf0.format(v) + "\u00a0€";
      case "hours": return nf1.format(v) + "\u00a0h";
      case "minutes": return duration(v, false);
      default: return nf1.format(v);
    }
  }

  // Short, for axis labels.
  function short(format, v) {
    if (!isNum(v)) return "";
    var a = Math.abs(v);
    if (format === "minutes") return duration(v, true);
    if (format === "euro") {
      if (a >= 1e7) return nf0.format(v / 1e6) + "\u00a0M€";
      if (a >= 1e6) return nf1.format(v / 1e6) + "\u00a0M€";
      if (a >= 1e3) return nf0.format(v / 1e3) + "\u00a0t€";
      return nf0.format(v) + "\u00a0€";
    }
    if (format === "percent") return (a < 10 && v !== Math.round(v) ? nf1 : nf0).format(v) + "\u00a0%";
    if (a >= 1e6) return nf1.format(v / 1e6) + "\u00a0" + millions;
    return a < 10 && a !== Math.round(a) ? nf1.format(v) : nf0.format(v);
  }

  function valueOf(p) {
    var v = p.value;
    if (Array.isArray(v)) v = v[v.length - 1];
    return v;
  }

  // Tooltip content as DOM nodes: text goes in through textContent, so a
  // unit or theme name can never become markup.
  function line(color, name, value) {
    var row = document.createElement("div");
    row.className = "tt-row";
    var dot = document.createElement("span");
    dot.className = "tt-dot";
    dot.style.backgroundColor = color || "#999";
    var label = document.createElement("span");
    label.className = "tt-name";
    label.textContent = name;
    var val = document.createElement("span");
    val.className = "tt-value";
    val.textContent = value;
    row.append(dot, label, val);
    return row;
  }

  function tooltip(format, formatX, option) {
    return function (params) {
      var box = document.createElement("div");
      box.className = "tt";
      var list = Array.isArray(params) ? params : [params];
      if (list.length === 0) return box;
      var head = document.createElement("div");
      head.className = "tt-title";
      head.textContent = Array.isArray(params) ? list[0].axisValueLabel : list[0].seriesName;
      box.append(head);
      if (!Array.isArray(params) && params.seriesType === "scatter" && Array.isArray(params.value)) {
        if (formatX) {
          // A point of a scatter: its two measures, named by the axes.
          box.append(line(params.color, option.xAxis[0].name, full(formatX, params.value[0])));
          box.append(line(params.color, option.yAxis[0].name, full(format, params.value[1])));
        }
        return box; // a point on a map: its group is all there is to say
      }
      list.forEach(function (p) {
        if (typeof p.seriesId === "string" && p.seriesId.indexOf("band-") === 0) return; // the forecast's band
        var v = valueOf(p);
        if (v === null || v === undefined) return;
        var name = Array.isArray(params) ? p.seriesName : p.name;
        var text = full(format, v);
        if (p.percent !== undefined) text += " (" + nf1.format(p.percent) + "\u00a0%)";
        box.append(line(typeof p.color === "string" ? p.color : "", name, text));
      });
      return box;
    };
  }

  // unpack gives a map's series the points the server sent packed
  // (panel.packedPoints): per series, pairs of steps of 1/scale degree, the
  // longitude's from the last point's and the latitude's from the origin.
  function unpack(option) {
    var packed = option.packedPoints;
    if (!packed) return;
    delete option.packedPoints;
    packed.series.forEach(function (flat, i) {
      var x = packed.origin[0], y0 = packed.origin[1], data = new Array(flat.length / 2);
      for (var j = 0; j < flat.length; j += 2) {
        x += flat[j];
        data[j / 2] = [x / packed.scale, (y0 + flat[j + 1]) / packed.scale];
      }
      option.series[i].data = data;
    });
  }

  function prepare(option, format, width, formatX) {
    unpack(option);
    option.tooltip = Object.assign({}, option.tooltip, {
      formatter: tooltip(format, formatX, option),
      confine: true,
      className: "tt-box"
    });
    [].concat(option.yAxis || [], option.xAxis || []).forEach(function (axis, i) {
      // On a scatter the x axis is a measure of its own.
      var f = formatX && i === [].concat(option.yAxis || []).length ? formatX : format;
      if (axis.type === "value" || axis.type === "log") {
        // A narrow chart (a phone, half of an A4 page) drops the labels
        // that would run into each other.
        axis.axisLabel = Object.assign({}, axis.axisLabel, {
          formatter: function (v) { return short(f, v); },
          hideOverlap: true
        });
      }
    });
    [].concat(option.visualMap || []).forEach(function (vm) {
      vm.formatter = function (v) { return short(format, v); };
    });
    (option.series || []).forEach(function (s) {
      if (s.type === "gauge") {
        s.detail = Object.assign({}, s.detail, {
          formatter: function (v) { return full(format, v); },
          fontSize: 22, offsetCenter: [0, "62%"]
        });
        s.axisLabel = Object.assign({}, s.axisLabel, {
          formatter: function (v) { return short(format, v); }, distance: 18
        });
        s.title = { show: false };
        return;
      }
      if (s.type === "pie" && width < 480) {
        // A phone has no room for labels beside the ring: a legend instead.
        s.label = { show: false };
        s.labelLine = { show: false };
        option.legend = { show: true, type: "scroll", bottom: 0 };
      } else if (s.type === "pie") {
        // Slices too thin to label are named in the tooltip and the table.
        s.minShowLabelAngle = 10;
        s.label = Object.assign({}, s.label, {
          formatter: function (p) { return p.name + "\n" + nf1.format(p.percent) + "\u00a0%"; }
        });
      }
    });
    return option;
  }

  // frame widens one axis of a map so that a kilometre is as long across
  // as down: a degree of longitude shrinks with the latitude.
  function frame(chart, option, el) {
    var x = option.xAxis[0], y = option.yAxis[0];
    var grid = option.grid[0] || {};
    var w = el.clientWidth - (parseFloat(grid.left) || 0) - (parseFloat(grid.right) || 0);
    var h = el.clientHeight - (parseFloat(grid.top) || 0) - (parseFloat(grid.bottom) || 0);
    if (w <= 0 || h <= 0) return;
    var kx = Math.cos((y.min + y.max) / 2 * Math.PI / 180);
    var across = (x.max - x.min) * kx, down = y.max - y.min;
    var xmin = x.min, xmax = x.max, ymin = y.min, ymax = y.max;
    if (across / down < w / h) {
      var padX = (down * w / h - across) / kx / 2;
      xmin -= padX; xmax += padX;
    } else {
      var padY = (across * h / w - down) / 2;
      ymin -= padY; ymax += padY;
    }
    // go-echarts has no axisTick on a y axis; a map needs none on either.
    chart.setOption({
      xAxis: [{ min: xmin, max: xmax, axisTick: { show: false } }],
      yAxis: [{ min: ymin, max: ymax, axisTick: { show: false } }]
    });
  }

  // On a screen (the presenter's view) charts are dark, and their text and
  // margins grow with the root font, which grows with the screen's width:
  // the same chart is legible from across the room at 1080p and at 4K.
  var presenting = document.documentElement.classList.contains("present");

  function forScreen(option) {
    var rem = parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
    var scale = rem / 16;
    var text = Math.round(rem * 0.8);
    option.backgroundColor = "transparent";
    option.toolbox = { show: false }; // nobody at a screen saves an image
    option.textStyle = Object.assign({}, option.textStyle, { fontSize: text });
    [].concat(option.grid || []).forEach(function (g) {
      ["left", "right", "top", "bottom"].forEach(function (side) {
        var v = parseFloat(g[side]);
        if (isFinite(v) && String(g[side]).indexOf("%") < 0) g[side] = Math.round(v * scale * 1.4);
      });
    });
    [].concat(option.xAxis || [], option.yAxis || []).forEach(function (axis) {
      axis.axisLabel = Object.assign({}, axis.axisLabel, { fontSize: text });
      axis.nameTextStyle = Object.assign({}, axis.nameTextStyle, { fontSize: text });
      axis.nameGap = Math.round((axis.nameGap || 15) * scale * 1.4);
    });
    [].concat(option.legend || []).forEach(function (l) {
      l.textStyle = Object.assign({}, l.textStyle, { fontSize: text });
      l.itemWidth = Math.round(25 * scale);
      l.itemHeight = Math.round(14 * scale);
      l.pageIconSize = Math.round(15 * scale);
      l.pageTextStyle = { fontSize: text };
    });
    [].concat(option.visualMap || []).forEach(function (vm) {
      vm.textStyle = Object.assign({}, vm.textStyle, { fontSize: text });
      vm.itemWidth = Math.round(20 * scale);
      vm.itemHeight = Math.round(140 * scale);
    });
    option.tooltip = Object.assign({}, option.tooltip, { textStyle: { fontSize: text } });
    (option.series || []).forEach(function (s) {
      s.label = Object.assign({}, s.label, { fontSize: text, lineHeight: Math.round(text * 1.25) });
      if (s.type === "line") {
        s.lineStyle = Object.assign({}, s.lineStyle, { width: (s.lineStyle && s.lineStyle.width || 2) * scale });
        s.symbolSize = Math.round((typeof s.symbolSize === "number" ? s.symbolSize : 4) * scale);
      }
      if (s.type === "gauge") {
        s.detail = Object.assign({}, s.detail, { fontSize: Math.round(rem * 1.6) });
        s.axisLabel = Object.assign({}, s.axisLabel, { fontSize: text, distance: Math.round(18 * scale) });
      }
      if (s.type === "scatter" && typeof s.symbolSize === "number") s.symbolSize = Math.round(s.symbolSize * scale);
    });
    return option;
  }

  var printMedia = window.matchMedia("print");

  // Printing from the browser lays the page out at the paper's width:
  // the charts are fitted to it and made for paper, and back after.
  function fitCharts() {
    if (typeof echarts === "undefined") return;
    document.querySelectorAll(".chart-ready").forEach(function (el) {
      var chart = echarts.getInstanceByDom(el);
      if (!chart) return;
      chart.resize({ width: el.clientWidth, height: el.clientHeight, animation: { duration: 0 } });
      redraw(el);
    });
  }

  // forPrint makes a chart for paper: drawn at once, without the save
  // button, every legend entry shown rather than pages of them.
  function forPrint(option) {
    option.animation = false;
    option.toolbox = { show: false };
    [].concat(option.legend || []).forEach(function (l) { l.type = "plain"; });
    return option;
  }

  function options(src, format, width, formatX) {
    var option = prepare(JSON.parse(src.textContent), format, width, formatX);
    if (printMedia.matches) forPrint(option);
    return presenting ? forScreen(option) : option;
  }

  function draw(el) {
    var src = document.getElementById(el.getAttribute("data-chart"));
    if (!src || typeof echarts === "undefined") return;
    var format = el.getAttribute("data-format");
    var formatX = el.getAttribute("data-format-x") || "";
    var option;
    try {
      option = options(src, format, el.clientWidth, formatX);
    } catch (e) {
      el.classList.add("chart-failed");
      return;
    }
    // A page laid out for print (the PDF export) draws vectors.
    var chart = echarts.init(el, presenting ? "dark" : null, { renderer: printMedia.matches ? "svg" : "canvas", locale: "EN" });
    var narrow = el.clientWidth < 480;
    var isMap = el.closest(".kind-map") !== null;
    chart.setOption(option);
    if (isMap) frame(chart, option, el);
    if (window.ResizeObserver) {
      var watch = new ResizeObserver(function () {
        // Crossing the phone width switches pie labels and legend.
        if ((el.clientWidth < 480) !== narrow) {
          narrow = el.clientWidth < 480;
          chart.setOption(options(src, format, el.clientWidth, formatX), true);
        }
        chart.resize();
        if (isMap) frame(chart, option, el);
      });
      watch.observe(el);
      el.__unwatch = function () { watch.disconnect(); };
    }
    // Clicking a unit's bar or a channel's slice drills into it; the same
    // links stand in the data table for keyboards and for pages without JS.
    var drill = document.getElementById(el.getAttribute("data-drill") || "");
    if (drill) {
      var urls = JSON.parse(drill.textContent);
      // A scatter draws each point as a series of its own.
      var bySeries = el.closest(".kind-scatter") !== null;
      chart.on("click", function (p) {
        var url = urls[bySeries ? p.seriesIndex : p.dataIndex];
        if (typeof url === "string" && /^\/(?!\/)/.test(url)) window.location.assign(url);
      });
    }
    el.classList.add("chart-ready");
  }

  // undraw frees a chart: a screen draws only what it shows, so that days
  // of rotation do not pile up charts.
  function undraw(el) {
    if (el.__unwatch) {
      el.__unwatch();
      el.__unwatch = null;
    }
    if (typeof echarts !== "undefined") {
      var chart = echarts.getInstanceByDom(el);
      if (chart) chart.dispose();
    }
    el.classList.remove("chart-ready");
  }

  // redraw gives a drawn chart its new option in place: the screen does
  // not blink when the data changes.
  function redraw(el) {
    var chart = typeof echarts !== "undefined" && echarts.getInstanceByDom(el);
    var src = document.getElementById(el.getAttribute("data-chart"));
    if (!chart || !src) return;
    var option = options(src, el.getAttribute("data-format"), el.clientWidth, el.getAttribute("data-format-x") || "");
    chart.setOption(option, true);
    if (el.closest(".kind-map") !== null) frame(chart, option, el);
  }

  // Sortable tables: each column head becomes a button. Cells carry their
  // raw value in data-sort (numbers, ISO dates); text sorts the Finnish way.
  var collator = new Intl.Collator("fi");

  function sortKey(cell) {
    var raw = cell.getAttribute("data-sort");
    if (raw) {
      var n = Number(raw);
      return isFinite(n) ? n : raw;
    }
    return cell.textContent.trim();
  }

  function compare(a, b) {
    if (typeof a === "number" && typeof b === "number") return a - b;
    if (typeof a === "number") return -1;
    if (typeof b === "number") return 1;
    return collator.compare(a, b);
  }

  function sortable(table) {
    var heads = table.querySelectorAll("thead th[scope=col]");
    var body = table.tBodies[0];
    heads.forEach(function (th, col) {
      var button = document.createElement("button");
      button.type = "button";
      while (th.firstChild) button.append(th.firstChild);
      th.append(button);
      button.addEventListener("click", function () {
        var dir = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
        heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", dir);
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (r1, r2) {
          var c = compare(sortKey(r1.cells[col]), sortKey(r2.cells[col]));
          return dir === "ascending" ? c : -c;
        });
        rows.forEach(function (r) { body.append(r); });
      });
    });
  }

  // An upload shows how far it has got: the server imports the file as it
  // arrives, so the bytes sent are the rows read. Without JS the form
  // posts as usual, without the bar.
  function uploadProgress(form) {
    var bar = form.querySelector("progress");
    var status = form.querySelector("[data-upload-status]");
    form.addEventListener("submit", function (e) {
      if (typeof XMLHttpRequest === "undefined" || typeof DOMParser === "undefined") return;
      e.preventDefault();
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      bar.hidden = false;
      form.querySelector("button[type=submit]").disabled = true;
      xhr.upload.addEventListener("progress", function (ev) {
        if (!ev.lengthComputable) return;
        var pct = Math.round(100 * ev.loaded / ev.total);
        bar.value = pct;
        status.textContent = pct + " %";
      });
      xhr.addEventListener("load", function () {
        var doc = new DOMParser().parseFromString(xhr.responseText, "text/html");
        document.title = doc.title;
        document.body.replaceWith(doc.body);
        init();
      });
      xhr.addEventListener("error", function () {
        status.textContent = form.getAttribute("data-upload-failed");
        form.querySelector("button[type=submit]").disabled = false;
      });
      xhr.send(new FormData(form));
    });
  }

  window.Luukku = { draw: draw, undraw: undraw, redraw: redraw };

  function init() {
    if (!presenting) document.querySelectorAll("[data-chart]").forEach(draw);
    if (!presenting) printMedia.addEventListener("change", fitCharts);
    document.querySelectorAll("table[data-sortable]").forEach(sortable);
    document.querySelectorAll("form[data-upload-progress]").forEach(uploadProgress);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
