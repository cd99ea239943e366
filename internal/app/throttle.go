package app

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"
)

// Sign-in throttling. Every attempt is counted as a failure before its password is checked (reserve) and given
// back once the password proved right (release), so attempts sent in parallel cannot all pass the check before
// any of them is counted. Three counts, each over a sliding window:
//   - one username from one address: after maxFailuresPerPair failures that pair is refused until the window
//     has passed;
//   - one address: after maxFailuresPerAddr (higher: an office shares one address) the address is refused;
//   - one username from anywhere: after slowAfterFailures, each further attempt must come a delay after the
//     previous one, the delay doubling up to maxSlowDelay. Someone elsewhere can slow the owner down, never
//     lock them out.
const (
	throttleWindow     = 15 * time.Minute
	maxFailuresPerPair = 5
	maxFailuresPerAddr = 20
	slowAfterFailures  = 5
	maxSlowDelay       = time.Minute
)

// loginThrottle decides whether a sign-in attempt (or a password typed to change it) may be evaluated.
// memoryThrottle keeps its counts in this process; several instances behind one address need a shared
// implementation (in the database) in its place.
type loginThrottle interface {
	// reserve counts an attempt by username from addr as failed, before its password is checked. An attempt
	// that must not be evaluated is counted nowhere and answered with a *throttledError.
	reserve(ctx context.Context, username, addr string) (attempt, error)
	// release gives back a reserved attempt that did not fail: the password was right (succeeded: the failures
	// of that username from that address are forgotten too), or it could not be checked.
	release(ctx context.Context, a attempt, succeeded bool) error
}

// attempt is a reserved sign-in attempt.
type attempt struct {
	username, addr string
	at             time.Time
}

// throttledError says how long to wait before trying again: minutes when the username or the address is locked
// out from that address, seconds when the username's attempts are being slowed down.
type throttledError struct {
	wait   time.Duration
	locked bool
}

func (e *throttledError) Error() string {
	return fmt.Sprintf("app: sign-in attempts throttled for %v (locked %v)", e.wait, e.locked)
}

// slowDelay is how long after the previous attempt the n-th attempt past slowAfterFailures must come.
func slowDelay(n int) time.Duration {
	if n > 7 {
		return maxSlowDelay
	}
	return min(time.Second<<(n-1), maxSlowDelay)
}

type memoryThrottle struct {
	mu       sync.Mutex
	now      func() time.Time
	attempts map[string][]time.Time // pairKey, userKey or addrKey -> failed (or reserved) attempts in the window
}

func newMemoryThrottle(now func() time.Time) *memoryThrottle {
	return &memoryThrottle{now: now, attempts: map[string][]time.Time{}}
}

func normUsername(username string) string { return strings.ToLower(strings.TrimSpace(username)) }
func userKey(username string) string      { return "u:" + normUsername(username) }
func addrKey(addr string) string          { return "a:" + addr }
func pairKey(username, addr string) string {
	return "p:" + normUsername(username) + "\x00" + addr
}

func (t *memoryThrottle) reserve(_ context.Context, username, addr string) (attempt, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	if refused := judgeAttempt(username, addr, now, func(key string) []time.Time { return t.recent(key, now) }); refused != nil {
		return attempt{}, refused
	}
	for _, k := range []string{pairKey(username, addr), userKey(username), addrKey(addr)} {
		t.attempts[k] = append(t.attempts[k], now)
	}
	// Keep the map from growing without bound under a spray of usernames.
	if len(t.attempts) > 30000 {
		for k := range t.attempts {
			t.recent(k, now)
		}
	}
	return attempt{username: username, addr: addr, at: now}, nil
}

func (t *memoryThrottle) release(_ context.Context, a attempt, succeeded bool) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, k := range []string{pairKey(a.username, a.addr), userKey(a.username), addrKey(a.addr)} {
		times := t.attempts[k]
		for i := len(times) - 1; i >= 0; i-- {
			if times[i].Equal(a.at) {
				t.attempts[k] = append(times[:i:i], times[i+1:]...)
				break
			}
		}
		if len(t.attempts[k]) == 0 {
			delete(t.attempts, k)
		}
	}
	if succeeded {
		delete(t.attempts, pairKey(a.username, a.addr))
	}
	return nil
}

// judgeAttempt decides whether an attempt by username from addr at now may be evaluated, given recent: the
// attempts counted under a key (pairKey, addrKey, userKey) within the window, oldest first. nil: it may.
func judgeAttempt(username, addr string, now time.Time, recent func(key string) []time.Time) *throttledError {
	refused := &throttledError{}
	for _, k := range []struct {
		key   string
		limit int
	}{{pairKey(username, addr), maxFailuresPerPair}, {addrKey(addr), maxFailuresPerAddr}} {
		recent := recent(k.key)
		if len(recent) >= k.limit {
			if w := recent[len(recent)-k.limit].Add(throttleWindow).Sub(now); w > refused.wait {
				refused.wait, refused.locked = w, true
			}
		}
	}
	if !refused.locked {
		if recent := recent(userKey(username)); len(recent) >= slowAfterFailures {
			refused.wait = recent[len(recent)-1].Add(slowDelay(len(recent) - slowAfterFailures + 1)).Sub(now)
		}
	}
	if refused.wait > 0 {
		return refused
	}
	return nil
}

// recent drops what has left the window and returns the rest.
func (t *memoryThrottle) recent(key string, now time.Time) []time.Time {
	cutoff := now.Add(-throttleWindow)
	times := t.attempts[key]
	i := 0
	for i < len(times) && !times[i].After(cutoff) {
		i++
	}
	times = times[i:]
	if len(times) == 0 {
		delete(t.attempts, key)
		return nil
	}
	t.attempts[key] = times
	return times
}
