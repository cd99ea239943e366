package app

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"wxshop/internal/db"
	"wxshop/internal/db/dbtest"
	"wxshop/internal/wx/sandbox"
)

// Several servers on one PostgreSQL database, behind a load balancer that sends each request anywhere: what one
// server did, the others know at once.

// postgresPair is two servers, A and B, on one new PostgreSQL database and one sandbox.
func postgresPair(t *testing.T, sbOpts sandbox.Options) (a, b *testServer) {
	t.Helper()
	if dbtest.Dialect(t) != db.Postgres {
		t.Fatal("postgresPair runs under dbtest.Each's postgres only")
	}
	a = newOrderServer(t, sbOpts)
	return a, a.secondServer(t)
}

// secondServer is another server with s's configuration on s's database, as a second instance is.
func (s *testServer) secondServer(t *testing.T) *testServer {
	t.Helper()
	store := dbtest.Reopen(t, s.store)
	other, err := New(s.app.cfg, store, Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(other.Close)
	srv := httptest.NewServer(other.Handler())
	t.Cleanup(srv.Close)
	return &testServer{Server: srv, app: other, store: store, sandbox: s.sandbox}
}

// through is the same browser (its cookies) sending its requests to srv instead.
func (b *browser) through(srv *testServer) *browser {
	return &browser{t: b.t, base: srv.URL, client: b.client}
}

func onlyPostgres(t *testing.T, test func(t *testing.T)) {
	t.Run(db.Postgres.String(), test)
}

func TestInstancesShareSessions(t *testing.T) {
	onlyPostgres(t, func(t *testing.T) {
		a, b := postgresPair(t, sandbox.Options{Orders: -1})
		onA := a.signedIn(t, "operator")
		onB := onA.through(b)
		wantStatus(t, onB.get("/orders"), http.StatusOK) // signed in on A, signed in on B

		// A second session of the same person, on B; the password changed on A ends it.
		other := b.browser(t)
		other.signIn("test-operator", cheapPassword)
		wantStatus(t, other.get("/orders"), http.StatusOK)
		u, err := a.store.UserByUsername(t.Context(), "test-operator")
		if err != nil {
			t.Fatal(err)
		}
		if err := ChangePassword(t.Context(), a.store, u.Username, "a-new-password-2"); err != nil {
			t.Fatal(err)
		}
		if got := other.get("/orders"); got.status != http.StatusSeeOther || !strings.HasPrefix(loc(got), "/login") {
			t.Errorf("after the password changed, B still serves the old session: %d %s", got.status, loc(got))
		}

		// Signing out on B ends the session on A too.
		onB.post("/logout", nil)
		if got := onA.get("/orders"); got.status != http.StatusSeeOther {
			t.Errorf("signed out on B, A still answers %d", got.status)
		}
	})
}

func TestInstancesShareTheSignInThrottle(t *testing.T) {
	onlyPostgres(t, func(t *testing.T) {
		a, b := postgresPair(t, sandbox.Options{Orders: -1})
		if _, err := a.store.CreateUser(t.Context(), "li", cheapHash(), "operator"); err != nil {
			t.Fatal(err)
		}
		// Failures spread over both servers add up: five wrong passwords, alternately, lock the sixth attempt out
		// on either, the right password included.
		for i := range maxFailuresPerPair {
			srv := []*testServer{a, b}[i%2]
			got := srv.browser(t).post("/login", map[string][]string{"username": {"li"}, "password": {"wrong-password"}})
			if got.status == http.StatusSeeOther {
				t.Fatalf("a wrong password signed in")
			}
		}
		for _, srv := range []*testServer{a, b} {
			got := srv.browser(t).post("/login", map[string][]string{"username": {"li"}, "password": {cheapPassword}})
			if got.status == http.StatusSeeOther {
				t.Errorf("after %d failures spread over both servers, %s let the next attempt in", maxFailuresPerPair, srv.URL)
			}
		}
	})
}

func TestInstancesShowEachOthersWritesAndShipOnce(t *testing.T) {
	onlyPostgres(t, func(t *testing.T) {
		a, b := postgresPair(t, sandbox.Options{Orders: -1})
		onA := a.signedIn(t, "operator")
		onB := onA.through(b)
		ids := a.newPaidMerchantOrders(t, onA, 2)
		first, second := a.mirrorOf(t, db.SourceMerchant, ids[0]), a.mirrorOf(t, db.SourceMerchant, ids[1])

		// B keeps its pages while nothing changes; a parcel shipped on A shows on B's next load.
		const waiting = "/orders?status=toship"
		page := onB.get(waiting)
		wantBody(t, page, first.OrderID)
		if again := onB.get(waiting); again.body != page.body {
			t.Fatal("B does not keep the unchanged page")
		}
		shipped := onA.post(orderPath(first)+"/ship", shipForm("003shunfeng", "SF1111111111", shipTokenOf(t, onA.get(orderPath(first)))))
		wantStatus(t, shipped, http.StatusSeeOther)
		onA.get(loc(shipped)) // where the flash saying so is shown (the session is the same on B)
		if strings.Contains(onB.get(waiting).body, first.OrderID) {
			t.Error("B still lists the order shipped on A as waiting")
		}
		wantBody(t, onB.get(orderPath(first)), "SF1111111111")

		// One shipping form sent to A and to B at once ships once.
		body := shipForm("003shunfeng", "SF2222222222", shipTokenOf(t, onA.get(orderPath(second)))).Encode()
		var wg sync.WaitGroup
		for _, br := range []*browser{onA, onB, onA, onB} {
			wg.Go(func() {
				req, _ := http.NewRequest(http.MethodPost, br.base+orderPath(second)+"/ship", strings.NewReader(body))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				if resp, err := br.client.Do(req); err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
			})
		}
		wg.Wait()
		if st := a.sandboxOrder(t, sandbox.SourceMerchant, second.OrderID); len(st.Parcels) != 1 {
			t.Errorf("the form sent to both servers made %d parcels, want 1", len(st.Parcels))
		}
		if n := len(b.auditOfOrder(t, "order.ship", db.SourceMerchant, second.OrderID)); n != 1 {
			t.Errorf("%d shipments audited, want 1", n)
		}
	})
}

func TestInstancesDoTheStartUpWorkOnce(t *testing.T) {
	onlyPostgres(t, func(t *testing.T) {
		a, b := postgresPair(t, sandbox.Options{})
		// Both start at once: one of them syncs the orders, the other leaves it to it.
		doneA, doneB := a.app.Start(t.Context()), b.app.Start(t.Context())
		<-doneA
		<-doneB
		if n := a.sandbox.Calls(pathMerchantFilter); n == 0 {
			t.Fatal("neither server made the first sync")
		}
		calls := a.sandbox.Calls(pathMerchantFilter)
		single := newOrderServer(t, sandbox.Options{})
		<-single.app.Start(t.Context())
		if one := single.sandbox.Calls(pathMerchantFilter); calls != one {
			t.Errorf("two servers starting together listed the orders %d times; one server alone does it %d times", calls, one)
		}
	})
}

func TestInstancesFinishAFileWhoseServerStopped(t *testing.T) {
	onlyPostgres(t, func(t *testing.T) {
		a, b := postgresPair(t, sandbox.Options{Orders: -1})
		onA := a.signedIn(t, "operator")
		ids := a.newPaidMerchantOrders(t, onA, 24)
		rows := [][]string{{"order_id", "delivery_company", "delivery_track_no"}}
		for i, id := range ids {
			rows = append(rows, []string{id, "003shunfeng", fmt.Sprintf("SF%013d", i+1)})
		}
		preview := uploadShipFile(t, onA, "ship.csv", csvBytes(rows...))
		a.sandbox.SetLatency(80 * time.Millisecond)
		wantStatus(t, onA.post(preview+"/run", nil), http.StatusSeeOther)

		// B, looking for unfinished files while A ships this one, joins in: each claims rows of its own.
		time.Sleep(100 * time.Millisecond)
		b.app.shop.ResumeShipFiles(t.Context())
		// A stops part way (the rows it had on their way given back, its rows not begun left); B finishes the file.
		time.Sleep(150 * time.Millisecond)
		a.app.Close()
		batch, err := b.store.RecentShipBatches(t.Context(), 1)
		if err != nil || len(batch) != 1 {
			t.Fatal(batch, err)
		}
		if batch[0].State != db.ShipFileRunning {
			t.Fatalf("the file is %s when A stops, want it still running (make it longer)", batch[0].State)
		}
		b.app.shop.ResumeShipFiles(t.Context())
		b.app.shop.Wait()
		done, _ := b.store.ShipBatch(t.Context(), batch[0].ID)
		if done.State != db.ShipFileDone {
			t.Errorf("B left the file %s", done.State)
		}
		for _, id := range ids {
			if st := a.sandboxOrder(t, sandbox.SourceMerchant, id); len(st.Parcels) != 1 {
				t.Errorf("order %s has %d parcels, want exactly 1", id, len(st.Parcels))
			}
		}
	})
}

// WeChat may send a push to any server, and repeat it to another: the same push reaching A and B at once is
// handled once (one read of the order from WeChat, one order stored), and every copy is answered success.
func TestInstancesHandleAPushOnce(t *testing.T) {
	onlyPostgres(t, func(t *testing.T) {
		a, b := postgresPair(t, sandbox.Options{Orders: -1})
		id := a.sandbox.NewPaidOrder(sandbox.SourceMerchant)
		push := buildPush(t, SandboxCallbackToken, nil, a.paidEvent(t, sandbox.SourceMerchant, id))
		reads := a.secReads()
		answers := make([]answer, 6)
		var wg sync.WaitGroup
		for i := range answers {
			srv := []*testServer{a, b}[i%2]
			wg.Go(func() { answers[i] = srv.send(t, push) })
		}
		wg.Wait()
		for i, got := range answers {
			if got.status != http.StatusOK || !strings.Contains(got.body, "success") {
				t.Errorf("copy %d of the push was answered %d %q", i, got.status, got.body)
			}
		}
		a.app.fetches.wait()
		b.app.fetches.wait()
		if n := a.secReads() - reads; n != 1 {
			t.Errorf("the push sent to both servers read the order from WeChat %d times, want once", n)
		}
		if n := b.ordersWithID(t, id); n != 1 {
			t.Errorf("%d orders stored for the push, want 1", n)
		}
	})
}

// One address's pushes spread over both servers meet one limit: after pushesPerMinute of them, alternately
// to A and B, the next is refused by either.
func TestInstancesShareThePushLimit(t *testing.T) {
	onlyPostgres(t, func(t *testing.T) {
		a, b := postgresPair(t, sandbox.Options{Orders: -1})
		bad := pushRequest{query: map[string][]string{"timestamp": {"1"}, "nonce": {"1"}, "signature": {"0"}}, body: []byte("<xml/>")}
		for i := range pushesPerMinute {
			if got := []*testServer{a, b}[i%2].send(t, bad); got.status != http.StatusForbidden {
				t.Fatalf("push %d answered %d", i, got.status)
			}
		}
		for _, srv := range []*testServer{a, b} {
			wantAnswer(t, srv.send(t, bad), http.StatusTooManyRequests, "too many requests")
		}
	})
}
