package server

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/luukku-bi/luukku/internal/audit"
	"github.com/luukku-bi/luukku/internal/auth"
)

// fakeProvider is an OpenID Connect provider for the tests: discovery,
// keys, an authorize endpoint that signs in whoever claims says at once,
// and a token endpoint that checks PKCE and hands out signed ID tokens.
type fakeProvider struct {
	*httptest.Server
	key *rsa.PrivateKey

	mu     sync.Mutex
	claims map[string]any // of the next sign-in
	nonce  string         // overrides the sign-in's nonce when set
	codes  map[string]grant
}

type grant struct{ nonce, challenge string }

func newFakeProvider(t *testing.T) *fakeProvider {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	p := &fakeProvider{key: key, codes: map[string]grant{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(map[string]any{
			"issuer": p.URL, "authorization_endpoint": p.URL + "/authorize", "token_endpoint": p.URL + "/token",
			"jwks_uri": p.URL + "/jwks", "id_token_signing_alg_values_supported": []string{"RS256"},
		})
	})
	mux.HandleFunc("GET /jwks", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &key.PublicKey, KeyID: "k1", Algorithm: "RS256", Use: "sig"}}})
	})
	mux.HandleFunc("GET /authorize", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		code := rand.Text()
		p.mu.Lock()
		p.codes[code] = grant{nonce: q.Get("nonce"), challenge: q.Get("code_challenge")}
		p.mu.Unlock()
		back, _ := url.Parse(q.Get("redirect_uri"))
		back.RawQuery = url.Values{"code": {code}, "state": {q.Get("state")}}.Encode()
		http.Redirect(w, r, back.String(), http.StatusFound)
	})
	mux.HandleFunc("POST /token", func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		p.mu.Lock()
		g, ok := p.codes[r.PostForm.Get("code")]
		delete(p.codes, r.PostForm.Get("code")) // a code is good once
		claims, nonce := p.claims, p.nonce
		p.mu.Unlock()
		sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
		if !ok || base64.RawURLEncoding.EncodeToString(sum[:]) != g.challenge {
			w.WriteHeader(http.StatusBadRequest)
			json.NewEncoder(w).Encode(map[string]string{"error": "invalid_grant"})
			return
		}
		if nonce == "" {
			nonce = g.nonce
		}
		body := map[string]any{"iss": p.URL, "aud": "luukku", "sub": rand.Text(), "nonce": nonce,
			"iat": time.Now().Unix(), "exp": time.Now().Add(time.Hour).Unix()}
		for k, v := range claims {
			body[k] = v
		}
		payload, _ := json.Marshal(body)
		signer, _ := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: key},
			(&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", "k1"))
		jws, _ := signer.Sign(payload)
		idToken, _ := jws.CompactSerialize()
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"access_token": "a", "token_type": "Bearer", "expires_in": 3600, "id_token": idToken})
	})
	p.Server = httptest.NewServer(mux)
	t.Cleanup(p.Close)
	return p
}

func (p *fakeProvider) next(claims map[string]any, nonce string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.claims, p.nonce = claims, nonce
}

// signInSSO goes through the whole round trip as a browser would and
// returns the callback's answer.
func signInSSO(t *testing.T, srv http.Handler, next string) *httptest.ResponseRecorder {
	t.Helper()
	rec := newRecorder()
	srv.ServeHTTP(rec, httptestRequest("/login/oidc?next="+url.QueryEscape(next), nil))
	if rec.Code != http.StatusFound {
		t.Fatalf("GET /login/oidc = %d\n%s", rec.Code, rec.Body)
	}
	var flow *http.Cookie
	for _, c := range rec.Result().Cookies() {
		if c.Name == "luukku_sso" {
			flow = c
		}
	}
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noFollow.Get(rec.Header().Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	back, _ := url.Parse(resp.Header.Get("Location"))
	rec = newRecorder()
	srv.ServeHTTP(rec, httptestRequest(back.RequestURI(), flow))
	return rec
}

func sessionCookie(rec *httptest.ResponseRecorder) *http.Cookie {
	for _, c := range rec.Result().Cookies() {
		if c.Name == auth.CookieName && c.MaxAge >= 0 {
			return c
		}
	}
	return nil
}

// Single sign-on: the provider's groups and claims become a role and
// units at every sign-in; tokens with the wrong nonce, replayed codes and
// people no rule names are refused.
func TestSingleSignOn(t *testing.T) {
	srv, _ := readOnlyServer(t)
	idp := newFakeProvider(t)
	cfg := &auth.OIDCConfig{
		Issuer: idp.URL, ClientID: "luukku", ClientSecret: "s", RedirectURL: "http://luukku.test/login/oidc/callback",
		UsernameClaim: "preferred_username", NameClaim: "name", GroupsClaim: "groups",
		Rules: []auth.OIDCRule{
			{Group: "g-admin", Role: auth.RoleAdmin},
			{Claim: "roles", Value: "Luukku.Kirjasto", Role: auth.RoleViewer, Units: []string{"paakirjasto"}},
		},
	}
	srv.cfg.OIDC = &auth.OIDC{Config: cfg, Accounts: srv.cfg.Accounts}

	// The sign-in page offers it.
	rec := newRecorder()
	srv.ServeHTTP(rec, httptestRequest("/login?next=/d/themes", nil))
	if !strings.Contains(rec.Body.String(), `href="/login/oidc?next=%2Fd%2Fthemes"`) {
		t.Error("the sign-in page does not offer single sign-on")
	}

	idp.next(map[string]any{"preferred_username": "Liisa.Lukija@Esimerkkila.fi", "name": "Liisa Lukija",
		"roles": []string{"Luukku.Kirjasto"}, "groups": []string{"g-other"}}, "")
	rec = signInSSO(t, srv, "/d/themes")
	c := sessionCookie(rec)
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/d/themes" || c == nil {
		t.Fatalf("callback = %d to %q\n%s", rec.Code, rec.Header().Get("Location"), rec.Body)
	}
	u, err := srv.cfg.Accounts.Get(t.Context(), "liisa.lukija@esimerkkila.fi")
	if err != nil || u.Role != auth.RoleViewer || !slices.Equal(u.Units, []string{"paakirjasto"}) || u.DisplayName != "Liisa Lukija" {
		t.Fatalf("provisioned %+v, %v", u, err)
	}
	for target, want := range map[string]int{"/d/themes": 200, "/d/themes?unit=sivistys": 403, "/admin/users": 403} {
		rec := newRecorder()
		srv.ServeHTTP(rec, httptestRequest(target, c))
		if rec.Code != want {
			t.Errorf("GET %s after single sign-on = %d, want %d", target, rec.Code, want)
		}
	}
	// Joining the admin group at the provider makes her an admin at her
	// next sign-in.
	idp.next(map[string]any{"preferred_username": "liisa.lukija@esimerkkila.fi", "groups": []string{"g-admin"}}, "")
	if c := sessionCookie(signInSSO(t, srv, "/")); c == nil {
		t.Fatal("second sign-in failed")
	} else if rec := newRecorder(); true {
		srv.ServeHTTP(rec, httptestRequest("/admin/users", c))
		if rec.Code != http.StatusOK {
			t.Errorf("after joining g-admin: /admin/users = %d", rec.Code)
		}
	}
	events, _ := audit.List(t.Context(), srv.cfg.Pool, audit.Filter{Username: "liisa.lukija@esimerkkila.fi"}, 50)
	var logins, roleChanges int
	for _, e := range events {
		if e.Action == audit.Login && e.Detail == "sso" {
			logins++
		}
		if e.Action == audit.UserRole && e.Username == "sso" {
			roleChanges++
		}
	}
	if logins != 2 || roleChanges != 1 {
		t.Errorf("audit: %d single sign-ins, %d role changes by sso; want 2 and 1", logins, roleChanges)
	}

	// Refusals.
	idp.next(map[string]any{"preferred_username": "ulkopuolinen", "groups": []string{"g-other"}}, "")
	if rec := signInSSO(t, srv, "/"); rec.Code != http.StatusForbidden || sessionCookie(rec) != nil || !strings.Contains(rec.Body.String(), "käyttöoikeutta") {
		t.Errorf("nobody's rule: %d", rec.Code)
	}
	idp.next(map[string]any{"preferred_username": "liisa.lukija@esimerkkila.fi", "groups": []string{"g-admin"}}, "someone else's nonce")
	if rec := signInSSO(t, srv, "/"); rec.Code != http.StatusUnauthorized || sessionCookie(rec) != nil {
		t.Errorf("a token with another nonce: %d", rec.Code)
	}
	rec = newRecorder()
	srv.ServeHTTP(rec, httptestRequest("/login/oidc/callback?code=x&state=forged", nil))
	if rec.Code != http.StatusBadRequest || sessionCookie(rec) != nil {
		t.Errorf("a callback without the flow's cookie: %d", rec.Code)
	}
}

func TestOIDCRules(t *testing.T) {
	cfg := &auth.OIDCConfig{GroupsClaim: "groups", Rules: []auth.OIDCRule{
		{Group: "heads", Role: auth.RoleUnitHead, Units: []string{"a"}},
		{Group: "viewers", Role: auth.RoleViewer, Units: []string{"b", "a"}},
		{Claim: "roles", Value: "Exec", Role: auth.RoleExecutive},
	}}
	for _, c := range []struct {
		claims map[string]any
		role   auth.Role
		units  []string
		ok     bool
	}{
		{map[string]any{"groups": []any{"viewers"}}, auth.RoleViewer, []string{"a", "b"}, true},
		{map[string]any{"groups": []any{"viewers", "heads"}}, auth.RoleUnitHead, []string{"a", "b"}, true},
		{map[string]any{"groups": []any{"heads"}, "roles": "Exec"}, auth.RoleExecutive, []string{"a"}, true},
		{map[string]any{"groups": "heads"}, auth.RoleUnitHead, []string{"a"}, true},
		{map[string]any{"groups": []any{"others", 7}}, "", nil, false},
		{map[string]any{}, "", nil, false},
	} {
		role, units, ok := cfg.Map(c.claims)
		if role != c.role || !slices.Equal(units, c.units) || ok != c.ok {
			t.Errorf("%v: %s %v %v; want %s %v %v", c.claims, role, units, ok, c.role, c.units, c.ok)
		}
	}
}
