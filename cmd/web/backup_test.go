package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"wxshop/internal/db"
	"wxshop/internal/db/dbtest"
)

// A backup taken while the shop keeps writing is a whole database of its own: restored in place of the file, it
// opens and holds what was written before it was taken.
func TestBackupWhileWritingAndRestore(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	t.Setenv("DATABASE_URL", "")
	store := openStore(t, dir)
	if _, err := store.CreateUser(ctx, "li", "hash", "admin"); err != nil {
		t.Fatal(err)
	}
	for i := range 50 {
		if err := store.UpsertOrders(ctx, []db.Order{{Source: db.SourceMerchant, OrderID: "o" + strings.Repeat("1", i+1), Status: db.OrderToShip,
			CreatedAt: time.Unix(1_800_000_000+int64(i), 0), Raw: []byte(`{}`)}}); err != nil {
			t.Fatal(err)
		}
	}
	// The server goes on writing while the copy is taken.
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			store.AddAudit(ctx, db.AuditEntry{Username: "li", Action: "test.write", Detail: strings.Repeat("x", i%100)})
		}
	})
	backup := filepath.Join(t.TempDir(), "copy.db")
	var out bytes.Buffer
	err := backupCommand(ctx, []string{"--data-dir", dir, backup}, &out)
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatalf("web backup: %v", err)
	}
	if !strings.Contains(out.String(), backup) {
		t.Errorf("web backup says %q, want the file it wrote", out.String())
	}
	if err := backupCommand(ctx, []string{"--data-dir", dir, backup}, &out); err == nil || !strings.Contains(err.Error(), "exists") {
		t.Errorf("a second backup over the first = %v, want a refusal", err)
	}

	// Restore: the copy in place of the database file, in a new data dir.
	restored := t.TempDir()
	b, err := os.ReadFile(backup)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(restored, db.FileName), b, 0o600); err != nil {
		t.Fatal(err)
	}
	r := openStore(t, restored)
	var check string
	if err := r.DB.QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Fatalf("the restored copy's integrity check: %q %v", check, err)
	}
	if u, err := r.UserByUsername(ctx, "li"); err != nil || u.Role != "admin" {
		t.Errorf("the restored copy's user: %+v %v", u, err)
	}
	if _, n, err := r.Orders(ctx, db.OrderFilter{}); err != nil || n != 50 {
		t.Errorf("the restored copy has %d orders (%v), want the 50 written before", n, err)
	}
}

// web db copy moves a shop from its SQLite file into an empty PostgreSQL database the server then opens.
func TestDBCopyCommand(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	store := openStore(t, dir)
	if _, err := store.CreateUser(ctx, "li", "hash", "admin"); err != nil {
		t.Fatal(err)
	}
	store.SetSetting(ctx, "shop_name", "小店")
	target := dbtest.URL(t)
	var out bytes.Buffer
	if err := dbCommand(ctx, []string{"copy", "--from", filepath.Join(dir, db.FileName), "--to", target}, &out); err != nil {
		t.Fatalf("web db copy: %v", err)
	}
	if !strings.Contains(out.String(), "users") || !strings.Contains(out.String(), "done") {
		t.Errorf("web db copy said %q", out.String())
	}
	pg, err := db.OpenConfig(ctx, t.TempDir(), target)
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	if u, err := pg.UserByUsername(ctx, "LI"); err != nil || u.Role != "admin" {
		t.Errorf("the copied user: %+v %v", u, err)
	}
	if v, _ := pg.Setting(ctx, "shop_name"); v != "小店" {
		t.Errorf("the copied setting = %q", v)
	}
	for _, bad := range [][]string{
		{"copy", "--from", filepath.Join(dir, "missing.db"), "--to", target},
		{"copy", "--from", filepath.Join(dir, db.FileName), "--to", "mysql://x"},
		{"move"},
	} {
		if err := dbCommand(ctx, bad, &out); err == nil {
			t.Errorf("web db %v succeeded", bad)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "missing.db")); err == nil {
		t.Error("a missing --from file was created")
	}
}
