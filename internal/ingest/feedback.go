package ingest

import (
	"context"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/luukku-bi/luukku/internal/i18n"
	"github.com/luukku-bi/luukku/internal/language"
	"github.com/luukku-bi/luukku/internal/scrub"
	"github.com/luukku-bi/luukku/internal/theme"
)

// Problem is what is wrong with one row of a file: its number as a
// spreadsheet shows it, the column, and why, in every language. It never
// quotes free text. A problem of the whole file has no row.
type Problem struct {
	Row    int
	Column string
	Reason i18n.Message
}

// Message is the problem with its place: "row 3, column Kanava: …".
func (p *Problem) Message() i18n.Message {
	switch {
	case p.Row == 0:
		return p.Reason
	case p.Column == "":
		return i18n.Msg("ingest.row", p.Row, p.Reason)
	}
	return i18n.Msg("ingest.cell", p.Row, p.Column, p.Reason)
}

// Text is the problem in l, as the upload page shows it.
func (p *Problem) Text(l i18n.Lang) string { return p.Message().In(l) }

// Error is the problem in English, as the command line prints it.
func (p *Problem) Error() string { return p.Message().String() }

// refuse is why a value or a file is refused, for the caller to place on a
// row and column.
func refuse(key string, args ...any) error { return &i18n.Error{Msg: i18n.Msg(key, args...)} }

// reasonOf is what err says, in every language; an error of a library
// keeps its English text.
func reasonOf(err error) i18n.Message {
	if m, ok := i18n.MessageOf(err); ok {
		return m
	}
	return i18n.Verbatim(err.Error())
}

// stagingColumns are the columns of a feedback row on its way in, in the
// order converter.convert gives them.
var stagingColumns = []string{
	"row_no", "source", "source_id", "channel_id", "platform", "unit_id", "received_at",
	"first_response_at", "resolved_at", "status", "kind", "language", "body", "reply", "themes", "lat", "lon",
}

// converter turns a file's records into feedback rows, checking each
// field against the organisation, the channels and the profile.
type converter struct {
	p        *Profile
	excel    bool           // raw workbook cells: dates are serial numbers
	channels map[string]any // code → id
	units    map[string]any
	channelA map[string]string
	unitA    map[string]string
	statusA  map[string]string
	kindA    map[string]string
	cls      *theme.Set
}

func newConverter(ctx context.Context, tx pgx.Tx, p *Profile, excel bool, themes *theme.Set) (*converter, error) {
	c := &converter{p: p, excel: excel,
		channelA: aliases(p.Channels), unitA: aliases(p.Units), statusA: aliases(p.Statuses), kindA: aliases(p.Kinds)}
	var err error
	if c.channels, err = names(ctx, tx, `SELECT id, code FROM channel`); err != nil {
		return nil, err
	}
	if c.units, err = names(ctx, tx, `SELECT id, code FROM org_unit`); err != nil {
		return nil, err
	}
	if len(c.units) == 0 {
		return nil, refuse("ingest.org.empty")
	}
	if c.cls = themes; c.cls == nil {
		if c.cls, err = theme.Load(""); err != nil {
			return nil, err
		}
	}
	if err := theme.Sync(ctx, tx, c.cls); err != nil {
		return nil, err
	}
	// The profile's defaults must exist, or every row would fail alike.
	for _, d := range []struct{ what, value, key string }{
		{"channel", p.Channel, "ingest.profile.channel"}, {"unit", p.Unit, "ingest.profile.unit"},
	} {
		if d.value == "" {
			continue
		}
		if _, ok := c.lookup(d.what, d.value); !ok {
			return nil, refuse(d.key, p.Name, d.value)
		}
	}
	return c, nil
}

// lookup resolves a channel or unit name of the file to its id.
func (c *converter) lookup(what, name string) (any, bool) {
	key := strings.ToLower(strings.TrimSpace(name))
	alias, ids := c.unitA, c.units
	if what == "channel" {
		alias, ids = c.channelA, c.channels
	}
	if code := alias[key]; code != "" {
		key = code
	}
	id, ok := ids[key]
	return id, ok
}

// convert returns the staging row for rec, or what is wrong with it.
func (c *converter) convert(rec Record) ([]any, []Problem) {
	var problems []Problem
	bad := func(col, key string, args ...any) {
		problems = append(problems, Problem{Row: rec.Row, Column: col, Reason: i18n.Msg(key, args...)})
	}
	cols := c.p.Columns
	get := func(col string) string {
		if col == "" {
			return ""
		}
		return rec.Fields[col]
	}

	id := get(cols.ID)
	if id == "" {
		bad(cols.ID, "ingest.id.empty")
	} else if len(id) > 200 {
		bad(cols.ID, "ingest.id.long")
	}
	ref := func(what, col, fallback, none, unknown string) any {
		v := get(col)
		if v == "" {
			v = fallback
		}
		if v == "" {
			bad(col, none)
			return nil
		}
		id, ok := c.lookup(what, v)
		if !ok {
			bad(col, unknown, v)
		}
		return id
	}
	channelID := ref("channel", cols.Channel, c.p.Channel, "ingest.channel.none", "ingest.channel.alias")
	unitID := ref("unit", cols.Unit, c.p.Unit, "ingest.unit.none", "ingest.unit.alias")
	code := func(col string, names map[string]string, fallback string, allowed ...string) string {
		v := strings.ToLower(get(col))
		if v == "" {
			v = fallback
		}
		if mapped, ok := names[v]; ok {
			v = mapped
		} else if c.p.Format == "open311" && col == cols.Kind && fallback != "" {
			v = fallback // a service name that says nothing of the kind
		}
		for _, a := range allowed {
			if v == a {
				return v
			}
		}
		bad(col, "ingest.noneof", get(col), strings.Join(allowed, ", "))
		return ""
	}
	status := code(cols.Status, c.statusA, cmpOr(c.p.Status, "open"), "open", "in_progress", "closed")
	kind := code(cols.Kind, c.kindA, c.p.Kind, "praise", "complaint", "suggestion", "question")

	when := func(col string, required bool) *time.Time {
		v := get(col)
		if v == "" {
			if required {
				bad(col, "ingest.time.empty")
			}
			return nil
		}
		t, err := parseTime(v, c.excel)
		if err != nil {
			problems = append(problems, Problem{Row: rec.Row, Column: col, Reason: reasonOf(err)})
			return nil
		}
		return &t
	}
	received := when(cols.Received, true)
	first := when(cols.FirstResponse, false)
	resolved := when(cols.Resolved, false)
	if received != nil {
		if first != nil && first.Before(*received) {
			bad(cols.FirstResponse, "ingest.first.early")
		}
		if resolved != nil && resolved.Before(*received) {
			bad(cols.Resolved, "ingest.resolved.early")
		}
	}
	if status == "closed" && resolved == nil && received != nil {
		resolved = first // closed without a time: at the latest when answered
	}

	var lat, lon any
	if la, lo := get(cols.Lat), get(cols.Lon); la != "" || lo != "" {
		y, errY := parseDecimal(la)
		x, errX := parseDecimal(lo)
		switch {
		case errY != nil || errX != nil:
			bad(cols.Lat, "ingest.coords")
		case y < 59.3 || y > 70.2 || x < 19.0 || x > 31.7:
			bad(cols.Lat, "ingest.coords.finland", y, x)
		default:
			lat, lon = y, x
		}
	}
	if len(problems) > 0 {
		return nil, problems
	}
	text := get(cols.Text)
	if t := get(cols.Title); t != "" && !strings.HasPrefix(text, t) {
		text = strings.TrimSpace(t + "\n" + text)
	}
	// Scrubbed before anything else sees it: the classifier, the language
	// guess and the database get the same clean text.
	body := scrub.Text(text)
	reply := scrub.Text(get(cols.Reply))
	return []any{
		rec.Row, c.p.Source, id, channelID, nullIfEmpty(get(cols.Platform)), unitID, *received,
		first, resolved, status, kind, language.Detect(body), body, reply, c.cls.Classify(body), lat, lon,
	}, nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return strings.ToLower(s)
}

// timeLayouts are the ways Finnish systems write a moment, local time
// unless the text says otherwise.
var timeLayouts = []string{
	time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02",
	"2.1.2006 15:04:05", "2.1.2006 15:04", "2.1.2006 15.04.05", "2.1.2006 15.04", "2.1.2006 klo 15.04", "2.1.2006",
}

// isoLayouts is how many of timeLayouts, from the first, are ISO 8601.
const isoLayouts = 6

// parseTime reads a moment in Europe/Helsinki (23.11.2026 14:05, ISO
// 8601 with or without a zone, or, from a workbook, Excel's serial day).
func parseTime(s string, excel bool) (time.Time, error) {
	if excel {
		if f, err := strconv.ParseFloat(s, 64); err == nil && f > 1 && f < 2958466 {
			days := math.Floor(f)
			secs := math.Round((f - days) * 86400)
			base := time.Date(1899, 12, 30, 0, 0, 0, 0, i18n.Helsinki())
			d := base.AddDate(0, 0, int(days))
			return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, int(secs), 0, i18n.Helsinki()), nil
		}
	}
	// ISO 8601 has a dash after the year, the Finnish forms never: trying
	// only the family that can match spares a failed parse, and its error,
	// for each of the others.
	layouts := timeLayouts[isoLayouts:]
	if len(s) > 4 && s[4] == '-' {
		layouts = timeLayouts[:isoLayouts]
	}
	for _, layout := range layouts {
		if t, err := time.ParseInLocation(layout, s, i18n.Helsinki()); err == nil {
			if t.Year() < 1990 || t.Year() > 2100 {
				return time.Time{}, refuse("ingest.time.range", s)
			}
			return t, nil
		}
	}
	return time.Time{}, refuse("ingest.time", s)
}

// parseDecimal reads 60.1699 or 60,1699.
func parseDecimal(s string) (float64, error) {
	return strconv.ParseFloat(strings.Replace(strings.TrimSpace(s), ",", ".", 1), 64)
}
