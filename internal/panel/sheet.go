package panel

import (
	"github.com/luukku-bi/luukku/dashboards"
	"github.com/luukku-bi/luukku/internal/i18n"
	"github.com/luukku-bi/luukku/queries"
)

// Sheet is a table for a spreadsheet: headers in the reader's language and
// values still raw, so that the CSV and the XLSX of the same data agree and
// only the encoding differs.
type Sheet struct {
	Name    string // of the XLSX worksheet; cut to what Excel allows
	Columns []SheetColumn
	Rows    [][]any // nil, int64, float64, string or time.Time
	// Missing is written for a nil value: a panel's "<5" for a figure
	// suppressed to protect small groups.
	Missing string
	// Note, when set, follows the rows on a line of its own, for something
	// the reader must not miss: that the data was cut short.
	Note string
}

// SheetColumn is a column's header and the type that decides how its
// values are written.
type SheetColumn struct {
	Header string
	Type   queries.ColumnType
}

// NewSheet lays out a panel's query result for export. A channel, unit or
// theme column shows the name in lang and is followed by a <column>_code
// column with the code, for scripts.
func NewSheet(p *dashboards.Panel, res *queries.Result, dims *Dimensions, lang i18n.Lang) *Sheet {
	res = p.Shown(res)
	b := builder{p: p, res: res, dims: dims, lang: lang}
	s := &Sheet{Name: p.Title.In(string(lang)), Missing: p.Suppressed}
	if s.Name == "" {
		s.Name = p.ID
	}
	coded := make([]bool, len(res.Columns))
	for i, c := range res.Columns {
		if coded[i] = dims.lookup(string(c.Type)) != nil; coded[i] {
			s.Columns = append(s.Columns,
				SheetColumn{Header: b.header(c), Type: queries.ColText},
				SheetColumn{Header: c.Name + "_code", Type: queries.ColText})
		} else {
			s.Columns = append(s.Columns, SheetColumn{Header: b.header(c), Type: c.Type})
		}
	}
	for _, r := range res.Rows {
		row := make([]any, 0, len(s.Columns))
		for i, c := range res.Columns {
			v := r[i]
			if !coded[i] {
				row = append(row, v)
				continue
			}
			name := v
			if code, ok := v.(string); ok {
				name = dims.label(string(c.Type), code, lang)
			}
			row = append(row, name, v)
		}
		s.Rows = append(s.Rows, row)
	}
	return s
}
