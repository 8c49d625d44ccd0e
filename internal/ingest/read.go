// Package ingest imports what cities keep in other systems: feedback from
// CSV and XLSX exports and Open311 service requests. A file goes in whole
// or not at all (one transaction: COPY into a staging table, then a merge
// keyed by source and source id), free text is scrubbed of personal data
// before it reaches the database, and importing the same file twice
// changes nothing.
package ingest

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"

	"github.com/luukku-bi/luukku/internal/i18n"
)

// Record is one row of a file by column name, with its number as a
// spreadsheet shows it (the header is row 1).
type Record struct {
	Row    int
	Fields map[string]string
}

// Rows yields a file's records one at a time, so that a file of any size
// streams through in bounded memory.
type Rows interface {
	// Next returns the next record, io.EOF at the end, or a *Problem for a
	// row that cannot be read (the rest may still be).
	Next() (Record, error)
	Columns() []string
}

// decode returns r as UTF-8: a byte-order mark is dropped, and a file that
// is not UTF-8 is read as Windows-1252 (a superset of ISO-8859-1's
// printable characters), as Finnish Excel saves CSV.
func decode(r io.Reader) io.Reader {
	br := bufio.NewReaderSize(r, 64<<10)
	head, _ := br.Peek(64 << 10)
	if bytes.HasPrefix(head, []byte("\ufeff")) {
		br.Discard(3)
		return br
	}
	// A multi-byte character may be cut at the end of the sample.
	for i := 0; i < utf8.UTFMax && len(head) > 0 && !utf8.Valid(head); i++ {
		head = head[:len(head)-1]
	}
	if utf8.Valid(head) {
		return br
	}
	return charmap.Windows1252.NewDecoder().Reader(br)
}

// csvRows reads a CSV file whose first line names the columns. The
// separator is the one of ; , and tab that the header has most of.
type csvRows struct {
	r       *csv.Reader
	columns []string
	row     int
}

// ReadCSV starts reading a CSV file.
func ReadCSV(r io.Reader) (Rows, error) {
	br := bufio.NewReaderSize(decode(r), 64<<10)
	line, err := br.Peek(4096)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, fmt.Errorf("read: %w", err)
	}
	if i := bytes.IndexByte(line, '\n'); i >= 0 {
		line = line[:i]
	}
	if len(bytes.TrimSpace(line)) == 0 {
		return nil, &Problem{Row: 1, Reason: i18n.Msg("ingest.empty")}
	}
	comma := ';'
	best := bytes.Count(line, []byte(";"))
	for _, c := range []rune{',', '\t'} {
		if n := bytes.Count(line, []byte(string(c))); n > best {
			comma, best = c, n
		}
	}
	cr := csv.NewReader(br)
	cr.Comma = comma
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err != nil {
		return nil, &Problem{Row: 1, Reason: i18n.Msg("ingest.header", i18n.Verbatim(err.Error()))}
	}
	rows := &csvRows{r: cr, row: 1}
	for _, h := range head {
		rows.columns = append(rows.columns, strings.TrimSpace(h))
	}
	return rows, nil
}

func (c *csvRows) Columns() []string { return c.columns }

func (c *csvRows) Next() (Record, error) {
	rec, err := c.r.Read()
	c.row++
	if errors.Is(err, io.EOF) {
		return Record{}, io.EOF
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		c.row = pe.Line
		return Record{Row: pe.StartLine}, &Problem{Row: pe.StartLine, Reason: i18n.Msg("ingest.csv", i18n.Verbatim(pe.Err.Error()))}
	}
	if err != nil {
		return Record{}, fmt.Errorf("read: %w", err)
	}
	line, _ := c.r.FieldPos(0)
	c.row = line
	if len(rec) != len(c.columns) {
		return Record{Row: line}, &Problem{Row: line, Reason: i18n.Msg("ingest.fields", len(rec), len(c.columns))}
	}
	fields := make(map[string]string, len(rec))
	for i, v := range rec {
		if !utf8.ValidString(v) {
			return Record{Row: line}, &Problem{Row: line, Column: c.columns[i], Reason: i18n.Msg("ingest.utf8")}
		}
		fields[c.columns[i]] = strings.TrimSpace(v)
	}
	return Record{Row: line, Fields: fields}, nil
}

// xlsxRows reads the first (or the named) sheet of a workbook, row by row.
// Cells come raw: a date is Excel's serial number, whatever its format.
type xlsxRows struct {
	f       *excelize.File
	rows    *excelize.Rows
	columns []string
	row     int
}

// ReadXLSX starts reading a workbook; sheet "" is the first.
func ReadXLSX(r io.Reader, sheet string) (Rows, error) {
	f, err := excelize.OpenReader(r)
	if err != nil {
		return nil, &Problem{Row: 0, Reason: i18n.Msg("ingest.xlsx", i18n.Verbatim(err.Error()))}
	}
	if sheet == "" {
		sheet = f.GetSheetName(0)
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		f.Close()
		return nil, &Problem{Reason: i18n.Msg("ingest.sheet", sheet, i18n.Verbatim(err.Error()))}
	}
	x := &xlsxRows{f: f, rows: rows}
	if !rows.Next() {
		f.Close()
		return nil, &Problem{Row: 1, Reason: i18n.Msg("ingest.sheet.empty")}
	}
	head, err := rows.Columns(excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, &Problem{Row: 1, Reason: i18n.Msg("ingest.header", i18n.Verbatim(err.Error()))}
	}
	for _, h := range head {
		x.columns = append(x.columns, strings.TrimSpace(h))
	}
	x.row = 1
	return x, nil
}

func (x *xlsxRows) Columns() []string { return x.columns }

func (x *xlsxRows) Next() (Record, error) {
	for x.rows.Next() {
		x.row++
		cells, err := x.rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return Record{Row: x.row}, &Problem{Row: x.row, Reason: i18n.Msg("ingest.xlsx.row", i18n.Verbatim(err.Error()))}
		}
		if len(strings.TrimSpace(strings.Join(cells, ""))) == 0 {
			continue // Excel keeps formatted empty rows
		}
		fields := make(map[string]string, len(x.columns))
		for i, c := range x.columns {
			if i < len(cells) {
				fields[c] = strings.TrimSpace(cells[i])
			} else {
				fields[c] = ""
			}
		}
		return Record{Row: x.row, Fields: fields}, nil
	}
	x.rows.Close()
	x.f.Close()
	if err := x.rows.Error(); err != nil {
		return Record{}, fmt.Errorf("read workbook: %w", err)
	}
	return Record{}, io.EOF
}
