package server

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/luukku-bi/luukku/components"
	"github.com/luukku-bi/luukku/internal/audit"
	"github.com/luukku-bi/luukku/internal/auth"
	"github.com/luukku-bi/luukku/internal/i18n"
)

type userKey struct{}

// userOf returns the signed-in user the middleware put in ctx. Without
// one, every query sees nothing (the scope is empty), so a handler that
// forgets to require a sign-in fails closed.
func userOf(ctx context.Context) *auth.User {
	u, _ := ctx.Value(userKey{}).(*auth.User)
	return u
}

func withUser(ctx context.Context, u *auth.User) context.Context {
	ctx = context.WithValue(ctx, userKey{}, u)
	return components.WithAccount(ctx, components.Account{Name: u.Name(), Admin: u.Role == auth.RoleAdmin})
}

// signedIn lets only signed-in users with one of roles (any role when none
// are given) through to h. Others are sent to the sign-in page, or, when
// signed in with a role that may not, refused.
func (s *Server) signedIn(h http.HandlerFunc, roles ...auth.Role) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, err := s.cfg.Sessions.User(r.Context(), w, r)
		if errors.Is(err, auth.ErrNoSession) {
			if r.Method != http.MethodGet {
				s.renderError(w, r, langOf(r), http.StatusUnauthorized, "")
				return
			}
			http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		if err != nil {
			s.fail(w, r, langOf(r), err)
			return
		}
		if len(roles) > 0 && !slices.Contains(roles, u.Role) {
			s.renderError(w, r, langOf(r), http.StatusForbidden, "")
			return
		}
		w.Header().Set("Cache-Control", "private, no-cache")
		h(w, r.WithContext(withUser(r.Context(), u)))
	})
}

// readers are the roles that read dashboards with a login: the display
// role reads through its screen's token.
var readers = []auth.Role{auth.RoleAdmin, auth.RoleExecutive, auth.RoleUnitHead, auth.RoleViewer}

// clientAddress is the address the request came from: the connection's
// peer, or, behind a proxy the configuration trusts, the address that
// proxy appended last to X-Forwarded-For.
func (s *Server) clientAddress(r *http.Request) string {
	if s.cfg.TrustProxy {
		if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
			parts := strings.Split(xff, ",")
			if a := strings.TrimSpace(parts[len(parts)-1]); net.ParseIP(a) != nil {
				return a
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// secure reports whether the request reached us over TLS, directly or
// through a trusted proxy that says so.
func (s *Server) secure(r *http.Request) bool {
	return r.TLS != nil || (s.cfg.TrustProxy && strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https"))
}

func (s *Server) actor(r *http.Request) audit.Actor {
	a := audit.Actor{Address: s.clientAddress(r)}
	if u := userOf(r.Context()); u != nil {
		a.UserID, a.Username = u.ID, u.Username
	}
	return a
}

// record writes an audit event. A failure is logged, not shown: the log
// is the database's, and when it cannot be written the page could not
// have been read either. Reads (views, exports) do not wait for the disk.
func (s *Server) record(r *http.Request, action, target, detail string) {
	write := audit.Record
	if action == audit.View || action == audit.Export {
		write = audit.RecordRead
	}
	if err := write(r.Context(), s.cfg.Pool, s.actor(r), action, target, detail); err != nil {
		s.log.ErrorContext(r.Context(), "audit", "err", err)
	}
}

// safeNext returns next if it is a path on this site, else "/": the
// sign-in page must not send anyone elsewhere.
func safeNext(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") ||
		strings.HasPrefix(next, "/\\") || strings.ContainsAny(next, "\\\r\n\t") {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return "/"
	}
	return next
}

func (s *Server) loginPage(r *http.Request, lang i18n.Lang, username, message string) components.LoginPage {
	next := safeNext(r.FormValue("next"))
	p := components.LoginPage{Lang: lang, Assets: s.assets(), Next: next, Username: username, Message: message}
	if s.cfg.OIDC != nil {
		p.SSOURL = "/login/oidc?next=" + url.QueryEscape(next)
	}
	for _, l := range i18n.Langs {
		q := url.Values{"lang": {string(l)}}
		if next != "/" {
			q.Set("next", next)
		}
		p.Languages = append(p.Languages, components.Link{Label: l.Name(), URL: "/login?" + q.Encode(), Current: l == lang, Lang: string(l)})
	}
	return p
}

func (s *Server) handleLoginForm(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusOK, components.Login(s.loginPage(r, langOf(r), "", "")))
}

// handleLogin checks the form's username and password. Unknown users,
// wrong passwords and disabled accounts get one and the same answer.
func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) {
	lang := langOf(r)
	if l, ok := i18n.Parse(r.PostFormValue("lang")); ok {
		lang = l
	}
	w.Header().Set("Cache-Control", "no-store")
	username := strings.ToLower(strings.TrimSpace(r.PostFormValue("username")))
	if len(username) > 200 {
		username = username[:200]
	}
	password := r.PostFormValue("password")
	addr := s.clientAddress(r)
	refuse := func(status int, message string) {
		s.render(w, r, status, components.Login(s.loginPage(r, lang, username, message)))
	}
	if wait := max(s.byAccount.Wait(username), s.byAddress.Wait(addr)); wait > 0 {
		minutes := int(wait.Minutes()) + 1
		refuse(http.StatusTooManyRequests, fmt.Sprintf(lang.T("login.wait"), minutes))
		return
	}
	u, err := s.cfg.Accounts.Authenticate(r.Context(), username, password)
	if errors.Is(err, auth.ErrBadCredentials) {
		s.byAccount.Fail(username)
		s.byAddress.Fail(addr)
		s.recordAs(r, audit.Actor{Username: username, Address: addr}, audit.LoginFailed)
		refuse(http.StatusUnauthorized, lang.T("login.failed"))
		return
	}
	if err != nil {
		s.fail(w, r, lang, err)
		return
	}
	s.byAccount.Reset(username)
	if err := s.cfg.Sessions.Begin(r.Context(), w, r, u, addr); err != nil {
		s.fail(w, r, lang, err)
		return
	}
	s.recordAs(r, audit.Actor{UserID: u.ID, Username: u.Username, Address: addr}, audit.Login)
	http.Redirect(w, r, safeNext(r.PostFormValue("next")), http.StatusSeeOther)
}

func (s *Server) recordAs(r *http.Request, a audit.Actor, action string) {
	if err := audit.Record(r.Context(), s.cfg.Pool, a, action, "", ""); err != nil {
		s.log.ErrorContext(r.Context(), "audit", "err", err)
	}
}

func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) {
	if u, err := s.cfg.Sessions.User(r.Context(), w, r); err == nil {
		s.recordAs(r, audit.Actor{UserID: u.ID, Username: u.Username, Address: s.clientAddress(r)}, audit.Logout)
	}
	if err := s.cfg.Sessions.End(r.Context(), w, r); err != nil {
		s.fail(w, r, langOf(r), err)
		return
	}
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// Sign-in limits: an account may fail five times and an address twenty
// times in a quarter of an hour.
const (
	accountFailures = 5
	addressFailures = 20
	failureWindow   = 15 * time.Minute
)

// handleSSO sends the browser to the single sign-on provider.
func (s *Server) handleSSO(w http.ResponseWriter, r *http.Request) {
	lang := langOf(r)
	if s.cfg.OIDC == nil {
		s.renderError(w, r, lang, http.StatusNotFound, "")
		return
	}
	f := auth.NewFlow(safeNext(r.URL.Query().Get("next")))
	target, err := s.cfg.OIDC.AuthURL(r.Context(), f)
	if err != nil {
		s.log.ErrorContext(r.Context(), "single sign-on", "err", err)
		s.renderError(w, r, lang, http.StatusServiceUnavailable, lang.T("login.sso.unavailable"))
		return
	}
	if err := s.cfg.Sessions.SaveFlow(w, r, f); err != nil {
		s.fail(w, r, lang, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, target, http.StatusFound)
}

// handleSSOCallback is where the provider sends the browser back.
func (s *Server) handleSSOCallback(w http.ResponseWriter, r *http.Request) {
	lang := langOf(r)
	w.Header().Set("Cache-Control", "no-store")
	if s.cfg.OIDC == nil {
		s.renderError(w, r, lang, http.StatusNotFound, "")
		return
	}
	q := r.URL.Query()
	addr := s.clientAddress(r)
	f, ok := s.cfg.Sessions.TakeFlow(w, r)
	refuse := func(status int, reason string) {
		s.recordAs(r, audit.Actor{Address: addr}, audit.LoginFailed)
		s.render(w, r, status, components.Login(s.loginPage(r, lang, "", reason)))
	}
	switch {
	case q.Get("error") != "":
		s.log.InfoContext(r.Context(), "single sign-on refused by the provider", "error", q.Get("error"), "description", q.Get("error_description"))
		refuse(http.StatusUnauthorized, lang.T("login.sso.failed"))
		return
	case !ok || q.Get("state") != f.State || q.Get("code") == "":
		refuse(http.StatusBadRequest, lang.T("login.sso.expired"))
		return
	}
	u, err := s.cfg.OIDC.Finish(r.Context(), f, q.Get("code"))
	if errors.Is(err, auth.ErrNoRole) || errors.Is(err, auth.ErrBadCredentials) {
		s.log.InfoContext(r.Context(), "single sign-on: no access", "err", err)
		refuse(http.StatusForbidden, lang.T("login.sso.norole"))
		return
	}
	if err != nil {
		s.log.WarnContext(r.Context(), "single sign-on failed", "err", err)
		refuse(http.StatusUnauthorized, lang.T("login.sso.failed"))
		return
	}
	if err := s.cfg.Sessions.Begin(r.Context(), w, r, u, addr); err != nil {
		s.fail(w, r, lang, err)
		return
	}
	if err := audit.Record(r.Context(), s.cfg.Pool, audit.Actor{UserID: u.ID, Username: u.Username, Address: addr}, audit.Login, "", "sso"); err != nil {
		s.log.ErrorContext(r.Context(), "audit", "err", err)
	}
	http.Redirect(w, r, safeNext(f.Next), http.StatusSeeOther)
}
