// Command bench measures the server against a large sandbox shop and prints one table (`make bench`).
//
// It builds nothing: it runs the bin/web the Makefile built. It starts `web sandbox --orders N` and the server
// against it with a fresh data dir, both on free loopback ports, lets the server's first start sync every order
// source, times a second sync asked for from the dashboard, restarts the server on the full database to time
// the start-up, signs in and loads each page with a fixed number of keep-alive, gzip-accepting requests at
// each concurrency, and compares every page with a static answer of the same size from the same server. It
// stops by itself, and stops its children on the way out, whatever happens.
//
// It is a benchmark, not a test: it reports and checks the numbers against the targets, and exits 0 unless
// something broke (a target missed is a "no" in the table, not a failure).
package main

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"path"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"wxshop/internal/db/pgtest"
)

const adminPassword = "bench-admin-password"

type options struct {
	web         string
	orders      int
	requests    int
	concurrency []int
	profileDir  string
	keep        bool
	timeout     time.Duration
	rowLimit    time.Duration
	server      string
	password    string
	pprof       string
	pid         int
	syncOrders  int
	postgres    bool
	only        *regexp.Regexp
}

func main() {
	var o options
	var conc string
	flag.StringVar(&o.web, "web", "bin/web", "the built server binary")
	flag.IntVar(&o.orders, "orders", 100000, "orders in the shop whose pages are loaded (written by web seed)")
	flag.IntVar(&o.syncOrders, "sync-orders", 0, "orders in the sandbox shop the first sync is measured on (0: -orders, at most 50 000)")
	dbName := flag.String("db", "sqlite", "the database: sqlite, or postgres (a throwaway cluster, two servers on it)")
	flag.IntVar(&o.requests, "requests", 1000, "requests per page and concurrency")
	flag.StringVar(&conc, "c", "1,32", "concurrencies, comma-separated")
	flag.StringVar(&o.profileDir, "profile", "", "also write a 10 s CPU profile of the server under load at the highest concurrency for each page into this dir")
	flag.BoolVar(&o.keep, "keep", false, "keep the temporary dir (data dir, logs)")
	flag.StringVar(&o.server, "server", "", "only load the pages of this running server (http://127.0.0.1:port), signed in as admin with -password; no sandbox, sync or restart")
	flag.StringVar(&o.password, "password", "", "with -server: the admin's password")
	flag.StringVar(&o.pprof, "pprof", "", "with -server and -profile: the server's WXSHOP_PPROF_ADDR")
	flag.IntVar(&o.pid, "pid", 0, "with -server: the server's process id, to report its CPU time per request")
	flag.DurationVar(&o.timeout, "timeout", 30*time.Minute, "give up after this long")
	flag.DurationVar(&o.rowLimit, "row-limit", time.Minute, "stop a row after this long and report the requests done so far")
	only := flag.String("pages", "", "load only the pages whose name matches this regular expression (e.g. 'order page|search')")
	flag.Parse()
	if *only != "" {
		re, err := regexp.Compile(*only)
		if err != nil {
			fmt.Fprintf(os.Stderr, "bench: -pages: %v\n", err)
			os.Exit(2)
		}
		o.only = re
	}
	for _, f := range strings.Split(conc, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 || n > 256 {
			fmt.Fprintf(os.Stderr, "bench: -c %q: want numbers from 1 to 256\n", conc)
			os.Exit(2)
		}
		o.concurrency = append(o.concurrency, n)
	}
	switch *dbName {
	case "sqlite":
	case "postgres":
		o.postgres = true
	default:
		fmt.Fprintf(os.Stderr, "bench: -db %q: want sqlite or postgres\n", *dbName)
		os.Exit(2)
	}
	if o.requests < 10 || o.orders < 1 {
		fmt.Fprintln(os.Stderr, "bench: -requests must be at least 10 and -orders at least 1")
		os.Exit(2)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	b := &bench{opts: o}
	err := b.run(ctx)
	if err != nil && len(b.rows) > 0 {
		b.print() // what was measured before it broke
	}
	b.cleanup()
	cancel()
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		if b.dir != "" && o.keep {
			fmt.Fprintln(os.Stderr, "bench: logs are in", b.dir)
		}
		os.Exit(1)
	}
}

type bench struct {
	opts     options
	dir      string
	sandbox  *child
	servers  []*child // the servers running now: one, or two on PostgreSQL's pages
	children []*child

	apiBase, appID, secret string
	base                   string   // the first server's http://127.0.0.1:port
	bases                  []string // every server's; page loads spread over them
	pids                   []int    // the servers' process ids, for their CPU time; none if unknown
	pprofAddr              string
	cookie                 string

	rows []row
}

// row is one line of the table.
type row struct {
	measure, result, target string
	met                     string // "yes", "no" or ""
}

func (b *bench) add(measure, result, target string, ok *bool) {
	met := ""
	if ok != nil {
		met = map[bool]string{true: "yes", false: "**no**"}[*ok]
	}
	b.rows = append(b.rows, row{measure, result, target, met})
}

func ptr(v bool) *bool { return &v }

func (b *bench) run(ctx context.Context) error {
	if b.opts.server != "" {
		return b.runPagesOnly(ctx)
	}
	web, err := filepath.Abs(b.opts.web)
	if err != nil {
		return err
	}
	if _, err := os.Stat(web); err != nil {
		return fmt.Errorf("%s: %w (run `make build` first)", b.opts.web, err)
	}
	b.opts.web = web
	if b.dir, err = os.MkdirTemp("", "wxshop-bench-"); err != nil {
		return err
	}
	if b.opts.postgres {
		defer pgtest.Stop()
	}

	// 1. The first sync, at the size the machine allows: a sandbox shop of -sync-orders orders and the server
	// on a fresh database, which syncs every order source by itself on its first start.
	syncOrders := cmp.Or(b.opts.syncOrders, min(b.opts.orders, 50000))
	if err := b.startSandbox(ctx, syncOrders); err != nil {
		return err
	}
	dbURL, err := b.newDatabase()
	if err != nil {
		return err
	}
	progress("starting the server on a fresh database; it syncs every order source on its first start")
	sandboxCPU := cpuTime(b.sandbox.cmd.Process.Pid)
	start1, first, err := b.startServers(ctx, filepath.Join(b.dir, "sync"), dbURL, 1)
	if err != nil {
		return err
	}
	if err := b.measureFirstSync(ctx, start1, syncOrders, sandboxCPU); err != nil {
		return err
	}
	b.add("start-up to the first 200 on /healthz, fresh database", ms(first), "", nil)
	if err := b.signIn(ctx); err != nil {
		return err
	}
	if err := b.measureResync(ctx); err != nil {
		return err
	}
	rss1, err := peakRSS(b.servers[0].cmd.Process.Pid)
	if err != nil {
		return err
	}
	if err := b.stopServers(); err != nil {
		return err
	}
	if err := b.sandbox.stop(30 * time.Second); err != nil {
		return err
	}

	// 2. The large shop for the pages: every order of a sandbox shop of -orders orders written straight into
	// a fresh database (web seed: what a first sync and the events of the sources without a list write).
	if err := b.startSandbox(ctx, b.opts.orders); err != nil {
		return err
	}
	if dbURL, err = b.newDatabase(); err != nil {
		return err
	}
	dataDir := filepath.Join(b.dir, "data")
	if err := b.seed(ctx, dataDir, dbURL); err != nil {
		return err
	}
	// Its first start fills the product and other mirrors (the orders are marked synced); then a restart.
	progress("first start on the seeded database: the mirrors")
	if _, _, err := b.startServers(ctx, dataDir, dbURL, 1); err != nil {
		return err
	}
	if _, err := b.servers[0].waitLine(ctx, "start-up work finished", 5*time.Minute); err != nil {
		return err
	}
	if err := b.stopServers(); err != nil {
		return err
	}
	progress("restarting the server on the full database")
	_, up, err := b.startServers(ctx, dataDir, dbURL, b.instances())
	if err != nil {
		return err
	}
	orders, err := b.orderCount(ctx)
	if err != nil {
		return err
	}
	upOK := up < time.Second
	b.add(fmt.Sprintf("start-up to the first 200 on /healthz, %d orders in the database", orders), ms(up), "< 1 s", &upOK)
	if err := b.measurePages(ctx); err != nil {
		return err
	}
	var rss2 int64
	for _, s := range b.servers {
		r, err := peakRSS(s.cmd.Process.Pid)
		if err != nil {
			return err
		}
		rss2 = max(rss2, r)
	}
	syncOK, serveOK := rss1 < 200<<20, rss2 < 100<<20
	b.add(fmt.Sprintf("peak RSS of the server (VmHWM) through the first sync of %d orders", syncOrders), mb(rss1), "< 200 MB", &syncOK)
	b.add(fmt.Sprintf("peak RSS of the server (VmHWM) serving the pages of %d orders", orders), mb(rss2), "< 100 MB", &serveOK)
	if err := b.stopServers(); err != nil {
		return err
	}
	b.print()
	b.rows = nil
	return nil
}

// instances is how many servers share the database for the pages: two on PostgreSQL, requests spread over
// both; one on SQLite.
func (b *bench) instances() int {
	if b.opts.postgres {
		return 2
	}
	return 1
}

// newDatabase is a new, empty PostgreSQL database of the bench's own throwaway cluster, or "" for SQLite
// (a fresh data dir then holds the database).
func (b *bench) newDatabase() (string, error) {
	if !b.opts.postgres {
		return "", nil
	}
	progress("a new database on the throwaway PostgreSQL cluster")
	u, err := pgtest.NewDatabase()
	if err != nil {
		return "", fmt.Errorf("PostgreSQL: %w", err)
	}
	return u, nil
}

// startSandbox starts `web sandbox` with a shop of n orders and takes its settings.
func (b *bench) startSandbox(ctx context.Context, n int) error {
	addr, err := freeAddr()
	if err != nil {
		return err
	}
	progress("starting the sandbox with %d orders", n)
	b.sandbox, err = b.start(ctx, "sandbox", nil, "sandbox", "--addr", addr, "--orders", strconv.Itoa(n))
	if err != nil {
		return err
	}
	line, err := b.sandbox.waitLine(ctx, "sandbox listening", 5*time.Minute)
	if err != nil {
		return err
	}
	b.apiBase, b.appID, b.secret = logField(line, "WX_API_BASE"), logField(line, "WX_APPID"), logField(line, "WX_SECRET")
	if b.apiBase == "" || b.appID == "" || b.secret == "" {
		return fmt.Errorf("the sandbox did not say its settings: %s", line)
	}
	return nil
}

var seedLine = regexp.MustCompile(`seed: (\d+) orders written in ([0-9.]+) s`)

// seed runs `web seed` into dataDir (or dbURL) from the sandbox and reports how long it took.
func (b *bench) seed(ctx context.Context, dataDir, dbURL string) error {
	progress("writing the sandbox shop's orders into the database (web seed)")
	args := []string{"seed", "--from", b.apiBase, "--data-dir", dataDir}
	if dbURL != "" {
		args = append(args, "--database-url", dbURL)
	}
	cmd := exec.CommandContext(ctx, b.opts.web, args...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
	setParentDeath(cmd)
	t0 := time.Now()
	out, err := cmd.CombinedOutput()
	took := time.Since(t0)
	if err != nil {
		return fmt.Errorf("web seed: %v: %s", err, out)
	}
	m := seedLine.FindStringSubmatch(string(out))
	if m == nil {
		return fmt.Errorf("web seed said: %s", out)
	}
	n, _ := strconv.Atoi(m[1])
	cpu := time.Duration(0)
	if cmd.ProcessState != nil {
		cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	b.add(fmt.Sprintf("seeding the pages' database: %d orders written straight from the sandbox's export (web seed), %d a transaction", n, 10000),
		fmt.Sprintf("%.1f s, %.0f orders/s (%.1f s of its CPU)", took.Seconds(), float64(n)/took.Seconds(), cpu.Seconds()), "", nil)
	return nil
}

// runPagesOnly loads the pages of a server someone else started: for working on one page.
func (b *bench) runPagesOnly(ctx context.Context) error {
	u, err := url.Parse(b.opts.server)
	if err != nil || u.Scheme != "http" || u.Host == "" {
		return fmt.Errorf("-server %q: want http://host:port", b.opts.server)
	}
	if host := u.Hostname(); host != "127.0.0.1" && host != "localhost" && host != "::1" {
		return fmt.Errorf("-server %q: only a server on this machine's loopback is loaded", b.opts.server)
	}
	b.base = strings.TrimRight(b.opts.server, "/")
	b.pprofAddr = b.opts.pprof
	b.bases = []string{b.base}
	if b.opts.pid != 0 {
		b.pids = []int{b.opts.pid}
	}
	if b.opts.profileDir != "" && b.pprofAddr == "" {
		return errors.New("-server with -profile needs -pprof, the server's WXSHOP_PPROF_ADDR")
	}
	if err := b.signIn(ctx); err != nil {
		return err
	}
	if err := b.measurePages(ctx); err != nil {
		return err
	}
	b.print()
	b.rows = nil
	return nil
}

// ---- processes

type child struct {
	name   string
	cmd    *exec.Cmd
	log    string // path of its stderr
	done   chan struct{}
	err    error
	mu     sync.Mutex
	lines  []string // stderr lines matching watch
	watch  []string
	notify chan struct{}
	calls  map[string]int // the sandbox's "sandbox: call" lines, per path
	seen   int            // stderr lines read so far
}

// start runs bin/web with args; its stderr goes to a file in the temp dir and lines containing one of watch
// are kept for waitLine.
func (b *bench) start(ctx context.Context, name string, env []string, args ...string) (*child, error) {
	c := &child{name: name, done: make(chan struct{}), notify: make(chan struct{}, 1), calls: map[string]int{},
		watch: []string{"sandbox listening", "first order sync", "wxshop is listening", "start-up work finished", "level=ERROR"}}
	c.log = filepath.Join(b.dir, fmt.Sprintf("%s-%d.log", name, len(b.children)))
	logFile, err := os.Create(c.log)
	if err != nil {
		return nil, err
	}
	c.cmd = exec.Command(b.opts.web, args...)
	c.cmd.Dir = b.dir
	c.cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}, env...)
	c.cmd.Stdout = logFile
	setParentDeath(c.cmd)
	pipe, err := c.cmd.StderrPipe()
	if err != nil {
		logFile.Close()
		return nil, err
	}
	if err := c.cmd.Start(); err != nil {
		logFile.Close()
		return nil, err
	}
	b.children = append(b.children, c)
	copied := make(chan struct{})
	go func() {
		defer close(copied)
		sc := bufio.NewScanner(pipe)
		sc.Buffer(make([]byte, 64<<10), 4<<20)
		w := bufio.NewWriterSize(logFile, 64<<10)
		for sc.Scan() {
			line := sc.Text()
			w.WriteString(line)
			w.WriteByte('\n')
			c.mu.Lock()
			c.seen++
			if strings.Contains(line, "sandbox: call") {
				c.calls[logField(line, "path")]++
			}
			c.mu.Unlock()
			for _, s := range c.watch {
				if strings.Contains(line, s) {
					c.mu.Lock()
					c.lines = append(c.lines, line)
					c.mu.Unlock()
					w.Flush()
					select {
					case c.notify <- struct{}{}:
					default:
					}
					break
				}
			}
		}
		w.Flush()
		logFile.Close()
	}()
	go func() {
		<-copied
		c.err = c.cmd.Wait()
		close(c.done)
	}()
	return c, nil
}

// matching returns the watched lines containing s.
func (c *child) matching(s string) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for _, l := range c.lines {
		if strings.Contains(l, s) {
			out = append(out, l)
		}
	}
	return out
}

// waitLines waits until n watched lines contain s, failing if the process exits, logs an error, or time runs out.
func (c *child) waitLines(ctx context.Context, s string, n int, within time.Duration) ([]string, error) {
	deadline := time.NewTimer(within)
	defer deadline.Stop()
	for {
		if got := c.matching(s); len(got) >= n {
			return got, nil
		}
		if errs := c.matching("level=ERROR"); len(errs) > 0 {
			return nil, fmt.Errorf("%s logged an error: %s", c.name, errs[0])
		}
		select {
		case <-c.notify:
		case <-c.done:
			if got := c.matching(s); len(got) >= n {
				return got, nil
			}
			return nil, fmt.Errorf("%s exited (%v) before logging %q; see %s", c.name, c.err, s, c.log)
		case <-deadline.C:
			return nil, fmt.Errorf("%s did not log %q within %s; see %s", c.name, s, within, c.log)
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

func (c *child) waitLine(ctx context.Context, s string, within time.Duration) (string, error) {
	lines, err := c.waitLines(ctx, s, 1, within)
	if err != nil {
		return "", err
	}
	return lines[0], nil
}

// stop sends SIGTERM and waits, killing the process if it does not stop in time.
func (c *child) stop(within time.Duration) error {
	select {
	case <-c.done:
		return nil
	default:
	}
	c.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-c.done:
		var exit *exec.ExitError
		if errors.As(c.err, &exit) {
			return fmt.Errorf("%s exited with %v; see %s", c.name, c.err, c.log)
		}
		return nil
	case <-time.After(within):
		c.cmd.Process.Kill()
		<-c.done
		return fmt.Errorf("%s did not stop within %s", c.name, within)
	}
}

func (b *bench) cleanup() {
	for _, c := range b.children {
		select {
		case <-c.done:
		default:
			c.cmd.Process.Signal(syscall.SIGTERM)
			select {
			case <-c.done:
			case <-time.After(10 * time.Second):
				c.cmd.Process.Kill()
				<-c.done
			}
		}
	}
	if b.dir != "" && !b.opts.keep {
		os.RemoveAll(b.dir)
	}
}

// startServers starts n servers on dataDir (or the PostgreSQL database dbURL) and waits for the first 200 of
// each on /healthz; it returns when the first was started and how long its 200 took.
func (b *bench) startServers(ctx context.Context, dataDir, dbURL string, n int) (time.Time, time.Duration, error) {
	b.servers, b.bases, b.pids = nil, nil, nil
	var started time.Time
	var first time.Duration
	for i := range n {
		addr, err := freeAddr()
		if err != nil {
			return time.Time{}, 0, err
		}
		base := "http://" + addr
		env := []string{"ADDR=" + addr, "DATA_DIR=" + dataDir, "WX_APPID=" + b.appID, "WX_SECRET=" + b.secret,
			"WX_API_BASE=" + b.apiBase, "ADMIN_PASSWORD=" + adminPassword, "WXSHOP_BENCH_FRESH=1"}
		if dbURL != "" {
			env = append(env, "DATABASE_URL="+dbURL)
		}
		if b.opts.profileDir != "" && i == 0 {
			if b.pprofAddr, err = freeAddr(); err != nil {
				return time.Time{}, 0, err
			}
			env = append(env, "WXSHOP_PPROF_ADDR="+b.pprofAddr)
		}
		t0 := time.Now()
		srv, err := b.start(ctx, "server", env)
		if err != nil {
			return time.Time{}, 0, err
		}
		b.servers, b.bases, b.pids = append(b.servers, srv), append(b.bases, base), append(b.pids, srv.cmd.Process.Pid)
		up, err := waitHealthy(ctx, srv, base, t0)
		if err != nil {
			return time.Time{}, 0, err
		}
		if i == 0 {
			started, first = t0, up
		}
	}
	b.base = b.bases[0]
	return started, first, nil
}

// waitHealthy waits for the server's first 200 on /healthz and returns how long it took from started.
func waitHealthy(ctx context.Context, srv *child, base string, started time.Time) (time.Duration, error) {
	client := &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	deadline := started.Add(60 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-srv.done:
			return 0, fmt.Errorf("the server exited (%v) before answering /healthz; see %s", srv.err, srv.log)
		case <-ctx.Done():
			return 0, ctx.Err()
		default:
		}
		resp, err := client.Get(base + "/healthz")
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return time.Since(started), nil
			}
		}
		time.Sleep(2 * time.Millisecond)
	}
	return 0, fmt.Errorf("the server did not answer /healthz within 60 s; see %s", srv.log)
}

// stopServers stops the servers started last.
func (b *bench) stopServers() error {
	var errs []error
	for _, s := range b.servers {
		if err := s.stop(30 * time.Second); err != nil {
			errs = append(errs, fmt.Errorf("stopping the server: %w", err))
		}
	}
	b.servers = nil
	return errors.Join(errs...)
}

// ---- the sync

// orderPaths are the sandbox paths of the order calls, and the token calls the client makes first.
var orderPaths = []string{"/merchant/order/getbyfilter", "/merchant/order/getbyid", "/product/order/get",
	"/channels/ec/order/list/get", "/channels/ec/order/get", "/channels/ec/cooperation/order/get",
	"/cgi-bin/stable_token", "/cgi-bin/token"}

// upstreamCalls counts the sandbox's calls per path from its log, one line per call. The sandbox logs a
// call before it answers, so every call answered is in its log; the lines are read until none has come for
// a moment.
func (b *bench) upstreamCalls() (map[string]int, error) {
	last := -1
	for range 100 {
		b.sandbox.mu.Lock()
		seen := b.sandbox.seen
		b.sandbox.mu.Unlock()
		if seen == last {
			break
		}
		last = seen
		time.Sleep(100 * time.Millisecond)
	}
	b.sandbox.mu.Lock()
	defer b.sandbox.mu.Unlock()
	return maps.Clone(b.sandbox.calls), nil
}

// syncLine is one "first order sync" line of the server's log.
type syncLine struct {
	at            time.Time
	source        string
	orders, calls int
	err           string
}

func parseSyncLine(line string) syncLine {
	at, _ := time.Parse(time.RFC3339Nano, logField(line, "time"))
	orders, _ := strconv.Atoi(logField(line, "orders"))
	calls, _ := strconv.Atoi(logField(line, "calls"))
	return syncLine{at: at, source: logField(line, "source"), orders: orders, calls: calls, err: logField(line, "err")}
}

// measureFirstSync waits for the server's first start to sync the four sources. The sync is timed from the
// server's start (exec) to the log line of the last source: it includes the token, the shop's details and
// the product, group, postage and shelf mirrors, which take a few tens of milliseconds.
func (b *bench) measureFirstSync(ctx context.Context, started time.Time, shopOrders int, sandboxCPU time.Duration) error {
	lines, err := b.servers[0].waitLines(ctx, "first order sync", 4, 30*time.Minute)
	serverCPU := cpuTime(b.servers[0].cmd.Process.Pid)
	sandboxCPU = cpuTime(b.sandbox.cmd.Process.Pid) - sandboxCPU
	if err != nil {
		return err
	}
	var total syncLine
	var perSource []string
	chOrders := 0
	for _, l := range lines {
		s := parseSyncLine(l)
		if s.err != "" && s.err != "<nil>" {
			return fmt.Errorf("the first sync of %s failed: %s", s.source, s.err)
		}
		total.orders += s.orders
		total.calls += s.calls
		if s.at.After(total.at) {
			total.at = s.at
		}
		if s.source == "channels" {
			chOrders = s.orders
		}
		perSource = append(perSource, fmt.Sprintf("%s %d", s.source, s.orders))
	}
	took := total.at.Sub(started)
	calls, err := b.upstreamCalls()
	if err != nil {
		return err
	}
	used := 0
	for _, p := range orderPaths {
		used += calls[p]
	}
	// The least a sync can do: a token; one getbyfilter answers every merchant order of the span; Channels
	// lists 100 ids a page and has no batch get, so one list call per 100 orders and one get per order;
	// mini-shop and partner orders have no list API (they arrive by event), so a first sync has nothing to
	// refresh.
	minimum := 1 + 1 + (chOrders+99)/100 + chOrders
	rate := float64(total.orders) / took.Seconds()
	b.add(fmt.Sprintf("order sync, first start: %d of the %d orders (%s; mini-shop and partner orders have no list API and arrive by event)",
		total.orders, shopOrders, strings.Join(perSource, ", ")),
		fmt.Sprintf("%.1f s wall, %.0f orders/s, the sandbox answering on the same cores (%.1f s of its CPU)", took.Seconds(), rate, sandboxCPU.Seconds()), "", nil)
	// The app's own work is its CPU time: the sandbox's (and its JSON) is not in it, nor the waits on it.
	own := float64(total.orders) / serverCPU.Seconds()
	okOwn := own >= 5000
	b.add("the sync's rate of the app's own work: orders per second of the server's CPU (start-up and mirrors included)",
		fmt.Sprintf("%.0f orders/s (%.1f s of CPU for %d orders; a million at this rate: %.0f s)", own, serverCPU.Seconds(), total.orders, 1e6/own),
		"≥ 5 000 orders/s", &okOwn)
	okCalls := float64(used) <= 1.05*float64(minimum)
	b.add("upstream calls of the first sync (order and token calls counted by the sandbox)",
		fmt.Sprintf("%d against a minimum of %d (×%.3f): %s", used, minimum, float64(used)/float64(minimum), callSummary(calls)),
		"≤ 5% over the minimum", &okCalls)
	return nil
}

func callSummary(calls map[string]int) string {
	var parts []string
	for _, p := range orderPaths {
		if calls[p] > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", strings.TrimPrefix(p, "/"), calls[p]))
		}
	}
	return strings.Join(parts, ", ")
}

// measureResync times the sync the dashboard's button asks for, right after the first one.
func (b *bench) measureResync(ctx context.Context) error {
	before, err := b.upstreamCalls()
	if err != nil {
		return err
	}
	client := noRedirects(5 * time.Minute)
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, b.base+"/orders/sync", strings.NewReader(""))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Cookie", b.cookie)
	t0 := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	took := time.Since(t0)
	if resp.StatusCode != http.StatusSeeOther {
		return fmt.Errorf("POST /orders/sync: %d", resp.StatusCode)
	}
	after, err := b.upstreamCalls()
	if err != nil {
		return err
	}
	diff := map[string]int{}
	used := 0
	for _, p := range orderPaths {
		diff[p] = after[p] - before[p]
		used += diff[p]
	}
	b.add("order sync again (POST /orders/sync right after: merchant orders of the last 30 days again, Channels from its watermark)",
		fmt.Sprintf("%.1f s, %d upstream calls: %s", took.Seconds(), used, callSummary(diff)), "", nil)
	return nil
}

// ---- pages

func (b *bench) signIn(ctx context.Context) error {
	client := noRedirects(10 * time.Second)
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, b.base+"/login",
		strings.NewReader(url.Values{"username": {"admin"}, "password": {cmp.Or(b.opts.password, adminPassword)}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	for _, c := range resp.Cookies() {
		if c.Name == "wxshop_session" && c.Value != "" {
			b.cookie = c.Name + "=" + c.Value
		}
	}
	if resp.StatusCode != http.StatusSeeOther || b.cookie == "" {
		return fmt.Errorf("POST /login: %d, no session cookie", resp.StatusCode)
	}
	return nil
}

// get fetches path signed in, as a browser would (gzip), and returns the decoded body.
func (b *bench) get(ctx context.Context, path string) (string, error) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, b.base+path, nil)
	req.Header.Set("Cookie", b.cookie)
	resp, err := noRedirects(30 * time.Second).Do(req) // Go's transport asks for gzip and decodes it
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("GET %s: %d", path, resp.StatusCode)
	}
	return string(body), err
}

var (
	tabCount  = regexp.MustCompile(`data-testid="tab-([a-z]+)"[^>]*>\s*[^<]*?\((\d+)\)`)
	phoneRe   = regexp.MustCompile(`<small class="muted">(1[3-9]\d{9})</small>`)
	orderLink = regexp.MustCompile(`href="/orders/(\d+)"`)
	cssLink   = regexp.MustCompile(`<link[^>]+href="(/static/[^"]+\.css)"`)
	jsLink    = regexp.MustCompile(`<script[^>]+src="(/static/[^"]+\.js)"`)
)

// orderCount reads how many orders the list has, from its "all" tab.
func (b *bench) orderCount(ctx context.Context) (int, error) {
	if err := b.signIn(ctx); err != nil { // the same session would do; a new one costs nothing
		return 0, err
	}
	body, err := b.get(ctx, "/orders")
	if err != nil {
		return 0, err
	}
	for _, m := range tabCount.FindAllStringSubmatch(body, -1) {
		if m[1] == "all" {
			return strconv.Atoi(m[2])
		}
	}
	return 0, errors.New("/orders has no \"all\" tab with a count")
}

type page struct {
	name, path string
	main       bool // also at every concurrency and kept; the others only rendered at the highest
}

var (
	nameRe     = regexp.MustCompile(`<td>(\p{Han}{2,4}) (?:<span|<br>)`)
	orderIDRe  = regexp.MustCompile(`href="/orders/(\d+)">(\d{15,20})</a>`)
	titleRe    = regexp.MustCompile(`<td>(\p{Han}{4,})[^<]*×\d+</td>`)
	trackingRe = regexp.MustCompile(`data-testid="order-parcels".*?<code>([^<]+)</code>`)
)

// The targets of a page rendered afresh at the highest concurrency.
const (
	renderedP99    = 50 * time.Millisecond
	renderedCPU    = 500 * time.Microsecond
	renderedStatic = 0.25
)

func (b *bench) measurePages(ctx context.Context) error {
	const status = "done" // the largest status: its middle page is the deepest
	list, err := b.get(ctx, "/orders?status="+status)
	if err != nil {
		return err
	}
	counts := map[string]int{}
	for _, m := range tabCount.FindAllStringSubmatch(list, -1) {
		counts[m[1]], _ = strconv.Atoi(m[2])
	}
	count := counts[status]
	phone, name, title := phoneRe.FindStringSubmatch(list), nameRe.FindStringSubmatch(list), titleRe.FindStringSubmatch(list)
	ids := orderIDRe.FindAllStringSubmatch(list, -1)
	if count <= 0 || phone == nil || name == nil || title == nil || len(ids) == 0 {
		return errors.New("/orders?status=done shows no count, phone number, name, product or order link")
	}
	order := ids[len(ids)/2]
	// A done order shipped by a courier, for its tracking number (some went without logistics, some are
	// partner orders, which have no parcels).
	var tracking []string
	for i := range ids {
		shipped, err := b.get(ctx, "/orders/"+ids[(len(ids)/2+i)%len(ids)][1])
		if err != nil {
			return err
		}
		if tracking = trackingRe.FindStringSubmatch(shipped); tracking != nil {
			break
		}
	}
	if tracking == nil {
		return errors.New("no order of /orders?status=done shows a tracking number")
	}
	fragment := string([]rune(title[1])[1:4]) // three characters from inside a product's name
	// The deep page: the list reads a page past the middle backwards from the other end, so the middle one
	// walks the longest way into the index.
	last := (count + 49) / 50
	deep := (last + 1) / 2
	pages := []page{
		{"dashboard", "/", true},
		{"order list, all", "/orders", true},
		{"order list, done", "/orders?status=" + status, true},
		{fmt.Sprintf("order list, done, middle page (%d of %d, the deepest)", deep, last), fmt.Sprintf("/orders?status=%s&page=%d", status, deep), true},
	}
	for _, st := range []string{"topay", "toship", "partial", "shipped", "aftersale", "cancelled", "unknown"} {
		if counts[st] > 0 {
			pages = append(pages, page{"order list, " + st, "/orders?status=" + st, false})
		}
	}
	pages = append(pages,
		page{"search by phone", "/orders?q=" + phone[1], true},
		page{"search by name", "/orders?q=" + url.QueryEscape(name[1]), false},
		page{"search by order id", "/orders?q=" + order[2], false},
		page{"search by tracking number", "/orders?q=" + url.QueryEscape(tracking[1]), false},
		page{"search by product title fragment", "/orders?q=" + url.QueryEscape(fragment), true},
		page{"order page", "/orders/" + order[1], true},
		page{"product list", "/products", true},
	)

	dash, err := b.get(ctx, "/")
	if err != nil {
		return err
	}
	css, js := cssLink.FindStringSubmatch(dash), jsLink.FindAllStringSubmatch(dash, -1)
	if css == nil || len(js) == 0 {
		return errors.New("the dashboard links no CSS or JavaScript under /static/")
	}
	// The static reference: the largest asset (htmx), cut by a range to each page's size.
	var static string
	staticSize := 0
	for _, m := range js {
		n, _, err := b.fetch(ctx, http.MethodGet, m[1], "identity", "", false)
		if err != nil {
			return err
		}
		if n > staticSize {
			static, staticSize = m[1], n
		}
	}

	// First load of the dashboard: the page, the CSS and the scripts, gzipped.
	firstLoad := 0
	var parts []string
	for _, p := range append([]string{"/", css[1]}, func() []string {
		var out []string
		for _, m := range js {
			out = append(out, m[1])
		}
		return out
	}()...) {
		n, enc, err := b.fetch(ctx, http.MethodGet, p, "gzip", b.cookie, false)
		if err != nil {
			return err
		}
		firstLoad += n
		parts = append(parts, fmt.Sprintf("%s %s%s", path.Base(p), kb(n), map[bool]string{true: "", false: " (not gzipped)"}[enc == "gzip"]))
	}
	okFirst := firstLoad < 60<<10
	b.add("first load of the dashboard, gzipped: page, CSS, htmx and app.js", fmt.Sprintf("%s (%s)", kb(firstLoad), strings.Join(parts, ", ")), "< 60 KB", &okFirst)

	top := slices.Max(b.opts.concurrency)
	staticRefs := map[[2]int]loadResult{}
	staticRef := func(size, c int) (loadResult, error) {
		if r, ok := staticRefs[[2]int{size, c}]; ok {
			return r, nil
		}
		r, err := b.load(ctx, static, fmt.Sprintf("bytes=0-%d", size-1), c, false)
		if err == nil {
			staticRefs[[2]int{size, c}] = r
		}
		return r, err
	}
	for _, p := range pages {
		if b.opts.only != nil && !b.opts.only.MatchString(p.name) {
			continue
		}
		size, enc, err := b.fetch(ctx, http.MethodGet, p.path, "gzip", b.cookie, true)
		if err != nil {
			return err
		}
		encoding := "gz"
		if enc != "gzip" {
			encoding = "NOT gzipped"
		}
		refSize := min(size, staticSize)
		refSize = max(1024, refSize/1024*1024) // a few sizes, each measured once
		var runs []struct {
			c    int
			kept bool
		}
		if p.main {
			for _, c := range b.opts.concurrency {
				runs = append(runs, struct {
					c    int
					kept bool
				}{c, false})
			}
			runs = append(runs, struct {
				c    int
				kept bool
			}{top, true})
		} else {
			runs = append(runs, struct {
				c    int
				kept bool
			}{top, false})
		}
		for _, r := range runs {
			how := "rendered"
			if r.kept {
				how = "kept (the same page sent again from memory)"
			}
			label := fmt.Sprintf("%s `%s`, %s, c=%d", p.name, p.path, how, r.c)
			progress("%s", label)
			res, err := b.load(ctx, p.path, "", r.c, !r.kept)
			if err != nil {
				if ctx.Err() != nil {
					return err
				}
				b.add(label, "failed: "+err.Error(), "", ptr(false))
				continue
			}
			ref, err := staticRef(refSize, r.c)
			if err != nil {
				return err
			}
			ratio := res.rps / ref.rps
			result := fmt.Sprintf("%.0f req/s · p50 %s · p99 %s · %s %s · static %s: %.0f req/s · %.0f%%",
				res.rps, ms(res.p50), ms(res.p99), kb(res.bytes), encoding, kb(refSize), ref.rps, 100*ratio)
			if res.cpu > 0 {
				result += fmt.Sprintf(" · server CPU %s/req (static %s)", msPrecise(res.cpu), msPrecise(ref.cpu))
			}
			if res.cut {
				result += fmt.Sprintf(" (stopped at %s after %d requests)", b.opts.rowLimit, res.done)
			}
			var ok *bool
			target := ""
			if !r.kept && r.c == top {
				met := res.p99 < renderedP99 && ratio >= renderedStatic && (res.cpu == 0 || res.cpu <= renderedCPU)
				ok = &met
				target = fmt.Sprintf("p99 < %d ms, ≤ %s CPU, ≥ %.0f%% of static", renderedP99.Milliseconds(), msPrecise(renderedCPU), 100*renderedStatic)
			}
			b.add(label, result, target, ok)
		}
		if b.opts.profileDir != "" {
			if err := b.profile(ctx, p, top); err != nil {
				return err
			}
		}
	}
	return nil
}

// fetch GETs path once with the given Accept-Encoding and returns the body's size on the wire and its
// Content-Encoding; fresh asks for the page rendered afresh (freshHeader).
func (b *bench) fetch(ctx context.Context, method, p, acceptEncoding, cookie string, fresh bool) (int, string, error) {
	req, _ := http.NewRequestWithContext(ctx, method, b.base+p, nil)
	req.Header.Set("Accept-Encoding", acceptEncoding) // set by hand: Go's transport then leaves the body as sent
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	if fresh {
		req.Header.Set(freshHeader, "1")
	}
	resp, err := noRedirects(30 * time.Second).Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	n, err := io.Copy(io.Discard, resp.Body)
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("GET %s: %d", p, resp.StatusCode)
	}
	return int(n), resp.Header.Get("Content-Encoding"), err
}

// freshHeader asks the benchmark's server (started with WXSHOP_BENCH_FRESH=1, which only the benchmark sets)
// to serve a request as the first after a commit: nothing kept is used (pages, sessions, users, the
// dashboard's figures, page marks), so every request renders its page from the database, as the first view
// after an order arrives does. Without that variable the server ignores the header.
const freshHeader = "X-Wxshop-Bench-Fresh"

type loadResult struct {
	rps      float64
	p50, p99 time.Duration
	bytes    int           // of the last answer
	done     int           // requests measured
	cut      bool          // the row hit -row-limit before all were sent
	cpu      time.Duration // the server's CPU time per request, 0 if unknown
}

// load sends the fixed number of requests for path from c keep-alive connections at once, signed in and
// accepting gzip (or, for the static reference, asking for a range), after a short warm-up.
// With fresh, every request asks for the page rendered afresh (freshHeader). Requests go round the servers.
func (b *bench) load(ctx context.Context, p, rangeHeader string, c int, fresh bool) (loadResult, error) {
	tr := &http.Transport{MaxIdleConns: c, MaxIdleConnsPerHost: c, MaxConnsPerHost: c, DisableCompression: true,
		IdleConnTimeout: time.Minute}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	want := http.StatusOK
	if rangeHeader != "" {
		want = http.StatusPartialContent
	}
	var lastBytes atomic.Int64
	var seq atomic.Int64
	one := func() (time.Duration, error) {
		target := p
		base := b.bases[int(seq.Add(1))%len(b.bases)]
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+target, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		if fresh {
			req.Header.Set(freshHeader, "1")
		}
		if rangeHeader != "" {
			req.Header.Set("Range", rangeHeader)
		} else {
			req.Header.Set("Cookie", b.cookie)
		}
		t0 := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			return 0, err
		}
		n, err := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		took := time.Since(t0)
		if err != nil {
			return 0, err
		}
		if resp.StatusCode != want {
			return 0, fmt.Errorf("GET %s: %d, want %d", target, resp.StatusCode, want)
		}
		lastBytes.Store(n)
		return took, nil
	}
	// runN sends n requests from c workers; it stops early, without an error, when limit passes. It returns
	// how long it took and how many requests completed.
	runN := func(n int, lat []time.Duration, limit time.Duration) (time.Duration, int, error) {
		var next, done atomic.Int64
		var firstErr error
		var mu sync.Mutex
		var wg sync.WaitGroup
		t0 := time.Now()
		deadline := t0.Add(limit)
		for range c {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					if ctx.Err() != nil || time.Now().After(deadline) {
						return
					}
					i := next.Add(1) - 1
					if i >= int64(n) {
						return
					}
					d, err := one()
					if err != nil {
						mu.Lock()
						if firstErr == nil {
							firstErr = err
						}
						mu.Unlock()
						next.Store(int64(n)) // stop the others
						return
					}
					if lat != nil {
						lat[i] = d
					}
					done.Add(1)
				}
			}()
		}
		wg.Wait()
		if firstErr == nil {
			firstErr = ctx.Err()
		}
		return time.Since(t0), int(done.Load()), firstErr
	}
	if _, _, err := runN(max(2*c, 20), nil, b.opts.rowLimit); err != nil { // warm-up: connections open, caches filled
		return loadResult{}, err
	}
	lat := make([]time.Duration, b.opts.requests)
	cpu0 := b.serverCPU()
	took, done, err := runN(b.opts.requests, lat, b.opts.rowLimit)
	if err != nil {
		return loadResult{}, err
	}
	var cpu time.Duration
	if cpu0 > 0 && done > 0 {
		cpu = (b.serverCPU() - cpu0) / time.Duration(done)
	}
	measured := slices.DeleteFunc(lat, func(d time.Duration) bool { return d == 0 })
	if len(measured) == 0 {
		return loadResult{}, fmt.Errorf("GET %s: no request finished within %s", p, b.opts.rowLimit)
	}
	slices.Sort(measured)
	return loadResult{
		rps:   float64(done) / took.Seconds(),
		p50:   measured[len(measured)*50/100],
		p99:   measured[min(len(measured)-1, len(measured)*99/100)],
		bytes: int(lastBytes.Load()),
		done:  done,
		cut:   done < b.opts.requests,
		cpu:   cpu,
	}, nil
}

// profile writes a 10 s CPU profile of the server while it serves p at concurrency c.
func (b *bench) profile(ctx context.Context, p page, c int) error {
	const seconds = 10
	name := strings.NewReplacer("/", "_", "?", "_", "&", "_", "=", "-").Replace(strings.TrimPrefix(p.path, "/"))
	if name == "" {
		name = "dashboard"
	}
	if err := os.MkdirAll(b.opts.profileDir, 0o755); err != nil {
		return err
	}
	out := filepath.Join(b.opts.profileDir, name+".pprof")
	progress("profiling %s for %d s into %s", p.path, seconds, out)
	pctx, cancel := context.WithCancel(ctx)
	defer cancel()
	loadErr := make(chan error, 1)
	go func() {
		// Load until the profile is taken; each round is a fixed number of requests.
		for pctx.Err() == nil {
			if _, err := b.load(pctx, p.path, "", c, true); err != nil && pctx.Err() == nil {
				loadErr <- err
				return
			}
		}
		loadErr <- nil
	}()
	resp, err := (&http.Client{Timeout: (seconds + 30) * time.Second}).Get(fmt.Sprintf("http://%s/debug/pprof/profile?seconds=%d", b.pprofAddr, seconds))
	if err == nil {
		var f *os.File
		if f, err = os.Create(out); err == nil {
			_, err = io.Copy(f, resp.Body)
			f.Close()
		}
		resp.Body.Close()
	}
	cancel()
	if lerr := <-loadErr; lerr != nil && err == nil {
		err = lerr
	}
	return err
}

// ---- output

func (b *bench) print() {
	dbName := "SQLite, one server"
	if b.opts.postgres {
		dbName = "PostgreSQL (a throwaway cluster), two servers, requests spread over both"
	}
	fmt.Printf("\nwxshop benchmark: pages of a %d-order sandbox shop, %s, %d CPUs (%s/%s), %d requests per row after a warm-up, keep-alive, Accept-Encoding: gzip\n\n",
		b.opts.orders, dbName, runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, b.opts.requests)
	w := [3]int{len("measure"), len("result"), len("target")}
	for _, r := range b.rows {
		w[0], w[1], w[2] = max(w[0], width(r.measure)), max(w[1], width(r.result)), max(w[2], width(r.target))
	}
	line := func(a, b, c, d string) {
		fmt.Printf("| %s | %s | %s | %s |\n", pad(a, w[0]), pad(b, w[1]), pad(c, w[2]), d)
	}
	line("measure", "result", "target", "met")
	fmt.Printf("|%s|%s|%s|-----|\n", strings.Repeat("-", w[0]+2), strings.Repeat("-", w[1]+2), strings.Repeat("-", w[2]+2))
	for _, r := range b.rows {
		line(r.measure, r.result, r.target, r.met)
	}
	fmt.Println()
}

func width(s string) int { return len([]rune(s)) }

func pad(s string, n int) string { return s + strings.Repeat(" ", max(0, n-width(s))) }

// ---- helpers

func progress(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bench: "+format+"\n", args...)
}

func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

func noRedirects(timeout time.Duration) *http.Client {
	return &http.Client{Timeout: timeout, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// logField reads key=value (value possibly quoted) from a log/slog text line.
func logField(line, key string) string {
	i := strings.Index(line, " "+key+"=")
	if i < 0 {
		if !strings.HasPrefix(line, key+"=") {
			return ""
		}
		i = -1
	}
	rest := line[i+len(key)+2:]
	if strings.HasPrefix(rest, `"`) {
		if v, err := strconv.QuotedPrefix(rest); err == nil {
			s, _ := strconv.Unquote(v)
			return s
		}
	}
	if j := strings.IndexByte(rest, ' '); j >= 0 {
		return rest[:j]
	}
	return rest
}

// serverCPU is the CPU time the servers have used so far, 0 if unknown.
func (b *bench) serverCPU() time.Duration {
	var sum time.Duration
	for _, pid := range b.pids {
		sum += cpuTime(pid)
	}
	return sum
}

// cpuTime is the user and system CPU time pid has used so far, 0 if unknown.
func cpuTime(pid int) time.Duration {
	if pid == 0 {
		return 0
	}
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The command name (field 2) may hold spaces; the fields after its closing parenthesis are plain.
	rest := string(data)
	if i := strings.LastIndexByte(rest, ')'); i >= 0 {
		rest = rest[i+1:]
	}
	f := strings.Fields(rest)
	if len(f) < 13 {
		return 0
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64) // field 14 of the file
	stime, err2 := strconv.ParseInt(f[12], 10, 64) // field 15
	if err1 != nil || err2 != nil {
		return 0
	}
	const ticks = 100 // USER_HZ, 100 on Linux
	return time.Duration(utime+stime) * time.Second / ticks
}

// peakRSS reads the process's peak resident set (VmHWM) from /proc.
func peakRSS(pid int) (int64, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, fmt.Errorf("peak RSS: %w", err)
	}
	for _, l := range strings.Split(string(data), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "VmHWM:" {
			kb, err := strconv.ParseInt(f[1], 10, 64)
			return kb << 10, err
		}
	}
	return 0, errors.New("peak RSS: no VmHWM in /proc status")
}

func ms(d time.Duration) string {
	if d < 10*time.Millisecond {
		return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond))
	}
	return fmt.Sprintf("%.0f ms", float64(d)/float64(time.Millisecond))
}

// msPrecise is d in milliseconds with two decimals (CPU per request).
func msPrecise(d time.Duration) string {
	return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond))
}

func kb(n int) string { return fmt.Sprintf("%.1f KB", float64(n)/1024) }

func mb(n int64) string { return fmt.Sprintf("%.0f MB", float64(n)/(1<<20)) }
