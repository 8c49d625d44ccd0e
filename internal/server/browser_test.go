package server

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/luukku-bi/luukku/internal/auth"
	"github.com/luukku-bi/luukku/internal/pdf"
)

// browser starts Debian's headless chromium (see chromiumPath).
func browser(t *testing.T) context.Context {
	t.Helper()
	return browserSized(t, 1440, 1000, time.Minute)
}

// chromiumPath is the installed Chromium. Without it the test is skipped
// on a developer's machine but fails in CI, where `make test` installs it.
func chromiumPath(t *testing.T) string {
	t.Helper()
	path := pdf.Find()
	if path == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("chromium is not installed (make deps-chromium)")
		}
		t.Skip("chromium is not installed; run make deps-chromium")
	}
	return path
}

// browserSized is browser with a window of width × height pixels and a
// time limit for the whole test.
func browserSized(t *testing.T, width, height int, limit time.Duration) context.Context {
	t.Helper()
	opts := append(pdf.Options(chromiumPath(t), width, height),
		chromedp.UserDataDir(t.TempDir()),
		// The tests read Finnish pages unless they choose otherwise; a
		// browser speaks its system's language, which varies.
		chromedp.Flag("lang", "fi-FI"),
		chromedp.Flag("accept-lang", "fi-FI,fi"),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	ctx, cancelTimeout := context.WithTimeout(ctx, limit)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	return ctx
}

// The overview in a real browser: every chart draws, nothing breaks the
// Content-Security-Policy or throws, and a unit named like a script tag
// stays text.
func TestOverviewInBrowser(t *testing.T) {
	pool := loadedDB(t, 5_000)
	if _, err := pool.Exec(context.Background(),
		`UPDATE org_unit SET name_fi = '<img src=x onerror=alert(1)></script><script>alert(2)</script>'
		 WHERE code = (SELECT code FROM org_unit WHERE level = 'toimiala' ORDER BY path LIMIT 1)`); err != nil {
		t.Fatal(err)
	}
	srv := newBareServer(t, pool)
	addUser(t, srv.Server, "selain", auth.RoleExecutive)
	ts := httptest.NewServer(srv)
	defer ts.Close()
	ctx := browser(t)

	var mu sync.Mutex
	var problems []string
	err := chromedp.Listen(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch ev := ev.(type) {
		case *runtime.EventExceptionThrown:
			problems = append(problems, "exception: "+ev.ExceptionDetails.Text)
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeWarning {
				var parts []string
				for _, a := range ev.Args {
					parts = append(parts, string(a.Value)+a.Description)
				}
				problems = append(problems, "console: "+strings.Join(parts, " "))
			}
		case *page.EventJavascriptDialogOpening:
			problems = append(problems, "dialog opened: "+ev.Message)
		}
	})
	if err != nil {
		t.Fatal(err)
	}

	// Record Content-Security-Policy violations from the first byte: an
	// inline style or script that the policy blocks would otherwise fail
	// silently.
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
		Source: `window.__csp = []; document.addEventListener("securitypolicyviolation",
			e => window.__csp.push(e.violatedDirective + " " + e.blockedURI + " " + e.sample));`,
	}); err != nil {
		t.Fatal(err)
	}
	// Signing in through the form leads back to the page asked for.
	signInInBrowser(t, ctx, ts.URL+"/", "selain", ".filters")
	if who := evaluate[string](t, ctx, `document.querySelector(".account .who").textContent`); who != "selain" {
		t.Errorf("the header names %q as signed in", who)
	}
	charts := evaluate[int](t, ctx, `document.querySelectorAll("[data-chart]").length`)
	waitCharts(t, ctx)
	ready := evaluate[int](t, ctx, `document.querySelectorAll(".chart-ready").length`)
	canvases := evaluate[int](t, ctx, `document.querySelectorAll(".chart-ready canvas").length`)
	if charts < 6 || ready != charts || canvases < charts {
		t.Errorf("%d charts on the page, %d drawn, %d canvases", charts, ready, canvases)
	}
	// A tooltip over the budget chart shows euros, and the unit name as text.
	tooltip := evaluate[string](t, ctx, `(function () {
		const el = document.querySelector("#panel-budget_vs_actual .chart");
		const chart = echarts.getInstanceByDom(el);
		const names = chart.getOption().yAxis[0].data;
		const i = names.findIndex(n => n.includes("alert(2)"));
		chart.dispatchAction({type: "showTip", seriesIndex: 1, dataIndex: i});
		const tip = el.querySelector(".tt");
		return tip ? tip.textContent : "";
	})()`)
	if !strings.Contains(tooltip, "€") || !strings.Contains(tooltip, "alert(2)") {
		t.Errorf("tooltip = %q, want euros and the unit name as text", tooltip)
	}
	if csp := evaluate[string](t, ctx, `window.__csp.join("\n")`); csp != "" {
		t.Errorf("Content-Security-Policy violations:\n%s", csp)
	}
	if n := evaluate[int](t, ctx, `document.querySelectorAll(".kpi .spark polyline").length`); n < 3 {
		t.Errorf("%d sparkline strokes, want one per trended KPI", n)
	}

	// The channels dashboard: area, gauge and heatmap draw; the summary
	// table sorts by a numeric column, both ways, by keyboard-reachable
	// buttons.
	openPage(t, ctx, ts.URL+"/d/channels", "#panel-summary table")
	waitCharts(t, ctx)
	sorted := evaluate[[]string](t, ctx, `(function () {
		const button = document.querySelectorAll("#panel-summary thead th button")[1];
		const column = () => Array.from(document.querySelectorAll("#panel-summary tbody tr"), r => r.cells[1].getAttribute("data-sort"));
		button.click();
		const up = column().join(",");
		button.click();
		return [up, column().join(","), button.parentElement.getAttribute("aria-sort")];
	})()`)
	up, down := strings.Split(sorted[0], ","), strings.Split(sorted[1], ",")
	isSorted := func(s []string, less func(a, b int64) bool) bool {
		for i := 1; i < len(s); i++ {
			a, _ := strconv.ParseInt(s[i-1], 10, 64)
			b, _ := strconv.ParseInt(s[i], 10, 64)
			if less(b, a) {
				return false
			}
		}
		return len(s) > 1
	}
	if !isSorted(up, func(a, b int64) bool { return a < b }) || !isSorted(down, func(a, b int64) bool { return a > b }) || sorted[2] != "descending" {
		t.Errorf("sorting by feedback gave %v then %v (%s)", up, down, sorted[2])
	}
	if csp := evaluate[string](t, ctx, `window.__csp.join("\n")`); csp != "" {
		t.Errorf("Content-Security-Policy violations on the channels page:\n%s", csp)
	}

	// The themes map: the browser unpacks the points the server packed,
	// as many in each series as the map's table counts, each inside the
	// frame the server worked out from them, on the four-decimal grid.
	openPage(t, ctx, ts.URL+"/d/themes", "#panel-map table")
	waitCharts(t, ctx)
	mapped := evaluate[[]string](t, ctx, `(function () {
		const src = JSON.parse(document.getElementById("chart-map").textContent);
		const x = src.xAxis[0], y = src.yAxis[0];
		const option = echarts.getInstanceByDom(document.querySelector("#panel-map .chart")).getOption();
		const outside = option.series.flatMap(s => s.data).filter(p =>
			!(p[0] > x.min && p[0] < x.max && p[1] > y.min && p[1] < y.max) ||
			Math.abs(p[0] * 1e4 - Math.round(p[0] * 1e4)) > 1e-6 || Math.abs(p[1] * 1e4 - Math.round(p[1] * 1e4)) > 1e-6);
		const counts = Array.from(document.querySelectorAll("#panel-map tbody tr"), r => r.cells[1].getAttribute("data-sort"));
		return [option.series.map(s => s.data.length).join(","), counts.join(","), String(outside.length), String("packedPoints" in option)];
	})()`)
	if mapped[0] != mapped[1] || mapped[0] == "" || mapped[2] != "0" || mapped[3] != "false" {
		t.Errorf("map: points per series %s, the table counts %s; %s points off the frame or the grid; packed points left in the option: %s",
			mapped[0], mapped[1], mapped[2], mapped[3])
	}

	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	if dir := os.Getenv("LUUKKU_SCREENSHOTS"); dir != "" {
		os.WriteFile(filepath.Join(dir, "channels.png"), shot, 0o644)
	}
	time.Sleep(300 * time.Millisecond) // let late console events arrive
	mu.Lock()
	defer mu.Unlock()
	for _, p := range problems {
		t.Error(p)
	}
}

// openPage navigates to url and waits until the element selected by ready
// is visible.
func openPage(t *testing.T, ctx context.Context, url, ready string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS(ready))); err != nil {
		t.Fatal(err)
	}
}

// signInInBrowser opens target, which asks for a sign-in, signs in as
// user through the form and waits until the page shows the element
// selected by ready.
func signInInBrowser(t *testing.T, ctx context.Context, target, user, ready string) {
	t.Helper()
	if err := chromedp.Do(ctx,
		chromedp.Navigate(target),
		chromedp.WaitVisible(chromedp.CSS("#username")),
		chromedp.SendKeys(chromedp.CSS("#username"), user),
		chromedp.SendKeys(chromedp.CSS("#password"), testPassword),
		chromedp.Click(chromedp.CSS(".login button")),
		chromedp.WaitVisible(chromedp.CSS(ready)),
	); err != nil {
		t.Fatal(err)
	}
}

func evaluate[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// An admin uploads a feedback file in the browser: the page shows the
// upload's progress and then, without leaving the page, what was imported.
func TestUploadInBrowser(t *testing.T) {
	pool := loadedDB(t, 500)
	srv := newBareServer(t, pool)
	addUser(t, srv.Server, "lataaja", auth.RoleAdmin)
	ts := httptest.NewServer(srv)
	defer ts.Close()
	ctx := browser(t)
	file := filepath.Join(t.TempDir(), "palautteet.csv")
	os.WriteFile(file, []byte("Tunnus;Kanava;Vastuuyksikkö;Saapunut;Ensivastaus;Ratkaistu;Tila;Tyyppi;Otsikko;Palaute;Leveysaste;Pituusaste\n"+
		"U-1;Puhelin;puistot;20.5.2026 10:00;;;Avoin;Moite;;Puiston penkki on rikki.;;\n"), 0o644)
	signInInBrowser(t, ctx, ts.URL+"/admin/import", "lataaja", "input[type=file]")
	evaluate[bool](t, ctx, `window.__stayed = true`)
	if err := chromedp.Do(ctx,
		chromedp.SetUploadFiles(chromedp.CSS("input[type=file]"), []string{file}),
		chromedp.Click(chromedp.CSS("form[data-upload-progress] button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(".notice")),
	); err != nil {
		t.Fatal(err)
	}
	if notice := evaluate[string](t, ctx, `document.querySelector(".notice").textContent`); !strings.Contains(notice, "1 uutta") {
		t.Errorf("the page says %q", notice)
	}
	if !evaluate[bool](t, ctx, `window.__stayed === true`) {
		t.Error("the upload left the page: the progress bar was not used")
	}
	if n := count(t, pool, `SELECT count(*) FROM feedback WHERE source_id = 'U-1'`); n != 1 {
		t.Errorf("%d rows imported", n)
	}
}
