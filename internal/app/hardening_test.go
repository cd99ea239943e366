package app

import (
	"encoding/csv"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode"

	"wxshop/internal/db"
	"wxshop/internal/wx"
	"wxshop/internal/wx/sandbox"
)

// What one request may cost is bounded like the library's upload: the product form's gallery takes at most
// maxFilesPerUpload files (each is a WeChat upload), and refuses more without uploading any; the packing list
// prints each order once, and at most maxPrintOrders of them.
func TestSecurityOneRequestsWorkIsBounded(t *testing.T) {
	t.Parallel()
	s, b := orderServerWithMirror(t)
	img := s.uploadToLibrary(t, b, "main.png", pngBytes(t, 40, 40, 1))
	const upload = "/merchant/common/upload_img"

	var files []formFile
	for i := range maxFilesPerUpload + 1 {
		files = append(files, formFile{"gallery_upload", "g" + strconv.Itoa(i) + ".png", pngBytes(t, 8, 8, uint8(i))})
	}
	calls := s.sandbox.Calls(upload)
	a := b.postMultipart("/products", teeForm(img), files)
	wantStatus(t, a, http.StatusUnprocessableEntity)
	wantBody(t, a, zh("images.err.toomany", maxFilesPerUpload))
	if n := s.sandbox.Calls(upload) - calls; n != 0 {
		t.Errorf("%d files over the cap cost %d uploads", len(files), n)
	}
	calls = s.sandbox.Calls(upload)
	a = b.postMultipart("/products", teeForm(img), files[:2])
	wantStatus(t, a, http.StatusSeeOther)
	if n := s.sandbox.Calls(upload) - calls; n != 2 {
		t.Errorf("two gallery files cost %d uploads", n)
	}

	orders := s.mirrorAll(t, db.SourceChannels)
	q := url.Values{}
	for range 3 {
		q.Add("id", idOf(orders[0].ID))
	}
	q.Add("id", idOf(orders[1].ID))
	a = b.get("/orders/print?" + q.Encode())
	wantStatus(t, a, http.StatusOK)
	if n := strings.Count(a.body, `data-testid="packing-slip"`); n != 2 {
		t.Errorf("an order named three times and another once print %d slips, want 2", n)
	}
	q = url.Values{}
	for i := range 10000 {
		q.Add("id", strconv.Itoa(i+1))
	}
	a = b.get("/orders/print?" + q.Encode())
	wantStatus(t, a, http.StatusBadRequest)
	q = url.Values{}
	for i := range maxPrintOrders {
		q.Add("id", strconv.Itoa(i+1))
	}
	wantStatus(t, b.get("/orders/print?"+q.Encode()), http.StatusOK)
}

// The sandbox's push goes to this server, whatever Host the request that asked for it named.
func TestSecuritySandboxPushIgnoresTheHostHeader(t *testing.T) {
	t.Parallel()
	s := newOrderServer(t, sandbox.Options{Orders: -1})
	var elsewhere atomic.Int32
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere.Add(1)
		w.Write([]byte("success"))
	}))
	t.Cleanup(evil.Close)
	b := s.signedIn(t, "operator")
	req, err := http.NewRequest(http.MethodPost, s.URL+"/sandbox/new-order", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Host = strings.TrimPrefix(evil.URL, "http://")
	resp, err := b.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	ids := s.sandbox.OrderIDs(sandbox.SourceMerchant, 0)
	if resp.StatusCode != http.StatusSeeOther || len(ids) != 1 || s.ordersWithID(t, ids[0]) != 1 {
		t.Errorf("answered %d; the sandbox has %v, the mirror not", resp.StatusCode, ids)
	}
	if n := elsewhere.Load(); n != 0 {
		t.Errorf("the push went to the Host header's server (%d requests)", n)
	}
}

// Picking a language signed out costs no session row: it lives in a plain cookie, which every page then reads,
// and which outlives signing in and out.
func TestSecurityLanguageSwitchWritesNoSession(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	count := func() int {
		var n int
		if err := s.store.DB.QueryRow(`SELECT count(*) FROM sessions`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := count()
	for range 50 {
		a := s.browser(t).post("/lang", url.Values{"lang": {"en"}, "next": {"/login"}})
		wantStatus(t, a, http.StatusSeeOther)
		if strings.Contains(strings.Join(a.header.Values("Set-Cookie"), ";"), "wxshop_session") {
			t.Fatal("the language switch set a session cookie")
		}
	}
	if n := count(); n != before {
		t.Errorf("50 cookieless language switches wrote %d session rows", n-before)
	}
	b := s.browser(t)
	b.post("/lang", url.Values{"lang": {"en"}})
	wantBody(t, b.get("/login"), `lang="en"`, "Sign in to wxshop")
	b.signIn("admin", testAdminPassword)
	wantBody(t, b.get("/"), `lang="en"`)
	b.post("/logout", nil)
	wantBody(t, b.get("/login"), `lang="en"`, "You are signed out.")
	b.post("/lang", url.Values{"lang": {"zh"}})
	wantBody(t, b.get("/login"), `lang="zh`)
}

// secFormulas are cells a buyer could type that a spreadsheet reads as a formula: the ASCII signs, their
// full-width forms, and either after spaces (ASCII, no-break, ideographic, zero-width).
var secFormulas = []string{
	"=HYPERLINK(\"http://evil.example\",\"点我\")", "+86 138", "-2+3", "@SUM(A1)",
	"＝HYPERLINK(\"http://evil.example\")", "＋1", "－1+1", "＠SUM(A1)",
	" =1+1", "\u00a0=1+1", "\u3000=1+1", "\u3000＝1+1", "\u200b=1+1", "  \u00a0+1", "\t=1", "\r=1",
}

// Every cell of the order export that a spreadsheet could read as a formula starts with an apostrophe.
func TestSecurityCSVExportDefusesFormulas(t *testing.T) {
	t.Parallel()
	s := newOrderServer(t, sandbox.Options{Orders: -1})
	b := s.signedIn(t, "viewer")
	now := time.Now()
	for i, f := range secFormulas {
		_, err := s.store.UpsertOrder(t.Context(), db.Order{
			Source: db.SourceMerchant, OrderID: "99000000000000001" + strconv.Itoa(10+i), Status: db.OrderToShip,
			SourceStatus: wx.MerchantOrderToShip, BuyerNick: f, ReceiverName: f, ReceiverPhone: "13800000000",
			ReceiverProvince: "广东省", ReceiverCity: "广州市", ReceiverDistrict: "天河区", Address: f, Note: f,
			TotalFen: 100, ProductFen: 100, CreatedAt: now, PaidAt: now, UpdatedAt: now, Raw: []byte(`{}`),
			Lines: []db.OrderLine{{ProductID: "1", SKUID: "", Title: f, Quantity: 1, UnitFen: 100, TotalFen: 100}},
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	a := b.get("/orders.csv")
	wantStatus(t, a, http.StatusOK)
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(a.body, "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]bool{}
	for _, row := range rows[1:] {
		for _, cell := range row {
			for _, f := range secFormulas {
				if strings.Contains(cell, f) {
					found[f] = true
					if cell != "'"+f && !strings.HasPrefix(cell, "'") && strings.HasPrefix(cell, f) {
						t.Errorf("the export has the cell %q as it was typed", cell)
					}
				}
			}
			// As a spreadsheet reads it: leading spaces of any kind skipped, a sign opens a formula, an
			// apostrophe makes the cell text.
			lead := strings.TrimLeftFunc(cell, func(r rune) bool { return unicode.IsSpace(r) || r == '\u200b' })
			if lead != "" && !strings.HasPrefix(cell, "'") && strings.ContainsRune("=+-@＝＋－＠", []rune(lead)[0]) {
				t.Errorf("the export's cell %q reads as a formula", cell)
			}
		}
	}
	for _, f := range secFormulas {
		if !found[f] {
			t.Errorf("the export lacks %q: the test no longer sees the cells", f)
		}
	}
}
