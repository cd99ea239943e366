package db

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
)

func TestDataVersionChangesWithEveryCommit(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := OpenDir(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	read := func() int64 {
		t.Helper()
		v, err := s.DataVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	v0 := read()
	if v := read(); v != v0 {
		t.Fatalf("nothing changed, yet the version went from %d to %d", v0, v)
	}
	var n int
	if err := s.DB.QueryRowContext(ctx, `SELECT count(*) FROM settings`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if v := read(); v != v0 {
		t.Fatalf("a read changed the version from %d to %d", v0, v)
	}

	// A write through the store's own connections.
	if err := s.SetSetting(ctx, "k", "v"); err != nil {
		t.Fatal(err)
	}
	v1 := read()
	if v1 == v0 {
		t.Fatal("a write through the store left the version as it was")
	}

	// A write by another process (another connection to the file).
	other, err := sql.Open("sqlite", "file:"+filepath.Join(dir, FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := other.ExecContext(ctx, `UPDATE settings SET value = 'w' WHERE key = 'k'`); err != nil {
		t.Fatal(err)
	}
	v2 := read()
	if v2 == v1 {
		t.Fatal("a write by another connection left the version as it was")
	}

	// A new watching connection starts its counter again: the versions must not repeat.
	s.version.mu.Lock()
	s.version.reset()
	s.version.mu.Unlock()
	if v := read(); v == v0 || v == v1 || v == v2 {
		t.Fatalf("after a reconnection the version %d repeats an earlier one (%d, %d, %d)", v, v0, v1, v2)
	}
}

// Under WithFreshReads every read of the data version is one no database has had, so nothing kept matches.
func TestFreshReadsNeverMatchAVersion(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	real, err := s.DataVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	fctx := WithFreshReads(ctx)
	a, _ := s.DataVersion(fctx)
	b, _ := s.DataVersion(fctx)
	if a == real || b == real || a == b || !FreshReads(fctx) || FreshReads(ctx) {
		t.Errorf("versions %d, fresh %d then %d: want three different ones", real, a, b)
	}
	if again, _ := s.DataVersion(ctx); again != real {
		t.Errorf("the version read normally moved from %d to %d", real, again)
	}
}
