package main

import (
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"time"

	"wxshop/internal/db"
)

// pprofEnv names a loopback address on which the server also serves net/http/pprof. Only the benchmark
// (cmd/bench, `make bench PROFILE=1`) sets it; it is not a setting of the app and is never on by default.
const pprofEnv = "WXSHOP_PPROF_ADDR"

// startProfiling serves the profiles on the address in WXSHOP_PPROF_ADDR, if any, and refuses any address
// that is not loopback. It returns a function that stops it.
func startProfiling(log *slog.Logger) (func(), error) {
	addr := os.Getenv(pprofEnv)
	if addr == "" {
		return func() {}, nil
	}
	host, _, err := net.SplitHostPort(addr)
	if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
		return nil, fmt.Errorf("%s %q: want a loopback address such as 127.0.0.1:6060", pprofEnv, addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", pprofEnv, addr, err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	log.Warn("profiling endpoints are on (benchmark only)", "addr", ln.Addr().String())
	return func() { srv.Close() }, nil
}

// benchFreshEnv, set to 1 by the benchmark alone, makes the server honour benchFreshHeader: a request that
// carries it is served as the first after a commit would be (db.WithFreshReads), nothing kept used, so the
// benchmark can measure rendered pages without writing. Without the variable the header means nothing.
const (
	benchFreshEnv    = "WXSHOP_BENCH_FRESH"
	benchFreshHeader = "X-Wxshop-Bench-Fresh"
)

// benchFresh wraps h for the benchmark when benchFreshEnv is set; otherwise it is h.
func benchFresh(h http.Handler, log *slog.Logger) http.Handler {
	if os.Getenv(benchFreshEnv) != "1" {
		return h
	}
	log.Warn("requests may ask to be served as after a write (benchmark only)", "header", benchFreshHeader)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get(benchFreshHeader) == "1" {
			r = r.WithContext(db.WithFreshReads(r.Context()))
		}
		h.ServeHTTP(w, r)
	})
}
