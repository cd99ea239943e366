package wx

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/textproto"
	"net/url"
	"strconv"
	"strings"
)

// StoreImagePrefix starts every image URL a 微信小店 product may use (10020035 otherwise).
const StoreImagePrefix = "https://mmecimage.cn/p/"

// MaxStoreImageBytes is the largest file basics/img/upload takes with resp_type=1.
const MaxStoreImageBytes = 10 << 20

// StoreImagePath is where images are uploaded. The 微信小店 pages print /shop/ec/basics/img/upload, while
// the 视频号小店 page, SKIT and WxJava use this path in production.
const StoreImagePath = "/channels/ec/basics/img/upload"

// UploadStoreImage uploads one image file (upload_type=0) and returns its mmecimage.cn/p/ URL (resp_type=1),
// the only kind a product accepts. width and height are the image's size in pixels, which the call requires.
func (c *Client) UploadStoreImage(ctx context.Context, filename string, data []byte, width, height int) (string, error) {
	if err := checkStoreImage(filename, data, MaxStoreImageBytes, width, height); err != nil {
		return "", err
	}
	ct, body, err := storeImageForm(filename, data)
	if err != nil {
		return "", err
	}
	q := url.Values{"upload_type": {"0"}, "resp_type": {"1"}, "width": {strconv.Itoa(width)}, "height": {strconv.Itoa(height)}}
	return c.storeImageAnswer(ctx, StoreImagePath, q, ct, body)
}

func checkStoreImage(filename string, data []byte, limit, width, height int) error {
	const path = StoreImagePath
	switch {
	case len(data) == 0:
		return fmt.Errorf("wx: %s: image %q is empty", path, filename)
	case len(data) > limit:
		return fmt.Errorf("wx: %s: image %q is larger than %d MB", path, filename, limit>>20)
	case width <= 0 || height <= 0:
		return fmt.Errorf("wx: %s: image %q needs its width and height", path, filename)
	}
	return nil
}

// storeImageForm is the multipart body of an image file upload: its content type and bytes.
func storeImageForm(filename string, data []byte) (string, []byte, error) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	h := make(textproto.MIMEHeader)
	name := strings.NewReplacer(`"`, "", "\\", "", "\r", "", "\n", "").Replace(filename)
	if name == "" {
		name = "image"
	}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="media"; filename="%s"`, name))
	h.Set("Content-Type", sniffImageType(data))
	part, err := mw.CreatePart(h)
	if err != nil {
		return "", nil, err
	}
	part.Write(data)
	if err := mw.Close(); err != nil {
		return "", nil, err
	}
	return mw.FormDataContentType(), body.Bytes(), nil
}

// UploadStoreImageURL has WeChat fetch an image from imgURL (upload_type=1) and returns its mmecimage.cn/p/
// URL. The source must answer within 2 s, without a redirect, with a Content-Length.
func (c *Client) UploadStoreImageURL(ctx context.Context, imgURL string) (string, error) {
	const path = StoreImagePath
	if strings.HasPrefix(imgURL, StoreImagePrefix) {
		// WeChat answers 10020061: such a URL is already usable as it is.
		return imgURL, nil
	}
	if u, err := url.Parse(imgURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("wx: %s: %q is not an http(s) URL", path, imgURL)
	}
	body, err := encodeJSON(struct {
		ImgURL string `json:"img_url"`
	}{imgURL})
	if err != nil {
		return "", err
	}
	return c.storeImageAnswer(ctx, path, url.Values{"upload_type": {"1"}, "resp_type": {"1"}}, "application/json", body)
}

func (c *Client) storeImageAnswer(ctx context.Context, path string, q url.Values, contentType string, body []byte) (string, error) {
	var ans struct {
		PicFile struct {
			ImgURL string `json:"img_url"`
		} `json:"pic_file"`
	}
	if err := c.UploadWrite(ctx, path, q, contentType, body, &ans); err != nil {
		return "", err
	}
	if ans.PicFile.ImgURL == "" {
		return "", fmt.Errorf("wx: %s: answer has no pic_file.img_url", path)
	}
	return ans.PicFile.ImgURL, nil
}

// sniffImageType names the image's type from its bytes, not from the operator's file name.
func sniffImageType(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte("\x89PNG")):
		return "image/png"
	case bytes.HasPrefix(data, []byte("\xff\xd8\xff")):
		return "image/jpeg"
	case bytes.HasPrefix(data, []byte("BM")):
		return "image/bmp"
	case len(data) > 12 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WEBP":
		return "image/webp"
	case bytes.HasPrefix(data, []byte("GIF8")):
		return "image/gif"
	}
	return "application/octet-stream"
}
