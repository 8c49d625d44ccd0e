package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/luukku-bi/luukku/components"
	"github.com/luukku-bi/luukku/dashboards"
	"github.com/luukku-bi/luukku/internal/audit"
	"github.com/luukku-bi/luukku/internal/i18n"
	"github.com/luukku-bi/luukku/internal/panel"
	"github.com/luukku-bi/luukku/queries"
)

const (
	itemsPerPage = 50
	maxItemsPage = 10_000
	// maxExportItems bounds a download of the list: enough for any view a
	// person would open in Excel, and the file says when it was cut short.
	maxExportItems = 100_000
)

var (
	// itemFilterParams choose the items; the page pages through them, the
	// download has them all.
	itemFilterParams = []string{"theme", "kind", "sort"}
	itemParams       = append(slices.Clip(itemFilterParams), "page")

	itemKinds = []string{"praise", "complaint", "suggestion", "question"}
	itemSorts = []string{"newest", "oldest"}
)

// itemFilter narrows the view's feedback to a theme and a kind, and pages
// through it.
type itemFilter struct {
	theme, kind, sort string
	page              int
}

func itemsURL(slug string, v, defaults view, f itemFilter) string {
	return withQuery("/d/"+slug+"/items", itemsQuery(v, defaults, f))
}

// itemsExportURL is the download of the whole list as ext (".csv", ".xlsx").
func itemsExportURL(slug, ext string, v, defaults view, f itemFilter) string {
	f.page = 1
	return withQuery("/d/"+slug+"/items"+ext, itemsQuery(v, defaults, f))
}

func itemsQuery(v, defaults view, f itemFilter) url.Values {
	q := v.query(defaults)
	if f.theme != "" {
		q.Set("theme", f.theme)
	}
	if f.kind != "" {
		q.Set("kind", f.kind)
	}
	if f.sort != "" && f.sort != itemSorts[0] {
		q.Set("sort", f.sort)
	}
	if f.page > 1 {
		q.Set("page", strconv.Itoa(f.page))
	}
	return q
}

func parseItemFilter(q url.Values, lang i18n.Lang) (itemFilter, error) {
	f := itemFilter{theme: q.Get("theme"), kind: q.Get("kind"), sort: q.Get("sort"), page: 1}
	if f.kind != "" && !slices.Contains(itemKinds, f.kind) {
		return f, &paramError{"kind", strings.Join(itemKinds, ", ")}
	}
	if f.sort == "" {
		f.sort = itemSorts[0]
	}
	if !slices.Contains(itemSorts, f.sort) {
		return f, &paramError{"sort", strings.Join(itemSorts, ", ")}
	}
	if s := q.Get("page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > maxItemsPage {
			return f, &paramError{"page", lang.Pick("sivunumero 1–", "sidnummer 1–", "a page number 1–") + strconv.Itoa(maxItemsPage)}
		}
		f.page = n
	}
	return f, nil
}

// requestItems parses the view and the item filter of an items page or
// export (whose parameters are params), or answers the request with the
// error and returns false.
func (s *Server) requestItems(w http.ResponseWriter, r *http.Request, params []string) (d *dashboards.Dashboard, v, defaults view, f itemFilter, ok bool) {
	d, v, defaults, q, ok := s.requestView(w, r, params...)
	if !ok {
		return nil, v, defaults, f, false
	}
	f, err := parseItemFilter(q, v.lang)
	if err != nil {
		s.fail(w, r, v.lang, err)
		return nil, v, defaults, f, false
	}
	return d, v, defaults, f, true
}

// handleItems answers /d/{slug}/items: the feedback behind the dashboard's
// numbers, for the same view, page by page.
func (s *Server) handleItems(w http.ResponseWriter, r *http.Request) {
	d, v, defaults, f, ok := s.requestItems(w, r, itemParams)
	if !ok {
		return
	}
	page, err := s.itemsPage(r.Context(), d, v, defaults, f)
	if err != nil {
		s.fail(w, r, v.lang, err)
		return
	}
	s.record(r, audit.View, r.URL.Path, r.URL.RawQuery)
	s.render(w, r, http.StatusOK, components.Items(page))
}

// items runs feedback_items for the view and filter: limit items from
// offset. The reference data and the path of the view's unit come with them.
func (s *Server) items(ctx context.Context, d *dashboards.Dashboard, v view, f itemFilter, offset, limit int) (*reference, string, *queries.Result, error) {
	ref, args, err := s.resolve(ctx, v)
	if err != nil {
		return nil, "", nil, err
	}
	if f.theme != "" && !slices.ContainsFunc(ref.themes, func(t codeName) bool { return t.code == f.theme }) {
		return nil, "", nil, &paramError{"theme", v.lang.Pick("tuntematon teema: ", "okänt tema: ", "unknown theme: ") + f.theme}
	}
	args["theme"], args["kind"], args["sort"] = f.theme, f.kind, f.sort
	args["offset"], args["limit"] = int64(offset), int64(limit)
	q, ok := d.Queries().Get("feedback_items")
	if !ok {
		return nil, "", nil, fmt.Errorf("query feedback_items is missing from the catalogue")
	}
	res, err := s.runQuery(ctx, q, args)
	if err != nil {
		return nil, "", nil, err
	}
	return ref, args["unit"].(string), res, nil
}

// The columns of feedback_items.
const (
	itemID = iota
	itemReceived
	itemChannel
	itemUnit
	itemKind
	itemStatus
	itemThemes
	itemFirstResponse
	itemBody
	itemLanguage
	itemTotal
)

// itemNames are the codes of an item in words, as the page and the
// download both show them.
type itemNames struct{ channel, unit, kind, status, themes string }

func namesOf(row []any, dims *panel.Dimensions, lang i18n.Lang) itemNames {
	return itemNames{
		channel: dims.Channels[row[itemChannel].(string)].Name.In(string(lang)),
		unit:    dims.Units[row[itemUnit].(string)].Name.In(string(lang)),
		kind:    lang.T("kind." + row[itemKind].(string)),
		status:  lang.T("status." + row[itemStatus].(string)),
		themes:  themeNames(row[itemThemes].(string), dims, lang),
	}
}

// themeNames names the themes of an item, given as comma-separated codes.
func themeNames(codes string, dims *panel.Dimensions, lang i18n.Lang) string {
	var names []string
	for _, code := range strings.Split(codes, ",") {
		if code != "" {
			names = append(names, dims.Themes[code].Name.In(string(lang)))
		}
	}
	return strings.Join(names, ", ")
}

func (s *Server) itemsPage(ctx context.Context, d *dashboards.Dashboard, v, defaults view, f itemFilter) (components.ItemsPage, error) {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.QueryTimeout+5*time.Second)
	defer cancel()
	ref, unitPath, res, err := s.items(ctx, d, v, f, (f.page-1)*itemsPerPage, itemsPerPage)
	if err != nil {
		return components.ItemsPage{}, err
	}

	lang, dims := v.lang, ref.dimensions()
	p := components.ItemsPage{
		Lang: lang, Assets: s.assets(), Nav: s.nav(d, v),
		Languages: languages(v, func(lv view) string { return itemsURL(d.Slug, lv, defaults, f) }),
		Title:     lang.T("items.title") + " · " + d.Title.In(string(lang)),
		BackURL:   withQuery(dashboardPath(d.Slug), v.query(defaults)),
		Page:      strconv.Itoa(f.page),
	}
	p.Context = ref.describe(v, unitPath, dims)
	for _, ext := range []string{".csv", ".xlsx"} {
		p.Exports = append(p.Exports, components.Link{
			Label: strings.ToUpper(ext[1:]), URL: itemsExportURL(d.Slug, ext, v, defaults, f)})
	}
	for _, sort := range itemSorts {
		sf := f
		sf.sort, sf.page = sort, 1
		p.Sorts = append(p.Sorts, components.Link{Label: lang.T("items." + sort), URL: itemsURL(d.Slug, v, defaults, sf), Current: sort == f.sort})
	}
	p.Themes = []components.Option{{Value: "", Label: lang.T("items.any")}}
	for _, t := range ref.themes {
		p.Themes = append(p.Themes, components.Option{Value: t.code, Label: t.name.In(string(lang)), Selected: t.code == f.theme})
	}
	p.Kinds = []components.Option{{Value: "", Label: lang.T("items.any")}}
	for _, k := range itemKinds {
		p.Kinds = append(p.Kinds, components.Option{Value: k, Label: lang.T("kind." + k), Selected: k == f.kind})
	}
	// The filter form replaces theme and kind and starts from page 1; the
	// rest of the view travels in hidden fields.
	for name, vals := range v.query(defaults) {
		for _, val := range vals {
			p.Hidden = append(p.Hidden, components.Option{Value: name, Label: val})
		}
	}
	slices.SortFunc(p.Hidden, func(a, b components.Option) int { return strings.Compare(a.Value+a.Label, b.Value+b.Label) })
	if f.sort != itemSorts[0] {
		p.Hidden = append(p.Hidden, components.Option{Value: "sort", Label: f.sort})
	}
	for _, c := range []string{"received", "channel", "unit", "kind", "status", "themes", "first_response", "body"} {
		p.Head = append(p.Head, lang.T("column."+c))
	}
	total := int64(0)
	for _, row := range res.Rows {
		total = row[itemTotal].(int64)
		names := namesOf(row, dims, lang)
		item := components.ItemRow{
			Received: i18n.Date(row[itemReceived].(time.Time).In(i18n.Helsinki())),
			Channel:  names.channel,
			Unit:     names.unit,
			Kind:     names.kind,
			Status:   names.status,
			Themes:   names.themes,
			Response: "–",
			Body:     row[itemBody].(string),
			Lang:     row[itemLanguage].(string),
		}
		if item.Lang == "other" {
			item.Lang = ""
		}
		if m, ok := row[itemFirstResponse].(float64); ok {
			item.Response = lang.Duration(m)
		}
		p.Rows = append(p.Rows, item)
	}
	p.Total = i18n.Number(float64(total), 0)
	if f.page > 1 {
		pf := f
		pf.page--
		p.PrevURL = itemsURL(d.Slug, v, defaults, pf)
	}
	if int64(f.page*itemsPerPage) < total && f.page < maxItemsPage {
		nf := f
		nf.page++
		p.NextURL = itemsURL(d.Slug, v, defaults, nf)
	}
	return p, nil
}
