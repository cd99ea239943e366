package db

import (
	"context"
	"errors"
	"fmt"
	"os"
)

// Backup writes a consistent copy of the SQLite database to file (which must not exist yet) while the server
// keeps running: VACUUM INTO reads one snapshot of the database, so writes committed meanwhile are either all
// in the copy or all left out of it. Restoring is putting the copy in place of DATA_DIR/wxshop.db with the
// server stopped. PostgreSQL's own tools (pg_dump, the provider's backups) copy a PostgreSQL database.
func (s *Store) Backup(ctx context.Context, file string) error {
	if s.dialect == Postgres {
		return errors.New("web backup copies the SQLite database; back PostgreSQL up with pg_dump or your provider's backups")
	}
	if _, err := os.Stat(file); err == nil {
		return fmt.Errorf("backup %s: the file exists already", file)
	}
	if _, err := s.DB.ExecContext(ctx, `VACUUM INTO ?`, file); err != nil {
		os.Remove(file)
		return fmt.Errorf("backup %s: %w", file, err)
	}
	return nil
}
