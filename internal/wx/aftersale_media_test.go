package wx

import (
	"bytes"
	"context"
	"net/http"
	"testing"
)

// basics/media/get answers the file itself, or a JSON error (getdatabymediaid's "没有报错的情况下返回二进制数据，
// 报错情况下返回json格式的错误信息"); the media id travels in the query.
func TestMedia(t *testing.T) {
	png := []byte("\x89PNG\r\n\x1a\nrest-of-a-picture")
	c, _ := newAPIClient(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || r.URL.Path != PathMedia {
			t.Errorf("got %s %s", r.Method, r.URL.Path)
		}
		switch r.URL.Query().Get("media_id") {
		case "EN2S_n2fBrt0PDIDtB41Akp6BlnkGJ7nLO9f5RBjDVn59":
			w.Header().Set("Content-Type", "image/png")
			w.Write(png)
		case "bare":
			w.Write(png) // no type said: sniffed
		default:
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"errcode":40007,"errmsg":"invalid media_id"}`))
		}
	})
	m, err := c.Media(context.Background(), "EN2S_n2fBrt0PDIDtB41Akp6BlnkGJ7nLO9f5RBjDVn59")
	if err != nil || !bytes.Equal(m.Data, png) || m.ContentType != "image/png" {
		t.Fatalf("media = %+v, %v", m, err)
	}
	if m, err := c.Media(context.Background(), "bare"); err != nil || m.ContentType != "image/png" {
		t.Errorf("bare media = %+v, %v", m, err)
	}
	if _, err := c.Media(context.Background(), "gone"); !IsCode(err, 40007) {
		t.Errorf("unknown media: %v, want errcode 40007", err)
	}
}

// An evidence picture is uploaded with resp_type=0 and answers pic_file.media_id.
func TestUploadMediaImage(t *testing.T) {
	c, _ := newAPIClient(t, func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if r.URL.Path != StoreImagePath || q.Get("resp_type") != "0" || q.Get("upload_type") != "0" || q.Get("width") != "20" {
			t.Errorf("got %s %v", r.URL.Path, q)
		}
		w.Write([]byte(`{"errcode":0,"errmsg":"ok","pic_file":{"media_id":"MEDIA_1","pay_media_id":"PAY_1"}}`))
	})
	id, err := c.UploadMediaImage(context.Background(), "proof.png", []byte("\x89PNG...."), 20, 10)
	if err != nil || id != "MEDIA_1" {
		t.Fatalf("id %q, %v", id, err)
	}
	if _, err := c.UploadMediaImage(context.Background(), "big.png", make([]byte, MaxMediaImageBytes+1), 20, 10); err == nil {
		t.Error("an image over 2 MB was sent")
	}
}
