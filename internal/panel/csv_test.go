package panel

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/luukku-bi/luukku/dashboards"
	"github.com/luukku-bi/luukku/internal/i18n"
	"github.com/luukku-bi/luukku/queries"
)

func TestWriteCSV(t *testing.T) {
	p := &dashboards.Panel{ID: "x", Suppressed: "<5", Title: dashboards.Text{"fi": "X"}}
	res := &queries.Result{
		Columns: []queries.Column{
			{Name: "channel", Type: queries.ColChannel}, {Name: "day", Type: queries.ColDate},
			{Name: "at", Type: queries.ColTimestamp}, {Name: "rate", Type: queries.ColPercent},
			{Name: "n", Type: queries.ColInt}, {Name: "text", Type: queries.ColText},
		},
		Rows: [][]any{
			// 21:30 UTC on 31 May is 00:30 on 1 June in Helsinki (summer time).
			{"email", time.Date(2026, 5, 31, 0, 0, 0, 0, time.UTC), time.Date(2026, 5, 31, 21, 30, 0, 0, time.UTC), 4.25, int64(1234), "-5 astetta; \"kylmä\""},
			{nil, nil, nil, nil, nil, "=HYPERLINK(\"http://x\")"},
		},
	}
	s := NewSheet(p, res, dims, i18n.Finnish)
	s.Note = "+ katkaistu"
	var buf bytes.Buffer
	if err := s.WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.HasPrefix(out, "\ufeffKanava;channel_code;day;") || !strings.Contains(out, "\r\n") {
		t.Fatalf("CSV does not start with a BOM and the header, or lacks CRLF:\n%s", out)
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "\ufeff")))
	r.Comma = ';'
	got, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"Kanava", "channel_code", "day", "at", "rate", "n", "text"},
		{"Sähköposti", "email", "2026-05-31", "2026-06-01 00:30:00", "4,25", "1234", "'-5 astetta; \"kylmä\""},
		{"<5", "<5", "<5", "<5", "<5", "<5", "'=HYPERLINK(\"http://x\")"},
		{"'+ katkaistu", "", "", "", "", "", ""},
	}
	if len(got) != len(want) {
		t.Fatalf("%d records, want %d:\n%s", len(got), len(want), out)
	}
	for i := range want {
		if strings.Join(got[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("record %d = %q, want %q", i, got[i], want[i])
		}
	}
}
