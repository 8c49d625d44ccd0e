package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/luukku-bi/luukku/components"
	"github.com/luukku-bi/luukku/internal/audit"
	"github.com/luukku-bi/luukku/internal/auth"
	"github.com/luukku-bi/luukku/internal/i18n"
	"github.com/luukku-bi/luukku/internal/panel"
	"github.com/luukku-bi/luukku/queries"
)

func (s *Server) adminRoutes(mux *http.ServeMux) {
	admin := func(h http.HandlerFunc) http.Handler { return s.signedIn(h, auth.RoleAdmin) }
	mux.Handle("GET /admin/{$}", admin(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/admin/users", http.StatusSeeOther)
	}))
	mux.Handle("GET /admin/users", admin(s.handleUsers))
	mux.Handle("POST /admin/users", admin(s.handleUserAdd))
	mux.Handle("POST /admin/users/{username}", admin(s.handleUserSave))
	mux.Handle("POST /admin/users/{username}/password", admin(s.handleUserPassword))
	mux.Handle("GET /admin/audit", admin(s.handleAudit))
	mux.Handle("GET /admin/audit.csv", admin(s.handleAuditExport))
	s.actionRoutes(mux, admin)
	s.screenRoutes(mux, admin)
	mux.Handle("GET /admin/import", admin(s.handleImportForm))
	mux.Handle("POST /admin/import", admin(s.handleImport))
}

// adminLang is the language of an administration page: ?lang= on the URL,
// which the forms post back to.
func adminLang(r *http.Request) (i18n.Lang, string) {
	lang := langOf(r)
	if lang == i18n.Finnish {
		return lang, ""
	}
	return lang, "?lang=" + string(lang)
}

func (s *Server) adminShell(r *http.Request, titleKey string) components.Admin {
	lang, suffix := adminLang(r)
	a := components.Admin{Lang: lang, Assets: s.assets(), Title: lang.T(titleKey)}
	for _, t := range []struct{ key, path string }{
		{"nav.dashboards", "/"}, {"admin.users", "/admin/users"}, {"admin.actions", "/admin/actions"}, {"admin.screens", "/admin/screens"}, {"admin.import", "/admin/import"}, {"admin.audit", "/admin/audit"},
	} {
		a.Tabs = append(a.Tabs, components.Link{Label: lang.T(t.key), URL: t.path + suffix, Current: t.path == r.URL.Path})
	}
	for _, l := range i18n.Langs {
		// Finnish too is named: a choice must override one remembered.
		u := r.URL.Path + "?lang=" + string(l)
		a.Languages = append(a.Languages, components.Link{Label: l.Name(), URL: u, Current: l == lang, Lang: string(l)})
	}
	return a
}

func (s *Server) handleUsers(w http.ResponseWriter, r *http.Request) {
	s.renderUsers(w, r, http.StatusOK, func(*components.Admin) {})
}

// renderUsers shows the account list after note has said what happened.
func (s *Server) renderUsers(w http.ResponseWriter, r *http.Request, status int, note func(*components.Admin)) {
	lang, suffix := adminLang(r)
	page, err := s.usersPage(r.Context(), r, lang, suffix)
	if err != nil {
		s.fail(w, r, lang, err)
		return
	}
	note(&page.Admin)
	w.Header().Set("Cache-Control", "no-store") // may hold a new password
	s.render(w, r, status, components.Users(page))
}

func (s *Server) usersPage(ctx context.Context, r *http.Request, lang i18n.Lang, suffix string) (components.UsersPage, error) {
	p := components.UsersPage{Admin: s.adminShell(r, "admin.users"), AddURL: "/admin/users" + suffix}
	ref, err := s.adminReference(r)
	if err != nil {
		return p, err
	}
	units := func(selected []string) []components.Option {
		var out []components.Option
		for _, u := range ref.all {
			out = append(out, components.Option{
				Value: u.code, Label: u.name.In(string(lang)), Selected: slices.Contains(selected, u.code),
				Depth: strings.Count(u.path, "."),
			})
		}
		return out
	}
	roles := func(selected auth.Role) []components.Option {
		var out []components.Option
		for _, role := range auth.Roles {
			out = append(out, components.Option{Value: string(role), Label: lang.T("role." + string(role)), Selected: role == selected})
		}
		return out
	}
	p.Roles, p.Units = roles(auth.RoleViewer), units(nil)
	users, err := s.cfg.Accounts.List(ctx)
	if err != nil {
		return p, err
	}
	for _, u := range users {
		base := "/admin/users/" + url.PathEscape(u.Username)
		p.Users = append(p.Users, components.UserRow{
			Username: u.Username, Name: u.DisplayName, Roles: roles(u.Role), Units: units(u.Units),
			Disabled: u.Disabled, SaveURL: base + suffix, PasswordURL: base + "/password" + suffix,
		})
	}
	return p, nil
}

// accountError turns what the accounts refused into a message for the
// form, in the page's language; anything else (and no error) is not the
// form's to say.
func accountError(err error, lang i18n.Lang) (string, bool) {
	for _, e := range []error{auth.ErrExists, auth.ErrNoUser, auth.ErrUnknownUnit, auth.ErrInvalid} {
		if errors.Is(err, e) {
			return lang.Explain(err), true
		}
	}
	return "", false
}

func (s *Server) handleUserAdd(w http.ResponseWriter, r *http.Request) {
	lang, _ := adminLang(r)
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, lang, &paramError{"form", err.Error()})
		return
	}
	password := auth.NewPassword()
	n := auth.NewUser{
		Username: r.PostForm.Get("username"), DisplayName: r.PostForm.Get("name"),
		Role: auth.Role(r.PostForm.Get("role")), Units: r.PostForm["unit"], Password: password,
	}
	err := s.cfg.Accounts.Add(r.Context(), s.actor(r), n)
	name, _ := auth.NormalizeUsername(n.Username)
	s.accountChanged(w, r, err, func(a *components.Admin) {
		a.Notice, a.Secret = fmt.Sprintf(lang.T("admin.created"), name), password
	})
}

// accountChanged answers an account change: what the accounts refused is
// said on the form, another failure is the server's, and success shows
// what note says.
func (s *Server) accountChanged(w http.ResponseWriter, r *http.Request, err error, note func(*components.Admin)) {
	lang, _ := adminLang(r)
	if msg, ok := accountError(err, lang); ok {
		s.renderUsers(w, r, http.StatusBadRequest, func(a *components.Admin) { a.Error = msg })
		return
	}
	if err != nil {
		s.fail(w, r, lang, err)
		return
	}
	s.renderUsers(w, r, http.StatusOK, note)
}

// handleUserSave sets a user's role, units and whether the account is
// disabled, in one go. An admin cannot lock herself out.
func (s *Server) handleUserSave(w http.ResponseWriter, r *http.Request) {
	lang, _ := adminLang(r)
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, lang, &paramError{"form", err.Error()})
		return
	}
	ctx, by, name := r.Context(), s.actor(r), r.PathValue("username")
	role, err := auth.ParseRole(r.PostForm.Get("role"))
	if err != nil {
		s.renderUsers(w, r, http.StatusBadRequest, func(a *components.Admin) { a.Error = lang.Explain(err) })
		return
	}
	disabled := r.PostForm.Get("disabled") != ""
	if name == userOf(ctx).Username && (role != auth.RoleAdmin || disabled) {
		s.renderUsers(w, r, http.StatusBadRequest, func(a *components.Admin) { a.Error = lang.T("admin.self") })
		return
	}
	current, err := s.cfg.Accounts.Get(ctx, name)
	if err == nil && current.Role != role {
		err = s.cfg.Accounts.SetRole(ctx, by, name, role)
	}
	if err == nil && !current.SameUnits(r.PostForm["unit"]) {
		err = s.cfg.Accounts.SetScope(ctx, by, name, r.PostForm["unit"])
	}
	if err == nil && current.Disabled != disabled {
		err = s.cfg.Accounts.SetDisabled(ctx, by, name, disabled)
	}
	s.accountChanged(w, r, err, func(a *components.Admin) { a.Notice = fmt.Sprintf(lang.T("admin.saved"), name) })
}

func (s *Server) handleUserPassword(w http.ResponseWriter, r *http.Request) {
	lang, _ := adminLang(r)
	name, password := r.PathValue("username"), auth.NewPassword()
	err := s.cfg.Accounts.SetPassword(r.Context(), s.actor(r), name, password)
	s.accountChanged(w, r, err, func(a *components.Admin) {
		a.Notice, a.Secret = fmt.Sprintf(lang.T("admin.password.set"), name), password
	})
}

// auditFilter reads the audit page's filter from the URL.
func auditFilter(q url.Values, lang i18n.Lang) (audit.Filter, error) {
	f := audit.Filter{Username: strings.ToLower(strings.TrimSpace(q.Get("user"))), Action: q.Get("action")}
	if f.Action != "" && !slices.Contains(audit.Actions, f.Action) {
		return f, &paramError{"action", strings.Join(audit.Actions, ", ")}
	}
	var err error
	for _, d := range []struct {
		name string
		into *time.Time
	}{{"from", &f.From}, {"to", &f.To}} {
		if s := q.Get(d.name); s != "" {
			if *d.into, err = parseDate(lang, d.name, s); err != nil {
				return f, err
			}
		}
	}
	return f, nil
}

// auditShown is how many events the page shows; the CSV has up to
// auditExported.
const (
	auditShown    = 500
	auditExported = 100_000
)

// auditEvents answers the request with the events its filter selects, at
// most limit of them, or with the error and false.
func (s *Server) auditEvents(w http.ResponseWriter, r *http.Request, limit int) (audit.Filter, []audit.Event, bool) {
	lang, _ := adminLang(r)
	f, err := auditFilter(r.URL.Query(), lang)
	if err == nil {
		var events []audit.Event
		if events, err = audit.List(r.Context(), s.cfg.Pool, f, limit); err == nil {
			return f, events, true
		}
	}
	s.fail(w, r, lang, err)
	return f, nil, false
}

func (s *Server) handleAudit(w http.ResponseWriter, r *http.Request) {
	lang, _ := adminLang(r)
	q := r.URL.Query()
	f, events, ok := s.auditEvents(w, r, auditShown+1)
	if !ok {
		return
	}
	p := components.AuditPage{
		Admin: s.adminShell(r, "admin.audit"), User: f.Username, Action: f.Action,
		From: q.Get("from"), To: q.Get("to"), CSVURL: "/admin/audit.csv?" + r.URL.RawQuery,
		Truncated: len(events) > auditShown,
	}
	p.Actions = append(p.Actions, components.Option{Value: "", Label: lang.T("audit.all")})
	for _, a := range audit.Actions {
		p.Actions = append(p.Actions, components.Option{Value: a, Label: a, Selected: a == f.Action})
	}
	for _, e := range events[:min(len(events), auditShown)] {
		p.Events = append(p.Events, components.AuditRow{
			At: i18n.DateTime(e.At), User: e.Username, Action: e.Action, Target: e.Target, Detail: e.Detail, Address: e.Address,
		})
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusOK, components.Audit(p))
}

func (s *Server) handleAuditExport(w http.ResponseWriter, r *http.Request) {
	lang, _ := adminLang(r)
	_, events, ok := s.auditEvents(w, r, auditExported+1)
	if !ok {
		return
	}
	sheet := &panel.Sheet{Name: lang.T("admin.audit")}
	for _, c := range []struct {
		key string
		t   queries.ColumnType
	}{{"audit.at", queries.ColTimestamp}, {"login.username", queries.ColText}, {"audit.action", queries.ColText},
		{"audit.target", queries.ColText}, {"audit.detail", queries.ColText}, {"audit.address", queries.ColText}} {
		sheet.Columns = append(sheet.Columns, panel.SheetColumn{Header: lang.T(c.key), Type: c.t})
	}
	for _, e := range events[:min(len(events), auditExported)] {
		sheet.Rows = append(sheet.Rows, []any{e.At, e.Username, e.Action, e.Target, e.Detail, e.Address})
	}
	if len(events) > auditExported {
		sheet.Note = lang.Pick("Tiedosto on katkaistu: mukana on 100 000 uusinta tapahtumaa.",
			"Filen är avkortad: de 100 000 senaste händelserna.", "The file is cut short: the newest 100,000 events.")
	}
	s.sendSheet(w, r, lang, sheet, ".csv", "luukku-audit-"+s.cfg.Now().Format(time.DateOnly))
}
