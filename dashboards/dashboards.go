// Package dashboards loads the dashboard definitions (YAML files beside
// this code) and checks them against the query catalogue.
package dashboards

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/luukku-bi/luukku/internal/overlay"
	"github.com/luukku-bi/luukku/queries"
)

//go:embed *.yaml playlists/*.yaml
var embedded embed.FS

// Embedded returns the dashboards compiled into the binary.
func Embedded() fs.FS { return embedded }

// Text is a user-facing string in Finnish, Swedish and English.
type Text map[string]string

// In returns the text in lang, falling back to Finnish.
func (t Text) In(lang string) string {
	if s, ok := t[lang]; ok && s != "" {
		return s
	}
	return t["fi"]
}

// Kind is how a panel draws its query result.
type Kind string

// Panel kinds.
const (
	KindKPI     Kind = "kpi"     // one card per numeric column of the first row
	KindLine    Kind = "line"    // x over time, one line per series value or y column
	KindArea    Kind = "area"    // a line with the area beneath it filled
	KindBar     Kind = "bar"     // vertical bars, grouped by y column or series
	KindHBar    Kind = "hbar"    // horizontal bars, for ranked lists
	KindDonut   Kind = "donut"   // shares of x
	KindHeatmap Kind = "heatmap" // x across, series down, each cell coloured by y
	KindGauge   Kind = "gauge"   // the first row's y on a dial, with target bands
	KindTable   Kind = "table"   // the rows themselves, sortable by any column
	KindMap     Kind = "map"     // points at x = longitude, y = latitude, coloured by series
	KindScatter Kind = "scatter" // one point per row at (x, y), named by series
)

var kinds = []Kind{KindKPI, KindLine, KindArea, KindBar, KindHBar, KindDonut, KindHeatmap, KindGauge, KindTable, KindMap, KindScatter}

// stackable kinds may draw their series on top of each other.
var stackable = []Kind{KindLine, KindArea, KindBar, KindHBar}

// Filter names a dashboard may offer.
const (
	FilterPeriod  = "period"
	FilterUnit    = "unit"
	FilterChannel = "channel"
)

var filters = []string{FilterPeriod, FilterUnit, FilterChannel}

// Supplied are the parameters the server gives every panel query, taken
// from the filters; a query may declare only these.
var Supplied = []queries.Param{
	{Name: "from", Type: queries.ParamDate},
	{Name: "to", Type: queries.ParamDate},
	{Name: "unit", Type: queries.ParamUnit},
	{Name: "channels", Type: queries.ParamChannels},
	// The reader's language, for names the database keeps in three.
	{Name: "lang", Type: queries.ParamEnum, Values: []string{"fi", "sv", "en"}},
}

// supplied reports whether dashboards give a query parameter p.
func supplied(p queries.Param) bool {
	return slices.ContainsFunc(Supplied, func(s queries.Param) bool {
		return s.Name == p.Name && s.Type == p.Type && slices.Equal(s.Values, p.Values)
	})
}

// Panel is one chart, table or set of KPI cards.
type Panel struct {
	ID    string `yaml:"id"`
	Kind  Kind   `yaml:"kind"`
	Query string `yaml:"query"`
	Title Text   `yaml:"title"`
	// X is the category or time column; Series, if set, is a column whose
	// values become separate series (a pivot); Y are the value columns.
	X      string   `yaml:"x"`
	Series string   `yaml:"series"`
	Y      []string `yaml:"y"`
	// Target is a column drawn as a reference mark beside each bar.
	Target   string `yaml:"target"`
	LogScale bool   `yaml:"log_scale"`
	// Suppressed is shown instead of an empty value: the query withheld it
	// (e.g. "<5" for groups too small to report).
	Suppressed string          `yaml:"suppressed"`
	Width      int             `yaml:"width"`
	Labels     map[string]Text `yaml:"labels"`
	// Compare shows each KPI's change against the previous period of the
	// same length and the same period a year earlier.
	Compare bool `yaml:"compare"`
	// Better says, per column, which way is good ("higher" or "lower"), so
	// that a change is coloured green or red; other columns stay neutral.
	Better map[string]string `yaml:"better"`
	// Targets colour a KPI or a gauge by how its value stands against a
	// target, per column; the column must say which way is better.
	Targets map[string]Target `yaml:"targets"`
	// Sparkline names a query that gives, per month, some of a KPI panel's
	// columns; each card then shows its trend.
	Sparkline string `yaml:"sparkline"`
	// Stack draws the series of a line, area or bar chart on top of each
	// other, so the total reads at the top.
	Stack bool `yaml:"stack"`
	// Max ends a gauge's scale; a percentage's scale ends at 100.
	Max float64 `yaml:"max"`
	// Link names another dashboard that tells more; the panel links to it
	// with the same filters.
	Link string `yaml:"link"`
	// Forecast projects a monthly line chart's series forward.
	Forecast *Forecast `yaml:"forecast"`
	// Limit shows only the first rows of the result: the top three.
	Limit int `yaml:"limit"`
	// Columns, if set, are the columns of the query's result the panel
	// shows (its table and exports too), in this order. Panels that show
	// different columns of one query share one run of it.
	Columns []string `yaml:"columns"`
}

// Shown is the part of res that p shows: its columns, if it names them.
func (p *Panel) Shown(res *queries.Result) *queries.Result {
	if len(p.Columns) == 0 {
		return res
	}
	return res.Select(p.Columns)
}

// Forecast says how far to project a series, and from how much history:
// the seasonal model needs at least two full years.
type Forecast struct {
	Months  int `yaml:"months"`  // how far ahead, 1–24
	History int `yaml:"history"` // months of history to fit, 24–120; default 36
	// YearEnd projects to the December of the last complete month's year,
	// instead of a number of months: the budget year's end.
	YearEnd bool `yaml:"year_end"`
	// Query gives the monthly history to fit when the panel's own series
	// is not it, e.g. a running total that restarts every January: then
	// the months' own values are fitted and, with Accumulate, added onto
	// the panel's value at the last complete month.
	Query      string `yaml:"query"`
	Accumulate bool   `yaml:"accumulate"`
}

// Target is where a value should be, and optionally where it turns from
// amber to red.
type Target struct {
	Value float64  `yaml:"value"`
	Warn  *float64 `yaml:"warn"`
}

// Statuses a value can have against its target.
const (
	StatusGood = "good"
	StatusWarn = "warn"
	StatusBad  = "bad"
)

// Status rates v against the target: good when it meets the target, warn
// while it is within the warning limit, bad beyond it. Which side is good
// is given by better ("higher" or "lower").
func (t Target) Status(v float64, better string) string {
	sign := 1.0 // how far v is on the good side
	if better == "lower" {
		sign = -1
	}
	switch {
	case sign*(v-t.Value) >= 0:
		return StatusGood
	case t.Warn != nil && sign*(v-*t.Warn) >= 0:
		return StatusWarn
	}
	return StatusBad
}

// Label returns the display name of a column.
func (p *Panel) Label(column, lang string) string {
	if t, ok := p.Labels[column]; ok {
		return t.In(lang)
	}
	return ""
}

// Dashboard is one definition file.
type Dashboard struct {
	File string `yaml:"-"`
	Slug string `yaml:"slug"`
	// Order places the dashboard in the navigation, lowest first; ties go
	// by slug.
	Order       int      `yaml:"order"`
	Title       Text     `yaml:"title"`
	Description Text     `yaml:"description"`
	Filters     []string `yaml:"filters"`
	Panels      []Panel  `yaml:"panels"`

	queries *queries.Catalog
	digest  string
}

// Digest names the definitions d was loaded with: every dashboard's file
// and every query of the catalogue, so that what is drawn from d can be
// kept by it. It is empty for a dashboard parsed on its own.
func (d *Dashboard) Digest() string { return d.digest }

// Queries returns the catalogue the dashboard was validated against; its
// panels' queries are all in it.
func (d *Dashboard) Queries() *queries.Catalog { return d.queries }

// HasFilter reports whether the dashboard offers the named filter.
func (d *Dashboard) HasFilter(name string) bool { return slices.Contains(d.Filters, name) }

// Set is every loaded dashboard by slug, with the queries they were
// checked against: a request takes both from one Set, so a reload can never
// pair a dashboard with a query it was not validated with.
type Set struct {
	bySlug    map[string]*Dashboard
	order     []string
	queries   *queries.Catalog
	playlists map[string]*Playlist
}

// Queries returns the catalogue the dashboards refer to.
func (s *Set) Queries() *queries.Catalog { return s.queries }

// Get returns the dashboard with slug.
func (s *Set) Get(slug string) (*Dashboard, bool) {
	d, ok := s.bySlug[slug]
	return d, ok
}

// All returns the dashboards in navigation order.
func (s *Set) All() []*Dashboard {
	out := make([]*Dashboard, len(s.order))
	for i, slug := range s.order {
		out[i] = s.bySlug[slug]
	}
	return out
}

var (
	slugPattern    = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)
	panelIDPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)
)

// Load reads every *.yaml file in fsys and validates it against cat, and
// then the playlists under playlists/ against the dashboards.
func Load(fsys fs.FS, cat *queries.Catalog) (*Set, error) {
	files, err := fs.Glob(fsys, "*.yaml")
	if err != nil {
		return nil, fmt.Errorf("list dashboards: %w", err)
	}
	s := &Set{bySlug: make(map[string]*Dashboard), queries: cat}
	var errs []error
	digest := sha256.New()
	fmt.Fprintf(digest, "queries %s\n", cat.Digest())
	for _, f := range files {
		src, err := fs.ReadFile(fsys, f)
		if err != nil {
			errs = append(errs, fmt.Errorf("read %s: %w", f, err))
			continue
		}
		fmt.Fprintf(digest, "%s %d\n%s", f, len(src), src)
		d, err := Parse(overlay.Path(fsys, f), src, cat)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if other, dup := s.bySlug[d.Slug]; dup {
			errs = append(errs, fmt.Errorf("%s: slug %q is already used by %s", f, d.Slug, other.File))
			continue
		}
		s.bySlug[d.Slug] = d
		s.order = append(s.order, d.Slug)
	}
	slices.SortStableFunc(s.order, func(a, b string) int { return cmp.Compare(s.bySlug[a].Order, s.bySlug[b].Order) })
	for _, d := range s.bySlug {
		for _, p := range d.Panels {
			if _, ok := s.bySlug[p.Link]; p.Link != "" && !ok {
				errs = append(errs, fmt.Errorf("%s: panel %q: link %q is not a dashboard", d.File, p.ID, p.Link))
			}
		}
	}
	if len(errs) == 0 {
		// Playlists name dashboards: only a complete set can check them.
		errs = append(errs, s.loadPlaylists(fsys))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	sum := hex.EncodeToString(digest.Sum(nil)[:8])
	for _, d := range s.bySlug {
		d.digest = sum
	}
	return s, nil
}

// Parse decodes and validates one definition. Errors name the file and,
// where the YAML decoder knows it, the line.
func Parse(file string, src []byte, cat *queries.Catalog) (*Dashboard, error) {
	dec := yaml.NewDecoder(bytes.NewReader(src))
	dec.KnownFields(true)
	var d Dashboard
	if err := dec.Decode(&d); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	d.File, d.queries = file, cat
	if err := d.validate(cat); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return &d, nil
}

func (d *Dashboard) validate(cat *queries.Catalog) error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if !slugPattern.MatchString(d.Slug) {
		bad("slug %q must be lower-case letters, digits and hyphens", d.Slug)
	}
	if d.Title.In("fi") == "" {
		bad("title needs at least a Finnish text (fi)")
	}
	for _, f := range d.Filters {
		if !slices.Contains(filters, f) {
			bad("unknown filter %q (known: %s)", f, strings.Join(filters, ", "))
		}
	}
	if len(d.Panels) == 0 {
		bad("no panels")
	}
	seen := map[string]bool{}
	for i := range d.Panels {
		p := &d.Panels[i]
		if seen[p.ID] {
			bad("panel %q: id used twice", p.ID)
		}
		seen[p.ID] = true
		for _, err := range p.validate(cat) {
			bad("panel %q: %w", p.ID, err)
		}
	}
	return errors.Join(errs...)
}

func (p *Panel) validate(cat *queries.Catalog) []error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if !panelIDPattern.MatchString(p.ID) {
		bad("id must be lower-case letters, digits, hyphens and underscores")
	}
	if !slices.Contains(kinds, p.Kind) {
		bad("unknown kind %q", p.Kind)
	}
	if p.Width < 1 || p.Width > 12 {
		bad("width %d is outside 1–12", p.Width)
	}
	if p.Title.In("fi") == "" {
		bad("title needs at least a Finnish text (fi)")
	}
	q, ok := cat.Get(p.Query)
	if !ok {
		bad("query %q does not exist in queries/", p.Query)
		return errs
	}
	for _, qp := range q.Params {
		if !supplied(qp) {
			bad("query %s declares parameter %s %s, which no dashboard supplies (from date, to date, unit unit, channels channels)",
				q.Name, qp.Name, qp.Type)
		}
	}
	shown := q.Columns
	if len(p.Columns) > 0 {
		shown = nil
		for _, name := range p.Columns {
			i := slices.IndexFunc(q.Columns, func(c queries.Column) bool { return c.Name == name })
			switch {
			case i < 0:
				bad("columns: %q is not a column of query %s", name, q.Name)
			case slices.ContainsFunc(shown, func(c queries.Column) bool { return c.Name == name }):
				bad("columns: %q is named twice", name)
			default:
				shown = append(shown, q.Columns[i])
			}
		}
		if p.Kind == KindKPI {
			bad("columns: a kpi panel shows its y columns")
		}
	}
	col := func(role, name string) *queries.Column {
		i := slices.IndexFunc(shown, func(c queries.Column) bool { return c.Name == name })
		if i < 0 {
			bad("%s column %q is not a column the panel shows of query %s", role, name, q.Name)
			return nil
		}
		return &shown[i]
	}
	for name, way := range p.Better {
		col("better", name)
		if way != "higher" && way != "lower" {
			bad("better %s: %q is neither higher nor lower", name, way)
		}
	}
	for name, t := range p.Targets {
		if c := col("target", name); c != nil && !c.Type.Numeric() {
			bad("targets %s: the column is not numeric", name)
		}
		way := p.Better[name]
		if way == "" {
			bad("targets %s: say under better whether higher or lower is good", name)
		} else if t.Warn != nil && t.Status(*t.Warn, way) == StatusGood && *t.Warn != t.Value {
			bad("targets %s: warn %v is on the good side of the target %v", name, *t.Warn, t.Value)
		}
	}
	if len(p.Targets) > 0 && p.Kind != KindKPI && p.Kind != KindGauge {
		bad("targets apply to kpi and gauge panels")
	}
	if p.Compare && p.Kind != KindKPI {
		bad("compare applies to kpi panels only")
	}
	if p.Stack && !slices.Contains(stackable, p.Kind) {
		bad("stack applies to line, area, bar and hbar panels")
	}
	if p.Sparkline != "" {
		p.validateSparkline(cat, q, bad)
	}
	if f := p.Forecast; f != nil {
		if f.History == 0 {
			f.History = 36
		}
		if p.Kind != KindLine || p.Stack {
			bad("forecast applies to unstacked line panels")
		}
		if c := col("x", p.X); c != nil && c.Type != queries.ColMonth {
			bad("forecast needs months on x, and %q is %s", p.X, c.Type)
		}
		switch {
		case f.YearEnd && f.Months != 0:
			bad("forecast: give months or year_end, not both")
		case !f.YearEnd && (f.Months < 1 || f.Months > 24):
			bad("forecast months %d is outside 1–24", f.Months)
		}
		if f.Accumulate && f.Query == "" {
			bad("forecast: accumulate needs the monthly query to fit")
		}
		if f.Query != "" {
			p.validateForecastQuery(cat, bad)
		}
		if f.History < 24 || f.History > 120 {
			bad("forecast history %d is outside 24–120 months", f.History)
		}
	}
	if p.Max < 0 || (p.Max != 0 && p.Kind != KindGauge) {
		bad("max is a positive number, for gauges only")
	}
	for name := range p.Labels {
		col("labelled", name)
	}
	if p.Limit < 0 {
		bad("limit %d is negative", p.Limit)
	}
	switch p.Kind {
	case KindKPI:
		for _, c := range q.Columns {
			if !c.Type.Numeric() && (len(p.Y) == 0 || slices.Contains(p.Y, c.Name)) {
				bad("kpi query %s returns non-numeric column %s", q.Name, c.Name)
			}
		}
		for _, y := range p.Y {
			col("y", y) // a KPI panel may show only some of its query's columns
		}
		return errs
	case KindTable:
		if p.X == "" && len(shown) > 0 {
			p.X = shown[0].Name // the first column heads each row
		}
		col("x", p.X)
		return errs
	case KindGauge:
		if len(p.Y) != 1 || p.X != "" || p.Series != "" {
			bad("a gauge takes one y column and no x or series")
		} else if c := col("y", p.Y[0]); c != nil && !c.Type.Numeric() {
			bad("y column %q is not numeric", p.Y[0])
		} else if c != nil && p.Max == 0 && c.Type != queries.ColPercent {
			bad("a gauge of %s needs max (only a percentage's scale ends at 100 by itself)", c.Type)
		}
		return errs
	}
	if p.X == "" {
		bad("x is required")
	} else if c := col("x", p.X); c != nil && p.Kind == KindMap && !c.Type.Numeric() {
		bad("a map's x is a longitude, and %q is not numeric", p.X)
	} else if c != nil && p.Kind == KindScatter && !c.Type.Numeric() {
		bad("a scatter's x is a measure, and %q is not numeric", p.X)
	}
	if len(p.Y) == 0 {
		bad("y needs at least one column")
	}
	for _, y := range p.Y {
		if c := col("y", y); c != nil && !c.Type.Numeric() {
			bad("y column %q is not numeric", y)
		}
	}
	if p.Series != "" {
		col("series", p.Series)
		if len(p.Y) != 1 {
			bad("with series, y must be exactly one column")
		}
	}
	if p.Target != "" {
		if c := col("target", p.Target); c != nil && !c.Type.Numeric() {
			bad("target column %q is not numeric", p.Target)
		}
	}
	if p.Kind == KindDonut && (len(p.Y) != 1 || p.Series != "") {
		bad("a donut takes one y column and no series")
	}
	if p.Kind == KindMap && len(p.Y) != 1 {
		bad("a map takes one y column, the latitude")
	}
	if p.Kind == KindScatter && (len(p.Y) != 1 || p.Series == "") {
		bad("a scatter takes one y column and a series column that names each point")
	}
	if p.Kind == KindHeatmap && (len(p.Y) != 1 || p.Series == "") {
		bad("a heatmap takes x across, series down and one y column")
	}
	return errs
}

// validateForecastQuery checks that the forecast's history query gives
// months and the panel's y columns, with parameters a dashboard supplies.
func (p *Panel) validateForecastQuery(cat *queries.Catalog, bad func(string, ...any)) {
	hq, ok := cat.Get(p.Forecast.Query)
	if !ok {
		bad("forecast query %q does not exist in queries/", p.Forecast.Query)
		return
	}
	for _, qp := range hq.Params {
		if !supplied(qp) {
			bad("forecast query %s declares parameter %s %s, which no dashboard supplies", hq.Name, qp.Name, qp.Type)
		}
	}
	if c := hq.Columns[0]; c.Name != p.X || c.Type != queries.ColMonth {
		bad("forecast query %s must start with the month column %s", hq.Name, p.X)
	}
	for _, y := range p.Y {
		if !slices.ContainsFunc(hq.Columns, func(c queries.Column) bool { return c.Name == y }) {
			bad("forecast query %s lacks the column %s", hq.Name, y)
		}
	}
}

// validateSparkline checks that the sparkline query gives months and only
// columns that the KPI query has too.
func (p *Panel) validateSparkline(cat *queries.Catalog, kpi *queries.Query, bad func(string, ...any)) {
	if p.Kind != KindKPI {
		bad("sparkline applies to kpi panels only")
		return
	}
	sq, ok := cat.Get(p.Sparkline)
	if !ok {
		bad("sparkline query %q does not exist in queries/", p.Sparkline)
		return
	}
	for _, qp := range sq.Params {
		if !supplied(qp) {
			bad("sparkline query %s declares parameter %s %s, which no dashboard supplies", sq.Name, qp.Name, qp.Type)
		}
	}
	if sq.Columns[0].Type != queries.ColMonth {
		bad("sparkline query %s must start with a month column", sq.Name)
	}
	for _, c := range sq.Columns[1:] {
		if !slices.Contains(kpi.Columns, c) {
			bad("sparkline query %s returns %s %s, which the kpi query %s does not", sq.Name, c.Name, c.Type, kpi.Name)
		}
	}
}
