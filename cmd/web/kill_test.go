package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"wxshop/internal/db"
	"wxshop/internal/wx/sandbox"
)

// The server killed (SIGKILL, no chance to tidy up) while it writes: the order sync, a bulk-shipping file
// going out row by row, users being added. The database must open whole afterwards (WAL), hold nothing
// without its audit entry, and a restart must finish the file without shipping anything twice.

func TestKilledMidWriteLeavesTheDatabaseWholeAndTheAuditComplete(t *testing.T) {
	webBinary(t)
	sb := sandbox.New(sandbox.Options{Seed: 11, Orders: 2000, Latency: 10 * time.Millisecond})
	const toShip = 150
	var shipIDs []string
	for range toShip {
		shipIDs = append(shipIDs, sb.NewPaidOrder(sandbox.SourceMerchant))
	}
	wechat := httptest.NewServer(sb)
	defer wechat.Close()

	dataDir := t.TempDir()
	addr := freeAddr(t)
	base := "http://" + addr
	const password = "kill test password"
	env := minimalEnv("DATA_DIR="+dataDir, "ADDR="+addr, "ADMIN_PASSWORD="+password,
		"WX_API_BASE="+wechat.URL, "WX_APPID="+sb.AppID(), "WX_SECRET="+sb.Secret())

	// First run: wait for the first order sync, then write from three sides and kill the server part way.
	p := start(t, env)
	waitHealthy(t, p, base)
	waitLog(t, p, "first order sync", 4, time.Minute)
	client := newClient(t)
	if resp := login(t, client, base, "admin", password); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in: %d", resp.StatusCode)
	}
	var csv strings.Builder
	csv.WriteString("order_id,delivery_company,delivery_track_no\n")
	for i, id := range shipIDs {
		fmt.Fprintf(&csv, "%s,中通速递,ZT%08d\n", id, i)
	}
	batch := uploadShipFile(t, client, base, csv.String())
	if resp := post(t, client, base+batch+"/run", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirming the file: %d", resp.StatusCode)
	}

	ctx, stopWriters := context.WithCancel(t.Context())
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { // an admin adds users, one after another
		defer wg.Done()
		for i := 0; ctx.Err() == nil; i++ {
			postQuietly(ctx, client, base+"/users", url.Values{"username": {fmt.Sprintf("packer%03d", i)},
				"password": {"a long password 1"}, "role": {"operator"}})
		}
	}()
	go func() { // someone keeps pressing 同步订单
		defer wg.Done()
		for ctx.Err() == nil {
			sb.NewPaidOrder(sandbox.SourceChannels)
			postQuietly(ctx, client, base+"/orders/sync", url.Values{"back": {"/orders"}})
		}
	}()
	time.Sleep(time.Duration(500+rand.IntN(1500)) * time.Millisecond)
	if err := p.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-p.done
	stopWriters()
	wg.Wait()

	// The database as the killed process left it: whole, and nothing in it without its audit entry.
	store, err := db.Open(t.Context(), dataDir+"/wxshop.db")
	if err != nil {
		t.Fatalf("the database does not open after the kill: %v", err)
	}
	checkWhole(t, store)
	checkAuditComplete(t, store, sb, shipIDs)
	shippedBefore := shippedCount(sb, shipIDs)
	t.Logf("killed with %d of %d orders of the file shipped", shippedBefore, toShip)
	store.Close()
	if shippedBefore == toShip {
		t.Logf("the file was shipped entirely before the kill; the restart has nothing to resume")
	}

	// Second run: the file goes on where it stopped, and every order leaves exactly once.
	p2 := start(t, env)
	waitHealthy(t, p2, base)
	deadline := time.Now().Add(90 * time.Second)
	for shippedCount(sb, shipIDs) < toShip && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	for i, id := range shipIDs {
		o, _ := sb.Order(sandbox.SourceMerchant, id)
		if len(o.Parcels) != 1 || o.Parcels[0].TrackingNo != fmt.Sprintf("ZT%08d", i) {
			t.Errorf("order %s: WeChat holds %d parcels %+v after the restart, want exactly one", id, len(o.Parcels), o.Parcels)
		}
	}
	waitBatchDone(t, dataDir, 30*time.Second)
	p2.stop(t)
	store, err = db.Open(t.Context(), dataDir+"/wxshop.db")
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	checkWhole(t, store)
	checkAuditComplete(t, store, sb, shipIDs)
}

// waitLog waits until the process has logged line n times.
func waitLog(t *testing.T, p *process, line string, n int, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for strings.Count(p.stderr.String(), line) < n {
		if time.Now().After(deadline) {
			t.Fatalf("%q was not logged %d times within %s; stderr:\n%s", line, n, within, p.stderr)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func post(t *testing.T, client *http.Client, u string, form url.Values) *http.Response {
	t.Helper()
	resp, err := client.PostForm(u, form)
	if err != nil {
		t.Fatalf("POST %s: %v", u, err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

// postQuietly posts and ignores the outcome: the server may be gone at any moment.
func postQuietly(ctx context.Context, client *http.Client, u string, form url.Values) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, strings.NewReader(form.Encode()))
	if err != nil {
		return
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if resp, err := client.Do(req); err == nil {
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	} else {
		time.Sleep(20 * time.Millisecond)
	}
}

// uploadShipFile sends a bulk-shipping CSV and returns the path of its preview.
func uploadShipFile(t *testing.T, client *http.Client, base, csv string) string {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "发货单.csv")
	fw.Write([]byte(csv))
	mw.Close()
	resp, err := client.Post(base+"/orders/bulk-ship", mw.FormDataContentType(), &body)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("uploading the shipping file: %d", resp.StatusCode)
	}
	return resp.Header.Get("Location")
}

func shippedCount(sb *sandbox.Server, ids []string) int {
	n := 0
	for _, id := range ids {
		if o, _ := sb.Order(sandbox.SourceMerchant, id); len(o.Parcels) > 0 {
			n++
		}
	}
	return n
}

// checkWhole runs SQLite's own checks and the app's derived tables against what they derive from.
func checkWhole(t *testing.T, store *db.Store) {
	t.Helper()
	ctx := t.Context()
	var result string
	if err := store.DB.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&result); err != nil || result != "ok" {
		t.Errorf("integrity_check: %q %v", result, err)
	}
	rows, err := store.DB.QueryContext(ctx, `PRAGMA foreign_key_check`)
	if err != nil {
		t.Fatal(err)
	}
	if rows.Next() {
		t.Error("foreign_key_check finds rows whose parent is missing")
	}
	rows.Close()
	if _, err := store.DB.ExecContext(ctx, `INSERT INTO order_search (order_search) VALUES ('integrity-check')`); err != nil {
		t.Errorf("the search index is damaged: %v", err)
	}
	var wrong int
	if err := store.DB.QueryRowContext(ctx, `
		SELECT count(*) FROM (
			SELECT source, status, count(*) AS n FROM orders GROUP BY source, status
		) AS real FULL JOIN (SELECT source, status, n FROM order_counts WHERE n <> 0) AS kept USING (source, status)
		WHERE real.n IS NOT kept.n`).Scan(&wrong); err != nil {
		t.Fatal(err)
	}
	if wrong != 0 {
		t.Errorf("the kept order counts differ from the orders in %d (source, status) pairs", wrong)
	}
	var indexed, orders, stale int
	store.DB.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM order_search), (SELECT count(*) FROM orders), (SELECT count(*) FROM order_search_stale)`).
		Scan(&indexed, &orders, &stale)
	if indexed != orders || stale != 0 {
		t.Errorf("%d orders, %d in the search index, %d waiting to be indexed", orders, indexed, stale)
	}
}

// checkAuditComplete checks that what was committed has its entry: each user added, and each order WeChat
// shipped from the file, has an audit entry, finished or left pending by the kill.
func checkAuditComplete(t *testing.T, store *db.Store, sb *sandbox.Server, shipIDs []string) {
	t.Helper()
	ctx := t.Context()
	count := func(q string, args ...any) int {
		var n int
		if err := store.DB.QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	users := count(`SELECT count(*) FROM users WHERE username LIKE 'packer%'`)
	logged := count(`SELECT count(*) FROM audit_log WHERE action = 'user.create' AND object_id LIKE 'packer%'`)
	pending := count(`SELECT count(*) FROM audit_log WHERE outcome = ? AND object_id = 'POST /users'`, db.AuditPending)
	if users > logged+pending || logged > users {
		t.Errorf("%d users added, %d audited as added and %d requests to add one left pending", users, logged, pending)
	}
	for _, id := range shipIDs {
		o, _ := sb.Order(sandbox.SourceMerchant, id)
		if len(o.Parcels) == 0 {
			continue
		}
		if n := count(`SELECT count(*) FROM audit_log WHERE action = 'order.ship' AND object_id = ?`, "merchant:"+id); n == 0 {
			t.Errorf("WeChat shipped order %s, and the audit log does not say so", id)
		}
	}
}

// waitBatchDone waits until no shipping file is left running.
func waitBatchDone(t *testing.T, dataDir string, within time.Duration) {
	t.Helper()
	store, err := db.Open(t.Context(), dataDir+"/wxshop.db")
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	deadline := time.Now().Add(within)
	for {
		ids, err := store.RunningShipBatches(t.Context())
		if err == nil && len(ids) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("shipping files %v still running after %s (%v)", ids, within, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
