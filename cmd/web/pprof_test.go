package main

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"wxshop/internal/db"
)

// The benchmark's header is honoured only by a server the benchmark started (WXSHOP_BENCH_FRESH=1).
func TestBenchFreshHeaderOnlyInBenchMode(t *testing.T) {
	var fresh bool
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fresh = db.FreshReads(r.Context()) })
	for _, tc := range []struct {
		env, header string
		want        bool
	}{{"", "1", false}, {"1", "", false}, {"1", "1", true}, {"0", "1", false}} {
		t.Setenv(benchFreshEnv, tc.env)
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		if tc.header != "" {
			req.Header.Set(benchFreshHeader, tc.header)
		}
		benchFresh(h, slog.New(slog.DiscardHandler)).ServeHTTP(httptest.NewRecorder(), req)
		if fresh != tc.want {
			t.Errorf("%s=%q, header %q: served fresh = %v, want %v", benchFreshEnv, tc.env, tc.header, fresh, tc.want)
		}
	}
}
