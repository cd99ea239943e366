package app

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"wxshop/internal/db"
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
