package app

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"time"

	"wxshop/internal/db"
	"wxshop/internal/wx"
)

// The mirror of a 微信小店's products: product/list/get gives ids only (≤30 a page, next_key), product/get with
// data_type 3 gives both copies of each. The mirror is refreshed on demand (the sync button, the first start),
// after each write the app makes, and by the product events.

const settingStoreProductsSyncedAt = "store_products_synced_at"

// syncStoreProducts reads every product of the shop into the mirror and drops those WeChat no longer lists.
func (a *App) syncStoreProducts(ctx context.Context) (int, error) {
	var ids []string
	next := ""
	for {
		page, err := a.wx.StoreProductIDs(ctx, 0, wx.MaxStoreProductPage, next)
		if err != nil {
			return 0, err
		}
		for _, id := range page.ProductIDs {
			ids = append(ids, string(id))
		}
		if len(page.ProductIDs) < wx.MaxStoreProductPage || page.NextKey == "" || page.NextKey == next {
			break
		}
		next = page.NextKey
	}
	for _, id := range ids {
		if _, err := a.refreshStoreProduct(ctx, wx.ID(id)); err != nil {
			return 0, err
		}
	}
	if err := a.store.KeepStoreProducts(ctx, ids); err != nil {
		return 0, err
	}
	return len(ids), a.store.SetSetting(ctx, settingStoreProductsSyncedAt, strconv.FormatInt(time.Now().Unix(), 10))
}

// refreshStoreProduct reads one product from WeChat into the mirror; a product WeChat no longer has leaves it.
func (a *App) refreshStoreProduct(ctx context.Context, id wx.ID) (*wx.StoreProductAnswer, error) {
	ans, err := a.wx.StoreProduct(ctx, id, wx.StoreBoth)
	if wx.IsCode(err, wx.CodeStoreNoProduct) {
		return nil, errors.Join(err, a.store.DeleteStoreProduct(ctx, string(id)))
	}
	if err != nil {
		return nil, err
	}
	return ans, a.store.PutStoreProduct(ctx, storeMirrorRow(id, ans))
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

// storeProductFromMirror decodes the mirror's copy of product/get.
func storeProductFromMirror(row db.StoreProduct) (*wx.StoreProductAnswer, error) {
	ans := &wx.StoreProductAnswer{Raw: row.Raw}
	if err := json.Unmarshal(row.Raw, ans); err != nil {
		return nil, err
	}
	return ans, nil
}

// Product events of a 微信小店 (events.md §3): each names a product whose audit ended or whose online state
// changed; the product is read again into the mirror, keeping a refusal's reason from the event.
const (
	eventProductAudit   = "product_spu_audit"
	eventProductListing = "product_spu_listing"
	eventProductUpdate  = "product_spu_update"
)

func isProductEvent(event string) bool {
	return event == eventProductAudit || event == eventProductListing || event == eventProductUpdate
}

func (a *App) onProductPush(ctx context.Context, raw []byte) error {
	var ev struct {
		Audit, Listing, Update *struct {
			ProductID wx.ID      `json:"product_id"`
			Status    wx.FlexInt `json:"status"`
			Reason    string     `json:"reason"`
		}
	}
	var envelope map[string]json.RawMessage
	if err := json.Unmarshal(raw, &envelope); err != nil {
		return err
	}
	for key, dst := range map[string]any{"ProductSpuAudit": &ev.Audit, "ProductSpuListing": &ev.Listing, "ProductSpuUpdate": &ev.Update} {
		if b, ok := envelope[key]; ok {
			if err := json.Unmarshal(b, dst); err != nil {
				return err
			}
		}
	}
	body := ev.Audit
	if body == nil {
		body = ev.Listing
	}
	if body == nil {
		body = ev.Update
	}
	if body == nil || body.ProductID == "" {
		return errors.New("app: product event without product_id")
	}
	if _, err := a.refreshStoreProduct(ctx, body.ProductID); err != nil {
		return err
	}
	if ev.Audit != nil && ev.Audit.Status == 2 && ev.Audit.Reason != "" {
		row, err := a.store.StoreProductByID(ctx, string(body.ProductID))
		if err == nil && row.AuditReason == "" {
			row.AuditReason = ev.Audit.Reason
			return a.store.PutStoreProduct(ctx, row)
		}
	}
	return nil
}
