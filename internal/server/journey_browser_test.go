package server

import (
	"bytes"
	"context"
	"encoding/csv"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/luukku-bi/luukku/internal/auth"
)

// A department head's morning, as she clicks through it in a real browser:
// sign in, narrow to one channel, drill into a unit by clicking its bar,
// open the feedback behind the figure, download it as CSV and switch to
// Swedish. Each step checks what the page then shows.
func TestUserJourneyInBrowser(t *testing.T) {
	t.Parallel()
	ctx, _, ts := executiveInBrowser(t, 5_000, 1440, 1000, "/")
	waitCharts(t, ctx)
	if lang := evaluate[string](t, ctx, `document.documentElement.lang`); lang != "fi" {
		t.Fatalf("a Finnish browser got a page in %q", lang)
	}
	before := digitsOf(evaluate[string](t, ctx, `document.querySelector("#panel-kpis .kpi .value").firstChild.textContent`))

	// Filters: tick one channel and apply.
	channel := evaluate[string](t, ctx, `document.querySelector(".filters .channels input").value`)
	label := strings.TrimSpace(evaluate[string](t, ctx, `document.querySelector(".filters .channels label").textContent`))
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(".filters .channels input")),
		chromedp.Click(chromedp.CSS(".filters .actions button")),
		chromedp.WaitVisible(chromedp.CSS(".chips")),
	); err != nil {
		t.Fatal(err)
	}
	waitCharts(t, ctx)
	if u := evaluate[string](t, ctx, `location.search`); !strings.Contains(u, "channel="+channel) {
		t.Errorf("after filtering by %s the address is %q", channel, u)
	}
	if chips := evaluate[string](t, ctx, `document.querySelector(".chips").textContent`); !strings.Contains(chips, label) {
		t.Errorf("the filter chips say %q, want %q", chips, label)
	}
	filtered := digitsOf(evaluate[string](t, ctx, `document.querySelector("#panel-kpis .kpi .value").firstChild.textContent`))
	if filtered <= 0 || filtered >= before {
		t.Errorf("feedback %d for channel %s, %d for all: one channel must be fewer", filtered, channel, before)
	}

	// Drill down: click the first unit's bar in the budget chart, with the
	// mouse, where the chart drew it.
	target := evaluate[[]any](t, ctx, `(function () {
		const el = document.querySelector("#panel-budget_vs_actual .chart");
		el.scrollIntoView({block: "center"});
		const chart = echarts.getInstanceByDom(el);
		const bar = chart.getModel().getSeriesByIndex(1).getData().getItemLayout(0);
		const box = el.getBoundingClientRect();
		const urls = JSON.parse(document.getElementById(el.getAttribute("data-drill")).textContent);
		return [box.left + bar.x + bar.width / 2, box.top + bar.y + bar.height / 2,
			urls[0], chart.getOption().yAxis[0].data[0]];
	})()`)
	wantURL, unit := target[2].(string), target[3].(string)
	if err := chromedp.Do(ctx,
		chromedp.MouseClickXY(target[0].(float64), target[1].(float64)),
		chromedp.WaitVisible(chromedp.CSS(".crumbs")), // the overview has none
	); err != nil {
		t.Fatalf("clicking %s's bar led nowhere: %v", unit, err)
	}
	if u := evaluate[string](t, ctx, `location.pathname + location.search`); u != wantURL {
		t.Errorf("clicking %s's bar led to %s, want %s", unit, u, wantURL)
	}
	waitCharts(t, ctx)
	if crumb := evaluate[string](t, ctx, `document.querySelector(".crumbs [aria-current]").textContent`); crumb != unit {
		t.Errorf("after the drill the breadcrumb ends in %q, want %q", crumb, unit)
	}
	if !strings.Contains(wantURL, "channel="+channel) {
		t.Errorf("the drill to %s dropped the channel filter", wantURL)
	}
	inUnit := digitsOf(evaluate[string](t, ctx, `document.querySelector("#panel-kpis .kpi .value").firstChild.textContent`))

	// Drill through: the feedback behind the figure, as many as it says.
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(".period a:not(.present-link)")),
		chromedp.WaitVisible(chromedp.CSS(".item-list")),
	); err != nil {
		t.Fatal(err)
	}
	total := digitsOf(evaluate[string](t, ctx, `document.querySelector(".summary strong").textContent`))
	rows := evaluate[int](t, ctx, `document.querySelectorAll(".item-list tbody tr").length`)
	if total != inUnit || rows == 0 {
		t.Errorf("the items page lists %d (%d rows shown); the dashboard said %d", total, rows, inUnit)
	}

	// Export: the CSV link downloads a file with every item.
	dir := t.TempDir()
	done := chromedp.Events(ctx, cdpbrowser.DownloadProgress)
	if _, err := chromedp.Call(ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
		Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir, EventsEnabled: new(true),
	}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`.export a[href*="items.csv"]`))); err != nil {
		t.Fatal(err)
	}
	var file string
	for ev, err := range done {
		if err != nil {
			t.Fatalf("download: %v", err)
		}
		if ev.State == cdpbrowser.DownloadProgressStateCompleted {
			file = filepath.Join(dir, ev.GUID)
			break
		}
	}
	body, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\ufeff"))))
	r.Comma = ';'
	records, err := r.ReadAll()
	if err != nil {
		t.Fatalf("the downloaded CSV does not parse: %v", err)
	}
	if int64(len(records)-1) != total {
		t.Errorf("the CSV has %d items, the page %d", len(records)-1, total)
	}

	// Switch language: the same list in Swedish, the filters kept.
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`.langs a[hreflang="sv"]`)),
		chromedp.WaitVisible(chromedp.CSS(`html[lang="sv"] .item-list`)),
	); err != nil {
		t.Fatal(err)
	}
	if back := evaluate[string](t, ctx, `document.querySelector("main p a").textContent`); back == "" || strings.Contains(back, "Takaisin") {
		t.Errorf("the back link in Swedish reads %q", back)
	}
	if sv := digitsOf(evaluate[string](t, ctx, `document.querySelector(".summary strong").textContent`)); sv != total {
		t.Errorf("in Swedish the list has %d items, in Finnish %d", sv, total)
	}
	// The choice holds on pages reached without ?lang=.
	openPage(t, ctx, ts.URL+"/d/hr", "h1")
	if h1 := evaluate[string](t, ctx, `document.documentElement.lang + " " + document.querySelector("h1").textContent`); h1 != "sv Personal" {
		t.Errorf("the HR dashboard after choosing Swedish: %q", h1)
	}
}

// executiveInBrowser serves a city with that much feedback, signs an
// executive in through the form in a browser window of width × height
// and leaves the browser at target.
func executiveInBrowser(t *testing.T, feedback, width, height int, target string) (context.Context, *testServer, *httptest.Server) {
	t.Helper()
	srv := newBareServer(t, loadedDB(t, feedback))
	addUser(t, srv.Server, "selaaja", auth.RoleExecutive)
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	ctx := browserSized(t, width, height, 2*time.Minute)
	signInInBrowser(t, ctx, ts.URL+target, "selaaja", ".filters")
	return ctx, srv, ts
}

// waitCharts waits until every chart on the page has drawn.
func waitCharts(t *testing.T, ctx context.Context) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](chartsDrawn, chromedp.WithPollingTimeout(20*time.Second))); err != nil {
		t.Fatalf("charts did not draw: %v", err)
	}
}

// A mayor on the go: every dashboard on a phone's screen (390 × 844 CSS
// pixels, touch) fits its width, with nothing to scroll sideways but wide
// tables inside their own box, charts as wide as the screen allows and
// text no smaller than 12 px.
func TestPhoneLayout(t *testing.T) {
	t.Parallel()
	ctx, srv, ts := executiveInBrowser(t, 2_000, 390, 844, "/")
	if _, err := chromedp.Call(ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
		Width: 390, Height: 844, DeviceScaleFactor: 3, Mobile: true,
	}); err != nil {
		t.Fatal(err)
	}
	for _, d := range srv.cfg.Definitions().All() {
		openPage(t, ctx, ts.URL+dashboardPath(d.Slug), ".grid")
		waitCharts(t, ctx)
		problems := evaluate[[]string](t, ctx, `(function () {
			const out = [], width = document.documentElement.clientWidth;
			if (document.documentElement.scrollWidth > width) out.push("the page scrolls sideways: " + document.documentElement.scrollWidth + " > " + width);
			const inScroller = el => { for (let p = el.parentElement; p; p = p.parentElement) { if (p.classList.contains("table-wrap")) return true; } return false; };
			for (const el of document.querySelectorAll("header *, main *")) {
				const box = el.getBoundingClientRect();
				if (box.width === 0 || inScroller(el) || getComputedStyle(el).position === "absolute") continue;
				if (box.right > width + 1) out.push(el.tagName.toLowerCase() + "." + el.className + " ends at " + Math.round(box.right));
				if (el.childNodes.length && [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()) && parseFloat(getComputedStyle(el).fontSize) < 12)
					out.push(el.tagName.toLowerCase() + " text at " + getComputedStyle(el).fontSize);
			}
			for (const c of document.querySelectorAll(".chart")) {
				if (c.clientWidth < width - 80) out.push(c.parentElement.id + " chart only " + c.clientWidth + " px wide");
			}
			return out.slice(0, 8);
		})()`)
		for _, p := range problems {
			t.Errorf("%s on a phone: %s", d.Slug, p)
		}
		// ECharts is bundled with only the charts and components the
		// dashboards use: one left out drops its series or component from
		// the chart without a word, so every part of each option must be
		// in what ECharts made of it.
		dropped := evaluate[[]string](t, ctx, `(function () {
			const out = [];
			for (const el of document.querySelectorAll(".chart[data-chart]")) {
				const source = JSON.parse(document.getElementById(el.dataset.chart).textContent);
				const made = echarts.getInstanceByDom(el).getOption();
				for (const [key, want] of Object.entries(source)) {
					// app.js's own key, unpacked into the series' data.
					if (want === null || typeof want !== "object" || key === "packedPoints") continue;
					const n = Array.isArray(want) ? want.length : 1;
					const got = made[key] === undefined ? 0 : (Array.isArray(made[key]) ? made[key].length : 1);
					if (got < n) out.push(el.dataset.chart + ": " + key + " " + got + " of " + n);
				}
				for (const [i, s] of (source.series || []).entries()) {
					if (!made.series[i] || made.series[i].type !== s.type) out.push(el.dataset.chart + ": series " + i + " (" + s.type + ") not drawn");
				}
			}
			return out;
		})()`)
		for _, p := range dropped {
			t.Errorf("%s: ECharts left out %s", d.Slug, p)
		}
		if d.Slug == overviewSlug {
			shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(80))
			if err == nil && os.Getenv("LUUKKU_SCREENSHOTS") != "" {
				os.WriteFile(filepath.Join(os.Getenv("LUUKKU_SCREENSHOTS"), "phone.png"), shot, 0o644)
			}
		}
	}
}

// Everything a mouse does, a keyboard does: the first Tab lands on the
// skip link, which is visible when focused; a chart's data table opens
// with Enter and its links drill down like the chart's bars, with a
// visible focus ring on the way.
func TestKeyboardDrillDown(t *testing.T) {
	t.Parallel()
	ctx, _, ts := executiveInBrowser(t, 2_000, 1440, 1000, "/")
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible(chromedp.CSS(".grid")), chromedp.KeyEvent("\t")); err != nil {
		t.Fatal(err)
	}
	if skip := evaluate[string](t, ctx, `(function () {
		const el = document.activeElement, box = el.getBoundingClientRect();
		return el.className + (box.left >= 0 && box.width > 0 ? " visible" : " hidden");
	})()`); skip != "skip visible" {
		t.Errorf("the first Tab lands on %q, want the visible skip link", skip)
	}

	drill := evaluate[[]string](t, ctx, `JSON.parse(document.getElementById(
		document.querySelector("#panel-budget_vs_actual .chart").getAttribute("data-drill")).textContent)`)
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector("#panel-budget_vs_actual details.data summary").focus(), true`)); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.KeyEvent("\r"), chromedp.KeyEvent("\t")); err != nil {
		t.Fatal(err)
	}
	focused := evaluate[[]string](t, ctx, `(function () {
		const el = document.activeElement, style = getComputedStyle(el);
		return [el.tagName, el.getAttribute("href") || "", style.outlineStyle, style.outlineWidth,
			String(document.querySelector("#panel-budget_vs_actual details.data").open)];
	})()`)
	if focused[4] != "true" || focused[0] != "A" || !slices.Contains(drill, focused[1]) {
		t.Fatalf("after Enter and Tab on the data table: %v (open, link), want a link of %v", focused, drill)
	}
	if focused[2] == "none" || focused[3] == "0px" {
		t.Errorf("the focused link has no visible focus ring: outline %s %s", focused[2], focused[3])
	}
	if err := chromedp.Do(ctx, chromedp.KeyEvent("\r"), chromedp.WaitVisible(chromedp.CSS(".crumbs"))); err != nil {
		t.Fatal(err)
	}
	if u := evaluate[string](t, ctx, `location.pathname + location.search`); u != focused[1] {
		t.Errorf("Enter on the link led to %s, want %s", u, focused[1])
	}
}
