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
	"github.com/luukku-bi/luukku/internal/i18n"
)

const (
	itemsPerPage = 50 // as the LIMIT in feedback_items.sql
	maxItemsPage = 10_000
)

var (
	itemParams = []string{"theme", "kind", "sort", "page"}
	itemKinds  = []string{"praise", "complaint", "suggestion", "question"}
	itemSorts  = []string{"newest", "oldest"}
)

// itemFilter narrows the view's feedback to a theme and a kind, and pages
// through it.
type itemFilter struct {
	theme, kind, sort string
	page              int
}

func itemsURL(slug string, v, defaults view, f itemFilter) string {
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
	return withQuery("/d/"+slug+"/items", q)
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

// handleItems answers /d/{slug}/items: the feedback behind the dashboard's
// numbers, for the same view, page by page.
func (s *Server) handleItems(w http.ResponseWriter, r *http.Request) {
	d, v, defaults, q, ok := s.requestView(w, r, itemParams...)
	if !ok {
		return
	}
	f, err := parseItemFilter(q, v.lang)
	if err != nil {
		s.fail(w, r, v.lang, err)
		return
	}
	page, err := s.itemsPage(r.Context(), d, v, defaults, f)
	if err != nil {
		s.fail(w, r, v.lang, err)
		return
	}
	w.Header().Set("Cache-Control", "no-cache")
	s.render(w, r, http.StatusOK, components.Items(page))
}

func (s *Server) itemsPage(ctx context.Context, d *dashboards.Dashboard, v, defaults view, f itemFilter) (components.ItemsPage, error) {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.QueryTimeout+5*time.Second)
	defer cancel()
	ref, args, err := s.resolve(ctx, v)
	if err != nil {
		return components.ItemsPage{}, err
	}
	if f.theme != "" && !slices.ContainsFunc(ref.themes, func(t codeName) bool { return t.code == f.theme }) {
		return components.ItemsPage{}, &paramError{"theme", v.lang.Pick("tuntematon teema: ", "okänt tema: ", "unknown theme: ") + f.theme}
	}
	args["theme"], args["kind"], args["sort"] = f.theme, f.kind, f.sort
	args["offset"] = int64((f.page - 1) * itemsPerPage)
	q, ok := d.Queries().Get("feedback_items")
	if !ok {
		return components.ItemsPage{}, fmt.Errorf("query feedback_items is missing from the catalogue")
	}
	res, err := s.runQuery(ctx, q, args)
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
	p.Context = ref.describe(v, args["unit"].(string), dims)
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
		total = row[10].(int64)
		var themes []string
		for _, code := range strings.Split(row[6].(string), ",") {
			if code != "" {
				themes = append(themes, dims.Themes[code].Name.In(string(lang)))
			}
		}
		item := components.ItemRow{
			Received: i18n.Date(row[1].(time.Time)),
			Channel:  dims.Channels[row[2].(string)].Name.In(string(lang)),
			Unit:     dims.Units[row[3].(string)].Name.In(string(lang)),
			Kind:     lang.T("kind." + row[4].(string)),
			Status:   lang.T("status." + row[5].(string)),
			Themes:   strings.Join(themes, ", "),
			Response: "–",
			Body:     row[8].(string),
			Lang:     row[9].(string),
		}
		if item.Lang == "other" {
			item.Lang = ""
		}
		if m, ok := row[7].(float64); ok {
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
