package server

import (
	"context"
	"encoding/json"
	"maps"
	"math"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/luukku-bi/luukku/dashboards"
	"github.com/luukku-bi/luukku/internal/i18n"
	"github.com/luukku-bi/luukku/queries"
)

// The finance and HR dashboards render every panel with data, for the
// whole city and for one toimiala.
func TestFinanceAndHRRenderWithData(t *testing.T) {
	srv, pool := readOnlyServer(t)
	var toimiala string
	if err := pool.QueryRow(t.Context(),
		`SELECT code FROM org_unit WHERE level = 'toimiala' ORDER BY path LIMIT 1`).Scan(&toimiala); err != nil {
		t.Fatal(err)
	}
	eachPanel(t, srv, []string{"finance", "hr"}, []string{"", "?unit=" + toimiala}, func(path string, p *dashboards.Panel, sec *goquery.Selection) {
		switch p.Kind {
		case dashboards.KindKPI:
			// The whole city and a toimiala are never small.
			sec.Find(".kpi").Each(func(_ int, k *goquery.Selection) {
				if v := finKPIValue(k); v == "" || v == "–" || v == "<5" {
					t.Errorf("%s: KPI %q of %s shows %q", path, k.Find("dt").Text(), p.ID, v)
				}
			})
		case dashboards.KindTable:
			if !finHasFigure(sec.Find("tbody td.num")) {
				t.Errorf("%s: table %s has no figures", path, p.ID)
			}
		default:
			var option map[string]any
			if err := json.Unmarshal([]byte(sec.Find("script#chart-"+p.ID).Text()), &option); err != nil {
				t.Errorf("%s: chart %s: %v", path, p.ID, err)
			} else if !finChartHasNumber(option["series"]) {
				t.Errorf("%s: chart %s draws no value", path, p.ID)
			}
			if !finHasFigure(sec.Find("tbody td.num")) {
				t.Errorf("%s: the data table of %s has no figures", path, p.ID)
			}
		}
	})
}

// The finance figures on the page are the ledger's, summed here by hand:
// KPIs, a toimiala's units, the income statement and the cumulative line.
func TestFinanceMatchesTheLedger(t *testing.T) {
	srv, pool := readOnlyServer(t)
	ctx := t.Context()
	d, _ := srv.cfg.Definitions().Get("finance")
	const toimiala, toimialaPath = "sivistys", "esimerkkila.sivistys"
	// January to March are booked in the demo (it ends on 30 June).
	const sumSQL = `
SELECT coalesce(sum(fm.actual) FILTER (WHERE ag.kind = 'expense'), 0)::float8,
       coalesce(sum(fm.budget) FILTER (WHERE ag.kind = 'expense'), 0)::float8,
       coalesce(sum(fm.actual) FILTER (WHERE ag.kind = 'income'), 0)::float8,
       coalesce(sum(fm.budget) FILTER (WHERE ag.kind = 'income'), 0)::float8
FROM finance_month fm
JOIN account_group ag ON ag.code = fm.account_group
JOIN org_unit u ON u.id = fm.unit_id
WHERE fm.month BETWEEN $1::date AND $2::date AND u.path <@ $3::ltree`
	type sums struct{ expenses, expenseBudget, revenues, revenueBudget float64 }
	ledger := func(first, last, path string) sums {
		var s sums
		if err := pool.QueryRow(ctx, sumSQL, first, last, path).Scan(&s.expenses, &s.expenseBudget, &s.revenues, &s.revenueBudget); err != nil {
			t.Fatal(err)
		}
		if s.expenses == 0 || s.revenues == 0 {
			t.Fatalf("no finance for %s %s..%s in the test data", path, first, last)
		}
		return s
	}

	want := ledger("2026-01-01", "2026-03-01", toimialaPath)
	_, doc := get(t, srv, "/d/finance?from=2026-01-01&to=2026-03-31&unit="+toimiala)
	kpis := finPanel(t, d, "kpis")
	finExpect(t, "expenses", finKPI(t, doc, kpis, "expenses"), want.expenses, 0, "\u00a0€")
	finExpect(t, "expense execution", finKPI(t, doc, kpis, "expense_execution"), 100*want.expenses/want.expenseBudget, 1, "\u00a0%")
	finExpect(t, "revenues", finKPI(t, doc, kpis, "revenues"), want.revenues, 0, "\u00a0€")
	finExpect(t, "revenue execution", finKPI(t, doc, kpis, "revenue_execution"), 100*want.revenues/want.revenueBudget, 1, "\u00a0%")
	budgetMargin := want.revenueBudget - want.expenseBudget
	finExpect(t, "margin deviation", finKPI(t, doc, kpis, "margin_deviation"),
		100*((want.revenues-want.expenses)-budgetMargin)/math.Abs(budgetMargin), 1, "\u00a0%")

	// Each unit of the toimiala.
	byUnit := finPanel(t, d, "by_unit")
	rows := finTable(t, doc, byUnit)
	units := finUnitNames(t, pool, toimialaPath)
	if len(rows) != len(units) {
		t.Errorf("by_unit has %d rows, want the %d units of %s", len(rows), len(units), toimiala)
	}
	for path, name := range units {
		u := ledger("2026-01-01", "2026-03-01", path)
		finExpect(t, name+" budget", rows[name]["expense_budget"], u.expenseBudget, 0, "\u00a0€")
		finExpect(t, name+" expenses", rows[name]["expenses"], u.expenses, 0, "\u00a0€")
		finExpect(t, name+" execution", rows[name]["expense_execution"], 100*u.expenses/u.expenseBudget, 1, "\u00a0%")
	}

	// The statement's totals and Toimintakate.
	statement := finTable(t, doc, finPanel(t, d, "statement"))
	finExpect(t, "Toimintakulut", statement["Toimintakulut"]["actual"], want.expenses, 0, "\u00a0€")
	finExpect(t, "Toimintatuotot", statement["Toimintatuotot"]["budget"], want.revenueBudget, 0, "\u00a0€")
	finExpect(t, "Toimintakate", statement["Toimintakate"]["actual"], want.revenues-want.expenses, 0, "\u00a0€")
	if len(statement) != 10+4 {
		t.Errorf("the statement has %d lines, want 10 account groups, 2 totals, Henkilöstökulut and Toimintakate: %v", len(statement), statement)
	}

	// The cumulative line: actual through the view's last month, the plan
	// through every budgeted month of the year.
	cum := finTable(t, doc, finPanel(t, d, "cumulative"))
	h1 := ledger("2026-01-01", "2026-06-01", toimialaPath)
	finExpect(t, "cumulative actual 3/2026", cum[i18n.Month(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC))]["actual"], want.expenses, 0, "\u00a0€")
	finExpect(t, "cumulative budget 6/2026", cum[i18n.Month(time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC))]["budget"], h1.expenseBudget, 0, "\u00a0€")
	if got := cum[i18n.Month(time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC))]["actual"]; !strings.HasPrefix(got, "≈ ") || !strings.Contains(got, "ennuste") {
		t.Errorf("cumulative actual for 4/2026, after the view, = %q, want the forecast", got)
	}
	if len(cum) != 12 {
		t.Errorf("the cumulative line has %d months, want the year's 12", len(cum))
	}
}

// Months the ledger has not booked yet are not spending: budget rows with
// no actuals beyond the data, and the month still running, leave the
// execution as it was over the booked months.
func TestFinanceCountsBookedMonthsOnly(t *testing.T) {
	pool := loadedDB(t, 2_000)
	ctx := t.Context()
	// The rest of the year budgeted as June was, nothing booked yet.
	if _, err := pool.Exec(ctx, `
INSERT INTO finance_month (month, unit_id, account_group, budget, actual)
SELECT (fm.month + make_interval(months => n))::date, fm.unit_id, fm.account_group, fm.budget, 0
FROM finance_month fm, generate_series(1, 6) n
WHERE fm.month = '2026-06-01'`); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `SELECT refresh_finance_counts()`); err != nil { // as every writer of the ledger does
		t.Fatal(err)
	}
	srv := newServer(t, pool)
	d, _ := srv.cfg.Definitions().Get("finance")
	kpis := finPanel(t, d, "kpis")
	execution := func(first, last string) float64 {
		var actual, budget float64
		if err := pool.QueryRow(ctx, `SELECT sum(actual)::float8, sum(budget)::float8 FROM finance_month fm
			JOIN account_group ag ON ag.code = fm.account_group AND ag.kind = 'expense'
			WHERE fm.month BETWEEN $1::date AND $2::date`, first, last).Scan(&actual, &budget); err != nil {
			t.Fatal(err)
		}
		return 100 * actual / budget
	}

	_, doc := get(t, srv, "/d/finance?from=2026-01-01&to=2026-12-31")
	finExpect(t, "execution over a year booked to June", finKPI(t, doc, kpis, "expense_execution"), execution("2026-01-01", "2026-06-01"), 1, "\u00a0%")
	cum := finTable(t, doc, finPanel(t, d, "cumulative"))
	dec, jun := i18n.Month(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)), i18n.Month(time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC))
	if cum[dec]["budget"] == "–" || !strings.HasPrefix(cum[dec]["actual"], "≈ ") || strings.HasPrefix(cum[jun]["actual"], "≈") {
		t.Errorf("cumulative: December budget %q and actual %q, June actual %q; want the plan through December, the actual through June and the forecast after",
			cum[dec]["budget"], cum[dec]["actual"], cum[jun]["actual"])
	}
	// The year-end estimate grows the booked half-year as last year's
	// second half grew its first, within a tenth.
	expenses := func(first, last string) (v float64) {
		pool.QueryRow(ctx, `SELECT sum(actual)::float8 FROM finance_month fm
			JOIN account_group ag ON ag.code = fm.account_group AND ag.kind = 'expense'
			WHERE fm.month BETWEEN $1::date AND $2::date`, first, last).Scan(&v)
		return v
	}
	want := expenses("2026-01-01", "2026-06-01") * expenses("2025-01-01", "2025-12-01") / expenses("2025-01-01", "2025-06-01")
	est, _, _ := strings.Cut(strings.TrimPrefix(cum[dec]["actual"], "≈ "), " (")
	got, err := strconv.ParseFloat(strings.NewReplacer("\u00a0", "", ",", ".").Replace(est), 64)
	if err != nil || math.Abs(got-want)/want > 0.1 {
		t.Errorf("the year-end estimate %q (%v); last year's shape gives %.0f", cum[dec]["actual"], err, want)
	}

	// Mid-June the month is still running: the view counts January to May.
	_, doc = get(t, srv, "/d/finance?from=2026-01-01&to=2026-06-15")
	finExpect(t, "execution mid-June", finKPI(t, doc, kpis, "expense_execution"), execution("2026-01-01", "2026-05-01"), 1, "\u00a0%")
}

// No figure about fewer than five persons leaves the database: every query
// that reads hr_month gives NULL for a small unit, shown as "<5", and the
// hr_ queries also withhold a complementary sibling, so that the parent's
// total minus the shown units does not reveal the small one.
func TestHRSuppressesSmallGroups(t *testing.T) {
	pool := loadedDB(t, 2_000)
	ctx := t.Context()
	// A toimiala whose units all have at least five persons, and its
	// smallest unit, made small for one month of the view.
	var parent, parentPath string
	if err := pool.QueryRow(ctx, `
SELECT t.code, t.path::text
FROM org_unit t
JOIN org_unit u ON u.path <@ t.path AND u.level = 'unit'
JOIN hr_month h ON h.unit_id = u.id
WHERE t.level = 'toimiala'
GROUP BY t.code, t.path
HAVING min(h.headcount) >= 5 AND count(DISTINCT u.id) >= 3
ORDER BY t.path LIMIT 1`).Scan(&parent, &parentPath); err != nil {
		t.Fatalf("no toimiala without small units in the demo: %v", err)
	}
	var small, smallPath, complement string
	if err := pool.QueryRow(ctx, `
SELECT u.code, u.path::text FROM org_unit u JOIN hr_month h ON h.unit_id = u.id
WHERE u.path <@ $1::ltree AND u.level = 'unit'
GROUP BY u.code, u.path ORDER BY min(h.headcount), u.path LIMIT 1`, parentPath).Scan(&small, &smallPath); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `UPDATE hr_month SET headcount = 3, fte = least(fte, 3)
		WHERE month = '2026-03-01' AND unit_id = (SELECT id FROM org_unit WHERE code = $1)`, small); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `SELECT refresh_hr_counts()`); err != nil { // as every writer of hr_month does
		t.Fatal(err)
	}
	// The complement is the next smallest unit over the view's months.
	if err := pool.QueryRow(ctx, `
SELECT u.code FROM org_unit u JOIN hr_month h ON h.unit_id = u.id
WHERE u.path <@ $1::ltree AND u.level = 'unit' AND u.code <> $2 AND h.month BETWEEN '2025-07-01' AND '2026-06-01'
GROUP BY u.code, u.path ORDER BY min(h.headcount), u.path LIMIT 1`, parentPath, small).Scan(&complement); err != nil {
		t.Fatal(err)
	}
	t.Logf("%s made small in %s, %s its complement", small, parent, complement)
	srv := newServer(t, pool)
	cat := srv.cfg.Definitions().Queries()
	args := func(path string) map[string]any {
		return map[string]any{
			"from": time.Date(2025, 7, 1, 0, 0, 0, 0, i18n.Helsinki()), "to": time.Date(2026, 6, 30, 0, 0, 0, 0, i18n.Helsinki()),
			"unit": path, "channels": []string{},
		}
	}

	// Every HR panel's query is among those checked.
	var hrQueries []string
	for _, name := range cat.Names() {
		if q, _ := cat.Get(name); readsStaff.MatchString(q.SQL) {
			hrQueries = append(hrQueries, name)
		}
	}
	hr, _ := srv.cfg.Definitions().Get("hr")
	for _, p := range hr.Panels {
		for _, name := range []string{p.Query, p.Sparkline} {
			if name != "" && !slices.Contains(hrQueries, name) {
				t.Errorf("hr panel %s: query %s does not read the staff", p.ID, name)
			}
		}
		if p.Suppressed != "<5" {
			t.Errorf("hr panel %s shows a withheld figure as %q, want <5", p.ID, p.Suppressed)
		}
	}

	for _, name := range hrQueries {
		q, _ := cat.Get(name)
		// The small unit itself and its complement: in the pure staff
		// queries, rows but not one figure. (A query that mixes in other
		// data, such as combined_by_unit, may show those.)
		var selected []string
		if strings.HasPrefix(name, "hr_") {
			selected = []string{small, complement}
		}
		for _, code := range selected {
			res := finRun(t, pool, q, args(parentPath+"."+code))
			if len(res.Rows) == 0 {
				t.Errorf("%s for %s: no rows", name, code)
			}
			for _, r := range res.Rows {
				for i, c := range res.Columns {
					if c.Type.Numeric() && r[i] != nil {
						t.Errorf("%s for %s: %s = %v, want NULL", name, code, c.Name, r[i])
					}
				}
			}
		}
		// The parent: the small unit's row withheld and its complement's
		// too, by every query (they all ask hr_shown); the others shown.
		res := finRun(t, pool, q, args(parentPath))
		ui := res.ColumnIndex("unit")
		withheld := map[string]bool{}
		for _, r := range res.Rows {
			for i, c := range res.Columns {
				if !c.Type.Numeric() {
					continue
				}
				if r[i] == nil && ui < 0 {
					t.Errorf("%s for %s: %s withheld, but %s is not small", name, parent, c.Name, parent)
				}
				if r[i] == nil && ui >= 0 {
					withheld[r[ui].(string)] = true
				}
			}
		}
		if ui < 0 {
			continue
		}
		want := map[string]bool{small: true, complement: true}
		if !maps.Equal(withheld, want) {
			t.Errorf("%s for %s: withheld %v, want %v", name, parent, withheld, want)
		}
	}
	// Together the withheld units had at least five persons every month, so
	// the parent's total minus the shown units is about five or more.
	if n := count(t, pool, `SELECT min(s) FROM (SELECT sum(h.headcount) s FROM hr_month h JOIN org_unit u ON u.id = h.unit_id
		WHERE u.code IN ($1, $2) AND h.month BETWEEN '2025-07-01' AND '2026-06-01' GROUP BY h.month) m`, small, complement); n < 5 {
		t.Errorf("the withheld units %s and %s had %d persons in some month", small, complement, n)
	}

	// On the page: for the small unit every figure of every panel is "<5".
	for _, code := range []string{small, complement} {
		path := "/d/hr?unit=" + code
		rec, doc := get(t, srv, path)
		if rec.Code != http.StatusOK {
			t.Fatalf("GET %s = %d", path, rec.Code)
		}
		for _, p := range hr.Panels {
			sec := doc.Find("#panel-" + p.ID)
			if sec.Find(".empty").Length() != 0 {
				t.Errorf("%s: panel %s is empty, want <5", path, p.ID)
			}
			sec.Find(".kpi").Each(func(_ int, k *goquery.Selection) {
				if v := finKPIValue(k); v != "<5" {
					t.Errorf("%s: KPI %q shows %q", path, k.Find("dt").Text(), v)
				}
				if k.Find("dd.change, dd.spark").Length() != 0 {
					t.Errorf("%s: KPI %q has a change or a trend line", path, k.Find("dt").Text())
				}
			})
			sec.Find("tbody td.num").Each(func(_ int, c *goquery.Selection) {
				if c.Text() != "<5" {
					t.Errorf("%s: panel %s shows %q", path, p.ID, c.Text())
				}
			})
			if p.Kind != dashboards.KindKPI && p.Kind != dashboards.KindTable {
				var option map[string]any
				json.Unmarshal([]byte(sec.Find("script#chart-"+p.ID).Text()), &option)
				if finChartHasNumber(option["series"]) {
					t.Errorf("%s: chart %s draws a value", path, p.ID)
				}
			}
		}
	}
	// The parent's table shows both withheld units as "<5" and the others.
	_, doc := get(t, srv, "/d/hr?unit="+parent)
	units := finUnitNames(t, pool, parentPath)
	table := finTable(t, doc, finPanel(t, hr, "by_unit"))
	for path, name := range units {
		code := path[strings.LastIndex(path, ".")+1:]
		if len(table[name]) == 0 {
			t.Errorf("by_unit for %s has no row for %s", parent, name)
		}
		for col, v := range table[name] {
			if hidden := code == small || code == complement; hidden != (v == "<5") {
				t.Errorf("by_unit for %s: %s %s = %q", parent, name, col, v)
			}
		}
	}
}

// readsStaff matches the SQL of a query that reads the staff: hr_month,
// its months (hr_months) or its branches' sums (hr_at).
var readsStaff = regexp.MustCompile(`\bhr_(month|months|at)\b`)

// The hr_ queries decide what to withhold with one and the same SQL, the
// function hr_shown, so that no panel shows what another withholds.
func TestHRQueriesShareTheSuppression(t *testing.T) {
	srv, _ := readOnlyServer(t)
	cat := srv.cfg.Definitions().Queries()
	n := 0
	for _, name := range cat.Names() {
		q, _ := cat.Get(name)
		if !readsStaff.MatchString(q.SQL) {
			continue
		}
		n++
		if !strings.Contains(q.SQL, "LEFT JOIN hr_shown(@from, @to) s ON") {
			t.Errorf("%s reads the staff without hr_shown deciding what it may show", name)
		}
	}
	if n < 5 {
		t.Errorf("%d queries read the staff, want the five of Henkilöstö at least", n)
	}
}

func finRun(t *testing.T, pool *pgxpool.Pool, q *queries.Query, args map[string]any) *queries.Result {
	t.Helper()
	res, err := q.Run(context.Background(), pool, args)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func finPanel(t *testing.T, d *dashboards.Dashboard, id string) *dashboards.Panel {
	t.Helper()
	for i := range d.Panels {
		if d.Panels[i].ID == id {
			return &d.Panels[i]
		}
	}
	t.Fatalf("dashboard %s has no panel %s", d.Slug, id)
	return nil
}

// finKPIValue is what a KPI card shows as its value, without the status word.
func finKPIValue(k *goquery.Selection) string {
	v := k.Find("dd.value").Clone()
	v.Find(".status").Remove()
	return strings.TrimSpace(v.Text())
}

// finKPI is the value of the panel's KPI card for column.
func finKPI(t *testing.T, doc *goquery.Document, p *dashboards.Panel, column string) string {
	t.Helper()
	label := p.Label(column, "fi")
	out, found := "", false
	doc.Find("#panel-" + p.ID + " .kpi").Each(func(_ int, k *goquery.Selection) {
		if strings.TrimSpace(k.Find("dt").Text()) == label {
			out, found = finKPIValue(k), true
		}
	})
	if !found {
		t.Fatalf("no KPI %q in %s", label, p.ID)
	}
	return out
}

// finTable reads the panel's table: by the text of each row's first cell,
// the other cells by column name.
func finTable(t *testing.T, doc *goquery.Document, p *dashboards.Panel) map[string]map[string]string {
	t.Helper()
	sec := doc.Find("#panel-" + p.ID)
	cols := map[int]string{}
	sec.Find("thead th").Each(func(i int, th *goquery.Selection) {
		for name, l := range p.Labels {
			if strings.TrimSpace(th.Text()) == l.In("fi") {
				cols[i] = name
			}
		}
	})
	out := map[string]map[string]string{}
	sec.Find("tbody tr").Each(func(_ int, tr *goquery.Selection) {
		row := map[string]string{}
		tr.Find("td").Each(func(i int, td *goquery.Selection) {
			if name, ok := cols[i+1]; ok {
				row[name] = strings.TrimSpace(td.Text())
			}
		})
		out[strings.TrimSpace(tr.Find("th").Text())] = row
	})
	if len(out) == 0 {
		t.Fatalf("panel %s has no table rows", p.ID)
	}
	return out
}

// finUnitNames are the Finnish names of the units directly under path, by path.
func finUnitNames(t *testing.T, pool *pgxpool.Pool, path string) map[string]string {
	t.Helper()
	rows, err := pool.Query(context.Background(),
		`SELECT path::text, name_fi FROM org_unit WHERE path <@ $1::ltree AND nlevel(path) = nlevel($1::ltree) + 1`, path)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for rows.Next() {
		var p, n string
		if err := rows.Scan(&p, &n); err != nil {
			t.Fatal(err)
		}
		out[p] = n
	}
	return out
}

// finExpect checks that shown is want as the page formats it.
func finExpect(t *testing.T, what, shown string, want float64, decimals int, suffix string) {
	t.Helper()
	if w := i18n.Number(want, decimals) + suffix; shown != w {
		t.Errorf("%s = %q, want %q", what, shown, w)
	}
}

// finHasFigure reports whether any cell shows a number.
func finHasFigure(cells *goquery.Selection) bool {
	found := false
	cells.Each(func(_ int, c *goquery.Selection) {
		found = found || strings.ContainsAny(c.Text(), "0123456789")
	})
	return found
}

// finChartHasNumber reports whether the chart's series hold any number.
func finChartHasNumber(v any) bool {
	switch v := v.(type) {
	case float64:
		return !math.IsNaN(v)
	case []any:
		return slices.ContainsFunc(v, finChartHasNumber)
	case map[string]any:
		for k, x := range v {
			if (k == "data" || k == "value") && finChartHasNumber(x) {
				return true
			}
		}
	}
	return false
}

// The statement and the account groups speak the reader's language.
func TestFinanceNamesInEveryLanguage(t *testing.T) {
	srv, _ := readOnlyServer(t)
	for lang, want := range map[string][]string{
		"fi": {"Toimintakate", "Henkilöstökulut", "Palkat ja palkkiot"},
		"sv": {"Verksamhetsbidrag", "Personalkostnader", "Löner och arvoden"},
		"en": {"Operating margin", "Personnel expenses", "Wages and salaries"},
	} {
		_, doc := get(t, srv, "/d/finance?lang="+lang)
		text := doc.Find("#panel-statement").Text() + doc.Find("#panel-by_account_group").Text()
		for _, w := range want {
			if !strings.Contains(text, w) {
				t.Errorf("%s: the finance page lacks %q", lang, w)
			}
		}
	}
}
