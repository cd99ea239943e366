package sandbox_test

import (
	"bytes"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// fetch GETs a URL the sandbox handed out, as a browser would: no token.
func (sh *shop) fetch(u string) (contentType string, body []byte) {
	sh.t.Helper()
	res, err := sh.ts.Client().Get(u)
	if err != nil {
		sh.t.Fatal(err)
	}
	defer res.Body.Close()
	body, err = io.ReadAll(res.Body)
	if err != nil {
		sh.t.Fatal(err)
	}
	if res.StatusCode != http.StatusOK {
		sh.t.Fatalf("GET %s: HTTP %d", u, res.StatusCode)
	}
	return res.Header.Get("Content-Type"), body
}

func TestUploadImageServesTheBytesBack(t *testing.T) {
	sh := newEmptyShop(t)
	sh.sb.SetFailRate(0)
	small := image.NewPaletted(image.Rect(0, 0, 4, 4), color.Palette{color.White, color.Black})
	var jpg, gf bytes.Buffer
	if err := jpeg.Encode(&jpg, small, nil); err != nil {
		t.Fatal(err)
	}
	if err := gif.Encode(&gf, small, nil); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, contentType, ext string
		data                   []byte
	}{
		{"photo.png", "image/png", ".png", drawPNG(t, color.RGBA{1, 2, 3, 255})},
		{"photo.jpeg", "image/jpeg", ".jpg", jpg.Bytes()},
		{"anim.gif", "image/gif", ".gif", gf.Bytes()},
		{"named-wrong.gif", "image/png", ".png", drawPNG(t, color.RGBA{4, 5, 6, 255})}, // the bytes tell the type
	} {
		u := sh.upload(tc.name, tc.data)
		if !strings.HasPrefix(u, sh.ts.URL+"/sandbox/img/") || !strings.HasSuffix(u, tc.ext) {
			t.Errorf("%s: image_url %q", tc.name, u)
		}
		ct, body := sh.fetch(u)
		if ct != tc.contentType || !bytes.Equal(body, tc.data) {
			t.Errorf("%s: GET gives %s, %d bytes; want %s, %d bytes", tc.name, ct, len(body), tc.contentType, len(tc.data))
		}
		if !slices.Contains(sh.sb.ImageURLs(), u) {
			t.Errorf("ImageURLs lacks %s", u)
		}
	}

	// The answer is the manual's.
	a := sh.do(http.MethodPost, "/merchant/common/upload_img", url.Values{"access_token": {sh.token()}, "filename": {"x.png"}},
		string(drawPNG(t, color.RGBA{7, 8, 9, 255})))
	if !strings.HasPrefix(string(a.raw), `{"errcode":0,"errmsg":"success","image_url":"http://`) {
		t.Errorf("answer %s", a.raw)
	}
}

func TestUploadImageRefuses(t *testing.T) {
	sh := newEmptyShop(t)
	ctx := t.Context()
	_, err := sh.wx.UploadImage(ctx, "notes.png", []byte("just some text, not an image\n"))
	wantCode(t, err, codeInvalidFileType)
	_, err = sh.wx.UploadImage(ctx, "page.html", []byte("<html><body>hi</body></html>"))
	wantCode(t, err, codeInvalidFileType)

	pngHeader := drawPNG(t, color.RGBA{1, 1, 1, 255})[:16]
	tooBig := append(slices.Clone(pngHeader), make([]byte, 2<<20)...)
	_, err = sh.wx.UploadImage(ctx, "big.png", tooBig)
	wantCode(t, err, codeInvalidMediaSize)
	justRight := append(slices.Clone(pngHeader), make([]byte, 2<<20-len(pngHeader))...)
	sh.upload("big.png", justRight)

	raw := func(filename, body string) answer {
		q := url.Values{"access_token": {sh.token()}}
		if filename != "" {
			q.Set("filename", filename)
		}
		return sh.do(http.MethodPost, "/merchant/common/upload_img", q, body)
	}
	img := string(drawPNG(t, color.RGBA{2, 2, 2, 255}))
	wantErr(t, raw("a.png", ""), codeEmptyMedia)
	wantErr(t, raw("", img), codeInvalidArgs)
	wantErr(t, raw("noextension", img), codeInvalidArgs)
	wantErr(t, raw(".png", img), codeInvalidArgs)

	if n := len(sh.sb.ImageURLs()); n != 1 {
		t.Errorf("%d images held, want only the 2 MB one", n)
	}
	res, err := sh.ts.Client().Get(sh.ts.URL + "/sandbox/img/99.png")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNotFound {
		t.Errorf("an unknown image answers HTTP %d", res.StatusCode)
	}
}
