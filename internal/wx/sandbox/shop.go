package sandbox

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/url"
	"sync"
	"time"
)

// shopInfo is the info object of /channels/ec/basics/info/get.
type shopInfo struct {
	Nickname    string `json:"nickname"`
	HeadImgURL  string `json:"headimg_url"`
	SubjectType string `json:"subject_type"`
	Status      string `json:"status"`
	Username    string `json:"username"`
}

type shopInfoAnswer struct {
	status
	Info shopInfo `json:"info"`
}

// getShopInfo is GET /channels/ec/basics/info/get.
func (s *Server) getShopInfo(c *call) (any, error) {
	return shopInfoAnswer{
		status: statusOK,
		Info: shopInfo{
			Nickname:    s.shopName,
			HeadImgURL:  selfURL(c.r, "/sandbox/static/logo.png"),
			SubjectType: "企业",
			Status:      "opening",
			Username:    "gh_sandbox",
		},
	}, nil
}

// selfURL makes an absolute URL to a file the sandbox serves. It is built from the request's host because the
// sandbox listens wherever it was started (a random test port, a loopback port, a demo host), and the browser
// that shows the image must reach it there.
func selfURL(r *http.Request, path string) string {
	u := url.URL{Scheme: "http", Host: r.Host, Path: path}
	if r.TLS != nil {
		u.Scheme = "https"
	}
	return u.String()
}

// logoPNG is drawn rather than committed so the repository holds no binary files.
var logoPNG = sync.OnceValue(func() []byte {
	const size = 96
	green := color.RGBA{0x07, 0xc1, 0x60, 0xff} // WeChat green
	img := image.NewRGBA(image.Rect(0, 0, size, size))
	for y := range size {
		for x := range size {
			dx, dy := x-size/2, y-size/2
			c := green
			if r2 := dx*dx + dy*dy; r2 < 30*30 && r2 >= 18*18 {
				c = color.RGBA{0xff, 0xff, 0xff, 0xff} // a white ring, for a shop badge
			}
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		panic("sandbox: unable to draw the logo: " + err.Error()) // only an in-memory write, it cannot fail
	}
	return buf.Bytes()
})

// serveLogo serves the shop's head image, which never changes while the process runs.
func (s *Server) serveLogo(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	http.ServeContent(w, r, "logo.png", time.Time{}, bytes.NewReader(logoPNG()))
}
