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
