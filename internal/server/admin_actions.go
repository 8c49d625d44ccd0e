package server

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/luukku-bi/luukku/components"
	"github.com/luukku-bi/luukku/internal/actions"
	"github.com/luukku-bi/luukku/internal/audit"
	"github.com/luukku-bi/luukku/internal/i18n"
)

// Development actions are what closing the loop measures; admins keep them
// here, or in a spreadsheet (export, edit, import).
func (s *Server) actionRoutes(mux *http.ServeMux, admin func(http.HandlerFunc) http.Handler) {
	mux.Handle("GET /admin/actions", admin(s.handleActions))
	mux.Handle("GET /admin/actions.csv", admin(s.handleActionsExport))
	mux.Handle("POST /admin/actions/import", admin(s.handleActionsImport))
	mux.Handle("GET /admin/actions/new", admin(s.handleActionForm))
	mux.Handle("POST /admin/actions/new", admin(s.handleActionSave))
	mux.Handle("GET /admin/actions/{code}", admin(s.handleActionForm))
	mux.Handle("POST /admin/actions/{code}", admin(s.handleActionSave))
	mux.Handle("POST /admin/actions/{code}/delete", admin(s.handleActionDelete))
}

// maxActionsFile bounds an uploaded actions file: thousands of rows fit
// in far less.
const maxActionsFile = 5 << 20

func (s *Server) handleActions(w http.ResponseWriter, r *http.Request) {
	s.renderActions(w, r, http.StatusOK, func(*components.ActionsPage) {})
}

func (s *Server) renderActions(w http.ResponseWriter, r *http.Request, status int, note func(*components.ActionsPage)) {
	lang, suffix := adminLang(r)
	ref, err := s.adminReference(r)
	if err != nil {
		s.fail(w, r, lang, err)
		return
	}
	list, err := actions.List(r.Context(), s.cfg.Pool)
	if err != nil {
		s.fail(w, r, lang, err)
		return
	}
	dims := ref.dimensions()
	p := components.ActionsPage{
		Admin: s.adminShell(r, "admin.actions"), NewURL: "/admin/actions/new" + suffix,
		ExportURL: "/admin/actions.csv" + suffix, ImportURL: "/admin/actions/import" + suffix,
	}
	day := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return i18n.Date(*t)
	}
	for _, a := range list {
		base := "/admin/actions/" + url.PathEscape(a.Code)
		p.Actions = append(p.Actions, components.ActionRow{
			Code: a.Code, Title: a.Title, Unit: dims.Units[a.Unit].Name.In(string(lang)),
			Themes:  themeNames(strings.Join(a.Themes, ","), dims, lang),
			Decided: i18n.Date(a.Decided), Started: day(a.Started), Done: day(a.Done),
			EditURL: base + suffix, DeleteURL: base + "/delete" + suffix,
		})
	}
	note(&p)
	s.render(w, r, status, components.AdminActions(p))
}

// adminReference loads the organisation and themes as an admin sees them.
func (s *Server) adminReference(r *http.Request) (*reference, error) {
	return s.loadReference(r.Context())
}

func (s *Server) handleActionsExport(w http.ResponseWriter, r *http.Request) {
	var buf bytes.Buffer
	if err := actions.Export(r.Context(), s.cfg.Pool, &buf); err != nil {
		s.fail(w, r, langOf(r), err)
		return
	}
	s.record(r, audit.Export, r.URL.Path, "")
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="luukku-actions-`+s.cfg.Now().Format("2006-01-02")+`.csv"`)
	w.Write(buf.Bytes())
}

// handleActionsImport takes a CSV file of actions: every row is written,
// or, when any row is wrong, none, and the page lists every problem.
func (s *Server) handleActionsImport(w http.ResponseWriter, r *http.Request) {
	lang, _ := adminLang(r)
	r.Body = http.MaxBytesReader(w, r.Body, maxActionsFile)
	file, header, err := r.FormFile("file")
	if err != nil {
		s.renderActions(w, r, http.StatusBadRequest, func(p *components.ActionsPage) {
			p.Problems = []string{lang.Pick("Valitse tiedosto (enintään 5 Mt).", "Välj en fil (högst 5 MB).", "Choose a file (at most 5 MB).")}
		})
		return
	}
	defer file.Close()
	list, err := actions.Parse(io.LimitReader(file, maxActionsFile))
	var sum actions.Summary
	if err == nil {
		sum, err = actions.Import(r.Context(), s.cfg.Pool, list)
	}
	if err != nil {
		var rowErr actions.RowError
		if !errors.As(err, &rowErr) {
			s.fail(w, r, lang, err)
			return
		}
		s.renderActions(w, r, http.StatusBadRequest, func(p *components.ActionsPage) {
			p.Problems = strings.Split(err.Error(), "\n")
		})
		return
	}
	s.record(r, audit.Import, "actions", fmt.Sprintf("%s: %d new, %d updated", header.Filename, sum.Added, sum.Updated))
	s.renderActions(w, r, http.StatusOK, func(p *components.ActionsPage) {
		p.Notice = fmt.Sprintf(lang.T("actions.imported"), len(list), sum.Added, sum.Updated)
	})
}

func (s *Server) handleActionForm(w http.ResponseWriter, r *http.Request) {
	lang, _ := adminLang(r)
	a := actions.Action{Decided: s.cfg.Now()}
	if code := r.PathValue("code"); code != "" {
		list, err := actions.List(r.Context(), s.cfg.Pool)
		if err != nil {
			s.fail(w, r, lang, err)
			return
		}
		i := slices.IndexFunc(list, func(a actions.Action) bool { return a.Code == code })
		if i < 0 {
			s.renderError(w, r, lang, http.StatusNotFound, lang.T("admin.actions")+": "+code)
			return
		}
		a = list[i]
	}
	s.renderActionForm(w, r, http.StatusOK, a.Record(), nil)
}

// renderActionForm shows the form with fields (in the order of
// actions.Columns) and what was wrong with them.
func (s *Server) renderActionForm(w http.ResponseWriter, r *http.Request, status int, fields []string, problems []string) {
	lang, suffix := adminLang(r)
	ref, err := s.adminReference(r)
	if err != nil {
		s.fail(w, r, lang, err)
		return
	}
	code := r.PathValue("code")
	p := components.ActionForm{
		Admin: s.adminShell(r, "actions.edit"), New: code == "", Problems: problems,
		Code: fields[0], Title: fields[1], Description: fields[2], OwnerRole: fields[5],
		Decided: fields[6], Started: fields[7], Done: fields[8],
	}
	if p.New {
		p.Admin.Title = lang.T("actions.new")
		p.SaveURL = "/admin/actions/new" + suffix
	} else {
		p.SaveURL = "/admin/actions/" + url.PathEscape(code) + suffix
	}
	themes := strings.FieldsFunc(fields[4], func(r rune) bool { return r == ',' || r == ' ' })
	for _, u := range ref.all {
		p.Units = append(p.Units, components.Option{Value: u.code, Label: u.name.In(string(lang)), Selected: u.code == fields[3], Depth: strings.Count(u.path, ".")})
	}
	for _, t := range ref.themes {
		p.Themes = append(p.Themes, components.Option{Value: t.code, Label: t.name.In(string(lang)), Selected: slices.Contains(themes, t.code)})
	}
	s.render(w, r, status, components.AdminActionForm(p))
}

// handleActionSave adds or updates one action, checked as an imported row
// would be.
func (s *Server) handleActionSave(w http.ResponseWriter, r *http.Request) {
	lang, suffix := adminLang(r)
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, lang, &paramError{"form", err.Error()})
		return
	}
	fields := make([]string, len(actions.Columns))
	for i, c := range actions.Columns {
		fields[i] = r.PostForm.Get(c)
	}
	fields[4] = strings.Join(r.PostForm["themes"], ",")
	if code := r.PathValue("code"); code != "" {
		fields[0] = code // the code names the action; it does not change
	}
	a, problems := actions.ParseRecord(slices.Clone(fields))
	if len(problems) == 0 {
		if _, err := actions.Import(r.Context(), s.cfg.Pool, []actions.Action{a}); err != nil {
			var rowErr actions.RowError
			if !errors.As(err, &rowErr) {
				s.fail(w, r, lang, err)
				return
			}
			problems = strings.Split(strings.ReplaceAll(err.Error(), "row 2: ", ""), "\n")
		}
	}
	if len(problems) > 0 {
		s.renderActionForm(w, r, http.StatusBadRequest, fields, problems)
		return
	}
	s.record(r, audit.ActionSave, a.Code, a.Title)
	http.Redirect(w, r, "/admin/actions"+suffix, http.StatusSeeOther)
}

func (s *Server) handleActionDelete(w http.ResponseWriter, r *http.Request) {
	lang, _ := adminLang(r)
	code := r.PathValue("code")
	err := actions.Delete(r.Context(), s.cfg.Pool, code)
	if errors.Is(err, actions.ErrNoAction) {
		s.renderError(w, r, lang, http.StatusNotFound, err.Error())
		return
	}
	if err != nil {
		s.fail(w, r, lang, err)
		return
	}
	s.record(r, audit.ActionDelete, code, "")
	s.renderActions(w, r, http.StatusOK, func(p *components.ActionsPage) {
		p.Notice = fmt.Sprintf(lang.T("actions.deleted"), code)
	})
}
