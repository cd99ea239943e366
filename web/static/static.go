// Package static holds the app's CSS and JavaScript (htmx is copied into vendor/ by the build), embedded into
// the binary and served under URLs that carry each file's content hash, so browsers may cache them forever.
package static

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"

	"wxshop/internal/compress"
)

//go:embed css js all:vendor
var files embed.FS

// Prefix is where the assets are served.
const Prefix = "/static/"

type asset struct {
	body        []byte
	gz          []byte // body gzipped once at the highest level, for the types worth it; nil otherwise
	hash        string
	contentType string
}

// Assets is the set of embedded files with their hashes.
type Assets struct {
	byName map[string]asset
}

// Load reads and hashes every embedded file.
func Load() (*Assets, error) {
	a := &Assets{byName: map[string]asset{}}
	err := fs.WalkDir(files, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasPrefix(path.Base(name), ".") {
			return err
		}
		body, err := files.ReadFile(name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		ct := mime.TypeByExtension(path.Ext(name))
		if ct == "" {
			ct = "application/octet-stream"
		}
		f := asset{body: body, hash: hex.EncodeToString(sum[:])[:12], contentType: ct}
		if compressible(ct) {
			if f.gz, err = gzipped(body); err != nil {
				return err
			}
		}
		a.byName[name] = f
		return nil
	})
	return a, err
}

// compressible: text, scripts and SVG are worth gzipping; images and fonts are compressed already.
func compressible(contentType string) bool {
	mt, _, _ := mime.ParseMediaType(contentType)
	return strings.HasPrefix(mt, "text/") || mt == "application/javascript" || mt == "application/json" || mt == "image/svg+xml"
}

func gzipped(body []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(body); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	if buf.Len() >= len(body) {
		return nil, nil
	}
	return buf.Bytes(), nil
}

// Has reports whether name (e.g. "vendor/htmx.min.js") is embedded.
func (a *Assets) Has(name string) bool {
	_, ok := a.byName[name]
	return ok
}

// URL returns the cache-forever URL of name, e.g. /static/3f2a9c1b0d4e/css/app.css.
func (a *Assets) URL(name string) string {
	f, ok := a.byName[name]
	if !ok {
		return Prefix + "missing/" + name
	}
	return Prefix + f.hash + "/" + name
}

// ServeHTTP serves /static/<hash>/<name>. A current hash is cacheable for a year; an old or unknown hash
// still gets the current file (a page cached across a deploy keeps working) but must not be cached. A client
// that accepts gzip gets the copy compressed at load, except for a range, which is of the plain file.
func (a *Assets) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rest := strings.TrimPrefix(r.URL.Path, Prefix)
	hash, name, ok := strings.Cut(rest, "/")
	f, found := a.byName[name]
	if !ok || !found {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", f.contentType)
	h.Set("X-Content-Type-Options", "nosniff")
	if hash == f.hash {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "no-cache")
	}
	body, etag := f.body, `"`+f.hash+`"`
	if f.gz != nil {
		h.Add("Vary", "Accept-Encoding")
		if r.Header.Get("Range") == "" && compress.AcceptsGzip(r) {
			body, etag = f.gz, `"`+f.hash+`-gz"`
			h.Set("Content-Encoding", "gzip")
		}
	}
	h.Set("ETag", etag)
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(body))
}
