// Package audit keeps the log of who did what in Luukku, when and from
// where: sign-ins, views, exports, imports and account changes.
package audit

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Actions recorded.
const (
	Login        = "login"
	LoginFailed  = "login_failed"
	Logout       = "logout"
	View         = "view"
	Export       = "export"
	Import       = "import"
	UserAdd      = "user_add"
	UserRole     = "user_role"
	UserScope    = "user_scope"
	UserDisable  = "user_disable"
	UserEnable   = "user_enable"
	UserPassword = "user_password"
	ActionSave   = "action_save"
	ActionDelete = "action_delete"
	// A display token was made or revoked, or a screen opened with one.
	DisplayAdd    = "display_add"
	DisplayRevoke = "display_revoke"
	DisplayOpen   = "display_open"
)

// Actions lists every action, for filters.
var Actions = []string{Login, LoginFailed, Logout, View, Export, Import, UserAdd, UserRole, UserScope, UserDisable, UserEnable, UserPassword, ActionSave, ActionDelete, DisplayAdd, DisplayRevoke, DisplayOpen}

// Actor is who did it. UserID is zero for someone not signed in (a failed
// sign-in) and for the command line.
type Actor struct {
	UserID   int64
	Username string
	Address  string
}

// Event is one line of the log.
type Event struct {
	ID       int64
	At       time.Time
	Username string
	Action   string
	Target   string
	Detail   string
	Address  string
}

// Execer is a pool, a connection or a transaction.
type Execer interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// Record writes one event. Inside a transaction it is written, or not,
// with the change it describes.
func Record(ctx context.Context, db Execer, by Actor, action, target, detail string) error {
	var userID *int64
	if by.UserID != 0 {
		userID = &by.UserID
	}
	_, err := db.Exec(ctx, `INSERT INTO audit_event (user_id, username, action, target, detail, address)
		VALUES ($1, $2, $3, $4, $5, $6)`, userID, by.Username, action, target, detail, by.Address)
	if err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return nil
}

// RecordRead writes an event of someone reading (a view, an export) on
// its own, without waiting for the write-ahead log to reach the disk: a
// database crash in the next fraction of a second may lose it, and no
// page waits a disk flush for it. Changes are recorded with Record, in
// their own transaction.
func RecordRead(ctx context.Context, db Execer, by Actor, action, target, detail string) error {
	var userID *int64
	if by.UserID != 0 {
		userID = &by.UserID
	}
	// The setting is the statement's own transaction's, and applies at
	// its commit.
	_, err := db.Exec(ctx, `WITH async AS (SELECT set_config('synchronous_commit', 'off', true))
		INSERT INTO audit_event (user_id, username, action, target, detail, address)
		SELECT $1, $2, $3, $4, $5, $6 FROM async`, userID, by.Username, action, target, detail, by.Address)
	if err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return nil
}

// Filter selects events; zero fields select everything. Username selects
// what the user did and what was done to the account.
type Filter struct {
	Username string
	Action   string
	From, To time.Time // whole days, To inclusive
}

// Querier is a pool, a connection or a transaction.
type Querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// List returns the events f selects, newest first, at most limit of them.
func List(ctx context.Context, db Querier, f Filter, limit int) ([]Event, error) {
	var from, to *time.Time
	if !f.From.IsZero() {
		from = &f.From
	}
	if !f.To.IsZero() {
		end := f.To.AddDate(0, 0, 1)
		to = &end
	}
	rows, err := db.Query(ctx, `SELECT id, at, username, action, target, detail, address
		FROM audit_event
		WHERE ($1 = '' OR username = $1 OR target = $1) AND ($2 = '' OR action = $2)
		  AND ($3::timestamptz IS NULL OR at >= $3) AND ($4::timestamptz IS NULL OR at < $4)
		ORDER BY at DESC, id DESC
		LIMIT $5`, f.Username, f.Action, from, to, limit)
	if err != nil {
		return nil, fmt.Errorf("list audit events: %w", err)
	}
	events, err := pgx.CollectRows(rows, pgx.RowToStructByPos[Event])
	if err != nil {
		return nil, fmt.Errorf("list audit events: %w", err)
	}
	return events, nil
}
