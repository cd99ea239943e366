package sandbox

import (
	"hash/fnv"
	"net/http"
	"strings"
)

// Media of after-sales (getdatabymediaid): GET /channels/ec/basics/media/get?media_id= answers the file's
// bytes, or a JSON error (40007) for a media id the sandbox did not hand out. The buyer's evidence pictures
// are drawn from their id; images uploaded with resp_type=0 are kept as they came.

var errInvalidMedia = &apiError{40007, "invalid media_id"}

// buyerMediaPrefix starts the media ids of the buyers' evidence pictures (aftersale_buyer.go).
const buyerMediaPrefix = "sandbox_media_"

// fileAnswer is an answer written as a file rather than JSON.
type fileAnswer struct {
	contentType string
	data        []byte
}

// keepMedia remembers an uploaded image under its media id. The caller holds s.mu.
func (s *Server) keepMedia(id string, data []byte) {
	if s.aftersales.media == nil {
		s.aftersales.media = map[string][]byte{}
	}
	s.aftersales.media[id] = data
}

// getMedia is GET /channels/ec/basics/media/get.
func (s *Server) getMedia(c *call) (any, error) {
	id := c.r.URL.Query().Get("media_id")
	if data, found := s.aftersales.media[id]; found {
		return fileAnswer{http.DetectContentType(data), data}, nil
	}
	if strings.HasPrefix(id, buyerMediaPrefix) {
		h := fnv.New32a()
		h.Write([]byte(id))
		return fileAnswer{"image/png", drawProductImage(int(h.Sum32()%997), true)}, nil
	}
	return nil, errInvalidMedia.with("media_id %q", id)
}

// MediaIDs lists the media ids of after-sale id's pictures as WeChat answers them, for tests.
func (s *Server) MediaIDs(id string) []string {
	o, _ := s.AftersaleState(id)
	return o.Details.Images()
}
