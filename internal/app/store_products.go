package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"wxshop/internal/db"
	"wxshop/internal/i18n"
	"wxshop/internal/money"
	"wxshop/internal/wx"
	"wxshop/web/templates"
)

// The products of a 微信小店 at today's addresses (/products, /products/:id): the mirror's list with its tabs,
// and a product's two copies, online and draft, with what may be done to it. Where WeChat would refuse an
// action the page refuses it first and says why, with the code WeChat would answer.

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
	if t := a.shop.SyncedAt(ctx, settingStoreProductsSyncedAt); !t.IsZero() {
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
	n, err := a.syncStoreProducts(c.Request.Context())
	a.audit(c, currentUser(c), db.AuditEntry{Action: "product.sync", ObjectType: "product", ObjectID: "all",
		Detail: fmt.Sprintf("%d products", n), Outcome: wxOutcome(err)})
	if err != nil {
		a.flash(c, "error", p.T("products.sync.failed", wxMessage(p, err)))
	} else {
		a.flash(c, "ok", p.T("products.synced.now", n))
	}
	a.redirect(c, "/products")
}

// loadStoreProduct is the mirror's copy of a product, refreshed from WeChat when asked (?refresh=1) or when a
// decision may be due (in audit, uploading). A product the mirror does not know is looked for in WeChat.
func (a *App) loadStoreProduct(c *gin.Context, fresh bool) (db.StoreProduct, *wx.StoreProductAnswer, bool) {
	ctx := c.Request.Context()
	id := c.Param("id")
	row, err := a.store.StoreProductByID(ctx, id)
	known := err == nil
	if err != nil && !errors.Is(err, db.ErrNoStoreProduct) {
		a.serverError(c, err)
		return row, nil, false
	}
	if fresh || !known || row.EditStatus == wx.StoreEditInAudit || row.EditStatus == wx.StoreEditUploading {
		if _, err := a.refreshStoreProduct(ctx, wx.ID(id)); err != nil {
			if wx.IsCode(err, wx.CodeStoreNoProduct) || !known {
				a.renderError(c, http.StatusNotFound)
				return row, nil, false
			}
			a.log.Warn("could not refresh a product from WeChat; showing the mirror", "product", id, "err", err)
		}
		if row, err = a.store.StoreProductByID(ctx, id); err != nil {
			a.renderError(c, http.StatusNotFound)
			return row, nil, false
		}
	}
	ans, err := storeProductFromMirror(row)
	if err != nil {
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
		CanWrite: canWrite(Role(currentUser(c).Role)), Sandbox: a.cfg.Sandbox, StockNote: storeStockRefusal(p, row),
	}
	names := a.freightNames(ctx)
	if ans.Product != nil {
		v.Online = storeCopyView(ans.Product, names)
	}
	if ans.EditProduct != nil && (ans.Product == nil || !sameStoreCopy(ans.Product, ans.EditProduct)) {
		v.Draft = storeCopyView(ans.EditProduct, names)
	}
	for _, act := range storeActions {
		v.Actions = append(v.Actions, templates.StoreAction{Key: act, Refusal: storeRefusal(p, act, row)})
	}
	a.render(c, http.StatusOK, templates.StoreProductPage(a.page(c, "title.product", "products"), v))
}

// sameStoreCopy says whether the draft is the online copy unchanged (nothing pending).
func sameStoreCopy(online, draft *wx.StoreProduct) bool {
	x, _ := json.Marshal(online.StoreProductData)
	y, _ := json.Marshal(draft.StoreProductData)
	return bytes.Equal(x, y)
}

func storeCopyView(p *wx.StoreProduct, freight map[string]string) *templates.StoreCopyView {
	v := &templates.StoreCopyView{Title: p.Title, HeadImgs: p.HeadImgs, Desc: p.DescInfo.Desc, Price: money.Yuan(int64(p.MinPrice))}
	for _, c := range p.CatsV2 {
		v.Category = append(v.Category, string(c.CatID))
	}
	for _, c := range p.Cats {
		v.Category = append(v.Category, string(c.CatID))
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
		var attrs []string
		for _, at := range k.SKUAttrs {
			attrs = append(attrs, at.AttrValue)
		}
		v.SKUs = append(v.SKUs, templates.StoreSKURow{ID: string(k.SKUID), Attrs: strings.Join(attrs, " / "),
			Price: money.Yuan(k.SalePrice), Stock: k.StockNum, Code: k.SKUCode})
	}
	return v
}

// The actions of a product page, in its order.
var storeActions = []string{"edit", "listing", "delisting", "cancel", "delete"}

// storeRefusal is why WeChat would refuse act on the product now, in the page's language; "" when it would not.
func storeRefusal(p i18n.Printer, act string, row db.StoreProduct) string {
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
	return wxMessage(p, &wx.Error{Code: code})
}

// storeAction runs one of the product actions on one product, refusing it first where WeChat would, and
// records it. It returns the refusal or WeChat's error in the page's language, "" on success.
func (a *App) storeAction(c *gin.Context, act, id string) string {
	ctx := c.Request.Context()
	p := a.printer(c)
	row, err := a.store.StoreProductByID(ctx, id)
	if err != nil {
		return p.T("store.err.unknown", id)
	}
	if msg := storeRefusal(p, act, row); msg != "" {
		return msg
	}
	if act == "listing" {
		if msg := a.quotaRefusal(ctx, p); msg != "" {
			return msg
		}
	}
	call := map[string]func(context.Context, wx.ID) error{
		"listing": a.wx.ListStoreProduct, "delisting": a.wx.DelistStoreProduct,
		"cancel": a.wx.CancelStoreAudit, "delete": a.wx.DeleteStoreProduct,
	}[act]
	err = call(ctx, wx.ID(id))
	if err != nil && wx.Temporary(err) {
		// The answer was lost: what WeChat holds now says whether it was done.
		if _, rerr := a.refreshStoreProduct(ctx, wx.ID(id)); rerr == nil || act == "delete" && wx.IsCode(rerr, wx.CodeStoreNoProduct) {
			if after, gerr := a.store.StoreProductByID(ctx, id); storeActionDone(act, row, after, gerr) {
				err = nil
			}
		}
	}
	a.audit(c, currentUser(c), db.AuditEntry{Action: "product." + act, ObjectType: "product", ObjectID: id, Detail: row.Title, Outcome: wxOutcome(err)})
	if err != nil {
		return wxMessage(p, err)
	}
	if act == "delete" {
		if err := a.store.DeleteStoreProduct(ctx, id); err != nil {
			return err.Error()
		}
		return ""
	}
	if _, err := a.refreshStoreProduct(ctx, wx.ID(id)); err != nil {
		a.log.Warn("product changed but not read back", "product", id, "err", err)
	}
	return ""
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

// quotaRefusal says why a submission for audit would exceed the audit quota; "" when it would not, or when
// the quota cannot be read (WeChat then decides).
func (a *App) quotaRefusal(ctx context.Context, p i18n.Printer) string {
	q, err := a.wx.StoreAuditQuota(ctx)
	if err != nil {
		return ""
	}
	if bool(q.BlockStatus) || q.AvailQuota <= 0 {
		return p.T("store.refuse.quota", int64(q.TotalQuota))
	}
	return ""
}

// doStoreAction is POST /products/:id/{listing,delisting,cancel,delete} for a 微信小店.
func (a *App) doStoreAction(act string) gin.HandlerFunc {
	return func(c *gin.Context) {
		p := a.printer(c)
		id := c.Param("id")
		if msg := a.storeAction(c, act, id); msg != "" {
			a.flash(c, "error", msg)
		} else {
			a.flash(c, "ok", p.T("store.done."+act))
		}
		if act == "delete" {
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
		if msg := a.storeAction(c, act, id); msg != "" {
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
		a.flash(c, "error", p.T("store.sandbox.failed", err.Error()))
	} else {
		if _, err := a.refreshStoreProduct(c.Request.Context(), wx.ID(id)); err != nil {
			a.log.Warn("audit decided but product not read back", "product", id, "err", err)
		}
		a.flash(c, "ok", p.T("store.sandbox.done"))
	}
	a.redirect(c, "/products/"+id)
}

// freightNames maps the shop's freight template ids to their names, for showing and picking them by name.
func (a *App) freightNames(ctx context.Context) map[string]string {
	out := map[string]string{}
	for _, t := range a.freightTemplates(ctx) {
		out[string(t.TemplateID)] = t.Name
	}
	return out
}

// freightTemplates reads the shop's freight templates from WeChat (ids, then each one), at most 100.
func (a *App) freightTemplates(ctx context.Context) []*wx.FreightTemplate {
	ids, err := a.wx.FreightTemplateIDs(ctx, 0, 100)
	if err != nil {
		a.log.Warn("could not list the freight templates", "err", err)
		return nil
	}
	var out []*wx.FreightTemplate
	for _, id := range ids {
		t, err := a.wx.FreightTemplate(ctx, id)
		if err != nil {
			a.log.Warn("could not read a freight template", "template", id, "err", err)
			continue
		}
		out = append(out, t)
	}
	return out
}
