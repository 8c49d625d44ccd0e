package server

import (
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/luukku-bi/luukku/internal/auth"
)

type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target []string `json:"target"`
		HTML   string   `json:"html"`
	} `json:"nodes"`
}

// Every default dashboard, its presenter view, the items list and the
// sign-in page pass axe-core's WCAG 2.1 A and AA rules in chromium.
func TestAccessibility(t *testing.T) {
	t.Parallel()
	axe, err := os.ReadFile("testdata/axe.min.js")
	if err != nil {
		t.Fatal(err)
	}
	_, pool := readOnlyServer(t)
	srv := newBareServer(t, pool)
	addUser(t, srv.Server, "saavutettava", auth.RoleExecutive)
	ts := httptest.NewServer(srv)
	defer ts.Close()
	ctx := browserSized(t, 1440, 1000, 3*time.Minute)
	check := func(path string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+path)); err != nil {
			t.Fatal(err)
		}
		if _, err := chromedp.Run(ctx, chromedp.Poll[bool](
			`document.readyState === "complete" && document.querySelectorAll(".chart-ready").length === document.querySelectorAll(".step:not([hidden]) [data-chart], body:not([data-present]) [data-chart]").length`,
			chromedp.WithPollingTimeout(20*time.Second))); err != nil {
			t.Fatalf("%s did not draw: %v", path, err)
		}
		evaluate[bool](t, ctx, string(axe)+";true")
		vs, err := chromedp.Run(ctx, chromedp.Evaluate[[]axeViolation](
			`axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}).then(r => r.violations)`,
			chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range vs {
			var where []string
			for _, n := range v.Nodes[:min(3, len(v.Nodes))] {
				where = append(where, strings.Join(n.Target, " ")+" "+n.HTML[:min(120, len(n.HTML))])
			}
			t.Errorf("%s: %s (%s, %d places): %s\n\t%s", path, v.ID, v.Impact, len(v.Nodes), v.Help, strings.Join(where, "\n\t"))
		}
	}
	// The check can fail: an image without a text alternative is found.
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/login")); err != nil {
		t.Fatal(err)
	}
	evaluate[bool](t, ctx, string(axe)+`;document.body.append(Object.assign(document.createElement("img"), {src: "/x.png"})), true`)
	planted, err := chromedp.Run(ctx, chromedp.Evaluate[[]axeViolation](`axe.run(document).then(r => r.violations)`, chromedp.EvalAwaitPromise))
	if err != nil || !slices.ContainsFunc(planted, func(v axeViolation) bool { return v.ID == "image-alt" }) {
		t.Fatalf("axe did not find a planted image without alt: %v %v", planted, err)
	}
	check("/login")
	signInInBrowser(t, ctx, ts.URL+"/", "saavutettava", ".filters")
	for _, slug := range []string{"overview", "channels", "service", "themes", "finance", "hr", "actions", "combined"} {
		check(dashboardPath(slug))
	}
	check("/d/themes/items")
	check("/present/valtuustosali")
}
