package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/gorilla/sessions"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// CookieName is the session cookie's name.
const CookieName = "luukku_session"

// Sessions keeps who is signed in. The cookie (signed and encrypted by
// gorilla/sessions) holds only a random token; the session itself is a
// row in the database, so that signing out, a password reset or disabling
// the account ends it for certain, and role and scope changes take effect
// at the next request.
type Sessions struct {
	DB *pgxpool.Pool
	// Idle ends a session unused for this long; Absolute ends any session
	// this long after sign-in.
	Idle, Absolute time.Duration
	// Secure reports whether the request came over TLS, directly or
	// through a proxy the configuration trusts; cookies are then Secure.
	Secure func(*http.Request) bool
	Now    func() time.Time

	store   *sessions.CookieStore
	primary *sessions.CookieStore // the newest key alone: tells old cookies apart
}

// touchEvery is how stale last_seen_at may get before a request updates
// it: often enough for idle timeouts, rarely enough not to write on every
// page.
const touchEvery = time.Minute

// NewSessions returns sessions whose cookies are keyed by secrets, the
// newest first. Older secrets are still accepted for reading, and a cookie
// made with one is made again with the newest, so that keys can rotate
// without signing anyone out.
func NewSessions(db *pgxpool.Pool, secrets [][]byte, idle, absolute time.Duration) (*Sessions, error) {
	if len(secrets) == 0 {
		return nil, errors.New("sessions: no key")
	}
	var pairs [][]byte
	for _, s := range secrets {
		if len(s) < 32 {
			return nil, errors.New("sessions: a key must have at least 32 bytes")
		}
		pairs = append(pairs, derive(s, "hash"), derive(s, "block"))
	}
	sess := &Sessions{
		DB: db, Idle: idle, Absolute: absolute, Now: time.Now,
		Secure:  func(r *http.Request) bool { return r.TLS != nil },
		store:   sessions.NewCookieStore(pairs...),
		primary: sessions.NewCookieStore(pairs[:2]...),
	}
	for _, st := range []*sessions.CookieStore{sess.store, sess.primary} {
		st.MaxAge(int(absolute.Seconds()))
	}
	return sess, nil
}

// derive makes the HMAC and AES keys of one secret, so that a single
// configured value is enough.
func derive(secret []byte, purpose string) []byte {
	h := sha256.New()
	h.Write([]byte("luukku session " + purpose + "\x00"))
	h.Write(secret)
	return h.Sum(nil)
}

// ErrNoSession means the request carries no valid session.
var ErrNoSession = errors.New("not signed in")

func hashToken(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}

func (s *Sessions) options(r *http.Request, maxAge int) *sessions.Options {
	return &sessions.Options{
		Path: "/", MaxAge: maxAge, HttpOnly: true, Secure: s.Secure(r), SameSite: http.SameSiteLaxMode,
	}
}

// Begin signs u in: it stores a new session and sets its cookie. Any
// session the request already carried is ended first, so that a token
// planted before sign-in is never promoted.
func (s *Sessions) Begin(ctx context.Context, w http.ResponseWriter, r *http.Request, u *User, address string) error {
	s.end(ctx, r)
	token := randomToken()
	now := s.Now()
	if _, err := s.DB.Exec(ctx, `INSERT INTO app_session (token_hash, user_id, created_at, last_seen_at, address)
		VALUES ($1, $2, $3, $3, $4)`, hashToken(token), u.ID, now, address); err != nil {
		return fmt.Errorf("begin session: %w", err)
	}
	return s.write(w, r, token)
}

func (s *Sessions) write(w http.ResponseWriter, r *http.Request, token string) error {
	c := sessions.NewSession(s.store, CookieName)
	c.Values["t"] = token
	c.Options = s.options(r, int(s.Absolute.Seconds()))
	if err := s.store.Save(r, w, c); err != nil {
		return fmt.Errorf("write session cookie: %w", err)
	}
	return nil
}

// token returns the session token of the request's cookie and whether the
// newest key made it.
func (s *Sessions) token(r *http.Request) (token string, current bool) {
	c, err := s.store.New(r, CookieName)
	if err != nil || c.IsNew {
		return "", false
	}
	token, _ = c.Values["t"].(string)
	p, err := s.primary.New(r, CookieName)
	return token, err == nil && !p.IsNew
}

// User returns the signed-in user of the request. Expired sessions are
// removed. The cookie is written again when its key is an old one.
func (s *Sessions) User(ctx context.Context, w http.ResponseWriter, r *http.Request) (*User, error) {
	token, current := s.token(r)
	if token == "" {
		return nil, ErrNoSession
	}
	var created, seen time.Time
	var u User
	var role string
	err := s.DB.QueryRow(ctx, `SELECT s.created_at, s.last_seen_at, `+userColumns+`
		FROM app_session s JOIN app_user u ON u.id = s.user_id
		LEFT JOIN app_user_scope us ON us.user_id = u.id
		LEFT JOIN org_unit o ON o.id = us.unit_id
		WHERE s.token_hash = $1 AND NOT u.disabled
		GROUP BY s.token_hash, u.id`, hashToken(token)).
		Scan(&created, &seen, &u.ID, &u.Username, &u.DisplayName, &role, &u.Disabled, &u.Units, &u.Paths)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, ErrNoSession
	}
	if err != nil {
		return nil, fmt.Errorf("read session: %w", err)
	}
	u.Role = Role(role)
	now := s.Now()
	if now.Sub(seen) > s.Idle || now.Sub(created) > s.Absolute {
		s.end(ctx, r)
		return nil, ErrNoSession
	}
	if now.Sub(seen) > touchEvery {
		if _, err := s.DB.Exec(ctx, `UPDATE app_session SET last_seen_at = $2 WHERE token_hash = $1`, hashToken(token), now); err != nil {
			return nil, fmt.Errorf("touch session: %w", err)
		}
	}
	if !current {
		if err := s.write(w, r, token); err != nil {
			return nil, err
		}
	}
	return &u, nil
}

// End signs the request's session out: the row goes and the cookie is
// cleared.
func (s *Sessions) End(ctx context.Context, w http.ResponseWriter, r *http.Request) error {
	if err := s.end(ctx, r); err != nil {
		return err
	}
	c := sessions.NewSession(s.store, CookieName)
	c.Options = s.options(r, -1)
	return s.store.Save(r, w, c)
}

func (s *Sessions) end(ctx context.Context, r *http.Request) error {
	token, _ := s.token(r)
	if token == "" {
		return nil
	}
	if _, err := s.DB.Exec(ctx, `DELETE FROM app_session WHERE token_hash = $1`, hashToken(token)); err != nil {
		return fmt.Errorf("end session: %w", err)
	}
	return nil
}

// Secret returns the session key kept in the database, made on first use,
// for installations whose configuration gives none.
func Secret(ctx context.Context, db *pgxpool.Pool) ([]byte, error) {
	fresh := make([]byte, 32)
	rand.Read(fresh)
	var secret []byte
	err := db.QueryRow(ctx, `WITH made AS (
			INSERT INTO session_secret (secret) VALUES ($1) ON CONFLICT DO NOTHING RETURNING secret)
		SELECT secret FROM made UNION ALL SELECT secret FROM session_secret LIMIT 1`, fresh).Scan(&secret)
	if err != nil {
		return nil, fmt.Errorf("session key: %w", err)
	}
	return secret, nil
}

// ParseSecrets reads configured session keys: base64 values separated by
// commas or spaces, newest first.
func ParseSecrets(s string) ([][]byte, error) {
	var out [][]byte
	for _, f := range splitList(s) {
		b, err := base64.StdEncoding.DecodeString(f)
		if err != nil {
			if b, err = base64.RawURLEncoding.DecodeString(f); err != nil {
				return nil, fmt.Errorf("session key %d is not base64", len(out)+1)
			}
		}
		if len(b) < 32 {
			return nil, fmt.Errorf("session key %d has %d bytes: use at least 32 (openssl rand -base64 32)", len(out)+1, len(b))
		}
		out = append(out, b)
	}
	return out, nil
}

// Prune removes the sessions that have timed out, which nobody will
// present again to have them removed one by one.
func (s *Sessions) Prune(ctx context.Context) (int64, error) {
	now := s.Now()
	tag, err := s.DB.Exec(ctx, `DELETE FROM app_session WHERE last_seen_at < $1 OR created_at < $2`,
		now.Add(-s.Idle), now.Add(-s.Absolute))
	if err != nil {
		return 0, fmt.Errorf("prune sessions: %w", err)
	}
	return tag.RowsAffected(), nil
}

func randomToken() string { return rand.Text() }

// flowCookie keeps a single sign-on flow for the ten minutes a user may
// take at the provider.
const flowCookie = "luukku_sso"

// SaveFlow keeps f in a signed, encrypted cookie until the provider sends
// the user back.
func (s *Sessions) SaveFlow(w http.ResponseWriter, r *http.Request, f Flow) error {
	c := sessions.NewSession(s.store, flowCookie)
	c.Values["state"], c.Values["nonce"], c.Values["verifier"], c.Values["next"] = f.State, f.Nonce, f.Verifier, f.Next
	c.Options = s.options(r, 600)
	return s.store.Save(r, w, c)
}

// TakeFlow returns the flow the request's cookie keeps, and clears it: a
// flow is good for one return only.
func (s *Sessions) TakeFlow(w http.ResponseWriter, r *http.Request) (Flow, bool) {
	c, err := s.store.New(r, flowCookie)
	if err != nil || c.IsNew {
		return Flow{}, false
	}
	var f Flow
	f.State, _ = c.Values["state"].(string)
	f.Nonce, _ = c.Values["nonce"].(string)
	f.Verifier, _ = c.Values["verifier"].(string)
	f.Next, _ = c.Values["next"].(string)
	clear := sessions.NewSession(s.store, flowCookie)
	clear.Options = s.options(r, -1)
	s.store.Save(r, w, clear)
	return f, f.State != ""
}
