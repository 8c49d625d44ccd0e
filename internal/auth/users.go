// Package auth knows Luukku's accounts: users with roles and unit scopes,
// their passwords (argon2id), sessions, and the limits on guessing.
package auth

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/luukku-bi/luukku/internal/audit"
	"github.com/luukku-bi/luukku/internal/i18n"
)

// Role is what a user may do.
type Role string

const (
	// RoleAdmin sees every unit and manages users, imports and screens.
	RoleAdmin Role = "admin"
	// RoleExecutive sees every unit and changes nothing.
	RoleExecutive Role = "executive"
	// RoleUnitHead sees the units of her scope.
	RoleUnitHead Role = "unit_head"
	// RoleViewer sees the units of his scope.
	RoleViewer Role = "viewer"
	// RoleDisplay is a screen: read-only, scoped.
	RoleDisplay Role = "display"
)

// Roles lists every role, most powerful first.
var Roles = []Role{RoleAdmin, RoleExecutive, RoleUnitHead, RoleViewer, RoleDisplay}

// ParseRole returns the role named s.
func ParseRole(s string) (Role, error) {
	if r := Role(s); slices.Contains(Roles, r) {
		return r, nil
	}
	return "", invalid("auth.role", s)
}

// AllUnits reports whether the role sees the whole organisation whatever
// its scope says.
func (r Role) AllUnits() bool { return r == RoleAdmin || r == RoleExecutive }

// User is an account.
type User struct {
	ID          int64
	Username    string
	DisplayName string
	Role        Role
	Disabled    bool
	// Units are the codes of the subtrees a scoped role sees, and Paths
	// their organisation paths, in the same order.
	Units []string
	Paths []string
}

// Scope is the value for the luukku.scope setting that row-level security
// reads: "*" for every unit, else an ltree[] literal of the subtrees. A
// scoped user without units gets "{}", which lets nothing through.
func (u *User) Scope() string {
	if u.Role.AllUnits() {
		return "*"
	}
	return "{" + strings.Join(u.Paths, ",") + "}"
}

// Name is how the user is shown: the display name, else the username.
func (u *User) Name() string {
	if u.DisplayName != "" {
		return u.DisplayName
	}
	return u.Username
}

// ErrInvalid marks what an account cannot have: a malformed username, an
// unknown role, a password too short. The error's message says which.
var ErrInvalid error = &i18n.Error{Msg: i18n.Msg("auth.invalid")}

// refused is a refusal of kind (ErrInvalid, ErrExists, …) that says in
// every language what was refused: errors.Is matches the kind, Error() is
// the English text and i18n.MessageOf finds the message for a page.
func refused(kind error, key string, args ...any) error {
	return &i18n.Error{Msg: i18n.Msg(key, args...), Err: kind}
}

func invalid(key string, args ...any) error { return refused(ErrInvalid, key, args...) }

// SameUnits reports whether the user's scope is exactly the units codes
// name, in whatever order and with repeats.
func (u *User) SameUnits(codes []string) bool { return slices.Equal(uniq(u.Units), uniq(codes)) }

// ErrNoUser means no account has the name or id.
var ErrNoUser error = &i18n.Error{Msg: i18n.Msg("auth.nouser")}

var usernamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._@-]{0,99}$`)

// NormalizeUsername lower-cases name and checks it is a valid username:
// letters a–z, digits and . _ @ -, as in e-mail addresses.
func NormalizeUsername(name string) (string, error) {
	n := strings.ToLower(strings.TrimSpace(name))
	if !usernamePattern.MatchString(n) {
		return "", invalid("auth.username", name)
	}
	return n, nil
}

// Accounts reads and changes users. Every change is written to the audit
// log in the same transaction.
type Accounts struct {
	DB *pgxpool.Pool

	slotsOnce sync.Once
	slots     chan struct{} // password checks running; see verify
}

const userColumns = `u.id, u.username, u.display_name, u.role, u.disabled,
	coalesce(array_agg(o.code ORDER BY o.path) FILTER (WHERE o.id IS NOT NULL), '{}'),
	coalesce(array_agg(o.path::text ORDER BY o.path) FILTER (WHERE o.id IS NOT NULL), '{}')`

const userFrom = `FROM app_user u
	LEFT JOIN app_user_scope s ON s.user_id = u.id
	LEFT JOIN org_unit o ON o.id = s.unit_id`

func scanUser(row pgx.Row) (*User, error) {
	var u User
	var role string
	if err := row.Scan(&u.ID, &u.Username, &u.DisplayName, &role, &u.Disabled, &u.Units, &u.Paths); err != nil {
		return nil, err
	}
	u.Role = Role(role)
	return &u, nil
}

// List returns every user, by username.
func (a *Accounts) List(ctx context.Context) ([]*User, error) {
	rows, err := a.DB.Query(ctx, `SELECT `+userColumns+` `+userFrom+` GROUP BY u.id ORDER BY u.username`)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	users, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*User, error) { return scanUser(r) })
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	return users, nil
}

// Get returns the user named username.
func (a *Accounts) Get(ctx context.Context, username string) (*User, error) {
	u, err := scanUser(a.DB.QueryRow(ctx, `SELECT `+userColumns+` `+userFrom+` WHERE u.username = $1 GROUP BY u.id`, username))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, refused(ErrNoUser, "auth.nouser.name", username)
	}
	if err != nil {
		return nil, fmt.Errorf("get user %s: %w", username, err)
	}
	return u, nil
}

// Count returns how many accounts there are.
func (a *Accounts) Count(ctx context.Context) (int, error) {
	var n int
	if err := a.DB.QueryRow(ctx, `SELECT count(*) FROM app_user`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count users: %w", err)
	}
	return n, nil
}

// NewUser is what Add needs.
type NewUser struct {
	Username, DisplayName, Password string
	Role                            Role
	Units                           []string // unit codes, for scoped roles
}

// ErrExists means the username is taken.
var ErrExists error = &i18n.Error{Msg: i18n.Msg("auth.taken")}

// Add creates an account.
func (a *Accounts) Add(ctx context.Context, by audit.Actor, n NewUser) error {
	name, err := NormalizeUsername(n.Username)
	if err != nil {
		return err
	}
	if _, err := ParseRole(string(n.Role)); err != nil {
		return err
	}
	hash := ""
	if n.Password != "" {
		if err := checkPasswordRules(n.Password); err != nil {
			return err
		}
		if hash, err = HashPassword(n.Password); err != nil {
			return err
		}
	}
	return pgx.BeginFunc(ctx, a.DB, func(tx pgx.Tx) error {
		var id int64
		err := tx.QueryRow(ctx, `INSERT INTO app_user (username, display_name, password_hash, role)
			VALUES ($1, $2, $3, $4) RETURNING id`, name, strings.TrimSpace(n.DisplayName), hash, n.Role).Scan(&id)
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && pgErr.Code == "23505" {
			return refused(ErrExists, "auth.taken.name", name)
		}
		if err != nil {
			return fmt.Errorf("add user %s: %w", name, err)
		}
		if err := setScope(ctx, tx, id, n.Units); err != nil {
			return err
		}
		return audit.Record(ctx, tx, by, audit.UserAdd, name, fmt.Sprintf("role=%s units=%s", n.Role, strings.Join(n.Units, ",")))
	})
}

// MinPasswordLength is the shortest password accepted: length is what
// makes a password strong (NIST SP 800-63B).
const MinPasswordLength = 12

func checkPasswordRules(p string) error {
	if len([]rune(p)) < MinPasswordLength {
		return invalid("auth.password", MinPasswordLength)
	}
	return nil
}

// ErrUnknownUnit means a scope names a unit the organisation does not have.
var ErrUnknownUnit error = &i18n.Error{Msg: i18n.Msg("auth.nounit")}

func setScope(ctx context.Context, tx pgx.Tx, userID int64, units []string) error {
	ids, err := unitIDs(ctx, tx, units)
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `DELETE FROM app_user_scope WHERE user_id = $1`, userID); err != nil {
		return fmt.Errorf("set scope: %w", err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO app_user_scope (user_id, unit_id) SELECT $1, unnest($2::integer[])`, userID, ids); err != nil {
		return fmt.Errorf("set scope: %w", err)
	}
	return nil
}

// unitIDs returns the ids of the units with codes, each once, or
// ErrUnknownUnit naming the codes the organisation does not have.
func unitIDs(ctx context.Context, tx pgx.Tx, codes []string) ([]int32, error) {
	rows, _ := tx.Query(ctx, `SELECT c, o.id FROM unnest($1::text[]) c LEFT JOIN org_unit o ON o.code = c`, uniq(codes))
	var ids []int32
	var unknown []string
	var code string
	var id *int32
	_, err := pgx.ForEachRow(rows, []any{&code, &id}, func() error {
		if id == nil {
			unknown = append(unknown, code)
		} else {
			ids = append(ids, *id)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(unknown) == 1 {
		return nil, refused(ErrUnknownUnit, "auth.nounit.one", unknown[0])
	}
	if len(unknown) > 1 {
		return nil, refused(ErrUnknownUnit, "auth.nounit.many", strings.Join(unknown, ", "))
	}
	return ids, nil
}

func uniq(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return slices.Compact(s)
}

// change runs fn on the user named username in a transaction that also
// records the change.
func (a *Accounts) change(ctx context.Context, by audit.Actor, username, action, detail string, fn func(tx pgx.Tx, id int64) error) error {
	return pgx.BeginFunc(ctx, a.DB, func(tx pgx.Tx) error {
		var id int64
		err := tx.QueryRow(ctx, `SELECT id FROM app_user WHERE username = $1 FOR UPDATE`, username).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			return refused(ErrNoUser, "auth.nouser.name", username)
		}
		if err != nil {
			return fmt.Errorf("%s %s: %w", action, username, err)
		}
		if err := fn(tx, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, by, action, username, detail)
	})
}

// SetRole changes a user's role. It takes effect at the user's next
// request: sessions read the role from the database every time.
func (a *Accounts) SetRole(ctx context.Context, by audit.Actor, username string, role Role) error {
	if _, err := ParseRole(string(role)); err != nil {
		return err
	}
	return a.change(ctx, by, username, audit.UserRole, "role="+string(role), func(tx pgx.Tx, id int64) error {
		_, err := tx.Exec(ctx, `UPDATE app_user SET role = $2 WHERE id = $1`, id, role)
		return err
	})
}

// SetScope replaces the subtrees a user sees with those of units.
func (a *Accounts) SetScope(ctx context.Context, by audit.Actor, username string, units []string) error {
	return a.change(ctx, by, username, audit.UserScope, "units="+strings.Join(units, ","), func(tx pgx.Tx, id int64) error {
		return setScope(ctx, tx, id, units)
	})
}

// SetDisabled disables (or enables again) an account. Disabling ends its
// sessions.
func (a *Accounts) SetDisabled(ctx context.Context, by audit.Actor, username string, disabled bool) error {
	action := audit.UserEnable
	if disabled {
		action = audit.UserDisable
	}
	return a.change(ctx, by, username, action, "", func(tx pgx.Tx, id int64) error {
		_, err := tx.Exec(ctx, `UPDATE app_user SET disabled = $2 WHERE id = $1`, id, disabled)
		if err == nil && disabled {
			_, err = tx.Exec(ctx, `DELETE FROM app_session WHERE user_id = $1`, id)
		}
		return err
	})
}

// SetPassword gives a user a new password and ends every session of the
// account, wherever it was signed in.
func (a *Accounts) SetPassword(ctx context.Context, by audit.Actor, username, password string) error {
	if err := checkPasswordRules(password); err != nil {
		return err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	return a.change(ctx, by, username, audit.UserPassword, "", func(tx pgx.Tx, id int64) error {
		if _, err := tx.Exec(ctx, `UPDATE app_user SET password_hash = $2 WHERE id = $1`, id, hash); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `DELETE FROM app_session WHERE user_id = $1`, id)
		return err
	})
}

// dummyHash is checked when the username is unknown, so that an unknown
// user takes as long to refuse as a wrong password.
var dummyHash, _ = HashPassword("no user has this password")

// ErrBadCredentials is the one answer to an unknown username, a wrong
// password and a disabled account alike.
var ErrBadCredentials = errors.New("wrong username or password")

// verify is checkPassword, with at most as many checks at once as there
// are CPUs: each holds its hash's memory (19 MiB) while it runs, and twenty
// people signing in at the start of a meeting would otherwise hold twenty
// times that. The others wait their turn, or until ctx ends.
func (a *Accounts) verify(ctx context.Context, hash, password string) (bool, error) {
	a.slotsOnce.Do(func() { a.slots = make(chan struct{}, runtime.GOMAXPROCS(0)) })
	select {
	case a.slots <- struct{}{}:
	case <-ctx.Done():
		return false, fmt.Errorf("wait to check the password: %w", ctx.Err())
	}
	defer func() { <-a.slots }()
	return checkPassword(hash, password)
}

// Authenticate checks a username and password.
func (a *Accounts) Authenticate(ctx context.Context, username, password string) (*User, error) {
	name, err := NormalizeUsername(username)
	if err != nil {
		a.verify(ctx, dummyHash, password)
		return nil, ErrBadCredentials
	}
	var hash string
	err = a.DB.QueryRow(ctx, `SELECT password_hash FROM app_user WHERE username = $1`, name).Scan(&hash)
	if errors.Is(err, pgx.ErrNoRows) {
		a.verify(ctx, dummyHash, password)
		return nil, ErrBadCredentials
	}
	if err != nil {
		return nil, fmt.Errorf("authenticate: %w", err)
	}
	ok, err := a.verify(ctx, hash, password)
	if err != nil {
		return nil, fmt.Errorf("authenticate %s: %w", name, err)
	}
	if !ok {
		return nil, ErrBadCredentials
	}
	u, err := a.Get(ctx, name)
	if err != nil {
		return nil, err
	}
	if u.Disabled {
		return nil, ErrBadCredentials
	}
	return u, nil
}

// EnsureAdmin creates the first admin when there are no accounts at all.
// The password is password if given, else a new random one; it is
// returned so that it can be shown once. created is false when accounts
// already existed.
func (a *Accounts) EnsureAdmin(ctx context.Context, username, password string) (created bool, pw string, err error) {
	n, err := a.Count(ctx)
	if err != nil || n > 0 {
		return false, "", err
	}
	if password == "" {
		password = NewPassword()
	}
	err = a.Add(ctx, audit.Actor{Username: "luukku"}, NewUser{Username: username, Password: password, Role: RoleAdmin, DisplayName: "Pääkäyttäjä"})
	if errors.Is(err, ErrExists) { // another instance made it at the same moment
		return false, "", nil
	}
	return err == nil, password, err
}

// Provision makes or updates the account of a user whom single sign-on
// vouched for, with the role and units its rules give; changes are
// audited as made by "sso". A disabled account stays disabled.
func (a *Accounts) Provision(ctx context.Context, username, displayName string, role Role, units []string) (*User, error) {
	name, err := NormalizeUsername(username)
	if err != nil {
		return nil, err
	}
	by := audit.Actor{Username: "sso"}
	u, err := a.Get(ctx, name)
	switch {
	case errors.Is(err, ErrNoUser):
		err = a.Add(ctx, by, NewUser{Username: name, DisplayName: displayName, Role: role, Units: units})
	case err != nil:
		return nil, err
	default:
		if u.Role != role {
			err = a.SetRole(ctx, by, name, role)
		}
		if err == nil && !u.SameUnits(units) {
			err = a.SetScope(ctx, by, name, units)
		}
		if err == nil && displayName != "" && u.DisplayName != displayName {
			_, err = a.DB.Exec(ctx, `UPDATE app_user SET display_name = $2 WHERE username = $1`, name, displayName)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("provision %s: %w", name, err)
	}
	if u, err = a.Get(ctx, name); err != nil {
		return nil, err
	}
	if u.Disabled {
		return nil, ErrBadCredentials
	}
	return u, nil
}
