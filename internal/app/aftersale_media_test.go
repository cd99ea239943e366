package app

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"wxshop/internal/db"
	"wxshop/internal/wx"
	"wxshop/internal/wx/sandbox"
)

// The buyer's pictures are shown as pictures, fetched from WeChat by their media id; a viewer sees them too.
func TestAftersaleBuyerPictures(t *testing.T) {
	s := newAftersaleServer(t, sandbox.Options{})
	op := s.signedIn(t, "operator")
	s.syncAftersales(t, op)
	id := ""
	for _, x := range s.sandbox.AftersaleIDs("", wx.AftersaleMerchantProcessing) {
		if len(s.sandbox.MediaIDs(x)) > 0 {
			id = x
			break
		}
	}
	if id == "" {
		t.Fatal("no demo after-sale with the buyer's pictures")
	}
	viewer := s.signedIn(t, "viewer")
	page := viewer.get("/aftersales/" + id)
	wantStatus(t, page, http.StatusOK)
	media := s.sandbox.MediaIDs(id)
	wantBody(t, page, `data-testid="aftersale-images"`, `<img src="/aftersales/`+id+`/media?n=0"`, `alt="`+media[0]+`"`)
	pic := viewer.get("/aftersales/" + id + "/media?n=" + strconv.Itoa(len(media)-1))
	wantStatus(t, pic, http.StatusOK)
	if ct := pic.header.Get("Content-Type"); ct != "image/png" || !strings.HasPrefix(pic.body, "\x89PNG") {
		t.Errorf("picture answered %q, %d bytes", ct, len(pic.body))
	}
	wantStatus(t, viewer.get("/aftersales/"+id+"/media?n="+strconv.Itoa(len(media))), http.StatusNotFound)
	// Shown again, it is not fetched from WeChat again.
	calls := s.sandbox.Calls(wx.PathMedia)
	viewer.get("/aftersales/" + id + "/media?n=0")
	viewer.get("/aftersales/" + id + "/media?n=0")
	if n := s.sandbox.Calls(wx.PathMedia) - calls; n > 1 {
		t.Errorf("one picture fetched %d times", n)
	}
}

// A failed refund's proof is uploaded as a picture: WeChat gets its media id, the page then shows it, and
// both the upload and the answer are in the audit log; a file that is not a picture is refused beside the
// field and nothing is sent.
func TestAftersaleCertificateUpload(t *testing.T) {
	s := newAftersaleServer(t, sandbox.Options{})
	op := s.signedIn(t, "operator")
	failed := s.sandbox.AftersaleIDs(wx.AftersaleTypeRefund, wx.AftersalePlatformRefundFail)
	if len(failed) == 0 {
		t.Fatal("no failed refund in the demo")
	}
	id := failed[0]
	page := op.get("/aftersales/" + id)
	wantBody(t, page, `data-testid="form-certificate"`, `enctype="multipart/form-data"`, `data-testid="certificate-media-file"`)

	a := op.postMultipart("/aftersales/"+id+"/answer", url.Values{"action": {"certificate"}, "desc": {"已线下转账"}},
		[]formFile{{field: "media_file", name: "proof.txt", data: []byte("not a picture")}})
	wantStatus(t, a, http.StatusUnprocessableEntity)
	wantBody(t, a, `data-testid="error-media"`, zh("aftersale.refused.image_type", "proof.txt"), `value="已线下转账"`)
	if n := s.sandbox.MerchantAnswers(id); n != 0 {
		t.Fatalf("WeChat took %d answers", n)
	}

	a = op.postMultipart("/aftersales/"+id+"/answer", url.Values{"action": {"certificate"}, "desc": {"已线下转账"}},
		[]formFile{{field: "media_file", name: "proof.png", data: pngBytes(t, 40, 30, 3)}})
	wantStatus(t, a, http.StatusSeeOther)
	st, _ := s.sandbox.AftersaleState(id)
	if len(st.MerchantUploadInfo.RefundCertificates) != 1 || !strings.HasPrefix(st.MerchantUploadInfo.RefundCertificates[0], "media_") {
		t.Fatalf("certificates at WeChat: %q", st.MerchantUploadInfo.RefundCertificates)
	}
	page = op.get("/aftersales/" + id)
	n := len(st.Details.Images())
	wantBody(t, page, `data-testid="aftersale-certificates"`, `/aftersales/`+id+`/media?n=`+strconv.Itoa(n))
	pic := op.get("/aftersales/" + id + "/media?n=" + strconv.Itoa(n))
	wantStatus(t, pic, http.StatusOK)
	if !strings.HasPrefix(pic.body, "\x89PNG") {
		t.Errorf("the proof answered %q", pic.header.Get("Content-Type"))
	}
	if e := s.auditOf(t, "aftersale.media"); len(e) != 1 || e[0].Outcome != db.AuditOK || !strings.Contains(e[0].Detail, "proof.png 40×30") {
		t.Errorf("upload audit = %+v", e)
	}
	if e := s.auditOf(t, "aftersale.certificate"); len(e) != 1 || e[0].Outcome != db.AuditOK {
		t.Errorf("answer audit = %+v", e)
	}
}
