package server

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/heapprofiler"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/luukku-bi/luukku/dashboards"
	"github.com/luukku-bi/luukku/internal/audit"
	"github.com/luukku-bi/luukku/internal/auth"
	"github.com/luukku-bi/luukku/internal/definitions"
	"github.com/luukku-bi/luukku/internal/pglocal"
)

// The screens' tests spend most of their time waiting on the screens'
// timers, so they run beside each other.

// withPlaylist serves the built-in definitions and one more playlist.
func withPlaylist(t *testing.T, srv *testServer, slug, src string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "dashboards", dashboards.PlaylistDir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, slug+".yaml"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	defs, err := (&definitions.Loader{Dir: filepath.Dir(filepath.Dir(dir))}).Load(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	srv.cfg.Definitions = func() *dashboards.Set { return defs }
}

func cityCode(t *testing.T, srv *testServer) string {
	t.Helper()
	var code string
	if err := srv.cfg.Pool.QueryRow(t.Context(), `SELECT code FROM org_unit WHERE nlevel(path) = 1`).Scan(&code); err != nil {
		t.Fatal(err)
	}
	return code
}

// stepLog records, from the page's first byte, when each step came up:
// at the moment the deck marks it current, before its charts are drawn.
const stepLog = `window.__steps = [];
(function () {
	var set = Element.prototype.setAttribute;
	Element.prototype.setAttribute = function (name, value) {
		if (name === "data-current" && this === document.body) window.__steps.push({id: value, t: performance.now()});
		return set.call(this, name, value);
	};
})();`

type stepMark struct {
	ID string  `json:"id"`
	T  float64 `json:"t"`
}

// screenAddress serves srv and makes a display token for the whole city's
// playlist; it returns the screen's one address.
func screenAddress(t *testing.T, srv *testServer, playlist string) string {
	t.Helper()
	token := addDisplay(t, srv, auth.NewDisplay{Name: playlist, Playlist: playlist, Units: []string{cityCode(t, srv)}})
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return ts.URL + "/screen/" + token
}

// openDeck opens a screen's address in the browser and waits until its
// first step is up with its charts drawn.
func openDeck(t *testing.T, ctx context.Context, address string) {
	t.Helper()
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: stepLog}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(address)); err != nil {
		t.Fatal(err)
	}
	waitDrawn(t, ctx)
}

// waitDrawn waits until the current step's charts are drawn.
func waitDrawn(t *testing.T, ctx context.Context) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`(function () {
		var s = document.querySelector(".step:not([hidden])");
		return !!s && document.body.hasAttribute("data-current") &&
			s.querySelectorAll("[data-chart]").length === s.querySelectorAll(".chart-ready").length;
	})()`, chromedp.WithPollingTimeout(20*time.Second))); err != nil {
		t.Fatalf("the step did not come up: %v", err)
	}
}

func current(t *testing.T, ctx context.Context) string {
	t.Helper()
	return evaluate[string](t, ctx, `document.body.getAttribute("data-current")`)
}

func press(t *testing.T, ctx context.Context, key string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.KeyEvent(key)); err != nil {
		t.Fatal(err)
	}
}

// A playlist turns in its order, each slide for its own time; a presenter
// pauses it, steps back and forth, enlarges a panel and steps back, and
// the cursor hides when the mouse rests.
func TestScreenRotatesAndTakesKeys(t *testing.T) {
	t.Parallel()
	srv := newServer(t, loadedDB(t, 3_000))
	srv.cfg.PresentPoll = time.Hour
	withPlaylist(t, srv, "kierto", `title: {fi: Kierto}
slides:
  - dashboard: overview
    panels: [kpis]
    duration: 5s
  - dashboard: themes
    panels: [top_themes]
    duration: 7s
  - dashboard: finance
    panels: [kpis]
    duration: 5s
`)
	address := screenAddress(t, srv, "kierto")
	ctx := browserSized(t, 1920, 1080, 2*time.Minute)
	openDeck(t, ctx, address)

	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`window.__steps.length >= 4`, chromedp.WithPollingTimeout(25*time.Second))); err != nil {
		t.Fatalf("the playlist did not turn: %v", evaluate[[]stepMark](t, ctx, `window.__steps`))
	}
	marks := evaluate[[]stepMark](t, ctx, `window.__steps`)
	wantIDs := []string{"s1-1", "s2-1", "s3-1", "s1-1"}
	wantMS := []float64{5000, 7000, 5000}
	for i, want := range wantIDs {
		if marks[i].ID != want {
			t.Fatalf("steps came up as %v, want %v", marks, wantIDs)
		}
	}
	// A timer never fires early; on a busy machine it may fire late.
	for i, want := range wantMS {
		if got := marks[i+1].T - marks[i].T; got < want-100 || got > want+1500 {
			t.Errorf("step %s stayed %.0f ms, want %.0f", marks[i].ID, got, want)
		}
	}

	// Space pauses: the note shows and the step stays past its time.
	press(t, ctx, " ")
	if !evaluate[bool](t, ctx, `!document.querySelector(".present-status .pause").hidden && document.body.classList.contains("paused")`) {
		t.Error("space did not pause")
	}
	at := current(t, ctx)
	n, _ := strconv.Atoi(at[1:2])
	step := func(k int) string { return fmt.Sprintf("s%d-1", (k+2)%3+1) }
	for _, tt := range []struct{ key, want string }{
		{kb.ArrowRight, step(n + 1)}, {kb.ArrowLeft, step(n)}, {kb.ArrowLeft, step(n - 1)},
		{"n", step(n)}, {kb.PageDown, step(n + 1)}, {"p", step(n)},
	} {
		press(t, ctx, tt.key)
		if got := current(t, ctx); got != tt.want {
			t.Errorf("after %q the screen shows %s, want %s", tt.key, got, tt.want)
		}
	}
	waitDrawn(t, ctx)
	time.Sleep(7500 * time.Millisecond)
	if got := current(t, ctx); got != step(n) {
		t.Errorf("paused, the screen moved on to %s", got)
	}
	if !evaluate[bool](t, ctx, `document.body.classList.contains("idle")`) {
		t.Error("the cursor did not hide while the mouse rested")
	}

	// Enter on a panel enlarges it to the screen; Escape steps back.
	evaluate[bool](t, ctx, `document.querySelector(".step:not([hidden]) [data-panel]").focus(), true`)
	press(t, ctx, kb.Enter)
	if w := evaluate[float64](t, ctx, `(function () {
		var e = document.querySelector(".enlarged");
		return e ? e.getBoundingClientRect().width / innerWidth : 0;
	})()`); w < 0.9 {
		t.Errorf("Enter enlarged a panel to %.0f %% of the width", 100*w)
	}
	press(t, ctx, kb.Escape)
	if n := evaluate[int](t, ctx, `document.querySelectorAll(".enlarged").length`); n != 0 {
		t.Error("Escape did not step back")
	}
	// A click does the same.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(".step:not([hidden]) [data-panel] h2"))); err != nil {
		t.Fatal(err)
	}
	if n := evaluate[int](t, ctx, `document.querySelectorAll(".enlarged").length`); n != 1 {
		t.Error("a click did not enlarge the panel")
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(".enlarged h2"))); err != nil {
		t.Fatal(err)
	}
	if n := evaluate[int](t, ctx, `document.querySelectorAll(".enlarged").length`); n != 0 {
		t.Error("a second click did not step back")
	}

	// F goes full screen and back.
	press(t, ctx, "f")
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.fullscreenElement === document.documentElement`, chromedp.WithPollingTimeout(3*time.Second))); err != nil {
		t.Error("F did not go full screen")
	}
	press(t, ctx, "f")
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.fullscreenElement === null`, chromedp.WithPollingTimeout(3*time.Second))); err != nil {
		t.Error("F again did not leave full screen")
	}

	// Space again resumes: the next step comes in its time.
	before := current(t, ctx)
	press(t, ctx, " ")
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.body.getAttribute("data-current") !== `+strconv.Quote(before),
		chromedp.WithPollingTimeout(9*time.Second))); err != nil {
		t.Error("space did not resume the rotation")
	}
}

// Revoking a screen's token blanks the screen at its next poll.
func TestRevokedScreenGoesBlank(t *testing.T) {
	t.Parallel()
	srv := newServer(t, loadedDB(t, 2_000))
	srv.cfg.PresentPoll = 300 * time.Millisecond
	address := screenAddress(t, srv, "aula")
	ctx := browser(t)
	openDeck(t, ctx, address)
	list, err := srv.cfg.Displays.List(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.cfg.Displays.Revoke(t.Context(), audit.Actor{Username: "test"}, list[0].ID); err != nil {
		t.Fatal(err)
	}
	revoked := time.Now()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.body.classList.contains("gone")`, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatal("the revoked screen still shows its deck")
	}
	if d := time.Since(revoked); d > 5*time.Second {
		t.Errorf("the screen went blank %v after the revoke, polling every 300 ms", d)
	}
	text := evaluate[string](t, ctx, `document.body.textContent`)
	if !regexp.MustCompile(`poistettu käytöstä`).MatchString(text) || evaluate[int](t, ctx, `document.querySelectorAll(".step, canvas").length`) != 0 {
		t.Errorf("the blank screen shows %q", text)
	}
}

// With the database stopped, a screen keeps its data, still turns, and
// says since when; when the database returns, fresh data comes in place,
// into the same chart.
func TestScreenOutlivesTheDatabase(t *testing.T) {
	t.Parallel()
	c, pool := demoCluster(t, 2_000)
	ctx := context.Background()
	srv := newServer(t, pool)
	srv.cfg.PresentPoll = 300 * time.Millisecond
	withPlaylist(t, srv, "katko", `title: {fi: Katko}
slides:
  - dashboard: overview
    panels: [kpis, channel_shares]
    duration: 30s
  - dashboard: themes
    panels: [top_themes]
    duration: 30s
`)
	address := screenAddress(t, srv, "katko")
	bctx := browserSized(t, 1920, 1080, 2*time.Minute)
	openDeck(t, bctx, address)
	press(t, bctx, " ") // hold the first step
	digital := `(function () {
		var v = "";
		document.querySelectorAll("#s1-1-kpis .kpi").forEach(function (k) {
			if (k.querySelector("dt").textContent === "Digitaalisten kanavien osuus") v = k.querySelector("dd.value").firstChild.textContent.trim();
		});
		return v;
	})()`
	before := evaluate[string](t, bctx, digital)
	evaluate[bool](t, bctx, `window.__canvas = document.querySelector("#s1-1-channel_shares canvas"), true`)

	token := address[strings.LastIndex(address, "/")+1:]
	cookie, _ := openScreen(t, srv, token)
	if err := c.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	// A screen that starts now gets a dark page that tries again by
	// itself, not an error page.
	for _, path := range []string{"/present/katko", "/screen/" + token} {
		rec, doc := screenGet(t, srv, path, cookie)
		if rec.Code != http.StatusServiceUnavailable || doc.Find("body.gone").Length() != 1 ||
			doc.Find(`meta[http-equiv=refresh]`).AttrOr("content", "") != "15" || !strings.Contains(doc.Text(), "Odotetaan") {
			t.Errorf("GET %s with the database down: %d\n%s", path, rec.Code, rec.Body)
		}
	}
	if _, err := chromedp.Run(bctx, chromedp.Poll[bool](`!document.querySelector(".stamp").hidden`, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatal("no stamp while the database is down")
	}
	if stamp := evaluate[string](t, bctx, `document.querySelector(".stamp").textContent`); !regexp.MustCompile(`^päivitetty \d{1,2}\.\d\d$`).MatchString(stamp) {
		t.Errorf("the stamp says %q", stamp)
	}
	if got := evaluate[string](t, bctx, digital); got != before || before == "" {
		t.Errorf("while the database is down the figure went from %q to %q", before, got)
	}
	// Still turning on what it has.
	press(t, bctx, kb.ArrowRight)
	waitDrawn(t, bctx)
	press(t, bctx, kb.ArrowLeft)
	waitDrawn(t, bctx)
	evaluate[bool](t, bctx, `window.__canvas = document.querySelector("#s1-1-channel_shares canvas"), true`)

	restarted, err := pglocal.Start(ctx, pglocal.Config{Dir: c.Dir(), Port: c.Port(), Fast: true, Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { restarted.Stop(context.Background()) })
	// Connections released just before the stop are not pinged again on
	// their next use; the test's own writes must not land on one of them.
	pool.Reset()
	// New data while it was away: a third of the web forms were phone calls.
	moved, err := pool.Exec(ctx, `UPDATE feedback SET channel_id = (SELECT id FROM channel WHERE code = 'phone')
		WHERE channel_id = (SELECT id FROM channel WHERE code = 'web_form') AND id % 3 = 0`)
	if err != nil || moved.RowsAffected() < 10 {
		t.Fatalf("moved %d rows: %v", moved.RowsAffected(), err)
	}
	if _, err := pool.Exec(ctx, `SELECT refresh_feedback_counts('-infinity', 'infinity');
		UPDATE data_version SET version = version + 1, updated_at = now()`); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(bctx, chromedp.Poll[bool](`document.querySelector(".stamp").hidden`, chromedp.WithPollingTimeout(20*time.Second))); err != nil {
		t.Fatal("the stamp stayed after the database returned")
	}
	if _, err := chromedp.Run(bctx, chromedp.Poll[bool](digital+` !== `+strconv.Quote(before), chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Errorf("the figure stayed %q after new data", before)
	}
	if !evaluate[bool](t, bctx, `document.querySelector("#s1-1-channel_shares canvas") === window.__canvas`) {
		t.Error("the chart was drawn anew rather than updated in place")
	}
}

// At 1920 × 1080 and 3840 × 2160 every step of the council chamber's
// playlist fits the screen: no text overflows its panel or the screen,
// and nothing is smaller than 18 px, or 36 px at 4K, in the page or in the
// charts' axes and legends.
func TestScreenLegibleAt1080pAnd4K(t *testing.T) {
	t.Parallel()
	srv := newServer(t, loadedDB(t, 5_000))
	srv.cfg.PresentPoll = time.Hour
	address := screenAddress(t, srv, "valtuustosali")
	ctx := browserSized(t, 3840, 2160, 3*time.Minute)
	dir := os.Getenv("LUUKKU_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	}
	for _, res := range []struct{ w, h, min int }{{1920, 1080, 18}, {3840, 2160, 36}} {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(res.w), int64(res.h))); err != nil {
			t.Fatal(err)
		}
		openDeck(t, ctx, address)
		press(t, ctx, " ")
		steps := evaluate[int](t, ctx, `document.querySelectorAll(".step").length`)
		for i := range steps {
			waitDrawn(t, ctx)
			id := current(t, ctx)
			for _, p := range evaluate[[]string](t, ctx, fmt.Sprintf(legibility, res.min)) {
				t.Errorf("%d×%d, %s: %s", res.w, res.h, id, p)
			}
			shot, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
			if err != nil {
				t.Fatal(err)
			}
			checkScreenshot(t, shot, res.w, res.h, fmt.Sprintf("%dx%d %s", res.w, res.h, id))
			os.WriteFile(filepath.Join(dir, fmt.Sprintf("screen-%d-%s.png", res.h, id)), shot, 0o644)
			if i < steps-1 {
				press(t, ctx, kb.ArrowRight)
			}
		}
	}
}

// legibility lists what does not fit or is too small on the step shown;
// %d is the least font size in pixels.
const legibility = `(function (min) {
	var problems = [];
	var step = document.querySelector(".step:not([hidden])");
	var vw = document.documentElement.clientWidth, vh = document.documentElement.clientHeight;
	function inside(r, b) { return r.left >= b.left - 1 && r.right <= b.right + 1 && r.top >= b.top - 1 && r.bottom <= b.bottom + 1; }
	var walker = document.createTreeWalker(step, NodeFilter.SHOW_TEXT);
	var n;
	while ((n = walker.nextNode())) {
		var text = n.textContent.trim();
		var el = n.parentElement;
		if (!text || el.closest("script, .chart, [hidden]")) continue;
		var size = parseFloat(getComputedStyle(el).fontSize);
		if (size < min) problems.push(size + " px: " + text.slice(0, 40));
		var range = document.createRange();
		range.selectNodeContents(n);
		var box = (el.closest(".kpi, [data-panel]") || step).getBoundingClientRect();
		Array.prototype.forEach.call(range.getClientRects(), function (r) {
			if (!inside(r, box) || r.right > vw + 1 || r.bottom > vh + 1) problems.push("overflows: " + text.slice(0, 40));
		});
	}
	step.querySelectorAll("[data-panel]").forEach(function (p) {
		if (p.scrollHeight > p.clientHeight + 2 || p.scrollWidth > p.clientWidth + 2) problems.push(p.id + " clips its content");
		p.querySelectorAll(".chart").forEach(function (c) {
			if (c.getBoundingClientRect().height < vh / 6) problems.push(p.id + ": the chart is " + Math.round(c.getBoundingClientRect().height) + " px high");
			var chart = echarts.getInstanceByDom(c);
			if (!chart) { problems.push(p.id + ": not drawn"); return; }
			var o = chart.getOption();
			[].concat(o.xAxis || [], o.yAxis || []).forEach(function (a) {
				if (a.axisLabel && a.axisLabel.fontSize < min) problems.push(p.id + ": axis labels " + a.axisLabel.fontSize + " px");
			});
			[].concat(o.legend || []).forEach(function (l) {
				if (l.show !== false && l.textStyle && l.textStyle.fontSize < min) problems.push(p.id + ": legend " + l.textStyle.fontSize + " px");
			});
			(o.series || []).forEach(function (s) {
				if (s.label && s.label.show && s.label.fontSize < min) problems.push(p.id + ": labels " + s.label.fontSize + " px");
			});
		});
	});
	return problems;
})(%d)`

// checkScreenshot checks that shot is a w × h picture with something on
// it: a blank or single-colour screen has a handful of colours at most.
func checkScreenshot(t *testing.T, shot []byte, w, h int, name string) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if b := img.Bounds(); b.Dx() != w || b.Dy() != h {
		t.Errorf("%s: the screenshot is %v", name, b)
	}
	colours := map[[3]uint32]bool{}
	for y := 0; y < h; y += 7 {
		for x := 0; x < w; x += 7 {
			r, g, b, _ := img.At(x, y).RGBA()
			colours[[3]uint32{r >> 12, g >> 12, b >> 12}] = true
		}
	}
	if len(colours) < 20 {
		t.Errorf("%s: the screen is nearly blank (%d colours)", name, len(colours))
	}
}

// Days of rotation do not grow the screen's memory: after many turns, and
// data refreshes among them, the JavaScript heap and the page's nodes are
// where they were after the first rounds. LUUKKU_SOAK_STEPS sets how many
// turns (make soak runs a long one).
func TestScreenMemoryStaysFlat(t *testing.T) {
	t.Parallel()
	turns := 240
	if s := os.Getenv("LUUKKU_SOAK_STEPS"); s != "" {
		turns, _ = strconv.Atoi(s)
	}
	pool := loadedDB(t, 3_000)
	srv := newServer(t, pool)
	srv.cfg.PresentPoll = 250 * time.Millisecond
	address := screenAddress(t, srv, "valtuustosali")
	ctx := browserSized(t, 1920, 1080, 20*time.Minute+time.Duration(turns)*200*time.Millisecond)
	openDeck(t, ctx, address)
	press(t, ctx, " ")

	// New data now and then, so that refreshes run among the turns.
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(3 * time.Second)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				pool.Exec(context.Background(), `UPDATE data_version SET version = version + 1`)
			}
		}
	}()
	defer func() { close(stop); <-done }()

	turn := func(n int) {
		t.Helper()
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](fmt.Sprintf(`(async function (n) {
			for (var i = 0; i < n; i++) {
				document.dispatchEvent(new KeyboardEvent("keydown", {key: "ArrowRight", bubbles: true}));
				await new Promise(function (r) { setTimeout(r, 40); });
			}
			return true;
		})(%d)`, n), chromedp.EvalAwaitPromise)); err != nil {
			t.Fatal(err)
		}
		waitDrawn(t, ctx)
	}
	type sample struct {
		heap         float64
		nodes, chart int
	}
	measure := func() sample {
		t.Helper()
		time.Sleep(500 * time.Millisecond) // let a refresh under way finish
		evaluate[bool](t, ctx, `window.__steps.length = 0, true`)
		if _, err := chromedp.Call(ctx, heapprofiler.CollectGarbage, cdp.Empty{}); err != nil {
			t.Fatal(err)
		}
		u, err := chromedp.Call(ctx, runtime.GetHeapUsage, cdp.Empty{})
		if err != nil {
			t.Fatal(err)
		}
		return sample{
			heap:  u.UsedSize,
			nodes: evaluate[int](t, ctx, `document.getElementsByTagName("*").length`),
			chart: evaluate[int](t, ctx, `Array.prototype.filter.call(document.querySelectorAll("[data-chart]"), function (el) { return !!echarts.getInstanceByDom(el); }).length`),
		}
	}
	turn(60) // ten rounds: caches and lazy code settle
	warm := measure()
	start := time.Now()
	turn(turns / 2)
	mid := measure()
	turn(turns - turns/2)
	end := measure()
	refreshes := evaluate[string](t, ctx, `document.body.getAttribute("data-version")`)
	t.Logf("%d turns in %v: heap %.2f → %.2f → %.2f MB, nodes %d → %d, live charts %d → %d, data version now %s",
		turns, time.Since(start).Round(time.Second), warm.heap/1e6, mid.heap/1e6, end.heap/1e6, warm.nodes, end.nodes, warm.chart, end.chart, refreshes)
	// A leak grows with the turns: the second half would add as much as
	// the first. Caches that fill once do not.
	if end.heap > mid.heap*1.05+0.5e6 || end.heap > warm.heap*1.3+1e6 {
		t.Errorf("the heap grew from %.2f to %.2f to %.2f MB over %d turns", warm.heap/1e6, mid.heap/1e6, end.heap/1e6, turns)
	}
	if math.Abs(float64(end.nodes-warm.nodes)) > float64(warm.nodes)/20 {
		t.Errorf("the page went from %d to %d nodes", warm.nodes, end.nodes)
	}
	if end.chart > 3 {
		t.Errorf("%d charts alive at once; a step has at most 3", end.chart)
	}
}
