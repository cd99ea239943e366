package app

import (
	"context"
	"strings"
	"time"

	"wxshop/internal/db"
)

// sharedThrottle is the sign-in throttle of servers sharing a PostgreSQL database: the same counts as
// memoryThrottle, kept in the database (db.ReserveLoginAttempt), so that attempts spread over the servers behind
// a load balancer add up.
type sharedThrottle struct {
	store *db.Store
	now   func() time.Time
}

// newLoginThrottle is the throttle for store: in the database when servers may share it, else in memory.
func newLoginThrottle(store *db.Store, now func() time.Time) loginThrottle {
	if store.Dialect() == db.Postgres {
		return &sharedThrottle{store: store, now: now}
	}
	return newMemoryThrottle(now)
}

// sharedKey is a throttle key as the database keeps it: PostgreSQL's text cannot hold pairKey's NUL.
func sharedKey(key string) string { return strings.ReplaceAll(key, "\x00", "\n") }

func (t *sharedThrottle) keys(username, addr string) []string {
	return []string{sharedKey(pairKey(username, addr)), sharedKey(userKey(username)), sharedKey(addrKey(addr))}
}

func (t *sharedThrottle) reserve(ctx context.Context, username, addr string) (attempt, error) {
	now := t.now()
	err := t.store.ReserveLoginAttempt(ctx, t.keys(username, addr), now.Add(-throttleWindow), now, func(seen map[string][]time.Time) error {
		if refused := judgeAttempt(username, addr, now, func(key string) []time.Time { return seen[sharedKey(key)] }); refused != nil {
			return refused
		}
		return nil
	})
	if err != nil {
		return attempt{}, err
	}
	return attempt{username: username, addr: addr, at: now}, nil
}

func (t *sharedThrottle) release(ctx context.Context, a attempt, succeeded bool) error {
	var forget []string
	if succeeded {
		forget = []string{sharedKey(pairKey(a.username, a.addr))}
	}
	return t.store.ReleaseLoginAttempt(ctx, t.keys(a.username, a.addr), a.at, forget)
}
