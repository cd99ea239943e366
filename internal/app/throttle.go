package app

import (
	"strings"
	"sync"
	"time"
)

// Login throttling: after too many failures in a window, further attempts for that username, or from that
// address, are refused until the window has passed. The address limit is higher because an office shares one.
const (
	throttleWindow     = 15 * time.Minute
	maxFailuresPerUser = 5
	maxFailuresPerAddr = 20
)

type loginThrottle struct {
	mu       sync.Mutex
	now      func() time.Time
	failures map[string][]time.Time // "u:name" or "a:address" -> failure times within the window
}

func newLoginThrottle(now func() time.Time) *loginThrottle {
	return &loginThrottle{now: now, failures: map[string][]time.Time{}}
}

func userKey(username string) string { return "u:" + strings.ToLower(strings.TrimSpace(username)) }
func addrKey(addr string) string     { return "a:" + addr }

// blocked reports whether an attempt must be refused, and for how long.
func (t *loginThrottle) blocked(username, addr string) (time.Duration, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	var wait time.Duration
	for _, k := range []struct {
		key   string
		limit int
	}{{userKey(username), maxFailuresPerUser}, {addrKey(addr), maxFailuresPerAddr}} {
		recent := t.recent(k.key)
		if len(recent) >= k.limit {
			if w := recent[len(recent)-k.limit].Add(throttleWindow).Sub(t.now()); w > wait {
				wait = w
			}
		}
	}
	return wait, wait > 0
}

// failed records a failed attempt.
func (t *loginThrottle) failed(username, addr string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	for _, k := range []string{userKey(username), addrKey(addr)} {
		t.failures[k] = append(t.recent(k), now)
	}
	// Keep the map from growing without bound under a spray of usernames.
	if len(t.failures) > 10000 {
		for k := range t.failures {
			if len(t.recent(k)) == 0 {
				delete(t.failures, k)
			}
		}
	}
}

// succeeded forgets the user's failures (not the address's: one good password does not clear a spray).
func (t *loginThrottle) succeeded(username string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.failures, userKey(username))
}

func (t *loginThrottle) recent(key string) []time.Time {
	cutoff := t.now().Add(-throttleWindow)
	times := t.failures[key]
	i := 0
	for i < len(times) && !times[i].After(cutoff) {
		i++
	}
	times = times[i:]
	if len(times) == 0 {
		delete(t.failures, key)
		return nil
	}
	t.failures[key] = times
	return times
}
