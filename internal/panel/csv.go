package panel

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/luukku-bi/luukku/dashboards"
	"github.com/luukku-bi/luukku/internal/i18n"
	"github.com/luukku-bi/luukku/queries"
)

// WriteCSV writes a panel's data the way Finnish Excel opens it: UTF-8 with
// a byte-order mark, semicolons, decimal commas. Dates are ISO 8601; a
// channel, unit or theme column is followed by its code, for scripts.
func WriteCSV(w io.Writer, p *dashboards.Panel, res *queries.Result, dims *Dimensions, lang i18n.Lang) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	b := builder{p: p, res: res, dims: dims, lang: lang}
	cw := csv.NewWriter(w)
	cw.Comma = ';'
	cw.UseCRLF = true
	var head []string
	coded := make([]bool, len(res.Columns))
	for i, c := range res.Columns {
		head = append(head, b.header(c))
		if coded[i] = dims.lookup(string(c.Type)) != nil; coded[i] {
			head = append(head, c.Name+"_code")
		}
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	for _, r := range res.Rows {
		var rec []string
		for i, c := range res.Columns {
			rec = append(rec, b.csvValue(c, r[i]))
			if coded[i] {
				rec = append(rec, fmt.Sprint(r[i]))
			}
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func (b *builder) csvValue(c queries.Column, v any) string {
	switch v := v.(type) {
	case nil:
		return b.p.Suppressed
	case time.Time:
		return v.Format(time.DateOnly)
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		return strings.Replace(strconv.FormatFloat(v, 'f', -1, 64), ".", ",", 1)
	case string:
		return b.dims.label(string(c.Type), v, b.lang)
	}
	return fmt.Sprint(v)
}
