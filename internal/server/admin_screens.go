package server

import (
	"cmp"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/luukku-bi/luukku/components"
	"github.com/luukku-bi/luukku/dashboards"
	"github.com/luukku-bi/luukku/internal/auth"
	"github.com/luukku-bi/luukku/internal/i18n"
)

func (s *Server) screenRoutes(mux *http.ServeMux, admin func(http.HandlerFunc) http.Handler) {
	mux.Handle("GET /admin/screens", admin(s.handleScreens))
	mux.Handle("POST /admin/screens", admin(s.handleScreenAdd))
	mux.Handle("POST /admin/screens/{id}/revoke", admin(s.handleScreenRevoke))
}

func (s *Server) handleScreens(w http.ResponseWriter, r *http.Request) {
	s.renderScreens(w, r, http.StatusOK, screenForm{}, func(*components.Admin) {})
}

// screenForm is what an admin typed into the new screen's form, kept when
// it is refused.
type screenForm struct {
	name, target, view, lang string
	units                    []string
}

func (s *Server) renderScreens(w http.ResponseWriter, r *http.Request, status int, f screenForm, note func(*components.Admin)) {
	lang, suffix := adminLang(r)
	ref, err := s.adminReference(r)
	if err != nil {
		s.fail(w, r, lang, err)
		return
	}
	displays, err := s.cfg.Displays.List(r.Context())
	if err != nil {
		s.fail(w, r, lang, err)
		return
	}
	defs := s.cfg.Definitions()
	l := string(lang)
	p := components.ScreensPage{Admin: s.adminShell(r, "admin.screens"), AddURL: "/admin/screens" + suffix, Name: f.name, View: f.view}
	playlists := components.OptionGroup{Label: lang.T("screens.playlist")}
	for _, pl := range defs.Playlists() {
		v := "playlist:" + pl.Slug
		playlists.Options = append(playlists.Options, components.Option{Value: v, Label: pl.Title.In(l), Selected: v == f.target})
		p.Playlists = append(p.Playlists, components.PlaylistRow{
			Title: pl.Title.In(l), Slug: pl.Slug, File: pl.File, Slides: len(pl.Slides),
			Length: minutes(playlistLength(defs, pl)), PresentURL: screenPath + "/" + pl.Slug + suffix,
		})
	}
	boards := components.OptionGroup{Label: lang.T("screens.dashboard")}
	for _, d := range defs.All() {
		v := "dashboard:" + d.Slug
		boards.Options = append(boards.Options, components.Option{Value: v, Label: d.Title.In(l), Selected: v == f.target})
	}
	p.Targets = []components.OptionGroup{playlists, boards}
	for _, x := range i18n.Langs {
		p.Langs = append(p.Langs, components.Option{Value: string(x), Label: x.Name(), Selected: string(x) == cmp.Or(f.lang, string(lang))})
	}
	names := map[string]string{}
	for _, u := range ref.all {
		names[u.code] = u.name.In(l)
		p.Units = append(p.Units, components.Option{Value: u.code, Label: u.name.In(l), Selected: slices.Contains(f.units, u.code), Depth: strings.Count(u.path, ".")})
	}
	for _, d := range displays {
		row := components.ScreenRow{Name: d.Name, Lang: d.Lang, Created: i18n.DateTime(d.CreatedAt) + " · " + d.CreatedBy, LastUsed: "–"}
		if pl, ok := defs.Playlist(d.Playlist); ok {
			row.Shows = lang.T("screens.playlist") + ": " + pl.Title.In(l)
		} else if db, ok := defs.Get(d.Dashboard); ok {
			row.Shows = lang.T("screens.dashboard") + ": " + db.Title.In(l)
			if d.View != "" {
				row.Shows += " · " + d.View
			}
		} else {
			row.Shows = d.Playlist + d.Dashboard // since removed from the definitions
		}
		var units []string
		for _, c := range d.Units {
			units = append(units, cmp.Or(names[c], c))
		}
		row.Units = strings.Join(units, ", ")
		if d.LastUsed != nil {
			row.LastUsed = i18n.DateTime(*d.LastUsed)
		}
		if d.Revoked != nil {
			row.Revoked = fmt.Sprintf(lang.T("screens.revoked"), i18n.DateTime(*d.Revoked))
		} else {
			row.RevokeURL = "/admin/screens/" + strconv.FormatInt(d.ID, 10) + "/revoke" + suffix
		}
		p.Screens = append(p.Screens, row)
	}
	if s.cfg.DefinitionsDir != "" {
		p.PlaylistDir = filepath.Join(s.cfg.DefinitionsDir, "dashboards", dashboards.PlaylistDir)
	}
	note(&p.Admin)
	w.Header().Set("Cache-Control", "no-store") // may hold a new screen's address
	s.render(w, r, status, components.Screens(p))
}

// playlistLength is how long one round of the playlist takes.
func playlistLength(defs *dashboards.Set, pl *dashboards.Playlist) time.Duration {
	var total time.Duration
	for _, sl := range pl.Slides {
		if d, ok := defs.Get(sl.Dashboard); ok {
			total += time.Duration(sl.Duration) * time.Duration(len(d.Screens(sl.Panels)))
		}
	}
	return total
}

// minutes shows a length as 2.30 (minutes and seconds), the way a clock does.
func minutes(d time.Duration) string {
	sec := int(d.Round(time.Second).Seconds())
	return fmt.Sprintf("%d.%02d", sec/60, sec%60)
}

func (s *Server) handleScreenAdd(w http.ResponseWriter, r *http.Request) {
	lang, _ := adminLang(r)
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, lang, &paramError{"form", err.Error()})
		return
	}
	f := screenForm{
		name: r.PostForm.Get("name"), target: r.PostForm.Get("target"), view: strings.TrimSpace(r.PostForm.Get("view")),
		lang: r.PostForm.Get("lang"), units: r.PostForm["unit"],
	}
	refuse := func(msg string) {
		s.renderScreens(w, r, http.StatusBadRequest, f, func(a *components.Admin) { a.Error = msg })
	}
	n, err := s.newDisplay(r, f)
	if err != nil {
		var pe *paramError
		var fe *forbiddenError
		switch {
		case errors.As(err, &pe):
			refuse(pe.message)
		case errors.As(err, &fe):
			refuse(lang.T("screens.view") + ": " + fe.message)
		default:
			s.fail(w, r, lang, err)
		}
		return
	}
	token, err := s.cfg.Displays.Add(r.Context(), s.actor(r), n)
	if msg, ok := accountError(err, lang); ok {
		refuse(msg)
		return
	}
	if err != nil {
		s.fail(w, r, lang, err)
		return
	}
	scheme := "http"
	if s.secure(r) {
		scheme = "https"
	}
	s.renderScreens(w, r, http.StatusOK, screenForm{}, func(a *components.Admin) {
		a.Notice = fmt.Sprintf(lang.T("screens.created.note"), n.Name)
		a.SecretLabel, a.Secret = lang.T("screens.created.url"), scheme+"://"+r.Host+"/screen/"+token
	})
}

// newDisplay checks the form against the definitions and the database: a
// target that exists, and for a dashboard a view whose unit and channels
// exist and lie within the screen's units.
func (s *Server) newDisplay(r *http.Request, f screenForm) (auth.NewDisplay, error) {
	lang, _ := adminLang(r)
	n := auth.NewDisplay{Name: f.name, Lang: f.lang, Units: f.units}
	if _, ok := i18n.Parse(f.lang); !ok {
		return n, &paramError{"lang", "fi, sv, en"}
	}
	defs := s.cfg.Definitions()
	kind, slug, _ := strings.Cut(f.target, ":")
	switch {
	case kind == "playlist":
		if _, ok := defs.Playlist(slug); !ok {
			return n, &paramError{"target", lang.Pick("soittolistaa ei ole: ", "spellistan finns inte: ", "no such playlist: ") + slug}
		}
		if f.view != "" {
			return n, &paramError{"view", lang.Pick("soittolistan näkymillä on omat rajauksensa", "spellistans vyer har egna avgränsningar", "a playlist's slides carry their own views")}
		}
		n.Playlist = slug
		return n, nil
	case kind != "dashboard":
		return n, &paramError{"target", lang.Pick("valitse soittolista tai koontinäyttö", "välj en spellista eller en översiktsvy", "choose a playlist or a dashboard")}
	}
	if _, ok := defs.Get(slug); !ok {
		return n, &paramError{"target", lang.Pick("koontinäyttöä ei ole: ", "översiktsvyn finns inte: ", "no such dashboard: ") + slug}
	}
	n.Dashboard = slug
	// An address copied from the dashboard will do: its parameters are the view.
	raw := f.view
	if i := strings.IndexByte(raw, '?'); i >= 0 {
		raw = raw[i+1:]
	}
	q, err := url.ParseQuery(raw)
	if err != nil {
		return n, badQuery(lang)
	}
	q.Del("lang")
	v, err := parseView(q, s.cfg.Now(), i18n.Finnish)
	if err != nil {
		return n, err
	}
	if len(f.units) > 0 {
		// As the screen will see it: its units' paths set its scope.
		ref, err := s.adminReference(r)
		if err != nil {
			return n, err
		}
		screen := &auth.User{Role: auth.RoleDisplay, Units: f.units}
		for _, u := range ref.all {
			if slices.Contains(f.units, u.code) {
				screen.Paths = append(screen.Paths, u.path)
			}
		}
		if _, _, err := s.resolve(withUser(r.Context(), screen), v); err != nil {
			return n, err
		}
	}
	n.View = q.Encode()
	return n, nil
}

func (s *Server) handleScreenRevoke(w http.ResponseWriter, r *http.Request) {
	lang, _ := adminLang(r)
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.renderError(w, r, lang, http.StatusNotFound, "")
		return
	}
	name, err := s.cfg.Displays.Revoke(r.Context(), s.actor(r), id)
	if errors.Is(err, auth.ErrNoDisplay) {
		s.renderScreens(w, r, http.StatusNotFound, screenForm{}, func(a *components.Admin) { a.Error = lang.Explain(err) })
		return
	}
	if err != nil {
		s.fail(w, r, lang, err)
		return
	}
	s.renderScreens(w, r, http.StatusOK, screenForm{}, func(a *components.Admin) {
		a.Notice = fmt.Sprintf(lang.T("screens.revoked.note"), name)
	})
}
