package panel

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/luukku-bi/luukku/internal/i18n"
	"github.com/luukku-bi/luukku/queries"
)

// WriteCSV writes the sheet the way Finnish Excel opens it: UTF-8 with a
// byte-order mark, semicolons, decimal commas. Dates are ISO 8601, times
// of day in Finnish time.
func (s *Sheet) WriteCSV(w io.Writer) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.Comma = ';'
	cw.UseCRLF = true
	rec := make([]string, len(s.Columns))
	for i, c := range s.Columns {
		rec[i] = csvText(c.Header)
	}
	if err := cw.Write(rec); err != nil {
		return err
	}
	for _, r := range s.Rows {
		for i, c := range s.Columns {
			rec[i] = s.csvValue(c, r[i])
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	if s.Note != "" {
		// Padded to full width, so that the file stays a rectangle.
		clear(rec)
		rec[0] = csvText(s.Note)
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func (s *Sheet) csvValue(c SheetColumn, v any) string {
	switch v := v.(type) {
	case nil:
		return csvText(s.Missing)
	case time.Time:
		if c.Type == queries.ColTimestamp {
			return v.In(i18n.Helsinki()).Format(time.DateTime)
		}
		return v.Format(time.DateOnly)
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		return strings.Replace(strconv.FormatFloat(v, 'f', -1, 64), ".", ",", 1)
	case string:
		return csvText(v)
	}
	return fmt.Sprint(v)
}

// csvText keeps Excel from running text as a formula: feedback written by
// residents may well begin with "=" or "-". Such text gets a leading
// apostrophe, as OWASP advises against CSV injection, so that Excel takes
// it as text.
func csvText(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
