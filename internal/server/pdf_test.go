package server

import (
	"bytes"
	"io"
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

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/luukku-bi/luukku/internal/auth"
	"github.com/luukku-bi/luukku/internal/pdf"
)

// Without Chromium on the server the PDF download says why, in the
// reader's language, and what to do instead.
func TestDashboardPDFWithoutChromium(t *testing.T) {
	srv, _ := readOnlyServer(t)
	rec, doc := get(t, srv, "/d/finance/dashboard.pdf?lang=sv")
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(doc.Find("main").Text(), "Chromium") ||
		!strings.Contains(doc.Find("main").Text(), "skriva ut") {
		t.Errorf("PDF without Chromium: %d %q", rec.Code, doc.Find("main").Text())
	}
	if _, doc := get(t, srv, "/d/finance"); doc.Find(`a.pdf-link[href="/d/finance/dashboard.pdf"]`).Length() != 1 {
		t.Error("the dashboard does not offer its PDF")
	}
	if rec, _ := get(t, srv, "/d/finance/dashboard.pdf?unit=nosuch"); rec.Code != http.StatusBadRequest {
		t.Errorf("PDF of an unknown unit: %d", rec.Code)
	}
}

// The PDF is the dashboard as its reader sees it, printed by Chromium
// signed in as that reader: A4 pages, the reader's scope and language,
// audited as an export.
func TestDashboardPDF(t *testing.T) {
	t.Parallel()
	chromium := chromiumPath(t)
	pool := loadedDB(t, 2_000)
	printer := pdf.New(chromium, "", 1)
	srv := newBareServer(t, pool, func(c *Config) { c.PDF = printer })
	unit := firstToimiala(t, srv)
	addUser(t, srv.Server, "paallikko", auth.RoleUnitHead, unit)
	ts := httptest.NewServer(srv)
	defer ts.Close()
	printer.SetBase(ts.URL)
	cookie := login(t, srv.Server, "paallikko", testPassword)

	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, ts.URL+"/d/finance/dashboard.pdf?lang=sv", nil)
	req.AddCookie(cookie)
	start := time.Now()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	took := time.Since(start)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("PDF: %d %s: %.300s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	if !bytes.HasPrefix(body, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %.40q", body)
	}
	if cd := resp.Header.Get("Content-Disposition"); !strings.Contains(cd, `filename="luukku-finance-dashboard-`) || !strings.HasSuffix(cd, `.pdf"`) {
		t.Errorf("Content-Disposition = %q", cd)
	}
	pages := len(regexp.MustCompile(`/Type\s*/Page\b[^s]`).FindAll(body, -1))
	var w, h float64
	if m := regexp.MustCompile(`/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]`).FindSubmatch(body); m != nil {
		w, _ = strconv.ParseFloat(string(m[1]), 64)
		h, _ = strconv.ParseFloat(string(m[2]), 64)
	}
	if pages < 2 || math.Abs(w-595.3) > 1 || math.Abs(h-841.9) > 1 {
		t.Errorf("%d pages of %.1f × %.1f pt: want A4 (595,3 × 841,9 pt), more than one page", pages, w, h)
	}
	t.Logf("finance dashboard: %d A4 pages, %d KB, %v", pages, len(body)/1024, took.Round(time.Millisecond))
	if dir := os.Getenv("LUUKKU_SCREENSHOTS"); dir != "" {
		os.WriteFile(filepath.Join(dir, "finance.pdf"), body, 0o644)
	}

	// Chromium read the page as the unit head, in Swedish, in her scope.
	var viewed, exported int64
	viewed = count(t, pool, `SELECT count(*) FROM audit_event WHERE username = 'paallikko' AND action = 'view'
		AND target = '/d/finance' AND detail LIKE '%lang=sv%'`)
	exported = count(t, pool, `SELECT count(*) FROM audit_event WHERE username = 'paallikko' AND action = 'export'
		AND target = '/d/finance/dashboard.pdf'`)
	if viewed != 1 || exported != 1 {
		t.Errorf("audit: %d views of /d/finance in Swedish and %d PDF exports by the unit head, want 1 and 1", viewed, exported)
	}
	// Another unit is outside her scope, in print as on screen.
	req, _ = http.NewRequestWithContext(t.Context(), http.MethodGet, ts.URL+"/d/finance/dashboard.pdf?unit="+cityCode(t, srv), nil)
	req.AddCookie(cookie)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusForbidden {
		t.Errorf("PDF of the whole city for a unit head: %v %v", resp.StatusCode, err)
	}
}

// Printing from the browser: at the paper's width and in print media the
// page drops what only works on a screen, keeps the period and the
// filters in words, and every chart fits the paper.
func TestPrintLayout(t *testing.T) {
	t.Parallel()
	ctx, _, _ := executiveInBrowser(t, 2_000, 1200, 900, "/?channel=email")
	waitCharts(t, ctx)
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{Width: 703, Height: 1000, DeviceScaleFactor: 1}); err != nil {
		t.Fatal(err)
	}
	// The media change refits the charts to the paper.
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`[...document.querySelectorAll(".chart-ready")].every(el => {
			const c = echarts.getInstanceByDom(el); return c && c.getWidth() === el.clientWidth && el.clientWidth <= 703; })`,
		chromedp.WithPollingTimeout(5*time.Second))); err != nil {
		t.Errorf("the charts were not refitted to the paper: %v", err)
	}
	problems := evaluate[[]string](t, ctx, `(function () {
		const out = [];
		for (const sel of [".top nav", ".filters", ".export", ".account", ".pdf-link", ".present-link", "details.data"]) {
			for (const el of document.querySelectorAll(sel)) if (el.getBoundingClientRect().height > 0) out.push(sel + " is printed");
		}
		for (const sel of [".period", ".chips", "h1", ".foot"]) {
			const el = document.querySelector(sel);
			if (!el || el.getBoundingClientRect().height === 0) out.push(sel + " is not printed");
		}
		if (document.querySelector(".period").innerText.includes("·")) out.push("the period line keeps the links' separators: " + document.querySelector(".period").innerText);
		for (const el of document.querySelectorAll(".chart-ready")) {
			const o = echarts.getInstanceByDom(el).getOption();
			if ((o.toolbox || []).some(t => t.show !== false)) out.push(el.parentElement.id + " prints its save button");
			if ((o.legend || []).some(l => l.type === "scroll")) out.push(el.parentElement.id + " prints a legend in pages");
		}
		for (const el of document.querySelectorAll("main *")) {
			const box = el.getBoundingClientRect();
			if (box.width > 0 && box.right > 704) out.push(el.tagName.toLowerCase() + "." + el.className + " ends at " + Math.round(box.right));
		}
		return out.slice(0, 10);
	})()`)
	for _, p := range problems {
		t.Error(p)
	}
}
