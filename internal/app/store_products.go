package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"wxshop/internal/db"
	"wxshop/internal/i18n"
	"wxshop/internal/money"
	"wxshop/internal/shop"
	"wxshop/web/templates"
)

// The products of a 微信小店 at today's addresses (/products, /products/:id): the mirror's list with its tabs,
// and a product's two copies, online and draft, with what may be done to it. The actions are internal/shop's
// (store_products.go), which refuses first where WeChat would and says why, with the code WeChat would answer.

// byKind picks the handler of the shop's kind for a route both kinds have.
func (a *App) byKind(merchant, store gin.HandlerFunc) gin.HandlerFunc {
	return func(c *gin.Context) {
		if a.isStore(c.Request.Context()) {
			store(c)
			return
		}
		merchant(c)
	}
}

func (a *App) showStoreProducts(c *gin.Context) {
	ctx := c.Request.Context()
	tab := c.Query("tab")
	if !slices.Contains(db.StoreTabs, tab) {
		tab = db.StoreTabAll
	}
	query := strings.TrimSpace(c.Query("q"))
	page := pageNumber(c)
	rows, total, err := a.store.StoreProducts(ctx, tab, query, productsPerPage, (page-1)*productsPerPage)
	if err != nil {
		a.serverError(c, err)
		return
	}
	counts, err := a.store.StoreTabCounts(ctx)
	if err != nil {
		a.serverError(c, err)
		return
	}
	v := templates.StoreProductsView{
		Tab: tab, Query: query, CanWrite: canWrite(Role(currentUser(c).Role)),
		Pager: templates.Pager{Page: page, PerPage: productsPerPage, Total: total, Base: *c.Request.URL},
	}
	for _, t := range db.StoreTabs {
		v.Tabs = append(v.Tabs, templates.StoreTab{Key: t, Count: counts[t]})
	}
	if t := a.shop.SyncedAt(ctx, shop.SettingStoreProductsSyncedAt); !t.IsZero() {
		v.SyncedAt = templates.FormatTime(t)
	}
	for _, r := range rows {
		v.Rows = append(v.Rows, templates.StoreProductRow{ID: r.ProductID, Title: r.Title, HeadImg: r.HeadImg,
			Price: money.Yuan(r.MinPrice), Stock: r.TotalStock, Status: r.Status, EditStatus: r.EditStatus, HasOnline: r.HasOnline})
	}
	a.render(c, http.StatusOK, templates.StoreProductsPage(a.page(c, "title.products", "products"), v))
}

func (a *App) syncStoreProductsNow(c *gin.Context) {
	p := a.printer(c)
	n, err := a.shop.SyncStoreProductsNow(c.Request.Context(), a.journalOf(c))
	switch {
	case shop.IsStoreError(err):
		a.serverError(c, err)
		return
	case err != nil:
		a.flash(c, "error", p.T("products.sync.failed", wxMessage(p, err)))
	default:
		a.flash(c, "ok", p.T("products.synced.now", n))
	}
	a.redirect(c, "/products")
}

// loadStoreProduct is the mirror's copy of the product of the URL, refreshed from WeChat when fresh (see
// shop.StoreProduct); it has answered the request (404, 500) when it returns false.
func (a *App) loadStoreProduct(c *gin.Context, fresh bool) (db.StoreProduct, *shop.StoreProductAnswer, bool) {
	row, ans, err := a.shop.StoreProduct(c.Request.Context(), c.Param("id"), fresh)
	switch {
	case errors.Is(err, shop.ErrNoStoreProduct):
		a.renderError(c, http.StatusNotFound)
		return row, nil, false
	case err != nil:
		a.serverError(c, err)
		return row, nil, false
	}
	return row, ans, true
}

func (a *App) showStoreProduct(c *gin.Context) {
	row, ans, ok := a.loadStoreProduct(c, c.Query("refresh") == "1")
	if !ok {
		return
	}
	ctx := c.Request.Context()
	p := a.printer(c)
	v := templates.StoreProductView{
		ID: row.ProductID, Title: row.Title, Status: row.Status, EditStatus: row.EditStatus, Reason: row.AuditReason,
		CanWrite: canWrite(Role(currentUser(c).Role)), Sandbox: a.cfg.Sandbox, StockNote: shop.StockRefusal(p, row),
	}
	names := a.shop.FreightNames(ctx)
	if ans.Product != nil {
		v.Online = a.storeCopyView(ctx, p, ans.Product, names)
	}
	if ans.EditProduct != nil && (ans.Product == nil || !sameStoreCopy(ans.Product, ans.EditProduct)) {
		v.Draft = a.storeCopyView(ctx, p, ans.EditProduct, names)
	}
	for _, act := range shop.StoreActions {
		v.Actions = append(v.Actions, templates.StoreAction{Key: act, Refusal: shop.StoreRefusal(p, act, row)})
	}
	a.render(c, http.StatusOK, templates.StoreProductPage(a.page(c, "title.product", "products"), v))
}

// sameStoreCopy says whether the draft is the online copy unchanged (nothing pending).
func sameStoreCopy(online, draft *shop.StoreProduct) bool {
	x, _ := json.Marshal(online.StoreProductData)
	y, _ := json.Marshal(draft.StoreProductData)
	return bytes.Equal(x, y)
}

// storeCopyView is a product copy as its page shows it: the category path by its names (by its ids where the
// shop's trees no longer have it), the freight template by its name, how it is delivered, its weight, its
// return address and its qualifications by their names.
func (a *App) storeCopyView(ctx context.Context, pr i18n.Printer, p *shop.StoreProduct, freight map[string]string) *templates.StoreCopyView {
	v := &templates.StoreCopyView{Title: p.Title, HeadImgs: p.HeadImgs, Desc: p.DescInfo.Desc, Price: money.Yuan(int64(p.MinPrice))}
	v.Deliver = pr.T("store.deliver." + strconv.Itoa(p.DeliverMethod))
	if p.DeliverMethod == 3 {
		var accts []string
		for _, t := range slices.Sorted(slices.Values(p.DeliverAcctType)) {
			accts = append(accts, pr.T("store.acct."+strconv.Itoa(t)))
		}
		v.Deliver += pr.T("store.deliver.accts", strings.Join(accts, "、"))
	}
	if p.ExpressInfo != nil && p.ExpressInfo.Weight > 0 {
		v.Weight = pr.T("store.weight.grams", p.ExpressInfo.Weight)
	}
	v.Address = pr.T("store.address.default")
	if p.AfterSaleInfo != nil && p.AfterSaleInfo.AfterSaleAddressID != "" && p.AfterSaleInfo.AfterSaleAddressID != "0" {
		v.Address = string(p.AfterSaleInfo.AfterSaleAddressID)
		for _, ad := range a.aftersales.Addresses(ctx, false).Items {
			if ad.AddressID == p.AfterSaleInfo.AfterSaleAddressID {
				v.Address = storeAddressLabel(ad)
			}
		}
	}
	var ids []string
	for _, c := range append(slices.Clone(p.CatsV2), p.Cats...) {
		ids = append(ids, string(c.CatID))
	}
	v.Category = ids
	if cats, err := a.shop.StoreCategoryPath(ctx, ids); err == nil && len(cats) == len(ids) {
		v.Category = nil
		for _, c := range cats {
			v.Category = append(v.Category, c.Name)
		}
	}
	if len(p.ProductQuaInfos) > 0 {
		quals := map[string]string{}
		if len(ids) > 0 {
			if detail, err := a.shop.StoreCategoryDetail(ctx, ids[len(ids)-1]); err == nil {
				for _, q := range detail.ProductQuaList {
					quals[string(q.QuaID)] = q.Name
				}
			}
		}
		for _, q := range p.ProductQuaInfos {
			name := quals[string(q.QuaID)]
			if name == "" {
				name = string(q.QuaID)
			}
			v.Quals = append(v.Quals, pr.T("store.qua.count", name, len(q.QuaURL)))
		}
	}
	for _, at := range p.Attrs {
		v.Attrs = append(v.Attrs, at.AttrKey+"："+at.AttrValue)
	}
	if p.ExpressInfo != nil {
		v.Freight = freight[string(p.ExpressInfo.TemplateID)]
		if v.Freight == "" {
			v.Freight = string(p.ExpressInfo.TemplateID)
		}
	}
	for _, k := range p.SKUs {
		v.SKUs = append(v.SKUs, templates.StoreSKURow{ID: string(k.SKUID), Attrs: shop.SKULabel(k),
			Price: money.Yuan(k.SalePrice), Stock: k.StockNum, Code: k.SKUCode})
	}
	return v
}

// storeAction runs one of the product actions on one product; it answers what to tell the operator when it
// did not go through ("" when it did), and false when it has answered the request itself (the 500 page).
func (a *App) storeAction(c *gin.Context, act, id string) (string, bool) {
	p := a.printer(c)
	err := a.shop.StoreAction(c.Request.Context(), a.journalOf(c), p, act, id)
	switch {
	case shop.IsStoreError(err):
		a.serverError(c, err)
		return "", false
	case err != nil:
		return wxMessage(p, err), true
	}
	return "", true
}

// doStoreAction is POST /products/:id/{listing,delisting,cancel,delete} for a 微信小店.
func (a *App) doStoreAction(act string) gin.HandlerFunc {
	return func(c *gin.Context) {
		p := a.printer(c)
		id := c.Param("id")
		msg, ok := a.storeAction(c, act, id)
		if !ok {
			return
		}
		if msg != "" {
			a.flash(c, "error", msg)
		} else {
			a.flash(c, "ok", p.T("store.done."+act))
		}
		if act == "delete" && msg == "" {
			a.redirect(c, "/products")
			return
		}
		a.redirect(c, "/products/"+id)
	}
}

// setStoreProductStatus lists or delists the chosen products, each on its own.
func (a *App) setStoreProductStatus(c *gin.Context) {
	p := a.printer(c)
	ids := c.PostFormArray("id")
	act := map[string]string{"1": "listing", "0": "delisting"}[c.PostForm("status")]
	if act == "" {
		a.renderError(c, http.StatusBadRequest)
		return
	}
	if len(ids) == 0 {
		a.flash(c, "error", p.T("products.bulk.none"))
		a.redirect(c, "/products")
		return
	}
	var done int
	var failures []string
	for _, id := range ids {
		msg, ok := a.storeAction(c, act, id)
		if !ok {
			return
		}
		if msg != "" {
			failures = append(failures, id+"："+msg)
			continue
		}
		done++
	}
	msg := p.T("store.bulk."+act, done)
	if len(failures) > 0 {
		a.flash(c, "error", msg+" "+p.T("products.bulk.failed", strings.Join(failures, "；")))
	} else {
		a.flash(c, "ok", msg)
	}
	a.redirect(c, "/products")
}

// deleteStoreProduct is the product page's delete for a 微信小店.
func (a *App) deleteStoreProduct(c *gin.Context) { a.doStoreAction("delete")(c) }

// sandboxAudit, in sandbox mode only, decides a product's audit as the platform's reviewers would.
func (a *App) sandboxAudit(c *gin.Context) {
	if !a.cfg.Sandbox {
		a.renderError(c, http.StatusNotFound)
		return
	}
	p := a.printer(c)
	id := c.Param("id")
	pass := c.PostForm("pass") == "1"
	body, _ := json.Marshal(map[string]any{"product_id": id, "pass": pass, "reason": strings.TrimSpace(c.PostForm("reason"))})
	ctx, cancel := context.WithTimeout(c.Request.Context(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, a.cfg.APIBase+"/sandbox/store/audit", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err == nil {
		resp.Body.Close()
		if resp.StatusCode != http.StatusNoContent {
			err = fmt.Errorf("sandbox answered %s", resp.Status)
		}
	}
	a.audit(c, currentUser(c), db.AuditEntry{Action: "sandbox.audit", ObjectType: "product", ObjectID: id, Detail: fmt.Sprintf("pass %v", pass), Outcome: wxOutcome(err)})
	if err != nil {
		a.log.Warn("the sandbox did not decide the audit", "product", id, "err", err)
		a.flash(c, "error", p.T("store.sandbox.failed"))
	} else {
		if _, err := a.shop.RefreshStoreProduct(c.Request.Context(), id); err != nil {
			a.log.Warn("audit decided but product not read back", "product", id, "err", err)
		}
		a.flash(c, "ok", p.T("store.sandbox.done"))
	}
	a.redirect(c, "/products/"+id)
}
