package app

import (
	"net/http"
	"strings"
	"testing"
)

const (
	getsub      = "/merchant/category/getsub"
	getsku      = "/merchant/category/getsku"
	getproperty = "/merchant/category/getproperty"

	cateFashion  = "538070001" // 服饰鞋包, a branch
	cateWomen    = "538071001" // 服饰鞋包 › 女装
	cateWomenTee = "538071101" // 服饰鞋包 › 女装 › T恤, a leaf
)

func TestCategoriesAreFetchedFromWeChatOnce(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	b := s.signedIn(t, "admin")

	for range 2 {
		a := b.get("/categories")
		wantStatus(t, a, http.StatusOK)
		wantBody(t, a, "服饰鞋包", "食品生鲜", "数码家电", `data-testid="category-`+cateFashion+`"`, `data-testid="refresh-1"`)
	}
	if n := s.sandbox.Calls(getsub); n != 1 {
		t.Errorf("two views of the top called getsub %d times, want 1", n)
	}

	// htmx opens a branch: only the fragment, and WeChat once.
	for range 2 {
		a := b.do(http.MethodGet, "/categories/"+cateFashion, nil, "HX-Request", "true")
		wantStatus(t, a, http.StatusOK)
		if strings.Contains(a.body, "<html") || strings.Contains(a.body, `data-testid="nav"`) ||
			!strings.HasPrefix(strings.TrimSpace(a.body), `<div class="category-branch"`) {
			t.Fatalf("htmx got more than the branch:\n%s", a.body)
		}
		wantBody(t, a, "女装", "男装", "箱包", `hx-get="/categories/`+cateWomen+`"`)
	}
	if n := s.sandbox.Calls(getsub); n != 2 {
		t.Errorf("getsub called %d times after opening one branch twice, want 2", n)
	}

	// Without htmx the same URL is a page of its own.
	a := b.get("/categories/" + cateFashion)
	wantStatus(t, a, http.StatusOK)
	wantBody(t, a, "<html", "女装", `href="/categories"`)

	// A leaf shows its SKU table and properties.
	b.get("/categories/" + cateWomen)
	leaf := b.do(http.MethodGet, "/categories/"+cateWomenTee, nil, "HX-Request", "true")
	wantStatus(t, leaf, http.StatusOK)
	wantBody(t, leaf, `data-testid="leaf-`+cateWomenTee+`"`, zh("categories.skus"), zh("categories.properties"),
		"颜色", "#1075741873", "红色", "米白色", "尺码", "XXL", // SKU table
		"品牌", "优衣库", "材质", "纯棉", "适用季节", "风格", "产地") // properties
	if s.sandbox.Calls(getsku) != 1 || s.sandbox.Calls(getproperty) != 1 {
		t.Errorf("opening a leaf: getsku %d, getproperty %d calls, want 1 each", s.sandbox.Calls(getsku), s.sandbox.Calls(getproperty))
	}
	b.get("/categories/" + cateWomenTee)
	if s.sandbox.Calls(getsku) != 1 || s.sandbox.Calls(getproperty) != 1 {
		t.Error("a cached leaf asked WeChat again")
	}
	wantStatus(t, b.get("/categories/not-a-number"), http.StatusNotFound)
}

func TestAdminRefreshesACategory(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	b := s.signedIn(t, "admin")
	b.get("/categories")
	b.get("/categories/" + cateFashion)
	b.get("/categories/" + cateWomen)
	b.get("/categories/" + cateWomenTee)
	sub, sku, prop := s.sandbox.Calls(getsub), s.sandbox.Calls(getsku), s.sandbox.Calls(getproperty)

	a := b.post("/categories/"+cateFashion+"/refresh", nil)
	wantStatus(t, a, http.StatusSeeOther)
	if loc := a.header.Get("Location"); loc != "/categories/"+cateFashion {
		t.Errorf("refresh redirects to %q", loc)
	}
	if s.sandbox.Calls(getsub) != sub+1 {
		t.Errorf("refresh of a branch: getsub %d calls, want %d", s.sandbox.Calls(getsub), sub+1)
	}
	wantBody(t, b.get("/categories/"+cateFashion), zh("categories.refreshed", 1), "女装")

	// A leaf's refresh fetches its SKU table and properties again too.
	wantStatus(t, b.post("/categories/"+cateWomenTee+"/refresh", nil), http.StatusSeeOther)
	if s.sandbox.Calls(getsub) != sub+2 || s.sandbox.Calls(getsku) != sku+1 || s.sandbox.Calls(getproperty) != prop+1 {
		t.Errorf("refresh of a leaf: getsub %d, getsku %d, getproperty %d calls", s.sandbox.Calls(getsub)-sub, s.sandbox.Calls(getsku)-sku, s.sandbox.Calls(getproperty)-prop)
	}

	// Refresh everything: each cached branch once.
	sub = s.sandbox.Calls(getsub)
	wantStatus(t, b.post("/categories/refresh", nil), http.StatusSeeOther)
	if n := s.sandbox.Calls(getsub) - sub; n != 4 {
		t.Errorf("refreshing everything fetched %d sub-category lists, want 4 (the cached branches)", n)
	}
	wantBody(t, b.get("/categories"), zh("categories.refreshed", 4))

	entries := s.auditOf(t, "category.refresh")
	if len(entries) != 3 || entries[0].ObjectID != cateFashion || entries[2].ObjectID != "all" || entries[0].Outcome != "ok" {
		t.Errorf("audit entries = %+v", entries)
	}
}

func TestFailedRefreshKeepsTheEarlierCopy(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	b := s.signedIn(t, "admin")
	wantBody(t, b.get("/categories/"+cateFashion), "女装", "男装", "箱包")
	before := s.sandbox.Calls(getsub)

	// Reads are retried, so WeChat has to fail every attempt.
	s.sandbox.FailNext(getsub, -1, "system error", 5)
	a := b.post("/categories/"+cateFashion+"/refresh", nil)
	wantStatus(t, a, http.StatusSeeOther)
	if n := s.sandbox.Calls(getsub) - before; n < 2 {
		t.Errorf("the failing read was tried %d times, want it retried", n)
	}

	page := b.get("/categories/" + cateFashion)
	wantStatus(t, page, http.StatusOK)
	wantBody(t, page,
		zh("categories.refresh.failed", zh("error.wx", -1, "微信系统繁忙，请稍后重试。")),
		"女装", "男装", "箱包", `data-testid="category-538072001"`)
	if strings.Contains(page.body, `data-testid="category-error"`) {
		t.Error("the cached branch is shown as failed")
	}
	entries := s.auditOf(t, "category.refresh")
	if len(entries) != 1 || !strings.Contains(entries[0].Outcome, "errcode -1") {
		t.Errorf("audit entries = %+v", entries)
	}
}

func TestCategoryWeChatCannotGiveIsANoteNotAFailedPage(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	b := s.signedIn(t, "viewer")
	s.sandbox.FailNext(getsub, 45011, "api freq out of limit", 1)
	a := b.get("/categories")
	wantStatus(t, a, http.StatusOK)
	wantBody(t, a, `data-testid="category-error"`, zh("error.wx", 45011, "接口调用太频繁，请稍等一会儿再试。"))
	// Nothing was cached, so the next look asks again and succeeds.
	wantBody(t, b.get("/categories"), "服饰鞋包")
}

func TestOnlyAdminsRefreshCategories(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	for _, role := range []string{"operator", "viewer"} {
		b := s.signedIn(t, role)
		a := b.get("/categories/" + cateFashion)
		wantStatus(t, a, http.StatusOK)
		if strings.Contains(a.body, `data-testid="refresh-`) || strings.Contains(a.body, `data-testid="categories-refresh-all"`) {
			t.Errorf("%s is offered a refresh button", role)
		}
		calls := s.sandbox.Calls(getsub)
		for _, path := range []string{"/categories/" + cateFashion + "/refresh", "/categories/refresh"} {
			a := b.post(path, nil)
			wantStatus(t, a, http.StatusForbidden)
			wantBody(t, a, zh("error.403.heading"))
		}
		if s.sandbox.Calls(getsub) != calls {
			t.Errorf("a refresh by %s reached WeChat", role)
		}
	}
	if entries := s.auditOf(t, "category.refresh"); len(entries) != 0 {
		t.Errorf("refused refreshes were recorded: %+v", entries)
	}
}
