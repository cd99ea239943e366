package e2e

import (
	"testing"

	"github.com/playwright-community/playwright-go"
)

var expect = playwright.NewPlaywrightAssertions(10000)

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func open(t *testing.T, page playwright.Page, url string) playwright.Response {
	t.Helper()
	resp, err := page.Goto(url)
	if err != nil {
		t.Fatalf("goto %s: %v", url, err)
	}
	return resp
}

// signIn fills the login form as a person would and waits for the page after it.
func signIn(t *testing.T, page playwright.Page, base, username, password string) {
	t.Helper()
	open(t, page, base+"/login")
	must(t, page.GetByLabel("用户名").Fill(username))
	must(t, page.GetByLabel("密码").Fill(password))
	// Wait for the page the form leads to (the dashboard, or the login page again with a message): a bare
	// WaitForLoadState would return at once for the login page already loaded, and the caller's next navigation
	// would race the redirect.
	// The page's document is what the next step needs; its subresources are not.
	_, err := page.ExpectNavigation(func() error { return page.GetByTestId("login-submit").Click() },
		playwright.PageExpectNavigationOptions{WaitUntil: playwright.WaitUntilStateDomcontentloaded})
	must(t, err)
}

func testID(page playwright.Page, id string) playwright.Locator { return page.GetByTestId(id) }

func playwrightName(name string) playwright.LocatorGetByRoleOptions {
	return playwright.LocatorGetByRoleOptions{Name: name, Exact: playwright.Bool(true)}
}
