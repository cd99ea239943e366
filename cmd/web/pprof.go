package main

import (
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"time"
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
