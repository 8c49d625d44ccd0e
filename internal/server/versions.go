package server

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/luukku-bi/luukku/internal/i18n"
	"github.com/luukku-bi/luukku/queries"
)

// dataVersions is the data as a request finds it: data_version's number,
// which every load bumps, and each table's own version, bumped by a load
// that changed the table (migration 00029).
type dataVersions struct {
	number int64
	label  string            // the number and the day, as screens show it
	tables map[string]string // table name → its version
}

// key names the data a result computed from the tables reads was made of:
// their versions, so that a load that changed none of them leaves the
// result reachable. When what the query reads is not known (known is
// false), or a table has no version of its own, it is the data version
// (as the table "*"): any load makes such a result unreachable. Each
// table's version stands between commas, as staleMarks looks for it.
func (v *dataVersions) key(reads []string, known bool) string {
	all := ",*=" + strconv.FormatInt(v.number, 10) + ","
	if !known {
		return all
	}
	var b strings.Builder
	b.WriteByte(',')
	for _, t := range reads {
		n, ok := v.tables[t]
		if !ok {
			return all
		}
		b.WriteString(t)
		b.WriteByte('=')
		b.WriteString(n)
		b.WriteByte(',')
	}
	return b.String()
}

// staleMarks are what the keys made with before hold and the keys made
// with v do not: the versions of the tables that changed between them,
// and of the data.
func (v *dataVersions) staleMarks(before *dataVersions) []string {
	marks := []string{",*=" + strconv.FormatInt(before.number, 10) + ","}
	for t, n := range before.tables {
		if v.tables[t] != n {
			marks = append(marks, ","+t+"="+n+",")
		}
	}
	return marks
}

// parseDataVersions reads the data_version query's row.
func parseDataVersions(res *queries.Result) (*dataVersions, error) {
	if len(res.Rows) != 1 {
		return nil, errors.New("data_version has no row; is the database migrated?")
	}
	row := res.Rows[0]
	v := &dataVersions{tables: map[string]string{}}
	switch n := row[0].(type) {
	case int32:
		v.number = int64(n)
	case int64:
		v.number = n
	}
	v.label = fmt.Sprintf("%d (%s)", v.number, i18n.Date(row[1].(time.Time)))
	if tables, _ := row[2].(string); tables != "" {
		for _, tv := range strings.Split(tables, ",") {
			name, version, ok := strings.Cut(tv, "=")
			if !ok {
				return nil, fmt.Errorf("data_version: a table's version %q is not name=version", tv)
			}
			v.tables[name] = version
		}
	}
	return v, nil
}

// tableReads knows which tables each query of a catalogue reads: those
// named in its SQL, in the functions it calls and theirs, and in the
// row-level security policies of the tables found. It goes by names, so a
// word that is a table's name but not a table there (a column named
// theme) adds one: such a result is kept by a version too many, and only
// becomes unreachable more often than it must.
type tableReads struct {
	mu      sync.Mutex
	catalog *queries.Catalog // what byName is of
	byName  map[string][]string
}

// words are what names in SQL look like.
var words = regexp.MustCompile(`[A-Za-z_][A-Za-z0-9_$]*`)

// executes tells SQL that runs SQL of its own making (PL/pgSQL's EXECUTE),
// whose string literals may name tables.
var executes = regexp.MustCompile(`(?i)\bexecute\b`)

// namesIn returns the words of the SQL text that may name a table or a
// function: not those of comments, and not those of string literals
// (row_security_active('feedback_tree_count') reads nothing) unless the
// text runs SQL it makes.
func namesIn(text string) []string {
	keepLiterals := executes.MatchString(text)
	var names []string
	for i := 0; i < len(text); {
		switch rest := text[i:]; {
		case strings.HasPrefix(rest, "--"):
			end := strings.IndexByte(rest, '\n')
			if end < 0 {
				end = len(rest)
			}
			i += end
		case strings.HasPrefix(rest, "/*"):
			end := strings.Index(rest[2:], "*/")
			if end < 0 {
				end = len(rest) - 4
			}
			i += end + 4
		case rest[0] == '\'':
			end := 1
			for end < len(rest) && (rest[end] != '\'' || strings.HasPrefix(rest[end:], "''")) {
				if rest[end] == '\'' {
					end++ // the first of a doubled quote
				}
				end++
			}
			if keepLiterals {
				names = append(names, words.FindAllString(rest[1:end], -1)...)
			}
			i += min(end+1, len(rest))
		case isWordByte(rest[0]):
			end := 1
			for end < len(rest) && isWordByte(rest[end]) {
				end++
			}
			if c := rest[0]; c != '$' && (c < '0' || c > '9') { // not a number nor a parameter
				names = append(names, rest[:end])
			}
			i += end
		default:
			i++
		}
	}
	return names
}

func isWordByte(c byte) bool {
	return c == '_' || c == '$' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// of is the tables the queries qs of cat read, sorted, and whether they
// are known: they are not when the database could not be asked (it is
// asked again next time), or for a query cat does not hold.
func (r *tableReads) of(ctx context.Context, db queries.Querier, cat *queries.Catalog, qs ...*queries.Query) ([]string, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.catalog != cat {
		byName, err := readsOf(ctx, db, cat)
		if err != nil {
			return nil, false
		}
		r.catalog, r.byName = cat, byName
	}
	var all []string
	for _, q := range qs {
		reads, ok := r.byName[q.Name]
		if !ok {
			return nil, false
		}
		all = append(all, reads...)
	}
	slices.Sort(all)
	return slices.Compact(all), true
}

// readsOf works out what each query of cat reads, from the tables and
// functions the database has now.
func readsOf(ctx context.Context, db queries.Querier, cat *queries.Catalog) (map[string][]string, error) {
	q, ok := cat.Get("table_reads")
	if !ok {
		return nil, errors.New("query table_reads is missing from the catalogue")
	}
	res, err := q.Run(ctx, db, nil)
	if err != nil {
		return nil, fmt.Errorf("what the queries read: %w", err)
	}
	tables, functions := map[string]string{}, map[string]string{}
	for _, row := range res.Rows {
		kind, name, body := row[0].(string), row[1].(string), row[2].(string)
		if kind == "table" {
			tables[name] = body
		} else {
			functions[name] = body
		}
	}
	byName := make(map[string][]string)
	for _, name := range cat.Names() {
		query, _ := cat.Get(name)
		seen := map[string]bool{}
		var reads []string
		todo := []string{query.SQL}
		for len(todo) > 0 {
			text := todo[len(todo)-1]
			todo = todo[:len(todo)-1]
			for _, w := range namesIn(text) {
				w = strings.ToLower(w)
				if seen[w] {
					continue
				}
				seen[w] = true
				if policy, ok := tables[w]; ok {
					reads = append(reads, w)
					todo = append(todo, policy)
				}
				if body, ok := functions[w]; ok {
					todo = append(todo, body)
				}
			}
		}
		slices.Sort(reads)
		byName[name] = reads
	}
	return byName, nil
}
