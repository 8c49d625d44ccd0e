package dashboards

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/luukku-bi/luukku/queries"
)

func catalog(t *testing.T) *queries.Catalog {
	t.Helper()
	cat, err := queries.Load(queries.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

func TestEmbeddedDashboardsAreValid(t *testing.T) {
	set, err := Load(Embedded(), catalog(t))
	if err != nil {
		t.Fatal(err)
	}
	d, ok := set.Get("overview")
	if !ok {
		t.Fatal("no overview dashboard")
	}
	for _, lang := range []string{"fi", "sv", "en"} {
		if d.Title[lang] == "" {
			t.Errorf("overview has no %s title", lang)
		}
		for _, p := range d.Panels {
			if p.Title[lang] == "" {
				t.Errorf("panel %s has no %s title", p.ID, lang)
			}
		}
	}
}

const valid = `slug: x
title: {fi: X}
filters: [period]
panels:
  - id: a
    kind: bar
    query: feedback_by_channel
    x: channel
    y: [feedback]
    width: 6
    title: {fi: A}
`

func TestInvalidDefinitions(t *testing.T) {
	tests := []struct {
		name    string
		replace [2]string
		want    string
	}{
		{"valid", [2]string{"", ""}, ""},
		{"unknown field", [2]string{"width: 6", "widht: 6"}, "field widht not found"},
		{"unknown query", [2]string{"query: feedback_by_channel", "query: nope"}, `query "nope" does not exist`},
		{"unknown column", [2]string{"x: channel", "x: chanel"}, `x column "chanel" is not a column`},
		{"text as value", [2]string{"y: [feedback]", "y: [channel]"}, `y column "channel" is not numeric`},
		{"unknown kind", [2]string{"kind: bar", "kind: radar"}, `unknown kind "radar"`},
		{"unknown filter", [2]string{"filters: [period]", "filters: [colour]"}, `unknown filter "colour"`},
		{"width", [2]string{"width: 6", "width: 13"}, "width 13 is outside"},
		{"bad slug", [2]string{"slug: x", "slug: X Y"}, "slug"},
		{"yaml line", [2]string{"title: {fi: A}", "title: [A"}, "line"},
		{"stacked donut", [2]string{"kind: bar", "kind: donut\n    stack: true"}, "stack applies to line, area, bar and hbar panels"},
		{"target without direction", [2]string{"width: 6", "width: 6\n    targets: {feedback: {value: 10}}"}, "targets feedback: say under better whether higher or lower is good"},
		{"warn on the good side", [2]string{"width: 6", "width: 6\n    better: {feedback: lower}\n    targets: {feedback: {value: 10, warn: 5}}"}, "warn 5 is on the good side of the target 10"},
		{"target on a bar chart", [2]string{"width: 6", "width: 6\n    better: {feedback: lower}\n    targets: {feedback: {value: 10}}"}, "targets apply to kpi and gauge panels"},
		{"heatmap without rows", [2]string{"kind: bar", "kind: heatmap"}, "a heatmap takes x across, series down and one y column"},
		{"gauge with x", [2]string{"kind: bar", "kind: gauge"}, "a gauge takes one y column and no x or series"},
		{"gauge of a count without max", [2]string{"kind: bar\n    query: feedback_by_channel\n    x: channel", "kind: gauge\n    query: feedback_by_channel"}, "a gauge of int needs max"},
		{"max on a bar chart", [2]string{"width: 6", "width: 6\n    max: 10"}, "max is a positive number, for gauges only"},
		{"unknown link", [2]string{"width: 6", "width: 6\n    link: nope"}, `link "nope" is not a dashboard`},
		{"sparkline on bars", [2]string{"width: 6", "width: 6\n    sparkline: overview_kpis_by_month"}, "sparkline applies to kpi panels only"},
		{"table needs no axes", [2]string{"kind: bar\n    query: feedback_by_channel\n    x: channel\n    y: [feedback]", "kind: table\n    query: feedback_by_channel"}, ""},
		{"self link", [2]string{"width: 6", "width: 6\n    link: x"}, ""},
		{"negative limit", [2]string{"width: 6", "width: 6\n    limit: -1"}, "limit -1 is negative"},
		{"kpi of chosen columns", [2]string{"kind: bar\n    query: feedback_by_channel\n    x: channel\n    y: [feedback]", "kind: kpi\n    query: overview_kpis\n    y: [digital_share]"}, ""},
		{"kpi of a missing column", [2]string{"kind: bar\n    query: feedback_by_channel\n    x: channel\n    y: [feedback]", "kind: kpi\n    query: overview_kpis\n    y: [digital]"}, `y column "digital" is not a column`},
		{"forecast of bars", [2]string{"width: 6", "width: 6\n    forecast: {months: 6}"}, "forecast applies to unstacked line panels"},
		{"map of names", [2]string{"kind: bar", "kind: map"}, `a map's x is a longitude, and "channel" is not numeric`},
		{"some of the columns", [2]string{"width: 6", "width: 6\n    columns: [channel, feedback]"}, ""},
		{"a column not shown", [2]string{"width: 6", "width: 6\n    columns: [channel]"}, `y column "feedback" is not a column the panel shows`},
		{"a label of a column not shown", [2]string{"width: 6", "width: 6\n    columns: [feedback, channel]\n    labels: {digital: {fi: D}}"}, `labelled column "digital" is not a column`},
		{"columns not of the query", [2]string{"width: 6", "width: 6\n    columns: [channel, feedback, colour]"}, `columns: "colour" is not a column of query feedback_by_channel`},
		{"a column twice", [2]string{"width: 6", "width: 6\n    columns: [channel, feedback, channel]"}, `columns: "channel" is named twice`},
		{"columns of a kpi", [2]string{"kind: bar\n    query: feedback_by_channel\n    x: channel\n    y: [feedback]", "kind: kpi\n    query: overview_kpis\n    columns: [digital_share]"}, "columns: a kpi panel shows its y columns"},
	}
	for _, tt := range tests {
		src := valid
		if tt.replace[0] != "" {
			src = strings.Replace(valid, tt.replace[0], tt.replace[1], 1)
		}
		_, err := Load(fstest.MapFS{"x.yaml": {Data: []byte(src)}}, catalog(t))
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "x.yaml")):
			t.Errorf("%s: err = %v, want x.yaml and %q", tt.name, err, tt.want)
		}
	}
}

func TestQueryParametersMustBeSupplied(t *testing.T) {
	cat, err := queries.Load(fstest.MapFS{
		"odd.sql": {Data: []byte("-- param: start date\n-- column: n int\nSELECT 1 AS n WHERE @start IS NOT NULL")},
	})
	if err != nil {
		t.Fatal(err)
	}
	src := strings.Replace(valid, "query: feedback_by_channel", "query: odd", 1)
	src = strings.Replace(src, "x: channel\n    y: [feedback]", "x: n\n    y: [n]", 1)
	_, err = Load(fstest.MapFS{"x.yaml": {Data: []byte(src)}}, cat)
	if err == nil || !strings.Contains(err.Error(), "declares parameter start date, which no dashboard supplies") {
		t.Errorf("err = %v", err)
	}
}

func TestDuplicateSlug(t *testing.T) {
	_, err := Load(fstest.MapFS{"a.yaml": {Data: []byte(valid)}, "b.yaml": {Data: []byte(valid)}}, catalog(t))
	if err == nil || !strings.Contains(err.Error(), "already used by a.yaml") {
		t.Errorf("err = %v", err)
	}
}

func TestSparklineColumnsMustBeKPIColumns(t *testing.T) {
	src := strings.Replace(valid, "kind: bar\n    query: feedback_by_channel\n    x: channel\n    y: [feedback]",
		"kind: kpi\n    query: overview_kpis\n    sparkline: feedback_by_channel_month", 1)
	_, err := Load(fstest.MapFS{"x.yaml": {Data: []byte(src)}}, catalog(t))
	if err == nil || !strings.Contains(err.Error(), "sparkline query feedback_by_channel_month returns channel channel, which the kpi query overview_kpis does not") {
		t.Errorf("err = %v", err)
	}
}

func TestTargetStatus(t *testing.T) {
	warn := 48.0
	lower := Target{Value: 24, Warn: &warn}
	warnLow := 50.0
	higher := Target{Value: 60, Warn: &warnLow}
	tests := []struct {
		t      Target
		better string
		v      float64
		want   string
	}{
		{lower, "lower", 10, StatusGood},
		{lower, "lower", 24, StatusGood},
		{lower, "lower", 24.1, StatusWarn},
		{lower, "lower", 48, StatusWarn},
		{lower, "lower", 48.1, StatusBad},
		{higher, "higher", 75, StatusGood},
		{higher, "higher", 59.9, StatusWarn},
		{higher, "higher", 49, StatusBad},
		{Target{Value: 60}, "higher", 59, StatusBad},
	}
	for _, tt := range tests {
		if got := tt.t.Status(tt.v, tt.better); got != tt.want {
			t.Errorf("%v against %v (%s better) = %s, want %s", tt.v, tt.t.Value, tt.better, got, tt.want)
		}
	}
}

// A set's digest names what its dashboards are drawn from: the same files
// and queries give the same digest, a change to any of them another one.
func TestDigest(t *testing.T) {
	other := strings.NewReplacer("slug: x", "slug: y", "title: {fi: X}", "title: {fi: Y}").Replace(valid)
	query := func(column string) *queries.Catalog {
		cat, err := queries.Load(fstest.MapFS{
			"feedback_by_channel.sql": {Data: []byte("-- column: channel channel\n-- column: feedback " + column + "\nSELECT 'phone' AS channel, 1 AS feedback")},
		})
		if err != nil {
			t.Fatal(err)
		}
		return cat
	}
	digest := func(files map[string]string, cat *queries.Catalog) string {
		fsys := fstest.MapFS{}
		for name, src := range files {
			fsys[name] = &fstest.MapFile{Data: []byte(src)}
		}
		set, err := Load(fsys, cat)
		if err != nil {
			t.Fatal(err)
		}
		d, _ := set.Get("x")
		return d.Digest()
	}
	base := digest(map[string]string{"x.yaml": valid, "y.yaml": other}, query("int"))
	if base == "" {
		t.Fatal("no digest")
	}
	tests := []struct {
		name  string
		files map[string]string
		cat   *queries.Catalog
		same  bool
	}{
		{"loaded again", map[string]string{"x.yaml": valid, "y.yaml": other}, query("int"), true},
		{"another dashboard's title", map[string]string{"x.yaml": valid, "y.yaml": strings.Replace(other, "{fi: Y}", "{fi: Z}", 1)}, query("int"), false},
		{"its own panel", map[string]string{"x.yaml": strings.Replace(valid, "width: 6", "width: 12", 1), "y.yaml": other}, query("int"), false},
		{"a query's column type", map[string]string{"x.yaml": valid, "y.yaml": other}, query("percent"), false},
	}
	for _, tt := range tests {
		if got := digest(tt.files, tt.cat); (got == base) != tt.same {
			t.Errorf("%s: digest %s, first %s", tt.name, got, base)
		}
	}
}
