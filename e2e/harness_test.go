// Package e2e holds the browser journeys: a person's way through the real server, its sandbox and SQLite,
// in headless Chromium driven by playwright-go.
package e2e

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/playwright-community/playwright-go"

	"wxshop/internal/app"
	"wxshop/internal/db"
	"wxshop/internal/db/pgtest"
	"wxshop/internal/wx/sandbox"
)

// AdminPassword is the first admin's password on every test server.
const AdminPassword = "admin-password-1"

var browser playwright.Browser

func TestMain(m *testing.M) {
	pw, b, err := launchBrowser()
	if err != nil {
		// Never skip: a browser test that cannot run is a failure.
		fmt.Fprintf(os.Stderr, "e2e: cannot start the browser: %v\n(run `make test`, which installs node packages and Chromium)\n", err)
		os.Exit(1)
	}
	browser = b
	code := pgtest.Main(m) // the journeys across two servers share a throwaway PostgreSQL
	b.Close()
	pw.Stop()
	os.Exit(code)
}

// launchBrowser starts Debian's Chromium through the playwright driver that npm installed; nothing is downloaded.
func launchBrowser() (*playwright.Playwright, playwright.Browser, error) {
	root, err := repoRoot()
	if err != nil {
		return nil, nil, err
	}
	core := filepath.Join(root, "node_modules", "playwright-core")
	if _, err := os.Stat(filepath.Join(core, "cli.js")); err != nil {
		return nil, nil, fmt.Errorf("playwright-core is not installed in %s: %w", core, err)
	}
	// The driver looks for <dir>/package/cli.js.
	driverDir := filepath.Join(root, ".playwright")
	if err := os.MkdirAll(driverDir, 0o755); err != nil {
		return nil, nil, err
	}
	link := filepath.Join(driverDir, "package")
	if _, err := os.Lstat(link); errors.Is(err, os.ErrNotExist) {
		if err := os.Symlink(core, link); err != nil {
			return nil, nil, err
		}
	}
	if os.Getenv("PLAYWRIGHT_NODEJS_PATH") == "" {
		node, err := exec.LookPath("node")
		if err != nil {
			return nil, nil, fmt.Errorf("node is not on PATH: %w", err)
		}
		os.Setenv("PLAYWRIGHT_NODEJS_PATH", node)
	}
	chromium := os.Getenv("CHROMIUM")
	if chromium == "" {
		chromium = "/usr/bin/chromium"
	}
	if _, err := os.Stat(chromium); err != nil {
		return nil, nil, fmt.Errorf("chromium not found at %s: %w", chromium, err)
	}
	pw, err := playwright.Run(&playwright.RunOptions{DriverDirectory: driverDir, SkipInstallBrowsers: true, Verbose: false, Stdout: io.Discard})
	if err != nil {
		return nil, nil, fmt.Errorf("playwright driver: %w", err)
	}
	b, err := pw.Chromium.Launch(playwright.BrowserTypeLaunchOptions{
		ExecutablePath: playwright.String(chromium),
		Headless:       playwright.Bool(true),
		Args: []string{"--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
			"--disable-sync", "--no-first-run", "--disable-quic"},
	})
	if err != nil {
		pw.Stop()
		return nil, nil, fmt.Errorf("launch %s: %w", chromium, err)
	}
	return pw, b, nil
}

func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("go.mod not found above the working directory")
		}
		dir = parent
	}
}

// Server is a real wxshop server with its own sandbox and a fresh data dir, on random loopback ports.
type Server struct {
	URL     string
	Store   *db.Store
	Sandbox *sandbox.Running
	App     *app.App
}

// StartServer starts a server for one test and stops it when the test ends. Its sandbox plays the V1.13
// merchant shop the journeys were first written against.
func StartServer(t *testing.T) *Server {
	t.Helper()
	return StartServerWith(t, sandbox.Options{Seed: 1})
}

// StartStoreServer is StartServer with a 微信小店 for its sandbox, whose audits wait for the sandbox's button.
func StartStoreServer(t *testing.T) *Server {
	t.Helper()
	return StartServerWith(t, sandbox.Options{Seed: 1, Kind: sandbox.KindStore, AuditDelay: -1})
}

// StartServerWith starts a server whose sandbox has opts (its logger is the server's).
func StartServerWith(t *testing.T, opts sandbox.Options) *Server {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	store, err := db.OpenDir(ctx, dir)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { store.Close() })
	// The server's log (requests with their durations, warnings) is kept and shown only if the test fails.
	logs := &lineLog{}
	quiet := slog.New(slog.NewTextHandler(logs, nil))
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("the server's last log lines:\n%s", logs.tail(80))
		}
	})
	sbLog := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelWarn})) // not a line a call
	opts.Logger = sbLog
	sb, err := sandbox.Listen("127.0.0.1:0", opts)
	if err != nil {
		t.Fatalf("sandbox: %v", err)
	}
	t.Cleanup(func() { sb.Close(context.Background()) })
	if _, err := app.EnsureAdmin(ctx, store, AdminPassword); err != nil {
		t.Fatalf("first admin: %v", err)
	}
	cfg := app.Config{DataDir: dir, APIBase: sb.URL, AppID: sb.AppID(), Secret: sb.Secret(), Sandbox: true}
	a, err := app.New(cfg, store, app.Options{Logger: quiet})
	if err != nil {
		t.Fatalf("app: %v", err)
	}
	t.Cleanup(a.Close)
	url := serve(t, a)
	runCtx, stop := context.WithCancel(ctx)
	t.Cleanup(stop)
	select {
	case <-a.Start(runCtx):
	case <-time.After(90 * time.Second):
		t.Fatal("the server did not finish its first sync within 90 s")
	}
	return &Server{URL: url, Store: store, Sandbox: sb, App: a}
}

// serve serves a on a random loopback port until the test ends, and returns its URL.
func serve(t *testing.T, a *app.App) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: a.Handler(), ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	})
	return "http://" + ln.Addr().String()
}

// AddUser creates a user as the command line would.
func (s *Server) AddUser(t *testing.T, name, password, role string) {
	t.Helper()
	if err := app.AddUser(context.Background(), s.Store, name, password, role); err != nil {
		t.Fatalf("add user %s: %v", name, err)
	}
}

// NewPage opens a fresh browser context (its own cookies) and a page in it.
func NewPage(t *testing.T) playwright.Page {
	t.Helper()
	bctx, err := browser.NewContext(playwright.BrowserNewContextOptions{Locale: playwright.String("zh-CN")})
	if err != nil {
		t.Fatalf("browser context: %v", err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			saveScreenshot(t, bctx)
		}
		bctx.Close()
	})
	bctx.SetDefaultTimeout(10000)
	page, err := bctx.NewPage()
	if err != nil {
		t.Fatalf("new page: %v", err)
	}
	return page
}

func saveScreenshot(t *testing.T, bctx playwright.BrowserContext) {
	root, err := repoRoot()
	if err != nil {
		return
	}
	dir := filepath.Join(root, "e2e", "screenshots")
	os.MkdirAll(dir, 0o755)
	for i, p := range bctx.Pages() {
		name := filepath.Join(dir, fmt.Sprintf("%s-%d.png", strings.ReplaceAll(t.Name(), "/", "_"), i))
		if _, err := p.Screenshot(playwright.PageScreenshotOptions{Path: playwright.String(name), FullPage: playwright.Bool(true)}); err == nil {
			t.Logf("screenshot of the failing page: %s", name)
		}
	}
}

// lineLog keeps what a server logs, for a failing test to show.
type lineLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *lineLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

// tail is the last n lines.
func (l *lineLog) tail(n int) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	lines := strings.Split(strings.TrimRight(l.buf.String(), "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
