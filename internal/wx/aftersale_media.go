package wx

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
)

// Media of after-sales and disputes. The buyer's evidence (details.media_infos), the merchant's refund
// certificates and a dispute's history name their pictures by media_id only; WeChat gives the file itself
// through basics/media/get (the store API's 通过mediaid获取数据: the binary data, or a JSON error). The
// merchant's own evidence is uploaded with basics/img/upload resp_type=0, which answers a media_id.

// PathMedia is GET /channels/ec/basics/media/get?media_id=….
const PathMedia = "/channels/ec/basics/media/get"

// MaxMediaImageBytes is the largest image basics/img/upload takes with resp_type=0.
const MaxMediaImageBytes = 2 << 20

// Media is a file WeChat answered for a media_id.
type Media struct {
	Data        []byte
	ContentType string // as WeChat sent it, else sniffed from the bytes
}

// Media fetches the file of mediaID. A read: retried like the others.
func (c *Client) Media(ctx context.Context, mediaID string) (*Media, error) {
	if mediaID == "" {
		return nil, fmt.Errorf("wx: %s: empty media_id", PathMedia)
	}
	m := &Media{}
	err := c.call(ctx, apiCall{method: http.MethodGet, path: PathMedia, query: url.Values{"media_id": {mediaID}}, read: true, media: m}, nil)
	if err != nil {
		return nil, err
	}
	if m.ContentType == "" || m.ContentType == "application/octet-stream" {
		m.ContentType = sniffImageType(m.Data)
	}
	return m, nil
}

// UploadMediaImage uploads one image file (upload_type=0) and returns its media_id (resp_type=0), as a refund
// certificate, a negotiation's or a dispute's evidence takes. width and height are its size in pixels.
func (c *Client) UploadMediaImage(ctx context.Context, filename string, data []byte, width, height int) (string, error) {
	if err := checkStoreImage(filename, data, MaxMediaImageBytes, width, height); err != nil {
		return "", err
	}
	ct, body, err := storeImageForm(filename, data)
	if err != nil {
		return "", err
	}
	q := url.Values{"upload_type": {"0"}, "resp_type": {"0"}, "width": {strconv.Itoa(width)}, "height": {strconv.Itoa(height)}}
	var ans struct {
		PicFile struct {
			MediaID string `json:"media_id"`
		} `json:"pic_file"`
	}
	if err := c.UploadWrite(ctx, StoreImagePath, q, ct, body, &ans); err != nil {
		return "", err
	}
	if ans.PicFile.MediaID == "" {
		return "", fmt.Errorf("wx: %s: answer has no pic_file.media_id", StoreImagePath)
	}
	return ans.PicFile.MediaID, nil
}
