package shop

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"wxshop/internal/db"
)

// ImageFile is an image for the library, already checked and measured: its name as the operator knows it,
// the bytes, their type (image/jpeg, image/png or image/gif) and size, the thumbnail the pages show.
type ImageFile struct {
	Name          string
	Data          []byte
	ContentType   string
	Width, Height int
	Thumb         []byte // JPEG
	UploadedBy    string
}

// UploadImage sends the image to WeChat, writes its audit entry and adds it to the library; it answers the
// URL WeChat gave it. A 微信小店 (forStore) gets it through basics/img/upload, whose mmecimage.cn/p/ URLs are
// the only ones its products take; a V1.13 shop through upload_img. WeChat's refusal comes back as it is; the
// library failing to record an image WeChat holds is a *StoreError.
func (s *Shop) UploadImage(ctx context.Context, j Journal, f ImageFile, forStore bool) (string, error) {
	var url string
	var err error
	if forStore {
		url, err = s.wx.UploadStoreImage(ctx, f.Name, f.Data, f.Width, f.Height)
	} else {
		url, err = s.wx.UploadImage(ctx, sendName(f.Name, f.ContentType), f.Data)
	}
	j(db.AuditEntry{Action: "image.upload", ObjectType: "image", ObjectID: f.Name,
		Detail: fmt.Sprintf("%s, %d×%d, %s", f.ContentType, f.Width, f.Height, FormatBytes(int64(len(f.Data)))), Outcome: Outcome(err)})
	if err != nil {
		return "", err
	}
	if _, err := s.store.AddImage(ctx, db.Image{URL: url, Filename: f.Name, ContentType: f.ContentType, Bytes: int64(len(f.Data)),
		Width: f.Width, Height: f.Height, Thumb: f.Thumb, UploadedBy: f.UploadedBy}); err != nil {
		s.log.Error("uploaded image not recorded in the library", "url", url, "err", err)
		return "", storeErr(err)
	}
	return url, nil
}

// sendName is the name a file goes to upload_img under: WeChat wants the file's type in it, and the content
// decides which. The library keeps the name the operator knows.
func sendName(name, contentType string) string {
	ext := map[string]string{"image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif"}[contentType]
	if have := filepath.Ext(name); strings.EqualFold(have, ext) || ext == ".jpg" && strings.EqualFold(have, ".jpeg") {
		return name
	}
	return strings.TrimSuffix(name, filepath.Ext(name)) + ext
}

// FormatBytes says a size as people read it: 512 B, 12 KB, 1.5 MB.
func FormatBytes(n int64) string {
	switch {
	case n >= 1<<20:
		return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MB"
	case n >= 1<<10:
		return strconv.FormatInt((n+512)>>10, 10) + " KB"
	}
	return strconv.FormatInt(n, 10) + " B"
}
