package app

import (
	"testing"
	"time"

	"wxshop/internal/wx/sandbox"
)

func syncEvery(d time.Duration) orderTweak {
	return func(_ *sandbox.Server, cfg *Config, _ *Options) { cfg.SyncEvery = d }
}

// waitFor polls cond for up to 5 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("after 5 s, still not: %s", what)
}

// A new order whose push never arrived shows up by itself at the next scheduled sync.
func TestScheduledSyncBringsANewOrder(t *testing.T) {
	s := newOrderServer(t, sandbox.Options{}, syncEvery(100*time.Millisecond))
	<-s.app.Start(t.Context())
	id := s.sandbox.NewPaidOrder(sandbox.SourceMerchant)
	waitFor(t, "the new order is in the mirror", func() bool {
		_, err := s.store.OrderBySourceID(t.Context(), sandbox.SourceMerchant, "", id)
		return err == nil
	})
	if s.app.scheduledRuns.Load() == 0 {
		t.Error("the order came without a scheduled sync")
	}
}

// Without SYNC_EVERY set by the test nothing is synced on a schedule.
func TestNoScheduledSyncUnlessAsked(t *testing.T) {
	s := newOrderServer(t, sandbox.Options{})
	<-s.app.Start(t.Context())
	calls := s.sandbox.Calls(pathMerchantFilter)
	time.Sleep(300 * time.Millisecond)
	if n := s.sandbox.Calls(pathMerchantFilter); n != calls || s.app.scheduledRuns.Load() != 0 {
		t.Errorf("the orders were listed %d more times with no scheduled sync", n-calls)
	}
}

// Close returns at once while a tick's sync waits on WeChat.
func TestCloseStopsTheScheduledSync(t *testing.T) {
	s := newOrderServer(t, sandbox.Options{}, syncEvery(50*time.Millisecond))
	<-s.app.Start(t.Context())
	s.sandbox.SetLatency(time.Minute)
	waitFor(t, "a scheduled sync is under way", func() bool { return s.app.scheduledRuns.Load() > 0 })
	start := time.Now()
	s.app.Close()
	if took := time.Since(start); took > time.Second {
		t.Errorf("Close took %v while a scheduled sync was waiting on WeChat", took)
	}
	s.sandbox.SetLatency(0)
}

// Two servers on one PostgreSQL database: one of them runs the scheduled sync, each tick listing the orders once.
func TestInstancesRunTheScheduledSyncOnce(t *testing.T) {
	onlyPostgres(t, func(t *testing.T) {
		a := newOrderServer(t, sandbox.Options{}, syncEvery(50*time.Millisecond))
		b := a.secondServer(t)
		doneA, doneB := a.app.Start(t.Context()), b.app.Start(t.Context())
		<-doneA
		<-doneB
		calls := a.sandbox.Calls(pathMerchantFilter)
		runsA, runsB := a.app.scheduledRuns.Load(), b.app.scheduledRuns.Load()
		waitFor(t, "five scheduled syncs", func() bool {
			return a.app.scheduledRuns.Load()+b.app.scheduledRuns.Load()-runsA-runsB >= 5
		})
		a.app.Close()
		b.app.Close()
		ranA, ranB := a.app.scheduledRuns.Load()-runsA, b.app.scheduledRuns.Load()-runsB
		if ranA > 0 && ranB > 0 {
			t.Errorf("both servers ran the scheduled sync: A %d times, B %d times", ranA, ranB)
		}
		// Once each, from the watermark: a tick counted as the counts were read, or stopped by Close before its
		// call, may make one call more or less.
		if listed := int64(a.sandbox.Calls(pathMerchantFilter) - calls); listed < ranA+ranB-1 || listed > ranA+ranB+1 {
			t.Errorf("%d scheduled syncs listed the merchant orders %d times, want once each", ranA+ranB, listed)
		}
	})
}

// After-sales belong to the Channels orders, not to the catalog's kind: the scheduled sync of an account
// whose Channels order calls answer 48001 syncs its other orders and never asks for after-sales; an account
// with Channels orders asks at every tick, whichever catalog (V1.13 or 微信小店) it has.
func TestScheduledSyncSkipsAftersalesWithoutChannels(t *testing.T) {
	for _, tc := range []struct {
		name          string
		opts          sandbox.Options
		wantAftersale bool
	}{
		{"no channels", sandbox.Options{Kind: sandbox.KindStore, OrderSources: map[string]bool{sandbox.SourceChannels: false}}, false},
		{"merchant with channels", sandbox.Options{Kind: sandbox.KindMerchant}, true},
		{"store", sandbox.Options{Kind: sandbox.KindStore}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newOrderServer(t, tc.opts, syncEvery(50*time.Millisecond))
			<-s.app.Start(t.Context()) // the start-up work is done: the first order sync has run
			runs, lists, orders := s.app.scheduledRuns.Load(), s.sandbox.Calls(pathAftersales), s.sandbox.Calls(pathMerchantFilter)
			waitFor(t, "three more scheduled syncs", func() bool { return s.app.scheduledRuns.Load() >= runs+3 })
			if n := s.sandbox.Calls(pathMerchantFilter); n <= orders {
				t.Errorf("the scheduled syncs listed no orders (%d calls)", n-orders)
			}
			if n := s.sandbox.Calls(pathAftersales) - lists; (n > 0) != tc.wantAftersale {
				t.Errorf("%s: the scheduled syncs listed after-sales %d times", tc.name, n)
			}
		})
	}
}

// At start, an account without Channels orders (found out by the first order sync) is never asked for
// after-sales; one with them has its mirror filled at once, whichever catalog it has.
func TestFirstAftersaleSyncSkipsAccountsWithoutChannels(t *testing.T) {
	for _, tc := range []struct {
		name          string
		opts          sandbox.Options
		wantAftersale bool
	}{
		{"no channels", sandbox.Options{Kind: sandbox.KindStore, OrderSources: map[string]bool{sandbox.SourceChannels: false}}, false},
		{"merchant with channels", sandbox.Options{Kind: sandbox.KindMerchant}, true},
		{"store", sandbox.Options{Kind: sandbox.KindStore}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newOrderServer(t, tc.opts)
			<-s.app.Start(t.Context())
			if n := s.sandbox.Calls(pathAftersales); (n > 0) != tc.wantAftersale {
				t.Errorf("%s: the start-up work listed after-sales %d times", tc.name, n)
			}
			if synced := !s.app.aftersales.SyncedAt(t.Context()).IsZero(); synced != tc.wantAftersale {
				t.Errorf("%s: after-sales marked synced = %v", tc.name, synced)
			}
		})
	}
}
