package app

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"wxshop/internal/db"
	"wxshop/internal/i18n"
)

// Helpers shared by the catalog tests (images, categories, products, the product form, stock).

// formFile is one file of a multipart form.
type formFile struct {
	field, name string
	data        []byte
}

// postMultipart sends fields and files as multipart/form-data, the way the browser sends the upload and
// product forms.
func (b *browser) postMultipart(path string, fields url.Values, files []formFile, headers ...string) answer {
	b.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for key, values := range fields {
		for _, v := range values {
			if err := w.WriteField(key, v); err != nil {
				b.t.Fatal(err)
			}
		}
	}
	for _, f := range files {
		part, err := w.CreateFormFile(f.field, f.name)
		if err != nil {
			b.t.Fatal(err)
		}
		part.Write(f.data)
	}
	if err := w.Close(); err != nil {
		b.t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, b.base+path, &body)
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := b.client.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return answer{status: resp.StatusCode, header: resp.Header, body: string(data)}
}

// cheapHash is the password hash of the users the catalog tests sign in as. It is made at bcrypt's lowest
// cost: under the race detector a hash at the default cost takes over a second, and signing in is not what
// these tests are about (auth_test.go is).
var cheapHash = sync.OnceValue(func() string {
	h, err := bcrypt.GenerateFromPassword([]byte(cheapPassword), bcrypt.MinCost)
	if err != nil {
		panic(err)
	}
	return string(h)
})

const cheapPassword = "catalog-test-password"

// signedIn is a browser signed in as a new user "test-<role>".
func (s *testServer) signedIn(t *testing.T, role string) *browser {
	t.Helper()
	name := "test-" + role
	if _, err := s.store.CreateUser(t.Context(), name, cheapHash(), role); err != nil {
		t.Fatal(err)
	}
	b := s.browser(t)
	b.signIn(name, cheapPassword)
	return b
}

// zh is what the operator reads: the catalog's Chinese text for key.
func zh(key string, args ...any) string {
	return i18n.Printer{Lang: i18n.Parse("zh")}.T(key, args...)
}

// wxCalls counts every request that reached the sandbox, token calls included.
func (s *testServer) wxCalls() int {
	n := 0
	for _, p := range []string{
		"/cgi-bin/token", "/cgi-bin/stable_token", "/channels/ec/basics/info/get",
		"/merchant/create", "/merchant/del", "/merchant/update", "/merchant/get", "/merchant/getbystatus",
		"/merchant/modproductstatus", "/merchant/category/getsub", "/merchant/category/getsku",
		"/merchant/category/getproperty", "/merchant/stock/add", "/merchant/stock/reduce",
		"/merchant/common/upload_img",
	} {
		n += s.sandbox.Calls(p)
	}
	return n
}

// auditOf lists the audit entries with action, oldest first.
func (s *testServer) auditOf(t *testing.T, action string) []db.AuditEntry {
	t.Helper()
	entries, _, err := s.store.AuditPage(t.Context(), 10000, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []db.AuditEntry
	for _, e := range slices.Backward(entries) {
		if e.Action == action {
			out = append(out, e)
		}
	}
	return out
}

// library lists the image library, newest first.
func (s *testServer) library(t *testing.T) []db.Image {
	t.Helper()
	images, _, err := s.store.Images(t.Context(), 1000, 0)
	if err != nil {
		t.Fatal(err)
	}
	return images
}

// uploadToLibrary puts one image in the library through the upload page and returns its URL.
func (s *testServer) uploadToLibrary(t *testing.T, b *browser, name string, data []byte) string {
	t.Helper()
	a := b.postMultipart("/images", nil, []formFile{{"files", name, data}})
	wantStatus(t, a, http.StatusOK)
	for _, img := range s.library(t) {
		if img.Filename == name {
			return img.URL
		}
	}
	t.Fatalf("%s is not in the library after its upload", name)
	return ""
}

// testPicture draws a w×h picture whose colours depend on seed, so that every picture differs.
func testPicture(w, h int, seed uint8) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.SetNRGBA(x, y, color.NRGBA{uint8(x) + seed, uint8(y), seed, 0xff})
		}
	}
	return img
}

func pngBytes(t testing.TB, w, h int, seed uint8) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, testPicture(w, h, seed)); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func jpegBytes(t testing.TB, w, h int, seed uint8) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, testPicture(w, h, seed), nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func gifBytes(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewPaletted(image.Rect(0, 0, w, h), color.Palette{color.White, color.Black})
	for y := range h {
		for x := range w {
			img.SetColorIndex(x, y, uint8((x/8+y/8)%2))
		}
	}
	var buf bytes.Buffer
	if err := gif.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// noisePNG is a PNG that does not compress: about 4 bytes a pixel.
func noisePNG(t testing.TB, w, h int) []byte {
	t.Helper()
	r := rand.New(rand.NewPCG(1, 2))
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = uint8(r.UintN(256))
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// uploadLine is how the upload page reports one file.
func uploadLine(filename, message string) string {
	return "<strong>" + filename + "</strong>：" + message
}

func TestUploadImagesReportsEachFile(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	b := s.signedIn(t, "operator")

	a := b.postMultipart("/images", nil, []formFile{
		{"files", "red.png", pngBytes(t, 300, 200, 1)},
		{"files", "notes.png", []byte("this is a shopping list, not a picture\n")},
		{"files", "banner.gif", gifBytes(t, 64, 32)},
	})
	wantStatus(t, a, http.StatusOK)
	wantBody(t, a,
		uploadLine("red.png", zh("images.uploaded")),
		uploadLine("notes.png", zh("images.err.type")),
		uploadLine("banner.gif", zh("images.uploaded")),
	)
	if n := strings.Count(a.body, "："+zh("images.uploaded")); n != 2 {
		t.Errorf("the answer reports %d uploads, want 2", n)
	}
	if n := s.sandbox.Calls("/merchant/common/upload_img"); n != 2 {
		t.Errorf("WeChat got %d uploads, want 2 (the text file must not be sent)", n)
	}

	images := s.library(t)
	if len(images) != 2 {
		t.Fatalf("library holds %d images, want 2: %+v", len(images), images)
	}
	want := map[string][3]any{"red.png": {"image/png", 300, 200}, "banner.gif": {"image/gif", 64, 32}}
	wxImages := s.sandbox.ImageURLs()
	for _, img := range images {
		w, ok := want[img.Filename]
		if !ok {
			t.Errorf("unexpected image in the library: %+v", img)
			continue
		}
		if img.ContentType != w[0] || img.Width != w[1] || img.Height != w[2] || img.UploadedBy != "test-operator" {
			t.Errorf("library entry %+v, want %v", img, w)
		}
		if !slices.Contains(wxImages, img.URL) {
			t.Errorf("library URL %s is not an image WeChat holds", img.URL)
		}
		// Each tile shows the WeChat URL, and its thumbnail is a small JPEG served by the app.
		wantBody(t, a, `data-url="`+img.URL+`"`)
		thumb := b.get("/images/" + strconv.FormatInt(img.ID, 10) + "/thumb")
		wantStatus(t, thumb, http.StatusOK)
		if ct := thumb.header.Get("Content-Type"); ct != "image/jpeg" {
			t.Errorf("thumbnail of %s served as %q", img.Filename, ct)
		}
		cfg, format, err := image.DecodeConfig(strings.NewReader(thumb.body))
		if err != nil || format != "jpeg" || cfg.Width > thumbSize || cfg.Height > thumbSize {
			t.Errorf("thumbnail of %s: %s %d×%d, %v", img.Filename, format, cfg.Width, cfg.Height, err)
		}
		if img.Filename == "red.png" && (cfg.Width != 240 || cfg.Height != 160) {
			t.Errorf("thumbnail of a 300×200 image is %d×%d, want 240×160", cfg.Width, cfg.Height)
		}
	}
	wantStatus(t, b.get("/images/99999/thumb"), http.StatusNotFound)

	entries := s.auditOf(t, "image.upload")
	if len(entries) != 2 {
		t.Fatalf("audit has %d image.upload entries, want 2: %+v", len(entries), entries)
	}
	for _, e := range entries {
		if e.Outcome != "ok" || e.Username != "test-operator" || (e.ObjectID != "red.png" && e.ObjectID != "banner.gif") {
			t.Errorf("audit entry %+v", e)
		}
	}

	// The library page lists both, without calling WeChat.
	calls := s.wxCalls()
	page := b.get("/images")
	wantStatus(t, page, http.StatusOK)
	if n := strings.Count(page.body, `data-testid="image-tile"`); n != 2 {
		t.Errorf("library page shows %d tiles, want 2", n)
	}
	if s.wxCalls() != calls {
		t.Error("the library page called WeChat")
	}
}

func TestUploadJudgesImagesByContent(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	b := s.signedIn(t, "admin")
	pngData := pngBytes(t, 40, 30, 2)

	a := b.postMultipart("/images", nil, []formFile{
		{"files", "photo.jpg", pngData},                          // a PNG whatever its name says
		{"files", "cut.png", pngData[:len(pngData)/2]},           // its header is whole, its pixels are not
		{"files", "fake.gif", append([]byte("GIF89a"), 1, 2, 3)}, // a GIF's magic and nothing behind it
	})
	wantStatus(t, a, http.StatusOK)
	wantBody(t, a,
		uploadLine("photo.jpg", zh("images.uploaded")),
		uploadLine("cut.png", zh("images.err.type")),
		uploadLine("fake.gif", zh("images.err.type")),
	)
	images := s.library(t)
	if len(images) != 1 || images[0].ContentType != "image/png" || images[0].Filename != "photo.jpg" {
		t.Fatalf("library = %+v, want photo.jpg as image/png", images)
	}
	if n := s.sandbox.Calls("/merchant/common/upload_img"); n != 1 {
		t.Errorf("WeChat got %d uploads, want 1", n)
	}
}

func TestUploadOverTheSizeLimitIsNotSentToWeChat(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	b := s.signedIn(t, "admin")
	// The smallest limit the settings page takes: 0.1 MB.
	wantStatus(t, b.post("/settings", url.Values{"low_stock": {"5"}, "image_max": {"0.1"}}), http.StatusSeeOther)
	limit := int64(1<<20) / 10 // what saveSettings stores for 0.1 MB
	big := noisePNG(t, 200, 200)
	if int64(len(big)) <= limit {
		t.Fatalf("test image is only %d bytes", len(big))
	}
	wantBody(t, b.get("/images"), zh("images.rules", formatBytes(limit)))

	before := s.sandbox.Calls("/merchant/common/upload_img")
	a := b.postMultipart("/images", nil, []formFile{{"files", "huge.png", big}})
	wantStatus(t, a, http.StatusUnprocessableEntity)
	wantBody(t, a, uploadLine("huge.png", zh("images.err.toolarge", formatBytes(int64(len(big))), formatBytes(limit))))
	if n := s.sandbox.Calls("/merchant/common/upload_img"); n != before {
		t.Errorf("a file over the limit was sent to WeChat (%d calls, was %d)", n, before)
	}
	if images := s.library(t); len(images) != 0 {
		t.Errorf("library = %+v, want empty", images)
	}
	if entries := s.auditOf(t, "image.upload"); len(entries) != 0 {
		t.Errorf("audit has image.upload entries for a refused file: %+v", entries)
	}

	// A file under the limit still goes.
	a = b.postMultipart("/images", nil, []formFile{{"files", "small.png", pngBytes(t, 20, 20, 3)}})
	wantStatus(t, a, http.StatusOK)
	wantBody(t, a, uploadLine("small.png", zh("images.uploaded")))
}

func TestUploadRefusedByWeChatKeepsTheOthers(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	b := s.signedIn(t, "admin")
	s.sandbox.FailNext("/merchant/common/upload_img", 45009, "reach max api daily quota limit", 1)

	a := b.postMultipart("/images", nil, []formFile{
		{"files", "first.png", pngBytes(t, 50, 50, 4)},
		{"files", "second.jpg", jpegBytes(t, 50, 50, 5)},
	})
	wantStatus(t, a, http.StatusOK)
	wantBody(t, a,
		uploadLine("first.png", zh("error.wx", 45009, "该接口今日调用次数已达上限，请明天再试，或在公众平台清零调用次数。")),
		uploadLine("second.jpg", zh("images.uploaded")),
	)
	images := s.library(t)
	if len(images) != 1 || images[0].Filename != "second.jpg" || images[0].ContentType != "image/jpeg" {
		t.Fatalf("library = %+v, want second.jpg alone", images)
	}
	entries := s.auditOf(t, "image.upload")
	if len(entries) != 2 || !strings.Contains(entries[0].Outcome, "45009") || entries[1].Outcome != "ok" {
		t.Errorf("audit entries = %+v", entries)
	}

	// Every file refused: 422, and the page still shows the library.
	s.sandbox.FailNext("/merchant/common/upload_img", 45009, "reach max api daily quota limit", 1)
	a = b.postMultipart("/images", nil, []formFile{{"files", "third.png", pngBytes(t, 50, 50, 6)}})
	wantStatus(t, a, http.StatusUnprocessableEntity)
	wantBody(t, a, uploadLine("third.png", zh("error.wx", 45009, "该接口今日调用次数已达上限，请明天再试，或在公众平台清零调用次数。")), `data-testid="image-tile"`)
}

func TestUploadWithoutFilesSaysSo(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	b := s.signedIn(t, "admin")
	a := b.postMultipart("/images", url.Values{"x": {"1"}}, nil)
	wantStatus(t, a, http.StatusUnprocessableEntity)
	wantBody(t, a, zh("images.err.nofiles"))
	if s.sandbox.Calls("/merchant/common/upload_img") != 0 {
		t.Error("WeChat was called without a file")
	}
}

// A file whose name has no type suffix ("photo", as some phones and drag sources name them) is still a good
// PNG: the app knows its type from its content and WeChat only needs a suffix.
func TestUploadOfAnImageNamedWithoutASuffix(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	b := s.signedIn(t, "admin")
	a := b.postMultipart("/images", nil, []formFile{{"files", "photo", pngBytes(t, 30, 30, 7)}})
	if strings.Contains(a.body, zh("error.wx.unreachable")) {
		t.Errorf("a PNG named %q is reported as WeChat being unreachable", "photo")
	}
	wantStatus(t, a, http.StatusOK)
	wantBody(t, a, "："+zh("images.uploaded"))
	if images := s.library(t); len(images) != 1 || images[0].ContentType != "image/png" {
		t.Errorf("library = %+v, want the PNG", images)
	}
}

func TestViewerCannotUploadImages(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	b := s.signedIn(t, "viewer")
	page := b.get("/images")
	wantStatus(t, page, http.StatusOK)
	if strings.Contains(page.body, `data-testid="upload-form"`) {
		t.Error("a viewer is offered the upload form")
	}
	a := b.postMultipart("/images", nil, []formFile{{"files", "red.png", pngBytes(t, 20, 20, 8)}})
	wantStatus(t, a, http.StatusForbidden)
	wantBody(t, a, zh("error.403.heading"))
	if n := s.sandbox.Calls("/merchant/common/upload_img"); n != 0 {
		t.Errorf("a viewer's upload reached WeChat (%d calls)", n)
	}
	if images := s.library(t); len(images) != 0 {
		t.Errorf("library = %+v after a viewer's upload", images)
	}
}

func TestSniffImage(t *testing.T) {
	t.Parallel()
	pngData := pngBytes(t, 10, 10, 9)
	for _, tc := range []struct {
		name string
		data []byte
		want string // "" for refused
	}{
		{"png", pngData, "image/png"},
		{"jpeg", jpegBytes(t, 10, 10, 9), "image/jpeg"},
		{"gif", gifBytes(t, 10, 10), "image/gif"},
		{"text", []byte("hello, 你好"), ""},
		{"empty", nil, ""},
		{"png header cut short", pngData[:20], ""},
		{"png magic only", []byte("\x89PNG\r\n\x1a\n"), ""},
		{"jpeg magic, png body", append([]byte{0xff, 0xd8, 0xff}, pngData[8:]...), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := sniffImage(tc.data)
			if got != tc.want || (tc.want == "") != errors.Is(err, errNotAnImage) {
				t.Errorf("sniffImage = %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

func TestTruncatedImageIsRefused(t *testing.T) {
	t.Parallel()
	data := pngBytes(t, 120, 80, 10)
	cut := data[:len(data)*2/3]
	// The header is whole, so the type is recognised; decoding the pixels is what fails.
	ct, err := sniffImage(cut)
	if err == nil {
		_, _, _, err = thumbnail(cut, ct)
	}
	if !errors.Is(err, errNotAnImage) {
		t.Fatalf("a truncated PNG passed: %v", err)
	}
}

func TestThumbnailSizes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name         string
		data         []byte
		contentType  string
		w, h, tw, th int
	}{
		{"tall", pngBytes(t, 100, 600, 11), "image/png", 100, 600, 40, 240},
		{"wide", jpegBytes(t, 960, 480, 12), "image/jpeg", 960, 480, 240, 120},
		{"square", gifBytes(t, 500, 500), "image/gif", 500, 500, 240, 240},
		{"small stays small", pngBytes(t, 50, 30, 13), "image/png", 50, 30, 50, 30},
		{"thin strip keeps a pixel", pngBytes(t, 2000, 1, 14), "image/png", 2000, 1, 240, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			thumb, w, h, err := thumbnail(tc.data, tc.contentType)
			if err != nil {
				t.Fatal(err)
			}
			if w != tc.w || h != tc.h {
				t.Errorf("original size %d×%d, want %d×%d", w, h, tc.w, tc.h)
			}
			img, err := jpeg.Decode(bytes.NewReader(thumb))
			if err != nil {
				t.Fatalf("thumbnail is not a JPEG: %v", err)
			}
			if b := img.Bounds(); b.Dx() != tc.tw || b.Dy() != tc.th {
				t.Errorf("thumbnail %d×%d, want %d×%d", b.Dx(), b.Dy(), tc.tw, tc.th)
			}
		})
	}
}

func TestThumbnailPutsTransparencyOnWhite(t *testing.T) {
	t.Parallel()
	img := image.NewNRGBA(image.Rect(0, 0, 20, 20)) // fully transparent
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	thumb, _, _, err := thumbnail(buf.Bytes(), "image/png")
	if err != nil {
		t.Fatal(err)
	}
	out, err := jpeg.Decode(bytes.NewReader(thumb))
	if err != nil {
		t.Fatal(err)
	}
	r, g, bl, _ := out.At(10, 10).RGBA()
	if r>>8 < 250 || g>>8 < 250 || bl>>8 < 250 {
		t.Errorf("a transparent pixel became %d,%d,%d, want white", r>>8, g>>8, bl>>8)
	}
}
