package queries

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestEmbeddedQueriesParse(t *testing.T) {
	cat, err := Load(Embedded())
	if err != nil {
		t.Fatal(err)
	}
	q, ok := cat.Get("feedback_by_channel_month")
	if !ok {
		t.Fatal("feedback_by_channel_month missing")
	}
	if len(q.Params) != 4 || q.Params[3].Name != "channels" || q.Params[3].Type != ParamChannels {
		t.Errorf("params = %+v", q.Params)
	}
	if len(q.Columns) != 3 || q.Columns[0] != (Column{"month", ColMonth}) {
		t.Errorf("columns = %+v", q.Columns)
	}
	if strings.HasPrefix(q.SQL, "--") {
		t.Errorf("header left in SQL: %q", q.SQL[:40])
	}
	if q.Description == "" {
		t.Error("no description")
	}
}

func TestParseErrorsNameFileAndLine(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"unknown param type", "-- param: from datetime\n-- column: n int\nSELECT @from", "bad.sql:1: parameter from: unknown type"},
		{"unknown column type", "-- column: n integer\nSELECT 1 AS n", "bad.sql:1: column n: unknown type"},
		{"malformed param", "-- column: n int\n-- param: from\nSELECT 1", "bad.sql:2: want \"param: name type\""},
		{"param never used", "-- param: unit unit\n-- column: n int\nSELECT 1 AS n", "declared but the SQL never uses @unit"},
		{"no columns", "SELECT 1", "declares no columns"},
		{"no SQL", "-- column: n int\n", "no SQL"},
		{"enum without values", "-- param: k enum()\n-- column: n int\nSELECT @k", "bad.sql:1: parameter k: want enum(a|b|c)"},
		{"enum with a hole", "-- param: k enum(a||b)\n-- column: n int\nSELECT @k", "bad.sql:1: parameter k: want enum(a|b|c)"},
		{"enum unclosed", "-- param: k enum(a|b\n-- column: n int\nSELECT @k", "bad.sql:1: parameter k: want enum(a|b|c)"},
		{"duplicate param", "-- param: a int\n-- param: a text\n-- column: n int\nSELECT @a", "bad.sql:2: parameter \"a\" declared twice"},
		{"unknown plan", "-- column: n int\n-- plan: auto\nSELECT 1 AS n", "bad.sql:2: want \"plan: generic\" or \"plan: custom\", got \"auto\""},
	}
	for _, tt := range tests {
		_, err := Parse("bad.sql", tt.src)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want it to contain %q", tt.name, err, tt.want)
		}
	}
}

func TestPlanHeader(t *testing.T) {
	tests := []struct {
		src     string
		plan    Plan
		setting string
	}{
		{"-- column: n int\nSELECT 1 AS n", PlanAuto, ""},
		{"-- plan: generic\n-- column: n int\nSELECT 1 AS n", PlanGeneric, "SET LOCAL plan_cache_mode = force_generic_plan"},
		{"-- plan: custom\n-- column: n int\nSELECT 1 AS n", PlanCustom, "SET LOCAL plan_cache_mode = force_custom_plan"},
	}
	for _, tt := range tests {
		q, err := Parse("q.sql", tt.src)
		if err != nil {
			t.Fatal(err)
		}
		if q.Plan != tt.plan || q.PlanSetting() != tt.setting {
			t.Errorf("%q: plan %q, setting %q; want %q, %q", tt.src, q.Plan, q.PlanSetting(), tt.plan, tt.setting)
		}
		if strings.Contains(q.Description, "plan") {
			t.Errorf("%q: the plan line is in the description %q", tt.src, q.Description)
		}
	}
}

func TestLoadReportsEveryBadFile(t *testing.T) {
	fsys := fstest.MapFS{
		"a.sql":   {Data: []byte("SELECT 1")},
		"b.sql":   {Data: []byte("-- column: n nope\nSELECT 1")},
		"ok.sql":  {Data: []byte("-- column: n int\nSELECT 1 AS n")},
		"Bad.sql": {Data: []byte("-- column: n int\nSELECT 1 AS n")},
	}
	_, err := Load(fsys)
	if err == nil {
		t.Fatal("no error")
	}
	for _, f := range []string{"a.sql", "b.sql", "Bad.sql"} {
		if !strings.Contains(err.Error(), f) {
			t.Errorf("error does not name %s: %v", f, err)
		}
	}
}

func TestEnumParameters(t *testing.T) {
	q, err := Parse("e.sql", "-- param: kind enum(|praise|complaint)\n-- column: k text\nSELECT @kind::text AS k")
	if err != nil {
		t.Fatal(err)
	}
	p, ok := q.Param("kind")
	if !ok || p.Type != ParamEnum || strings.Join(p.Values, ",") != ",praise,complaint" {
		t.Fatalf("param = %+v", p)
	}
	// A value outside the list never reaches the database: Run refuses it
	// before it touches db (nil here).
	for _, bad := range []any{"rant", "Praise", 3, nil} {
		if _, err := q.Run(t.Context(), nil, map[string]any{"kind": bad}); err == nil || !strings.Contains(err.Error(), "is not one of") {
			t.Errorf("kind %v: err = %v", bad, err)
		}
	}
}
