package panel

import (
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/luukku-bi/luukku/internal/i18n"
	"github.com/luukku-bi/luukku/queries"
)

// xlsxFormats are the number formats of the column types, in the file
// format's own notation, which Excel shows in the reader's locale: Finnish
// Excel shows "#,##0" as 1 234 and "0.0" as 4,3.
var xlsxFormats = map[queries.ColumnType]string{
	queries.ColInt:       "#,##0",
	queries.ColFloat:     "#,##0.0",
	queries.ColHours:     "#,##0.0",
	queries.ColMinutes:   "#,##0.0",
	queries.ColPercent:   `0.0" %"`, // values are 0–100, not fractions
	queries.ColEuro:      `#,##0" €"`,
	queries.ColDate:      "d.m.yyyy",
	queries.ColMonth:     `m"/"yyyy`, // quoted, or Excel would put its date separator there
	queries.ColTimestamp: "d.m.yyyy h:mm",
}

const (
	maxSheetName   = 31 // Excel's limit, in UTF-16 code units
	maxColumnWidth = 60 // long feedback texts would make a column screens wide
)

// WriteXLSX writes the sheet as an Excel workbook of one worksheet: a bold
// header row that stays in view, numbers and dates as real cells in
// Finnish formats, and columns wide enough for what they hold.
func (s *Sheet) WriteXLSX(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	name := sheetName(s.Name)
	if err := f.SetSheetName(f.GetSheetName(0), name); err != nil {
		return fmt.Errorf("name the worksheet %q: %w", name, err)
	}
	// The stream writer keeps a list of 100 000 items from becoming a
	// million cell structs in memory.
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return fmt.Errorf("xlsx header style: %w", err)
	}
	styles := make([]int, len(s.Columns))
	for i, c := range s.Columns {
		format, ok := xlsxFormats[c.Type]
		if !ok {
			continue
		}
		st := &excelize.Style{CustomNumFmt: &format}
		if c.Type.Numeric() {
			// A "<5" in place of a suppressed figure lines up with the numbers.
			st.Alignment = &excelize.Alignment{Horizontal: "right"}
		}
		if styles[i], err = f.NewStyle(st); err != nil {
			return fmt.Errorf("xlsx style of column %s: %w", c.Header, err)
		}
	}
	for i, width := range s.widths() {
		if err := sw.SetColWidth(i+1, i+1, width); err != nil {
			return fmt.Errorf("xlsx width of column %d: %w", i+1, err)
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return fmt.Errorf("xlsx freeze the header: %w", err)
	}
	cells := make([]any, len(s.Columns))
	for i, c := range s.Columns {
		cells[i] = excelize.Cell{StyleID: bold, Value: c.Header}
	}
	if err := sw.SetRow("A1", cells); err != nil {
		return fmt.Errorf("xlsx header: %w", err)
	}
	for n, r := range s.Rows {
		for i, c := range s.Columns {
			cells[i] = excelize.Cell{StyleID: styles[i], Value: s.xlsxValue(c, r[i])}
		}
		if err := sw.SetRow(cellName(n+2), cells); err != nil {
			return fmt.Errorf("xlsx row %d: %w", n+2, err)
		}
	}
	if s.Note != "" {
		if err := sw.SetRow(cellName(len(s.Rows)+2), []any{s.Note}); err != nil {
			return fmt.Errorf("xlsx note: %w", err)
		}
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	return nil
}

// cellName is the name of the first cell of a row: A2.
func cellName(row int) string { return fmt.Sprintf("A%d", row) }

func (s *Sheet) xlsxValue(c SheetColumn, v any) any {
	switch v := v.(type) {
	case nil:
		if s.Missing == "" {
			return nil
		}
		return s.Missing
	case time.Time:
		// A spreadsheet has no time zones: an instant becomes the Finnish
		// wall-clock time.
		if c.Type == queries.ColTimestamp {
			return v.In(i18n.Helsinki())
		}
	}
	return v
}

// widths fit each column to its header and its longest value as Excel
// shows it.
func (s *Sheet) widths() []float64 {
	out := make([]float64, len(s.Columns))
	for i, c := range s.Columns {
		n := utf8.RuneCountInString(c.Header)
		for _, r := range s.Rows {
			n = max(n, utf8.RuneCountInString(s.shown(c, r[i])))
		}
		// Two characters of room, as Excel's own fitting leaves.
		out[i] = float64(min(n+2, maxColumnWidth))
	}
	return out
}

// shown is v as the column's format shows it in Finnish Excel, near enough
// to measure.
func (s *Sheet) shown(c SheetColumn, v any) string {
	switch v := v.(type) {
	case nil:
		return s.Missing
	case string:
		return v
	case time.Time:
		switch c.Type {
		case queries.ColMonth:
			return i18n.Month(v)
		case queries.ColTimestamp:
			return i18n.DateTime(v)
		}
		return i18n.Date(v)
	}
	f, ok := number(v)
	if !ok {
		return fmt.Sprint(v)
	}
	switch c.Type {
	case queries.ColInt:
		return i18n.Number(f, 0)
	case queries.ColEuro:
		return i18n.Number(f, 0) + " €"
	case queries.ColPercent:
		return i18n.Number(f, 1) + " %"
	}
	return i18n.Number(f, 1)
}

// sheetName makes name a valid worksheet name: Excel forbids []:*?/\, an
// apostrophe at either end, and more than 31 characters.
func sheetName(name string) string {
	name = strings.Join(strings.Fields(strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) || unicode.IsControl(r) {
			return ' '
		}
		return r
	}, name)), " ")
	n := 0
	for i, r := range name {
		if n += utf16.RuneLen(r); n > maxSheetName {
			name = name[:i]
			break
		}
	}
	name = strings.Trim(name, "' ")
	if name == "" {
		return "Data"
	}
	return name
}
