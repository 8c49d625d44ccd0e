package panel

import (
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/luukku-bi/luukku/dashboards"
	"github.com/luukku-bi/luukku/internal/i18n"
	"github.com/luukku-bi/luukku/queries"
)

func channelMonths() *queries.Result {
	return &queries.Result{
		Columns: []queries.Column{{Name: "month", Type: queries.ColMonth}, {Name: "channel", Type: queries.ColChannel}, {Name: "n", Type: queries.ColInt}},
		Rows: [][]any{
			{month(1), "email", int64(10)}, {month(1), "phone", int64(5)},
			{month(2), "email", int64(7)}, {month(2), "phone", int64(9)},
		},
	}
}

func TestStackedArea(t *testing.T) {
	p := &dashboards.Panel{ID: "a", Kind: dashboards.KindArea, Stack: true, X: "month", Series: "channel", Y: []string{"n"}, Width: 12,
		Title: dashboards.Text{"fi": "A"}}
	js := optionJSON(t, build(t, p, Data{Result: channelMonths()}, dims, i18n.Finnish).Chart)
	for _, want := range []string{`"stack":"total"`, `"areaStyle":{"opacity":0.55}`, `"boundaryGap":false`, `"type":"line"`} {
		if !strings.Contains(js, want) {
			t.Errorf("option lacks %s:\n%s", want, js)
		}
	}
	p.Kind, p.Stack = dashboards.KindBar, false
	js = optionJSON(t, build(t, p, Data{Result: channelMonths()}, dims, i18n.Finnish).Chart)
	if strings.Contains(js, `"stack"`) || strings.Contains(js, "boundaryGap") {
		t.Errorf("unstacked bars are stacked:\n%s", js)
	}
}

func TestHeatmap(t *testing.T) {
	p := &dashboards.Panel{ID: "h", Kind: dashboards.KindHeatmap, X: "hour", Series: "weekday", Y: []string{"n"}, Width: 12,
		Title: dashboards.Text{"fi": "H"}}
	res := &queries.Result{
		Columns: []queries.Column{{Name: "hour", Type: queries.ColHour}, {Name: "weekday", Type: queries.ColWeekday}, {Name: "n", Type: queries.ColInt}},
		Rows: [][]any{
			{int64(8), int64(1), int64(40)}, {int64(8), int64(2), int64(12)},
			{int64(9), int64(1), int64(55)},
		},
	}
	v := build(t, p, Data{Result: res}, dims, i18n.Finnish)
	js := optionJSON(t, v.Chart)
	for _, want := range []string{
		`"type":"heatmap"`,
		`"max":55`,
		`"data":["8–9","9–10"]`, // hours across
		`"data":["ti","ma"]`,    // Monday at the top
		`{"name":"8–9 · ma","value":[0,1,40]}`,
		`{"name":"9–10 · ti","value":[1,0,0]}`, // a missing count is a zero cell
	} {
		if !strings.Contains(js, want) {
			t.Errorf("option lacks %s:\n%s", want, js)
		}
	}
	if got := strings.Join(v.Table.Head, "|"); got != "hour|ma|ti" && got != "Kellonaika|ma|ti" && !strings.HasSuffix(got, "|ma|ti") {
		t.Errorf("table head = %q", got)
	}
	if v.Table.Rows[1][0].Text != "9–10" || v.Table.Rows[1][2].Text != "0" {
		t.Errorf("table rows = %+v", v.Table.Rows)
	}
}

func TestGaugeBands(t *testing.T) {
	warn := 50.0
	res := &queries.Result{Columns: []queries.Column{{Name: "share", Type: queries.ColPercent}}, Rows: [][]any{{57.5}}}
	tests := []struct {
		better string
		target dashboards.Target
		want   string
	}{
		{"higher", dashboards.Target{Value: 60, Warn: &warn}, `"color":[[0.5,"` + badColor + `"],[0.6,"` + warnColor + `"],[1,"` + goodColor + `"]]`},
		{"higher", dashboards.Target{Value: 60}, `"color":[[0.6,"` + badColor + `"],[1,"` + goodColor + `"]]`},
		{"lower", dashboards.Target{Value: 20, Warn: &warn}, `"color":[[0.2,"` + goodColor + `"],[0.5,"` + warnColor + `"],[1,"` + badColor + `"]]`},
	}
	for _, tt := range tests {
		p := &dashboards.Panel{ID: "g", Kind: dashboards.KindGauge, Y: []string{"share"}, Width: 4, Title: dashboards.Text{"fi": "G"},
			Better: map[string]string{"share": tt.better}, Targets: map[string]dashboards.Target{"share": tt.target}}
		v := build(t, p, Data{Result: res}, dims, i18n.Finnish)
		js := optionJSON(t, v.Chart)
		if !strings.Contains(js, tt.want) || !strings.Contains(js, `"max":100`) || !strings.Contains(js, `"value":57.5`) {
			t.Errorf("%s %+v: option lacks %s:\n%s", tt.better, tt.target, tt.want, js)
		}
		if len(v.Table.Rows) != 2 || v.Table.Rows[0][1].Text != "57,5\u00a0%" {
			t.Errorf("gauge table = %+v", v.Table.Rows)
		}
	}
}

func TestTablePanelSortKeys(t *testing.T) {
	p := &dashboards.Panel{ID: "t", Kind: dashboards.KindTable, X: "channel", Width: 12, Title: dashboards.Text{"fi": "T"}}
	res := &queries.Result{
		Columns: []queries.Column{{Name: "channel", Type: queries.ColChannel}, {Name: "n", Type: queries.ColInt}, {Name: "wait", Type: queries.ColMinutes}},
		Rows:    [][]any{{"email", int64(1200), 1500.0}, {"phone", int64(90), nil}},
	}
	v := build(t, p, Data{Result: res}, dims, i18n.Finnish)
	if v.Chart != nil || len(v.Table.Rows) != 2 {
		t.Fatalf("table panel = %+v", v)
	}
	row := v.Table.Rows[0]
	if row[0].Text != "Sähköposti" || row[1].Sort != "1200" || row[1].Text != "1\u00a0200" || row[2].Sort != "1500" || row[2].Text != "25,0\u00a0h" {
		t.Errorf("row = %+v", row)
	}
	if v.Table.Rows[1][2].Sort != "" || v.Table.Rows[1][2].Text != "–" {
		t.Errorf("empty cell = %+v", v.Table.Rows[1][2])
	}
}

func TestKPITargetsAndSparkline(t *testing.T) {
	warn := 48.0
	p := &dashboards.Panel{ID: "k", Kind: dashboards.KindKPI, Width: 12, Title: dashboards.Text{"fi": "K"},
		Better:  map[string]string{"wait": "lower"},
		Targets: map[string]dashboards.Target{"wait": {Value: 24, Warn: &warn}}}
	cols := []queries.Column{{Name: "n", Type: queries.ColInt}, {Name: "wait", Type: queries.ColHours}}
	trend := &queries.Result{
		Columns: []queries.Column{{Name: "month", Type: queries.ColMonth}, {Name: "n", Type: queries.ColInt}},
		Rows:    [][]any{{month(1), int64(10)}, {month(2), nil}, {month(3), int64(30)}, {month(4), int64(20)}, {month(5), int64(2)}},
	}
	for _, tt := range []struct {
		wait   float64
		status string
	}{{20, "good"}, {24, "good"}, {30, "warn"}, {48, "warn"}, {49, "bad"}} {
		v := build(t, p, Data{Result: &queries.Result{Columns: cols, Rows: [][]any{{int64(5), tt.wait}}}, Trend: trend,
			Through: time.Date(2026, 5, 12, 0, 0, 0, 0, time.UTC)}, dims, i18n.Finnish)
		k := v.KPIs[1]
		if k.Status != tt.status || k.Target != "Tavoite 24,0\u00a0h" {
			t.Errorf("wait %v: status %q target %q, want %q", tt.wait, k.Status, k.Target, tt.status)
		}
		if v.KPIs[0].Status != "" {
			t.Errorf("a KPI without a target has status %q", v.KPIs[0].Status)
		}
		// The trend has the n column only; February is missing, so the line
		// breaks; May is still running, so its stretch is apart.
		sp := v.KPIs[0].Trend
		if sp == nil || v.KPIs[1].Trend != nil {
			t.Fatalf("trends = %+v, %+v", sp, v.KPIs[1].Trend)
		}
		if len(sp.Lines) != 2 || sp.Lines[0] != "0.0,16.3" || sp.Lines[1] != "50.0,2.0 75.0,9.1" || sp.Partial != "75.0,9.1 100.0,22.0" {
			t.Errorf("spark = %+v", sp)
		}
		if sp.Label != "1/2026 10 … 5/2026 2 (kesken)" {
			t.Errorf("spark label = %q", sp.Label)
		}
	}
	// A complete last month is part of the line.
	v := build(t, p, Data{Result: &queries.Result{Columns: cols, Rows: [][]any{{int64(5), 1.0}}}, Trend: trend,
		Through: time.Date(2026, 5, 31, 0, 0, 0, 0, time.UTC)}, dims, i18n.Finnish)
	if sp := v.KPIs[0].Trend; sp.Partial != "" || sp.Lines[1] != "50.0,2.0 75.0,9.1 100.0,22.0" {
		t.Errorf("complete month: %+v", sp)
	}
}

func TestPointMap(t *testing.T) {
	p := &dashboards.Panel{ID: "m", Kind: dashboards.KindMap, X: "lon", Series: "theme", Y: []string{"lat"}, Width: 12,
		Title: dashboards.Text{"fi": "Kartta"}}
	res := &queries.Result{
		Columns: []queries.Column{{Name: "lon", Type: queries.ColFloat}, {Name: "lat", Type: queries.ColFloat}, {Name: "theme", Type: queries.ColTheme}},
		Rows: [][]any{
			{25.10, 61.80, "parks"}, {25.30, 61.90, "parks"}, {25.20, 61.85, "noise"},
		},
	}
	v := build(t, p, Data{Result: res}, dims, i18n.Finnish)
	m := decode(t, v.Chart)
	series := m["series"].([]any)
	if len(series) != 2 || series[0].(map[string]any)["type"] != "scatter" {
		t.Fatalf("series = %v", series)
	}
	// The points come packed (app.js unpacks them as unpackPoints does):
	// the longitudes' steps from the last point's, the latitudes' from the
	// origin, each series ordered by longitude.
	if js := string(v.Chart); !strings.Contains(js, `"packedPoints":{"scale":10000,"origin":[251000,618000],"series":[[0,0,2000,1000],[1000,500]]}`) {
		t.Errorf("points are not packed: %s", js)
	}
	want := [][][2]float64{{{25.1, 61.8}, {25.3, 61.9}}, {{25.2, 61.85}}}
	if got := unpackPoints(t, m); !reflect.DeepEqual(got, want) {
		t.Errorf("unpacked points = %v, want %v", got, want)
	}
	x := m["xAxis"].([]any)[0].(map[string]any)
	y := m["yAxis"].([]any)[0].(map[string]any)
	if x["min"].(float64) >= 25.10 || x["max"].(float64) <= 25.30 || y["min"].(float64) >= 61.80 || y["max"].(float64) <= 61.90 {
		t.Errorf("axes %v–%v × %v–%v do not frame the points", x["min"], x["max"], y["min"], y["max"])
	}
	if x["axisLabel"].(map[string]any)["show"] != false {
		t.Error("coordinates are shown on the axes")
	}
	if len(v.Table.Rows) != 2 || v.Table.Rows[0][1].Text != "2" || v.Table.Rows[1][1].Text != "1" {
		t.Errorf("map table = %+v", v.Table.Rows)
	}
}

func TestForecastLine(t *testing.T) {
	p := &dashboards.Panel{ID: "f", Kind: dashboards.KindLine, X: "month", Y: []string{"n"}, Width: 12,
		Title: dashboards.Text{"fi": "F"}, Forecast: &dashboards.Forecast{Months: 3, History: 36}}
	cols := []queries.Column{{Name: "month", Type: queries.ColMonth}, {Name: "n", Type: queries.ColInt}}
	pattern := []int64{-10, 5, 20, 15, 10, -5, -40, -20, 10, 15, 5, -5}
	var history, view [][]any
	start := time.Date(2023, 12, 1, 0, 0, 0, 0, time.UTC)
	for i := range 36 { // Dec 2023 … Nov 2026, the last one running
		m := start.AddDate(0, i, 0)
		row := []any{m, 100 + 2*int64(i) + pattern[int(m.Month())%12]}
		history = append(history, row)
		if i >= 24 {
			view = append(view, row)
		}
	}
	through := time.Date(2026, 11, 15, 0, 0, 0, 0, time.UTC)
	v := build(t, p, Data{Result: &queries.Result{Columns: cols, Rows: view}, History: &queries.Result{Columns: cols, Rows: history}, Through: through},
		dims, i18n.Finnish)
	m := decode(t, v.Chart)
	labels := m["xAxis"].([]any)[0].(map[string]any)["data"].([]any)
	if len(labels) != 14 || labels[12] != "12/2026" || labels[13] != "1/2027" {
		t.Fatalf("months = %v, want the view's 12 and two more", labels)
	}
	series := m["series"].([]any)
	if len(series) != 4 {
		t.Fatalf("%d series, want the actual, the forecast and the band's two", len(series))
	}
	fc := series[1].(map[string]any)
	data := fc["data"].([]any)
	// The dashed line starts at October, the last complete month, and
	// forecasts November (running) on: an exact series forecasts exactly.
	want := func(i int) float64 {
		m := start.AddDate(0, i, 0)
		return float64(100 + 2*int64(i) + pattern[int(m.Month())%12])
	}
	if fc["name"] != "Palautteet (ennuste)" && !strings.HasSuffix(fc["name"].(string), "(ennuste)") {
		t.Errorf("forecast series name %v", fc["name"])
	}
	for i, d := range data {
		val, _ := d.(map[string]any)["value"].(float64)
		switch {
		case i < 10:
			if d.(map[string]any)["value"] != nil {
				t.Errorf("month %d: forecast line before the last complete month: %v", i, d)
			}
		case math.Abs(val-want(24+i)) > 0.05:
			t.Errorf("month %d (%v): forecast %v, want %v", i, labels[i], val, want(24+i))
		}
	}
	if fc["lineStyle"].(map[string]any)["type"] != "dashed" {
		t.Error("the forecast is not dashed")
	}
	// The table lists the months beyond the view with the forecast.
	last := v.Table.Rows[len(v.Table.Rows)-1]
	if len(v.Table.Rows) != 14 || last[0].Text != "1/2027 (ennuste)" || !strings.HasPrefix(last[1].Text, "≈ ") {
		t.Errorf("table ends with %+v (%d rows)", last, len(v.Table.Rows))
	}

	// Too little history: no forecast, and a note that says why.
	v = build(t, p, Data{Result: &queries.Result{Columns: cols, Rows: view}, History: &queries.Result{Columns: cols, Rows: history[20:]}, Through: through},
		dims, i18n.Finnish)
	if len(decode(t, v.Chart)["series"].([]any)) != 1 || v.Note == "" {
		t.Errorf("short history: %d series, note %q", len(decode(t, v.Chart)["series"].([]any)), v.Note)
	}
}

func TestLimitAndChosenKPIs(t *testing.T) {
	p := &dashboards.Panel{ID: "l", Kind: dashboards.KindHBar, X: "channel", Y: []string{"n"}, Width: 6, Limit: 1,
		Title: dashboards.Text{"fi": "L"}}
	res := &queries.Result{
		Columns: []queries.Column{{Name: "channel", Type: queries.ColChannel}, {Name: "n", Type: queries.ColInt}},
		Rows:    [][]any{{"email", int64(9)}, {"phone", int64(5)}},
	}
	if v := build(t, p, Data{Result: res}, dims, i18n.Finnish); len(v.Table.Rows) != 1 || v.Table.Rows[0][0].Text != "Sähköposti" {
		t.Errorf("limit 1: %+v", v.Table.Rows)
	}
	k := &dashboards.Panel{ID: "k", Kind: dashboards.KindKPI, Y: []string{"b"}, Width: 3, Title: dashboards.Text{"fi": "K"}}
	kres := &queries.Result{Columns: []queries.Column{{Name: "a", Type: queries.ColInt}, {Name: "b", Type: queries.ColPercent}}, Rows: [][]any{{int64(1), 42.0}}}
	if v := build(t, k, Data{Result: kres}, dims, i18n.Finnish); len(v.KPIs) != 1 || v.KPIs[0].Value != "42,0\u00a0%" {
		t.Errorf("chosen KPI: %+v", v.KPIs)
	}
}

// A panel that names its columns shows only those, in its order, in the
// chart's table and in exports; the shared result stays whole.
func TestChosenColumns(t *testing.T) {
	p := &dashboards.Panel{ID: "c", Kind: dashboards.KindBar, X: "channel", Y: []string{"late"}, Width: 6,
		Columns: []string{"channel", "late"}, Title: dashboards.Text{"fi": "C"}}
	res := &queries.Result{
		Columns: []queries.Column{{Name: "channel", Type: queries.ColChannel}, {Name: "median", Type: queries.ColMinutes},
			{Name: "late", Type: queries.ColInt}},
		Rows: [][]any{{"email", 90.0, int64(9)}, {"phone", 5.0, int64(2)}},
	}
	v := build(t, p, Data{Result: res}, dims, i18n.Finnish)
	if len(v.Table.Head) != 2 || len(v.Table.Rows) != 2 || v.Table.Rows[0][1].Text != "9" {
		t.Errorf("table: %v %+v", v.Table.Head, v.Table.Rows)
	}
	s := NewSheet(p, res, dims, i18n.Finnish)
	var heads []string
	for _, c := range s.Columns {
		heads = append(heads, c.Header)
	}
	if got := strings.Join(heads, ","); got != "Kanava,channel_code,late" || len(s.Rows[1]) != 3 || s.Rows[1][2] != int64(2) {
		t.Errorf("sheet: %s %v", got, s.Rows)
	}
	if len(res.Columns) != 3 || len(res.Rows[0]) != 3 {
		t.Errorf("the shared result changed: %+v", res)
	}
}

func TestScatter(t *testing.T) {
	p := &dashboards.Panel{ID: "s", Kind: dashboards.KindScatter, X: "sick", Y: []string{"complaints"}, Series: "unit", Width: 6,
		Title: dashboards.Text{"fi": "S"}}
	res := &queries.Result{
		Columns: []queries.Column{{Name: "unit", Type: queries.ColUnit}, {Name: "sick", Type: queries.ColPercent}, {Name: "complaints", Type: queries.ColPercent}},
		Rows:    [][]any{{"a", 4.5, 40.0}, {"b", nil, 35.0}},
	}
	d := *dims
	d.Link = func(t queries.ColumnType, code string) string { return "/?unit=" + code }
	v := build(t, p, Data{Result: res}, &d, i18n.Finnish)
	series := decode(t, v.Chart)["series"].([]any)
	// The withheld figure has no point; the other is named and placed.
	if len(series) != 1 || v.FormatX != "percent" || v.Format != "percent" {
		t.Fatalf("series %v, formats %q %q", series, v.FormatX, v.Format)
	}
	point := series[0].(map[string]any)["data"].([]any)[0].(map[string]any)
	if point["name"] != "Yksikkö A" || point["value"].([]any)[0] != 4.5 || point["value"].([]any)[1] != 40.0 {
		t.Errorf("point = %v", point)
	}
	if len(v.Drill) != 1 || v.Drill[0] != "/?unit=a" {
		t.Errorf("drill = %v", v.Drill)
	}
	if len(v.Table.Rows) != 2 {
		t.Errorf("the table lists %d rows, want both", len(v.Table.Rows))
	}
}

// unpackPoints is app.js's unpack: each series' points from a map's
// packedPoints.
func unpackPoints(t *testing.T, option map[string]any) [][][2]float64 {
	t.Helper()
	packed, ok := option["packedPoints"].(map[string]any)
	if !ok {
		t.Fatalf("no packed points in %v", option)
	}
	scale := packed["scale"].(float64)
	origin := packed["origin"].([]any)
	var out [][][2]float64
	for _, s := range packed["series"].([]any) {
		flat := s.([]any)
		x := origin[0].(float64)
		var pts [][2]float64
		for j := 0; j < len(flat); j += 2 {
			x += flat[j].(float64)
			pts = append(pts, [2]float64{x / scale, (origin[1].(float64) + flat[j+1].(float64)) / scale})
		}
		out = append(out, pts)
	}
	return out
}
