package app

import (
	"context"
	"strconv"
	"sync"
	"time"

	"wxshop/internal/db"
)

// What a push must be besides signed. The signature covers the timestamp and the nonce, but not the body in
// plain mode: a signed query seen once (a proxy's log, a shared screenshot) would otherwise work forever, with any
// body. So a push whose timestamp is more than pushWindow from now is refused, each (nonce, timestamp) is taken
// once, whichever process it reaches (the claim is in the database), and one address may send at most
// pushesPerMinute pushes a minute, signed or not, since each may cost up to three WeChat calls.
const (
	pushWindow      = 5 * time.Minute
	pushesPerMinute = 120
)

// pushTimestamp reads a push's timestamp and says whether it is within pushWindow of now.
func pushTimestamp(raw string, now time.Time) (int64, bool) {
	ts, err := strconv.ParseInt(raw, 10, 64)
	if err != nil {
		return 0, false
	}
	d := now.Sub(time.Unix(ts, 0))
	return ts, d <= pushWindow && d >= -pushWindow
}

// claimPush takes a signed push's nonce; false when it was taken before (a replay, or WeChat repeating a push
// that was answered). release gives it back when the push could not be handled, so WeChat's repeat is taken.
func (a *App) claimPush(ctx context.Context, nonce string, ts int64) (fresh bool, release func(), err error) {
	fresh, err = a.store.ClaimPushNonce(ctx, nonce, ts, time.Now().Add(-2*pushWindow))
	release = func() {
		if err := a.store.ReleasePushNonce(context.WithoutCancel(ctx), nonce, ts); err != nil {
			a.log.Warn("callback: could not release a push's nonce; WeChat's repeat will be ignored", "err", err)
		}
	}
	return fresh, release, err
}

// rateLimiter allows each key (an address) limit events per period, counted in fixed periods. With shared set
// (servers sharing PostgreSQL) the count is the database's, so pushes spread over the servers add up; the count
// in memory stands in while the database does not answer.
type rateLimiter struct {
	mu     sync.Mutex
	now    func() time.Time
	limit  int
	period time.Duration
	counts map[string]rateCount
	shared func(ctx context.Context, key string, now time.Time, period time.Duration) (int, error)
}

type rateCount struct {
	start time.Time
	n     int
}

func newRateLimiter(limit int, period time.Duration, now func() time.Time) *rateLimiter {
	return &rateLimiter{now: now, limit: limit, period: period, counts: map[string]rateCount{}}
}

// newPushRate is the push limit of a server on store: counted in the database on PostgreSQL.
func newPushRate(store *db.Store, now func() time.Time) *rateLimiter {
	r := newRateLimiter(pushesPerMinute, time.Minute, now)
	if store.Dialect() == db.Postgres {
		r.shared = store.CountPush
	}
	return r
}

// allow counts an event for key and reports whether it is within the limit.
func (r *rateLimiter) allow(ctx context.Context, key string) bool {
	if r.shared != nil {
		if n, err := r.shared(ctx, key, r.now(), r.period); err == nil {
			return n <= r.limit
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	now := r.now()
	c := r.counts[key]
	if now.Sub(c.start) >= r.period {
		c = rateCount{start: now}
	}
	c.n++
	r.counts[key] = c
	if len(r.counts) > 10000 { // a spray of addresses: forget the finished periods
		for k, v := range r.counts {
			if now.Sub(v.start) >= r.period {
				delete(r.counts, k)
			}
		}
	}
	return c.n <= r.limit
}
