package sandbox

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"mime"
	"mime/multipart"
	"net/http"

	"wxshop/internal/wx"
)

// 微信小店 image upload (shared/api/store/image.md): a multipart file part named media (upload_type=0, with
// width and height) or a JSON img_url (upload_type=1). With resp_type=1 it answers an mmecimage.cn/p/ URL, the
// only kind a product accepts; the sandbox remembers those it handed out. Same bytes, same URL (links are
// permanent). Codes: 10020059 empty, 10020060 over 10 MB (2 MB with resp_type=0), 10020056 not jpeg, png, bmp
// or webp, 10020061 an mmecimage.cn/p/ URL as img_url, 10020055 other bad parameters. The sandbox cannot
// fetch URLs: an upload_type=1 answers a URL made from the source URL.

func (s *Server) uploadStoreImage(c *call) (any, error) {
	q := c.r.URL.Query()
	respType := q.Get("resp_type")
	if respType != "0" && respType != "1" {
		return nil, &apiError{10020055, "invalid resp_type"}
	}
	var data []byte
	switch q.Get("upload_type") {
	case "0":
		if q.Get("width") == "" || q.Get("height") == "" {
			return nil, &apiError{10020055, "width and height are required with upload_type=0"}
		}
		mt, params, err := mime.ParseMediaType(c.r.Header.Get("Content-Type"))
		if err != nil || mt != "multipart/form-data" {
			return nil, &apiError{10020055, "the body must be multipart/form-data"}
		}
		mr := multipart.NewReader(bytes.NewReader(c.body), params["boundary"])
		for {
			part, err := mr.NextPart()
			if err != nil {
				break
			}
			if part.FormName() == "media" {
				data, _ = io.ReadAll(part)
				break
			}
		}
		limit := wx.MaxStoreImageBytes
		if respType == "0" {
			limit = 2 << 20
		}
		switch ct := http.DetectContentType(data); {
		case len(data) == 0:
			return nil, &apiError{10020059, "image is empty"}
		case len(data) > limit:
			return nil, &apiError{10020060, "image too large"}
		case ct != "image/jpeg" && ct != "image/png" && ct != "image/bmp" && ct != "image/webp":
			return nil, &apiError{10020056, "image format not allowed: " + ct}
		}
	case "1":
		var req struct {
			ImgURL string `json:"img_url"`
		}
		if json.Unmarshal(c.body, &req) != nil || req.ImgURL == "" {
			return nil, &apiError{10020055, "img_url missing"}
		}
		if len(req.ImgURL) >= len(wx.StoreImagePrefix) && req.ImgURL[:len(wx.StoreImagePrefix)] == wx.StoreImagePrefix {
			return nil, &apiError{10020061, "invalid url: already an mmecimage.cn/p/ url"}
		}
		data = []byte(req.ImgURL)
	default:
		return nil, &apiError{10020055, "invalid upload_type"}
	}
	sum := sha256.Sum256(data)
	key := hex.EncodeToString(sum[:16])
	var pic struct {
		MediaID    string `json:"media_id,omitempty"`
		PayMediaID string `json:"pay_media_id,omitempty"`
		ImgURL     string `json:"img_url,omitempty"`
	}
	if respType == "0" {
		pic.MediaID, pic.PayMediaID = "media_"+key, "pay_"+key
		s.keepMedia(pic.MediaID, data) // basics/media/get answers it (aftersale_media.go)
	} else {
		pic.ImgURL = s.storeImageURL(key)
	}
	return struct {
		status
		PicFile any `json:"pic_file"`
	}{statusOK, pic}, nil
}

// storeImageURL is the mmecimage.cn/p/ URL of image key, remembered as one the sandbox handed out.
func (s *Server) storeImageURL(key string) string {
	u := wx.StoreImagePrefix + s.appID + "/" + key
	s.store.images[u] = true
	return u
}

// StoreImageURLs are the image URLs the sandbox handed out, for tests building products.
func (s *Server) StoreImageURLs() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for u := range s.store.images {
		out = append(out, u)
	}
	return out
}
