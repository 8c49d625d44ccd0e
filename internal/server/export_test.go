package server

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/xuri/excelize/v2"

	"github.com/luukku-bi/luukku/dashboards"
	"github.com/luukku-bi/luukku/internal/i18n"
	"github.com/luukku-bi/luukku/queries"
)

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// download fetches a file and checks its type and name.
func download(t *testing.T, h http.Handler, target, contentType, filename string) []byte {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("GET %s = %d\n%.500s", target, rec.Code, rec.Body)
	}
	if got := rec.Header().Get("Content-Type"); got != contentType {
		t.Errorf("GET %s: Content-Type %q, want %q", target, got, contentType)
	}
	if got := rec.Header().Get("Content-Disposition"); got != `attachment; filename="`+filename+`"` {
		t.Errorf("GET %s: Content-Disposition %q, want file name %s", target, got, filename)
	}
	return rec.Body.Bytes()
}

// readCSV parses an export CSV: a byte-order mark, semicolons, CRLF.
func readCSV(t *testing.T, body []byte) [][]string {
	t.Helper()
	s, ok := strings.CutPrefix(string(body), "\ufeff")
	if !ok || !strings.Contains(s, "\r\n") {
		t.Fatalf("CSV lacks the byte-order mark or CRLF: %.200q", s)
	}
	r := csv.NewReader(strings.NewReader(s))
	r.Comma = ';'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("parse CSV: %v", err)
	}
	return recs
}

// readXLSX opens an export workbook and returns its one sheet's cells as
// stored (numbers unformatted, dates as Excel day numbers).
func readXLSX(t *testing.T, body []byte) [][]string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("open XLSX: %v", err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) != 1 {
		t.Fatalf("workbook has sheets %q, want one", sheets)
	}
	rows, err := f.GetRows(sheets[0], excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// cellAt is row[i], or "" where excelize left off an empty cell at the end.
func cellAt(row []string, i int) string {
	if i < len(row) {
		return row[i]
	}
	return ""
}

// excelTime reads an Excel day number as the wall-clock time it shows.
func excelTime(t *testing.T, raw string) time.Time {
	t.Helper()
	f, err := strconv.ParseFloat(raw, 64)
	if err != nil {
		t.Fatalf("not an Excel date: %q", raw)
	}
	tm, err := excelize.ExcelDateToTime(f, false)
	if err != nil {
		t.Fatal(err)
	}
	return tm.Round(time.Second)
}

// names returns code → Finnish name of a reference table.
func names(t *testing.T, pool *pgxpool.Pool, table string) map[string]string {
	t.Helper()
	rows, err := pool.Query(context.Background(), "SELECT code, name_fi FROM "+table)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for rows.Next() {
		var code, name string
		if err := rows.Scan(&code, &name); err != nil {
			t.Fatal(err)
		}
		out[code] = name
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// Every panel's CSV and XLSX, on every dashboard, for a filtered view hold
// exactly what its query returns, run here on its own, of the columns the
// panel shows: names and codes, numbers, dates and suppressed figures.
func TestPanelExportsMatchTheirQueries(t *testing.T) {
	srv, pool := readOnlyServer(t)
	ctx := context.Background()
	var toimiala, unitPath string
	if err := pool.QueryRow(ctx, `SELECT code, path::text FROM org_unit WHERE level = 'toimiala' ORDER BY path LIMIT 1`).
		Scan(&toimiala, &unitPath); err != nil {
		t.Fatal(err)
	}
	const from, to = "2026-01-01", "2026-03-31"
	view := fmt.Sprintf("from=%s&to=%s&unit=%s&channel=email&channel=phone", from, to, toimiala)
	labels := map[string]map[string]string{
		"channel": names(t, pool, "channel"), "unit": names(t, pool, "org_unit"), "theme": names(t, pool, "theme"),
		"verdict": {"improved": "Parani", "worsened": "Heikkeni", "unchanged": "Ei muutosta (ero on satunnaisvaihtelua)", "pending": "Kesken"},
	}
	args := map[string]any{
		"from": time.Date(2026, 1, 1, 0, 0, 0, 0, i18n.Helsinki()), "to": time.Date(2026, 3, 31, 0, 0, 0, 0, i18n.Helsinki()),
		"unit": unitPath, "channels": []string{"email", "phone"}, "lang": "fi",
	}
	suppressed := 0
	for _, d := range srv.cfg.Definitions().All() {
		_, doc := get(t, srv, dashboardPath(d.Slug)+"?"+view)
		for _, p := range d.Panels {
			t.Run(d.Slug+"/"+p.ID, func(t *testing.T) {
				q, _ := d.Queries().Get(p.Query)
				res, err := q.Run(ctx, pool, args)
				if err != nil {
					t.Fatal(err)
				}
				res = p.Shown(res)
				links := doc.Find("#panel-" + p.ID + " .export a")
				if len(res.Rows) == 0 {
					// An empty panel says so and offers nothing to download.
					if links.Length() != 0 || doc.Find("#panel-"+p.ID+" .empty").Length() != 1 {
						t.Errorf("an empty panel shows %d export links and no empty note", links.Length())
					}
					return
				}
				csvHref, _ := links.Eq(0).Attr("href")
				xlsxHref, _ := links.Eq(1).Attr("href")
				wantPath := "/d/" + d.Slug + "/panels/" + p.ID
				if !strings.HasPrefix(csvHref, wantPath+".csv?") || !strings.HasPrefix(xlsxHref, wantPath+".xlsx?") {
					t.Fatalf("export links %q and %q", csvHref, xlsxHref)
				}
				if u, _ := url.Parse(xlsxHref); u.Query().Get("unit") != toimiala || len(u.Query()["channel"]) != 2 {
					t.Errorf("XLSX link %q loses the view", xlsxHref)
				}
				name := "luukku-" + d.Slug + "-" + p.ID + "-" + from + "_" + to
				csvRecs := readCSV(t, download(t, srv, csvHref, "text/csv; charset=utf-8", name+".csv"))
				xlsxRows := readXLSX(t, download(t, srv, xlsxHref, xlsxType, name+".xlsx"))
				if len(csvRecs) != len(res.Rows)+1 || len(xlsxRows) != len(res.Rows)+1 {
					t.Fatalf("CSV has %d records, XLSX %d rows; want a header and %d", len(csvRecs), len(xlsxRows), len(res.Rows))
				}
				if strings.Join(csvRecs[0], "|") != strings.Join(xlsxRows[0], "|") {
					t.Errorf("headers differ: CSV %q, XLSX %q", csvRecs[0], xlsxRows[0])
				}
				suppressed += compareExport(t, &p, res, labels, csvRecs, xlsxRows)
			})
		}
	}
	t.Logf("%d suppressed figures compared", suppressed)
}

// compareExport checks the CSV records and XLSX rows of a panel's export
// against its query result, value by value, and says how many suppressed
// figures it met.
func compareExport(t *testing.T, p *dashboards.Panel, res *queries.Result, labels map[string]map[string]string, csvRecs, xlsxRows [][]string) (suppressed int) {
	t.Helper()
	for r, row := range res.Rows {
		c := 0 // the export's column: a name and its code take two
		for i, col := range res.Columns {
			where := fmt.Sprintf("row %d column %s", r+1, col.Name)
			gotCSV, gotXLSX := cellAt(csvRecs[r+1], c), cellAt(xlsxRows[r+1], c)
			if m := labels[string(col.Type)]; m != nil {
				code, _ := row[i].(string)
				wantName, wantCode := m[code], code
				if row[i] == nil {
					wantName, wantCode = p.Suppressed, p.Suppressed
				}
				codeCSV, codeXLSX := cellAt(csvRecs[r+1], c+1), cellAt(xlsxRows[r+1], c+1)
				if gotCSV != wantName || gotXLSX != wantName || codeCSV != wantCode || codeXLSX != wantCode {
					t.Errorf("%s: CSV %q %q, XLSX %q %q, want %q %q", where, gotCSV, codeCSV, gotXLSX, codeXLSX, wantName, wantCode)
				}
				c += 2
				continue
			}
			var want string
			switch v := row[i].(type) {
			case nil:
				want = p.Suppressed
				suppressed++
			case string:
				want = v
			case int64:
				want = strconv.FormatInt(v, 10)
			case float64:
				fromCSV, err1 := strconv.ParseFloat(strings.Replace(gotCSV, ",", ".", 1), 64)
				fromXLSX, err2 := strconv.ParseFloat(gotXLSX, 64)
				// Excel keeps 15 significant digits; the CSV all of them.
				if err1 != nil || err2 != nil || fromCSV != v || math.Abs(fromXLSX-v) > 1e-13*math.Max(1, math.Abs(v)) {
					t.Errorf("%s: CSV %q, XLSX %q, want %v", where, gotCSV, gotXLSX, v)
				}
				c++
				continue
			case time.Time:
				layout := time.DateOnly
				if col.Type == queries.ColTimestamp {
					v, layout = v.In(i18n.Helsinki()), time.DateTime
				}
				want = v.Format(layout)
				gotXLSX = excelTime(t, gotXLSX).Format(layout)
			default:
				t.Fatalf("%s: unexpected %T in the query result", where, v)
			}
			if gotCSV != want || gotXLSX != want {
				t.Errorf("%s: CSV %q, XLSX %q, want %q", where, gotCSV, gotXLSX, want)
			}
			c++
		}
	}
	return suppressed
}

// feedbackRow is one item as the test reads it from the database itself.
type feedbackRow struct {
	id                                  int64
	received, channel, unit, kind, body string
}

// The items page's CSV and XLSX links download the whole filtered list,
// not one page: every item, in the page's order, as the database has it.
func TestItemsExport(t *testing.T) {
	srv, pool := readOnlyServer(t)
	const list = "/d/overview/items?from=2026-01-01&to=2026-03-31&unit=kaupunkiymparisto&kind=complaint&sort=oldest"
	rec, doc := get(t, srv, list)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET %s = %d", list, rec.Code)
	}
	total := digitsOf(doc.Find(".summary strong").Text())
	if total <= itemsPerPage {
		t.Fatalf("only %d items: the test needs more than a page", total)
	}
	links := doc.Find("main .export a")
	csvHref, _ := links.Eq(0).Attr("href")
	xlsxHref, _ := links.Eq(1).Attr("href")
	if links.Length() != 2 || !strings.HasPrefix(csvHref, "/d/overview/items.csv?") || !strings.HasPrefix(xlsxHref, "/d/overview/items.xlsx?") {
		t.Fatalf("export links %q, %q", csvHref, xlsxHref)
	}
	for _, href := range []string{csvHref, xlsxHref} {
		u, _ := url.Parse(href)
		if q := u.Query(); q.Get("kind") != "complaint" || q.Get("sort") != "oldest" || q.Get("unit") != "kaupunkiymparisto" || q.Has("page") {
			t.Errorf("export link %q does not carry the list's filters", href)
		}
	}
	// From page 2 the links are the same: the download is never one page.
	_, doc2 := get(t, srv, list+"&page=2")
	if href, _ := doc2.Find("main .export a").First().Attr("href"); href != csvHref {
		t.Errorf("page 2 links %q, page 1 %q", href, csvHref)
	}

	rows, err := pool.Query(context.Background(), `
		SELECT f.id, to_char(f.received_at AT TIME ZONE 'Europe/Helsinki', 'YYYY-MM-DD HH24:MI:SS'),
		       c.code, u.code, f.kind, f.body
		FROM feedback f JOIN org_unit u ON u.id = f.unit_id JOIN channel c ON c.id = f.channel_id
		WHERE u.path <@ 'esimerkkila.kaupunkiymparisto' AND f.kind = 'complaint'
		  AND f.received_at >= '2026-01-01' AND f.received_at < '2026-04-01'
		ORDER BY f.received_at, f.id`)
	if err != nil {
		t.Fatal(err)
	}
	var want []feedbackRow
	for rows.Next() {
		var r feedbackRow
		if err := rows.Scan(&r.id, &r.received, &r.channel, &r.unit, &r.kind, &r.body); err != nil {
			t.Fatal(err)
		}
		want = append(want, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if int64(len(want)) != total {
		t.Fatalf("the page says %d items, the database %d", total, len(want))
	}

	const name = "luukku-overview-items-2026-01-01_2026-03-31"
	csvRecs := readCSV(t, download(t, srv, csvHref, "text/csv; charset=utf-8", name+".csv"))
	xlsxRows := readXLSX(t, download(t, srv, xlsxHref, xlsxType, name+".xlsx"))
	head := []string{"Tunniste", "Saapunut", "Kanava", "channel_code", "Yksikkö", "unit_code", "Laji", "kind_code",
		"Tila", "status_code", "Teemat", "themes_code", "Ensivastaus (min)", "Palaute", "Kieli"}
	for _, got := range [][]string{csvRecs[0], xlsxRows[0]} {
		if strings.Join(got, "|") != strings.Join(head, "|") {
			t.Errorf("header = %q, want %q", got, head)
		}
	}
	if len(csvRecs) != len(want)+1 || len(xlsxRows) != len(want)+1 {
		t.Fatalf("CSV has %d records, XLSX %d rows; want a header and %d items", len(csvRecs), len(xlsxRows), len(want))
	}
	channels, units := names(t, pool, "channel"), names(t, pool, "org_unit")
	for i, w := range want {
		c, x := csvRecs[i+1], xlsxRows[i+1]
		id := strconv.FormatInt(w.id, 10)
		body := w.body
		if body != "" && strings.ContainsRune("=+-@\t\r", rune(body[0])) {
			body = "'" + body // Excel must not take it for a formula
		}
		wantCSV := []string{id, w.received, channels[w.channel], w.channel, units[w.unit], w.unit, "Moite", w.kind}
		gotCSV := append(c[:8:8], c[13])
		if strings.Join(gotCSV, "|") != strings.Join(append(wantCSV, body), "|") {
			t.Errorf("CSV item %d = %q, want %q and body %q", i+1, gotCSV, wantCSV, body)
		}
		if cellAt(x, 0) != id || cellAt(x, 3) != w.channel || cellAt(x, 5) != w.unit || cellAt(x, 13) != w.body {
			t.Errorf("XLSX item %d = %q, want id %s, %s, %s and body %q", i+1, x, id, w.channel, w.unit, w.body)
		}
		if got := excelTime(t, cellAt(x, 1)).Format(time.DateTime); got != w.received {
			t.Errorf("XLSX item %d received %s, want %s", i+1, got, w.received)
		}
	}
}

// A list longer than the cap is cut, and the file says so on its last line.
func TestItemsExportSaysWhenCut(t *testing.T) {
	srv, _ := readOnlyServer(t)
	d, _ := srv.cfg.Definitions().Get("overview")
	v, err := parseView(url.Values{"from": {"2026-01-01"}, "to": {"2026-01-31"}}, today, i18n.Finnish)
	if err != nil {
		t.Fatal(err)
	}
	sheet, err := srv.itemsSheet(asExecutive(t.Context()), d, v, itemFilter{sort: "newest", page: 1}, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(sheet.Rows) != 10 || !strings.HasPrefix(sheet.Note, "Lista on katkaistu: mukana on 10 ensimmäistä palautetta") {
		t.Errorf("%d rows, note %q", len(sheet.Rows), sheet.Note)
	}
	all, err := srv.itemsSheet(asExecutive(t.Context()), d, v, itemFilter{sort: "newest", page: 1}, maxExportItems)
	if err != nil {
		t.Fatal(err)
	}
	if all.Note != "" || len(all.Rows) <= 10 {
		t.Errorf("the whole month: %d rows, note %q", len(all.Rows), all.Note)
	}
}
