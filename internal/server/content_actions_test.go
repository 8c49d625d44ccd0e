package server

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/luukku-bi/luukku/internal/i18n"
)

// The close-the-loop table's before/after figures equal a computation by
// hand: the action's unit subtree, its themes, the window before its start
// and the same-length window after it was done; the verdict follows the
// two-proportion test on the complaint shares.
func TestActionsBeforeAndAfter(t *testing.T) {
	srv, pool := readOnlyServer(t)
	ctx := context.Background()
	rec, doc := get(t, srv, "/d/actions")
	if rec.Code != 200 {
		t.Fatalf("GET /d/actions = %d", rec.Code)
	}
	rows := map[string][]string{}
	doc.Find("#panel-effects tbody tr").Each(func(_ int, tr *goquery.Selection) {
		var cells []string
		tr.Children().Each(func(_ int, c *goquery.Selection) { cells = append(cells, strings.TrimSpace(c.Text())) })
		rows[cells[0]] = cells
	})
	actions, err := pool.Query(ctx, `SELECT a.title, u.path::text, a.themes, a.started_on, a.done_on
		FROM development_action a JOIN org_unit u ON u.id = a.unit_id`)
	if err != nil {
		t.Fatal(err)
	}
	type action struct {
		title, path   string
		themes        []string
		started, done *time.Time
	}
	var all []action
	for actions.Next() {
		var a action
		if err := actions.Scan(&a.title, &a.path, &a.themes, &a.started, &a.done); err != nil {
			t.Fatal(err)
		}
		all = append(all, a)
	}
	if actions.Err() != nil || len(all) < 4 {
		t.Fatalf("%d actions, %v", len(all), actions.Err())
	}
	var lastDay time.Time
	pool.QueryRow(ctx, `SELECT max(received_at)::date FROM feedback`).Scan(&lastDay)
	verdicts := map[string]int{}
	for _, a := range all {
		row, ok := rows[a.title]
		if !ok {
			t.Errorf("action %q is not in the table", a.title)
			continue
		}
		if a.done == nil {
			if row[len(row)-1] != "Kesken" {
				t.Errorf("%s: not done, verdict %q", a.title, row[len(row)-1])
			}
			continue
		}
		days := min(90, int(lastDay.Sub(*a.done).Hours()/24+0.5)+1)
		window := func(from, to time.Time) (n, complaints int64) {
			pool.QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE f.kind = 'complaint')
				FROM feedback f JOIN org_unit u ON u.id = f.unit_id
				WHERE u.path <@ $1::ltree AND f.themes && $2 AND f.received_at >= $3::date AND f.received_at < $4::date`,
				a.path, a.themes, from, to).Scan(&n, &complaints)
			return n, complaints
		}
		n1, c1 := window(a.started.AddDate(0, 0, -days), *a.started)
		n2, c2 := window(*a.done, a.done.AddDate(0, 0, days))
		if n1 == 0 || n2 == 0 {
			t.Errorf("%s: an empty window (%d before, %d after)", a.title, n1, n2)
			continue
		}
		p1, p2 := float64(c1)/float64(n1), float64(c2)/float64(n2)
		want := []string{i18n.Number(float64(days), 0), i18n.Number(float64(n1), 0), i18n.Number(float64(n2), 0),
			i18n.Number(100*p1, 1) + "\u00a0%", i18n.Number(100*p2, 1) + "\u00a0%"}
		if got := row[3:8]; strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("%s: window, counts and shares %q, want %q", a.title, got, want)
		}
		p := float64(c1+c2) / float64(n1+n2)
		z := (p2 - p1) / math.Sqrt(p*(1-p)*(1/float64(n1)+1/float64(n2)))
		verdict := "Ei muutosta (ero on satunnaisvaihtelua)"
		switch {
		case z <= -1.96:
			verdict = "Parani"
		case z >= 1.96:
			verdict = "Heikkeni"
		}
		if got := row[len(row)-1]; got != verdict {
			t.Errorf("%s: verdict %q, want %q (z = %.2f)", a.title, got, verdict, z)
		}
		verdicts[verdict]++
	}
	// The demo plants effects: at least one action shows one.
	if verdicts["Parani"] == 0 {
		t.Errorf("no action improved: %v", verdicts)
	}
}
