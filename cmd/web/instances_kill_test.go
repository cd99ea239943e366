package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"wxshop/internal/db"
	"wxshop/internal/db/pgtest"
	"wxshop/internal/wx/sandbox"
)

// Two servers on one PostgreSQL database and one WeChat, as behind a load balancer: A is killed (SIGKILL) in the
// middle of a 150-row shipping file while people add users and press 同步订单 on it; B, which was helping with
// the file, takes over the rows A held once their leases run out and finishes the file, every order shipped
// exactly once, everything WeChat shipped in the audit log, and the two servers fetched one access token.
func TestKilledServerLeavesTheOtherToFinishTheFileOnPostgres(t *testing.T) {
	webBinary(t)
	sb := sandbox.New(sandbox.Options{Seed: 12, Orders: -1, Latency: 25 * time.Millisecond})
	const toShip = 150
	var shipIDs []string
	for range toShip {
		shipIDs = append(shipIDs, sb.NewPaidOrder(sandbox.SourceMerchant))
	}
	wechat := httptest.NewServer(sb)
	defer wechat.Close()
	dbURL := pgtest.URL(t)
	const password = "kill test password"
	env := func(addr string) []string {
		return minimalEnv("DATABASE_URL="+dbURL, "ADDR="+addr, "ADMIN_PASSWORD="+password, "SHIP_LEASE=2s",
			"WX_API_BASE="+wechat.URL, "WX_APPID="+sb.AppID(), "WX_SECRET="+sb.Secret())
	}
	addrA, addrB := freeAddr(t), freeAddr(t)
	baseA, baseB := "http://"+addrA, "http://"+addrB
	a := start(t, env(addrA))
	waitHealthy(t, a, baseA) // A made the schema and the first admin; B starts on them
	b := start(t, env(addrB))
	waitHealthy(t, b, baseB)

	store, err := db.OpenPostgres(t.Context(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	count := func(q string, args ...any) int {
		t.Helper()
		var n int
		if err := store.DB.QueryRowContext(t.Context(), q, args...).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	deadline := time.Now().Add(time.Minute)
	for count(`SELECT count(*) FROM orders`) < toShip {
		if time.Now().After(deadline) {
			t.Fatalf("the first sync did not bring the orders within a minute; A:\n%s\nB:\n%s", a.stderr, b.stderr)
		}
		time.Sleep(100 * time.Millisecond)
	}

	client := newClient(t) // one browser; its session works on both servers
	if resp := login(t, client, baseA, "admin", password); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in on A: %d", resp.StatusCode)
	}
	var csv strings.Builder
	csv.WriteString("order_id,delivery_company,delivery_track_no\n")
	for i, id := range shipIDs {
		fmt.Fprintf(&csv, "%s,中通速递,ZT%08d\n", id, i)
	}
	batch := uploadShipFile(t, client, baseB, csv.String()) // uploaded through B, confirmed through A
	if resp := post(t, client, baseA+batch+"/run", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirming the file on A: %d", resp.StatusCode)
	}
	ctx, stopWriters := context.WithCancel(t.Context())
	var wg sync.WaitGroup
	wg.Go(func() { // an admin adds users on A, one after another
		for i := 0; ctx.Err() == nil; i++ {
			postQuietly(ctx, client, baseA+"/users", url.Values{"username": {fmt.Sprintf("packer%03d", i)},
				"password": {"a long password 1"}, "role": {"operator"}})
		}
	})
	wg.Go(func() { // someone keeps pressing 同步订单 on A
		for ctx.Err() == nil {
			sb.NewPaidOrder(sandbox.SourceChannels)
			postQuietly(ctx, client, baseA+"/orders/sync", url.Values{"back": {"/orders"}})
		}
	})
	deadline = time.Now().Add(time.Minute)
	for shippedCount(sb, shipIDs) < toShip/5 {
		if time.Now().After(deadline) {
			t.Fatalf("the file did not start within a minute; A:\n%s", a.stderr)
		}
		time.Sleep(20 * time.Millisecond)
	}
	heldByA := count(`SELECT count(*) FROM ship_batch_rows WHERE state = 'valid' AND lease_until > 0 AND lease_owner LIKE ?`,
		fmt.Sprintf("%%/%d/%%", a.cmd.Process.Pid))
	if err := a.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-a.done
	stopWriters()
	wg.Wait()
	killedAt := shippedCount(sb, shipIDs)
	t.Logf("A killed with %d of %d orders shipped, %d rows on their way on A", killedAt, toShip, heldByA)
	if killedAt == toShip {
		t.Fatal("the file was shipped entirely before the kill: make the sandbox slower")
	}

	// B alone finishes the file: A's rows once their leases have run out.
	deadline = time.Now().Add(time.Minute)
	for count(`SELECT count(*) FROM ship_batches WHERE state = 'running'`) > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("B did not finish the file within a minute (%d of %d shipped); B:\n%s", shippedCount(sb, shipIDs), toShip, b.stderr)
		}
		time.Sleep(100 * time.Millisecond)
	}
	for i, id := range shipIDs {
		o, _ := sb.Order(sandbox.SourceMerchant, id)
		if len(o.Parcels) != 1 || o.Parcels[0].TrackingNo != fmt.Sprintf("ZT%08d", i) {
			t.Errorf("order %s: WeChat holds %d parcels %+v, want exactly one", id, len(o.Parcels), o.Parcels)
		}
	}
	if n := count(`SELECT count(*) FROM ship_batch_rows WHERE state <> 'shipped'`); n != 0 {
		t.Errorf("%d rows of the file are not shipped", n)
	}
	checkAuditComplete(t, store, sb, shipIDs)
	if n := sb.Calls("/cgi-bin/stable_token"); n != 1 {
		t.Errorf("the two servers fetched the access token %d times, want once", n)
	}
	// B, alive, still serves the browser signed in on A.
	if resp, err := client.Get(baseB + batch); err != nil || resp.StatusCode != http.StatusOK {
		t.Errorf("B's page of the file: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}
	b.stop(t)
}
