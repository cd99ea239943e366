package e2e

import (
	"testing"
	"time"

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

// signIn fills the login form as a person would and waits for the page after it (the dashboard, or the login page
// again with a message).
func signIn(t *testing.T, page playwright.Page, base, username, password string) {
	t.Helper()
	open(t, page, base+"/login")
	must(t, page.GetByLabel("用户名").Fill(username))
	must(t, page.GetByLabel("密码").Fill(password))
	navigateBy(t, page, clicker(page.GetByTestId("login-submit")))
}

// navigateBy does what leads to a new document (a form sent, a choice that sends its form) and returns the first
// answer to it (a redirect, where there is one) once the document has been parsed, so the next step acts on the
// new page and not on the old one.
//
// It marks the old document and asks the page, again and again, for a parsed document without the mark.
// ExpectNavigation is not used: playwright-go checks the frame's load states and only then listens for the next
// one, so a load state that arrives in between is missed and the wait runs into its timeout although the page is
// there. Nor is WaitForFunction: it compiles its predicate inside the page, which the pages' CSP (no eval)
// refuses once the new document has loaded.
func navigateBy(t *testing.T, page playwright.Page, act func() error) playwright.Response {
	t.Helper()
	_, err := page.Evaluate(`() => { window.__wxshopOldDocument = true }`)
	must(t, err)
	ev, err := page.ExpectEvent("response", act, playwright.PageExpectEventOptions{
		Predicate: func(r playwright.Response) bool { return r.Request().IsNavigationRequest() },
	})
	must(t, err)
	var last error
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		// An evaluation that meets the old document on its way out fails; the next one meets the new.
		ready, err := page.Evaluate(`() => !window.__wxshopOldDocument && document.readyState !== "loading"`)
		if err == nil && ready == true {
			return ev.(playwright.Response)
		}
		last = err
	}
	t.Fatalf("no new page 10 s after the answer %d to %s (%v)", ev.(playwright.Response).Status(), ev.(playwright.Response).URL(), last)
	return nil
}

func testID(page playwright.Page, id string) playwright.Locator { return page.GetByTestId(id) }

func playwrightName(name string) playwright.LocatorGetByRoleOptions {
	return playwright.LocatorGetByRoleOptions{Name: name, Exact: playwright.Bool(true)}
}
