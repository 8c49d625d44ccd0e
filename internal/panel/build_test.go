package panel

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/luukku-bi/luukku/components"
	"github.com/luukku-bi/luukku/dashboards"
	"github.com/luukku-bi/luukku/internal/i18n"
	"github.com/luukku-bi/luukku/queries"
)

var dims = &Dimensions{
	Channels: map[string]Member{
		"email": {Name: dashboards.Text{"fi": "Sähköposti", "en": "Email"}, Color: ChannelColor("email")},
		"phone": {Name: dashboards.Text{"fi": "Puhelin", "en": "Phone"}, Color: ChannelColor("phone")},
	},
	Units: map[string]Member{"a": {Name: dashboards.Text{"fi": "Yksikkö A"}, Color: UnitColor(0)}},
}

func month(m time.Month) time.Time { return time.Date(2026, m, 1, 0, 0, 0, 0, time.UTC) }

// optionJSON is a chart's option, or part of one, as JSON text.
func optionJSON(t *testing.T, v any) string {
	t.Helper()
	if b, ok := v.([]byte); ok {
		return string(b)
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// decode is a chart's option as plain maps and slices.
func decode(t *testing.T, chart []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(chart, &m); err != nil {
		t.Fatalf("chart option: %v", err)
	}
	return m
}

// build is Build for a panel that must build.
func build(t *testing.T, p *dashboards.Panel, d Data, dims *Dimensions, lang i18n.Lang) components.Panel {
	t.Helper()
	v, err := Build(p, d, dims, lang)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestPivotLine(t *testing.T) {
	p := &dashboards.Panel{ID: "v", Kind: dashboards.KindLine, X: "month", Series: "channel", Y: []string{"n"}, Width: 12,
		Title: dashboards.Text{"fi": "Volyymi"}}
	res := &queries.Result{
		Columns: []queries.Column{{Name: "month", Type: queries.ColMonth}, {Name: "channel", Type: queries.ColChannel}, {Name: "n", Type: queries.ColInt}},
		Rows: [][]any{
			{month(1), "email", int64(1200)},
			{month(1), "phone", int64(5)},
			{month(2), "email", int64(7)},
			{month(4), "phone", int64(3)},
		},
	}
	v := build(t, p, Data{Result: res}, dims, i18n.Finnish)
	if got := v.Table.Head; strings.Join(got, "|") != "Kuukausi|Sähköposti|Puhelin" {
		t.Errorf("head = %q", got)
	}
	// February has no phone row: a missing count is zero, not blank.
	if got := v.Table.Rows[1][2].Text; got != "0" {
		t.Errorf("missing count shown as %q", got)
	}
	// March has no rows at all: it is still on the axis, with zeros.
	if len(v.Table.Rows) != 4 || v.Table.Rows[2][0].Text != "3/2026" || v.Table.Rows[2][1].Text != "0" {
		t.Errorf("months not filled in: %+v", v.Table.Rows)
	}
	if got := v.Table.Rows[0][1].Text; got != "1\u00a0200" {
		t.Errorf("Finnish number = %q", got)
	}
	js := optionJSON(t, v.Chart)
	if _, ok := decode(t, v.Chart)["color"]; ok {
		t.Error("default palette left in the option")
	}
	for _, want := range []string{`"1/2026"`, `"Sähköposti"`, ChannelColor("email"), ChannelColor("phone"), `"saveAsImage"`} {
		if !strings.Contains(js, want) {
			t.Errorf("option lacks %s: %s", want, js)
		}
	}
	if v.Format != "int" {
		t.Errorf("format = %q", v.Format)
	}
}

func TestBarWithTargetAndSuppression(t *testing.T) {
	p := &dashboards.Panel{ID: "r", Kind: dashboards.KindBar, X: "unit", Y: []string{"rate"}, Target: "goal",
		Suppressed: "<5", Width: 6, Title: dashboards.Text{"fi": "R"}}
	res := &queries.Result{
		Columns: []queries.Column{{Name: "unit", Type: queries.ColUnit}, {Name: "rate", Type: queries.ColPercent}, {Name: "goal", Type: queries.ColPercent}},
		Rows:    [][]any{{"a", 4.25, 4.0}, {"b", nil, 4.0}},
	}
	v := build(t, p, Data{Result: res}, dims, i18n.English)
	if got := v.Table.Rows[0][1].Text; got != "4,3\u00a0%" {
		t.Errorf("percent = %q", got)
	}
	if got := v.Table.Rows[1][1].Text; got != "<5" {
		t.Errorf("suppressed value shown as %q", got)
	}
	if got := v.Table.Rows[1][0].Text; got != "b" {
		t.Errorf("unknown code shown as %q", got)
	}
	series := decode(t, v.Chart)["series"]
	js := optionJSON(t, map[string]any{"s": series})
	if !strings.Contains(js, `"scatter"`) || !strings.Contains(js, `"Target"`) {
		t.Errorf("no target series: %s", js)
	}
	if !strings.Contains(js, UnitColor(0)) {
		t.Errorf("bar not coloured by unit: %s", js)
	}
}

func TestKPIAndEmpty(t *testing.T) {
	p := &dashboards.Panel{ID: "k", Kind: dashboards.KindKPI, Width: 12, Title: dashboards.Text{"fi": "K"},
		Labels: map[string]dashboards.Text{"h": {"fi": "Mediaani"}}}
	res := &queries.Result{
		Columns: []queries.Column{{Name: "feedback", Type: queries.ColInt}, {Name: "h", Type: queries.ColHours}},
		Rows:    [][]any{{int64(34567), 26.04}},
	}
	v := build(t, p, Data{Result: res}, dims, i18n.Finnish)
	if len(v.KPIs) != 2 || v.KPIs[0].Label != "Palautteet" || v.KPIs[0].Value != "34\u00a0567" ||
		v.KPIs[1].Label != "Mediaani" || v.KPIs[1].Value != "26,0\u00a0h" {
		t.Errorf("KPIs = %+v", v.KPIs)
	}
	empty := build(t, p, Data{Result: &queries.Result{Columns: res.Columns}}, dims, i18n.Finnish)
	if !empty.Empty || empty.Chart != nil {
		t.Errorf("empty result: %+v", empty)
	}
}

func TestHorizontalBarReadsTopDown(t *testing.T) {
	p := &dashboards.Panel{ID: "t", Kind: dashboards.KindHBar, X: "theme", Y: []string{"n"}, Width: 6, Title: dashboards.Text{"fi": "T"}}
	res := &queries.Result{
		Columns: []queries.Column{{Name: "theme", Type: queries.ColTheme}, {Name: "n", Type: queries.ColInt}},
		Rows:    [][]any{{"first", int64(9)}, {"second", int64(5)}},
	}
	v := build(t, p, Data{Result: res}, dims, i18n.Finnish)
	js := optionJSON(t, v.Chart)
	// ECharts draws the first category at the bottom, so the largest comes last.
	if strings.Index(js, `"second"`) > strings.Index(js, `"first"`) {
		t.Errorf("categories not reversed: %s", js)
	}
	if v.Table.Rows[0][0].Text != "first" {
		t.Errorf("table should keep the ranking order: %+v", v.Table.Rows)
	}
}

func TestKPIChangeRules(t *testing.T) {
	p := &dashboards.Panel{ID: "k", Kind: dashboards.KindKPI, Width: 12, Title: dashboards.Text{"fi": "K"},
		Better: map[string]string{"share": "higher", "wait": "lower"}}
	cols := []queries.Column{{Name: "feedback", Type: queries.ColInt}, {Name: "share", Type: queries.ColPercent}, {Name: "wait", Type: queries.ColHours}}
	res := func(n int64, share, wait float64) *queries.Result {
		return &queries.Result{Columns: cols, Rows: [][]any{{n, share, wait}}}
	}
	v := build(t, p, Data{Result: res(110, 61.5, 20), Earlier: []Comparison{
		{Than: "ed. jakso", Result: res(100, 60.0, 25)},
		{Than: "vuotta aiemmin", Result: res(0, 61.5, 10)},
	}}, dims, i18n.Finnish)
	tests := []struct {
		kpi, change int
		text, trend string
	}{
		{0, 0, "▲ 10,0\u00a0%", ""},         // a count: neutral
		{1, 0, "▲ 1,5\u00a0%-yks.", "good"}, // a share: percentage points
		{1, 1, "= 0,0\u00a0%-yks.", ""},     // unchanged
		{2, 0, "▼ 20,0\u00a0%", "good"},     // lower waiting is better
		{2, 1, "▲ 100,0\u00a0%", "bad"},
	}
	for _, tt := range tests {
		c := v.KPIs[tt.kpi].Changes[tt.change]
		if c.Text != tt.text || c.Trend != tt.trend {
			t.Errorf("KPI %d change %d = %q/%q, want %q/%q", tt.kpi, tt.change, c.Text, c.Trend, tt.text, tt.trend)
		}
	}
	// From zero there is no percentage: the change is left out.
	if n := len(v.KPIs[0].Changes); n != 1 {
		t.Errorf("feedback has %d changes, want 1 (none against zero)", n)
	}
}
