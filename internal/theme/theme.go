// Package theme classifies free-text feedback into themes. The themes and
// their rules are a file (themes.yaml), so analysts change them without
// touching code; Sync brings the database's theme names up to date with
// the file, and Reclassify applies changed rules to stored feedback.
package theme

import (
	"context"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"
)

// Sync writes the set's themes and their names into the theme table, which
// the dashboards read. Themes no longer in the file stay, so that stored
// feedback keeps its names until it is classified again.
func Sync(ctx context.Context, tx pgx.Tx, s *Set) error {
	for _, t := range s.Themes {
		if _, err := tx.Exec(ctx, `INSERT INTO theme (code, name_fi, name_sv, name_en) VALUES ($1, $2, $3, $4)
			ON CONFLICT (code) DO UPDATE SET name_fi = excluded.name_fi, name_sv = excluded.name_sv, name_en = excluded.name_en
			WHERE (theme.name_fi, theme.name_sv, theme.name_en) IS DISTINCT FROM (excluded.name_fi, excluded.name_sv, excluded.name_en)`,
			t.Code, t.Names["fi"], t.Names["sv"], t.Names["en"]); err != nil {
			return fmt.Errorf("sync theme %s: %w", t.Code, err)
		}
	}
	return nil
}

// Reclassify applies the set to every stored piece of feedback and writes
// the themes that changed, in one transaction, and returns how many rows
// changed. The data version goes up when any did.
func Reclassify(ctx context.Context, db interface {
	Begin(context.Context) (pgx.Tx, error)
}, s *Set) (int64, error) {
	var changed int64
	err := pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
		if err := Sync(ctx, tx, s); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `CREATE TEMP TABLE reclassified (id bigint PRIMARY KEY, themes text[] NOT NULL) ON COMMIT DROP`); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT id, body, themes FROM feedback`)
		if err != nil {
			return fmt.Errorf("read feedback: %w", err)
		}
		var updates [][]any
		var id int64
		var body string
		var themes []string
		_, err = pgx.ForEachRow(rows, []any{&id, &body, &themes}, func() error {
			if now := s.Classify(body); !slices.Equal(now, themes) {
				updates = append(updates, []any{id, now})
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("read feedback: %w", err)
		}
		if len(updates) == 0 {
			return nil
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"reclassified"}, []string{"id", "themes"}, pgx.CopyFromRows(updates)); err != nil {
			return fmt.Errorf("write themes: %w", err)
		}
		tag, err := tx.Exec(ctx, `UPDATE feedback f SET themes = r.themes FROM reclassified r WHERE f.id = r.id`)
		if err != nil {
			return fmt.Errorf("write themes: %w", err)
		}
		changed = tag.RowsAffected()
		if _, err := tx.Exec(ctx, `SELECT refresh_feedback_theme_counts((min(received_at) AT TIME ZONE 'Europe/Helsinki')::date,
				(max(received_at) AT TIME ZONE 'Europe/Helsinki')::date)
			FROM feedback f JOIN reclassified r ON r.id = f.id`); err != nil {
			return fmt.Errorf("count feedback: %w", err)
		}
		if _, err := tx.Exec(ctx, `SELECT refresh_action_effects()`); err != nil {
			return fmt.Errorf("count the actions' feedback: %w", err)
		}
		_, err = tx.Exec(ctx, `UPDATE data_version SET version = version + 1, updated_at = now()`)
		return err
	})
	return changed, err
}
