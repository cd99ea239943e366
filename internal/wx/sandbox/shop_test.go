package sandbox_test

import (
	"encoding/json"
	"image/png"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"wxshop/internal/wx/sandbox"
)

func TestShopInfo(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	a := e.shopInfo(e.token())
	wantErr(t, a, 0)

	var got map[string]any
	if err := json.Unmarshal(a.raw, &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"errcode": float64(0),
		"errmsg":  "ok",
		"info": map[string]any{
			"nickname":     "沙箱小店",
			"headimg_url":  e.ts.URL + "/sandbox/static/logo.png",
			"subject_type": "企业",
			"status":       "opening",
			"username":     "gh_sandbox",
		},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("answer\n%s\nwant\n%v", a.raw, want)
	}
}

func TestShopInfoUsesShopName(t *testing.T) {
	e := newEnv(t, sandbox.Options{ShopName: "测试旗舰店"})
	if !strings.Contains(string(e.shopInfo(e.token()).raw), `"nickname":"测试旗舰店"`) {
		t.Error("nickname is not the configured shop name")
	}
	if e.sb.ShopName() != "测试旗舰店" {
		t.Errorf("ShopName() = %q", e.sb.ShopName())
	}
}

// The head image URL must lead somewhere a browser can load, without an access token.
func TestShopHeadImageIsServed(t *testing.T) {
	e := newEnv(t, sandbox.Options{FailRate: 1}) // files are not API calls: no injected failures
	res, err := e.ts.Client().Get(e.ts.URL + "/sandbox/static/logo.png")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "image/png" {
		t.Fatalf("HTTP %d, Content-Type %q", res.StatusCode, res.Header.Get("Content-Type"))
	}
	img, err := png.Decode(res.Body)
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	if b := img.Bounds(); b.Dx() < 32 || b.Dy() < 32 {
		t.Errorf("logo is only %v", b)
	}
}
