// Package static holds the app's CSS and JavaScript (htmx is copied into vendor/ by the build), embedded into
// the binary and served under URLs that carry each file's content hash, so browsers may cache them forever.
package static

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"
)

//go:embed css js all:vendor
var files embed.FS

// Prefix is where the assets are served.
const Prefix = "/static/"

type asset struct {
	body        []byte
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
		a.byName[name] = asset{body: body, hash: hex.EncodeToString(sum[:])[:12], contentType: ct}
		return nil
	})
	return a, err
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
// still gets the current file (a page cached across a deploy keeps working) but must not be cached.
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
	h.Set("ETag", `"`+f.hash+`"`)
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(f.body))
}
