// Package queries holds the named, parameterised SQL files that answer the
// dashboards, and the code that parses and runs them.
//
// Each file declares its parameters and result columns in a header of
// comment lines:
//
//	-- Feedback per channel and month.
//	-- param: from date
//	-- param: unit unit
//	-- column: month month
//	-- column: feedback int
//	-- plan: generic
//
// The optional plan line asks for one plan for any values of the
// parameters (see [PlanGeneric]), or for a plan for each run's values
// ([PlanCustom]). The body refers to parameters as pgx
// named arguments (@from), so every value travels as a bind parameter and
// never as SQL text.
package queries

import (
	"bufio"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/luukku-bi/luukku/internal/overlay"
)

//go:embed *.sql
var embedded embed.FS

// Embedded returns the queries compiled into the binary.
func Embedded() fs.FS { return embedded }

// ParamType is the type of a query parameter.
type ParamType string

// Parameter types a query header may declare.
const (
	ParamDate     ParamType = "date"     // time.Time, a calendar day
	ParamUnit     ParamType = "unit"     // an org unit path; the query selects its subtree
	ParamChannels ParamType = "channels" // []string of channel codes, empty = all
	ParamText     ParamType = "text"     // string; "" conventionally means "any"
	ParamInt      ParamType = "int"      // int64
	// ParamEnum is a string from a fixed list, declared as enum(a|b|c); a
	// leading empty alternative, enum(|a|b), allows "" (conventionally
	// "any"). Run refuses any other value before it reaches SQL.
	ParamEnum ParamType = "enum"
)

var paramTypes = []ParamType{ParamDate, ParamUnit, ParamChannels, ParamText, ParamInt, ParamEnum}

// ColumnType says what a result column holds; it drives formatting,
// labelling and colours.
type ColumnType string

// Column types a query header may declare.
const (
	ColMonth   ColumnType = "month"   // a date shown as month and year
	ColDate    ColumnType = "date"    // a day
	ColInt     ColumnType = "int"     // a count
	ColFloat   ColumnType = "float"   // a number with one decimal
	ColHours   ColumnType = "hours"   // a duration in hours
	ColMinutes ColumnType = "minutes" // a duration in minutes, shown in the largest fitting unit
	ColPercent ColumnType = "percent" // 0–100
	ColEuro    ColumnType = "euro"    // an amount in euros
	ColText    ColumnType = "text"
	ColChannel ColumnType = "channel" // a channel code
	ColUnit    ColumnType = "unit"    // an org unit code
	ColTheme   ColumnType = "theme"   // a theme code

	ColTimestamp ColumnType = "timestamp" // an instant, shown in Finnish time (Europe/Helsinki)
	ColWeekday   ColumnType = "weekday"   // ISO weekday, 1 = Monday, a category
	ColHour      ColumnType = "hour"      // hour of the day 0–23, a category
	ColVerdict   ColumnType = "verdict"   // improved, worsened, unchanged or pending, said in words
)

var columnTypes = []ColumnType{ColMonth, ColDate, ColTimestamp, ColInt, ColFloat, ColHours, ColMinutes, ColPercent, ColEuro, ColText, ColChannel, ColUnit, ColTheme, ColWeekday, ColHour, ColVerdict}

// Numeric reports whether values of the column are numbers.
func (t ColumnType) Numeric() bool {
	switch t {
	case ColInt, ColFloat, ColHours, ColMinutes, ColPercent, ColEuro:
		return true
	}
	return false
}

// Param is a declared parameter.
type Param struct {
	Name   string
	Type   ParamType
	Values []string // an enum's allowed values
}

// Param returns the declared parameter called name.
func (q *Query) Param(name string) (Param, bool) {
	i := slices.IndexFunc(q.Params, func(p Param) bool { return p.Name == name })
	if i < 0 {
		return Param{}, false
	}
	return q.Params[i], true
}

// Column is a declared result column.
type Column struct {
	Name string
	Type ColumnType
}

// Query is one parsed SQL file.
type Query struct {
	Name        string
	File        string
	Description string
	Params      []Param
	Columns     []Column
	Plan        Plan
	SQL         string
	sqlLine     int    // the file line where SQL starts, for error positions
	digest      string // of the file: a reload that changes it changes the cache keys
}

// Plan is how PostgreSQL plans a query's prepared statement.
type Plan string

const (
	// PlanAuto is PostgreSQL's own choice: a plan for each run's values
	// at first, and one for any values later if that looks no costlier.
	PlanAuto Plan = ""
	// PlanGeneric is one plan for any values, made at a connection's
	// first run. It suits a query whose best plan does not change with its
	// values (the counted queries decide their branches as they run) and
	// whose planning costs more than its execution saves: the counted
	// queries' inlined functions take 4–10 ms to plan each time.
	PlanGeneric Plan = "generic"
	// PlanCustom is a plan for each run's values, always. It suits a query
	// whose generic plan, which PostgreSQL would choose after five runs,
	// estimates well but runs slower for the whole city, the views most
	// people open.
	PlanCustom Plan = "custom"
)

// PlanSetting is the statement that makes a transaction plan q as its
// header asks, or "" for PostgreSQL's own choice.
func (q *Query) PlanSetting() string {
	switch q.Plan {
	case PlanGeneric:
		return "SET LOCAL plan_cache_mode = force_generic_plan"
	case PlanCustom:
		return "SET LOCAL plan_cache_mode = force_custom_plan"
	}
	return ""
}

// Catalog is the set of queries by name.
type Catalog struct {
	byName map[string]*Query
}

// Load parses every *.sql file in fsys.
func Load(fsys fs.FS) (*Catalog, error) {
	files, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		return nil, fmt.Errorf("list queries: %w", err)
	}
	c := &Catalog{byName: make(map[string]*Query, len(files))}
	var errs []error
	for _, f := range files {
		src, err := fs.ReadFile(fsys, f)
		if err != nil {
			errs = append(errs, fmt.Errorf("read %s: %w", f, err))
			continue
		}
		q, err := Parse(overlay.Path(fsys, f), string(src))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		c.byName[q.Name] = q
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return c, nil
}

// Get returns the query called name.
func (c *Catalog) Get(name string) (*Query, bool) {
	q, ok := c.byName[name]
	return q, ok
}

// Names returns every query name, sorted.
func (c *Catalog) Names() []string {
	names := make([]string, 0, len(c.byName))
	for n := range c.byName {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// Digest names the catalogue's contents: it changes when any query does.
func (c *Catalog) Digest() string {
	h := sha256.New()
	for _, n := range c.Names() {
		fmt.Fprintf(h, "%s=%s\n", n, c.byName[n].digest)
	}
	return hex.EncodeToString(h.Sum(nil)[:8])
}

var identifier = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// Parse reads one query file. Errors name the file and line.
func Parse(file, src string) (*Query, error) {
	q := &Query{Name: strings.TrimSuffix(path.Base(file), ".sql"), File: file}
	if !identifier.MatchString(q.Name) {
		return nil, fmt.Errorf("%s: file name must be a lower-case identifier", file)
	}
	var desc, body []string
	inHeader := true
	sc := bufio.NewScanner(strings.NewReader(src))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		if inHeader && strings.HasPrefix(trimmed, "--") {
			text := strings.TrimSpace(strings.TrimPrefix(trimmed, "--"))
			key, rest, found := strings.Cut(text, ":")
			switch {
			case found && key == "param":
				p, err := parseParam(rest)
				if err != nil {
					return nil, fmt.Errorf("%s:%d: %w", file, n, err)
				}
				if slices.ContainsFunc(q.Params, func(o Param) bool { return o.Name == p.Name }) {
					return nil, fmt.Errorf("%s:%d: parameter %q declared twice", file, n, p.Name)
				}
				q.Params = append(q.Params, p)
			case found && key == "column":
				c, err := parseColumn(rest)
				if err != nil {
					return nil, fmt.Errorf("%s:%d: %w", file, n, err)
				}
				q.Columns = append(q.Columns, c)
			case found && key == "plan":
				if q.Plan = Plan(strings.TrimSpace(rest)); q.Plan != PlanGeneric && q.Plan != PlanCustom {
					return nil, fmt.Errorf("%s:%d: want \"plan: %s\" or \"plan: %s\", got %q", file, n, PlanGeneric, PlanCustom, strings.TrimSpace(rest))
				}
			default:
				desc = append(desc, text)
			}
			continue
		}
		if inHeader && trimmed == "" {
			continue
		}
		if inHeader {
			q.sqlLine = n
			inHeader = false
		}
		body = append(body, line)
	}
	q.Description = strings.TrimSpace(strings.Join(desc, " "))
	q.SQL = strings.TrimSpace(strings.Join(body, "\n"))
	if q.SQL == "" {
		return nil, fmt.Errorf("%s: no SQL after the header", file)
	}
	if len(q.Columns) == 0 {
		return nil, fmt.Errorf("%s: the header declares no columns", file)
	}
	for _, p := range q.Params {
		if !strings.Contains(q.SQL, "@"+p.Name) {
			return nil, fmt.Errorf("%s: parameter %q is declared but the SQL never uses @%s", file, p.Name, p.Name)
		}
	}
	sum := sha256.Sum256([]byte(src)) // the header too: column types shape what is drawn
	q.digest = hex.EncodeToString(sum[:8])
	return q, nil
}

// CacheKey names the result of running the query with args: its name, its
// SQL and the values of the parameters it declares (others do not change
// its result, so a filter a query ignores does not split the cache).
func (q *Query) CacheKey(args map[string]any) string {
	var b strings.Builder
	b.WriteString(q.Name)
	b.WriteByte('@')
	b.WriteString(q.digest)
	for _, p := range q.Params {
		b.WriteByte('|')
		b.WriteString(p.Name)
		b.WriteByte('=')
		switch v := args[p.Name].(type) {
		case time.Time:
			b.WriteString(v.Format(time.RFC3339))
		case []string:
			b.WriteString(strconv.Quote(strings.Join(v, "\x00")))
		case string:
			b.WriteString(strconv.Quote(v))
		default:
			fmt.Fprintf(&b, "%#v", v)
		}
	}
	return b.String()
}

// Size estimates the memory the result holds, in bytes, for caches.
func (r *Result) Size() int64 {
	size := int64(64 + 48*len(r.Columns))
	for _, row := range r.Rows {
		size += 24 + 16*int64(len(row))
		for _, v := range row {
			switch v := v.(type) {
			case string:
				size += int64(len(v))
			case []string:
				for _, s := range v {
					size += 16 + int64(len(s))
				}
			default:
				size += 8
			}
		}
	}
	return size
}

func parseParam(s string) (Param, error) {
	f := strings.Fields(s)
	if len(f) != 2 || !identifier.MatchString(f[0]) {
		return Param{}, fmt.Errorf("want \"param: name type\", got %q", strings.TrimSpace(s))
	}
	if list, ok := strings.CutPrefix(f[1], "enum("); ok {
		list, closed := strings.CutSuffix(list, ")")
		values := strings.Split(list, "|")
		if !closed || list == "" || slices.ContainsFunc(values[1:], func(v string) bool { return v == "" }) {
			return Param{}, fmt.Errorf("parameter %s: want enum(a|b|c), or enum(|a|b) to allow \"\", got %q", f[0], f[1])
		}
		return Param{Name: f[0], Type: ParamEnum, Values: values}, nil
	}
	t := ParamType(f[1])
	if !slices.Contains(paramTypes, t) || t == ParamEnum {
		return Param{}, fmt.Errorf("parameter %s: unknown type %q (known: %v)", f[0], f[1], paramTypes)
	}
	return Param{Name: f[0], Type: t}, nil
}

func parseColumn(s string) (Column, error) {
	f := strings.Fields(s)
	if len(f) != 2 || !identifier.MatchString(f[0]) {
		return Column{}, fmt.Errorf("want \"column: name type\", got %q", strings.TrimSpace(s))
	}
	t := ColumnType(f[1])
	if !slices.Contains(columnTypes, t) {
		return Column{}, fmt.Errorf("column %s: unknown type %q (known: %v)", f[0], f[1], columnTypes)
	}
	return Column{Name: f[0], Type: t}, nil
}

// Querier is what a query runs on: a pool, a connection or a transaction.
type Querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// Result is a query's rows with values normalised to nil, int64, float64,
// string or time.Time.
type Result struct {
	Columns []Column
	Rows    [][]any
}

// ColumnIndex returns the position of the named column, or -1.
func (r *Result) ColumnIndex(name string) int {
	return slices.IndexFunc(r.Columns, func(c Column) bool { return c.Name == name })
}

// Select is the result with only the named columns, in that order; the
// rows are new slices, the values shared. Names must be columns of r.
func (r *Result) Select(names []string) *Result {
	at := make([]int, len(names))
	out := &Result{Columns: make([]Column, len(names)), Rows: make([][]any, len(r.Rows))}
	for i, name := range names {
		at[i] = r.ColumnIndex(name)
		out.Columns[i] = r.Columns[at[i]]
	}
	for j, row := range r.Rows {
		sel := make([]any, len(at))
		for i, k := range at {
			sel[i] = row[k]
		}
		out.Rows[j] = sel
	}
	return out
}

// Run executes the query with args, which must hold exactly the declared
// parameters.
func (q *Query) Run(ctx context.Context, db Querier, args map[string]any) (*Result, error) {
	for _, p := range q.Params {
		v, ok := args[p.Name]
		if !ok {
			return nil, fmt.Errorf("query %s: missing parameter %s", q.Name, p.Name)
		}
		if s, isString := v.(string); p.Type == ParamEnum && (!isString || !slices.Contains(p.Values, s)) {
			return nil, fmt.Errorf("query %s: parameter %s: %q is not one of %q", q.Name, p.Name, v, p.Values)
		}
	}
	rows, err := db.Query(ctx, q.SQL, q.namedArgs(args))
	if err != nil {
		return nil, fmt.Errorf("query %s: %w", q.Name, err)
	}
	defer rows.Close()
	if len(rows.FieldDescriptions()) == 0 {
		// A query that failed as it started has no columns: its error
		// says more than the columns would.
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("query %s: %w", q.Name, err)
		}
	}
	if err := q.checkFields(rows.FieldDescriptions()); err != nil {
		return nil, err
	}
	res := &Result{Columns: q.Columns}
	for rows.Next() {
		vals, err := rows.Values()
		if err != nil {
			return nil, fmt.Errorf("query %s: read row: %w", q.Name, err)
		}
		for i, v := range vals {
			if vals[i], err = normalise(v); err != nil {
				return nil, fmt.Errorf("query %s: column %s: %w", q.Name, q.Columns[i].Name, err)
			}
		}
		res.Rows = append(res.Rows, vals)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("query %s: %w", q.Name, err)
	}
	return res, nil
}

// namedArgs passes exactly the declared parameters; pgx then rejects SQL
// that refers to any other.
func (q *Query) namedArgs(args map[string]any) pgx.StrictNamedArgs {
	named := make(pgx.StrictNamedArgs, len(q.Params))
	for _, p := range q.Params {
		named[p.Name] = args[p.Name]
	}
	return named
}

func (q *Query) checkFields(fields []pgconn.FieldDescription) error {
	got := make([]string, len(fields))
	for i, f := range fields {
		got[i] = f.Name
	}
	want := make([]string, len(q.Columns))
	for i, c := range q.Columns {
		want[i] = c.Name
	}
	if !slices.Equal(got, want) {
		return fmt.Errorf("query %s (%s): returns columns %v, header declares %v", q.Name, q.File, got, want)
	}
	return nil
}

func normalise(v any) (any, error) {
	switch v := v.(type) {
	case nil, string, time.Time, float64, int64, bool:
		return v, nil
	case int32:
		return int64(v), nil
	case int16:
		return int64(v), nil
	case float32:
		return float64(v), nil
	case pgtype.Numeric:
		if !v.Valid {
			return nil, nil
		}
		f, err := v.Float64Value()
		if err != nil {
			return nil, err
		}
		return f.Float64, nil
	default:
		return nil, fmt.Errorf("unsupported value type %T (cast it in SQL)", v)
	}
}
