package wx

import (
	"context"
	"io"
	"net/http"
	"testing"
)

func TestShopInfo(t *testing.T) {
	c, _ := newAPIClient(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || r.URL.Path != "/channels/ec/basics/info/get" {
			t.Errorf("got %s %s", r.Method, r.URL.Path)
		}
		if q := r.URL.Query(); q.Get("access_token") != "TOK" || len(q) != 1 {
			t.Errorf("query = %v", q)
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		io.WriteString(w, `{"errcode":0,"errmsg":"ok","info":{"nickname":"店名","headimg_url":"https://img/x","subject_type":"企业","status":"opening","username":"gh_xxx"}}`)
	})
	got, err := c.ShopInfo(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := ShopInfo{Nickname: "店名", HeadImgURL: "https://img/x", SubjectType: "企业", Status: "opening", Username: "gh_xxx"}
	if *got != want {
		t.Errorf("ShopInfo = %+v, want %+v", *got, want)
	}
}

func TestShopInfoError(t *testing.T) {
	c, _ := newAPIClient(t, func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"errcode":48001,"errmsg":"api unauthorized"}`)
	})
	info, err := c.ShopInfo(context.Background())
	if info != nil || !IsCode(err, 48001) {
		t.Fatalf("ShopInfo = %v, %v; want errcode 48001", info, err)
	}
	if want := "wx: /channels/ec/basics/info/get: errcode 48001: api unauthorized"; err.Error() != want {
		t.Errorf("Error() = %q, want %q", err, want)
	}
}
