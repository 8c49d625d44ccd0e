package queries_test

import (
	"fmt"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/luukku-bi/luukku/internal/demo"
	"github.com/luukku-bi/luukku/internal/i18n"
	"github.com/luukku-bi/luukku/internal/store/storetest"
	"github.com/luukku-bi/luukku/queries"
)

// The panels that read counted feedback answer as the same query over
// feedback itself would (testdata/exact holds those): counts and shares
// exactly; medians, estimated from the classes of response times, within
// a fifth where they are of a hundred items or more. An estimate lies in
// the class of the time at the median's rank, a tenth wide; the exact
// median of an even number of times is the mean of the middle two, which
// may lie classes apart (of fewer items, one more or less moves even the
// exact median further). Views: up to today, one that ended in the past,
// one within a month, a subtree and some channels.
func TestCountedAnswerAsExact(t *testing.T) {
	pool := storetest.NewPool(t)
	ctx := t.Context()
	if _, err := demo.Load(ctx, pool, demo.Options{Feedback: 20_000}, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	cat, err := queries.Load(queries.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	var sub string
	if err := pool.QueryRow(ctx, `SELECT path::text FROM org_unit WHERE nlevel(path) = 2 ORDER BY path LIMIT 1`).Scan(&sub); err != nil {
		t.Fatal(err)
	}
	now := time.Now().In(i18n.Helsinki())
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, i18n.Helsinki())
	views := []struct {
		name     string
		from, to time.Time
		unit     string
		channels []string
	}{
		{"twelve months up to today", time.Date(today.Year()-1, today.Month()+1, 1, 0, 0, 0, 0, i18n.Helsinki()), today, "esimerkkila", []string{}},
		{"a past year", today.AddDate(-2, 0, 3), today.AddDate(-1, 0, -9), "esimerkkila", []string{}},
		{"within a month, up to today", today.AddDate(0, 0, -20), today, "esimerkkila", []string{}},
		{"a subtree", today.AddDate(0, -7, 0), today, sub, []string{}},
		{"two channels", today.AddDate(0, -5, -3), today, "esimerkkila", []string{"phone", "chat"}},
	}
	files, err := filepath.Glob("testdata/exact/*.sql")
	if err != nil || len(files) == 0 {
		t.Fatalf("no exact queries: %v", err)
	}
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		exact, err := queries.Parse(filepath.Base(file), string(src))
		if err != nil {
			t.Fatal(err)
		}
		counted, ok := cat.Get(exact.Name)
		if !ok {
			t.Fatalf("no query %s", exact.Name)
		}
		for _, v := range views {
			t.Run(exact.Name+"/"+v.name, func(t *testing.T) {
				args := map[string]any{"from": v.from, "to": v.to, "unit": v.unit, "channels": v.channels}
				want, err := exact.Run(ctx, pool, args)
				if err != nil {
					t.Fatal(err)
				}
				got, err := counted.Run(ctx, pool, args)
				if err != nil {
					t.Fatal(err)
				}
				if len(got.Rows) != len(want.Rows) || len(want.Rows) == 0 {
					t.Fatalf("%d rows, want %d (and more than none)", len(got.Rows), len(want.Rows))
				}
				n := want.ColumnIndex("answered")
				if n < 0 {
					n = want.ColumnIndex("feedback")
				}
				for i := range want.Rows {
					for j, c := range want.Columns {
						duration := c.Type == queries.ColHours || c.Type == queries.ColMinutes
						if duration && want.Rows[i][n].(int64) < 100 {
							continue
						}
						if !near(got.Rows[i][j], want.Rows[i][j], duration) {
							t.Errorf("row %d %s = %v, want %v", i, c.Name, got.Rows[i][j], want.Rows[i][j])
						}
					}
				}
			})
		}
	}
}

// near compares exactly, or a duration within a fifth.
func near(got, want any, duration bool) bool {
	g, gok := got.(float64)
	w, wok := want.(float64)
	if !gok || !wok {
		return fmt.Sprint(got) == fmt.Sprint(want)
	}
	if duration {
		return math.Abs(g-w) <= 0.20*math.Abs(w)
	}
	return math.Abs(g-w) <= 1e-9*math.Max(1, math.Abs(w))
}
