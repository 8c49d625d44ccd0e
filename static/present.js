// Runs a screen: shows the deck's steps in turn, each for its duration;
// takes keys from a presenter at the screen; asks the server now and then
// whether the data changed and redraws in place when it did; keeps the
// last data on screen, stamped with its time, while the server is away;
// and blanks the screen when its token is revoked.
(function () {
  "use strict";

  var body = document.body;
  if (!body || !body.hasAttribute("data-present")) return;

  var steps = [];
  var current = -1;
  var timer = null;
  var paused = false;
  var enlarged = null;
  var version = body.getAttribute("data-version");
  var build = body.getAttribute("data-build");
  var poll = Math.max(parseInt(body.getAttribute("data-poll"), 10) || 20000, 250);
  var versionURL = body.getAttribute("data-version-url");
  var lastContact = new Date();
  var gone = false;
  var stamp = document.querySelector(".present-status .stamp");
  var pauseNote = document.querySelector(".present-status .pause");

  function charts(step) { return step.querySelectorAll("[data-chart]"); }

  function show(i) {
    if (steps.length === 0) return;
    i = ((i % steps.length) + steps.length) % steps.length;
    if (enlarged) shrink();
    if (current >= 0 && current !== i && steps[current]) {
      charts(steps[current]).forEach(window.Luukku.undraw);
      steps[current].hidden = true;
    }
    current = i;
    var step = steps[i];
    step.hidden = false;
    body.setAttribute("data-current", step.id);
    // The slide's time runs from when it appears, however long its charts
    // take to draw.
    schedule();
    charts(step).forEach(function (el) {
      if (!el.classList.contains("chart-ready")) window.Luukku.draw(el);
    });
  }

  // schedule starts the current step's clock afresh, unless paused; the
  // bar at the bottom runs down with it.
  function schedule() {
    clearTimeout(timer);
    timer = null;
    var step = steps[current];
    var bar = step.querySelector(".step-timer");
    bar.classList.remove("running");
    if (paused || steps.length < 2) return;
    var ms = parseInt(step.getAttribute("data-duration"), 10) || 30000;
    bar.style.animationDuration = ms + "ms";
    void bar.offsetWidth; // restart the animation
    bar.classList.add("running");
    timer = setTimeout(function () { show(current + 1); }, ms);
  }

  function setPaused(p) {
    paused = p;
    pauseNote.hidden = !p;
    body.classList.toggle("paused", p);
    schedule();
  }

  // A panel enlarged fills the screen and holds the rotation until it
  // steps back.
  function enlarge(panel) {
    if (enlarged) shrink();
    enlarged = panel;
    panel.classList.add("enlarged");
    body.classList.add("has-enlarged");
    clearTimeout(timer);
    steps[current].querySelector(".step-timer").classList.remove("running");
    resize(panel);
  }

  function shrink() {
    var panel = enlarged;
    enlarged = null;
    panel.classList.remove("enlarged");
    body.classList.remove("has-enlarged");
    resize(panel);
    panel.focus();
    schedule();
  }

  function resize(panel) {
    panel.querySelectorAll("[data-chart]").forEach(function (el) {
      var chart = typeof echarts !== "undefined" && echarts.getInstanceByDom(el);
      if (chart) chart.resize();
    });
  }

  function fullscreen() {
    if (document.fullscreenElement) {
      document.exitFullscreen();
    } else if (document.documentElement.requestFullscreen) {
      document.documentElement.requestFullscreen().catch(function () {});
    }
  }

  document.addEventListener("keydown", function (e) {
    if (gone || e.altKey || e.ctrlKey || e.metaKey) return;
    var panel = e.target.closest && e.target.closest("[data-panel]");
    switch (e.key) {
      case " ":
      case "k":
        setPaused(!paused);
        break;
      case "ArrowRight":
      case "PageDown":
      case "n":
        show(current + 1);
        break;
      case "ArrowLeft":
      case "PageUp":
      case "p":
        show(current - 1);
        break;
      case "f":
        fullscreen();
        break;
      case "Escape":
        if (!enlarged) return;
        shrink();
        break;
      case "Enter":
        if (!panel) return;
        if (enlarged === panel) shrink(); else enlarge(panel);
        break;
      default:
        return;
    }
    e.preventDefault();
  });

  document.addEventListener("click", function (e) {
    var panel = e.target.closest("[data-panel]");
    if (!panel || gone) return;
    if (enlarged === panel) shrink(); else enlarge(panel);
  });

  // The cursor hides when the mouse rests: a screen has no use for it.
  var idle = null;
  function awake() {
    body.classList.remove("idle");
    clearTimeout(idle);
    idle = setTimeout(function () { body.classList.add("idle"); }, 3000);
  }
  document.addEventListener("mousemove", awake);
  awake();

  // update lays a fresh deck's content over the one shown, panel by
  // panel, touching only what changed: a chart gets its new option in
  // place, a row of figures its new text.
  function update(doc) {
    var fresh = Array.prototype.slice.call(doc.querySelectorAll(".step"));
    var same = fresh.length === steps.length && fresh.every(function (s, i) { return s.id === steps[i].id; });
    if (!same) {
      // The playlist itself changed: start it again from the top.
      window.location.reload();
      return;
    }
    fresh.forEach(function (f, i) {
      var old = steps[i];
      ["h1", ".step-context", ".step-of"].forEach(function (sel) {
        var a = old.querySelector(sel), b = f.querySelector(sel);
        if (a && b && a.textContent !== b.textContent) a.textContent = b.textContent;
      });
      f.querySelectorAll("[data-panel]").forEach(function (fp) {
        var op = document.getElementById(fp.id);
        if (!op) return;
        var fs = fp.querySelector("script[type='application/json']");
        var os = op.querySelector("script[type='application/json']");
        if (fs && os) {
          if (fs.textContent !== os.textContent) {
            os.textContent = fs.textContent;
            var el = op.querySelector("[data-chart]");
            if (el && el.classList.contains("chart-ready")) window.Luukku.redraw(el);
          }
          return;
        }
        var fk = fp.querySelector(".kpis, .empty"), ok = op.querySelector(".kpis, .empty");
        if (fk && ok && fk.outerHTML !== ok.outerHTML) ok.replaceWith(document.importNode(fk, true));
        if (!fk || !ok) {
          // What the panel is changed (figures became a chart): swap it.
          op.querySelectorAll("[data-chart]").forEach(window.Luukku.undraw);
          var np = document.importNode(fp, true);
          op.replaceWith(np);
          if (i === current) np.querySelectorAll("[data-chart]").forEach(window.Luukku.draw);
        }
      });
    });
  }

  function hhmm(d) {
    return d.getHours() + "." + (d.getMinutes() < 10 ? "0" : "") + d.getMinutes();
  }

  function online() {
    lastContact = new Date();
    stamp.hidden = true;
    body.classList.remove("offline");
  }

  function offline() {
    stamp.textContent = body.getAttribute("data-stale") + " " + hhmm(lastContact);
    stamp.hidden = false;
    body.classList.add("offline");
  }

  // blank takes the screen down for good: its token was revoked.
  function blank() {
    gone = true;
    clearTimeout(timer);
    steps.forEach(function (s) { charts(s).forEach(window.Luukku.undraw); });
    fetch(window.location.href, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        document.body.replaceWith(doc.body);
      })
      .catch(function () {
        document.body.textContent = "";
        document.body.className = "gone";
      });
  }

  var refreshing = false;
  function refresh(next) {
    if (refreshing) return;
    refreshing = true;
    fetch(window.location.href, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) {
        if (r.status === 401) throw { gone: true };
        if (!r.ok) throw new Error("HTTP " + r.status);
        return r.text();
      })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        if (!doc.body || !doc.body.hasAttribute("data-present")) throw new Error("not a deck");
        update(doc);
        version = next;
        body.setAttribute("data-version", next);
        online();
      })
      .catch(function (e) {
        if (e && e.gone) blank(); else offline();
      })
      .then(function () { refreshing = false; });
  }

  function check() {
    if (gone) return;
    fetch(versionURL, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } })
      .then(function (r) {
        if (r.redirected) {
          // A presenter's sign-in ran out: the page asks for it again.
          window.location.reload();
          return { status: 0, body: { gone: false } };
        }
        return r.json().then(function (j) { return { status: r.status, body: j }; });
      })
      .then(function (res) {
        if (res.body && res.body.gone) {
          blank();
          return;
        }
        if (res.status === 0) return;
        if (res.status !== 200) {
          offline();
          return;
        }
        if (res.body.build && res.body.build !== build) {
          // The server was upgraded and is answering: take its new files.
          window.location.reload();
          return;
        }
        if (res.body.version !== version) {
          refresh(res.body.version);
        } else {
          online();
        }
      })
      .catch(offline)
      .then(function () {
        if (!gone) setTimeout(check, poll);
      });
  }

  function start() {
    steps = Array.prototype.slice.call(document.querySelectorAll(".step"));
    if (!window.Luukku || steps.length === 0) return;
    show(0);
    setTimeout(check, poll);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
