package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/luukku-bi/luukku/dashboards"
	"github.com/luukku-bi/luukku/internal/audit"
	"github.com/luukku-bi/luukku/internal/auth"
	"github.com/luukku-bi/luukku/internal/i18n"
	"github.com/luukku-bi/luukku/internal/panel"
	"github.com/luukku-bi/luukku/internal/pdf"
	"github.com/luukku-bi/luukku/queries"
)

// exportFormat is a file type that data can be downloaded as.
type exportFormat struct {
	contentType string
	write       func(*panel.Sheet, io.Writer) error
}

// exportFormats are the downloads by file extension.
var exportFormats = map[string]exportFormat{
	".csv":  {"text/csv; charset=utf-8", (*panel.Sheet).WriteCSV},
	".xlsx": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (*panel.Sheet).WriteXLSX},
}

// sendSheet answers with the sheet as a file download. The file is made
// whole before the first byte goes out: a failure half-way must not leave
// half a file behind a 200.
func (s *Server) sendSheet(w http.ResponseWriter, r *http.Request, lang i18n.Lang, sheet *panel.Sheet, ext, name string) {
	format := exportFormats[ext]
	var buf bytes.Buffer
	if err := format.write(sheet, &buf); err != nil {
		s.fail(w, r, lang, fmt.Errorf("export %s%s: %w", name, ext, err))
		return
	}
	h := w.Header()
	h.Set("Content-Type", format.contentType)
	h.Set("Content-Disposition", `attachment; filename="`+name+ext+`"`)
	s.record(r, audit.Export, r.URL.Path, r.URL.RawQuery)
	w.Write(buf.Bytes())
}

// exportName is the download's file name without extension:
// luukku-overview-kpis-2026-01-01_2026-03-31.
func exportName(d *dashboards.Dashboard, what string, v view) string {
	return fmt.Sprintf("luukku-%s-%s-%s_%s", d.Slug, what, v.from.Format(time.DateOnly), v.to.Format(time.DateOnly))
}

// handlePanelExport answers /d/{slug}/panels/{panel}.csv and .xlsx: the
// data behind one panel, for the same view state as the dashboard URL.
func (s *Server) handlePanelExport(w http.ResponseWriter, r *http.Request) {
	d, v, _, _, ok := s.requestView(w, r)
	if !ok {
		return
	}
	file := r.PathValue("file")
	ext := path.Ext(file)
	i := slices.IndexFunc(d.Panels, func(p dashboards.Panel) bool { return p.ID == strings.TrimSuffix(file, ext) })
	if _, known := exportFormats[ext]; !known || i < 0 {
		s.renderError(w, r, v.lang, http.StatusNotFound, v.lang.Pick(
			"Kuvaajaa ei ole: ", "Diagrammet finns inte: ", "No such panel: ")+file)
		return
	}
	p := &d.Panels[i]
	ctx, cancel := context.WithTimeout(r.Context(), s.cfg.QueryTimeout+5*time.Second)
	defer cancel()
	ref, args, err := s.resolve(ctx, v)
	if err != nil {
		s.fail(w, r, v.lang, err)
		return
	}
	q, _ := d.Queries().Get(p.Query) // resolved when the dashboards were loaded
	res, err := s.runQuery(ctx, q, args)
	if err != nil {
		s.fail(w, r, v.lang, err)
		return
	}
	s.sendSheet(w, r, v.lang, panel.NewSheet(p, res, ref.dimensions(), v.lang), ext, exportName(d, p.ID, v))
}

// handleItemsExport answers /d/{slug}/items.csv and .xlsx: the whole list
// of the items page, for the same view and filter, for spreadsheets.
func (s *Server) handleItemsExport(w http.ResponseWriter, r *http.Request) {
	file := r.PathValue("file")
	stem, ext, _ := strings.Cut(file, ".")
	if _, known := exportFormats["."+ext]; stem != "items" || !known {
		lang := langOf(r)
		s.renderError(w, r, lang, http.StatusNotFound, lang.Pick("Tiedostoa ei ole: ", "Filen finns inte: ", "No such file: ")+file)
		return
	}
	d, v, _, f, ok := s.requestItems(w, r, itemFilterParams)
	if !ok {
		return
	}
	sheet, err := s.itemsSheet(r.Context(), d, v, f, maxExportItems)
	if err != nil {
		s.fail(w, r, v.lang, err)
		return
	}
	s.sendSheet(w, r, v.lang, sheet, "."+ext, exportName(d, "items", v))
}

// itemsSheet lays out at most limit items of the view and filter for
// export: as on the page, with each name followed by its code for scripts,
// and a closing note when the list had more.
func (s *Server) itemsSheet(ctx context.Context, d *dashboards.Dashboard, v view, f itemFilter, limit int) (*panel.Sheet, error) {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.QueryTimeout+5*time.Second)
	defer cancel()
	ref, _, res, err := s.items(ctx, d, v, f, 0, limit)
	if err != nil {
		return nil, err
	}
	lang, dims := v.lang, ref.dimensions()
	sheet := &panel.Sheet{Name: lang.T("items.title")}
	const text = queries.ColText
	for _, c := range []struct {
		key, code string
		typ       queries.ColumnType
	}{
		{"id", "", text}, // an identifier, not an amount: no thousands separator
		{"received", "", queries.ColTimestamp},
		{"channel", "channel_code", text},
		{"unit", "unit_code", text},
		{"kind", "kind_code", text},
		{"status", "status_code", text},
		{"themes", "themes_code", text},
		{"response_min", "", queries.ColMinutes},
		{"body", "", text},
		{"language", "", text},
	} {
		sheet.Columns = append(sheet.Columns, panel.SheetColumn{Header: lang.T("column." + c.key), Type: c.typ})
		if c.code != "" {
			sheet.Columns = append(sheet.Columns, panel.SheetColumn{Header: c.code, Type: text})
		}
	}
	var total int64
	for _, row := range res.Rows {
		total = row[itemTotal].(int64)
		names := namesOf(row, dims, lang)
		sheet.Rows = append(sheet.Rows, []any{
			row[itemID],
			row[itemReceived],
			names.channel, row[itemChannel],
			names.unit, row[itemUnit],
			names.kind, row[itemKind],
			names.status, row[itemStatus],
			names.themes, row[itemThemes],
			row[itemFirstResponse],
			row[itemBody],
			row[itemLanguage],
		})
	}
	if total > int64(len(res.Rows)) {
		shown, all := i18n.Number(float64(len(res.Rows)), 0), i18n.Number(float64(total), 0)
		sheet.Note = lang.Pick(
			"Lista on katkaistu: mukana on "+shown+" ensimmäistä palautetta (yhteensä "+all+").",
			"Listan är avkortad: de första "+shown+" responserna (av "+all+").",
			"The list is cut short: the first "+shown+" items (of "+all+").")
	}
	return sheet, nil
}

// chartsDrawn is true in a page once app.js has drawn every chart on it.
const chartsDrawn = `document.querySelectorAll(".chart-ready").length === document.querySelectorAll("[data-chart]").length`

// handleDashboardPDF answers /d/{slug}/dashboard.pdf: the dashboard in
// the view of the URL, printed on A4 by headless Chromium as the person
// who asked, so that it shows exactly what they may see.
func (s *Server) handleDashboardPDF(w http.ResponseWriter, r *http.Request) {
	d, v, defaults, _, ok := s.requestView(w, r)
	if !ok {
		return
	}
	// An unknown unit or one outside the reader's scope is refused here,
	// before a browser is started for it.
	if _, _, err := s.resolve(r.Context(), v); err != nil {
		s.fail(w, r, v.lang, err)
		return
	}
	session, err := r.Cookie(auth.CookieName)
	if err != nil {
		s.renderError(w, r, v.lang, http.StatusUnauthorized, "")
		return
	}
	if s.cfg.PDF == nil {
		s.renderError(w, r, v.lang, http.StatusServiceUnavailable, v.lang.T("pdf.missing"))
		return
	}
	lv := v
	lv.langSet = true // the browser has no language cookie
	target := withQuery(dashboardPath(d.Slug), lv.query(defaults))
	data, err := s.cfg.PDF.Print(r.Context(), target, []*http.Cookie{session}, chartsDrawn)
	if errors.Is(err, pdf.ErrBusy) {
		s.renderError(w, r, v.lang, http.StatusServiceUnavailable, v.lang.T("pdf.busy"))
		return
	}
	if err != nil {
		s.fail(w, r, v.lang, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/pdf")
	h.Set("Content-Disposition", `attachment; filename="`+exportName(d, "dashboard", v)+`.pdf"`)
	h.Set("Cache-Control", "private, no-store")
	s.record(r, audit.Export, r.URL.Path, r.URL.RawQuery)
	w.Write(data)
}
