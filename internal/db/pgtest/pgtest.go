// Package pgtest gives tests a PostgreSQL database of their own. With TEST_DATABASE_URL set, databases are made
// on that server; otherwise the first test that asks starts a throwaway cluster from Debian's postgresql package
// (make setup installs it) in a temporary directory, on a free loopback port, shared by the tests of the binary
// and removed by Stop (call it from TestMain). A test that needs PostgreSQL fails when there is none: it never
// skips.
package pgtest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
)

// EnvURL names the variable that points the tests at an existing server instead of a throwaway cluster: a URL
// of a role that may create databases.
const EnvURL = "TEST_DATABASE_URL"

var (
	mu      sync.Mutex
	cluster *server
	failure error
	serial  atomic.Int64

	prepMu    sync.Mutex
	templates = map[string]error{} // template databases made, and how it went
)

type server struct {
	adminURL string // a database to connect to for CREATE DATABASE
	dir      string // the throwaway cluster's directory; "" for TEST_DATABASE_URL
	pgCtl    string
	asUser   string // run pg_ctl as this user (root may not run PostgreSQL)
	admin    *sql.DB
}

// URL returns the URL of a new, empty database for t, dropped when t ends. It fails t when PostgreSQL cannot
// be had.
func URL(t testing.TB) string {
	t.Helper()
	u, err := NewDatabase()
	if err != nil {
		t.Fatalf("PostgreSQL: %v", err)
	}
	t.Cleanup(func() {
		if err := DropDatabase(u); err != nil {
			t.Errorf("PostgreSQL: %v", err)
		}
	})
	return u
}

// URLFrom is URL for a copy of the template database name, which prepare makes the first time it is asked for
// (it is given the template's URL and must close what it opened on it). Copying a migrated database is much
// faster than migrating a new one for every test.
func URLFrom(t testing.TB, name string, prepare func(url string) error) string {
	t.Helper()
	u, err := NewDatabaseFrom(name, prepare)
	if err != nil {
		t.Fatalf("PostgreSQL: %v", err)
	}
	t.Cleanup(func() {
		if err := DropDatabase(u); err != nil {
			t.Errorf("PostgreSQL: %v", err)
		}
	})
	return u
}

// NewDatabase creates an empty database on the shared server and returns its URL.
func NewDatabase() (string, error) { return create("") }

// NewDatabaseFrom creates a copy of the template database name (see URLFrom) and returns its URL.
func NewDatabaseFrom(name string, prepare func(url string) error) (string, error) {
	tpl := fmt.Sprintf("wxtpl_%d_%s", os.Getpid(), name)
	prepMu.Lock()
	err, done := templates[tpl]
	if !done {
		err = func() error {
			s, err := shared()
			if err != nil {
				return err
			}
			if _, err := s.admin.Exec(`CREATE DATABASE ` + tpl); err != nil {
				return fmt.Errorf("create database %s: %w", tpl, err)
			}
			if err := prepare(s.databaseURL(tpl)); err != nil {
				return fmt.Errorf("template %s: %w", name, err)
			}
			return nil
		}()
		templates[tpl] = err
	}
	prepMu.Unlock()
	if err != nil {
		return "", err
	}
	return create(tpl)
}

func create(template string) (string, error) {
	s, err := shared()
	if err != nil {
		return "", err
	}
	name := fmt.Sprintf("wxtest_%d_%d", os.Getpid(), serial.Add(1))
	q := `CREATE DATABASE ` + name
	if template != "" {
		q += ` TEMPLATE ` + template + ` STRATEGY FILE_COPY`
	}
	if _, err := s.admin.Exec(q); err != nil {
		return "", fmt.Errorf("create database %s: %w", name, err)
	}
	return s.databaseURL(name), nil
}

func (s *server) databaseURL(name string) string {
	u, err := url.Parse(s.adminURL)
	if err != nil {
		panic(err) // made by start, or checked there
	}
	u.Path = "/" + name
	return u.String()
}

// DropDatabase removes a database NewDatabase made, closing what is still connected to it.
func DropDatabase(dbURL string) error {
	u, err := url.Parse(dbURL)
	if err != nil {
		return err
	}
	s, err := shared()
	if err != nil {
		return err
	}
	name := strings.TrimPrefix(u.Path, "/")
	if _, err := s.admin.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`); err != nil {
		return fmt.Errorf("drop database %s: %w", name, err)
	}
	return nil
}

// Stop stops and removes the throwaway cluster, if one was started. TestMain calls it after m.Run.
func Stop() {
	mu.Lock()
	defer mu.Unlock()
	if cluster == nil {
		return
	}
	if cluster.dir == "" { // someone else's server: leave it as it was found
		prepMu.Lock()
		for tpl := range templates {
			cluster.admin.Exec(`DROP DATABASE IF EXISTS ` + tpl + ` WITH (FORCE)`)
		}
		clear(templates)
		prepMu.Unlock()
	}
	cluster.admin.Close()
	if cluster.dir != "" {
		cluster.run("-D", filepath.Join(cluster.dir, "data"), "-m", "immediate", "stop")
		os.RemoveAll(cluster.dir)
	}
	cluster = nil
}

// Main runs the tests of a package that uses URL, then stops the cluster: func TestMain(m *testing.M) {
// os.Exit(pgtest.Main(m)) }.
func Main(m *testing.M) int {
	code := m.Run()
	Stop()
	return code
}

func shared() (*server, error) {
	mu.Lock()
	defer mu.Unlock()
	if cluster != nil {
		return cluster, nil
	}
	if failure != nil {
		return nil, failure
	}
	s, err := start()
	if err != nil {
		failure = err
		return nil, err
	}
	cluster = s
	return s, nil
}

func start() (*server, error) {
	if u := os.Getenv(EnvURL); u != "" {
		admin, err := sql.Open("pgx", u)
		if err == nil {
			err = admin.Ping()
		}
		if err != nil {
			return nil, fmt.Errorf("%s=%s: %w", EnvURL, u, err)
		}
		return &server{adminURL: u, admin: admin}, nil
	}
	bin, err := findBin()
	if err != nil {
		return nil, err
	}
	s := &server{pgCtl: filepath.Join(bin, "pg_ctl")}
	if os.Geteuid() == 0 {
		if _, err := user.Lookup("postgres"); err != nil {
			return nil, fmt.Errorf("running as root, PostgreSQL needs the postgres user (Debian's postgresql package makes it): %w", err)
		}
		s.asUser = "postgres"
	}
	dir, err := os.MkdirTemp("", "wxshop-pg-")
	if err != nil {
		return nil, err
	}
	s.dir = dir
	if s.asUser != "" {
		if err := exec.Command("chown", s.asUser, dir).Run(); err != nil {
			os.RemoveAll(dir)
			return nil, fmt.Errorf("chown %s: %w", dir, err)
		}
	}
	data := filepath.Join(dir, "data")
	if out, err := s.command(filepath.Join(bin, "initdb"), "-D", data, "-A", "trust", "-U", "wx", "-E", "UTF8", "--locale=C.UTF-8").CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("initdb: %v\n%s", err, out)
	}
	// A port is free when asked, but may be taken before the server binds it: try a few.
	var lastErr error
	for range 5 {
		port, err := freePort()
		if err != nil {
			return nil, err
		}
		opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300", port, dir)
		out, err := s.run("-D", data, "-o", opts, "-l", filepath.Join(dir, "log"), "-w", "-t", "60", "start")
		if err != nil {
			log, _ := os.ReadFile(filepath.Join(dir, "log"))
			lastErr = fmt.Errorf("pg_ctl start: %v\n%s\n%s", err, out, log)
			continue
		}
		s.adminURL = fmt.Sprintf("postgres://wx@127.0.0.1:%d/postgres?sslmode=disable", port)
		admin, err := sql.Open("pgx", s.adminURL)
		if err == nil {
			err = admin.Ping()
		}
		if err != nil {
			s.run("-D", data, "-m", "immediate", "stop")
			os.RemoveAll(dir)
			return nil, err
		}
		s.admin = admin
		return s, nil
	}
	os.RemoveAll(dir)
	return nil, lastErr
}

func (s *server) command(name string, args ...string) *exec.Cmd {
	if s.asUser != "" {
		return exec.Command("runuser", append([]string{"-u", s.asUser, "--", name}, args...)...)
	}
	return exec.Command(name, args...)
}

func (s *server) run(args ...string) ([]byte, error) {
	cmd := s.command(s.pgCtl, args...)
	done := make(chan struct{})
	var out []byte
	var err error
	go func() { out, err = cmd.CombinedOutput(); close(done) }()
	select {
	case <-done:
	case <-time.After(90 * time.Second):
		cmd.Process.Kill()
		<-done
		err = errors.New("pg_ctl did not finish in 90 s")
	}
	return out, err
}

// findBin finds the newest PostgreSQL of Debian's packages, or one on PATH.
func findBin() (string, error) {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return version(dirs[i]) > version(dirs[j]) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p), nil
	}
	return "", fmt.Errorf("PostgreSQL is not installed (no initdb under /usr/lib/postgresql): run make setup, " +
		"which installs Debian's postgresql package, or set " + EnvURL)
}

func version(binDir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return n
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// Connect opens dbURL with database/sql (pgx), for a test that looks at a database directly.
func Connect(ctx context.Context, dbURL string) (*sql.DB, error) {
	d, err := sql.Open("pgx", dbURL)
	if err != nil {
		return nil, err
	}
	return d, d.PingContext(ctx)
}
