package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/jackc/pgx/v5"

	"github.com/luukku-bi/luukku/internal/theme"
)

// themesConfig is what themes is told, by flag, environment or config file.
type themesConfig struct {
	data        *dataDir
	definitions *string
	databaseURL string
}

// themesFlags registers the flags of themes; parseSettings adds the
// environment and the config file.
func themesFlags(fs *flag.FlagSet) *themesConfig {
	c := &themesConfig{data: dataFlag(fs), definitions: definitionsFlag(fs)}
	databaseURLFlag(fs, &c.databaseURL)
	return c
}

// themesCommand applies the themes file to stored feedback.
func themesCommand(ctx context.Context, args []string, stdout io.Writer, log *slog.Logger) error {
	if len(args) == 0 || args[0] != "reclassify" {
		return errors.New("themes: say reclassify (luukku themes reclassify [--definitions DIR])")
	}
	fs := flag.NewFlagSet("themes reclassify", flag.ContinueOnError)
	c := themesFlags(fs)
	if _, err := parseSettings(fs, args[1:], os.Getenv, parseFlags); err != nil {
		return err
	}
	set, err := theme.Load(*c.definitions)
	if err != nil {
		return err
	}
	db, err := openDatabase(ctx, c.data, c.databaseURL, log)
	if err != nil {
		return err
	}
	defer db.release(log)
	n, err := theme.Reclassify(ctx, db.pool, set)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d feedback items got other themes\n", n)
	return nil
}

// syncThemes writes the themes' names into the database.
func syncThemes(ctx context.Context, db *database, set *theme.Set) error {
	return pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error { return theme.Sync(ctx, tx, set) })
}
