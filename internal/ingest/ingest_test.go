package ingest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"

	"github.com/luukku-bi/luukku/internal/demo"
	"github.com/luukku-bi/luukku/internal/i18n"
	"github.com/luukku-bi/luukku/internal/pgtest"
	"github.com/luukku-bi/luukku/internal/store/storetest"
	"github.com/luukku-bi/luukku/internal/theme"
)

func TestMain(m *testing.M) {
	if dsn := os.Getenv("LUUKKU_INGEST_CHILD"); dsn != "" {
		os.Exit(childImport(dsn))
	}
	os.Exit(pgtest.Main(m))
}

// city returns a database with the demo organisation and a little demo
// feedback, of the test's own.
func city(t *testing.T) *pgxpool.Pool {
	t.Helper()
	pool := storetest.NewPool(t)
	if _, err := demo.Load(t.Context(), pool, demo.Options{Feedback: 50, Until: time.Date(2026, 6, 30, 0, 0, 0, 0, i18n.Helsinki())},
		slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	return pool
}

func profile(t testing.TB, name string) *Profile {
	t.Helper()
	p, err := LoadProfile(name)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func importCSV(t *testing.T, pool *pgxpool.Pool, p *Profile, csv string, opts Options) (*Report, error) {
	t.Helper()
	rows, err := p.Read(strings.NewReader(csv), "palautteet.csv")
	if err != nil {
		return nil, err
	}
	return Feedback(t.Context(), pool, rows, p, opts)
}

const header = "Tunnus;Kanava;Vastuuyksikkö;Saapunut;Ensivastaus;Ratkaistu;Tila;Tyyppi;Otsikko;Palaute;Leveysaste;Pituusaste\n"

const goodRows = `P-1;Puhelin;katujen_kunnossapito;2.3.2026 8:15;2.3.2026 9:00;3.3.2026 12:00;Suljettu;Moite;Liukasta;Katu on liukas eikä sitä ole hiekoitettu. Hetuni 131052-308T, soittakaa 040 123 4567.;60,1699;24,9384
P-2;S-posti;paakirjasto;2026-03-04T10:00:00+02:00;;;Avoin;Kysymys;;Varför är biblioteket stängt på söndagar? Mejla anna.andersson@example.fi;;
P-3;verkkolomake;puistot;5.3.2026;;;Käsittelyssä;Kiitos;;Thanks for the new playground in the park, it is lovely.;;
`

func count(t *testing.T, pool *pgxpool.Pool, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := pool.QueryRow(t.Context(), sql, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func dataVersion(t *testing.T, pool *pgxpool.Pool) int {
	return count(t, pool, `SELECT version::int FROM data_version`)
}

// A file goes in scrubbed, classified and with its language; the same file
// again changes nothing; a changed row is updated.
func TestFeedbackCSV(t *testing.T) {
	pool := city(t)
	p := profile(t, "palautejarjestelma")
	v0 := dataVersion(t, pool)
	r, err := importCSV(t, pool, p, header+goodRows, Options{})
	if err != nil || r.Inserted != 3 || r.Rows != 3 {
		t.Fatalf("first import: %+v, %v", r, err)
	}
	if dataVersion(t, pool) != v0+1 {
		t.Error("the data version did not go up")
	}
	countsAgree(t, pool) // all new: the tallied counts were added
	var body, lang, status, kind, channel, unit string
	var themes []string
	var lat float64
	var received, resolved time.Time
	err = pool.QueryRow(t.Context(), `SELECT f.body, f.language, f.status, f.kind, c.code, u.code, f.themes, f.lat, f.received_at, f.resolved_at
		FROM feedback f JOIN channel c ON c.id = f.channel_id JOIN org_unit u ON u.id = f.unit_id
		WHERE source = 'palautejarjestelma' AND source_id = 'P-1'`).
		Scan(&body, &lang, &status, &kind, &channel, &unit, &themes, &lat, &received, &resolved)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(body, "131052") || strings.Contains(body, "4567") || !strings.Contains(body, "[hetu]") || !strings.Contains(body, "[puhelin]") {
		t.Errorf("body not scrubbed: %q", body)
	}
	if !strings.HasPrefix(body, "Liukasta\n") || lang != "fi" || status != "closed" || kind != "complaint" ||
		channel != "phone" || unit != "katujen_kunnossapito" || lat != 60.1699 {
		t.Errorf("P-1: %q %s %s %s %s %s %v", body, lang, status, kind, channel, unit, lat)
	}
	if len(themes) == 0 || themes[0] != "street_maintenance" {
		t.Errorf("P-1 themes %v", themes)
	}
	if want := time.Date(2026, 3, 2, 8, 15, 0, 0, i18n.Helsinki()); !received.Equal(want) {
		t.Errorf("received %v, want %v", received, want)
	}
	if n := count(t, pool, `SELECT count(*) FROM feedback WHERE source = 'palautejarjestelma' AND body LIKE '%@%'`); n != 0 {
		t.Errorf("%d bodies keep an e-mail address", n)
	}
	if got := count(t, pool, `SELECT count(*) FROM feedback WHERE source_id IN ('P-2', 'P-3') AND language IN ('sv', 'en')`); got != 2 {
		t.Errorf("P-2 and P-3 languages: %d of 2 right", got)
	}

	// Again: nothing changes, not even the data version.
	r, err = importCSV(t, pool, p, header+goodRows, Options{})
	if err != nil || r.Unchanged != 3 || r.Inserted+r.Updated != 0 || dataVersion(t, pool) != v0+1 {
		t.Errorf("second import: %+v, %v, version %d", r, err, dataVersion(t, pool))
	}
	// A newer version of a row updates it.
	changed := strings.Replace(goodRows, "Avoin;Kysymys", "Suljettu;Kysymys", 1)
	changed = strings.Replace(changed, "2026-03-04T10:00:00+02:00;;", "2026-03-04T10:00:00+02:00;;5.3.2026 10:00", 1)
	r, err = importCSV(t, pool, p, header+changed, Options{})
	if err != nil || r.Updated != 1 || r.Unchanged != 2 {
		t.Errorf("third import: %+v, %v", r, err)
	}
	countsAgree(t, pool)
	// A row moved to another day, unit and kind is counted where it went,
	// and no longer where it was.
	moved := strings.Replace(changed, "P-3;verkkolomake;puistot;5.3.2026;", "P-3;verkkolomake;paakirjasto;9.4.2026;", 1)
	moved = strings.Replace(moved, "Käsittelyssä;Kiitos", "Käsittelyssä;Moite", 1)
	r, err = importCSV(t, pool, p, header+moved, Options{})
	if err != nil || r.Updated != 1 {
		t.Errorf("fourth import: %+v, %v", r, err)
	}
	countsAgree(t, pool)
	if n := count(t, pool, `SELECT coalesce(sum(complaint), 0)::int FROM feedback_count c JOIN org_unit u ON u.id = c.unit_id
		WHERE c.grain = 'd' AND c.period = '2026-04-09' AND u.code = 'paakirjasto'`); n < 1 {
		t.Error("the moved row is not counted on its new day")
	}
}

// An import of new rows adds what it tallied as refresh_feedback_counts
// would count it: answered in time or late, resolved with or without an
// answer, waiting, at any hour of the week, across the spring's clock
// change and the turn of a month.
func TestTallyCountsEveryCase(t *testing.T) {
	pool := city(t)
	p := profile(t, "palautejarjestelma")
	cases := []struct{ received, first, resolved string }{
		{"1.3.2026 23:30", "2.3.2026 8:00", ""},                // in time, open; a Sunday night
		{"2.3.2026 8:15", "6.3.2026 9:00", "9.3.2026 12:00"},   // late (a phone's target is 24 h), resolved
		{"3.3.2026 10:00", "", "3.3.2026 11:00"},               // resolved unanswered
		{"29.3.2026 3:30", "29.3.2026 4:30", "30.3.2026 0:00"}, // the night the clocks go forward
		{"31.3.2026 23:59", "", ""},                            // waiting, the month's last minute
	}
	var csv strings.Builder
	csv.WriteString(header)
	for i, c := range cases {
		fmt.Fprintf(&csv, "T-%d;Puhelin;puistot;%s;%s;%s;Avoin;Moite;;Palaute numero %d.;;\n", i, c.received, c.first, c.resolved, i)
	}
	// In time, unanswered, waiting, and arrived on a Sunday at 23.
	sums := func() [4]int {
		var n [4]int
		if err := pool.QueryRow(t.Context(), `SELECT coalesce(sum(in_time), 0), coalesce(sum(unanswered), 0),
			coalesce(sum(waiting), 0), coalesce(sum(by_hour[6 * 24 + 24]), 0)
			FROM feedback_count WHERE grain = 'm'`).Scan(&n[0], &n[1], &n[2], &n[3]); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := sums()
	if r, err := importCSV(t, pool, p, csv.String(), Options{}); err != nil || r.Inserted != len(cases) {
		t.Fatalf("import: %+v, %v", r, err)
	}
	countsAgree(t, pool)
	after := sums()
	if added := [4]int{after[0] - before[0], after[1] - before[1], after[2] - before[2], after[3] - before[3]}; added != [4]int{2, 2, 1, 1} {
		t.Errorf("added in time, unanswered, waiting, Sunday at 23: %v, want [2 2 1 1]", added)
	}
}

// countsAgree fails the test if the counted feedback (feedback_count,
// feedback_theme_count, their branches' tables, action_effect) differs
// from feedback.
func countsAgree(t *testing.T, pool *pgxpool.Pool) {
	t.Helper()
	if n := count(t, pool, `SELECT count(*) FROM feedback_count_errors()`); n != 0 {
		t.Errorf("%d counts differ from feedback", n)
	}
	if n := count(t, pool, `SELECT count(*) FROM feedback_response_running_errors()`); n != 0 {
		t.Errorf("%d running classes differ from the counts", n)
	}
	if n := count(t, pool, `SELECT count(*) FROM action_effect_errors()`); n != 0 {
		t.Errorf("%d actions' counts differ from feedback", n)
	}
}

// One bad row and nothing is written; the report names every bad row, its
// column and the reason, and never repeats the text.
func TestBadRowsWriteNothing(t *testing.T) {
	pool := city(t)
	p := profile(t, "palautejarjestelma")
	before, v0 := count(t, pool, `SELECT count(*) FROM feedback`), dataVersion(t, pool)
	bad := header + goodRows +
		"P-4;Kyyhkypostі;puistot;5.3.2026;;;Avoin;Moite;;Salainen 131052-308T;;\n" +
		"P-5;Puhelin;puistot;31.2.2026;;;Avoin;Moite;;teksti;;\n" +
		"P-6;Puhelin;puistot;5.3.2026 10:00;5.3.2026 9:00;;Avoin;Moite;;teksti;;\n" +
		"P-7;Puhelin;eiole;5.3.2026;;;Avoin;Moite;;teksti;;\n" +
		"P-8;Puhelin;puistot;5.3.2026;;;Avoin;Moite;;teksti;48,85;2,35\n" +
		"P-1;Puhelin;puistot;5.3.2026;;;Avoin;Moite;;kahdesti;;\n" +
		"P-9;Puhelin;puistot\n"
	r, err := importCSV(t, pool, p, bad, Options{})
	if !errors.Is(err, ErrInvalid) {
		t.Fatalf("import of bad rows: %v", err)
	}
	if n := count(t, pool, `SELECT count(*) FROM feedback`); n != before || dataVersion(t, pool) != v0 {
		t.Errorf("%d rows written", n-before)
	}
	want := []string{
		"row 5, column Kanava: unknown channel",
		"row 6, column Saapunut: \"31.2.2026\" is not a time",
		"row 7, column Ensivastaus: the first response is before",
		"row 8, column Vastuuyksikkö: unknown unit \"eiole\"",
		"row 9, column Leveysaste: 48.8500, 2.3500 lies outside Finland",
		"row 11: 3 fields, the header has 12",
		"row 10: source_id \"P-1\" is also on row 2",
	}
	var all []string
	for _, p := range r.Problems {
		all = append(all, p.Error())
	}
	joined := strings.Join(all, "\n")
	for _, w := range want {
		if !strings.Contains(joined, w) {
			t.Errorf("the report lacks %q:\n%s", w, joined)
		}
	}
	if strings.Contains(joined, "131052") || strings.Contains(joined, "Salainen") {
		t.Errorf("the report repeats the text:\n%s", joined)
	}
	if r.Rejected != 7 {
		t.Errorf("%d rows rejected, want 7", r.Rejected)
	}

	// Dry run: the good file is checked, nothing written.
	r, err = importCSV(t, pool, p, header+goodRows, Options{DryRun: true})
	if err != nil || r.Rows != 3 || r.Rejected != 0 || count(t, pool, `SELECT count(*) FROM feedback`) != before {
		t.Errorf("dry run: %+v, %v", r, err)
	}

	// Skip invalid: the good rows go in, the bad ones to the rejects file.
	var rejects bytes.Buffer
	r, err = importCSV(t, pool, p, bad, Options{SkipInvalid: true, Rejects: &rejects})
	if err != nil || r.Inserted != 3 || r.Rejected != 7 {
		t.Fatalf("skip invalid: %+v, %v", r, err)
	}
	lines := strings.Split(strings.TrimSpace(rejects.String()), "\n")
	if len(lines) != 1+6 || !strings.HasPrefix(lines[0], "row;problem;Tunnus") || !strings.HasPrefix(lines[1], "5;") {
		t.Errorf("rejects file (%d lines):\n%s", len(lines), rejects.String())
	}
}

// Rows are converted in parallel batches, but the report and the rejects
// file list the bad rows in the file's order, across batch boundaries.
func TestBadRowsInFileOrder(t *testing.T) {
	pool := city(t)
	p := profile(t, "palautejarjestelma")
	var file strings.Builder
	file.WriteString(header)
	bad := map[int]bool{3: true, batchSize - 1: true, batchSize: true, batchSize + 1: true, 3*batchSize + 7: true, 5*batchSize - 2: true}
	n := 5 * batchSize
	for i := range n {
		unit := "puistot"
		if bad[i] {
			unit = "eiole"
		}
		fmt.Fprintf(&file, "O-%d;Puhelin;%s;5.3.2026 10:00;;;Avoin;Moite;;teksti %d;;\n", i, unit, i)
	}
	var rejects bytes.Buffer
	r, err := importCSV(t, pool, p, file.String(), Options{SkipInvalid: true, Rejects: &rejects})
	if err != nil || r.Rows != n || r.Rejected != len(bad) || r.Inserted != n-len(bad) {
		t.Fatalf("import: %+v, %v", r, err)
	}
	var rows, lines []int
	for _, pr := range r.Problems {
		rows = append(rows, pr.Row)
	}
	for _, l := range strings.Split(strings.TrimSpace(rejects.String()), "\n")[1:] {
		row, _, _ := strings.Cut(l, ";")
		v, _ := strconv.Atoi(row)
		lines = append(lines, v)
	}
	var want []int
	for i := range n {
		if bad[i] {
			want = append(want, i+2) // the header is line 1
		}
	}
	if !slices.Equal(rows, want) || !slices.Equal(lines, want) {
		t.Errorf("bad rows reported as %v, rejected as %v; want %v", rows, lines, want)
	}
	if got := count(t, pool, `SELECT count(*) FROM feedback WHERE source_id LIKE 'O-%' AND body = 'teksti ' || substr(source_id, 3)`); got != n-len(bad) {
		t.Errorf("%d rows stored with their own text, want %d", got, n-len(bad))
	}
}

// Real files: Windows-1252 from Finnish Excel with commas, UTF-8 with a
// byte-order mark and tabs, and a workbook with real dates.
func TestEncodingsSeparatorsAndWorkbooks(t *testing.T) {
	pool := city(t)
	p := profile(t, "palautejarjestelma")
	latin := strings.NewReplacer(";", ",").Replace(header +
		"E-1;Puhelin;katujen_kunnossapito;2.3.2026 8:15;;;Avoin;Moite;;Jalkakäytävä on jäässä ja liukas.;;\n")
	enc, err := charmap.Windows1252.NewEncoder().String(latin)
	if err != nil {
		t.Fatal(err)
	}
	bom := "\ufeff" + strings.NewReplacer(";", "\t").Replace(header+
		"E-2;Puhelin;katujen_kunnossapito;2.3.2026 8:15;;;Avoin;Moite;;Jalkakäytävä on jäässä.;;\n")
	for name, file := range map[string]string{"windows-1252": enc, "utf-8 bom": bom} {
		if r, err := importCSV(t, pool, p, file, Options{}); err != nil || r.Inserted != 1 {
			t.Errorf("%s: %+v, %v", name, r, err)
		}
	}
	if n := count(t, pool, `SELECT count(*) FROM feedback WHERE source_id IN ('E-1', 'E-2') AND body LIKE 'Jalkakäytävä on jäässä%'`); n != 2 {
		t.Errorf("%d of 2 texts read right", n)
	}

	f := excelize.NewFile()
	cols := strings.Split(strings.TrimSpace(header), ";")
	for i, c := range cols {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		f.SetCellValue("Sheet1", cell, c)
	}
	when := time.Date(2026, 4, 7, 13, 30, 0, 0, time.UTC) // Excel keeps wall time
	values := []any{"X-1", "Sähköposti", "puistot", when, nil, nil, "Avoin", "Ehdotus", nil, "Puistoon lisää penkkejä, kiitos.", 60.2, 24.9}
	for i, v := range values {
		cell, _ := excelize.CoordinatesToCellName(i+1, 2)
		f.SetCellValue("Sheet1", cell, v)
	}
	style, _ := f.NewStyle(&excelize.Style{NumFmt: 22})
	f.SetCellStyle("Sheet1", "D2", "D2", style)
	var buf bytes.Buffer
	f.Write(&buf)
	rows, err := p.Read(&buf, "palautteet.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	if r, err := Feedback(t.Context(), pool, rows, p, Options{}); err != nil || r.Inserted != 1 {
		t.Fatalf("workbook: %+v, %v", r, err)
	}
	var received time.Time
	pool.QueryRow(t.Context(), `SELECT received_at FROM feedback WHERE source_id = 'X-1'`).Scan(&received)
	if want := time.Date(2026, 4, 7, 13, 30, 0, 0, i18n.Helsinki()); !received.Equal(want) {
		t.Errorf("the workbook's date became %v, want %v", received, want)
	}
}

const open311Sample = `[
 {"service_request_id": "8a7b", "status": "closed", "status_notes": "Korjattu. Ystävällisin terveisin Matti Virtanen, puh. 09 310 12345",
  "service_code": "2809", "service_name": "Kehu", "description": "Kiitos nopeasta aurauksesta!",
  "agency_responsible": "Kaupunkiympäristön toimiala", "requested_datetime": "2026-02-01T08:00:00+02:00",
  "updated_datetime": "2026-02-03T12:00:00+02:00", "lat": 60.17, "long": "24.94",
  "extended_attributes": {"title": "Auraus", "detailed_status": "PROCESSED",
   "tasks": [{"task_created": "2026-02-01T10:30:00+02:00", "task_state": "done", "owner_name": "Katupalvelut"}]}},
 {"service_request_id": "8a7c", "status": "open", "service_name": "Puistot", "description": "Puiston penkki on rikki.",
  "agency_responsible": "Kaupunkiympäristön toimiala", "requested_datetime": "2026-02-05T09:00:00+02:00",
  "updated_datetime": "2026-02-05T09:00:00+02:00", "lat": null, "long": null,
  "extended_attributes": {"detailed_status": "IN_PROCESS", "tasks": []}},
 {"service_request_id": "8a7d", "status": "open", "service_name": "Muu", "description": "Roskia kadulla.",
  "agency_responsible": "Kaupunkiympäristön toimiala", "requested_datetime": "2026-02-06T09:00:00+02:00", "lat": 48.85, "long": 2.35}
]`

// Open311 requests: closed ones resolved when last updated, the first task
// as the first response, staff replies scrubbed, coordinates checked.
func TestOpen311(t *testing.T) {
	pool := city(t)
	dir := t.TempDir()
	os.WriteFile(dir+"/helsinki.yaml", []byte(`source: helsinki
format: open311
channel: web_form
kind: suggestion
units:
  kaupunkiymparisto: [Kaupunkiympäristön toimiala]
kinds:
  praise: [Kehu]
`), 0o644)
	p := profile(t, dir+"/helsinki.yaml")
	rows, err := p.Read(strings.NewReader(open311Sample), "requests.json")
	if err != nil {
		t.Fatal(err)
	}
	r, err := Feedback(t.Context(), pool, rows, p, Options{SkipInvalid: true})
	if err != nil || r.Inserted != 2 || r.Rejected != 1 || !strings.Contains(r.Problems[0].Error(), "outside Finland") {
		t.Fatalf("%+v, %v", r, err)
	}
	var status, kind, reply, body string
	var first, resolved time.Time
	err = pool.QueryRow(t.Context(), `SELECT status, kind, reply, body, first_response_at, resolved_at FROM feedback
		WHERE source = 'helsinki' AND source_id = '8a7b'`).Scan(&status, &kind, &reply, &body, &first, &resolved)
	if err != nil {
		t.Fatal(err)
	}
	if status != "closed" || kind != "praise" || !strings.Contains(reply, "[puhelin]") || strings.Contains(reply, "12345") ||
		!strings.HasPrefix(body, "Auraus\n") ||
		!first.Equal(time.Date(2026, 2, 1, 10, 30, 0, 0, i18n.Helsinki())) || !resolved.Equal(time.Date(2026, 2, 3, 12, 0, 0, 0, i18n.Helsinki())) {
		t.Errorf("8a7b: %s %s %q %q first %v resolved %v", status, kind, reply, body, first, resolved)
	}
	if s := count(t, pool, `SELECT count(*) FROM feedback WHERE source_id = '8a7c' AND status = 'in_progress' AND kind = 'suggestion' AND lat IS NULL`); s != 1 {
		t.Error("8a7c: an open request in process should be in progress, of the default kind, without a place")
	}
	if _, err := p.Read(strings.NewReader(`{"not": "an array"}`), "requests.json"); err == nil {
		t.Error("an object was read as requests")
	}
}

// childImport is the process the crash test kills: it imports an endless
// file and never finishes.
func childImport(dsn string) int {
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, dsn)
	if err != nil {
		return 2
	}
	p, _ := LoadProfile("palautejarjestelma")
	rows, _ := p.Read(&endless{}, "x.csv")
	Feedback(ctx, pool, rows, p, Options{Progress: func(n int) { fmt.Println("rows", n) }})
	return 0
}

// endless is a CSV file without end.
type endless struct {
	n   int
	buf []byte
}

func (e *endless) Read(p []byte) (int, error) {
	if len(e.buf) == 0 {
		if e.n == 0 {
			e.buf = []byte(header)
		} else {
			e.buf = fmt.Appendf(nil, "K-%d;Puhelin;puistot;5.3.2026 10:00;;;Avoin;Moite;;Penkki on rikki.;;\n", e.n)
		}
		e.n++
	}
	n := copy(p, e.buf)
	e.buf = e.buf[n:]
	return n, nil
}

// Killing the importing process in the middle of its COPY leaves the
// database as it was; the next import succeeds.
func TestKilledImportLeavesNothing(t *testing.T) {
	pool := city(t)
	before := count(t, pool, `SELECT count(*) FROM feedback`)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "LUUKKU_INGEST_CHILD="+pool.Config().ConnString())
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Wait until the child has copied a good many rows, then kill it.
	buf := make([]byte, 4096)
	var seen string
	deadline := time.Now().Add(60 * time.Second)
	for !strings.Contains(seen, "rows 50000") && time.Now().Before(deadline) {
		n, err := out.Read(buf)
		seen += string(buf[:n])
		if err != nil {
			break
		}
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	if !strings.Contains(seen, "rows 50000") {
		t.Fatalf("the child never got going: %q", seen)
	}
	// The server notices the lost connection and rolls its transaction back.
	for time.Now().Before(deadline) && count(t, pool, `SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'COPY%' AND datname = current_database()`) > 0 {
		time.Sleep(50 * time.Millisecond)
	}
	if n := count(t, pool, `SELECT count(*) FROM feedback`); n != before {
		t.Errorf("after the kill: %d feedback rows, %d before", n, before)
	}
	p := profile(t, "palautejarjestelma")
	if r, err := importCSV(t, pool, p, header+goodRows, Options{}); err != nil || r.Inserted != 3 {
		t.Errorf("the import after: %+v, %v", r, err)
	}
}

// Whatever bytes a CSV file holds, reading and checking it never panics,
// every problem names a row, and no valid identity code gets through.
func FuzzCSV(f *testing.F) {
	f.Add([]byte(header + goodRows))
	f.Add([]byte("a;b\n\"unterminated\n"))
	f.Add([]byte("\ufeffTunnus,Kanava\n1,2\n"))
	f.Add([]byte{0xff, 0xfe, 0x00})
	p, err := LoadProfile("palautejarjestelma")
	if err != nil {
		f.Fatal(err)
	}
	conv := &converter{p: p, channels: map[string]any{"phone": int16(2), "email": int16(3), "web_form": int16(4)},
		units:    map[string]any{"puistot": int32(1), "katujen_kunnossapito": int32(2), "paakirjasto": int32(3)},
		channelA: aliases(p.Channels), unitA: aliases(p.Units), statusA: aliases(p.Statuses), kindA: aliases(p.Kinds),
		cls: themeClassifier()}
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, err := ReadCSV(bytes.NewReader(data))
		if err != nil {
			return
		}
		for i := 0; i < 10_000; i++ {
			rec, err := rows.Next()
			if errors.Is(err, io.EOF) {
				return
			}
			var p *Problem
			if errors.As(err, &p) {
				if p.Row < 1 {
					t.Fatalf("a problem without a row: %v", p)
				}
				continue
			}
			if err != nil {
				return
			}
			row, problems := conv.convert(rec)
			for _, p := range problems {
				if p.Row != rec.Row {
					t.Fatalf("problem of row %d reported on row %d", rec.Row, p.Row)
				}
			}
			if row != nil && strings.Contains(row[12].(string), "131052-308T") {
				t.Fatalf("an identity code got through: %q", row[12])
			}
		}
	})
}

func themeClassifier() *theme.Set {
	set, err := theme.Load("")
	if err != nil {
		panic(err)
	}
	return set
}

// Contacts, finance and HR come in fixed formats with Finnish or English
// headers, units and channels by code or name; all or nothing, and again
// changes nothing.
func TestTables(t *testing.T) {
	pool := city(t)
	for _, c := range []struct {
		kind, file string
		check      string
		want       int
	}{
		{"contacts", "päivä;yksikkö;kanava;yhteydenotot\n1.7.2026;puistot;Puhelin;12\n2026-07-02;Puistot ja viheralueet;email;7\n",
			`SELECT count(*) FROM contact_volume WHERE day >= '2026-07-01' AND contacts IN (12, 7)`, 2},
		{"finance", "kuukausi;yksikkö;tililuokka;talousarvio;toteuma\n7/2026;puistot;wages;\"12 345,50\";11 000\n2026-07;puistot;Palvelujen ostot;1000;-5\n",
			`SELECT count(*) FROM finance_month WHERE month = '2026-07-01' AND (budget = 12345.50 OR actual = -5)`, 2},
		{"hr", "month,unit,headcount,fte,sick_leave_days,overtime_hours,leavers\n2026-07,puistot,40,\"38,5\",12,30.5,1\n",
			`SELECT count(*) FROM hr_month WHERE month = '2026-07-01' AND fte = 38.5`, 1},
	} {
		rows, err := ReadCSV(strings.NewReader(c.file))
		if err != nil {
			t.Fatal(err)
		}
		r, err := ImportTable(t.Context(), pool, c.kind, rows, Options{})
		if err != nil || r.Inserted != c.want {
			t.Errorf("%s: %+v, %v", c.kind, r, err)
		}
		if n := count(t, pool, c.check); n != c.want {
			t.Errorf("%s: %d rows as written, want %d", c.kind, n, c.want)
		}
		rows, _ = ReadCSV(strings.NewReader(c.file))
		if r, err := ImportTable(t.Context(), pool, c.kind, rows, Options{}); err != nil || r.Unchanged != c.want {
			t.Errorf("%s again: %+v, %v", c.kind, r, err)
		}
	}
	// The finance import counted the branches and the booked months again.
	if n := count(t, pool, `SELECT count(*) FROM finance_count_errors()`); n != 0 {
		t.Errorf("%d finance branch rows or booked months differ from the ledger", n)
	}
	if n := count(t, pool, `SELECT count(*) FROM finance_booked_month WHERE month = '2026-07-01'`); n != 1 {
		t.Errorf("July is booked for %d units, want 1 (puistot)", n)
	}
	// And the HR import the branches' staff.
	if n := count(t, pool, `SELECT count(*) FROM hr_count_errors()`); n != 0 {
		t.Errorf("%d staff branch rows differ from hr_month", n)
	}
	if n := count(t, pool, `SELECT count(*) FROM hr_tree_month t JOIN org_unit b ON b.id = t.unit_id JOIN org_unit u ON u.path <@ b.path
		WHERE u.code = 'puistot' AND t.month = '2026-07-01' AND t.headcount >= 40`); n == 0 {
		t.Error("no branch above puistot counts its staff of July")
	}
	before := count(t, pool, `SELECT count(*) FROM hr_month`)
	rows, _ := ReadCSV(strings.NewReader("month;unit;headcount;fte;sick_leave_days;overtime_hours;leavers\n2026-08;puistot;40;38;1;1;0\n2026-08;eiole;-1;x;1;1;0.5\n2026-08;puistot;41;38;1;1;0\n"))
	r, err := ImportTable(t.Context(), pool, "hr", rows, Options{})
	if !errors.Is(err, ErrInvalid) || count(t, pool, `SELECT count(*) FROM hr_month`) != before {
		t.Fatalf("bad hr rows: %v", err)
	}
	var all []string
	for _, p := range r.Problems {
		all = append(all, p.Error())
	}
	for _, w := range []string{`row 3, column unit: unknown unit "eiole"`, "row 3, column headcount: -1 is negative",
		`row 3, column fte: "x" is not a number`, "row 3, column leavers: 0.5 is not a whole number",
		`row 4: month, unit_id "2026-08-01`} {
		if !strings.Contains(strings.Join(all, "\n"), w) {
			t.Errorf("the report lacks %q:\n%s", w, strings.Join(all, "\n"))
		}
	}
	// A key twice and nothing else wrong.
	rows, _ = ReadCSV(strings.NewReader("day;unit;channel;contacts\n3.8.2026;puistot;phone;1\n2026-08-03;Puistot ja viheralueet;Puhelin;2\n"))
	r, err = ImportTable(t.Context(), pool, "contacts", rows, Options{})
	if !errors.Is(err, ErrInvalid) || len(r.Problems) != 1 || !strings.Contains(r.Problems[0].Error(), "row 3: day, unit_id, channel_id") {
		t.Errorf("contacts twice: %+v, %v", r, err)
	}
	if rows, _ := ReadCSV(strings.NewReader("day;unit\n1.1.2026;puistot\n")); true {
		if _, err := ImportTable(t.Context(), pool, "contacts", rows, Options{}); err == nil || !strings.Contains(err.Error(), "lacks the columns channel, contacts") {
			t.Errorf("a file without columns: %v", err)
		}
	}
}

// A server is read 90 days at a time with extensions, and all its windows
// go in as one import.
func TestPollOpen311(t *testing.T) {
	pool := city(t)
	var asked []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		asked = append(asked, q.Get("start_date")+" "+q.Get("end_date")+" "+q.Get("extensions"))
		start, _ := time.Parse(time.RFC3339, q.Get("start_date"))
		fmt.Fprintf(w, `[{"service_request_id": "w-%s", "status": "open", "description": "Puiston penkki rikki.",
			"requested_datetime": %q, "agency_responsible": "Kaupunkiympäristön toimiala"}]`,
			start.Format("20060102"), start.Add(time.Hour).Format(time.RFC3339))
	}))
	defer srv.Close()
	dir := t.TempDir()
	os.WriteFile(dir+"/p.yaml", []byte("source: polled\nformat: open311\nchannel: web_form\nkind: suggestion\nunits: {puistot: [Kaupunkiympäristön toimiala]}\n"), 0o644)
	p := profile(t, dir+"/p.yaml")
	since := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	rows, err := PollOpen311(t.Context(), srv.Client(), srv.URL+"/requests.json", since, since.AddDate(0, 0, 200))
	if err != nil {
		t.Fatal(err)
	}
	r, err := Feedback(t.Context(), pool, rows, p, Options{})
	if err != nil || r.Inserted != 3 {
		t.Fatalf("%+v, %v", r, err)
	}
	if len(asked) != 3 || !strings.HasSuffix(asked[0], " true") || !strings.HasPrefix(asked[1], "2026-04-01T00:00:00Z 2026-06-30") {
		t.Errorf("windows asked: %q", asked)
	}
	// A server error stops the import: nothing of the earlier windows stays.
	calls := 0
	fail := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls++; calls == 3 {
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		srv.Config.Handler.ServeHTTP(w, r)
	}))
	defer fail.Close()
	before := count(t, pool, `SELECT count(*) FROM feedback`)
	rows, _ = PollOpen311(t.Context(), fail.Client(), fail.URL, since.AddDate(-1, 0, 0), since.AddDate(0, 6, 0))
	if _, err := Feedback(t.Context(), pool, rows, p, Options{}); err == nil || !strings.Contains(err.Error(), "503") {
		t.Errorf("a failing server: %v", err)
	}
	if count(t, pool, `SELECT count(*) FROM feedback`) != before {
		t.Error("a failed poll left rows behind")
	}
}

// Survey answers: a score per question, comments scrubbed, under the scope
// of their unit.
func TestSurvey(t *testing.T) {
	pool := city(t)
	file := "vastaus;kysymys;päivä;yksikkö;kanava;arvosana;kommentti\n" +
		"R1;tyytyväisyys;3.6.2026;paakirjasto;Asiointipiste;9;Hyvää palvelua, soittakaa 040 123 4567\n" +
		"R1;suosittelu;3.6.2026;paakirjasto;Asiointipiste;10;\n" +
		"R2;tyytyväisyys;4.6.2026;puistot;Puhelin;11;\n"
	rows, _ := ReadCSV(strings.NewReader(file))
	r, err := ImportTable(t.Context(), pool, "survey", rows, Options{})
	if !errors.Is(err, ErrInvalid) || !strings.Contains(r.Problems[0].Error(), "row 4, column arvosana: 11 is not a whole score") {
		t.Fatalf("a score of 11: %+v, %v", r, err)
	}
	rows, _ = ReadCSV(strings.NewReader(strings.Replace(file, ";11;", ";7;", 1)))
	if r, err := ImportTable(t.Context(), pool, "survey", rows, Options{}); err != nil || r.Inserted != 3 {
		t.Fatalf("%+v, %v", r, err)
	}
	if n := count(t, pool, `SELECT count(*) FROM survey_answer WHERE comment LIKE '%[puhelin]%'`); n != 1 {
		t.Error("the comment was not scrubbed")
	}
	// Counted by month: R2 moves from June to July, its month and the one
	// it left counted again.
	moved := strings.Replace(strings.Replace(file, ";11;", ";7;", 1), "4.6.2026", "1.7.2026", 1)
	rows, _ = ReadCSV(strings.NewReader(moved))
	if r, err := ImportTable(t.Context(), pool, "survey", rows, Options{}); err != nil || r.Updated != 1 {
		t.Fatalf("%+v, %v", r, err)
	}
	if n := count(t, pool, `SELECT sum(answers) FROM survey_count WHERE month = '2026-07-01'`); n != 1 {
		t.Errorf("July counts %d answers, want 1", n)
	}
	if n := count(t, pool, `SELECT count(*) FROM survey_count_errors()`); n != 0 {
		t.Errorf("%d survey counts differ from the answers", n)
	}
}

// The imports turn triggers off while they merge, having checked the
// foreign keys themselves: that is right only while the tables they write
// have no triggers but the foreign keys' and those that fire always (the
// tables' versions, migration 00029).
func TestOnlyForeignKeyTriggers(t *testing.T) {
	pool := storetest.NewPool(t)
	tables := []string{"feedback"}
	for _, tb := range Tables {
		tables = append(tables, tb.name)
	}
	rows, err := pool.Query(t.Context(), `SELECT tgrelid::regclass::text, tgname FROM pg_trigger
		WHERE tgrelid::regclass::text = ANY ($1) AND NOT tgisinternal AND tgenabled <> 'A'`, tables)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var table, name string
		if err := rows.Scan(&table, &name); err != nil {
			t.Fatal(err)
		}
		t.Errorf("%s has trigger %s, which an import would skip", table, name)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
}

// Checked once for the whole file, a reference that no longer exists
// stops the import as the foreign key would; the role the tests run as is
// a superuser, as the private cluster's is.
func TestReferencesCheckedOnce(t *testing.T) {
	pool := city(t)
	tx, err := pool.Begin(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(t.Context())
	if _, err := tx.Exec(t.Context(), stagingSQL); err != nil {
		t.Fatal(err)
	}
	refs := []reference{{"unit_id", "org_unit", "id"}, {"channel_id", "channel", "id"}}
	if _, err := tx.Exec(t.Context(), `INSERT INTO staging (row_no, source, source_id, channel_id, unit_id, received_at, status, kind, language, body, reply, themes)
		SELECT 1, 's', '1', (SELECT min(id) FROM channel), (SELECT min(id) FROM org_unit), now(), 'open', 'praise', 'fi', '', '', '{}'`); err != nil {
		t.Fatal(err)
	}
	checked, err := checkReferences(t.Context(), tx, refs)
	if err != nil || !checked {
		t.Fatalf("valid references: checked %v, %v", checked, err)
	}
	var role string
	if err := tx.QueryRow(t.Context(), `SELECT current_setting('session_replication_role')`).Scan(&role); err != nil || role != "replica" {
		t.Fatalf("session_replication_role %q, %v", role, err)
	}
	if _, err := tx.Exec(t.Context(), `SET LOCAL session_replication_role = origin;
		UPDATE staging SET unit_id = 999999`); err != nil {
		t.Fatal(err)
	}
	if _, err := checkReferences(t.Context(), tx, refs); err == nil || !strings.Contains(err.Error(), "org_unit 999999") {
		t.Errorf("a missing unit: %v", err)
	}
}

// A role that is not a superuser cannot turn triggers off: its imports
// are checked row by row by the foreign keys and come out the same. (Row
// security does not hold it back, as it does not the tables' owner, the
// role an installation's own database gives Luukku.)
func TestImportAsOrdinaryRole(t *testing.T) {
	pool := city(t)
	ctx := t.Context()
	if _, err := pool.Exec(ctx, `CREATE ROLE importer LOGIN PASSWORD 'importer' BYPASSRLS;
		GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO importer;
		GRANT CREATE, TEMPORARY ON DATABASE `+pool.Config().ConnConfig.Database+` TO importer`); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		pool.Exec(context.Background(), `DROP OWNED BY importer; DROP ROLE importer`)
	})
	cfg := pool.Config().Copy()
	cfg.ConnConfig.User, cfg.ConnConfig.Password = "importer", "importer"
	ordinary, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer ordinary.Close()
	var super string
	if err := ordinary.QueryRow(ctx, `SELECT current_setting('is_superuser')`).Scan(&super); err != nil || super != "off" {
		t.Fatalf("is_superuser %q, %v", super, err)
	}
	r, err := importCSV(t, ordinary, profile(t, "palautejarjestelma"), header+goodRows, Options{})
	if err != nil || r.Inserted != 3 {
		t.Fatalf("import: %+v, %v", r, err)
	}
	if n := count(t, pool, `SELECT count(*) FROM feedback WHERE source = 'palautejarjestelma'`); n != 3 {
		t.Errorf("%d rows, want 3", n)
	}
	countsAgree(t, pool)
}

// A key twice is the file's only fault: the import writes nothing and
// names both rows, whether the two rows are the same or not, and also when
// the first of them is already stored as it is (the merge alone would then
// let the second pass); with --skip-invalid the first of them goes in.
func TestDuplicateKeyAlone(t *testing.T) {
	p := profile(t, "palautejarjestelma")
	first := strings.SplitAfter(goodRows, "\n")[0]
	different := strings.Replace(first, "Liukasta", "Toinen", 1)
	for _, tt := range []struct {
		name    string
		again   string
		earlier bool
	}{{"same", first, false}, {"different", different, false}, {"different, first stored", different, true}} {
		t.Run(tt.name, func(t *testing.T) {
			pool := city(t)
			if tt.earlier {
				if _, err := importCSV(t, pool, p, header+goodRows, Options{}); err != nil {
					t.Fatal(err)
				}
			}
			before := count(t, pool, `SELECT count(*) FROM feedback`)
			file := header + goodRows + tt.again
			r, err := importCSV(t, pool, p, file, Options{})
			if !errors.Is(err, ErrInvalid) || r.Rejected != 1 || len(r.Problems) != 1 ||
				!strings.Contains(r.Problems[0].Error(), `row 5: source_id "P-1" is also on row 2`) {
				t.Fatalf("import: %+v, %v", r, err)
			}
			if n := count(t, pool, `SELECT count(*) FROM feedback`); n != before {
				t.Fatalf("%d rows written", n-before)
			}
			r, err = importCSV(t, pool, p, file, Options{SkipInvalid: true})
			if err != nil || r.Inserted+r.Unchanged != 3 || r.Rejected != 1 {
				t.Fatalf("skip invalid: %+v, %v", r, err)
			}
			var body string
			if err := pool.QueryRow(t.Context(), `SELECT body FROM feedback WHERE source_id = 'P-1'`).Scan(&body); err != nil || !strings.HasPrefix(body, "Liukasta") {
				t.Errorf("P-1 is %q, %v; want the first row's", body, err)
			}
		})
	}
}

// Two imports at once, of different sources on the same days, one of all
// new rows (its tally added), one updating rows (its days counted again):
// both go in, and the counts agree with feedback.
func TestImportsAtOnceCount(t *testing.T) {
	pool := city(t)
	p := profile(t, "palautejarjestelma")
	other := *p
	other.Source = "toinen"
	if _, err := importCSV(t, pool, &other, header+goodRows, Options{}); err != nil {
		t.Fatal(err)
	}
	changed := strings.ReplaceAll(goodRows, "Moite", "Kysymys")
	errs := make(chan error, 2)
	go func() {
		_, err := importCSV(t, pool, p, header+goodRows, Options{})
		errs <- err
	}()
	go func() {
		_, err := importCSV(t, pool, &other, header+changed, Options{})
		errs <- err
	}()
	for range 2 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	countsAgree(t, pool)
}

// Two first imports of one source at once, of the same file: the one that
// comes second waits for the first and finds its rows there, as it would
// after it, rather than adding them again.
func TestFirstImportsOfASourceAtOnce(t *testing.T) {
	pool := city(t)
	p := profile(t, "palautejarjestelma")
	var file strings.Builder
	file.WriteString(header)
	for i := range 5000 {
		fmt.Fprintf(&file, "Q-%d;Puhelin;puistot;5.3.2026 10:00;5.3.2026 11:00;;Avoin;Kysymys;;Miksi puiston roskikset ovat täynnä?;;\n", i)
	}
	type result struct {
		r   *Report
		err error
	}
	results := make(chan result, 2)
	for range 2 {
		go func() {
			r, err := importCSV(t, pool, p, file.String(), Options{})
			results <- result{r, err}
		}()
	}
	var inserted, unchanged int
	for range 2 {
		res := <-results
		if res.err != nil {
			t.Fatal(res.err)
		}
		inserted, unchanged = inserted+res.r.Inserted, unchanged+res.r.Unchanged
	}
	if inserted != 5000 || unchanged != 5000 {
		t.Errorf("inserted %d and unchanged %d in all; want 5000 of each", inserted, unchanged)
	}
	if n := count(t, pool, `SELECT count(*) FROM feedback WHERE source = $1`, p.Source); n != 5000 {
		t.Errorf("%d rows of the source; want 5000", n)
	}
	countsAgree(t, pool)
}

// A key is seen twice exactly when its columns' values are the same.
func TestKeyHashes(t *testing.T) {
	day := time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name     string
		cols     []string
		key      []string
		rows     [][]any
		repeated bool
	}{
		{"different ids", []string{"id", "n"}, []string{"id"}, [][]any{{"a", 1}, {"b", 1}}, false},
		{"the same id", []string{"id", "n"}, []string{"id"}, [][]any{{"a", 1}, {"b", 2}, {"a", 3}}, true},
		{"differing in the second column", []string{"id", "n"}, []string{"id", "n"}, [][]any{{"a", 1}, {"a", 2}}, false},
		{"the same pair", []string{"id", "n"}, []string{"id", "n"}, [][]any{{"a", int32(7)}, {"b", 1}, {"a", int32(7)}}, true},
		{"the join of two columns alike", []string{"a", "b"}, []string{"a", "b"}, [][]any{{"ab", "c"}, {"a", "bc"}}, false},
		{"the same day and unit", []string{"day", "unit"}, []string{"day", "unit"}, [][]any{{day, int32(7)}, {day, int32(7)}}, true},
		{"one row", []string{"id"}, []string{"id"}, [][]any{{"a"}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newKeyHashes(tt.cols, tt.key)
			for _, r := range tt.rows {
				h.add(r)
			}
			if got := h.repeated(); got != tt.repeated {
				t.Errorf("repeated = %v, want %v", got, tt.repeated)
			}
		})
	}
}
