package wx

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"path"
)

// UploadImage uploads one image and returns its URL on WeChat's servers, the only kind of URL that
// products accept (main_img, img, detail, icon_url). filename must carry the file type suffix
// ("x.png"), as the manual asks; data is sent as the raw body, not as a multipart form.
func (c *Client) UploadImage(ctx context.Context, filename string, data []byte) (string, error) {
	const apiPath = "/merchant/common/upload_img"
	if ext := path.Ext(filename); len(ext) < 2 || ext == filename {
		return "", fmt.Errorf("wx: %s: file name %q needs a name and a type suffix such as .png", apiPath, filename)
	}
	if len(data) == 0 {
		return "", fmt.Errorf("wx: %s: image %q is empty", apiPath, filename)
	}
	var ans struct {
		ImageURL string `json:"image_url"`
	}
	// The type is sniffed from the bytes rather than trusted from the name the operator's file had.
	err := c.UploadWrite(ctx, apiPath, url.Values{"filename": {filename}}, http.DetectContentType(data), data, &ans)
	if err != nil {
		return "", err
	}
	if ans.ImageURL == "" {
		return "", fmt.Errorf("wx: %s: answer has no image_url", apiPath)
	}
	return ans.ImageURL, nil
}
