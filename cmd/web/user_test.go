package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"wxshop/internal/db"
)

// runUser runs `web user <args> --data-dir dir` with stdin as standard input, and returns what it printed.
func runUser(t *testing.T, dir, stdin string, args ...string) (string, error) {
	t.Helper()
	var out strings.Builder
	args = append(args, "--data-dir", dir)
	err := userCommand(context.Background(), args, strings.NewReader(stdin), &out)
	return out.String(), err
}

func mustRunUser(t *testing.T, dir, stdin string, args ...string) string {
	t.Helper()
	out, err := runUser(t, dir, stdin, args...)
	if err != nil {
		t.Fatalf("web user %s: %v", strings.Join(args, " "), err)
	}
	return out
}

// openStore opens the data dir the command wrote to, the way the server does, and closes it with the test.
func openStore(t *testing.T, dir string) *db.Store {
	t.Helper()
	store, err := db.OpenDir(context.Background(), dir)
	if err != nil {
		t.Fatalf("open the data dir: %v", err)
	}
	t.Cleanup(func() { store.Close() })
	return store
}

func auditActions(t *testing.T, store *db.Store) []db.AuditEntry {
	t.Helper()
	entries, total, err := store.AuditPage(context.Background(), 100, 0)
	if err != nil {
		t.Fatalf("audit page: %v", err)
	}
	if total != len(entries) {
		t.Fatalf("audit total %d, but %d entries listed", total, len(entries))
	}
	// Oldest first reads more naturally in the assertions.
	for i, j := 0, len(entries)-1; i < j; i, j = i+1, j-1 {
		entries[i], entries[j] = entries[j], entries[i]
	}
	return entries
}

func checkPassword(t *testing.T, u db.User, password string, want bool) {
	t.Helper()
	err := bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(password))
	if got := err == nil; got != want {
		t.Errorf("bcrypt accepts %q for %s: %v, want %v (err %v)", password, u.Username, got, want, err)
	}
}

func TestUserAddThenPasswd(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()

	out := mustRunUser(t, dir, "first password 1\n", "add", "--username", "alice", "--role", "viewer")
	if !strings.Contains(out, "add: done for alice") {
		t.Errorf("add printed %q, want it to say it is done for alice", out)
	}
	if strings.Contains(out, "Password for") {
		t.Errorf("add prompted for a password although stdin is not a terminal: %q", out)
	}
	out = mustRunUser(t, dir, "second password 2\n", "passwd", "--username", "alice")
	if !strings.Contains(out, "passwd: done for alice") {
		t.Errorf("passwd printed %q, want it to say it is done for alice", out)
	}

	store := openStore(t, dir)
	u, err := store.UserByUsername(ctx, "alice")
	if err != nil {
		t.Fatalf("alice after add: %v", err)
	}
	if u.Role != "viewer" {
		t.Errorf("alice's role = %q, want viewer", u.Role)
	}
	if u.Disabled {
		t.Error("alice was created disabled")
	}
	checkPassword(t, u, "second password 2", true)
	checkPassword(t, u, "first password 1", false)
	// The trailing newline is not part of the password.
	checkPassword(t, u, "second password 2\n", false)

	entries := auditActions(t, store)
	if len(entries) != 2 {
		t.Fatalf("audit log has %d entries, want 2 (user.create, user.passwd): %+v", len(entries), entries)
	}
	for i, want := range []string{"user.create", "user.passwd"} {
		e := entries[i]
		if e.Action != want || e.ObjectType != "user" || e.ObjectID != "alice" || e.Outcome != "ok" {
			t.Errorf("audit entry %d = %+v, want action %s on user alice, outcome ok", i, e, want)
		}
		if e.Username == "" {
			t.Errorf("audit entry %d names nobody as the actor", i)
		}
		if e.UserID != 0 {
			t.Errorf("audit entry %d has user id %d, want 0 for the command line", i, e.UserID)
		}
	}
	if !strings.Contains(entries[0].Detail, "viewer") {
		t.Errorf("user.create detail = %q, want it to name the role", entries[0].Detail)
	}
	for _, e := range entries {
		if strings.Contains(e.Detail, "password") {
			t.Errorf("audit detail %q mentions the password", e.Detail)
		}
	}
}

func TestUserAddDefaultsAndPasswordInput(t *testing.T) {
	dir := t.TempDir()
	// No --role: operator. CRLF line end (a Windows pipe) is not part of the password.
	mustRunUser(t, dir, "windows password\r\n", "add", "--username", "bob")
	// No newline at all (printf into the pipe) is fine too; so is a password of 10 runes but more bytes.
	mustRunUser(t, dir, "密码密码密码密码密码", "add", "--username", "carol.w-1", "--role", "admin")
	// Only the first line is read.
	mustRunUser(t, dir, "first line here\nsecond line\n", "add", "--username", "dave_2", "--role", "operator")

	store := openStore(t, dir)
	for _, c := range []struct{ user, role, password string }{
		{"bob", "operator", "windows password"},
		{"carol.w-1", "admin", "密码密码密码密码密码"},
		{"dave_2", "operator", "first line here"},
	} {
		u, err := store.UserByUsername(context.Background(), c.user)
		if err != nil {
			t.Errorf("%s: %v", c.user, err)
			continue
		}
		if u.Role != c.role {
			t.Errorf("%s: role %q, want %q", c.user, u.Role, c.role)
		}
		checkPassword(t, u, c.password, true)
	}
}

func TestUserPasswdIgnoresCase(t *testing.T) {
	dir := t.TempDir()
	mustRunUser(t, dir, "first password 1\n", "add", "--username", "Erin", "--role", "admin")
	mustRunUser(t, dir, "second password 2\n", "passwd", "--username", "erin")
	store := openStore(t, dir)
	u, err := store.UserByUsername(context.Background(), "Erin")
	if err != nil {
		t.Fatal(err)
	}
	checkPassword(t, u, "second password 2", true)
	entries := auditActions(t, store)
	if last := entries[len(entries)-1]; last.Action != "user.passwd" || last.ObjectID != "Erin" {
		t.Errorf("last audit entry = %+v, want user.passwd on Erin (the stored name)", last)
	}
}

func TestUserRefusals(t *testing.T) {
	dir := t.TempDir()
	mustRunUser(t, dir, "alice password\n", "add", "--username", "alice", "--role", "admin")
	long := strings.Repeat("x", 73) // bcrypt takes 72 bytes at most

	for _, c := range []struct {
		name  string
		stdin string
		args  []string
		want  []string // substrings of the error
	}{
		{"no verb", "alice password\n", nil, []string{"usage: web user add"}},
		{"unknown verb", "alice password\n", []string{"remove", "--username", "alice"}, []string{"usage: web user add"}},
		{"short password on add", "short\n", []string{"add", "--username", "bob"}, []string{"password", "at least 10 characters"}},
		{"9 characters", "123456789\n", []string{"add", "--username", "bob"}, []string{"at least 10 characters"}},
		{"empty stdin", "", []string{"add", "--username", "bob"}, []string{"at least 10 characters"}},
		{"short password on passwd", "short\n", []string{"passwd", "--username", "alice"}, []string{"at least 10 characters"}},
		{"bad role", "bob password\n", []string{"add", "--username", "bob", "--role", "root"}, []string{`--role "root"`, "admin, operator or viewer"}},
		{"role in capitals", "bob password\n", []string{"add", "--username", "bob", "--role", "Admin"}, []string{`--role "Admin"`}},
		{"no username", "bob password\n", []string{"add"}, []string{"--username", "2 to 32"}},
		{"one-letter username", "bob password\n", []string{"add", "--username", "b"}, []string{"--username", "2 to 32"}},
		{"username with a space", "bob password\n", []string{"add", "--username", "bob smith"}, []string{"--username"}},
		{"username too long", "bob password\n", []string{"add", "--username", strings.Repeat("b", 33)}, []string{"--username"}},
		{"bad username on passwd", "bob password\n", []string{"passwd", "--username", "bob/../x"}, []string{"--username"}},
		{"unknown user on passwd", "ghost password\n", []string{"passwd", "--username", "ghost"}, []string{`no user named "ghost"`}},
		{"duplicate add", "other password\n", []string{"add", "--username", "alice", "--role", "viewer"}, []string{`"alice" already exists`}},
		{"duplicate add, other case", "other password\n", []string{"add", "--username", "ALICE"}, []string{`"ALICE" already exists`}},
		{"password too long for bcrypt", long + "\n", []string{"add", "--username", "bob"}, []string{"72"}},
		{"unexpected flag value", "bob password\n", []string{"add", "--username", "bob", "--role"}, []string{"role"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, err := runUser(t, dir, c.stdin, c.args...)
			if err == nil {
				t.Fatalf("web user %v succeeded (printed %q), want an error", c.args, out)
			}
			msg := err.Error()
			for _, w := range c.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not contain %q", msg, w)
				}
			}
			if strings.Contains(msg, "\n") {
				t.Errorf("error %q spans several lines", msg)
			}
			if strings.Contains(out, "done") {
				t.Errorf("a refused command printed %q", out)
			}
		})
	}

	// Nothing refused left a trace: alice alone, with her password, and one audit entry.
	store := openStore(t, dir)
	users, err := store.Users(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(users) != 1 || users[0].Username != "alice" || users[0].Role != "admin" {
		t.Errorf("users after the refusals = %+v, want alice (admin) alone", users)
	}
	if len(users) > 0 {
		checkPassword(t, users[0], "alice password", true)
	}
	if entries := auditActions(t, store); len(entries) != 1 {
		t.Errorf("audit log after the refusals has %d entries, want 1: %+v", len(entries), entries)
	}
}

// A refusal that can be decided from the arguments and standard input does not touch the data dir at all.
func TestUserRefusalCreatesNoDataDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	for _, args := range [][]string{
		{"add", "--username", "bob", "--role", "root"},
		{"add", "--username", "b"},
	} {
		if _, err := runUser(t, dir, "long enough password\n", args...); err == nil {
			t.Fatalf("web user %v succeeded", args)
		}
	}
	if _, err := runUser(t, dir, "short\n", "add", "--username", "bob"); err == nil {
		t.Fatal("a short password was accepted")
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the data dir exists after refusals only (stat: %v)", err)
	}
}

func TestUserDataDirErrorsNameThePath(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(file, "data")
	_, err := runUser(t, dir, "long enough password\n", "add", "--username", "bob")
	if err == nil {
		t.Fatal("add into a data dir under a regular file succeeded")
	}
	if !strings.Contains(err.Error(), dir) {
		t.Errorf("error %q does not name the data dir %s", err, dir)
	}
}

// DATA_DIR is the default for --data-dir, as for the server.
func TestUserDataDirFromEnv(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("DATA_DIR", dir)
	var out strings.Builder
	err := userCommand(context.Background(), []string{"add", "--username", "frank"}, strings.NewReader("frank password\n"), &out)
	if err != nil {
		t.Fatal(err)
	}
	store := openStore(t, dir)
	if _, err := store.UserByUsername(context.Background(), "frank"); err != nil {
		t.Errorf("frank is not in DATA_DIR: %v", err)
	}
}
