package auth

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/luukku-bi/luukku/internal/audit"
	"github.com/luukku-bi/luukku/internal/i18n"
)

// Display is a screen's token: a name, what the screen shows (a playlist,
// or a dashboard with its view) and the units it may show.
type Display struct {
	ID        int64
	Name      string
	Playlist  string
	Dashboard string
	View      string // the dashboard's URL parameters
	Lang      string
	Units     []string
	Paths     []string
	CreatedBy string
	CreatedAt time.Time
	LastUsed  *time.Time
	Revoked   *time.Time
}

// User is who the screen is to the rest of the server: a read-only
// display limited to the token's units.
func (d *Display) User() *User {
	return &User{Username: "näyttö:" + d.Name, DisplayName: d.Name, Role: RoleDisplay, Units: d.Units, Paths: d.Paths}
}

// NewDisplay is what an admin gives for a new token.
type NewDisplay struct {
	Name      string
	Playlist  string
	Dashboard string
	View      string
	Lang      string
	Units     []string
}

// ErrNoDisplay means the token is unknown or revoked.
var ErrNoDisplay error = &i18n.Error{Msg: i18n.Msg("auth.nodisplay")}

// Displays keeps the display tokens. Every change is audited in the same
// transaction.
type Displays struct {
	DB *pgxpool.Pool
}

// Add makes a token and returns it; it is shown once and kept only hashed.
func (ds *Displays) Add(ctx context.Context, by audit.Actor, n NewDisplay) (token string, err error) {
	n.Name = strings.TrimSpace(n.Name)
	switch {
	case n.Name == "" || utf8.RuneCountInString(n.Name) > 100:
		return "", invalid("auth.screen.name")
	case (n.Playlist == "") == (n.Dashboard == ""):
		return "", invalid("auth.screen.target")
	case len(n.Units) == 0:
		return "", invalid("auth.screen.units")
	}
	if n.Lang == "" {
		n.Lang = "fi"
	}
	token = "screen_" + randomToken() // recognisable in a pasted URL or a leaked log
	err = pgx.BeginFunc(ctx, ds.DB, func(tx pgx.Tx) error {
		ids, err := unitIDs(ctx, tx, n.Units)
		if err != nil {
			return err
		}
		var live bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT FROM display_token WHERE name = $1 AND revoked_at IS NULL)`, n.Name).Scan(&live); err != nil {
			return err
		}
		if live {
			return invalid("auth.screen.taken", n.Name)
		}
		var id int64
		if err := tx.QueryRow(ctx, `INSERT INTO display_token (name, token_hash, playlist, dashboard, view, lang, created_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
			n.Name, hashToken(token), n.Playlist, n.Dashboard, n.View, n.Lang, by.Username).Scan(&id); err != nil {
			var pgErr *pgconn.PgError
			if errors.As(err, &pgErr) && pgErr.ConstraintName == "display_token_live_name" { // made at the same moment
				return invalid("auth.screen.taken", n.Name)
			}
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO display_token_scope (token_id, unit_id) SELECT $1, unnest($2::integer[])`, id, ids); err != nil {
			return err
		}
		return audit.Record(ctx, tx, by, audit.DisplayAdd, n.Name, fmt.Sprintf("playlist=%s dashboard=%s view=%s units=%s",
			n.Playlist, n.Dashboard, n.View, strings.Join(n.Units, ",")))
	})
	if err != nil {
		return "", fmt.Errorf("add display %s: %w", n.Name, err)
	}
	return token, nil
}

const displayColumns = `d.id, d.name, d.playlist, d.dashboard, d.view, d.lang,
	coalesce(array_agg(o.code ORDER BY o.path) FILTER (WHERE o.id IS NOT NULL), '{}'),
	coalesce(array_agg(o.path::text ORDER BY o.path) FILTER (WHERE o.id IS NOT NULL), '{}'),
	d.created_by, d.created_at, d.last_used_at, d.revoked_at
	FROM display_token d
	LEFT JOIN display_token_scope s ON s.token_id = d.id
	LEFT JOIN org_unit o ON o.id = s.unit_id`

func scanDisplay(row pgx.CollectableRow) (Display, error) {
	var d Display
	err := row.Scan(&d.ID, &d.Name, &d.Playlist, &d.Dashboard, &d.View, &d.Lang, &d.Units, &d.Paths,
		&d.CreatedBy, &d.CreatedAt, &d.LastUsed, &d.Revoked)
	return d, err
}

// List returns every token, live ones first, newest first.
func (ds *Displays) List(ctx context.Context) ([]Display, error) {
	rows, _ := ds.DB.Query(ctx, `SELECT `+displayColumns+`
		GROUP BY d.id ORDER BY d.revoked_at IS NOT NULL, d.created_at DESC, d.id DESC`)
	out, err := pgx.CollectRows(rows, scanDisplay)
	if err != nil {
		return nil, fmt.Errorf("list displays: %w", err)
	}
	return out, nil
}

// Revoke ends the token with id and returns the screen's name: the screen
// goes blank at its next poll.
func (ds *Displays) Revoke(ctx context.Context, by audit.Actor, id int64) (name string, err error) {
	err = pgx.BeginFunc(ctx, ds.DB, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `UPDATE display_token SET revoked_at = now()
			WHERE id = $1 AND revoked_at IS NULL RETURNING name`, id).Scan(&name)
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("revoke display %d: %w", id, ErrNoDisplay)
		}
		if err != nil {
			return fmt.Errorf("revoke display %d: %w", id, err)
		}
		return audit.Record(ctx, tx, by, audit.DisplayRevoke, name, "")
	})
	return name, err
}

// usedEvery is how often a screen's use is written down: it polls far
// more often than anyone needs to know.
const usedEvery = time.Minute

// Lookup returns the live token's display, or ErrNoDisplay. It notes the
// use, at most once a minute.
func (ds *Displays) Lookup(ctx context.Context, token string) (*Display, error) {
	if token == "" {
		return nil, ErrNoDisplay
	}
	rows, _ := ds.DB.Query(ctx, `SELECT `+displayColumns+`
		WHERE d.token_hash = $1 AND d.revoked_at IS NULL GROUP BY d.id`, hashToken(token))
	d, err := pgx.CollectExactlyOneRow(rows, scanDisplay)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, ErrNoDisplay
	}
	if err != nil {
		return nil, fmt.Errorf("look up display: %w", err)
	}
	if d.LastUsed == nil || time.Since(*d.LastUsed) > usedEvery {
		if _, err := ds.DB.Exec(ctx, `UPDATE display_token SET last_used_at = now() WHERE id = $1`, d.ID); err != nil {
			return nil, fmt.Errorf("note display use: %w", err)
		}
	}
	return &d, nil
}
