package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

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
