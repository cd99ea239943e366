package static

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func get(t *testing.T, a *Assets, url string, headers ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, url, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	a.ServeHTTP(rec, req)
	return rec
}

// CSS and JavaScript go out gzipped (compressed once, at load) to a client that accepts it, under their own
// ETag, and plain to one that does not or asks for a range; both say they vary by Accept-Encoding.
func TestAssetsGzippedOnce(t *testing.T) {
	a, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"css/app.css", "js/app.js"} {
		url := a.URL(name)
		plain := get(t, a, url)
		zipped := get(t, a, url, "Accept-Encoding", "gzip, br")
		if plain.Code != http.StatusOK || zipped.Code != http.StatusOK {
			t.Fatalf("%s: %d and %d", name, plain.Code, zipped.Code)
		}
		if plain.Header().Get("Content-Encoding") != "" || zipped.Header().Get("Content-Encoding") != "gzip" {
			t.Fatalf("%s: Content-Encoding %q plain, %q for gzip", name, plain.Header().Get("Content-Encoding"), zipped.Header().Get("Content-Encoding"))
		}
		for _, rec := range []*httptest.ResponseRecorder{plain, zipped} {
			if rec.Header().Get("Vary") != "Accept-Encoding" || !strings.Contains(rec.Header().Get("Cache-Control"), "immutable") {
				t.Errorf("%s: Vary %q, Cache-Control %q", name, rec.Header().Get("Vary"), rec.Header().Get("Cache-Control"))
			}
		}
		if plain.Header().Get("ETag") == zipped.Header().Get("ETag") {
			t.Errorf("%s: the two encodings share the ETag %s", name, plain.Header().Get("ETag"))
		}
		zr, err := gzip.NewReader(zipped.Body)
		if err != nil {
			t.Fatal(err)
		}
		decoded, _ := io.ReadAll(zr)
		if !bytes.Equal(decoded, plain.Body.Bytes()) || zipped.Body.Len() >= plain.Body.Len() {
			t.Errorf("%s: decoded %d bytes from %d, plain %d", name, len(decoded), zipped.Body.Len(), plain.Body.Len())
		}
		if again := get(t, a, url, "Accept-Encoding", "gzip", "If-None-Match", zipped.Header().Get("ETag")); again.Code != http.StatusNotModified {
			t.Errorf("%s: revalidating the gzipped copy: %d", name, again.Code)
		}
		if refused := get(t, a, url, "Accept-Encoding", "gzip;q=0"); refused.Header().Get("Content-Encoding") != "" {
			t.Errorf("%s: gzip;q=0 got gzip", name)
		}
		ranged := get(t, a, url, "Accept-Encoding", "gzip", "Range", "bytes=0-99")
		if ranged.Code != http.StatusPartialContent || ranged.Header().Get("Content-Encoding") != "" ||
			!bytes.Equal(ranged.Body.Bytes(), plain.Body.Bytes()[:100]) {
			t.Errorf("%s: range: %d, Content-Encoding %q", name, ranged.Code, ranged.Header().Get("Content-Encoding"))
		}
	}
}
