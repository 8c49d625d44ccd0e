package panel

import (
	"bytes"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"

	"github.com/luukku-bi/luukku/dashboards"
	"github.com/luukku-bi/luukku/internal/i18n"
	"github.com/luukku-bi/luukku/queries"
)

// openXLSX writes s as XLSX and reads it back.
func openXLSX(t *testing.T, s *Sheet) *excelize.File {
	t.Helper()
	var buf bytes.Buffer
	if err := s.WriteXLSX(&buf); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatalf("read the XLSX back: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// cell is what a test expects of one cell: its raw value, whether it is a
// number (or date) rather than text, and its number format.
type cell struct {
	raw     string
	numeric bool
	format  string
}

func TestWriteXLSX(t *testing.T) {
	col := func(name string, typ queries.ColumnType) queries.Column { return queries.Column{Name: name, Type: typ} }
	tests := []struct {
		name      string
		panel     dashboards.Panel
		res       queries.Result
		sheet     string
		head      []string
		cells     map[string]cell
		maxWidths map[string]float64 // column → the width it must not exceed
		minWidths map[string]float64 // column → the width it needs at least
	}{
		{
			name:  "counts by month and channel",
			panel: dashboards.Panel{ID: "v", Title: dashboards.Text{"fi": "Palautteet kanavittain"}},
			res: queries.Result{
				Columns: []queries.Column{col("month", queries.ColMonth), col("channel", queries.ColChannel), col("feedback", queries.ColInt)},
				Rows: [][]any{
					{month(1), "email", int64(1234567)},
					{month(2), "phone", int64(0)},
				},
			},
			sheet: "Palautteet kanavittain",
			head:  []string{"Kuukausi", "Kanava", "channel_code", "Palautteet"},
			cells: map[string]cell{
				"A2": {raw: "46023", numeric: true, format: `m"/"yyyy`}, // 1.1.2026 as Excel counts days
				"A3": {raw: "46054", numeric: true, format: `m"/"yyyy`},
				"B2": {raw: "Sähköposti"},
				"C2": {raw: "email"},
				"B3": {raw: "Puhelin"},
				"D2": {raw: "1234567", numeric: true, format: "#,##0"},
				"D3": {raw: "0", numeric: true, format: "#,##0"},
			},
			// "1 234 567" and "Palautteet" with room to spare.
			minWidths: map[string]float64{"D": 11, "B": 11},
		},
		{
			name: "suppressed figures, shares and euros",
			panel: dashboards.Panel{ID: "sick", Suppressed: "<5", Title: dashboards.Text{"fi": "Sairauspoissaolot"},
				Labels: map[string]dashboards.Text{"rate": {"fi": "Sairauspoissaolo-%"}, "cost": {"fi": "Kustannus"}}},
			res: queries.Result{
				Columns: []queries.Column{col("unit", queries.ColUnit), col("rate", queries.ColPercent), col("cost", queries.ColEuro)},
				Rows: [][]any{
					{"a", 4.25, 1234.5},
					{"b", nil, -10.0},
				},
			},
			sheet: "Sairauspoissaolot",
			head:  []string{"Yksikkö", "unit_code", "Sairauspoissaolo-%", "Kustannus"},
			cells: map[string]cell{
				"A2": {raw: "Yksikkö A"},
				"A3": {raw: "b"}, // an unknown code stands for itself
				"B3": {raw: "b"},
				"C2": {raw: "4.25", numeric: true, format: `0.0" %"`},
				"C3": {raw: "<5", format: `0.0" %"`},
				"D2": {raw: "1234.5", numeric: true, format: `#,##0" €"`},
				"D3": {raw: "-10", numeric: true, format: `#,##0" €"`},
			},
		},
		{
			name:  "days, instants and durations",
			panel: dashboards.Panel{ID: "times", Title: dashboards.Text{"fi": "Ajat", "en": "Times"}},
			res: queries.Result{
				Columns: []queries.Column{col("day", queries.ColDate), col("at", queries.ColTimestamp),
					col("minutes", queries.ColMinutes), col("hours", queries.ColHours), col("fte", queries.ColFloat), col("note", queries.ColText)},
				Rows: [][]any{
					// 10:00 UTC is noon in Helsinki in winter.
					{time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC), time.Date(2026, 1, 15, 10, 0, 0, 0, time.UTC), 90.25, 1.5, 12.0, "=1+1"},
					{nil, nil, nil, nil, nil, strings.Repeat("x", 500)},
				},
			},
			sheet: "Ajat",
			head:  []string{"day", "at", "minutes", "hours", "fte", "note"},
			cells: map[string]cell{
				"A2": {raw: "46037", numeric: true, format: "d.m.yyyy"},
				"B2": {raw: "46037.5", numeric: true, format: "d.m.yyyy h:mm"},
				"C2": {raw: "90.25", numeric: true, format: "#,##0.0"},
				"D2": {raw: "1.5", numeric: true, format: "#,##0.0"},
				"E2": {raw: "12", numeric: true, format: "#,##0.0"},
				"F2": {raw: "=1+1"}, // text, never a formula
				"A3": {raw: "", format: "d.m.yyyy"},
				"C3": {raw: "", format: "#,##0.0"},
			},
			maxWidths: map[string]float64{"F": maxColumnWidth},
			minWidths: map[string]float64{"B": 16},
		},
		{
			name: "a title Excel would refuse",
			panel: dashboards.Panel{ID: "t", Title: dashboards.Text{
				"fi": "'Talous: budjetti/toteuma [kaikki] *? \\ ja vielä paljon pidempi nimi'"}},
			res: queries.Result{
				Columns: []queries.Column{col("n", queries.ColInt)},
				Rows:    [][]any{{int64(1)}},
			},
			sheet: "Talous budjetti toteuma kaikki",
			head:  []string{"n"},
			cells: map[string]cell{"A2": {raw: "1", numeric: true, format: "#,##0"}},
		},
		{
			name:  "no title",
			panel: dashboards.Panel{ID: "kpis"},
			res: queries.Result{
				Columns: []queries.Column{col("n", queries.ColInt)},
				Rows:    [][]any{{int64(1)}},
			},
			sheet: "kpis",
			head:  []string{"n"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := openXLSX(t, NewSheet(&tt.panel, &tt.res, dims, i18n.Finnish))
			if got := f.GetSheetList(); len(got) != 1 || got[0] != tt.sheet {
				t.Fatalf("sheets = %q, want [%q]", got, tt.sheet)
			}
			rows, err := f.GetRows(tt.sheet)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(rows[0], "|") != strings.Join(tt.head, "|") {
				t.Errorf("header = %q, want %q", rows[0], tt.head)
			}
			if len(rows) != len(tt.res.Rows)+1 {
				t.Errorf("%d rows, want a header and %d", len(rows), len(tt.res.Rows))
			}
			for i := range tt.head {
				name, _ := excelize.CoordinatesToCellName(i+1, 1)
				if !style(t, f, tt.sheet, name).Font.Bold {
					t.Errorf("header %s is not bold", name)
				}
			}
			panes, err := f.GetPanes(tt.sheet)
			if err != nil || !panes.Freeze || panes.YSplit != 1 || panes.XSplit != 0 {
				t.Errorf("panes = %+v, %v; want the header row frozen", panes, err)
			}
			for name, want := range tt.cells {
				raw, err := f.GetCellValue(tt.sheet, name, excelize.Options{RawCellValue: true})
				if err != nil {
					t.Fatal(err)
				}
				if raw != want.raw {
					t.Errorf("%s = %q, want %q", name, raw, want.raw)
				}
				typ, _ := f.GetCellType(tt.sheet, name)
				text := typ == excelize.CellTypeInlineString || typ == excelize.CellTypeSharedString
				if want.raw != "" && text == want.numeric {
					t.Errorf("%s has cell type %v; numeric = %v", name, typ, want.numeric)
				}
				if got := numFmt(t, f, tt.sheet, name); got != want.format {
					t.Errorf("%s has number format %q, want %q", name, got, want.format)
				}
			}
			for c, limit := range tt.maxWidths {
				if w, _ := f.GetColWidth(tt.sheet, c); w > limit {
					t.Errorf("column %s is %v wide, want at most %v", c, w, limit)
				}
			}
			for c, need := range tt.minWidths {
				if w, _ := f.GetColWidth(tt.sheet, c); w < need {
					t.Errorf("column %s is %v wide, want at least %v", c, w, need)
				}
			}
		})
	}
}

func style(t *testing.T, f *excelize.File, sheet, cell string) *excelize.Style {
	t.Helper()
	id, err := f.GetCellStyle(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	s, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	if s.Font == nil {
		s.Font = &excelize.Font{}
	}
	return s
}

func numFmt(t *testing.T, f *excelize.File, sheet, cell string) string {
	t.Helper()
	if s := style(t, f, sheet, cell); s.CustomNumFmt != nil {
		return *s.CustomNumFmt
	}
	return ""
}

func TestWriteXLSXNote(t *testing.T) {
	s := &Sheet{
		Name:    "Palautteet",
		Columns: []SheetColumn{{Header: "Tunniste", Type: queries.ColText}, {Header: "Palaute", Type: queries.ColText}},
		Rows:    [][]any{{int64(1), "hyvä"}, {int64(2), "huono"}},
		Note:    "Lista on katkaistu.",
	}
	f := openXLSX(t, s)
	rows, err := f.GetRows("Palautteet")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 || rows[3][0] != s.Note {
		t.Errorf("rows = %q, want the note last", rows)
	}
	// An identifier has no number format: 12345, not 12 345.
	if got := numFmt(t, f, "Palautteet", "A2"); got != "" {
		t.Errorf("identifier format = %q", got)
	}
}

func TestSheetName(t *testing.T) {
	long := strings.Repeat("ä", 40)
	tests := []struct{ in, want string }{
		{"Tunnusluvut", "Tunnusluvut"},
		{"Talous: budjetti / toteuma", "Talous budjetti toteuma"},
		{"[*?]", "Data"},
		{"'quoted'", "quoted"},
		{long, long[:2*31]}, // ä is one UTF-16 unit but two bytes
		{strings.Repeat("😀", 20), strings.Repeat("😀", 15)}, // two units each
		{"rivi\nvaihto", "rivi vaihto"},
	}
	for _, tt := range tests {
		got := sheetName(tt.in)
		if got != tt.want {
			t.Errorf("sheetName(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if n := len(utf16.Encode([]rune(got))); n > 31 {
			t.Errorf("sheetName(%q) is %d UTF-16 units long", tt.in, n)
		}
	}
}
