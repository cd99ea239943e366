package app

import (
	"bytes"
	"cmp"
	"context"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"wxshop/internal/db"
	"wxshop/internal/money"
	"wxshop/internal/shop"
	"wxshop/internal/wx"
	"wxshop/internal/wx/sandbox"
	"wxshop/web/templates"
)

// Fuzz targets of what the app parses from people: the bulk-shipping CSV, SKU custom values and the SKU matrix
// they make, the product, postage, shelf and group forms, and uploaded file names. `go test` runs the seeds
// below (and any crashers kept under testdata/fuzz) as ordinary tests; `go test -run x -fuzz FuzzName` fuzzes.
// Yuan amounts are fuzzed in internal/money.
//
// The form targets call the parse and validate functions directly, on a gin test context that carries a
// session and a signed-in admin as the handlers' do, and then render the form the handler would answer with:
// a whole request through the server is too slow to fuzz.

// fuzzApp is an App on its own database and sandbox, without an HTTP server of its own, with the demo shop's
// products and groups mirrored and one picture in the library.
type fuzzApp struct {
	*App
	img    string                     // the library's picture
	fields shop.CategoryFields        // the T-shirt category's properties and SKU attributes
	cities map[string][]string        // the region list
	groups map[int64]string           // the mirrored groups
	images map[string]bool            // the library
	tee    map[string]wx.SKUAttribute // the T-shirt's SKU attributes by id
}

func newFuzzApp(tb testing.TB) *fuzzApp {
	tb.Helper()
	ctx := context.Background()
	store, err := db.OpenDir(ctx, tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { store.Close() })
	sb := sandbox.New(sandbox.Options{Seed: 7, Orders: -1})
	wxServer := httptest.NewServer(sb)
	tb.Cleanup(wxServer.Close)
	cfg := Config{DataDir: tb.TempDir(), APIBase: wxServer.URL, AppID: sb.AppID(), Secret: sb.Secret(), Sandbox: true}
	a, err := New(cfg, store, Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(a.Close)
	f := &fuzzApp{App: a, img: "https://mmbiz.qpic.cn/mmbiz_png/fuzz/0?wx_fmt=png", groups: map[int64]string{}, tee: map[string]wx.SKUAttribute{}}
	if _, err := a.shop.SyncProducts(ctx); err != nil {
		tb.Fatal(err)
	}
	if _, err := a.shop.SyncGroups(ctx); err != nil {
		tb.Fatal(err)
	}
	if _, err := store.AddImage(ctx, db.Image{URL: f.img, Filename: "fuzz.png", ContentType: "image/png", Bytes: 100, Width: 10, Height: 10,
		Thumb: []byte{0xff, 0xd8}, UploadedBy: "fuzz"}); err != nil {
		tb.Fatal(err)
	}
	f.images = map[string]bool{f.img: true}
	if f.fields, err = a.shop.CategoryFields(ctx, cateWomenTee); err != nil || len(f.fields.SKUs) == 0 {
		tb.Fatalf("the T-shirt category: %+v %v", f.fields, err)
	}
	for _, at := range f.fields.SKUs {
		f.tee[string(at.ID)] = at
	}
	if _, f.cities, err = a.shop.RegionIndex(ctx); err != nil {
		tb.Fatal(err)
	}
	groups, err := store.Groups(ctx)
	if err != nil || len(groups) == 0 {
		tb.Fatalf("groups: %v %v", groups, err)
	}
	for _, g := range groups {
		f.groups[g.GroupID] = g.Name
	}
	return f
}

// context is a gin context for a POST of form, url-encoded or multipart, with a session and a signed-in admin.
func (f *fuzzApp) context(t *testing.T, form url.Values, asMultipart bool) (*gin.Context, *httptest.ResponseRecorder) {
	t.Helper()
	var body bytes.Buffer
	contentType := "application/x-www-form-urlencoded"
	if asMultipart {
		w := multipart.NewWriter(&body)
		for k, vs := range form {
			for _, v := range vs {
				if err := w.WriteField(k, v); err != nil {
					t.Fatal(err)
				}
			}
		}
		w.Close()
		contentType = w.FormDataContentType()
	} else {
		body.WriteString(form.Encode())
	}
	req := httptest.NewRequest(http.MethodPost, "/", &body)
	req.Header.Set("Content-Type", contentType)
	ctx, err := f.sessions.Load(req.Context(), "")
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	c, _ := gin.CreateTestContext(rec)
	c.Request = req.WithContext(ctx)
	c.Set(ctxUser, db.User{ID: 1, Username: "fuzz", Role: string(RoleAdmin)})
	return c, rec
}

// fuzzForm is form with the pairs of raw (a query string the fuzzer writes) added: keys the form never has,
// repeated keys, empty ones.
func fuzzForm(form url.Values, raw string, multipartSafe bool) url.Values {
	extra, _ := url.ParseQuery(raw)
	for k, vs := range extra {
		if multipartSafe && strings.ContainsAny(k, "\r\n") {
			continue // a multipart field name cannot hold a line break
		}
		form[k] = append(form[k], vs...)
	}
	return form
}

// fuzzNoPanic turns a panic into the input's failure, so that a crashing seed fails its own test instead of
// ending the package's test binary. Deferred first in every fuzz function.
func fuzzNoPanic(t *testing.T) {
	if r := recover(); r != nil {
		// The app's frames of the stack are enough to find the line.
		var frames []string
		for _, line := range strings.Split(string(debug.Stack()), "\n") {
			if strings.Contains(line, "/internal/app/") && !strings.Contains(line, "_test.go") {
				frames = append(frames, strings.TrimSpace(line))
			}
		}
		t.Fatalf("panic: %v\n%s", r, strings.Join(frames, "\n"))
	}
}

// wantRendered fails when the form's answer is a server error.
func wantRendered(t *testing.T, rec *httptest.ResponseRecorder, want int) {
	t.Helper()
	if rec.Code != want {
		t.Fatalf("the form rendered %d, want %d\n%.2000s", rec.Code, want, rec.Body.String())
	}
}

func FuzzParseShipCSV(f *testing.F) {
	for _, seed := range []string{
		"order_id,delivery_company,delivery_track_no\n13273881772003184129,顺丰速运,SF1234567890\n",
		"订单号,快递公司,运单号\r\n13273881772003184129,003shunfeng,sf1234567890\r\n",
		"\ufeff13273881772003184129 , 中通快递 , ZT123\n\n13273881772003184130,EMS,\n",
		"\"1327388177,2003184129\",\"顺丰\"\"速运\",\"SF\n123\"\n",
		"a,b\nc,d,e,f,g\n,,\n \n",
		"\"unterminated,quote\n",
		"x,\"y\"z,w\n",
		"\xb6\xa9\xb5\xa5\xba\xc5,\xcb\xb3\xb7\xe1,SF1\n", // 订单号,顺丰 in GBK
		"\xff\xfe\x00o\x00r\x00d\x00e\x00r",               // UTF-16 with a BOM: neither UTF-8 nor GBK
		"\x81",
		"=HYPERLINK(\"http://evil.example\"),@SUM(1+1),+1-1\n",
		"<script>alert(1)</script>,\"><img src=x onerror=alert(1)>,'; DROP TABLE orders; --\n",
		strings.Repeat("1,2,3\n", maxBulkRows+1),
		strings.Repeat("\"", 100),
		"",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		defer fuzzNoPanic(t)
		rows, err := parseShipCSV(data)
		if err != nil {
			if rows != nil {
				t.Errorf("an error (%v) with %d rows", err, len(rows))
			}
			return
		}
		if len(rows) > maxBulkRows {
			t.Errorf("%d rows, over the limit of %d", len(rows), maxBulkRows)
		}
		for i, row := range rows {
			if len(row) != 3 {
				t.Fatalf("row %d has %d fields", i, len(row))
			}
			for j, field := range row {
				if !utf8.ValidString(field) {
					t.Errorf("row %d field %d is not UTF-8: %q", i, j, field)
				}
				if field != strings.TrimSpace(field) {
					t.Errorf("row %d field %d keeps spaces around it: %q", i, j, field)
				}
			}
		}
	})
}

// fuzzSeparators are what customValues splits at; no value may hold one, nor '$'.
const fuzzSeparators = ",，、;；:：$"

func FuzzCustomValues(f *testing.F) {
	for _, seed := range []string{
		"", "红", "红, 蓝，绿、黄;紫；白", "XL:2XL：3XL", "$100", "a$b", "  ", ",,,", "红,红, 红 ",
		"加大码 (XXL)", "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "'; DROP TABLE x; --",
		"\u3000全角空格\u3000", "\u200b", "tab\there", "line\nbreak", "\x00", "\xff\xfe", "1079742361", "$",
		strings.Repeat("很长的值", 100), strings.Repeat("a,", 500),
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		defer fuzzNoPanic(t)
		values := shop.CustomValues(s)
		seen := map[string]bool{}
		withoutDollar := strings.ReplaceAll(s, "$", "")
		for _, v := range values {
			switch {
			case v == "":
				t.Fatalf("an empty value from %q", s)
			case v != strings.TrimSpace(v):
				t.Errorf("value %q keeps spaces around it", v)
			case strings.ContainsAny(v, fuzzSeparators):
				t.Errorf("value %q holds a separator", v)
			case seen[v]:
				t.Errorf("value %q twice", v)
			case !strings.Contains(withoutDollar, v):
				t.Errorf("value %q is not in what was typed, %q", v, s)
			case utf8.ValidString(s) && !utf8.ValidString(v):
				t.Errorf("value %q of UTF-8 text is not UTF-8", v)
			}
			seen[v] = true
			// As the app uses it: a custom value id of an attribute, in a sku_id WeChat must read back.
			id := wx.SKUID([]wx.SKUPair{{ID: attrColor, VID: wx.ID("$" + v)}, {ID: attrSize, VID: sizeS}})
			pairs, err := wx.ParseSKUInfo(id)
			if err != nil || len(pairs) != 2 || pairs[0].VID != wx.ID("$"+v) || wx.SKUID(pairs) != id {
				t.Errorf("sku_id %q of value %q reads back as %v, %v", id, v, pairs, err)
			}
		}
	})
}

// fuzzMaxMatrix bounds the matrices the fuzzer builds. The app itself has no bound: two attributes of 300
// custom values each, 5 KB of form, rebuild into a 90 000-row table and a 75 MB page (measured while writing
// these targets); the fuzzer would only find that again, slowly, and out of memory.
const fuzzMaxMatrix = 5000

func FuzzMatrix(f *testing.F) {
	ticked := strings.Join([]string{colWhite, colBlack, sizeS, sizeM}, ",")
	for _, seed := range [][4]string{
		{"", "", "", ""},
		{"", "", "", ticked},
		{"红,蓝", "", "", colWhite},
		{"红,蓝", "S,M,L", "", ""},
		{"$", ":", ";", ticked + "," + ticked},
		{"a:b;c", "x：y；z", "", "1079742361;1075741874:1079742401"},
		{"<script>", "\"><img src=x>", "'--", ticked},
		{"红,红,红", " 红 ", "红", colPink},
		{"1,2,3,4,5,6,7,8,9,10", "1,2,3,4,5,6,7,8,9,10", "1,2,3,4,5,6,7,8,9,10", ""},
		{"\xff", "\x00", "\u200b", "not-an-id,,"},
	} {
		f.Add(seed[0], seed[1], seed[2], seed[3])
	}
	f.Fuzz(func(t *testing.T, color, size, third, tickedIDs string) {
		defer fuzzNoPanic(t)
		// The T-shirt's two attributes and a third of two values, as a category's sku table gives them.
		fields := shop.CategoryFields{SKUs: []wx.SKUAttribute{
			{ID: attrColor, Name: "颜色", ValueList: []wx.SKUValue{{ID: colWhite, Name: "白色"}, {ID: colBlack, Name: "黑色"}, {ID: colPink, Name: "粉色"}}},
			{ID: attrSize, Name: "尺码", ValueList: []wx.SKUValue{{ID: sizeS, Name: "S"}, {ID: sizeM, Name: "M"}}},
			{ID: "1075741999", Name: "款式", ValueList: []wx.SKUValue{{ID: "1079700001", Name: "常规"}, {ID: "1079700002", Name: "加厚"}}},
		}}
		in := shop.ProductDraft{SKUValues: map[string][]string{}, SKUCustom: map[string]string{
			attrColor: color, attrSize: size, "1075741999": third,
		}}
		for _, at := range fields.SKUs {
			in.SKUValues[string(at.ID)] = strings.Split(tickedIDs, ",")
		}
		want := 1
		for _, at := range fields.SKUs {
			n := len(shop.CustomValues(in.SKUCustom[string(at.ID)]))
			for _, v := range at.ValueList {
				if slices.Contains(in.SKUValues[string(at.ID)], string(v.ID)) {
					n++
				}
			}
			if n > 0 {
				want *= n
			}
			if want > fuzzMaxMatrix {
				t.Skip("a matrix over the fuzzer's bound")
			}
		}
		infos := in.SKUInfo(fields)
		typed := []shop.SKURowDraft{{SKUID: wx.SKUID(nil), Price: "1.23"}}
		if len(infos) > 0 {
			typed[0].SKUID = wx.SKUID([]wx.SKUPair{{ID: infos[0].ID, VID: infos[0].VID[len(infos[0].VID)-1]}})
			for _, info := range infos[1:] {
				typed[0].SKUID += ";" + wx.SKUID([]wx.SKUPair{{ID: info.ID, VID: info.VID[0]}})
			}
		}
		rows := shop.SKUMatrix(infos, typed)
		if len(rows) != want {
			t.Fatalf("%d rows, want %d (the product of the value counts of %+v)", len(rows), want, infos)
		}
		seen := map[string]bool{}
		for _, r := range rows {
			pairs, err := wx.ParseSKUInfo(r.SKUID)
			if err != nil {
				t.Fatalf("sku_id %q does not parse: %v", r.SKUID, err)
			}
			if wx.SKUID(pairs) != r.SKUID || len(pairs) != len(infos) {
				t.Errorf("sku_id %q reads back as %v", r.SKUID, pairs)
			}
			for i, p := range pairs {
				if p.ID != infos[i].ID || !slices.Contains(infos[i].VID, p.VID) {
					t.Errorf("sku_id %q: pair %d is not a value of attribute %s", r.SKUID, i, infos[i].ID)
				}
			}
			if seen[r.SKUID] {
				t.Errorf("sku_id %q twice", r.SKUID)
			}
			seen[r.SKUID] = true
			if r.SKUID == typed[0].SKUID && r.Price != "1.23" {
				t.Errorf("the typed row %q lost its price", r.SKUID)
			}
			if r.SKUID != typed[0].SKUID && (r.Price != "" || r.Quantity != "0") {
				t.Errorf("new row %q is %+v", r.SKUID, r)
			}
		}
		if !seen[typed[0].SKUID] {
			t.Errorf("the typed row %q is not in the matrix", typed[0].SKUID)
		}
	})
}

func FuzzProductForm(f *testing.F) {
	type seed struct {
		name, custom, rowSKU, price, ori, qty, code, pos1, pos2, buyLimit, delivery, templateID, fee, raw string
		multipart                                                                                         bool
	}
	for _, s := range []seed{
		{"测试纯棉T恤 2×2", "", "", "49.90", "99", "10", "T-WS", "2", "1", "3", "express", "", "10", "", false},
		{"测试纯棉T恤 2×2", "", "", "49.90", "99", "10", "T-WS", "2", "1", "3", "express", "", "10", "", true},
		{"T恤", "红,蓝", "", "¥1,234.56", "１２３４５", "0", "", "1", "1", "", "free", "", "", "action=matrix", false},
		{"", "", "", "", "", "", "", "", "", "", "", "", "", "", false},
		{strings.Repeat("长", 61), "$", "a:b;c", "-1", "0.001", "-5", "x", "x", "y", "-1", "template", "0", "-3", "", false},
		{"<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "<b>", "1e9", "NaN", "99999999999999999999", "'--", "", "", "1e3",
			"template", "99999999999999999999", "Infinity", "prop.1075741879=%3Cscript%3E&sku.1075741873=x&skucustom.x=y", true},
		{"名", "", "", "0", "0", "10000001", "", "9223372036854775807", "-9223372036854775808", "100001", "express", "", "100000000.01", "", false},
		{"名", "", "", "1", "2", "1", "", "-1", "1", "0", "express", "", "", "detail_kind=img&detail_img=javascript:alert(1)&img=https://evil.example/x.png&main_img=data:,x", false},
		{"\x00\xff", "\u200b", "\x00", " 1 ", "\t2\n", " 3 ", "\r", "\x00", "\xff", " ", "\x00", "\x00", "\x00", "%zz&&=&row_sku=&row_sku=1:2;1:3", true},
		{"名", "", "", "1", "2", "1", "", "1", "2", "", "express", "", "5", "row_price=1&row_price=2&row_ori=3&row_qty=4&row_sku=" + url.QueryEscape(sku(attrColor, colWhite)), false},
	} {
		f.Add(s.name, s.custom, s.rowSKU, s.price, s.ori, s.qty, s.code, s.pos1, s.pos2, s.buyLimit, s.delivery, s.templateID, s.fee, s.raw, s.multipart)
	}
	app := newFuzzApp(f)
	f.Fuzz(func(t *testing.T, name, custom, rowSKU, price, ori, qty, code, pos1, pos2, buyLimit, delivery, templateID, fee, raw string, asMultipart bool) {
		defer fuzzNoPanic(t)
		form := with(teeForm(app.img), set("name", name), set("skucustom."+attrColor, custom), setAt("row_price", 0, price),
			setAt("row_ori", 0, ori), setAt("row_qty", 0, qty), setAt("row_code", 0, code), set("detail_pos", pos1, pos2),
			set("buy_limit", buyLimit), set("delivery", delivery), set("template_id", templateID), set("fee_kuaidi", fee))
		if rowSKU != "" {
			form.Add("row_sku", rowSKU)
		}
		form = fuzzForm(form, raw, asMultipart)
		c, rec := app.context(t, form, asMultipart)
		in, err := parseProductDraft(c)
		if err != nil {
			t.Fatal(err)
		}

		// The detail blocks come in the order of their numbers; equal numbers keep their order.
		kinds, texts, positions := c.Request.PostForm["detail_kind"], c.Request.PostForm["detail_text"], c.Request.PostForm["detail_pos"]
		if c.Request.MultipartForm != nil {
			kinds, texts, positions = c.Request.MultipartForm.Value["detail_kind"], c.Request.MultipartForm.Value["detail_text"], c.Request.MultipartForm.Value["detail_pos"]
		}
		type block struct {
			pos        int
			kind, text string
		}
		var blocks []block
		for i, k := range kinds {
			p, err := strconv.Atoi(fuzzAt(positions, i))
			if err != nil {
				p = i + 1
			}
			blocks = append(blocks, block{p, k, fuzzAt(texts, i)})
		}
		slices.SortStableFunc(blocks, func(x, y block) int { return cmp.Compare(x.pos, y.pos) })
		if len(blocks) != len(in.Detail) {
			t.Fatalf("%d detail blocks from %d kinds", len(in.Detail), len(kinds))
		}
		for i, b := range blocks {
			if in.Detail[i].Kind != b.kind || in.Detail[i].Text != b.text {
				t.Fatalf("detail block %d is %+v, want %+v: the blocks are not in the order of their numbers %q", i, in.Detail[i], b, positions)
			}
		}

		allowed := map[string]bool{app.img: true}
		prod, errs, err := app.shop.CheckProduct(c.Request.Context(), app.printer(c), in, app.fields, allowed)
		if err != nil {
			t.Fatal(err)
		}
		if len(errs) == 0 {
			fuzzCheckProduct(t, prod, allowed)
		}
		// What the handler answers: the form again, as typed, with the errors beside the fields.
		if c.PostForm("action") == "matrix" {
			in.Rows = shop.SKUMatrix(in.SKUInfo(app.fields), in.Rows)
		}
		v, err := app.formView(c, in, app.fields, allowed, nil)
		if err != nil {
			t.Fatal(err)
		}
		decorateForm(&v, nil, nil, nil)
		v.Errors = templates.FieldErrors(errs)
		if v.Errors == nil {
			v.Errors = templates.FieldErrors{}
		}
		app.render(c, http.StatusUnprocessableEntity, templates.ProductFormPage(app.page(c, "form.title.new", "products"), v))
		wantRendered(t, rec, http.StatusUnprocessableEntity)
	})
}

func fuzzAt(list []string, i int) string {
	if i < len(list) {
		return strings.TrimSpace(list[i])
	}
	return ""
}

// fuzzCheckProduct holds a product the form accepted to WeChat's rules.
func fuzzCheckProduct(t *testing.T, prod *wx.Product, allowed map[string]bool) {
	t.Helper()
	if prod == nil {
		t.Fatal("no errors and no product")
	}
	base := prod.ProductBase
	if n := utf8.RuneCountInString(base.Name); n == 0 || n > shop.MaxProductName {
		t.Errorf("accepted a name of %d characters", n)
	}
	if !allowed[base.MainImg] || len(base.Detail) == 0 {
		t.Errorf("accepted main_img %q with %d detail blocks", base.MainImg, len(base.Detail))
	}
	for _, u := range base.Img {
		if !allowed[u] {
			t.Errorf("accepted picture %q from outside the library", u)
		}
	}
	for _, d := range base.Detail {
		if d.Img != "" && !allowed[d.Img] {
			t.Errorf("accepted detail picture %q from outside the library", d.Img)
		}
	}
	want := shop.SKUMatrix(base.SKUInfo, nil)
	if len(prod.SKUList) != len(want) || len(prod.SKUList) == 0 {
		t.Fatalf("accepted %d SKUs for a matrix of %d", len(prod.SKUList), len(want))
	}
	for i, k := range prod.SKUList {
		if k.SKUID != want[i].SKUID {
			t.Errorf("accepted SKU %q where the matrix has %q", k.SKUID, want[i].SKUID)
		}
		if _, err := wx.ParseSKUInfo(k.SKUID); err != nil {
			t.Errorf("accepted sku_id %q: %v", k.SKUID, err)
		}
		if k.Price <= 0 || k.Price >= k.OriPrice || int64(k.OriPrice) > money.MaxFen {
			t.Errorf("accepted price %d and original price %d", k.Price, k.OriPrice)
		}
		if k.Quantity < 0 || k.Quantity > 10_000_000 {
			t.Errorf("accepted stock %d", k.Quantity)
		}
		if k.IconURL != "" && !allowed[k.IconURL] {
			t.Errorf("accepted icon %q from outside the library", k.IconURL)
		}
	}
	if base.BuyLimit < 0 || base.BuyLimit > 100000 {
		t.Errorf("accepted a buy limit of %d", base.BuyLimit)
	}
	switch {
	case prod.AttrExt.IsPostFree == 1:
	case prod.DeliveryInfo == nil:
		t.Error("accepted no delivery")
	case prod.DeliveryInfo.DeliveryType == wx.DeliveryByTemplate && prod.DeliveryInfo.TemplateID <= 0:
		t.Errorf("accepted template %d", prod.DeliveryInfo.TemplateID)
	case prod.DeliveryInfo.DeliveryType == wx.DeliveryByExpress && len(prod.DeliveryInfo.Express) == 0:
		t.Error("accepted express delivery without a fee")
	}
	if prod.DeliveryInfo != nil {
		for _, e := range prod.DeliveryInfo.Express {
			if e.Price < 0 || int64(e.Price) > money.MaxFen {
				t.Errorf("accepted a fee of %d", e.Price)
			}
		}
	}
}

func FuzzPostageForm(f *testing.F) {
	for _, s := range [][10]string{
		{"全国包邮", "0", "1", "10", "1", "5", "", "", "", ""},
		{"偏远加价", "1", "1", "8.00", "1", "2.5", "新疆维吾尔自治区", "", "1", "20"},
		{"广州", "0", "2", "¥10", "0", "", "广东省", "广州市", "1", "0"},
		{"", "", "", "", "", "", "", "", "", ""},
		{strings.Repeat("名", 31), "2", "0", "-1", "-1", "-1", "火星", "奥林匹斯", "10001", "1e9"},
		{"<script>alert(1)</script>", "1", "99999999999999999999", "100000000.01", "1", "0.001", "广东省", "深圳市", "x", "y"},
		{"重复", "0", "1", "1", "1", "1", "广东省", "", "1", "1"},
		{"\x00\xff", "\x00", " 1 ", "１０", "\t", "\n", "\xff", "\x00", "", ""},
	} {
		f.Add(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8], s[9], "", false)
	}
	f.Add("两个快递", "0", "1", "10", "1", "5", "广东省", "", "1", "1",
		"c"+pingYou+".on=1&c"+pingYou+".start=1&c"+pingYou+".startfee=3&r"+kuaiDi+".province=广东省&r"+kuaiDi+".city=&r"+kuaiDi+".start=1&r"+kuaiDi+".startfee=1", true)
	f.Add("缺项", "0", "1", "10", "1", "5", "", "", "", "", "r"+kuaiDi+".province=广东省&r"+kuaiDi+".province=江苏省&r"+kuaiDi+".startfee=1", false)
	app := newFuzzApp(f)
	f.Fuzz(func(t *testing.T, name, assumer, start, startFee, add, addFee, province, city, ruleStart, ruleFee, raw string, asMultipart bool) {
		defer fuzzNoPanic(t)
		form := postageForm(name, kuaiDi, start, startFee, add, addFee)
		form.Set("assumer", assumer)
		if province != "" || city != "" {
			form = withRule(form, kuaiDi, province, city, ruleStart, ruleFee, "0", "")
		}
		form = fuzzForm(form, raw, asMultipart)
		c, rec := app.context(t, form, asMultipart)
		in := parsePostageDraft(c)
		tmpl, errs, err := app.shop.CheckPostage(c.Request.Context(), app.printer(c), in)
		if err != nil {
			t.Fatal(err)
		}
		if len(errs) == 0 {
			if n := utf8.RuneCountInString(tmpl.Name); n == 0 || n > 30 || len(tmpl.TopFee) == 0 {
				t.Errorf("accepted %q with %d couriers", tmpl.Name, len(tmpl.TopFee))
			}
			for _, tf := range tmpl.TopFee {
				rules := []wx.FeeRule{tf.Normal}
				seen := map[string]bool{}
				for _, r := range tf.Custom {
					rules = append(rules, r.FeeRule)
					if !slices.Contains(app.cities[r.DestProvince], r.DestCity) && r.DestCity != "" || app.cities[r.DestProvince] == nil {
						t.Errorf("accepted the region %q %q", r.DestProvince, r.DestCity)
					}
					if seen[r.DestProvince+"/"+r.DestCity] {
						t.Errorf("accepted %q %q twice", r.DestProvince, r.DestCity)
					}
					seen[r.DestProvince+"/"+r.DestCity] = true
				}
				for _, r := range rules {
					if r.StartStandards < 1 || r.StartStandards > 10000 || r.AddStandards < 0 || r.AddStandards > 10000 ||
						r.StartFees < 0 || r.AddFees < 0 || int64(r.StartFees) > money.MaxFen || int64(r.AddFees) > money.MaxFen {
						t.Errorf("accepted the rule %+v", r)
					}
				}
			}
		}
		app.renderPostageForm(c, http.StatusUnprocessableEntity, 0, in, errs, "", nil)
		wantRendered(t, rec, http.StatusUnprocessableEntity)
	})
}

func FuzzShelfForm(f *testing.F) {
	app := newFuzzApp(f)
	var g []string // two groups of the demo shop
	for id := range app.groups {
		g = append(g, strconv.FormatInt(id, 10))
	}
	slices.Sort(g)
	img := app.img
	for _, s := range [][8]string{
		{"首页货架", "", "1", g[0], "4", "", "", ""},
		{"首页货架", img, "2", g[0], "", "", "", ""},
		{"图片分组", "", "3", g[0], "", img, "", ""},
		{"多图", "", "4", "", "", "", g[1], img},
		{"背景", "", "5", g[0], "", img, "", ""},
		{"", "", "", "", "", "", "", ""},
		{strings.Repeat("货", 31), "javascript:alert(1)", "6", "-1", "0", "data:,x", "x", "y"},
		{"<script>alert(1)</script>", "\"><img src=x>", "-9223372036854775808", "99999999999999999999", "51", img, "", img},
		{"\x00", "\xff", " 1", "1 ", "\t4", "\x00", "\x00", "\x00"},
	} {
		f.Add(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], "", false)
	}
	f.Add("两个控件", "", "1", g[0], "4", "", "", "", "eid=5&m1.groups="+g[1]+"&m1.img="+url.QueryEscape(img), true)
	f.Add("多组", "", "2", "", "", "", "", "", "m0.groups="+g[0]+"&m0.groups="+g[1]+"&m0.groups="+g[1]+"&m0.groups=x", false)
	f.Add("乱序", "", "4", "", "", "", "", "", "m0.slot3="+g[0]+"&m0.slotimg3=x&m0.slot99=1&eid=&eid=4", false)
	f.Fuzz(func(t *testing.T, name, banner, eid, group, count, image, slot, slotImg, raw string, asMultipart bool) {
		defer fuzzNoPanic(t)
		form := shelfForm(name, banner, map[string][]string{"eid": {eid}, "group": {group}, "groups": {group}, "count": {count},
			"img": {image}, "slot0": {slot}, "slotimg0": {slotImg}})
		form = fuzzForm(form, raw, asMultipart)
		c, rec := app.context(t, form, asMultipart)
		in := parseShelfDraft(c)
		shelf, errs, err := app.shop.CheckShelf(c.Request.Context(), app.printer(c), in, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(errs) == 0 {
			if n := utf8.RuneCountInString(shelf.ShelfName); n == 0 || n > 30 || len(shelf.ShelfInfo.ModuleInfos) == 0 {
				t.Errorf("accepted %q with %d controls", shelf.ShelfName, len(shelf.ShelfInfo.ModuleInfos))
			}
			if shelf.ShelfBanner != "" && !app.images[shelf.ShelfBanner] {
				t.Errorf("accepted the banner %q", shelf.ShelfBanner)
			}
			for _, u := range shop.ShelfDraftOf(*shelf).Images() { // what is sent, not what was typed for another kind
				if !app.images[u] {
					t.Errorf("accepted the picture %q from outside the library", u)
				}
			}
		}
		app.renderShelfForm(c, http.StatusUnprocessableEntity, 0, in, errs, "")
		wantRendered(t, rec, http.StatusUnprocessableEntity)
	})
}

func FuzzGroupForm(f *testing.F) {
	for _, s := range [][3]string{
		{"新品", "", ""},
		{"茶叶", "", ""}, // taken: createGroup checks that after groupInput
		{"", "", ""},
		{strings.Repeat("组", 31), "", ""},
		{"<script>alert(1)</script>", "pNoSuchProduct", ""},
		{" 两边空格 ", "", "product=&product="},
		{"\x00\xff", "\x00", "product=%00&name=second"},
		{"'; DROP TABLE product_groups; --", "' OR 1=1 --", ""},
	} {
		f.Add(s[0], s[1], s[2], false)
	}
	app := newFuzzApp(f)
	products, _, err := app.store.Products(context.Background(), db.ProductFilter{Limit: 3})
	if err != nil || len(products) < 2 {
		f.Fatalf("products: %v %v", products, err)
	}
	f.Add("两件", products[0].ProductID+","+products[1].ProductID+","+products[0].ProductID, "", true)
	f.Fuzz(func(t *testing.T, name, productList, raw string, asMultipart bool) {
		defer fuzzNoPanic(t)
		form := url.Values{"name": {name}}
		if productList != "" {
			form["product"] = strings.Split(productList, ",")
		}
		form = fuzzForm(form, raw, asMultipart)
		c, rec := app.context(t, form, asMultipart)
		gotName, ids, errs := app.groupInput(c)
		if len(errs) == 0 {
			if n := utf8.RuneCountInString(gotName); n == 0 || n > maxGroupNameLength || gotName != strings.TrimSpace(gotName) {
				t.Errorf("accepted the name %q", gotName)
			}
			seen := map[string]bool{}
			for _, id := range ids {
				if seen[id] {
					t.Errorf("product %q twice", id)
				}
				seen[id] = true
				if _, err := app.store.Product(c.Request.Context(), id); err != nil {
					t.Errorf("accepted product %q, which the mirror lacks: %v", id, err)
				}
			}
		}
		app.renderGroupForm(c, http.StatusUnprocessableEntity, templates.GroupFormView{Name: gotName, Errors: errs}, ids)
		wantRendered(t, rec, http.StatusUnprocessableEntity)
	})
}

// The name an uploaded file is kept under: in the library, the audit log and a bulk-shipping batch.
func FuzzCleanFilename(f *testing.F) {
	for _, seed := range []string{
		"photo.jpg", "", ".", "..", "/", "\\", "../../etc/passwd", `C:\Users\me\Desktop\图片.png`, "a/b/c.png",
		"<script>alert(1)</script>.png", `"><img src=x onerror=alert(1)>.png`, "a\x00b.png", "\r\n.png", "100%&#?.gif",
		strings.Repeat("长", 50) + ".jpeg", strings.Repeat("a", 200) + ".png",
		"x." + strings.Repeat("b", 150), // the extension alone is longer than the name may be
		strings.Repeat("é", 60) + ".png",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, name string) {
		defer fuzzNoPanic(t)
		got := cleanFilename(name)
		switch {
		case got == "" || got == ".":
			t.Errorf("%q is kept as %q", name, got)
		case len(got) > 100:
			t.Errorf("%q is kept as %d bytes", name, len(got))
		case strings.ContainsAny(got, "/\\\"<>|:*?&#%\x7f"):
			t.Errorf("%q is kept as %q", name, got)
		case strings.IndexFunc(got, func(r rune) bool { return r < 0x20 }) >= 0:
			t.Errorf("%q keeps a control character: %q", name, got)
		case utf8.ValidString(name) && !utf8.ValidString(got):
			t.Errorf("%q is cut inside a character: %q", name, got)
		}
	})
}
