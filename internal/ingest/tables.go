package ingest

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/luukku-bi/luukku/internal/i18n"
	"github.com/luukku-bi/luukku/internal/scrub"
)

// The other kinds of data come in fixed formats: a column per field, named
// in English, Finnish or Swedish, units and channels by code or by name.

type fieldKind int

const (
	fDay fieldKind = iota
	fMonth
	fUnit
	fChannel
	fAccountGroup
	fCount   // a whole number, 0 or more
	fAmount  // euros, may be negative
	fMeasure // a decimal, 0 or more
	fScore   // a whole number 0–10
	fKey     // an identifier, up to 200 characters
	fComment // free text, scrubbed of personal data; may be empty
)

type field struct {
	column  string   // in the table
	headers []string // accepted names of the file's column, lower case
	kind    fieldKind
	key     bool
}

type table struct {
	name   string
	fields []field
	// days, recount and afterCount, for a table counted ahead, as in target.
	days, recount, afterCount string
}

var (
	unitField  = field{"unit_id", []string{"unit", "yksikkö", "enhet"}, fUnit, true}
	monthField = field{"month", []string{"month", "kuukausi", "kk", "månad"}, fMonth, true}
)

// Tables are the fixed-format imports by kind.
var Tables = map[string]table{
	"contacts": {name: "contact_volume", fields: []field{
		{"day", []string{"day", "date", "päivä", "pvm", "dag", "datum"}, fDay, true},
		unitField,
		{"channel_id", []string{"channel", "kanava", "kanal"}, fChannel, true},
		{"contacts", []string{"contacts", "yhteydenotot", "kontakter"}, fCount, false},
	}},
	"finance": {name: "finance_month", fields: []field{
		monthField, unitField,
		{"account_group", []string{"account_group", "tililuokka", "kontogrupp"}, fAccountGroup, true},
		{"budget", []string{"budget", "talousarvio", "ta"}, fAmount, false},
		{"actual", []string{"actual", "toteuma", "tot", "utfall"}, fAmount, false},
	},
		// The branches' sums and the booked months (migration 00018): the
		// whole ledger, a few tens of milliseconds.
		afterCount: `SELECT refresh_finance_counts()`,
	},
	"survey": {name: "survey_answer", fields: []field{
		{"response_id", []string{"response_id", "response", "vastaus", "vastaustunnus", "svar"}, fKey, true},
		{"question", []string{"question", "kysymys", "fråga"}, fKey, true},
		{"answered_on", []string{"day", "date", "päivä", "pvm", "dag", "datum"}, fDay, false},
		{"unit_id", unitField.headers, fUnit, false},
		{"channel_id", []string{"channel", "kanava", "kanal"}, fChannel, false},
		{"score", []string{"score", "arvosana", "arvio", "betyg"}, fScore, false},
		{"comment", []string{"comment", "kommentti", "avoin vastaus", "kommentar"}, fComment, false},
	},
		// Answers are counted by month (survey_count): the days of the
		// file's answers and of those it updates.
		days: `SELECT min(lo), max(hi) FROM (
			SELECT min(answered_on), max(answered_on) FROM staging
			UNION ALL
			SELECT min(a.answered_on), max(a.answered_on)
			FROM survey_answer a JOIN staging s ON s.response_id = a.response_id AND s.question = a.question
		) AS d (lo, hi)`,
		recount: `SELECT refresh_survey_counts($1, $2)`,
	},
	"hr": {name: "hr_month", fields: []field{
		monthField, unitField,
		{"headcount", []string{"headcount", "henkilöstö", "henkilömäärä", "antal anställda"}, fCount, false},
		{"fte", []string{"fte", "htv", "årsverken"}, fMeasure, false},
		{"sick_leave_days", []string{"sick_leave_days", "sairauspoissaolopäivät", "sjukfrånvarodagar"}, fMeasure, false},
		{"overtime_hours", []string{"overtime_hours", "ylityötunnit", "övertidstimmar"}, fMeasure, false},
		{"leavers", []string{"leavers", "lähteneet", "lähtövaihtuvuus", "avgångna"}, fCount, false},
	},
		// The branches' sums (migration 00025): the whole table, a few
		// milliseconds.
		afterCount: `SELECT refresh_hr_counts()`,
	},
}

var sqlTypes = map[fieldKind]string{
	fDay: "date", fMonth: "date", fUnit: "integer", fChannel: "smallint", fAccountGroup: "text",
	fCount: "integer", fAmount: "numeric(14,2)", fMeasure: "numeric(12,2)",
	fScore: "smallint", fKey: "text", fComment: "text",
}

// ImportTable imports a fixed-format file of kind (contacts, finance or
// hr): a row per key (day or month, unit, and channel or account group),
// added or, when the file has it again, updated; all or nothing, as
// Feedback.
func ImportTable(ctx context.Context, pool *pgxpool.Pool, kind string, rows Rows, opts Options) (*Report, error) {
	t, ok := Tables[kind]
	if !ok {
		return nil, &Problem{Reason: i18n.Msg("ingest.kind", kind)}
	}
	cols := []string{"row_no"}
	defs := []string{"row_no int NOT NULL"}
	var keys, rest []string
	var refs []reference
	for _, f := range t.fields {
		switch f.kind {
		case fUnit:
			refs = append(refs, reference{f.column, "org_unit", "id"})
		case fChannel:
			refs = append(refs, reference{f.column, "channel", "id"})
		case fAccountGroup:
			refs = append(refs, reference{f.column, "account_group", "code"})
		}
		cols = append(cols, f.column)
		defs = append(defs, f.column+" "+sqlTypes[f.kind]+" NOT NULL")
		if f.key {
			keys = append(keys, f.column)
		} else {
			rest = append(rest, f.column)
		}
	}
	names := strings.Join(cols[1:], ", ")
	var set, old, new []string
	for _, c := range rest {
		set = append(set, c+" = excluded."+c)
		old, new = append(old, "t."+c), append(new, "excluded."+c)
	}
	merge := fmt.Sprintf(`WITH merged AS (
		INSERT INTO %s AS t (%s) SELECT %s FROM staging
		ON CONFLICT (%s) DO UPDATE SET %s
		WHERE (%s) IS DISTINCT FROM (%s)
		RETURNING xmax = 0 AS inserted)
	SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM merged`,
		t.name, names, names, strings.Join(keys, ", "), strings.Join(set, ", "), strings.Join(old, ", "), strings.Join(new, ", "))
	return load(ctx, pool, rows, opts, target{
		prepare: func(ctx context.Context, tx pgx.Tx) (func(Record) ([]any, []Problem), error) {
			return t.converter(ctx, tx, rows, isWorkbook(rows))
		},
		staging: "CREATE TEMP TABLE staging (" + strings.Join(defs, ", ") + ") ON COMMIT DROP",
		columns: cols, key: keys, merge: merge, refs: refs, days: t.days, recount: t.recount, afterCount: t.afterCount,
	})
}

// converter matches the file's columns to the table's fields and returns
// the function that checks and converts each record.
func (t table) converter(ctx context.Context, tx pgx.Tx, rows Rows, excel bool) (func(Record) ([]any, []Problem), error) {
	header := map[string]string{} // field column → the file's column
	for _, c := range rows.Columns() {
		for _, f := range t.fields {
			if slices.Contains(f.headers, strings.ToLower(strings.TrimSpace(c))) {
				header[f.column] = c
			}
		}
	}
	var missing []string
	for _, f := range t.fields {
		if header[f.column] == "" {
			missing = append(missing, f.headers[0])
		}
	}
	switch {
	case len(header) == 0:
		// Not one column matches: the first line may be data, which a
		// report must never quote.
		return nil, &Problem{Row: 1, Reason: i18n.Msg("ingest.noheader", strings.Join(missing, ", "))}
	case len(missing) > 0:
		return nil, &Problem{Row: 1, Reason: i18n.Msg("ingest.columns", strings.Join(missing, ", "), rows.Columns())}
	}
	units, err := names(ctx, tx, `SELECT id, code, name_fi, name_sv, name_en FROM org_unit`)
	if err != nil {
		return nil, err
	}
	channels, err := names(ctx, tx, `SELECT id, code, name_fi, name_sv, name_en FROM channel`)
	if err != nil {
		return nil, err
	}
	groups, err := names(ctx, tx, `SELECT code, code, name_fi, name_sv, name_en FROM account_group`)
	if err != nil {
		return nil, err
	}
	return func(rec Record) ([]any, []Problem) {
		out := []any{rec.Row}
		var problems []Problem
		for _, f := range t.fields {
			col := header[f.column]
			v, err := f.parse(rec.Fields[col], excel, units, channels, groups)
			if err != nil {
				problems = append(problems, Problem{Row: rec.Row, Column: col, Reason: reasonOf(err)})
			}
			out = append(out, v)
		}
		if len(problems) > 0 {
			return nil, problems
		}
		return out, nil
	}, nil
}

// names maps the lower-cased code and names of each row to its id.
func names(ctx context.Context, tx pgx.Tx, sql string) (map[string]any, error) {
	rows, err := tx.Query(ctx, sql)
	if err != nil {
		return nil, fmt.Errorf("load reference data: %w", err)
	}
	defer rows.Close()
	out := map[string]any{}
	for rows.Next() {
		vals, err := rows.Values()
		if err != nil {
			return nil, fmt.Errorf("load reference data: %w", err)
		}
		for _, n := range vals[1:] {
			out[strings.ToLower(n.(string))] = vals[0]
		}
	}
	return out, rows.Err()
}

func (f field) parse(s string, excel bool, units, channels, groups map[string]any) (any, error) {
	switch {
	case f.kind == fComment:
		return scrub.Text(s), nil
	case s == "":
		return nil, refuse("ingest.value.empty")
	case f.kind == fKey:
		if len(s) > 200 {
			return nil, refuse("ingest.value.long")
		}
		return s, nil
	}
	lookup := func(m map[string]any, unknown string) (any, error) {
		if id, ok := m[strings.ToLower(s)]; ok {
			return id, nil
		}
		return nil, refuse(unknown, s)
	}
	switch f.kind {
	case fDay:
		t, err := parseTime(s, excel)
		if err != nil {
			return nil, err
		}
		return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), nil
	case fMonth:
		return parseMonth(s, excel)
	case fUnit:
		return lookup(units, "ingest.unit.unknown")
	case fChannel:
		return lookup(channels, "ingest.channel.unknown")
	case fAccountGroup:
		return lookup(groups, "ingest.group.unknown")
	}
	n, err := parseAmount(s)
	switch {
	case err != nil:
		return nil, err
	case f.kind != fAmount && n < 0:
		return nil, refuse("ingest.negative", s)
	case f.kind == fScore && (n > 10 || n != float64(int64(n))):
		return nil, refuse("ingest.score", s)
	case f.kind == fScore:
		return int16(n), nil
	case f.kind == fCount:
		if n != float64(int64(n)) {
			return nil, refuse("ingest.whole", s)
		}
		return int64(n), nil
	}
	return strconv.FormatFloat(n, 'f', -1, 64), nil // numeric from text: no float rounding on the way
}

// parseMonth reads 2026-03, 3/2026, 03/2026, 1.3.2026 or 2026-03-01 as
// the first day of the month.
func parseMonth(s string, excel bool) (time.Time, error) {
	for _, layout := range []string{"2006-01", "1/2006", "01/2006", "1.2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	t, err := parseTime(s, excel)
	if err != nil {
		return time.Time{}, refuse("ingest.month", s)
	}
	if t.Day() != 1 {
		return time.Time{}, refuse("ingest.month.first", s)
	}
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC), nil
}

// amountNoise is what parseAmount drops or reads as ASCII: spaces
// grouping digits, the euro sign and the minus sign.
var amountNoise = strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "", "€", "", "−", "-")

// parseAmount reads 1 234,50, 1234.50, −12 or 12 € as a number.
func parseAmount(s string) (float64, error) {
	clean := amountNoise.Replace(s)
	if strings.Count(clean, ",") == 1 && !strings.Contains(clean, ".") {
		clean = strings.Replace(clean, ",", ".", 1)
	}
	n, err := strconv.ParseFloat(clean, 64)
	if err != nil {
		return 0, refuse("ingest.number", s)
	}
	return n, nil
}
