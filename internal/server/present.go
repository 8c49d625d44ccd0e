package server

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
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
	"github.com/luukku-bi/luukku/internal/auth"
	"github.com/luukku-bi/luukku/internal/i18n"
)

// screenCookie holds a screen's display token. It is sent only to the
// presenter's URLs: with it a screen reaches its deck and nothing else.
const (
	screenCookie = "luukku_screen"
	screenPath   = "/present"
	// A screen is set up once and left for years; the token, not the
	// cookie, decides when it ends.
	screenCookieAge = 400 * 24 * time.Hour
)

type displayKey struct{}

// displayOf returns the screen whose token let the request in, or nil for
// a signed-in person.
func displayOf(ctx context.Context) *auth.Display {
	d, _ := ctx.Value(displayKey{}).(*auth.Display)
	return d
}

func (s *Server) presentRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /screen/{token}", s.handleScreen)
	mux.Handle("GET /present/version", s.presenter(s.handlePresentVersion))
	mux.Handle("GET /present/d/{slug}", s.presenter(s.handlePresentDashboard))
	mux.Handle("GET /present/{playlist}", s.presenter(s.handlePresentPlaylist))
}

// presenter lets a screen in by its token and a person by her sign-in (an
// account with the display role may present and do nothing else); a
// browser with both (an admin who tried a screen's address) is the person.
// A revoked token gets the blank screen, never the sign-in page: nobody at
// a council-room screen is there to sign in.
func (s *Server) presenter(h http.HandlerFunc) http.Handler {
	person := s.signedIn(h, slices.Concat(readers, []auth.Role{auth.RoleDisplay})...)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie(screenCookie)
		if err != nil || hasCookie(r, auth.CookieName) || s.cfg.Displays == nil {
			person.ServeHTTP(w, r)
			return
		}
		d, err := s.cfg.Displays.Lookup(r.Context(), c.Value)
		if errors.Is(err, auth.ErrNoDisplay) {
			s.screenGone(w, r, langOf(r), http.StatusUnauthorized)
			return
		}
		if err != nil {
			s.presentFail(w, r, langOf(r), err)
			return
		}
		w.Header().Set("Cache-Control", "private, no-cache")
		ctx := context.WithValue(withUser(r.Context(), d.User()), displayKey{}, d)
		h(w, r.WithContext(ctx))
	})
}

func hasCookie(r *http.Request, name string) bool {
	_, err := r.Cookie(name)
	return err == nil
}

// handleScreen is the one URL a screen is set up with: it trades the
// token for a cookie and sends the screen to its deck, so that the token
// stays out of the address bar and of every later request line.
func (s *Server) handleScreen(w http.ResponseWriter, r *http.Request) {
	lang := langOf(r)
	if s.cfg.Displays == nil {
		s.screenGone(w, r, lang, http.StatusNotFound)
		return
	}
	token := r.PathValue("token")
	d, err := s.cfg.Displays.Lookup(r.Context(), token)
	if errors.Is(err, auth.ErrNoDisplay) {
		s.screenGone(w, r, lang, http.StatusNotFound)
		return
	}
	if err != nil {
		s.presentFail(w, r, lang, err)
		return
	}
	http.SetCookie(w, &http.Cookie{
		Name: screenCookie, Value: token, Path: screenPath,
		MaxAge: int(screenCookieAge.Seconds()), HttpOnly: true, Secure: s.secure(r), SameSite: http.SameSiteLaxMode,
	})
	ctx := withUser(r.Context(), d.User())
	s.record(r.WithContext(ctx), audit.DisplayOpen, d.Name, displayTarget(d))
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, displayTarget(d), http.StatusSeeOther)
}

// displayTarget is the deck a token opens.
func displayTarget(d *auth.Display) string {
	q := url.Values{}
	if d.Lang != "" && d.Lang != string(i18n.Finnish) {
		q.Set("lang", d.Lang)
	}
	if d.Playlist != "" {
		return withQuery(screenPath+"/"+d.Playlist, q)
	}
	view, _ := url.ParseQuery(d.View)
	for k, vs := range q {
		view[k] = vs
	}
	return withQuery(screenPath+"/d/"+d.Dashboard, view)
}

// screenGone blanks a screen whose token no longer opens it: the deck's
// poll gets JSON that says so, a page load the blank page.
func (s *Server) screenGone(w http.ResponseWriter, r *http.Request, lang i18n.Lang, status int) {
	w.Header().Set("Cache-Control", "no-store")
	if r.URL.Path == screenPath+"/version" {
		writeJSON(w, status, map[string]any{"gone": true})
		return
	}
	s.render(w, r, status, components.ScreenMessage(lang, s.assets(), lang.T("present.gone"), 0))
}

// screenRetry is how soon a screen that could not load its deck tries again.
const screenRetry = 15 * time.Second

// presentFail answers a deck that could not be built. A screen's poll
// takes it as the server being away and keeps what it shows; a screen
// that starts while the database is away gets a dark page that tries
// again by itself rather than an error page for the audience.
func (s *Server) presentFail(w http.ResponseWriter, r *http.Request, lang i18n.Lang, err error) {
	away := unavailable(err) || errors.Is(err, errNoData)
	switch {
	case r.Context().Err() != nil:
		s.fail(w, r, lang, err)
	case r.URL.Path == screenPath+"/version":
		s.log.WarnContext(r.Context(), "screen poll failed", "err", err)
		w.Header().Set("Retry-After", "10")
		writeJSON(w, http.StatusServiceUnavailable, map[string]any{"error": "unavailable"})
	case away:
		s.log.WarnContext(r.Context(), "screen waits for the database", "path", r.URL.Path, "err", err)
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Retry-After", strconv.Itoa(int(screenRetry.Seconds())))
		s.render(w, r, http.StatusServiceUnavailable, components.ScreenMessage(lang, s.assets(), lang.T("present.waiting"), int(screenRetry.Seconds())))
	default:
		s.fail(w, r, lang, err)
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// presentVersion is what a screen polls: the data version, to redraw when
// it changes, and the assets' build, to reload after an upgrade.
type presentVersion struct {
	Version string `json:"version"`
	Build   string `json:"build"`
}

func (s *Server) handlePresentVersion(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), s.cfg.QueryTimeout)
	defer cancel()
	version, err := s.dataVersion(ctx)
	if err != nil {
		s.presentFail(w, r, langOf(r), err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, presentVersion{Version: version, Build: s.cfg.Assets.Build()})
}

func (s *Server) handlePresentPlaylist(w http.ResponseWriter, r *http.Request) {
	lang := presentLang(r)
	defs := s.cfg.Definitions()
	slug := r.PathValue("playlist")
	pl, ok := defs.Playlist(slug)
	if !ok {
		s.renderError(w, r, lang, http.StatusNotFound, lang.Pick(
			"Soittolistaa ei ole: "+slug, "Spellistan finns inte: "+slug, "No such playlist: "+slug))
		return
	}
	if d := displayOf(r.Context()); d != nil && d.Playlist != slug {
		s.renderError(w, r, lang, http.StatusForbidden, "")
		return
	}
	s.present(w, r, lang, pl.Title.In(string(lang)), pl.Slides, "")
}

func (s *Server) handlePresentDashboard(w http.ResponseWriter, r *http.Request) {
	lang := presentLang(r)
	slug := r.PathValue("slug")
	d, ok := s.cfg.Definitions().Get(slug)
	if !ok {
		s.renderError(w, r, lang, http.StatusNotFound, lang.Pick(
			"Koontinäyttöä ei ole: "+slug, "Översiktsvyn finns inte: "+slug, "No such dashboard: "+slug))
		return
	}
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		s.fail(w, r, lang, badQuery(lang))
		return
	}
	q.Del("lang")
	if disp := displayOf(r.Context()); disp != nil && (disp.Dashboard != slug || !sameParams(disp.View, q)) {
		s.renderError(w, r, lang, http.StatusForbidden, "")
		return
	}
	exit := ""
	if displayOf(r.Context()) == nil {
		exit = withQuery(dashboardPath(slug), r.URL.Query())
	}
	slide := dashboards.Slide{Dashboard: slug, View: q.Encode(), Duration: dashboards.Duration(dashboards.DefaultDuration)}
	s.present(w, r, lang, d.Title.In(string(lang)), []dashboards.Slide{slide}, exit)
}

// presentLang is the screen's language: its token's, or the URL's.
func presentLang(r *http.Request) i18n.Lang {
	if d := displayOf(r.Context()); d != nil {
		l, _ := i18n.Parse(d.Lang)
		return l
	}
	return langOf(r)
}

// sameParams reports whether the URL parameters q select the view a token
// was made for, whatever their order.
func sameParams(tokenView string, q url.Values) bool {
	want, err := url.ParseQuery(tokenView)
	if err != nil || len(want) != len(q) {
		return false
	}
	for k, vs := range want {
		if !slices.Equal(slices.Sorted(slices.Values(vs)), slices.Sorted(slices.Values(q[k]))) {
			return false
		}
	}
	return true
}

func (s *Server) present(w http.ResponseWriter, r *http.Request, lang i18n.Lang, title string, slides []dashboards.Slide, exit string) {
	steps, version, err := s.deck(r.Context(), slides, lang)
	if err != nil {
		s.presentFail(w, r, lang, err)
		return
	}
	s.record(r, audit.View, r.URL.Path, r.URL.RawQuery)
	a := s.assets()
	s.render(w, r, http.StatusOK, components.Present(components.PresentPage{
		Lang: lang, Title: title, Assets: a, Steps: steps, Version: version, Build: s.cfg.Assets.Build(),
		Poll: s.cfg.PresentPoll, VersionURL: screenPath + "/version", ExitURL: exit,
	}))
}

// deck builds every screenful of the slides, each slide's panels queried
// at once. A slide that cannot be shown (a unit renamed since the playlist
// was written, a unit outside the screen's scope) is left out and logged:
// the audience sees the rest. When the database is away, or no slide can
// be shown, the deck fails as a whole.
func (s *Server) deck(ctx context.Context, slides []dashboards.Slide, lang i18n.Lang) ([]components.Step, string, error) {
	defs := s.cfg.Definitions()
	now := s.cfg.Now()
	defaults, _ := parseView(nil, now, i18n.Finnish)
	var steps []components.Step
	var version string
	var firstErr error
	for i, sl := range slides {
		d, ok := defs.Get(sl.Dashboard)
		if !ok {
			firstErr = cmp.Or(firstErr, fmt.Errorf("slide %d: dashboard %s is gone", i+1, sl.Dashboard))
			continue
		}
		q, _ := url.ParseQuery(sl.View) // checked when the playlist was loaded
		if lang != i18n.Finnish {
			q.Set("lang", string(lang))
		}
		v, err := parseView(q, now, i18n.Finnish)
		if err != nil {
			firstErr = cmp.Or(firstErr, fmt.Errorf("slide %d: %w", i+1, err))
			continue
		}
		screens := d.Screens(sl.Panels)
		var panels []*dashboards.Panel
		for _, sc := range screens {
			for _, row := range sc.Rows {
				panels = append(panels, row...)
			}
		}
		page, err := s.panelsPage(ctx, d, panels, v, defaults, dashboardPath(d.Slug))
		if err != nil {
			if unavailable(err) || ctx.Err() != nil {
				return nil, "", err
			}
			s.log.WarnContext(ctx, "slide left out", "slide", i+1, "dashboard", d.Slug, "view", sl.View, "err", err)
			firstErr = cmp.Or(firstErr, fmt.Errorf("slide %d (%s): %w", i+1, d.Slug, err))
			continue
		}
		if version == "" {
			version = page.DataVersion
		}
		built := map[string]components.Panel{}
		for j, p := range panels {
			built[p.ID] = page.Panels[j]
		}
		for j, sc := range screens {
			st := components.Step{
				ID:       fmt.Sprintf("s%d-%d", i+1, j+1),
				Title:    page.Title,
				Context:  stepContext(page),
				Duration: time.Duration(sl.Duration),
			}
			if len(screens) > 1 {
				st.Of = fmt.Sprintf("%d/%d", j+1, len(screens))
			}
			for _, row := range sc.Rows {
				var out []components.Panel
				for _, p := range row {
					cp := built[p.ID]
					// Ids are the page's: panels of two dashboards may share one.
					cp.ID = st.ID + "-" + p.ID
					cp.Drill, cp.More = nil, components.Link{}
					out = append(out, cp)
				}
				st.Rows = append(st.Rows, out)
			}
			steps = append(steps, st)
		}
	}
	if len(steps) == 0 {
		return nil, "", cmp.Or(firstErr, errors.New("the deck has no slides"))
	}
	return steps, version, nil
}

// stepContext says what a screenful shows: the unit's lineage, the period
// and the channels chosen.
func stepContext(p components.Page) string {
	var crumbs []string
	for _, c := range p.Breadcrumbs {
		crumbs = append(crumbs, c.Label)
	}
	parts := []string{p.Filters.PeriodLabel}
	if len(crumbs) > 0 {
		parts = append([]string{strings.Join(crumbs, " › ")}, parts...)
	}
	var channels []string
	for _, c := range p.Filters.Channels {
		if c.Selected {
			channels = append(channels, c.Label)
		}
	}
	if len(channels) > 0 {
		parts = append(parts, strings.Join(channels, ", "))
	}
	return strings.Join(parts, " · ")
}
