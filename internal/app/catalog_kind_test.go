package app

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"wxshop/internal/wx/sandbox"
)

func TestDetectCatalogKind(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts sandbox.Options
		fail string // a V1.13 call that answers 48001 as well
		want string
	}{
		{"a 微信小店", sandbox.Options{Kind: sandbox.KindStore, Orders: -1}, "", kindStore},
		{"a V1.13 shop", sandbox.Options{Kind: sandbox.KindMerchant, Orders: -1}, "", kindMerchant},
		{"neither", sandbox.Options{Kind: sandbox.KindMerchant, Orders: -1}, "/merchant/getbystatus", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newOrderServer(t, tc.opts)
			if tc.fail != "" {
				s.sandbox.FailNext(tc.fail, 48001, "api unauthorized", 1)
			}
			got, err := s.app.detectCatalogKind(t.Context())
			if err != nil || got != tc.want {
				t.Fatalf("detected %q, %v; want %q", got, err, tc.want)
			}
			want := tc.want
			if want == "" {
				want = kindMerchant // the pages the app always had
			}
			if k := s.app.catalogKind(t.Context()); k != want {
				t.Errorf("catalogKind = %q, want %q", k, want)
			}
		})
	}
}

// A transient failure says nothing about the account: what was known stays.
func TestDetectCatalogKindKeepsWhatWasKnownOnFailure(t *testing.T) {
	s := newOrderServer(t, sandbox.Options{Kind: sandbox.KindStore, Orders: -1})
	if _, err := s.app.detectCatalogKind(t.Context()); err != nil {
		t.Fatal(err)
	}
	s.sandbox.FailNext("/channels/ec/basics/info/get", -1, "system error", 5)
	if _, err := s.app.detectCatalogKind(t.Context()); err == nil {
		t.Fatal("a failing WeChat gave a kind")
	}
	if k := s.app.catalogKind(t.Context()); k != kindStore {
		t.Errorf("catalogKind = %q after a failed detection, want store", k)
	}
}

// The navigation shows only the kind's areas, named as its backend names them; the dashboard says which.
func TestNavigationFollowsKind(t *testing.T) {
	store := newOrderServer(t, sandbox.Options{Kind: sandbox.KindStore, Orders: -1})
	store.app.detectCatalogKind(t.Context())
	b := store.browser(t)
	b.signIn("admin", testAdminPassword)
	page := b.get("/")
	wantBody(t, page, `data-testid="nav-shopcats"`, `data-testid="nav-window"`, ">商品管理<", ">店铺分类<", ">橱窗<",
		`<span data-testid="dashboard-kind">微信小店</span>`)
	for _, absent := range []string{`data-testid="nav-groups"`, `data-testid="nav-shelves"`} {
		if strings.Contains(page.body, absent) {
			t.Errorf("a 微信小店's navigation has %s", absent)
		}
	}

	merchant := newOrderServer(t, sandbox.Options{Kind: sandbox.KindMerchant, Orders: -1})
	merchant.app.detectCatalogKind(t.Context())
	b = merchant.browser(t)
	b.signIn("admin", testAdminPassword)
	page = b.get("/")
	wantBody(t, page, `data-testid="nav-groups"`, `data-testid="nav-shelves"`, ">商品<", ">分组<")
	if strings.Contains(page.body, `data-testid="nav-window"`) {
		t.Error("a V1.13 shop's navigation has the window")
	}
}

func TestAdminSetsKind(t *testing.T) {
	s := newOrderServer(t, sandbox.Options{Kind: sandbox.KindStore, Orders: -1})
	AddUser(t.Context(), s.store, "wang", "operator-pass-1", "operator")
	op := s.browser(t)
	op.signIn("wang", "operator-pass-1")
	wantStatus(t, op.post("/settings/catalog-kind", url.Values{"kind": {"merchant"}}), http.StatusForbidden)

	b := s.browser(t)
	b.signIn("admin", testAdminPassword)
	wantStatus(t, b.post("/settings/catalog-kind", url.Values{"kind": {"merchant"}}), http.StatusSeeOther)
	if k := s.app.catalogKind(t.Context()); k != kindMerchant {
		t.Fatalf("kind = %q after the admin chose merchant", k)
	}
	wantBody(t, b.get("/settings"), "已保存：当前按「微信小店 V1.13（旧版商户接口）」显示商品相关页面。", "管理员指定")
	// Back to automatic: detected at once.
	wantStatus(t, b.post("/settings/catalog-kind", url.Values{"kind": {"auto"}}), http.StatusSeeOther)
	if k := s.app.catalogKind(t.Context()); k != kindStore {
		t.Errorf("kind = %q after auto, want store", k)
	}
	wantStatus(t, b.post("/settings/catalog-kind", url.Values{"kind": {"shop"}}), http.StatusSeeOther)
	wantBody(t, b.get("/settings"), "请选择自动识别、微信小店或 V1.13。")
	entries := wantAuditCount(t, s, "settings.kind")
	if entries != 2 {
		t.Errorf("%d audit entries for the kind, want 2", entries)
	}
}

func wantAuditCount(t *testing.T, s *testServer, action string) int {
	t.Helper()
	var n int
	if err := s.store.DB.QueryRowContext(t.Context(), `SELECT COUNT(*) FROM audit_log WHERE action = ?`, action).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
