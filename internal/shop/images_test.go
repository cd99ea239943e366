package shop

import (
	"bytes"
	"image"
	"image/png"
	"strings"
	"testing"
	"time"

	"wxshop/internal/wx/sandbox"
)

func testPNG(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewNRGBA(image.Rect(0, 0, 40, 30))); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// An upload lands in the library with the URL WeChat answered, the operator's file name and who sent it, and
// writes one audit entry saying what was sent; a 微信小店 gets an mmecimage.cn/p/ URL, the only kind its
// products take.
func TestUploadImageAddsToLibrary(t *testing.T) {
	for _, kind := range []sandbox.Kind{sandbox.KindMerchant, sandbox.KindStore} {
		t.Run(string(kind), func(t *testing.T) {
			ts := newTestShop(t, sandbox.Options{Kind: kind})
			data := testPNG(t)
			url, err := ts.UploadImage(t.Context(), ts.j(), ImageFile{Name: "红茶.jpeg", Data: data, ContentType: "image/png",
				Width: 40, Height: 30, Thumb: []byte("thumb"), UploadedBy: "op"}, kind == sandbox.KindStore)
			if err != nil {
				t.Fatal(err)
			}
			if kind == sandbox.KindStore && !strings.Contains(url, "mmecimage.cn/p/") {
				t.Errorf("a 微信小店 image got %q, want an mmecimage.cn/p/ URL", url)
			}
			imgs, _, err := ts.store.Images(t.Context(), 10, 0)
			if err != nil {
				t.Fatal(err)
			}
			if len(imgs) != 1 || imgs[0].URL != url || imgs[0].Filename != "红茶.jpeg" || imgs[0].UploadedBy != "op" || imgs[0].Bytes != int64(len(data)) {
				t.Errorf("library %+v, want the one image at %s", imgs, url)
			}
			wantEntry(t, ts, "image.upload", "红茶.jpeg", "ok")
		})
	}
}

// WeChat's refusal comes back as it is, is audited with its code, and leaves the library as it was.
func TestUploadImageRefused(t *testing.T) {
	ts := newTestShop(t, sandbox.Options{Kind: sandbox.KindMerchant})
	_, err := ts.UploadImage(t.Context(), ts.j(), ImageFile{Name: "empty.png", ContentType: "image/png", Width: 1, Height: 1}, false)
	if err == nil || IsStoreError(err) {
		t.Fatalf("uploading no bytes: %v, want WeChat's refusal", err)
	}
	if _, n, _ := ts.store.Images(t.Context(), 10, 0); n != 0 {
		t.Errorf("library holds %d images after a refusal", n)
	}
	if got := ts.journal.take(); len(got) != 1 || got[0].Outcome == "ok" {
		t.Errorf("audit %+v, want one failed image.upload", got)
	}
}

// upload_img is sent a name whose extension is the content's type; the library keeps the operator's.
func TestSendName(t *testing.T) {
	for name, want := range map[string]string{"a.jpeg": "a.jpeg", "a.JPG": "a.JPG", "a.png": "a.jpg", "photo": "photo.jpg"} {
		if got := sendName(name, "image/jpeg"); got != want {
			t.Errorf("sendName(%q, jpeg) = %q, want %q", name, got, want)
		}
	}
	if got := sendName("a.jpg", "image/gif"); got != "a.gif" {
		t.Errorf("a GIF named a.jpg goes as %q, want a.gif", got)
	}
}

// The permission's state follows WeChat's answer: open after 0 or 268486612 (already open), and each
// documented refusal has its own next step.
func TestPermissionAttemptNextStep(t *testing.T) {
	if (PermissionAttempt{}).Opened() {
		t.Error("no attempt yet counts as open")
	}
	at := PermissionAttempt{At: time.Unix(1, 0)}
	for code, open := range map[int]bool{0: true, 268486612: true, 268486640: false, -1: false} {
		at.Code = code
		if at.Opened() != open {
			t.Errorf("code %d: opened %v, want %v", code, at.Opened(), open)
		}
	}
	at.Code = 268486640
	if at.NextStep() != "permission.next.268486640" {
		t.Errorf("next step of 268486640: %s", at.NextStep())
	}
	at.Code = 12345
	if at.NextStep() != "permission.next.other" {
		t.Errorf("next step of an undocumented code: %s", at.NextStep())
	}
	r := PermissionReview{PermissionAttempt: PermissionAttempt{At: time.Unix(1, 0), Code: 268486570}}
	if r.NextStep() != "permission.confirm.next.268486570" {
		t.Errorf("next step of a review refused with 268486570: %s", r.NextStep())
	}
}
