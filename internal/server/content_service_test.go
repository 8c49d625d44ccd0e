package server

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/luukku-bi/luukku/dashboards"
	"github.com/luukku-bi/luukku/internal/i18n"
	"github.com/luukku-bi/luukku/internal/metrics"
)

// The service-level and theme dashboards render every panel with data, for
// the whole city and for one toimiala, and a toimiala's by-unit panels break
// it down by its own units.
func TestServiceAndThemesRenderWithData(t *testing.T) {
	srv, pool := readOnlyServer(t)
	const toimiala, toimialaPath = "kaupunkiymparisto", "esimerkkila.kaupunkiymparisto"
	eachPanel(t, srv, []string{"service", "themes"}, []string{"", "?unit=" + toimiala}, func(path string, p *dashboards.Panel, sec *goquery.Selection) {
		switch {
		case p.Kind == dashboards.KindKPI:
			sec.Find(".kpi dd.value").Each(func(_ int, v *goquery.Selection) {
				if v.Text() == "–" {
					t.Errorf("%s: a KPI of %s has no value", path, p.ID)
				}
			})
		case sec.Find("table tbody tr").Length() == 0:
			t.Errorf("%s: panel %s has no rows", path, p.ID)
		}
	})

	// The by-unit panels of a toimiala have a row for each of its units
	// that has feedback, and link each to that unit.
	_, doc := get(t, srv, dashboardPath("service")+"?unit="+toimiala)
	want := count(t, pool, `SELECT count(DISTINCT u.id) FROM feedback f JOIN org_unit u ON u.id = f.unit_id
		WHERE u.path <@ $1::ltree AND f.received_at >= '2025-07-01' AND f.received_at < '2026-07-01'`, toimialaPath)
	for _, id := range []string{"first_response_by_unit", "within_target_by_unit", "resolution_by_unit"} {
		rows := doc.Find("#panel-" + id + " tbody tr")
		if int64(rows.Length()) != want {
			t.Errorf("%s has %d rows, want one for each of the %d units of %s", id, rows.Length(), want, toimiala)
		}
		rows.Each(func(_ int, r *goquery.Selection) {
			if href, _ := r.Find("th a").Attr("href"); !strings.Contains(href, "unit=") || strings.Contains(href, "unit="+toimiala) {
				t.Errorf("%s: row %q links to %q, not to a unit of %s", id, r.Find("th").Text(), href, toimiala)
			}
		})
	}
}

// The backlog by age sums to the open-at-period-end KPI and to a direct
// count, for a period that ends with the data and for a past one (where
// feedback resolved after the period still counts as open at its end); its
// two oldest buckets are the overview's "open over 14 days".
func TestServiceBacklogMatchesSQL(t *testing.T) {
	srv, pool := readOnlyServer(t)
	const open = `SELECT count(*) FROM feedback f JOIN org_unit u ON u.id = f.unit_id
		WHERE f.received_at >= $1::date AND f.received_at < $2::date + 1 AND u.path <@ $3::ltree
		AND (f.resolved_at IS NULL OR f.resolved_at >= $2::date + 1)`
	const old = open + ` AND f.received_at < least($2::date + 1, now()) - interval '14 days'`
	for _, tt := range []struct{ url, from, to, path string }{
		{"/d/service", "2025-07-01", "2026-06-30", "esimerkkila"},
		{"/d/service?unit=kaupunkiymparisto&from=2026-01-01&to=2026-03-31", "2026-01-01", "2026-03-31", "esimerkkila.kaupunkiymparisto"},
	} {
		rec, doc := get(t, srv, tt.url)
		if rec.Code != http.StatusOK {
			t.Fatalf("GET %s = %d", tt.url, rec.Code)
		}
		want := count(t, pool, open, tt.from, tt.to, tt.path)
		wantOld := count(t, pool, old, tt.from, tt.to, tt.path)
		if want == 0 || wantOld == 0 {
			t.Fatalf("%s: the test data has no open feedback (%d, %d over 14 days)", tt.url, want, wantOld)
		}
		var total, over14 int64
		rows := doc.Find("#panel-backlog tbody tr")
		if rows.Length() != 5 {
			t.Errorf("%s: %d age buckets, want 5", tt.url, rows.Length())
		}
		rows.Each(func(i int, r *goquery.Selection) {
			r.Find("td").Each(func(_ int, c *goquery.Selection) {
				n := digitsOf(c.Text())
				total += n
				if i >= 3 {
					over14 += n
				}
			})
		})
		if total != want {
			t.Errorf("%s: the backlog sums to %d, want %d", tt.url, total, want)
		}
		if got := kpi(t, doc, "Avoinna jakson lopussa"); got != want {
			t.Errorf("%s: open at period end KPI = %d, want %d", tt.url, got, want)
		}
		if over14 != wantOld {
			t.Errorf("%s: backlog over 14 days = %d, want %d", tt.url, over14, wantOld)
		}
	}
}

// The top trending theme is the one that grew most against the period of
// the same length before, among themes with at least 30 items, and its
// growth is the one shown; clicking it opens its feedback.
func TestThemesTrendingMatchesSQL(t *testing.T) {
	srv, pool := readOnlyServer(t)
	const from, to, prevFrom = "2026-01-01", "2026-03-31", "2025-10-03" // 90 days, and the 90 before
	_, doc := get(t, srv, "/d/themes?from="+from+"&to="+to)
	first := doc.Find("#panel-trending tbody tr").First()
	href, _ := first.Find("th a").Attr("href")
	u, err := url.Parse(href)
	if err != nil || !strings.HasPrefix(href, "/d/themes/items?") {
		t.Fatalf("the top trending theme links to %q", href)
	}
	shown := u.Query().Get("theme")

	const n = `SELECT count(*) FROM feedback WHERE $1 = ANY (themes) AND received_at >= $2::date AND received_at < $3::date`
	rows, err := pool.Query(context.Background(), `SELECT code FROM theme ORDER BY code`)
	if err != nil {
		t.Fatal(err)
	}
	var themes []string
	for rows.Next() {
		var c string
		rows.Scan(&c)
		themes = append(themes, c)
	}
	rows.Close()
	best, bestGrowth := "", 0.0
	var bestNow, bestThen int64
	for _, th := range themes {
		now := count(t, pool, n, th, from, "2026-04-01")
		then := count(t, pool, n, th, prevFrom, from)
		if now < 30 || then == 0 {
			continue
		}
		g := 100 * float64(now-then) / float64(then)
		if best == "" || g > bestGrowth {
			best, bestGrowth, bestNow, bestThen = th, g, now, then
		}
	}
	if best == "" {
		t.Fatal("no theme has 30 items in the period")
	}
	if shown != best {
		t.Errorf("top trending theme = %s, want %s (%+.1f %%)", shown, best, bestGrowth)
	}
	cells := first.Find("td")
	if got, want := cells.Eq(0).Text(), i18n.Number(bestGrowth, 1)+"\u00a0%"; got != want {
		t.Errorf("growth of %s = %q, want %q", best, got, want)
	}
	if now, then := digitsOf(cells.Eq(1).Text()), digitsOf(cells.Eq(2).Text()); now != bestNow || then != bestThen {
		t.Errorf("%s: %d now and %d before, want %d and %d", best, now, then, bestNow, bestThen)
	}
}

// The distributions make sense on every row: the 90th percentile is never
// below the median, and shares are between 0 and 100 %.
func TestServiceNumbersAreConsistent(t *testing.T) {
	srv, _ := readOnlyServer(t)
	csvRows := func(panel string) [][]float64 {
		t.Helper()
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/d/service/panels/"+panel+".csv", nil))
		if rec.Code != http.StatusOK {
			t.Fatalf("GET %s.csv = %d", panel, rec.Code)
		}
		r := csv.NewReader(strings.NewReader(strings.TrimPrefix(rec.Body.String(), "\ufeff")))
		r.Comma = ';'
		recs, err := r.ReadAll()
		if err != nil || len(recs) < 2 {
			t.Fatalf("%s.csv: %v, %d lines", panel, err, len(recs))
		}
		var out [][]float64
		for _, rec := range recs[1:] {
			var nums []float64
			for _, f := range rec[2:] { // the label and its code first
				v, err := strconv.ParseFloat(strings.Replace(f, ",", ".", 1), 64)
				if err != nil {
					v = -1 // an empty value
				}
				nums = append(nums, v)
			}
			out = append(out, nums)
		}
		return out
	}
	for _, p := range []string{"first_response_by_channel", "resolution_by_channel", "first_response_by_unit", "resolution_by_unit"} {
		for i, r := range csvRows(p) {
			if median, p90 := r[0], r[1]; median >= 0 && p90 < median {
				t.Errorf("%s row %d: the 90th percentile %v is below the median %v", p, i, p90, median)
			}
		}
	}
	for _, p := range []string{"within_target_by_channel", "within_target_by_unit"} {
		for i, r := range csvRows(p) {
			if share := r[0]; share < 0 || share > 100 {
				t.Errorf("%s row %d: within target %v %%", p, i, share)
			}
		}
	}
	// Five KPI cards, and the first-response chart draws the target beside
	// the two percentiles.
	_, doc := get(t, srv, "/d/service")
	if n := doc.Find("#panel-kpis .kpi").Length(); n != 5 {
		t.Errorf("%d KPI cards, want 5", n)
	}
	var option map[string]any
	if err := json.Unmarshal([]byte(doc.Find("#chart-first_response_by_channel").Text()), &option); err != nil {
		t.Fatal(err)
	}
	if n := len(option["series"].([]any)); n != 3 {
		t.Errorf("first response chart has %d series, want median, p90 and target", n)
	}
}

// Panels that show parts of one query's result share one run of it, even
// without a result cache; each shows, and exports, only its own columns.
func TestPanelsShareAQueryRunOnce(t *testing.T) {
	_, pool := readOnlyServer(t)
	m := metrics.New()
	srv := newServer(t, pool, func(c *Config) { c.Metrics = m })
	if rec, _ := get(t, srv, "/d/service"); rec.Code != http.StatusOK {
		t.Fatalf("GET /d/service: %d", rec.Code)
	}
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	for _, q := range []string{"service_by_channel", "service_by_unit"} {
		if want := `luukku_query_duration_seconds_count{outcome="ok",query="` + q + `"} 1` + "\n"; !strings.Contains(rec.Body.String(), want) {
			t.Errorf("/metrics lacks %s", strings.TrimSpace(want))
		}
	}
	for panel, want := range map[string]string{
		"within_target_by_channel": "channel_code;Vastattu tavoiteajassa;Ajassa;Myöhässä",
		"resolution_by_unit":       "unit_code;Mediaani;90. persentiili;Ratkaistu",
	} {
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/d/service/panels/"+panel+".csv", nil))
		header, _, _ := strings.Cut(rec.Body.String(), "\r\n")
		if _, cols, _ := strings.Cut(header, ";"); cols != want {
			t.Errorf("%s.csv: header %q, want …;%s", panel, header, want)
		}
	}
}

// A cell of the theme × unit matrix leads to that theme's feedback in that
// unit, by click (the chart's drill list) and by the data table's link;
// the count there is the cell's.
func TestThemeUnitCellsDrillToItems(t *testing.T) {
	srv, _ := readOnlyServer(t)
	_, doc := get(t, srv, "/d/themes?unit=kaupunkiymparisto")
	sec := doc.Find("#panel-theme_by_unit")
	var drill []string
	if err := json.Unmarshal([]byte(sec.Find(`script[id^="drill-"]`).Text()), &drill); err != nil || len(drill) == 0 {
		t.Fatalf("the heatmap has no drill list: %v", err)
	}
	cell := sec.Find("tbody td a").First()
	href, _ := cell.Attr("href")
	u, err := url.Parse(href)
	if err != nil || u.Path != "/d/themes/items" || u.Query().Get("theme") == "" || u.Query().Get("unit") == "" {
		t.Fatalf("the first cell links to %q", href)
	}
	if !slices.Contains(drill, href) {
		t.Errorf("the table's link %q is not among the chart's", href)
	}
	_, items := get(t, srv, href)
	if got, want := digitsOf(items.Find(".summary strong").Text()), digitsOf(cell.Text()); got != want {
		t.Errorf("%s: %d items, the cell says %d", href, got, want)
	}
}
