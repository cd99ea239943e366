package wx

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestUploadImage(t *testing.T) {
	img := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR fake image bytes")
	answer := example(t, "merchant_common_upload_img_answer")
	c, _ := newAPIClient(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/merchant/common/upload_img" {
			t.Errorf("got %s %s", r.Method, r.URL.Path)
		}
		if q := r.URL.Query(); q.Get("access_token") != "TOK" || q.Get("filename") != "test.png" || len(q) != 2 {
			t.Errorf("query = %v", q)
		}
		// The raw bytes, not a multipart form.
		if ct := r.Header.Get("Content-Type"); ct != "image/png" {
			t.Errorf("Content-Type = %q", ct)
		}
		if body, _ := io.ReadAll(r.Body); !bytes.Equal(body, img) {
			t.Errorf("body = %q", body)
		}
		w.Write(answer)
	})
	got, err := c.UploadImage(context.Background(), "test.png", img)
	if err != nil {
		t.Fatal(err)
	}
	if want := "http://mmbiz.qpic.cn/mmbiz/4whpV1VZl2ibl4JWwwnW3icSJGqecVtRiaPxwWEIr99eYYL6AAAp1YBo12CpQTXFH6InyQWXITLvU4CU7kic4PcoXA/0"; got != want {
		t.Errorf("UploadImage = %q, want %q", got, want)
	}
}

// A Chinese file name must reach WeChat intact, escaped in the query string.
func TestUploadImageEscapesFilename(t *testing.T) {
	c, _ := newAPIClient(t, func(w http.ResponseWriter, r *http.Request) {
		if got := r.URL.Query().Get("filename"); got != "商品 主图&1.jpg" {
			t.Errorf("filename = %q", got)
		}
		if !strings.Contains(r.URL.RawQuery, "filename=%E5%95%86") {
			t.Errorf("raw query = %q", r.URL.RawQuery)
		}
		io.WriteString(w, `{"errcode":0,"errmsg":"success","image_url":"http://mmbiz.qpic.cn/x"}`)
	})
	if _, err := c.UploadImage(context.Background(), "商品 主图&1.jpg", []byte("\xff\xd8\xff\xe0 jpeg")); err != nil {
		t.Fatal(err)
	}
}

func TestUploadImageRefusesBadArguments(t *testing.T) {
	c := refusingClient(t)
	for _, tc := range []struct {
		filename string
		data     []byte
	}{
		{"", []byte("x")},
		{"test", []byte("x")},
		{"test.", []byte("x")},
		{".png", []byte("x")},
		{"test.png", nil},
		{"test.png", []byte{}},
	} {
		if url, err := c.UploadImage(context.Background(), tc.filename, tc.data); err == nil || url != "" {
			t.Errorf("UploadImage(%q, %d bytes) = %q, %v; want an error", tc.filename, len(tc.data), url, err)
		}
	}
}

func TestUploadImageAnswerWithoutURL(t *testing.T) {
	c, _ := newAPIClient(t, func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"errcode":0,"errmsg":"success"}`)
	})
	if url, err := c.UploadImage(context.Background(), "a.png", []byte("x")); err == nil || url != "" {
		t.Errorf("UploadImage = %q, %v; want an error", url, err)
	}
}

func TestUploadImageReturnsWeChatErrors(t *testing.T) {
	assertWeChatErrors(t, []apiCallCase{
		{"/merchant/common/upload_img", func(c *Client) error {
			_, err := c.UploadImage(context.Background(), "a.png", []byte("x"))
			return err
		}},
	})
}
