package queries_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/luukku-bi/luukku/internal/pgtest"
	"github.com/luukku-bi/luukku/internal/store/storetest"
	"github.com/luukku-bi/luukku/queries"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

func TestEmbeddedQueriesPlanAgainstTheSchema(t *testing.T) {
	pool := storetest.NewPool(t)
	cat, err := queries.Load(queries.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range cat.Names() {
		q, _ := cat.Get(name)
		if err := q.Check(context.Background(), pool); err != nil {
			t.Error(err)
		}
	}
}

func TestCheckPointsAtTheLine(t *testing.T) {
	pool := storetest.NewPool(t)
	src := "-- A broken query.\n-- param: unit unit\n-- column: n int\n\nSELECT count(*) AS n\nFROM feedback f\nWHERE f.nonexistent = 1\n  AND f.unit_id IS NOT NULL AND @unit::ltree IS NOT NULL\n"
	q, err := queries.Parse("broken.sql", src)
	if err != nil {
		t.Fatal(err)
	}
	err = q.Check(context.Background(), pool)
	if err == nil || !strings.HasPrefix(err.Error(), "broken.sql:7: ") || !strings.Contains(err.Error(), "nonexistent") {
		t.Errorf("err = %v, want broken.sql:7 and the column", err)
	}
}

func TestCheckComparesColumnsWithTheHeader(t *testing.T) {
	pool := storetest.NewPool(t)
	q, err := queries.Parse("renamed.sql", "-- column: feedback int\n-- column: share percent\nSELECT count(*) AS feedback, 1.0 AS percent FROM feedback\n")
	if err != nil {
		t.Fatal(err)
	}
	err = q.Check(context.Background(), pool)
	if err == nil || !strings.Contains(err.Error(), "returns columns [feedback percent], header declares [feedback share]") {
		t.Errorf("err = %v, want the column mismatch", err)
	}
}

// A query that fails as it starts says why, not that it returned no
// columns.
func TestRunReportsTheFailure(t *testing.T) {
	pool := storetest.NewPool(t)
	q, err := queries.Parse("zero.sql", "-- column: n int\nSELECT 1 / 0 AS n\n")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := q.Run(context.Background(), pool, nil); err == nil || !strings.Contains(err.Error(), "division by zero") {
		t.Errorf("err = %v, want the division by zero", err)
	}
}
