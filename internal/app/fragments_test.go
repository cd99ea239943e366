package app

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// wantFragment checks that an htmx request got exactly the element it swaps (its target, id), and that the
// same request without htmx got the whole page around that element.
func wantFragment(t *testing.T, name string, hx, plain answer, id string) {
	t.Helper()
	wantStatus(t, hx, http.StatusOK)
	body := strings.TrimSpace(hx.body)
	end := strings.Index(body, ">")
	if end < 0 || !strings.Contains(body[:end], ` id="`+id+`"`) {
		t.Errorf("%s: htmx got %.120q…, want the element #%s first", name, body, id)
	}
	if strings.Contains(body, "<html") || strings.Contains(body, `class="topbar"`) || strings.Count(body, ` id="`+id+`"`) != 1 {
		t.Errorf("%s: htmx got more than #%s (%d bytes)", name, id, len(body))
	}
	if plain.status != http.StatusOK && plain.status != http.StatusUnprocessableEntity {
		t.Fatalf("%s: without htmx, status %d", name, plain.status)
	}
	if !strings.Contains(plain.body, "<html") || !strings.Contains(plain.body, ` id="`+id+`"`) || len(plain.body) <= len(body) {
		t.Errorf("%s: without htmx, not the whole page holding #%s", name, id)
	}
}

// Each form that updates part of a page gets that part alone from htmx, and the whole page without it.
func TestFormsGetTheirFragment(t *testing.T) {
	t.Parallel()
	s, b, img := formServer(t)
	hx := func(target string) []string { return []string{"HX-Request", "true", "HX-Target", target} }

	for _, c := range []struct {
		name, action, target string
		form                 url.Values
	}{
		{"sku table", "matrix", "sku-section", with(teeForm(img), set("sku."+attrColor, colWhite), set("sku."+attrSize, sizeS))},
		{"detail blocks", "add_text", "detail-section", teeForm(img)},
		{"province's cities", "province", "location-section", with(teeForm(img), set("province", "浙江省"))},
	} {
		form := with(c.form, set("action", c.action))
		wantFragment(t, "product form: "+c.name, b.post("/products", form, hx(c.target)...), b.post("/products", form), c.target)
	}

	courier := "courier-" + kuaiDi
	add := with(postageForm("片段模板", kuaiDi, "1", "8", "1", "1"), set("action", "add_rule."+kuaiDi))
	wantFragment(t, "postage: add a rule", b.post("/postage", add, hx(courier)...), b.post("/postage", add), courier)
	refresh := with(add, set("action", "refresh"), set("r"+kuaiDi+".province", "广东省"))
	wantFragment(t, "postage: a rule's province", b.post("/postage", refresh, hx(courier)...), b.post("/postage", refresh), courier)

	b.follow(b.post("/postage", postageForm("片段模板", kuaiDi, "1", "8", "1", "1")))
	fee := "/postage/" + idOf(s.shopTemplate(t, "片段模板").ID) + "/fee?" +
		url.Values{"pieces": {"2"}, "province": {"广东省"}, "courier": {kuaiDi}}.Encode()
	wantFragment(t, "postage: the calculator", b.do(http.MethodGet, fee, nil, hx("calculator")...), b.get(fee), "calculator")

	shelf := url.Values{"name": {"片段货架"}, "action": {"add.1"}}
	wantFragment(t, "shelf editor", b.post("/shelves", shelf, hx("shelf-editor")...), b.post("/shelves", shelf), "shelf-editor")

	// A history restore asks with HX-Request too, and needs the whole page.
	restore := b.do(http.MethodGet, fee, nil, "HX-Request", "true", "HX-Target", "calculator", "HX-History-Restore-Request", "true")
	if !strings.Contains(restore.body, "<html") {
		t.Error("a history restore got a fragment")
	}
}
