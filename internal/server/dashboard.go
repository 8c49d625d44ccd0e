package server

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"golang.org/x/sync/errgroup"

	"github.com/luukku-bi/luukku/components"
	"github.com/luukku-bi/luukku/dashboards"
	"github.com/luukku-bi/luukku/internal/audit"
	"github.com/luukku-bi/luukku/internal/auth"
	"github.com/luukku-bi/luukku/internal/i18n"
	"github.com/luukku-bi/luukku/internal/panel"
	"github.com/luukku-bi/luukku/queries"
)

const overviewSlug = "overview"

// handleDashboard renders / (the overview) and /d/{slug}.
func (s *Server) handleDashboard(w http.ResponseWriter, r *http.Request) {
	d, v, defaults, _, ok := s.requestView(w, r)
	if !ok {
		return
	}
	page, err := s.dashboardPage(r.Context(), d, v, defaults, r.URL.Path)
	if err != nil {
		s.fail(w, r, v.lang, err)
		return
	}
	s.record(r, audit.View, r.URL.Path, r.URL.RawQuery)
	s.render(w, r, http.StatusOK, components.Dashboard(page))
}

// requestView finds the dashboard the URL names and parses its view (and
// the extra parameters the page allows, returned in q), or answers the
// request with the error and returns false.
func (s *Server) requestView(w http.ResponseWriter, r *http.Request, extra ...string) (d *dashboards.Dashboard, v, defaults view, q url.Values, ok bool) {
	slug := r.PathValue("slug")
	if slug == "" {
		slug = overviewSlug
	}
	lang := langOf(r)
	if d, ok = s.cfg.Definitions().Get(slug); !ok {
		s.renderError(w, r, lang, http.StatusNotFound, lang.Pick(
			"Koontinäyttöä ei ole: "+slug, "Översiktsvyn finns inte: "+slug, "No such dashboard: "+slug))
		return nil, v, defaults, nil, false
	}
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		s.fail(w, r, lang, badQuery(lang))
		return nil, v, defaults, nil, false
	}
	now := s.cfg.Now()
	if v, err = parseView(q, now, lang, extra...); err != nil {
		s.fail(w, r, v.lang, err)
		return nil, v, defaults, nil, false
	}
	defaults, _ = parseView(nil, now, i18n.Finnish)
	return d, v, defaults, q, true
}

// reference is the small, slowly changing data every page needs: the
// organisation tree, channels and themes.
type reference struct {
	units    []unitRow // those the user may see; the first is the top of the view
	all      []unitRow // the whole organisation
	channels []codeName
	themes   []codeName
	versions *dataVersions
}

type unitRow struct {
	codeName
	path  string
	level string
}

type codeName struct {
	code string
	name dashboards.Text
}

// panelWorkers bounds the panel queries of one page that run at once.
const panelWorkers = 4

// dashboardPage validates the view against the reference data and runs the
// panel queries in parallel, each in a read-only transaction of its own.
// The reference transaction ends before the panels start, so that a
// request never holds one connection while it waits for another: under
// load that would let requests starve the pool of each other.
func (s *Server) dashboardPage(ctx context.Context, d *dashboards.Dashboard, v, defaults view, path string) (components.Page, error) {
	return s.panelsPage(ctx, d, allPanels(d), v, defaults, path)
}

// allPanels points at each of d's panels.
func allPanels(d *dashboards.Dashboard) []*dashboards.Panel {
	panels := make([]*dashboards.Panel, len(d.Panels))
	for i := range d.Panels {
		panels[i] = &d.Panels[i]
	}
	return panels
}

// panelsPage is dashboardPage with only some of d's panels.
func (s *Server) panelsPage(ctx context.Context, d *dashboards.Dashboard, panels []*dashboards.Panel, v, defaults view, path string) (components.Page, error) {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.QueryTimeout+5*time.Second)
	defer cancel()
	ref, args, err := s.resolve(ctx, v)
	if err != nil {
		return components.Page{}, err
	}
	page := s.pageShell(d, v, defaults, ref, path)
	page.ItemsURL = itemsURL(d.Slug, v, defaults, itemFilter{})
	page.PresentURL = withQuery(screenPath+"/d/"+d.Slug, v.query(defaults))
	page.PDFURL = withQuery("/d/"+d.Slug+"/dashboard.pdf", v.query(defaults))
	page.Breadcrumbs = ref.breadcrumbs(v, defaults, args["unit"].(string), path)
	page.Panels = make([]components.Panel, len(panels))
	keyed := s.panelKeys(ctx, d, v, defaults, path)
	keys := make([]string, len(panels))
	var missing []*dashboards.Panel
	var at []int
	for i, p := range panels {
		if keyed != "" {
			keys[i] = keyed + p.ID + "|" + s.panelVersions(ctx, d, p, ref.versions)
			if pv, ok := s.cfg.Panels.Peek(keys[i]); ok {
				page.Panels[i] = pv
				continue
			}
		}
		missing, at = append(missing, p), append(at, i)
	}
	if len(missing) == 0 {
		return page, nil
	}
	data, err := s.panelData(ctx, d, missing, v, args, ref.versions)
	if err != nil {
		return components.Page{}, err
	}
	dims := ref.dimensions()
	dims.Link = func(t queries.ColumnType, code string) string {
		lv := v
		switch {
		case t == queries.ColUnit && code != v.unit:
			lv.unit = ref.unitParam(code)
		case t == queries.ColChannel && !slices.Equal(v.channels, []string{code}):
			lv.channels = []string{code}
		case t == queries.ColTheme:
			return itemsURL(d.Slug, v, defaults, itemFilter{theme: code})
		default:
			return ""
		}
		return withQuery(path, lv.query(defaults))
	}
	dims.LinkCell = func(codes map[queries.ColumnType]string) string {
		lv := v
		if u, ok := codes[queries.ColUnit]; ok {
			lv.unit = ref.unitParam(u)
		}
		if c, ok := codes[queries.ColChannel]; ok {
			lv.channels = []string{c}
		}
		if t, ok := codes[queries.ColTheme]; ok {
			return itemsURL(d.Slug, lv, defaults, itemFilter{theme: t})
		}
		return ""
	}
	vq := v.query(defaults) // every link of the page keeps the view
	for j, p := range missing {
		pv, err := panel.Build(p, data[j], dims, v.lang)
		if err != nil {
			return components.Page{}, err
		}
		if other, ok := s.cfg.Definitions().Get(p.Link); ok {
			pv.More = components.Link{Label: other.Title.In(string(v.lang)), URL: withQuery(dashboardPath(other.Slug), vq)}
		}
		pv.CSVURL = withQuery("/d/"+d.Slug+"/panels/"+p.ID+".csv", vq)
		pv.XLSXURL = withQuery("/d/"+d.Slug+"/panels/"+p.ID+".xlsx", vq)
		q, _ := d.Queries().Get(p.Query) // resolved when the dashboards were loaded
		if len(v.channels) > 0 && !slices.ContainsFunc(q.Params, func(p queries.Param) bool { return p.Type == queries.ParamChannels }) {
			pv.Note = v.lang.T("panel.nochannel")
		}
		page.Panels[at[j]] = pv
		if keyed != "" {
			s.cfg.Panels.Put(keys[at[j]], pv, pv.Size())
		}
	}
	return page, nil
}

// panelKeys is what the keys of d's panels built for view v begin with; a
// panel's key is this, its id and the versions of the data it shows
// (panelVersions). It holds everything a built panel depends on, so that
// a cached one can stand in for building it: the data and the scope (its
// results and the units it names), the definitions (its own and the other
// dashboards' titles it links to), and the view with the defaults and path
// its links are made against. It is empty when there is no cache to keep
// panels in.
func (s *Server) panelKeys(ctx context.Context, d *dashboards.Dashboard, v, defaults view, path string) string {
	if s.cfg.Panels == nil || d.Digest() == "" {
		return ""
	}
	signedIn := userOf(ctx) != nil // nobody signed in sees every unit's name, a user without units none
	return strings.Join([]string{scopeOf(ctx), strconv.FormatBool(signedIn), d.Digest(), d.Slug, path, v.key(), defaults.key(), ""}, "|")
}

// panelVersions names the data panel p of d is built from: the tables its
// queries read, and those of the reference data that names its units,
// channels and themes.
func (s *Server) panelVersions(ctx context.Context, d *dashboards.Dashboard, p *dashboards.Panel, versions *dataVersions) string {
	names := []string{p.Query, p.Sparkline, "ref_units", "ref_channels", "ref_themes"}
	if p.Forecast != nil {
		names = append(names, p.Forecast.Query)
	}
	var qs []*queries.Query
	for _, name := range names {
		if q, ok := d.Queries().Get(name); ok {
			qs = append(qs, q)
		}
	}
	return versions.key(s.reads.of(ctx, s.cfg.Pool, s.cfg.Definitions().Queries(), qs...))
}

// pageQuery is one query a page runs, and where its result goes.
type pageQuery struct {
	panel *dashboards.Panel // the first whose data it is
	query *queries.Query
	args  map[string]any
	key   string             // query and arguments
	into  []**queries.Result // one per panel field it fills
}

// pageQueries lists every query of the panels — each panel's own and, for
// KPIs, the same for earlier periods and the monthly trend, and a
// forecast's history — with the fields of data their results fill. A
// query that more than one panel asks for with the same arguments (each
// showing some of its columns) is listed once.
func pageQueries(d *dashboards.Dashboard, panels []*dashboards.Panel, v view, args map[string]any, data []panel.Data) []pageQuery {
	var out []pageQuery
	add := func(p *dashboards.Panel, name string, args map[string]any, into **queries.Result) {
		q, _ := d.Queries().Get(name) // resolved when the dashboards were loaded
		key := q.CacheKey(args)
		if i := slices.IndexFunc(out, func(pq pageQuery) bool { return pq.key == key }); i >= 0 {
			out[i].into = append(out[i].into, into)
			return
		}
		out = append(out, pageQuery{panel: p, query: q, args: args, key: key, into: []**queries.Result{into}})
	}
	earlier := earlierPeriods(v)
	for i, p := range panels {
		pd := &data[i]
		pd.Through = v.to
		add(p, p.Query, args, &pd.Result)
		if p.Compare {
			pd.Earlier = make([]panel.Comparison, len(earlier))
			for j, e := range earlier {
				ea := maps.Clone(args)
				ea["from"], ea["to"] = e.from, e.to
				pd.Earlier[j].Than = v.lang.T(e.than)
				add(p, p.Query, ea, &pd.Earlier[j].Result)
			}
		}
		if p.Sparkline != "" {
			add(p, p.Sparkline, args, &pd.Trend)
		}
		if p.Forecast != nil {
			ha := maps.Clone(args)
			ha["from"] = monthsUpTo(v.to, p.Forecast.History)
			add(p, cmp.Or(p.Forecast.Query, p.Query), ha, &pd.History)
		}
	}
	return out
}

// panelData runs the page's queries in parallel, each in a read-only
// transaction of its own; each goroutine writes only its own fields of the
// result. Results come from the cache when the data has not changed since
// they were computed (versions name the data).
func (s *Server) panelData(ctx context.Context, d *dashboards.Dashboard, panels []*dashboards.Panel, v view, args map[string]any, versions *dataVersions) ([]panel.Data, error) {
	data := make([]panel.Data, len(panels))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(panelWorkers)
	qs := pageQueries(d, panels, v, args, data)
	s.costs.slowestFirst(qs)
	for _, pq := range qs {
		g.Go(func() error {
			res, err := s.cached(gctx, versions, pq.query, pq.key, func(ctx context.Context) (*queries.Result, error) {
				return s.runQuery(ctx, pq.query, pq.args)
			})
			if err != nil {
				return fmt.Errorf("panel %s: %w", pq.panel.ID, err)
			}
			for _, into := range pq.into {
				*into = res
			}
			return nil
		})
	}
	return data, g.Wait()
}

// DashboardQueries are the queries the dashboard's default view runs for
// the whole organisation (unit at rootPath) on the day now, with their
// arguments: what a benchmark runs directly to tell the database's time
// from the server's.
func DashboardQueries(d *dashboards.Dashboard, now time.Time, rootPath string) ([]*queries.Query, []map[string]any) {
	v, _ := parseView(nil, now, i18n.Finnish)
	panels := allPanels(d)
	var qs []*queries.Query
	var as []map[string]any
	for _, pq := range pageQueries(d, panels, v, queryArgs(v, rootPath), make([]panel.Data, len(panels))) {
		qs, as = append(qs, pq.query), append(as, pq.args)
	}
	return qs, as
}

type period struct {
	from, to time.Time
	than     string // i18n key naming it or what it is to the view
}

// presets are the periods people ask for most, ending at today: the
// default twelve months, this year so far, last year, and last month.
func presets(today time.Time) []period {
	y, m := today.Year(), today.Month()
	loc := today.Location()
	return []period{
		{from: monthsUpTo(today, 12), to: today, than: "period.12m"},
		{from: time.Date(y, 1, 1, 0, 0, 0, 0, loc), to: today, than: "period.ytd"},
		{from: time.Date(y-1, 1, 1, 0, 0, 0, 0, loc), to: time.Date(y-1, 12, 31, 0, 0, 0, 0, loc), than: "period.lastyear"},
		{from: time.Date(y, m-1, 1, 0, 0, 0, 0, loc), to: time.Date(y, m, 0, 0, 0, 0, 0, loc), than: "period.lastmonth"},
	}
}

// earlierPeriods are what KPIs compare against: the period of the same
// length just before the view's, and the view's period a year earlier.
func earlierPeriods(v view) []period {
	days := int(v.to.Sub(v.from).Hours()/24+0.5) + 1
	prevTo := v.from.AddDate(0, 0, -1)
	return []period{
		{from: prevTo.AddDate(0, 0, -(days - 1)), to: prevTo, than: "kpi.previous"},
		{from: v.from.AddDate(-1, 0, 0), to: v.to.AddDate(-1, 0, 0), than: "kpi.lastyear"},
	}
}

// resolve loads the reference data, checks the view against it, and
// returns the arguments every panel query gets.
func (s *Server) resolve(ctx context.Context, v view) (*reference, map[string]any, error) {
	ref, err := s.loadReference(ctx)
	if err != nil {
		return nil, nil, err
	}
	unitPath, err := ref.validate(v)
	if err != nil {
		return nil, nil, err
	}
	return ref, queryArgs(v, unitPath), nil
}

// queryArgs are the arguments every panel query of view v gets, with the
// selected unit at unitPath.
func queryArgs(v view, unitPath string) map[string]any {
	channels := v.channels
	if channels == nil {
		channels = []string{} // NULL would make the SQL's cardinality() NULL too
	}
	return map[string]any{"from": v.from, "to": v.to, "unit": unitPath, "channels": channels, "lang": string(v.lang)}
}

// runQuery runs one query in a read-only transaction of its own.
func (s *Server) runQuery(ctx context.Context, q *queries.Query, args map[string]any) (*queries.Result, error) {
	start := time.Now()
	var res *queries.Result
	err := s.readOnly(ctx, q.PlanSetting(), func(tx pgx.Tx) error {
		var err error
		res, err = q.Run(ctx, tx, args)
		return err
	})
	took := time.Since(start)
	s.cfg.Metrics.ObserveQuery(q.Name, took, err)
	if err == nil {
		s.costs.observe(q.Name, took)
	}
	return res, err
}

// WorkMem is the memory a dashboard query may sort and hash in before it
// spills to disk. The default 4 MB spills a year of a city's feedback
// grouped by month and channel, and the disk doubled the query's time; a
// page runs four queries at once, so this bounds a page near 64 MB.
const WorkMem = "16MB"

// JIT is whether a dashboard query may be compiled to machine code. A
// panel's query over counts runs in milliseconds; compiling one whose
// estimate passes jit_above_cost took 80–100 ms, at every run, since
// compiled code is not kept between them.
const JIT = "off"

// readOnly runs fn in a read-only transaction as the luukku_reader role,
// whose statements are bounded by the query timeout and whose rows are
// limited by row-level security to the signed-in user's scope, without
// JIT compilation (JIT). setting, if any, is one more statement to
// run as the transaction begins (a query's PlanSetting). The settings go
// with BEGIN in one round trip: a cold page runs a dozen or more of these
// transactions, four at a time.
func (s *Server) readOnly(ctx context.Context, setting string, fn func(pgx.Tx) error) error {
	return s.readOnlyOn(ctx, s.cfg.Pool, setting, fn)
}

// beginner is a pool, or one of its connections.
type beginner interface {
	BeginTx(ctx context.Context, opts pgx.TxOptions) (pgx.Tx, error)
}

// readOnlyOn is readOnly on db.
func (s *Server) readOnlyOn(ctx context.Context, db beginner, setting string, fn func(pgx.Tx) error) error {
	begin := fmt.Sprintf("BEGIN READ ONLY; SET LOCAL statement_timeout = %d; SET LOCAL work_mem = '%s'; SET LOCAL jit = %s; SET LOCAL ROLE luukku_reader; SET LOCAL luukku.scope = %s",
		s.cfg.QueryTimeout.Milliseconds(), WorkMem, JIT, quoteLiteral(scopeOf(ctx)))
	if setting != "" {
		begin += "; " + setting
	}
	tx, err := db.BeginTx(ctx, pgx.TxOptions{BeginQuery: begin})
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback(ctx)
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// quoteLiteral quotes s as an SQL string literal, an escape string so that
// it means the same whatever standard_conforming_strings is.
func quoteLiteral(s string) string {
	return "E'" + literalEscapes.Replace(s) + "'"
}

// literalEscapes is built once: a replacer allocates its tables, and every
// query a page runs quotes its scope.
var literalEscapes = strings.NewReplacer(`\`, `\\`, "'", "''")

// scopeOf is the row-level security scope of the signed-in user; with
// nobody signed in it is empty, and lets nothing through.
func scopeOf(ctx context.Context) string {
	if u := userOf(ctx); u != nil {
		return u.Scope()
	}
	return "{}"
}

// cached returns q's result for the arguments that key names (its
// CacheKey, which the caller has at hand) from the result cache, or from
// run when the cache does not hold it (or there is no cache). The cache's
// key holds the versions of the tables q reads, so that a load which
// changed any of them makes the result unreachable, and one that changed
// none leaves it; and the scope, so that users who see different units
// never share a result.
func (s *Server) cached(ctx context.Context, versions *dataVersions, q *queries.Query, key string, run func(context.Context) (*queries.Result, error)) (*queries.Result, error) {
	if s.cfg.Cache == nil || versions == nil {
		return run(ctx)
	}
	reads, known := s.reads.of(ctx, s.cfg.Pool, s.cfg.Definitions().Queries(), q)
	key = versions.key(reads, known) + "|" + scopeOf(ctx) + "|" + key
	return s.cfg.Cache.Get(ctx, key, func(ctx context.Context) (*queries.Result, int64, error) {
		res, err := run(ctx)
		if err != nil {
			return nil, 0, err
		}
		return res, res.Size(), nil
	})
}

// dataVersion is the data version's label, as screens show it.
func (s *Server) dataVersion(ctx context.Context) (string, error) {
	v, err := s.dataVersions(ctx)
	if err != nil {
		return "", err
	}
	return v.label, nil
}

// dataVersions reads the number every data load bumps and the tables'
// versions, straight from the pool: one round trip, for tables that hold
// nothing scoped. When the data is newer than any seen before, the
// results and panels of the tables that changed are dropped from the
// caches: none could be asked for again. The others are still good.
func (s *Server) dataVersions(ctx context.Context) (*dataVersions, error) {
	q, ok := s.cfg.Definitions().Queries().Get("data_version")
	if !ok {
		return nil, errors.New("query data_version is missing from the catalogue")
	}
	res, err := q.Run(ctx, s.cfg.Pool, nil)
	if err != nil {
		return nil, err
	}
	v, err := parseDataVersions(res)
	if err != nil {
		return nil, err
	}
	s.versionsMu.Lock()
	before := s.newestVersions
	newer := before == nil || v.number > before.number
	if newer {
		s.newestVersions = v
	}
	s.versionsMu.Unlock()
	if newer && before != nil {
		marks := v.staleMarks(before)
		stale := func(key string) bool {
			return slices.ContainsFunc(marks, func(m string) bool { return strings.Contains(key, m) })
		}
		if s.cfg.Cache != nil {
			s.cfg.Cache.DeleteFunc(stale)
		}
		if s.cfg.Panels != nil {
			s.cfg.Panels.DeleteFunc(stale)
		}
	}
	return v, nil
}

// newestVersion is the number of the newest data a request has read, 0
// before any has.
func (s *Server) newestVersion() int64 {
	s.versionsMu.Lock()
	defer s.versionsMu.Unlock()
	if s.newestVersions == nil {
		return 0
	}
	return s.newestVersions.number
}

// loadReference reads the data versions, and the rest through the cache
// for them: a warm page asks the database for the versions only. A cold
// one asks for the units, channels and themes at once, as every panel
// waits for them.
func (s *Server) loadReference(ctx context.Context) (*reference, error) {
	versions, err := s.dataVersions(ctx)
	if err != nil {
		return nil, err
	}
	ref := &reference{versions: versions}
	var units, channels, themes *queries.Result
	g, gctx := errgroup.WithContext(ctx)
	for name, into := range map[string]**queries.Result{"ref_units": &units, "ref_channels": &channels, "ref_themes": &themes} {
		g.Go(func() error {
			q, ok := s.cfg.Definitions().Queries().Get(name)
			if !ok {
				return fmt.Errorf("query %s is missing from the catalogue", name)
			}
			res, err := s.cached(gctx, versions, q, q.CacheKey(nil), func(ctx context.Context) (*queries.Result, error) { return s.runQuery(ctx, q, nil) })
			*into = res
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	for _, r := range units.Rows {
		ref.units = append(ref.units, unitRow{
			codeName: codeName{code: r[0].(string), name: text(r[3], r[4], r[5])},
			path:     r[1].(string), level: r[2].(string),
		})
	}
	ref.scopeTo(userOf(ctx))
	for _, r := range channels.Rows {
		ref.channels = append(ref.channels, codeName{code: r[0].(string), name: text(r[1], r[2], r[3])})
	}
	for _, r := range themes.Rows {
		ref.themes = append(ref.themes, codeName{code: r[0].(string), name: text(r[1], r[2], r[3])})
	}
	return ref, nil
}

// badQuery is the error for a query string that does not parse.
func badQuery(lang i18n.Lang) error {
	return &paramError{"query", lang.Pick(
		"osoitteen parametrit ovat virheellisiä", "adressens parametrar är felaktiga", "the URL's parameters are malformed")}
}

func text(fi, sv, en any) dashboards.Text {
	return dashboards.Text{"fi": fi.(string), "sv": sv.(string), "en": en.(string)}
}

// errNoData means the database has no organisation yet: a new
// installation on an external server, before the first import.
var errNoData = errors.New("the organisation tree is empty: load data first (luukku demo or an import)")

// validate checks the unit and channels against the database and returns
// the path of the selected unit.
func (ref *reference) validate(v view) (string, error) {
	if len(ref.all) == 0 {
		return "", errNoData
	}
	if len(ref.units) == 0 {
		return "", &forbiddenError{v.lang.T("error.forbidden.none")}
	}
	path := ref.units[0].path // the top: the whole city, or the user's part of it
	if v.unit != "" {
		i := slices.IndexFunc(ref.units, func(u unitRow) bool { return u.code == v.unit })
		if i < 0 {
			if slices.ContainsFunc(ref.all, func(u unitRow) bool { return u.code == v.unit }) {
				return "", &forbiddenError{v.lang.T("error.forbidden.unit") + v.unit}
			}
			return "", &paramError{"unit", v.lang.Pick("tuntematon yksikkö: ", "okänd enhet: ", "unknown unit: ") + v.unit}
		}
		path = ref.units[i].path
	}
	for _, c := range v.channels {
		if !slices.ContainsFunc(ref.channels, func(ch codeName) bool { return ch.code == c }) {
			return "", &paramError{"channel", v.lang.Pick("tuntematon kanava: ", "okänd kanal: ", "unknown channel: ") + c}
		}
	}
	return path, nil
}

// scopeTo keeps the units u may see: the subtrees of the scope. When the
// scope has several, the city stays on top to stand for all of them (row-
// level security limits what "all" means).
func (ref *reference) scopeTo(u *auth.User) {
	ref.all = ref.units
	if u == nil || u.Role.AllUnits() || len(ref.units) == 0 {
		return
	}
	within := func(path string, roots []string) bool {
		return slices.ContainsFunc(roots, func(root string) bool { return path == root || strings.HasPrefix(path, root+".") })
	}
	var kept []unitRow
	roots := 0
	for _, x := range ref.units {
		if within(x.path, u.Paths) {
			kept = append(kept, x)
		}
	}
	for _, p := range u.Paths {
		if !within(p, slices.DeleteFunc(slices.Clone(u.Paths), func(o string) bool { return o == p })) {
			roots++
		}
	}
	if roots > 1 {
		kept = append([]unitRow{ref.units[0]}, kept...)
	}
	ref.units = kept
}

// unitParam is the unit= value that selects code: none for the root, so
// that the whole city has one URL.
func (ref *reference) unitParam(code string) string {
	if code == ref.units[0].code {
		return ""
	}
	return code
}

// lineage is the unit at path and its ancestors, from the city down.
func (ref *reference) lineage(path string) []unitRow {
	var out []unitRow
	for _, u := range ref.units {
		if u.path == path || strings.HasPrefix(path, u.path+".") {
			out = append(out, u)
		}
	}
	return out
}

// breadcrumbs lead from the city down to the unit at selected.
func (ref *reference) breadcrumbs(v, defaults view, selected, path string) []components.Link {
	var out []components.Link
	for _, u := range ref.lineage(selected) {
		lv := v
		lv.unit = ref.unitParam(u.code)
		out = append(out, components.Link{
			Label:   u.name.In(string(v.lang)),
			URL:     withQuery(path, lv.query(defaults)),
			Current: u.path == selected,
		})
	}
	return out
}

// dimensions gives every channel, unit and theme its name and colour. A
// unit's colour follows its position among its siblings, so a toimiala
// has the same colour on every chart and every page.
func (ref *reference) dimensions() *panel.Dimensions {
	d := &panel.Dimensions{
		Channels: map[string]panel.Member{},
		Units:    map[string]panel.Member{},
		Themes:   map[string]panel.Member{},
	}
	for _, c := range ref.channels {
		d.Channels[c.code] = panel.Member{Name: c.name, Color: panel.ChannelColor(c.code)}
	}
	siblings := map[string]int{}
	for _, u := range ref.units {
		parent := u.path[:max(strings.LastIndex(u.path, "."), 0)]
		d.Units[u.code] = panel.Member{Name: u.name, Color: panel.UnitColor(siblings[parent])}
		siblings[parent]++
	}
	for _, t := range ref.themes {
		d.Themes[t.code] = panel.Member{Name: t.name, Color: panel.ThemeColor()}
	}
	return d
}

// pageShell is the page without its panels: navigation, languages, filters.
func (s *Server) pageShell(d *dashboards.Dashboard, v, defaults view, ref *reference, path string) components.Page {
	lang := v.lang
	p := components.Page{
		Lang:        lang,
		Title:       d.Title.In(string(lang)),
		Description: d.Description.In(string(lang)),
		Assets:      s.assets(),
		DataVersion: ref.versions.label,
		Nav:         s.nav(d, v),
		Languages:   languages(v, func(lv view) string { return withQuery(path, lv.query(defaults)) }),
	}
	f := components.FilterBar{
		Action:      path,
		Period:      d.HasFilter(dashboards.FilterPeriod),
		From:        v.from.Format(time.DateOnly),
		To:          v.to.Format(time.DateOnly),
		PeriodLabel: v.periodLabel(),
	}
	if v.langSet {
		f.Lang = string(lang)
	}
	reset := view{lang: lang, langSet: v.langSet}
	f.ResetURL = withQuery(path, reset.query(defaults))
	if f.Period {
		for _, pr := range presets(defaults.to) {
			lv := v
			lv.from, lv.to = pr.from, pr.to
			f.Presets = append(f.Presets, components.Link{
				Label: lang.T(pr.than), URL: withQuery(path, lv.query(defaults)),
				Current: v.from.Equal(pr.from) && v.to.Equal(pr.to),
			})
		}
	}
	if d.HasFilter(dashboards.FilterUnit) {
		for i, u := range ref.units {
			f.Units = append(f.Units, components.Option{
				Value:    u.code,
				Label:    u.name.In(string(lang)),
				Selected: u.code == v.unit || (v.unit == "" && i == 0),
				Depth:    strings.Count(u.path, "."),
			})
		}
	}
	if d.HasFilter(dashboards.FilterChannel) {
		for _, c := range ref.channels {
			f.Channels = append(f.Channels, components.Option{
				Value: c.code, Label: c.name.In(string(lang)), Selected: slices.Contains(v.channels, c.code),
			})
		}
	}
	p.Filters = f
	p.Chips = ref.chips(v, defaults, path)
	return p
}

// chips are the active filters, each a link to the same view without it.
func (ref *reference) chips(v, defaults view, path string) []components.Link {
	lang := string(v.lang)
	var out []components.Link
	add := func(label string, without view) {
		out = append(out, components.Link{Label: label, URL: withQuery(path, without.query(defaults))})
	}
	if !v.from.Equal(defaults.from) || !v.to.Equal(defaults.to) {
		lv := v
		lv.from, lv.to = defaults.from, defaults.to
		add(v.periodLabel(), lv)
	}
	if v.unit != "" {
		for _, u := range ref.units {
			if u.code == v.unit {
				lv := v
				lv.unit = ""
				add(u.name.In(lang), lv)
			}
		}
	}
	for _, c := range v.channels {
		for _, ch := range ref.channels {
			if ch.code == c {
				lv := v
				lv.channels = slices.DeleteFunc(slices.Clone(v.channels), func(o string) bool { return o == c })
				add(ch.name.In(lang), lv)
			}
		}
	}
	return out
}

// nav links every dashboard, marking d as current.
func (s *Server) nav(d *dashboards.Dashboard, v view) []components.Link {
	var out []components.Link
	for _, other := range s.cfg.Definitions().All() {
		u := dashboardPath(other.Slug)
		if v.langSet {
			u += "?lang=" + string(v.lang)
		}
		out = append(out, components.Link{Label: other.Title.In(string(v.lang)), URL: u, Current: other.Slug == d.Slug})
	}
	return out
}

// languages links the same page in each language; urlFor gives the URL of
// the page for a view.
func languages(v view, urlFor func(view) string) []components.Link {
	var out []components.Link
	for _, l := range i18n.Langs {
		lv := v
		// Finnish too is named: a choice must override one remembered.
		lv.lang, lv.langSet = l, true
		out = append(out, components.Link{Label: l.Name(), URL: urlFor(lv), Current: l == v.lang, Lang: string(l)})
	}
	return out
}

// dashboardPath is where a dashboard lives; the overview is the front page.
func dashboardPath(slug string) string {
	if slug == overviewSlug {
		return "/"
	}
	return "/d/" + slug
}

// describe says in words what a view selects: the unit's path, the period
// and the channels.
func (ref *reference) describe(v view, unitPath string, dims *panel.Dimensions) string {
	var unitNames []string
	for _, u := range ref.lineage(unitPath) {
		unitNames = append(unitNames, u.name.In(string(v.lang)))
	}
	parts := []string{strings.Join(unitNames, " › "), v.periodLabel()}
	var channels []string
	for _, c := range v.channels {
		channels = append(channels, dims.Channels[c].Name.In(string(v.lang)))
	}
	if len(channels) > 0 {
		parts = append(parts, strings.Join(channels, ", "))
	}
	return strings.Join(parts, " · ")
}

func withQuery(path string, q url.Values) string {
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}
