package shop

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"wxshop/internal/db"
	"wxshop/internal/wx"
)

// The mirror of a 微信小店's products: product/list/get gives ids only (≤30 a page, next_key), product/get with
// data_type 3 gives both copies of each. The mirror is refreshed on demand (the sync button, the first start),
// after each write the shop makes, and by the product events.

// SettingStoreProductsSyncedAt keeps when the 微信小店's products were last synced.
const SettingStoreProductsSyncedAt = "store_products_synced_at"

// ErrNoStoreProduct is a product neither the mirror nor WeChat has.
var ErrNoStoreProduct = db.ErrNoStoreProduct

// storeProductIDs is every product id WeChat lists, page after page.
func (s *Shop) storeProductIDs(ctx context.Context) ([]wx.ID, error) {
	var ids []wx.ID
	next := ""
	for {
		page, err := s.wx.StoreProductIDs(ctx, 0, wx.MaxStoreProductPage, next)
		if err != nil {
			return nil, err
		}
		ids = append(ids, page.ProductIDs...)
		if len(page.ProductIDs) < wx.MaxStoreProductPage || page.NextKey == "" || page.NextKey == next {
			return ids, nil
		}
		next = page.NextKey
	}
}

// SyncStoreProducts reads every product of the shop into the mirror and drops those WeChat no longer lists.
func (s *Shop) SyncStoreProducts(ctx context.Context) (int, error) {
	ids, err := s.storeProductIDs(ctx)
	if err != nil {
		return 0, err
	}
	keep := make([]string, 0, len(ids))
	for _, id := range ids {
		if _, err := s.RefreshStoreProduct(ctx, string(id)); err != nil {
			return 0, err
		}
		keep = append(keep, string(id))
	}
	if err := s.store.KeepStoreProducts(ctx, keep); err != nil {
		return 0, err
	}
	return len(ids), s.markSynced(ctx, SettingStoreProductsSyncedAt)
}

// SyncStoreProductsNow is the operator's sync of the products, audited.
func (s *Shop) SyncStoreProductsNow(ctx context.Context, j Journal) (int, error) {
	n, err := s.SyncStoreProducts(ctx)
	j(db.AuditEntry{Action: "product.sync", ObjectType: "product", ObjectID: "all", Detail: fmt.Sprintf("%d products", n), Outcome: Outcome(err)})
	return n, err
}

// StoreMirrors are the mirrors a 微信小店 fills on its first start.
func (s *Shop) StoreMirrors() []MirrorSync {
	return []MirrorSync{{Setting: SettingStoreProductsSyncedAt, Sync: s.SyncStoreProducts}}
}

// RefreshStoreProduct reads one product from WeChat into the mirror; a product WeChat no longer has leaves it.
func (s *Shop) RefreshStoreProduct(ctx context.Context, id string) (*StoreProductAnswer, error) {
	ans, err := s.wx.StoreProduct(ctx, wx.ID(id), wx.StoreBoth)
	if wx.IsCode(err, wx.CodeStoreNoProduct) {
		return nil, errors.Join(err, s.store.DeleteStoreProduct(ctx, id))
	}
	if err != nil {
		return nil, err
	}
	return ans, s.store.PutStoreProduct(ctx, storeMirrorRow(wx.ID(id), ans))
}

// refreshAfterWrite reads a product back after the shop changed it. WeChat not answering only leaves the
// mirror a little behind (the next read corrects it); the store failing is a *StoreError.
func (s *Shop) refreshAfterWrite(ctx context.Context, id string) error {
	_, err := s.RefreshStoreProduct(ctx, id)
	var we *wx.Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &we) || wx.Temporary(err):
		s.log.Warn("product changed but not read back", "product", id, "err", err)
		return nil
	}
	return storeErr(err)
}

// StoreProduct is the mirror's copy of a product, read again from WeChat first when fresh, when the mirror
// does not know it, or when a decision may be due (in audit, uploading). A refresh that fails leaves the
// mirror's copy; a product neither has is ErrNoStoreProduct.
func (s *Shop) StoreProduct(ctx context.Context, id string, fresh bool) (db.StoreProduct, *StoreProductAnswer, error) {
	row, err := s.store.StoreProductByID(ctx, id)
	known := err == nil
	if err != nil && !errors.Is(err, db.ErrNoStoreProduct) {
		return row, nil, err
	}
	if fresh || !known || row.EditStatus == wx.StoreEditInAudit || row.EditStatus == wx.StoreEditUploading {
		if _, err := s.RefreshStoreProduct(ctx, id); err != nil {
			if wx.IsCode(err, wx.CodeStoreNoProduct) || !known {
				return row, nil, ErrNoStoreProduct
			}
			s.log.Warn("could not refresh a product from WeChat; showing the mirror", "product", id, "err", err)
		}
		if row, err = s.store.StoreProductByID(ctx, id); err != nil {
			return row, nil, err
		}
	}
	ans, err := StoredStoreProduct(row)
	return row, ans, err
}

// storeMirrorRow is what the list needs of a product: the online copy's price and stock when there is one (what
// buyers see), the draft's title and state.
func storeMirrorRow(id wx.ID, ans *wx.StoreProductAnswer) db.StoreProduct {
	shown, draft := ans.Product, ans.EditProduct
	if draft == nil {
		draft = shown
	}
	if shown == nil {
		shown = draft
	}
	row := db.StoreProduct{ProductID: string(id), Title: draft.Title, Status: shown.Status, EditStatus: draft.EditStatus,
		HasOnline: ans.Product != nil, MinPrice: int64(shown.MinPrice), SKUCount: len(shown.SKUs), Raw: ans.Raw,
		AuditReason: storeAuditReason(ans.Raw)}
	if len(shown.HeadImgs) > 0 {
		row.HeadImg = shown.HeadImgs[0]
	}
	for _, k := range shown.SKUs {
		row.TotalStock += k.StockNum
		if row.MinPrice == 0 || k.SalePrice < row.MinPrice {
			row.MinPrice = k.SalePrice
		}
	}
	return row
}

// storeAuditReason is the reason of the last refused audit in a product/get answer: audit_info.audit_reason
// [inferred: the page names audit_info "audit details" without its fields; the sandbox answers this one].
func storeAuditReason(raw []byte) string {
	var ans struct {
		AuditInfo struct {
			AuditReason string `json:"audit_reason"`
		} `json:"audit_info"`
	}
	_ = json.Unmarshal(raw, &ans)
	return ans.AuditInfo.AuditReason
}

// StoredStoreProduct decodes the mirror's copy of product/get.
func StoredStoreProduct(row db.StoreProduct) (*StoreProductAnswer, error) {
	ans := &wx.StoreProductAnswer{Raw: row.Raw}
	if err := json.Unmarshal(row.Raw, ans); err != nil {
		return nil, fmt.Errorf("store product %s: stored JSON: %w", row.ProductID, err)
	}
	return ans, nil
}

// forgotten says whether the mirror no longer holds the product.
func (s *Shop) forgotten(ctx context.Context, id string) bool {
	_, err := s.store.StoreProductByID(ctx, id)
	return errors.Is(err, db.ErrNoStoreProduct)
}

// IsProductEvent says whether a push's event is one of a 微信小店's product events.
func IsProductEvent(event string) bool { return wx.IsProductEvent(event) }

// ProductPushed reads the product a product event names into the mirror, keeping a refusal's reason from the
// event when the product's own answer gives none. plain is the push's plaintext, JSON or XML.
func (s *Shop) ProductPushed(ctx context.Context, plain []byte) error {
	ev, err := wx.ParseProductEvent(plain)
	if err != nil {
		return err
	}
	if _, err := s.RefreshStoreProduct(ctx, string(ev.ProductID)); err != nil {
		if wx.IsCode(err, wx.CodeStoreNoProduct) && !IsStoreError(err) && s.forgotten(ctx, string(ev.ProductID)) {
			return nil // deleted meanwhile: the mirror has let it go, which is all the event asks
		}
		return err
	}
	if ev.Event == wx.EventProductAudit && ev.Status == wx.ProductAuditRejected && ev.Reason != "" {
		row, err := s.store.StoreProductByID(ctx, string(ev.ProductID))
		if err == nil && row.AuditReason == "" {
			row.AuditReason = ev.Reason
			return s.store.PutStoreProduct(ctx, row)
		}
	}
	return nil
}
