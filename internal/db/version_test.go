package db

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
	"time"
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

// A transaction of many writing statements changes the data version once on commit, and one rolled back not
// at all; on PostgreSQL the counter moves by one per transaction, however many statements it ran (migration
// 00071), instead of one per statement.
func TestDataVersionMovesOncePerTransaction(t *testing.T) {
	eachDialect(t, func(t *testing.T) {
		s := newTestStore(t)
		ctx := context.Background()
		counter := func() int64 {
			var n int64
			if s.Dialect() == Postgres {
				if err := s.DB.QueryRowContext(ctx, `SELECT n FROM data_version WHERE id = 1`).Scan(&n); err != nil {
					t.Fatal(err)
				}
			}
			return n
		}
		orders := make([]Order, 50)
		for i := range orders {
			orders[i] = Order{Source: SourceMerchant, OrderID: fmt.Sprint("v", i), Status: OrderToShip, CreatedAt: time.Unix(1_800_000_000, 0),
				PaidAt: time.Unix(1_800_000_000, 0), Raw: []byte(`{}`), Lines: []OrderLine{{ProductID: "p", Title: "杯子", Quantity: 1}}}
		}
		v0, _ := s.DataVersion(ctx)
		n0 := counter()
		if err := s.UpsertOrders(ctx, orders); err != nil {
			t.Fatal(err)
		}
		v1, _ := s.DataVersion(ctx)
		if v1 == v0 {
			t.Fatal("a committed sync of 50 orders left the data version as it was")
		}
		if s.Dialect() == Postgres {
			if n := counter(); n != n0+1 {
				t.Errorf("the counter moved from %d to %d for one transaction, want one step", n0, n)
			}
		}
		tx, err := s.DB.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE orders SET note = 'x'`); err != nil {
			t.Fatal(err)
		}
		tx.Rollback()
		if v, _ := s.DataVersion(ctx); v != v1 {
			t.Errorf("a rolled-back write moved the data version from %d to %d", v1, v)
		}
		if err := s.SetSetting(ctx, "k", "v"); err != nil {
			t.Fatal(err)
		}
		if v, _ := s.DataVersion(ctx); v == v1 {
			t.Error("the next committed write left the data version as it was")
		}
	})
}
