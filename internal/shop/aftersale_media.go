package shop

import (
	"bytes"
	"context"
	"fmt"
	"image"
	_ "image/jpeg" // the evidence a merchant uploads: jpeg or png, as basics/img/upload takes
	_ "image/png"
	"slices"
	"sync"

	"wxshop/internal/db"
	"wxshop/internal/wx"
)

// The pictures of an after-sale: WeChat names them by media_id (the buyer's evidence, the merchant's refund
// certificates) and gives the file through basics/media/get. A page shows them through the app, which fetches
// each once and keeps the last few in memory.

// AftersaleMediaIDs are the media ids an after-sale's page may show: the buyer's pictures, then the
// merchant's refund certificates.
func AftersaleMediaIDs(o *wx.AfterSaleOrder) []string {
	return append(o.Details.Images(), o.MerchantUploadInfo.RefundCertificates...)
}

// mediaCacheSize is how many pictures are kept in memory.
const mediaCacheSize = 64

type mediaCache struct {
	mu    sync.Mutex
	order []string
	files map[string]*wx.Media
}

func (m *mediaCache) get(id string) (*wx.Media, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	f, ok := m.files[id]
	return f, ok
}

func (m *mediaCache) put(id string, f *wx.Media) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.files == nil {
		m.files = map[string]*wx.Media{}
	}
	if _, ok := m.files[id]; ok {
		return
	}
	if len(m.order) >= mediaCacheSize {
		delete(m.files, m.order[0])
		m.order = m.order[1:]
	}
	m.order = append(m.order, id)
	m.files[id] = f
}

// Media is picture mediaID of after-sale id: ErrNotFound when the after-sale does not name it (a page shows
// only its own pictures), else WeChat's file.
func (s *Aftersales) Media(ctx context.Context, id, mediaID string) (*wx.Media, error) {
	o, err := s.Load(ctx, id)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(AftersaleMediaIDs(o), mediaID) && !s.inComplaint(ctx, o, mediaID) {
		return nil, ErrNotFound
	}
	if f, ok := s.media.get(mediaID); ok {
		return f, nil
	}
	f, err := s.wx.Media(ctx, mediaID)
	if err != nil {
		return nil, err
	}
	s.media.put(mediaID, f)
	return f, nil
}

// UploadEvidence uploads a picture the merchant gives as evidence or as a refund certificate (basics/img/upload
// with resp_type=0) and returns its media id; audited. A picture that is not a jpeg or png of at most 2 MB is
// a *Refusal.
func (s *Aftersales) UploadEvidence(ctx context.Context, journal Journal, id, filename string, data []byte) (string, error) {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || (format != "jpeg" && format != "png") {
		return "", &Refusal{Key: "aftersale.refused.image_type", Args: []any{filename}}
	}
	if len(data) > wx.MaxMediaImageBytes {
		return "", &Refusal{Key: "aftersale.refused.image_size", Args: []any{filename}}
	}
	mediaID, err := s.wx.UploadMediaImage(ctx, filename, data, cfg.Width, cfg.Height)
	journal(db.AuditEntry{Action: "aftersale.media", ObjectType: "aftersale", ObjectID: id,
		Detail: fmt.Sprintf("%s %d×%d media_id=%s", filename, cfg.Width, cfg.Height, mediaID), Outcome: Outcome(err)})
	return mediaID, err
}

// ComplaintMediaIDs are the pictures of a dispute's history, newest step first.
func ComplaintMediaIDs(c *wx.Complaint) []string {
	var out []string
	for _, it := range c.History {
		out = append(out, it.MediaIDList...)
	}
	return out
}

// inComplaint tells a picture of the dispute after-sale o names.
func (s *Aftersales) inComplaint(ctx context.Context, o *wx.AfterSaleOrder, mediaID string) bool {
	if o.ComplaintID == "" {
		return false
	}
	c, err := s.wx.Complaint(ctx, string(o.ComplaintID))
	return err == nil && slices.Contains(ComplaintMediaIDs(c), mediaID)
}
