package e2e

import (
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"testing"
	"time"

	"wxshop/internal/app"
	"wxshop/internal/db"
	"wxshop/internal/db/pgtest"
	"wxshop/internal/wx"
	"wxshop/internal/wx/sandbox"
)

// Two servers on one PostgreSQL database and one WeChat, as behind a load balancer that sends each page anywhere.

// StartPostgresPair starts servers A and B on one new PostgreSQL database and one sandbox (the V1.13 merchant
// shop of StartServer), each with its own connections, as two machines would; one of them makes the first sync.
// It fails the test when PostgreSQL cannot be had.
func StartPostgresPair(t *testing.T) (a, b *Server) {
	t.Helper()
	ctx := context.Background()
	url := pgtest.URL(t)
	logs := &lineLog{}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("the servers' last log lines:\n%s", logs.tail(80))
		}
	})
	sb, err := sandbox.Listen("127.0.0.1:0", sandbox.Options{Seed: 1,
		Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelWarn}))})
	if err != nil {
		t.Fatalf("sandbox: %v", err)
	}
	t.Cleanup(func() { sb.Close(context.Background()) })
	runCtx, stop := context.WithCancel(ctx)
	t.Cleanup(stop)
	var servers [2]*Server
	var started [2]<-chan struct{}
	for i, name := range []string{"A", "B"} {
		store, err := db.OpenPostgres(ctx, url)
		if err != nil {
			t.Fatalf("server %s: %v", name, err)
		}
		t.Cleanup(func() { store.Close() })
		if i == 0 {
			if _, err := app.EnsureAdmin(ctx, store, AdminPassword); err != nil {
				t.Fatalf("first admin: %v", err)
			}
		}
		cfg := app.Config{DataDir: t.TempDir(), APIBase: sb.URL, AppID: sb.AppID(), Secret: sb.Secret(), Sandbox: true}
		a, err := app.New(cfg, store, app.Options{Logger: slog.New(slog.NewTextHandler(logs, nil)).With("server", name)})
		if err != nil {
			t.Fatalf("server %s: %v", name, err)
		}
		t.Cleanup(a.Close)
		servers[i] = &Server{URL: serve(t, a), Store: store, Sandbox: sb, App: a}
		started[i] = a.Start(runCtx)
	}
	for _, done := range started {
		select {
		case <-done:
		case <-time.After(90 * time.Second):
			t.Fatal("the servers did not finish starting within 90 s")
		}
	}
	return servers[0], servers[1]
}

// Signed in through A, the operator's next pages come from B: B knows the session, ships the order, and A's
// next page of the order shows the parcel B sent.
func TestSignInOnOneServerShipOnTheOther(t *testing.T) {
	a, b := StartPostgresPair(t)
	page := NewPage(t)
	signIn(t, page, a.URL, "admin", AdminPassword)
	must(t, expect.Page(page).ToHaveURL(a.URL+"/"))

	waiting := mirrored(t, a, db.OrderFilter{Status: db.OrderToShip, Source: db.SourceMerchant})
	if len(waiting) == 0 {
		t.Fatal("the first sync brought no merchant order waiting to ship")
	}
	o := waiting[0]
	orderPage := fmt.Sprintf("/orders/%d", o.ID)
	// A shows it waiting (and keeps that page while nothing changes).
	open(t, page, a.URL+orderPage)
	must(t, expect.Locator(testID(page, "order-status")).ToHaveText("待发货"))

	// The same browser on B: signed in there too, and the order ships from there.
	open(t, page, b.URL+orderPage)
	must(t, expect.Page(page).ToHaveURL(b.URL+orderPage))
	must(t, expect.Locator(testID(page, "order-heading")).ToHaveText("订单 "+o.OrderID))
	must(t, expect.Locator(testID(page, "order-status")).ToHaveText("待发货"))
	chooseOption(t, testID(page, "ship-company"), "顺丰速运")
	must(t, testID(page, "ship-trackno").Fill("SF7654321098"))
	must(t, testID(page, "ship-submit").Click())
	must(t, expect.Page(page).ToHaveURL(regexp.MustCompile(regexp.QuoteMeta(b.URL+orderPage)+`$`)))
	must(t, expect.Locator(testID(page, "flash")).ToHaveText("订单 "+o.OrderID+" 已发货。"))
	must(t, expect.Locator(testID(page, "order-status")).ToHaveText("已发货"))
	must(t, expect.Locator(testID(page, "order-parcels")).ToContainText("SF7654321098"))
	must(t, expect.Locator(testID(page, "order-timeline")).ToContainText("admin · 发货（003shunfeng SF7654321098）"))

	// Back on A: the parcel B sent, not the page A kept.
	open(t, page, a.URL+orderPage)
	must(t, expect.Locator(testID(page, "order-status")).ToHaveText("已发货"))
	must(t, expect.Locator(testID(page, "order-parcels")).ToContainText("顺丰速运"))
	must(t, expect.Locator(testID(page, "order-parcels")).ToContainText("SF7654321098"))
	must(t, expect.Locator(testID(page, "ship-panel")).ToHaveCount(0))
	st, _ := a.Sandbox.Order(sandbox.SourceMerchant, o.OrderID)
	if st.Status != wx.MerchantOrderShipped || len(st.Parcels) != 1 || st.Parcels[0].TrackingNo != "SF7654321098" {
		t.Errorf("WeChat holds %+v, want one parcel", st)
	}
}
