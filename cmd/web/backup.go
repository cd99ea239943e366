package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"

	"wxshop/internal/db"
)

// backupCommand is `web backup FILE`: a consistent copy of the SQLite database, taken while the server runs. It
// reads the same configuration as the server (DATA_DIR, DATABASE_URL).
func backupCommand(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("web backup", flag.ContinueOnError)
	dataDir := fs.String("data-dir", envOr("DATA_DIR", "./data"), "where the database lives (DATA_DIR)")
	databaseURL := fs.String("database-url", os.Getenv("DATABASE_URL"), "a PostgreSQL database instead (DATABASE_URL)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("usage: web backup [--data-dir DIR] FILE")
	}
	store, err := db.OpenConfig(ctx, *dataDir, *databaseURL)
	if err != nil {
		return err
	}
	defer store.Close()
	if err := store.Backup(ctx, fs.Arg(0)); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backup: the database is copied to %s\n", fs.Arg(0))
	return nil
}

// dbCommand is `web db copy --from data/wxshop.db --to postgres://…`: a running shop's data moved from its
// SQLite file into an empty PostgreSQL database. --from defaults to the file in DATA_DIR, --to to DATABASE_URL.
func dbCommand(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "copy" {
		return errors.New("usage: web db copy --from data/wxshop.db --to postgres://…")
	}
	fs := flag.NewFlagSet("web db copy", flag.ContinueOnError)
	from := fs.String("from", filepath.Join(envOr("DATA_DIR", "./data"), db.FileName), "the SQLite file to copy (DATA_DIR/wxshop.db)")
	to := fs.String("to", os.Getenv("DATABASE_URL"), "the empty PostgreSQL database to copy into (DATABASE_URL)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if !db.IsPostgresURL(*to) {
		return errors.New("--to (or DATABASE_URL) must be a postgres:// URL")
	}
	if _, err := os.Stat(*from); err != nil {
		return fmt.Errorf("--from %s: %w", *from, err)
	}
	src, err := db.Open(ctx, *from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := db.OpenPostgres(ctx, *to)
	if err != nil {
		return err
	}
	defer dst.Close()
	counts, err := src.CopyTo(ctx, dst)
	if err != nil {
		return err
	}
	tables := slices.Sorted(maps.Keys(counts))
	for _, t := range tables {
		fmt.Fprintf(stdout, "%-20s %d rows\n", t, counts[t])
	}
	fmt.Fprintf(stdout, "db copy: done; start the servers with DATABASE_URL set (people sign in again)\n")
	return nil
}
