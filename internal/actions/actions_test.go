package actions

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/luukku-bi/luukku/internal/pgtest"
	"github.com/luukku-bi/luukku/internal/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

const header = "code;title;description;unit;themes;owner_role;decided_on;started_on;done_on\n"

func TestParse(t *testing.T) {
	good := "\ufeff" + header +
		"a1;Talviaurauksen kierto;;katu;street_maintenance;Päällikkö;2026-01-05;2026-01-10;2026-03-01\n" +
		"a2;\"Chat; illat\";Kuvaus;neuvonta;customer_service, digital_services;;1.2.2026;;\n"
	list, err := Parse(strings.NewReader(good))
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[1].Title != "Chat; illat" || len(list[1].Themes) != 2 || list[1].Decided.Format("2006-01-02") != "2026-02-01" ||
		list[1].Started != nil || list[0].Done == nil || list[0].Done.Format("2006-01-02") != "2026-03-01" {
		t.Errorf("parsed %+v", list)
	}
	comma := strings.ReplaceAll(header, ";", ",") + "a1,T,,katu,parks,,2026-01-05,,\n"
	if list, err := Parse(strings.NewReader(comma)); err != nil || len(list) != 1 || list[0].Themes[0] != "parks" {
		t.Errorf("comma-separated: %+v, %v", list, err)
	}

	tests := []struct {
		name, src string
		want      []string
	}{
		{"empty", "", []string{"the file is empty"}},
		{"wrong columns", "code;title\n", []string{"row 1: the columns must be"}},
		{"every row's problems", header +
			";;;;;;;;\n" +
			"a1;T;;katu;parks;;2026-13-01;;\n" +
			"a2;T;;katu;parks;;2026-02-01;2026-01-01;\n" +
			"a3;T;;katu;parks;;2026-02-01;;2026-03-01\n" +
			"a2;T;;katu;parks;;2026-02-01;;\n" +
			"a4;T;;katu\n",
			[]string{"row 2: code is empty", "row 2: title is empty", "row 2: unit is empty", "row 2: themes is empty", "row 2: decided_on is empty",
				`row 3: decided_on "2026-13-01" is not a date`, "row 4: started_on is before decided_on", "row 5: done_on without started_on",
				`row 6: code "a2" is also on row 4`, "row 7: 4 fields, want 9"}},
	}
	for _, tt := range tests {
		_, err := Parse(strings.NewReader(tt.src))
		for _, w := range tt.want {
			if err == nil || !strings.Contains(err.Error(), w) {
				t.Errorf("%s: err = %v, want %q", tt.name, err, w)
			}
		}
	}
}

// An import writes every row or none, names each bad row, and an export
// reads back in as the same actions.
func TestImportAndExport(t *testing.T) {
	ctx := context.Background()
	pool := storetest.NewPool(t)
	if _, err := pool.Exec(ctx, `INSERT INTO org_unit (code, path, level, name_fi, name_sv, name_en) VALUES
		('city', 'city', 'city', 'K', 'K', 'K'), ('katu', 'city.katu', 'unit', 'Katu', 'Gata', 'Street')`); err != nil {
		t.Fatal(err)
	}
	count := func() (n int) {
		pool.QueryRow(ctx, `SELECT count(*) FROM development_action`).Scan(&n)
		return n
	}
	bad, err := Parse(strings.NewReader(header +
		"a1;T;;katu;parks;;2026-01-05;;\n" +
		"a2;T;;nope;parks;;2026-01-05;;\n" +
		"a3;T;;katu;parks kites;;2026-01-05;;\n"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = Import(ctx, pool, bad)
	if err == nil || !strings.Contains(err.Error(), `row 3: unit "nope" does not exist`) || !strings.Contains(err.Error(), `row 4: theme "kites" does not exist`) {
		t.Errorf("err = %v", err)
	}
	if n := count(); n != 0 {
		t.Fatalf("a failed import left %d actions", n)
	}

	good, err := Parse(strings.NewReader(header +
		"a1;Aurauskierto;Kuvaus;katu;street_maintenance;Päällikkö;2026-01-05;2026-01-10;2026-03-01\n" +
		"a2;Puistot;;katu;parks, waste_cleanliness;;2026-02-01;;\n"))
	if err != nil {
		t.Fatal(err)
	}
	var version int
	pool.QueryRow(ctx, `SELECT version FROM data_version`).Scan(&version)
	sum, err := Import(ctx, pool, good)
	if err != nil || sum != (Summary{Added: 2}) || count() != 2 {
		t.Fatalf("import: %+v, %v, %d rows", sum, err, count())
	}
	var after int
	pool.QueryRow(ctx, `SELECT version FROM data_version`).Scan(&after)
	if after != version+1 {
		t.Errorf("data version %d → %d, want it bumped", version, after)
	}
	var effects, errs int
	if err := pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM action_effect), (SELECT count(*) FROM action_effect_errors())`).Scan(&effects, &errs); err != nil || effects != 2 || errs != 0 {
		t.Errorf("the actions' windows: %d counted, %d differ (%v)", effects, errs, err)
	}

	var out bytes.Buffer
	if err := Export(ctx, pool, &out); err != nil {
		t.Fatal(err)
	}
	again, err := Parse(&out)
	if err != nil {
		t.Fatalf("the export does not parse: %v\n%s", err, out.String())
	}
	if len(again) != 2 || again[0].Code != "a1" || again[0].Description != "Kuvaus" || again[1].Themes[1] != "waste_cleanliness" || again[0].Done == nil {
		t.Errorf("round trip: %+v", again)
	}
	sum, err = Import(ctx, pool, again)
	if err != nil || sum != (Summary{Updated: 2}) || count() != 2 {
		t.Errorf("re-import: %+v, %v", sum, err)
	}
}
