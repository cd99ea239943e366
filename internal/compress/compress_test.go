package compress

import (
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
)

func gunzip(t *testing.T, body string) string {
	t.Helper()
	zr, err := gzip.NewReader(strings.NewReader(body))
	if err != nil {
		t.Fatalf("not gzip: %v", err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("gunzip: %v", err)
	}
	return string(out)
}

func TestGzipWriter(t *testing.T) {
	big := strings.Repeat("<p>订单 0123456789</p>\n", 200)
	for _, c := range []struct {
		name, method, contentType, body string
		chunks                          int
		wantGzip                        bool
	}{
		{"big page in pieces", http.MethodGet, "text/html; charset=utf-8", big, 50, true},
		{"big page at once", http.MethodGet, "text/html; charset=utf-8", big, 1, true},
		{"small page", http.MethodGet, "text/html; charset=utf-8", "<p>ok</p>", 1, false},
		{"json", http.MethodGet, "application/json", "[" + strings.Repeat(`{"a":1},`, 300) + "0]", 3, true},
		{"csv", http.MethodGet, "text/csv; charset=utf-8", strings.Repeat("a,b,c\n", 500), 7, true},
		{"png", http.MethodGet, "image/png", strings.Repeat("x", 5000), 1, false},
		{"head", http.MethodHead, "text/html; charset=utf-8", "", 0, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", c.contentType)
				w.WriteHeader(http.StatusOK)
				step := max(1, len(c.body)/max(c.chunks, 1))
				for i := 0; i < len(c.body); i += step {
					io.WriteString(w, c.body[i:min(i+step, len(c.body))])
				}
			}))
			req := httptest.NewRequest(c.method, "/", nil)
			req.Header.Set("Accept-Encoding", "gzip")
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			got := rec.Body.String()
			if gz := rec.Header().Get("Content-Encoding") == "gzip"; gz != c.wantGzip {
				t.Fatalf("gzipped %v, want %v", gz, c.wantGzip)
			}
			if c.wantGzip {
				got = gunzip(t, got)
			}
			if got != c.body {
				t.Errorf("body differs: %d bytes, want %d", len(got), len(c.body))
			}
			if Compressible(c.contentType) && !slices.Contains(rec.Header().Values("Vary"), "Accept-Encoding") {
				t.Errorf("Vary %q", rec.Header().Values("Vary"))
			}
		})
	}

	// Flushing starts the compressed stream at once, and what follows still decodes.
	h := Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, "<p>first</p>")
		http.NewResponseController(w).Flush()
		io.WriteString(w, "<p>second</p>")
	}))
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if !rec.Flushed || rec.Header().Get("Content-Encoding") != "gzip" {
		t.Fatalf("flushed %v, Content-Encoding %q", rec.Flushed, rec.Header().Get("Content-Encoding"))
	}
	if got := gunzip(t, rec.Body.String()); got != "<p>first</p><p>second</p>" {
		t.Errorf("streamed body %q", got)
	}
}

// An ETag is weakened when the body is compressed (the bytes are not the identity representation's), and a
// body that already has an encoding, or a partial one, is left alone.
func TestHandlerLeavesEncodedAndPartialBodies(t *testing.T) {
	big := strings.Repeat("<p>商品 0123456789</p>\n", 200)
	for _, c := range []struct {
		name     string
		status   int
		header   map[string]string
		wantGzip bool
		wantETag string
	}{
		{"etag weakened", http.StatusOK, map[string]string{"ETag": `"abc"`}, true, `W/"abc"`},
		{"already encoded", http.StatusOK, map[string]string{"Content-Encoding": "br"}, false, ""},
		{"partial content", http.StatusPartialContent, nil, false, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				for k, v := range c.header {
					w.Header().Set(k, v)
				}
				w.WriteHeader(c.status)
				io.WriteString(w, big)
			}))
			req := httptest.NewRequest(http.MethodGet, "/", nil)
			req.Header.Set("Accept-Encoding", "gzip")
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			gz := rec.Header().Get("Content-Encoding") == "gzip"
			if gz != c.wantGzip {
				t.Fatalf("gzipped %v, want %v", gz, c.wantGzip)
			}
			if c.wantETag != "" && rec.Header().Get("ETag") != c.wantETag {
				t.Errorf("ETag %q, want %q", rec.Header().Get("ETag"), c.wantETag)
			}
			if !gz && rec.Body.String() != big {
				t.Errorf("body changed though not compressed")
			}
		})
	}
}

// A client that does not accept gzip gets the body as it is, with Vary saying it could have been otherwise.
func TestHandlerWithoutAcceptEncoding(t *testing.T) {
	big := strings.Repeat("a,b,c\n", 500)
	h := Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/csv")
		io.WriteString(w, big)
	}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	if rec.Header().Get("Content-Encoding") != "" || rec.Body.String() != big {
		t.Fatalf("Content-Encoding %q, %d bytes", rec.Header().Get("Content-Encoding"), rec.Body.Len())
	}
	if !Varies(rec.Header(), "accept-encoding") {
		t.Errorf("Vary %q", rec.Header().Values("Vary"))
	}
}

// Bytes gives back a gzip stream that decodes to the body.
func TestBytes(t *testing.T) {
	body := strings.Repeat("<tr><td>订单</td></tr>", 500)
	gz, err := Bytes([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if len(gz) >= len(body) {
		t.Errorf("%d bytes gzipped from %d", len(gz), len(body))
	}
	if got := gunzip(t, string(gz)); got != body {
		t.Errorf("round trip differs")
	}
}

func TestAcceptsGzip(t *testing.T) {
	for header, want := range map[string]bool{
		"":                      false,
		"identity":              false,
		"br, deflate":           false,
		"gzip":                  true,
		"GZIP;Q=0.5":            true,
		"x-gzip":                true,
		"*":                     true,
		"gzip;q=0":              false,
		"gzip; q=0.000, br":     false,
		"br;q=1, gzip ; q=0.1 ": true,
	} {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		if header != "" {
			r.Header.Set("Accept-Encoding", header)
		}
		if got := AcceptsGzip(r); got != want {
			t.Errorf("Accept-Encoding %q: AcceptsGzip = %v, want %v", header, got, want)
		}
	}
}
