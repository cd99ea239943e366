package sandbox

import (
	"bytes"
	"fmt"
	"net/http"
	"path"
	"strings"
	"time"
)

// Images: merchant/common/upload_img keeps the bytes and answers a URL under /sandbox/img/ that the sandbox
// serves itself, the way WeChat answers a URL on its image servers. Products may only show such URLs.
//
// The sandbox keeps an image as its path ("/sandbox/img/3.png") and writes the scheme and host of the request
// in front whenever it answers one, like the shop's head image: it listens wherever it was started, and the
// browser that shows the image must reach it there.

// maxImageBytes is the largest image upload_img takes.
const maxImageBytes = 2 << 20

// imagePathPrefix is where images are served.
const imagePathPrefix = "/sandbox/img/"

// imageExt is the file suffix of each type upload_img accepts, as http.DetectContentType names them.
var imageExt = map[string]string{"image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif"}

// storedImage is one image. data is a function so that demo images are drawn only when first asked for.
type storedImage struct {
	contentType string
	data        func() []byte
}

// imageStore holds every image by path, in the order they were added.
type imageStore struct {
	byPath map[string]*storedImage
	order  []string
}

// add keeps an image and returns its path. The caller holds s.mu.
func (st *imageStore) add(contentType string, data func() []byte) string {
	if st.byPath == nil {
		st.byPath = map[string]*storedImage{}
	}
	p := fmt.Sprintf("%s%d%s", imagePathPrefix, len(st.order)+1, imageExt[contentType])
	st.byPath[p] = &storedImage{contentType: contentType, data: data}
	st.order = append(st.order, p)
	return p
}

// pathOf returns the path of an image URL the sandbox handed out through base (scheme://host of the request);
// false for any other URL, including one of another host or with a query.
func (st *imageStore) pathOf(url, base string) (string, bool) {
	p, found := strings.CutPrefix(url, base)
	if !found || base == "" {
		return "", false
	}
	_, known := st.byPath[p]
	return p, known
}

// requestBase is scheme://host of the request, what image paths are resolved against.
func requestBase(r *http.Request) string { return selfURL(r, "") }

type uploadAnswer struct {
	status
	ImageURL string `json:"image_url"`
}

// uploadImage is POST /merchant/common/upload_img?filename=NAME with the image bytes as the body. The type is
// sniffed from the bytes; the name only has to carry a suffix, as the manual asks.
func (s *Server) uploadImage(c *call) (any, error) {
	filename := c.r.URL.Query().Get("filename")
	ext := path.Ext(filename)
	switch {
	case len(c.body) == 0:
		return nil, errEmptyMedia
	case len(ext) < 2 || ext == filename:
		return nil, errInvalidArgs.with("filename %q needs a name and a type suffix such as .png", filename)
	case len(c.body) > maxImageBytes:
		return nil, errInvalidMediaSize.with("%d bytes, at most %d", len(c.body), maxImageBytes)
	}
	contentType := http.DetectContentType(c.body)
	if _, ok := imageExt[contentType]; !ok {
		return nil, errInvalidFileType.with("%s is not a JPEG, PNG or GIF image", contentType)
	}
	data := bytes.Clone(c.body)
	p := s.images.add(contentType, func() []byte { return data })
	return uploadAnswer{status: statusSuccess, ImageURL: selfURL(c.r, p)}, nil
}

// serveImage is GET /sandbox/img/{name}: the bytes of an image, without an access token, as a browser
// loads them. Images never change once stored.
func (s *Server) serveImage(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	img, found := s.images.byPath[r.URL.Path]
	s.mu.Unlock()
	if !found {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", img.contentType)
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	http.ServeContent(w, r, path.Base(r.URL.Path), time.Time{}, bytes.NewReader(img.data()))
}

// ImageURLs lists every image the sandbox holds, demo images first, then uploads in the order they came. The
// URLs are absolute against the host of the latest API call, as the sandbox hands them out; before any call
// they are paths.
func (s *Server) ImageURLs() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	urls := make([]string, len(s.images.order))
	for i, p := range s.images.order {
		urls[i] = s.lastBase + p
	}
	return urls
}
