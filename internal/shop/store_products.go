package shop

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"wxshop/internal/db"
	"wxshop/internal/i18n"
	"wxshop/internal/wx"
)

// A 微信小店 product's actions: save its draft (add, or update with the whole product), list (submit for
// audit), delist, cancel the audit, delete, change a SKU's stock. Where WeChat would refuse an action the shop
// refuses it first (a *Refused, with the code WeChat would answer); after a lost answer WeChat is read back,
// so that nothing is done twice.

// Refused is a catalog action the shop did not send to WeChat, and why, already in the operator's language
// (the after-sales' Refusal keeps a message key instead, which their page translates).
type Refused struct{ Reason string }

func (r *Refused) Error() string { return "shop: refused: " + r.Reason }

func refuse(reason string) error { return &Refused{Reason: reason} }

// The actions of a product page, in its order.
var StoreActions = []string{"edit", "listing", "delisting", "cancel", "delete"}

// StoreRefusal is why WeChat would refuse act on the product now, in p's language; "" when it would not.
func StoreRefusal(p i18n.Printer, act string, row db.StoreProduct) string {
	code := 0
	switch act {
	case "edit", "delete":
		switch row.EditStatus {
		case wx.StoreEditInAudit:
			code = wx.CodeStoreInAudit
		case wx.StoreEditUploading:
			code = wx.CodeStoreUploading
		}
	case "listing":
		switch {
		case row.EditStatus == wx.StoreEditInAudit:
			code = wx.CodeStoreInAudit
		case row.EditStatus == wx.StoreEditUploading:
			code = wx.CodeStoreUploading
		case row.Status == wx.StoreStatusOnSale && row.EditStatus == wx.StoreEditPassed:
			return p.T("store.refuse.onsale")
		}
	case "delisting":
		if row.Status != wx.StoreStatusOnSale && row.Status != wx.StoreStatusSoldOut {
			return p.T("store.refuse.notonsale")
		}
	case "cancel":
		if row.EditStatus != wx.StoreEditInAudit {
			code = wx.CodeStoreNotInAudit
		}
	}
	if code == 0 {
		return ""
	}
	return ExplainCode(p, code, "")
}

// StoreAction runs one of the product actions (listing, delisting, cancel, delete) on one product, refusing it
// first where WeChat would, and audits it. The error is a *Refused, WeChat's refusal, or a *StoreError.
func (s *Shop) StoreAction(ctx context.Context, j Journal, p i18n.Printer, act, id string) error {
	row, err := s.store.StoreProductByID(ctx, id)
	if err != nil {
		return refuse(p.T("store.err.unknown", id))
	}
	if msg := StoreRefusal(p, act, row); msg != "" {
		return refuse(msg)
	}
	if act == "listing" {
		if msg := s.QuotaRefusal(ctx, p, !row.HasOnline); msg != "" {
			return refuse(msg)
		}
	}
	call, ok := map[string]func(context.Context, wx.ID) error{
		"listing": s.wx.ListStoreProduct, "delisting": s.wx.DelistStoreProduct,
		"cancel": s.wx.CancelStoreAudit, "delete": s.wx.DeleteStoreProduct,
	}[act]
	if !ok {
		return fmt.Errorf("shop: no product action %q", act)
	}
	err = call(ctx, wx.ID(id))
	if err != nil && wx.Temporary(err) && ctx.Err() == nil {
		// The answer was lost: what WeChat holds now says whether it was done.
		if _, rerr := s.RefreshStoreProduct(ctx, id); rerr == nil || act == "delete" && wx.IsCode(rerr, wx.CodeStoreNoProduct) {
			if after, gerr := s.store.StoreProductByID(ctx, id); storeActionDone(act, row, after, gerr) {
				s.log.Warn("the product call failed, but WeChat shows it done", "action", act, "product", id, "err", err)
				err = nil
			}
		}
	}
	j(db.AuditEntry{Action: "product." + act, ObjectType: "product", ObjectID: id, Detail: row.Title, Outcome: Outcome(err)})
	if err != nil {
		return err
	}
	if act == "delete" {
		if err := s.store.DeleteStoreProduct(ctx, id); err != nil && !errors.Is(err, db.ErrNoStoreProduct) {
			return storeErr(err)
		}
		return nil
	}
	return s.refreshAfterWrite(ctx, id)
}

// storeActionDone says whether a product read back after a lost answer shows act done.
func storeActionDone(act string, before, after db.StoreProduct, err error) bool {
	switch act {
	case "delete":
		return errors.Is(err, db.ErrNoStoreProduct)
	case "listing":
		return err == nil && (after.EditStatus == wx.StoreEditInAudit || after.EditStatus == wx.StoreEditPassed && before.EditStatus != wx.StoreEditPassed)
	case "delisting":
		return err == nil && after.Status == wx.StoreStatusDelisted
	case "cancel":
		return err == nil && after.EditStatus != wx.StoreEditInAudit
	}
	return false
}

// StoreQuota is the shop's audit quota as the product form shows it; Known is false when it could not be read.
type StoreQuota struct {
	Known            bool
	Unlimited        bool
	Avail, Total     int64
	NewLeft, NewPart int64 // new products' own part of the quota, when WeChat gives one
}

// AuditQuota reads the audit quota: what submissions for audit (listing, or add/update with listing: 1) may
// still be made; a submission beyond it goes through but leaves the draft in edit_status 72 (提审quota不足).
func (s *Shop) AuditQuota(ctx context.Context) StoreQuota {
	q, err := s.wx.StoreAuditQuota(ctx)
	if err != nil {
		return StoreQuota{}
	}
	out := StoreQuota{Known: true, Unlimited: q.UnlimitedType == 1, Avail: int64(q.AvailQuota), Total: int64(q.TotalQuota),
		NewLeft: int64(q.NewProductRemaining), NewPart: int64(q.NewProductTotalQuota)}
	if q.AuditTotalQuota > 0 {
		out.Avail, out.Total = int64(q.AuditTotalRemaining), int64(q.AuditTotalQuota)
	}
	if bool(q.BlockStatus) && !out.Unlimited {
		out.Avail = 0
	}
	return out
}

// QuotaRefusal says why a submission for audit would exceed the audit quota; "" when it would not, or when
// the quota cannot be read (WeChat then decides). A product never listed also needs the new products' part
// (when it is used up, only edits of listed products may be submitted).
func (s *Shop) QuotaRefusal(ctx context.Context, p i18n.Printer, newProduct bool) string {
	q := s.AuditQuota(ctx)
	switch {
	case !q.Known || q.Unlimited:
		return ""
	case q.Avail <= 0:
		return p.T("store.refuse.quota", q.Total)
	case newProduct && q.NewPart > 0 && q.NewLeft <= 0:
		return p.T("store.refuse.quota.new", q.NewPart)
	}
	return ""
}

// listedProduct is one product WeChat lists, with its draft when the mirror does not hold it.
type listedProduct struct {
	ID    wx.ID
	Draft *wx.StoreProduct
}

func (s *Shop) storeProductKind() Kind[listedProduct, string] {
	return Kind[listedProduct, string]{Name: "product",
		ID:   func(p listedProduct) string { return string(p.ID) },
		List: s.unmirroredDrafts,
		Mirrored: func(ctx context.Context, id string) error {
			_, err := s.store.StoreProductByID(ctx, id)
			if errors.Is(err, db.ErrNoStoreProduct) {
				return db.ErrNoRecord
			}
			return err
		},
	}
}

// unmirroredDrafts lists every product WeChat has, reading the draft of those the mirror does not hold: what a
// lost add may have made is among them.
func (s *Shop) unmirroredDrafts(ctx context.Context) ([]listedProduct, error) {
	ids, err := s.storeProductIDs(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]listedProduct, 0, len(ids))
	for _, id := range ids {
		lp := listedProduct{ID: id}
		if s.forgotten(ctx, string(id)) {
			if ans, err := s.wx.StoreProduct(ctx, id, wx.StoreDraft); err == nil {
				lp.Draft = ans.EditProduct
			}
		}
		out = append(out, lp)
	}
	return out, nil
}

// SaveStoreProduct writes a product's draft: add when id is "", else update with the whole product (WeChat
// overwrites the draft with what it is given); submit sends it for audit in the same call (listing: 1, the
// only way for more than 25 SKUs). It answers the product's id; the error is WeChat's refusal or a *StoreError.
func (s *Shop) SaveStoreProduct(ctx context.Context, j Journal, id string, data *StoreProductData, submit bool) (string, error) {
	detail := data.Title
	if submit {
		detail += " (submitted for audit)"
	}
	w := Save[listedProduct, string]{ID: id, Detail: detail,
		Create: func(ctx context.Context) (string, error) {
			newID, err := s.wx.AddStoreProduct(ctx, data, submit)
			return string(newID), err
		},
		Update: func(ctx context.Context, id string) error {
			err := s.wx.UpdateStoreProduct(ctx, wx.ID(id), data, submit)
			if err != nil && wx.Temporary(err) && ctx.Err() == nil {
				if ans, rerr := s.wx.StoreProduct(ctx, wx.ID(id), wx.StoreDraft); rerr == nil && ans.EditProduct != nil && sameStoreData(ans.EditProduct, data) {
					s.log.Warn("the update call failed, but WeChat's draft is what was sent", "product", id, "err", err)
					return nil
				}
			}
			return err
		},
		Like:   func(p listedProduct) bool { return p.Draft != nil && sameStoreData(p.Draft, data) },
		Mirror: s.refreshAfterWrite,
	}
	return save(ctx, s, j, s.storeProductKind(), w)
}

// sameStoreData says whether a draft read back is what was sent (title, category and SKUs' prices and specs).
func sameStoreData(got *wx.StoreProduct, sent *wx.StoreProductData) bool {
	if got.Title != sent.Title || len(got.SKUs) != len(sent.SKUs) || !slices.Equal(got.CatsV2, sent.CatsV2) || !slices.Equal(got.Cats, sent.Cats) {
		return false
	}
	for i := range sent.SKUs {
		if got.SKUs[i].SalePrice != sent.SKUs[i].SalePrice || !slices.Equal(got.SKUs[i].SKUAttrs, sent.SKUs[i].SKUAttrs) {
			return false
		}
	}
	return true
}

// StockRefusal is why the product's stock cannot change now, "" when it can: stock/update works only for
// products listed at least once, and not while in audit.
func StockRefusal(p i18n.Printer, row db.StoreProduct) string {
	switch {
	case !row.HasOnline:
		return p.T("store.stock.never")
	case row.EditStatus == wx.StoreEditInAudit:
		return p.T("store.stock.inaudit")
	}
	return ""
}

// The ways to change a SKU's stock: add, reduce, or set (only when chosen explicitly).
var stockOps = map[string]int{"add": wx.StockAdd, "reduce": wx.StockReduce, "set": wx.StockSet}

// IsStockOp says whether op is one of the stock changes.
func IsStockOp(op string) bool { _, ok := stockOps[op]; return ok }

// ChangeStoreStock changes one SKU's stock (op add, reduce or set, by qty) and answers the stock it now has.
// After a lost answer stock/get says whether the change went through, so it is never counted twice.
func (s *Shop) ChangeStoreStock(ctx context.Context, j Journal, p i18n.Printer, row db.StoreProduct, sku StoreSKU, op string, qty int64) (int64, error) {
	if msg := StockRefusal(p, row); msg != "" {
		return 0, refuse(msg)
	}
	diff, ok := stockOps[op]
	if !ok {
		return 0, refuse(p.T("stock.err.op"))
	}
	want := map[int]int64{wx.StockAdd: sku.StockNum + qty, wx.StockReduce: sku.StockNum - qty, wx.StockSet: qty}[diff]
	err := s.wx.UpdateStoreStock(ctx, wx.ID(row.ProductID), sku.SKUID, diff, qty)
	if err != nil && wx.Temporary(err) && ctx.Err() == nil {
		if st, serr := s.wx.StoreStock(ctx, wx.ID(row.ProductID), sku.SKUID); serr == nil && int64(st.NormalStockNum) == want {
			s.log.Warn("the stock call failed, but WeChat's stock shows the change", "product", row.ProductID, "sku", sku.SKUID, "err", err)
			err = nil
		}
	}
	j(db.AuditEntry{Action: "stock." + op, ObjectType: "product", ObjectID: row.ProductID,
		Detail: fmt.Sprintf("%s [%s] %s %d (%d)", row.Title, SKULabel(sku), op, qty, sku.StockNum), Outcome: Outcome(err)})
	if err != nil {
		return 0, err
	}
	return want, s.refreshAfterWrite(ctx, row.ProductID)
}

// SKULabel names a SKU by its sale attributes' values.
func SKULabel(k StoreSKU) string {
	var parts []string
	for _, at := range k.SKUAttrs {
		parts = append(parts, at.AttrValue)
	}
	return strings.Join(parts, " / ")
}
