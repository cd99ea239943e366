package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	"wxshop/internal/db/pgtest"

	"wxshop/internal/wx/sandbox"
)

// The binary is built once, on first use, so tests that do not need it (the user command's) stay fast.
var (
	buildOnce sync.Once
	buildDir  string
	buildBin  string
	buildErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	pgtest.Stop()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// webBinary returns the path of the built `web` command.
func webBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	buildOnce.Do(func() {
		buildDir, buildErr = os.MkdirTemp("", "wxshop-web-test-")
		if buildErr != nil {
			return
		}
		buildBin = filepath.Join(buildDir, "web")
		cmd := exec.Command("go", "build", "-o", buildBin, ".")
		out, err := cmd.CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return buildBin
}

// minimalEnv is PATH and HOME and the given settings, so the machine's environment does not leak in.
func minimalEnv(settings ...string) []string {
	return append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}, settings...)
}

// syncBuffer collects a process's output while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// process is a running `web`.
type process struct {
	cmd    *exec.Cmd
	stderr *syncBuffer
	stdout *syncBuffer
	done   chan struct{}
	err    error // of Wait, once done is closed
}

func start(t *testing.T, env []string, args ...string) *process {
	t.Helper()
	p := &process{stderr: &syncBuffer{}, stdout: &syncBuffer{}, done: make(chan struct{})}
	p.cmd = exec.Command(webBinary(t), args...)
	p.cmd.Env = env
	p.cmd.Dir = t.TempDir() // the default ./data would land here, never in the source tree
	p.cmd.Stderr = p.stderr
	p.cmd.Stdout = p.stdout
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		p.err = p.cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			p.cmd.Process.Kill()
			<-p.done
		}
	})
	return p
}

// wait waits for the process to exit by itself and returns its exit code.
func (p *process) wait(t *testing.T, within time.Duration) int {
	t.Helper()
	select {
	case <-p.done:
	case <-time.After(within):
		p.cmd.Process.Kill()
		<-p.done
		t.Fatalf("the process did not exit within %s; stderr:\n%s", within, p.stderr)
	}
	var exit *exec.ExitError
	if errors.As(p.err, &exit) {
		return exit.ExitCode()
	}
	if p.err != nil {
		t.Fatalf("wait: %v", p.err)
	}
	return 0
}

// stop sends SIGTERM and checks the process exits cleanly.
func (p *process) stop(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatalf("SIGTERM: %v", err)
	}
	if code := p.wait(t, 20*time.Second); code != 0 {
		t.Errorf("exit code after SIGTERM = %d, want 0; stderr:\n%s", code, p.stderr)
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// waitHealthy polls /healthz until it answers 200, failing if the process exits first.
func waitHealthy(t *testing.T, p *process, base string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-p.done:
			t.Fatalf("the server exited (%v) before answering /healthz; stderr:\n%s", p.err, p.stderr)
		default:
		}
		resp, err := http.Get(base + "/healthz")
		if err == nil {
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
			t.Fatalf("/healthz = %d %s", resp.StatusCode, body)
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("/healthz did not answer within 20s; stderr:\n%s", p.stderr)
}

// firstStartLine matches the line serve prints on the very first start.
var firstStartLine = regexp.MustCompile(`First start: sign in as "admin" with the password ("(?:[^"\\]|\\.)*")`)

func generatedPassword(t *testing.T, stderr string) string {
	t.Helper()
	m := firstStartLine.FindAllStringSubmatch(stderr, -1)
	if len(m) != 1 {
		t.Fatalf("the generated password was printed %d times, want once; stderr:\n%s", len(m), stderr)
	}
	pw, err := strconv.Unquote(m[0][1])
	if err != nil {
		t.Fatalf("unquote %s: %v", m[0][1], err)
	}
	if len([]rune(pw)) < 10 {
		t.Errorf("the generated password %q is shorter than the 10 characters a user must choose", pw)
	}
	return pw
}

// login posts the sign-in form and returns the answer, without following the redirect.
func login(t *testing.T, client *http.Client, base, username, password string) *http.Response {
	t.Helper()
	resp, err := client.PostForm(base+"/login", url.Values{"username": {username}, "password": {password}})
	if err != nil {
		t.Fatalf("POST /login: %v", err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

func newClient(t *testing.T) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{
		Jar:           jar,
		Timeout:       10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// checkSignIn signs in with password and checks the dashboard is then open.
func checkSignIn(t *testing.T, base, password string) {
	t.Helper()
	client := newClient(t)
	resp := login(t, client, base, "admin", password)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/" {
		t.Fatalf("POST /login with the admin password = %d to %q, want 303 to /", resp.StatusCode, resp.Header.Get("Location"))
	}
	dash, err := client.Get(base + "/")
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, dash.Body)
	dash.Body.Close()
	if dash.StatusCode != http.StatusOK {
		t.Errorf("GET / after signing in = %d (Location %q), want 200", dash.StatusCode, dash.Header.Get("Location"))
	}
}

// errorLines returns the log lines at level ERROR.
func errorLines(stderr string) []string {
	var out []string
	for _, line := range strings.Split(stderr, "\n") {
		if strings.Contains(line, "level=ERROR") {
			out = append(out, line)
		}
	}
	return out
}

func TestServeRefusesBadConfiguration(t *testing.T) {
	webBinary(t)

	tmp := t.TempDir()
	secretFile := filepath.Join(tmp, "secret")
	if err := os.WriteFile(secretFile, []byte("s3cret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	validAppID := "wx0123456789abcdef"
	aesKey := strings.Repeat("k", 43)

	for _, c := range []struct {
		name string
		env  []string
		args []string
		want string // the setting the line must name
	}{
		{"appid too short", []string{"WX_APPID=wx123"}, nil, "WX_APPID"},
		{"appid without secret", []string{"WX_APPID=" + validAppID}, nil, "WX_SECRET"},
		{"secret without appid", []string{"WX_SECRET=s3cret"}, nil, "WX_SECRET"},
		{"secret and secret file", []string{"WX_APPID=" + validAppID, "WX_SECRET=s3cret", "WX_SECRET_FILE=" + secretFile}, nil, "WX_SECRET_FILE"},
		{"missing secret file", []string{"WX_APPID=" + validAppID, "WX_SECRET_FILE=" + filepath.Join(tmp, "nope")}, nil, "WX_SECRET_FILE"},
		{"addr nonsense", []string{"ADDR=nonsense"}, nil, "ADDR"},
		{"addr flag nonsense", nil, []string{"--addr", "nonsense"}, "ADDR"},
		{"api base ftp", []string{"WX_API_BASE=ftp://x"}, nil, "WX_API_BASE"},
		{"public url without scheme", []string{"PUBLIC_URL=shop.example.com"}, nil, "PUBLIC_URL"},
		{"aes key short", []string{"WX_ENCODING_AES_KEY=short"}, nil, "WX_ENCODING_AES_KEY"},
		{"aes key without callback token", []string{"WX_ENCODING_AES_KEY=" + aesKey}, nil, "WX_CALLBACK_TOKEN"},
		{"admin password short", []string{"ADMIN_PASSWORD=short"}, nil, "ADMIN_PASSWORD"},
		// bcrypt takes at most 72 bytes: 25 Chinese characters are 75.
		{"admin password too long", []string{"ADMIN_PASSWORD=" + strings.Repeat("密", 25)}, nil, "ADMIN_PASSWORD"},
		{"addr port out of range", []string{"ADDR=127.0.0.1:99999"}, nil, "ADDR"},
		{"unknown flag", nil, []string{"--bogus"}, "bogus"},
		{"stray argument", nil, []string{"serve"}, `"serve"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			dataDir := filepath.Join(t.TempDir(), "data")
			env := minimalEnv(append([]string{"DATA_DIR=" + dataDir}, c.env...)...)
			p := start(t, env, c.args...)
			code := p.wait(t, 10*time.Second)
			checkOneLineRefusal(t, code, p.stderr.String(), c.want)
			if _, err := os.Stat(dataDir); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("a refused configuration created the data dir (stat: %v)", err)
			}
		})
	}
}

func checkOneLineRefusal(t *testing.T, code int, stderr, want string) {
	t.Helper()
	if code == 0 {
		t.Errorf("exit code 0, want non-zero")
	}
	lines := strings.Split(strings.TrimRight(stderr, "\n"), "\n")
	if len(lines) != 1 {
		t.Errorf("stderr has %d lines, want one:\n%s", len(lines), stderr)
	}
	if !strings.HasPrefix(lines[0], "web:") {
		t.Errorf("first stderr line %q does not start with \"web:\"", lines[0])
	}
	if !strings.Contains(stderr, want) {
		t.Errorf("stderr %q does not name %s", stderr, want)
	}
}

func TestServeRefusesBadDataDir(t *testing.T) {
	webBinary(t)

	t.Run("corrupt database", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		dbFile := filepath.Join(dir, "wxshop.db")
		junk := bytes.Repeat([]byte("this is not an SQLite database\n"), 200)
		if err := os.WriteFile(dbFile, junk, 0o600); err != nil {
			t.Fatal(err)
		}
		p := start(t, minimalEnv("DATA_DIR="+dir, "ADDR="+freeAddr(t)))
		code := p.wait(t, 10*time.Second)
		checkOneLineRefusal(t, code, p.stderr.String(), dbFile)
		if got, err := os.ReadFile(dbFile); err != nil || !bytes.Equal(got, junk) {
			t.Errorf("the corrupt database file was changed or removed (err %v)", err)
		}
	})

	t.Run("data dir under a regular file", func(t *testing.T) {
		t.Parallel()
		file := filepath.Join(t.TempDir(), "file")
		if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
		dir := filepath.Join(file, "data")
		p := start(t, minimalEnv("DATA_DIR="+dir, "ADDR="+freeAddr(t)))
		code := p.wait(t, 10*time.Second)
		checkOneLineRefusal(t, code, p.stderr.String(), dir)
	})

	t.Run("read-only data dir", func(t *testing.T) {
		t.Parallel()
		if os.Geteuid() == 0 {
			t.Skip("root writes into read-only directories")
		}
		dir := filepath.Join(t.TempDir(), "ro")
		if err := os.Mkdir(dir, 0o500); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(dir, 0o700) })
		p := start(t, minimalEnv("DATA_DIR="+dir, "ADDR="+freeAddr(t)))
		code := p.wait(t, 10*time.Second)
		checkOneLineRefusal(t, code, p.stderr.String(), dir)
	})
}

func TestServeAddrInUse(t *testing.T) {
	webBinary(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	addr := ln.Addr().String()
	p := start(t, minimalEnv("DATA_DIR="+t.TempDir(), "ADDR="+addr, "ADMIN_PASSWORD=a long password"))
	if code := p.wait(t, 15*time.Second); code == 0 {
		t.Errorf("exit code 0 with ADDR %s taken, want non-zero", addr)
	}
	lines := strings.Split(strings.TrimRight(p.stderr.String(), "\n"), "\n")
	last := lines[len(lines)-1]
	if !strings.HasPrefix(last, "web: ADDR") || !strings.Contains(last, addr) {
		t.Errorf("last stderr line %q, want \"web: ADDR %s: ...\"", last, addr)
	}
}

func TestServeSandboxFirstStartThenRestart(t *testing.T) {
	webBinary(t)
	dataDir := t.TempDir()
	addr := freeAddr(t)
	base := "http://" + addr
	env := minimalEnv("DATA_DIR="+dataDir, "ADDR="+addr)

	p := start(t, env)
	waitHealthy(t, p, base)
	// The password line is written before the server listens; give the pipe a moment to deliver it.
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(p.stderr.String(), "First start") && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	password := generatedPassword(t, p.stderr.String())

	if resp := login(t, newClient(t), base, "admin", "not the password"); resp.StatusCode == http.StatusSeeOther {
		t.Errorf("POST /login with a wrong password = 303 to %q", resp.Header.Get("Location"))
	}
	checkSignIn(t, base, password)
	p.stop(t)
	stderr := p.stderr.String()
	generatedPassword(t, stderr) // still exactly once
	if !strings.Contains(stderr, "sandbox mode") {
		t.Errorf("the first start did not say it runs in sandbox mode; stderr:\n%s", stderr)
	}
	if errs := errorLines(stderr); len(errs) > 0 {
		t.Errorf("a clean start and stop logged errors:\n%s", strings.Join(errs, "\n"))
	}
	if _, err := os.Stat(filepath.Join(dataDir, "wxshop.db")); err != nil {
		t.Errorf("no database in the data dir: %v", err)
	}

	// Second start on the same data dir: the admin exists, nothing is printed, the password still works.
	p2 := start(t, env)
	waitHealthy(t, p2, base)
	checkSignIn(t, base, password)
	p2.stop(t)
	stderr = p2.stderr.String()
	if strings.Contains(stderr, "First start") || strings.Contains(stderr, password) {
		t.Errorf("the second start printed a password; stderr:\n%s", stderr)
	}
	if errs := errorLines(stderr); len(errs) > 0 {
		t.Errorf("the second start logged errors:\n%s", strings.Join(errs, "\n"))
	}
}

func TestServeWithAdminPassword(t *testing.T) {
	webBinary(t)
	addr := freeAddr(t)
	base := "http://" + addr
	password := "twelve chars"
	p := start(t, minimalEnv("DATA_DIR="+t.TempDir(), "ADDR="+addr, "ADMIN_PASSWORD="+password))
	waitHealthy(t, p, base)
	checkSignIn(t, base, password)
	p.stop(t)
	stderr := p.stderr.String()
	if strings.Contains(stderr, "First start") || strings.Contains(stderr, password) {
		t.Errorf("a start with ADMIN_PASSWORD printed a password; stderr:\n%s", stderr)
	}
}

func TestServeAdminPasswordFile(t *testing.T) {
	webBinary(t)
	addr := freeAddr(t)
	base := "http://" + addr
	password := "from a file, 1"
	file := filepath.Join(t.TempDir(), "admin-password")
	if err := os.WriteFile(file, []byte(password+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	p := start(t, minimalEnv("DATA_DIR="+t.TempDir(), "ADDR="+addr, "ADMIN_PASSWORD_FILE="+file))
	waitHealthy(t, p, base)
	checkSignIn(t, base, password)
	p.stop(t)
	if strings.Contains(p.stderr.String(), "First start") {
		t.Errorf("a start with ADMIN_PASSWORD_FILE printed a password")
	}
}

func TestSandboxCommand(t *testing.T) {
	webBinary(t)
	addr := freeAddr(t)
	p := start(t, minimalEnv(), "sandbox", "--addr", addr)
	defaults := sandbox.New(sandbox.Options{})

	stableToken := func(appID, secret string) (map[string]any, error) {
		body, _ := json.Marshal(map[string]string{"grant_type": "client_credential", "appid": appID, "secret": secret})
		resp, err := http.Post("http://"+addr+"/cgi-bin/stable_token", "application/json", bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("HTTP %d", resp.StatusCode)
		}
		var answer map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&answer); err != nil {
			return nil, err
		}
		return answer, nil
	}

	var answer map[string]any
	deadline := time.Now().Add(15 * time.Second)
	for {
		select {
		case <-p.done:
			t.Fatalf("web sandbox exited (%v); stderr:\n%s", p.err, p.stderr)
		default:
		}
		var err error
		if answer, err = stableToken(defaults.AppID(), defaults.Secret()); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("stable_token did not answer within 15s: %v; stderr:\n%s", err, p.stderr)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if tok, _ := answer["access_token"].(string); tok == "" {
		t.Errorf("stable_token answered %v, want an access_token", answer)
	}
	if exp, _ := answer["expires_in"].(float64); exp <= 0 {
		t.Errorf("stable_token answered expires_in %v, want > 0", answer["expires_in"])
	}

	wrong, err := stableToken(defaults.AppID(), "wrong-secret")
	if err != nil {
		t.Fatal(err)
	}
	if code, _ := wrong["errcode"].(float64); code == 0 || wrong["access_token"] != nil {
		t.Errorf("stable_token with a wrong secret answered %v, want an errcode", wrong)
	}

	p.stop(t)
	stderr := p.stderr.String()
	for _, want := range []string{"WX_API_BASE=http://" + addr, "WX_APPID=" + defaults.AppID(), "WX_SECRET=" + defaults.Secret()} {
		if !strings.Contains(stderr, want) {
			t.Errorf("web sandbox did not print %s; stderr:\n%s", want, stderr)
		}
	}
}

func TestSandboxCommandAddrInUse(t *testing.T) {
	webBinary(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	p := start(t, minimalEnv(), "sandbox", "--addr", ln.Addr().String())
	code := p.wait(t, 10*time.Second)
	checkOneLineRefusal(t, code, p.stderr.String(), ln.Addr().String())
}

// A server pointed at a separately running `web sandbox` starts in live mode against it.
func TestServeAgainstSandboxCommand(t *testing.T) {
	webBinary(t)
	sbAddr := freeAddr(t)
	sb := start(t, minimalEnv(), "sandbox", "--addr", sbAddr)
	defaults := sandbox.New(sandbox.Options{})
	addr := freeAddr(t)
	base := "http://" + addr
	p := start(t, minimalEnv("DATA_DIR="+t.TempDir(), "ADDR="+addr, "ADMIN_PASSWORD=a long password",
		"WX_API_BASE=http://"+sbAddr, "WX_APPID="+defaults.AppID(), "WX_SECRET="+defaults.Secret()))
	waitHealthy(t, p, base)
	checkSignIn(t, base, "a long password")
	p.stop(t)
	sb.stop(t)
	if strings.Contains(p.stderr.String(), "sandbox mode") {
		t.Errorf("a server with WX_APPID set ran its own sandbox; stderr:\n%s", p.stderr)
	}
}
