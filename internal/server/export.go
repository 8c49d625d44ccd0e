package server

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/luukku-bi/luukku/internal/panel"
)

// handlePanelCSV answers /d/{slug}/panels/{panel}.csv: the data behind one
// panel, for the same view state as the dashboard URL.
func (s *Server) handlePanelCSV(w http.ResponseWriter, r *http.Request) {
	d, v, _, _, ok := s.requestView(w, r)
	if !ok {
		return
	}
	id, isCSV := strings.CutSuffix(r.PathValue("file"), ".csv")
	i := -1
	for j := range d.Panels {
		if d.Panels[j].ID == id {
			i = j
		}
	}
	if !isCSV || i < 0 {
		s.renderError(w, r, v.lang, http.StatusNotFound, v.lang.Pick(
			"Kuvaajaa ei ole: ", "Diagrammet finns inte: ", "No such panel: ")+r.PathValue("file"))
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
	var buf bytes.Buffer
	if err := panel.WriteCSV(&buf, p, res, ref.dimensions(), v.lang); err != nil {
		s.fail(w, r, v.lang, err)
		return
	}
	name := fmt.Sprintf("luukku-%s-%s-%s_%s.csv", d.Slug, p.ID,
		v.from.Format(time.DateOnly), v.to.Format(time.DateOnly))
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(buf.Bytes())
}
