package app

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// The V1.13 product form offers the shop's postage templates by name and the library's images as
// thumbnails; nothing asks for an id or a file name typed or picked from a list of names.
func TestProductFormOffersTemplatesByNameAndThumbnails(t *testing.T) {
	t.Parallel()
	s, b, img := formServer(t)
	wantStatus(t, b.post("/postage/sync", nil), http.StatusSeeOther)
	tpls := s.sandbox.DeliveryTemplates()
	page := b.post("/products", with(teeForm(img), set("action", "matrix")))
	wantStatus(t, page, http.StatusOK)
	for _, tpl := range tpls {
		wantBody(t, page, `<option value="`+strconv.FormatInt(tpl.ID, 10)+`">`+tpl.Name+`</option>`)
	}
	for _, gone := range []string{`name="template_id" type="text"`, `<select name="row_icon"`, `<select name="detail_img"`} {
		if strings.Contains(page.body, gone) {
			t.Errorf("the form still has %s", gone)
		}
	}
	thumb := regexp.MustCompile(`data-name="row_icon\.0"[^>]*><summary[^>]*>`).FindString(page.body)
	if thumb == "" || !strings.Contains(page.body, `aria-label="tee.png"`) || !regexp.MustCompile(`<img src="/images/\d+/thumb" alt="" loading="lazy">`).MatchString(page.body) {
		t.Error("the SKU picture is not picked from thumbnails")
	}
	wantBody(t, page, `data-name="detail_img.0"`) // the picture block, moved to the top

	// Saving sends the template picked and the pictures picked, each by its own field.
	tpl := tpls[0]
	form := with(teeForm(img), set("delivery", "template"), set("template_id", strconv.FormatInt(tpl.ID, 10)),
		set("row_icon", "", "", "", ""), set("row_icon.2", img), set("detail_img", "", ""), set("detail_img.1", img), set("name", "按名称选模板的T恤"))
	saved := b.post("/products", form)
	wantStatus(t, saved, http.StatusSeeOther)
	p := s.shopProduct(t, "按名称选模板的T恤")
	if p.DeliveryInfo == nil || p.DeliveryInfo.TemplateID != tpl.ID {
		t.Errorf("WeChat got delivery %+v, want template %d", p.DeliveryInfo, tpl.ID)
	}
	icons := 0
	for _, k := range p.SKUList {
		if k.IconURL == img {
			icons++
		}
	}
	if icons != 1 || len(p.ProductBase.Detail) != 2 || p.ProductBase.Detail[0].Img != img {
		t.Errorf("WeChat got %d SKU pictures and detail %+v, want one picture and the picture block first", icons, p.ProductBase.Detail)
	}
	edit := b.get(saved.header.Get("Location") + "/edit")
	wantBody(t, edit, `<option value="`+strconv.FormatInt(tpl.ID, 10)+`" selected>`+tpl.Name+`</option>`)
}

// The shelf editor picks its pictures from thumbnails.
func TestShelfEditorPicksPicturesFromThumbnails(t *testing.T) {
	t.Parallel()
	_, b, img := formServer(t)
	page := b.post("/shelves", with(shelfForm("缩略图货架", img, map[string][]string{"eid": {"3"}, "img": {img}}), set("action", "preview")))
	wantStatus(t, page, http.StatusOK)
	if strings.Contains(page.body, `<select name="banner"`) || strings.Contains(page.body, `<select name="m0.img"`) {
		t.Error("a shelf picture is still a list of file names")
	}
	wantBody(t, page, `data-name="banner"`, `name="banner" value="`+img+`" checked`, `data-name="m0.img"`,
		`name="m0.img" value="`+img+`" checked`)
}

// Each region rule of the V1.13 postage editor is one line: the region and its four numbers in one row.
func TestPostageRegionRuleIsOneRow(t *testing.T) {
	t.Parallel()
	s, b, _ := formServer(t)
	wantStatus(t, b.post("/postage/sync", nil), http.StatusSeeOther)
	var id int64
	for _, tpl := range s.sandbox.DeliveryTemplates() {
		for _, tf := range tpl.TopFee {
			if len(tf.Custom) > 0 {
				id = tpl.ID
			}
		}
	}
	page := b.get("/postage/" + strconv.FormatInt(id, 10))
	wantStatus(t, page, http.StatusOK)
	rows := regexp.MustCompile(`(?s)<div class="region-rule">(.*?)</div>`).FindAllStringSubmatch(page.body, -1)
	if len(rows) == 0 || strings.Contains(page.body, `class="table compact rules"`) {
		t.Fatal("no one-line region rules")
	}
	for _, r := range rows {
		for _, part := range []string{`data-testid="rule-province"`, `data-testid="rule-city"`, `data-testid="rule-start"`,
			`data-testid="rule-startfee"`, `data-testid="rule-add-pieces"`, `data-testid="rule-addfee"`, `data-testid="rule-delete"`} {
			if !strings.Contains(r[1], part) {
				t.Errorf("a region rule's row lacks %s", part)
			}
		}
	}
}
