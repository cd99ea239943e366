package app

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"wxshop/internal/db"
	"wxshop/internal/wx"
	"wxshop/internal/wx/sandbox"
)

// newStoreServer is a server for a 微信小店 whose audits only the sandbox's button decides.
func newStoreServer(t *testing.T) (*testServer, *browser) {
	t.Helper()
	s := newOrderServer(t, sandbox.Options{Kind: sandbox.KindStore, Orders: -1, AuditDelay: -1})
	if _, err := s.app.detectCatalogKind(t.Context()); err != nil {
		t.Fatal(err)
	}
	if _, err := s.app.shop.SyncStoreProducts(t.Context()); err != nil {
		t.Fatal(err)
	}
	b := s.browser(t)
	b.signIn("admin", testAdminPassword)
	return s, b
}

func TestStoreProductListTabs(t *testing.T) {
	s, b := newStoreServer(t)
	page := b.get("/products")
	wantStatus(t, page, http.StatusOK)
	wantBody(t, page, "全部 (8)", "在售 (2)", "已下架 (1)", "审核中 (2)", "审核失败 (1)", "售罄 (1)", "违规下架 (1)", "每日坚果混合果仁礼盒750g")
	wantBody(t, b.get("/products?tab=rejected"), "编织快充数据线 第一品质", "审核失败")
	wantBody(t, b.get("/products?q=巧克力"), "黑巧克力礼盒")
	rows, _, _ := s.store.StoreProducts(t.Context(), db.StoreTabInAudit, "", 10, 0)
	if len(rows) != 2 {
		t.Fatalf("in audit: %d", len(rows))
	}
}

func TestStoreProductPageShowsBothCopiesAndRefusals(t *testing.T) {
	s, b := newStoreServer(t)
	rows, _, _ := s.store.StoreProducts(t.Context(), db.StoreTabAll, "纯棉圆领", 10, 0)
	id := rows[0].ProductID
	page := b.get("/products/" + id)
	wantBody(t, page, `data-testid="store-online"`, `data-testid="store-draft"`, "¥59.00", "¥49.00", "待生效的草稿",
		"撤回审核", "编辑草稿：微信返回错误 10020049",
		// The category path by its names, not its ids.
		`data-testid="store-online-category">服饰内衣 › 女装 › T恤</dd>`)
	// The refusal stops the call before WeChat: the draft stays in audit.
	wantStatus(t, b.post("/products/"+id+"/delete", nil), http.StatusSeeOther)
	wantBody(t, b.get("/products/"+id), "10020049")
	if row, _ := s.store.StoreProductByID(t.Context(), id); row.EditStatus != wx.StoreEditInAudit {
		t.Errorf("edit_status %d after a refused delete", row.EditStatus)
	}
	// The sandbox's button passes the audit: the new price goes online.
	wantStatus(t, b.post("/products/"+id+"/sandbox-audit", url.Values{"pass": {"1"}}), http.StatusSeeOther)
	page = b.get("/products/" + id)
	wantBody(t, page, "沙箱已给出审核结果。", "¥49.00")
	if strings.Contains(page.body, `data-testid="store-draft"`) {
		t.Error("a passed draft is still shown beside the online copy")
	}
	wantStatus(t, b.post("/products/"+id+"/delisting", nil), http.StatusSeeOther)
	wantBody(t, b.get("/products/"+id), "已下架。")
	if row, _ := s.store.StoreProductByID(t.Context(), id); row.Status != wx.StoreStatusDelisted {
		t.Errorf("status %d after delisting", row.Status)
	}
}

func TestStoreProductFormCreatesAndSubmits(t *testing.T) {
	s, b := newStoreServer(t)
	var imgs []string
	for i := range 4 {
		imgs = append(imgs, s.uploadToLibrary(t, b, fmt.Sprintf("p%d.png", i), pngBytes(t, 40, 40, uint8(i*30))))
	}
	for _, u := range imgs {
		if !strings.HasPrefix(u, wx.StoreImagePrefix) {
			t.Fatalf("library image %q is not an mmecimage.cn/p/ URL", u)
		}
	}
	// The category picker goes level by level to the leaf.
	wantBody(t, b.get("/products/new"), `data-testid="cat-2001"`)
	wantBody(t, b.get("/products/new?cats=2001"), `data-testid="cat-2101"`)
	form := b.get("/products/new?cats=2001.2101.2111")
	wantBody(t, form, "材质", "适用季节", "颜色", "尺码", "按件计费", "剩余提审次数")
	tpl := ""
	for id, name := range s.app.shop.FreightNames(t.Context()) {
		if name == "按件计费" {
			tpl = id
		}
	}
	v := url.Values{"cats": {"2001.2101.2111"}, "title": {"Classic Whole Wheat"}, "head": imgs[:2], "desc_img": imgs[3:],
		"attr.0": {"棉"}, "attr.2": {""}, "attr.3": {"180"}, "attr.3.unit": {"g"}, "brand": {"2100000000"},
		"template": {tpl}, "seven_day": {"1"}, "submit": {"draft"}}
	rows := [][]string{{"白色", "M"}, {"白色", "L"}, {"黑色", "M"}, {"黑色", "L"}}
	for r, row := range rows {
		v.Set(fmt.Sprintf("sku.%d.id", r), "")
		v.Set(fmt.Sprintf("sku.%d.v.0", r), row[0])
		v.Set(fmt.Sprintf("sku.%d.v.1", r), row[1])
		v.Set(fmt.Sprintf("sku.%d.price", r), "59.90")
		v.Set(fmt.Sprintf("sku.%d.stock", r), "10")
		v.Set(fmt.Sprintf("sku.%d.code", r), "")
	}
	bad := b.post("/products", v)
	wantStatus(t, bad, http.StatusUnprocessableEntity)
	wantBody(t, bad, "10020045", "请选择 3 到 9 张主图（现在是 2 张）。", "这一项必填。", `value="Classic Whole Wheat"`)
	v.Set("title", "纯棉宽松短袖T恤夏季新款")
	v["head"] = imgs[:3]
	v.Set("attr.2", "广东广州")
	ok := b.post("/products", v)
	wantStatus(t, ok, http.StatusSeeOther)
	id := strings.TrimPrefix(ok.header.Get("Location"), "/products/")
	row, err := s.store.StoreProductByID(t.Context(), id)
	if err != nil || row.EditStatus != wx.StoreEditEditing || row.SKUCount != 4 || row.MinPrice != 5990 {
		t.Fatalf("draft in the mirror: %+v, %v", row, err)
	}
	wantBody(t, b.get("/products/"+id), "草稿已保存。", "还没有上架过")
	wantStatus(t, b.post("/products/"+id+"/listing", nil), http.StatusSeeOther)
	wantBody(t, b.get("/products/"+id), "已提交审核", "审核中")
	wantStatus(t, b.post("/products/"+id+"/sandbox-audit", url.Values{"pass": {"1"}}), http.StatusSeeOther)
	if row, _ = s.store.StoreProductByID(t.Context(), id); row.Status != wx.StoreStatusOnSale {
		t.Fatalf("status %d after the audit passed", row.Status)
	}
	// Editing sends the whole product with its SKU ids: a new price becomes a draft beside the online copy.
	edit := b.get("/products/" + id + "/edit")
	wantBody(t, edit, `value="59.90"`, "纯棉宽松短袖T恤夏季新款")
	n := 0
	for _, e := range s.auditEntries(t, "product.create") {
		if e.ObjectID == id && e.Outcome == "ok" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d audit entries for the create", n)
	}
}

func (s *testServer) auditEntries(t *testing.T, action string) []db.AuditEntry {
	t.Helper()
	rows, err := s.store.DB.QueryContext(t.Context(), `SELECT object_id, outcome FROM audit_log WHERE action = ?`, action)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []db.AuditEntry
	for rows.Next() {
		var e db.AuditEntry
		rows.Scan(&e.ObjectID, &e.Outcome)
		out = append(out, e)
	}
	return out
}

// The sandbox pushes product_spu_audit and product_spu_listing as WeChat does (JSON, safe mode): the callback
// reads the product into the mirror, with a refusal's reason, without a sync.
func TestProductPushKeepsTheMirror(t *testing.T) {
	s := newOrderServer(t, sandbox.Options{Kind: sandbox.KindStore, Orders: -1, AuditDelay: -1}, safeMode)
	s.app.detectCatalogKind(t.Context())
	if _, err := s.app.shop.SyncStoreProducts(t.Context()); err != nil {
		t.Fatal(err)
	}
	if err := s.sandbox.PushProductsTo(s.URL+"/wx/callback", testCallbackToken, testAESKey); err != nil {
		t.Fatal(err)
	}
	rows, _, _ := s.store.StoreProducts(t.Context(), db.StoreTabInAudit, "巴旦木", 10, 0)
	if len(rows) != 1 {
		t.Fatalf("in audit: %+v", rows)
	}
	id := rows[0].ProductID
	if err := s.sandbox.DecideAudit(id, false, "主图与商品不符"); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if row, err := s.store.StoreProductByID(t.Context(), id); err == nil && row.EditStatus == wx.StoreEditRejected {
			if row.AuditReason != "主图与商品不符" {
				t.Errorf("reason %q", row.AuditReason)
			}
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("the refused audit did not reach the mirror through the push")
}

// TestStoreProductPageShowsDeliveryAndQualifications: a product without a courier shows how it is delivered,
// to which accounts, its qualification by name and that the shop's default return address takes returns.
func TestStoreProductPageShowsDeliveryAndQualifications(t *testing.T) {
	s, b := newStoreServer(t)
	var imgs []string
	for i := range 5 {
		imgs = append(imgs, s.uploadToLibrary(t, b, fmt.Sprintf("q%d.png", i), pngBytes(t, 40, 40, uint8(i*40))))
	}
	v := url.Values{"cats": {"5001.5101"}, "title": {"全国移动话费充值 50元"}, "head": imgs[:3], "desc_img": imgs[3:4],
		"qua.1111501": imgs[4:], "deliver": {"3"}, "acct_type": {"3", "1"}, "seven_day": {"0"}, "submit": {"draft"},
		"sku.0.id": {""}, "sku.0.v.0": {"50元"}, "sku.0.price": {"49.80"}, "sku.0.stock": {"100"}, "sku.0.code": {""}}
	ok := b.post("/products", v)
	wantStatus(t, ok, http.StatusSeeOther)
	page := b.get(ok.header.Get("Location"))
	wantBody(t, page, `data-testid="store-draft-deliver">无需快递（选择账号类型）：微信 openid、手机号</dd>`,
		`data-testid="store-draft-quals">增值电信业务经营许可证：1 张</dd>`, `data-testid="store-draft-address">店铺默认退货地址</dd>`)
	if strings.Contains(page.body, `data-testid="store-draft-weight"`) || strings.Contains(page.body, `data-testid="store-draft-freight"`) {
		t.Error("a product without a courier shows a weight or a freight template")
	}
}
