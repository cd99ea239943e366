package app

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"wxshop/internal/db"
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
