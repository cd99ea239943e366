package app

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"wxshop/internal/i18n"
	"wxshop/internal/wx/sandbox"
)

// When the sandbox makes no order, the operator reads why in their language, never a Go error; the audit
// log keeps the sandbox's own words.
func TestSandboxButtonExplainsAFailure(t *testing.T) {
	t.Parallel()
	answering := func(status int, body string) string {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			w.Write([]byte(body))
		}))
		t.Cleanup(srv.Close)
		return srv.URL
	}
	gone := httptest.NewServer(http.NotFoundHandler())
	gone.Close()
	en := func(key string, args ...any) string { return i18n.Printer{Lang: i18n.Parse("en")}.T(key, args...) }
	for _, c := range []struct {
		name, base, lang, want, audit string
	}{
		{"unreachable", gone.URL, "zh", zh("sandbox.order.unreachable"), "connect"},
		{"refused", answering(http.StatusBadRequest, `{"error":"token missing"}`), "zh", zh("sandbox.order.refused"), "token missing"},
		{"made, not pushed", answering(http.StatusBadGateway, `{"order_id":"3721","error":"dial tcp 10.0.0.1:80: i/o timeout"}`), "en",
			en("sandbox.order.unpushed", "3721"), "i/o timeout"},
		{"not JSON", answering(http.StatusInternalServerError, `<html>oops</html>`), "zh", zh("sandbox.order.refused"), "not JSON"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			s := newOrderServer(t, sandbox.Options{Orders: -1})
			s.app.cfg.APIBase = c.base
			b := s.signedIn(t, "operator")
			if c.lang != "zh" {
				b.post("/lang", url.Values{"lang": {c.lang}, "next": {"/"}})
			}
			a := b.post("/sandbox/new-order", nil)
			wantStatus(t, a, http.StatusSeeOther)
			got := flashOf(b.get(loc(a)))
			if got != c.want {
				t.Errorf("flash %q, want %q", got, c.want)
			}
			for _, raw := range []string{"sandbox:", "dial", "127.0.0.1", "token missing", "json"} {
				if strings.Contains(got, raw) {
					t.Errorf("the flash shows %q: %q", raw, got)
				}
			}
			if e := s.auditOf(t, "sandbox.order"); len(e) != 1 || !strings.Contains(e[0].Outcome, c.audit) {
				t.Errorf("audit entries = %+v, want the outcome to say %q", e, c.audit)
			}
		})
	}
}
