package app

import (
	"reflect"
	"sync"
	"time"

	"github.com/alexedwards/scs/v2"
)

// quietStore stands between scs and the session table. With an idle timeout, scs writes the session back on
// every request, only to push its idle deadline forward: a write transaction per page view, each waiting its
// turn behind every other writer (a running order sync, the other page views). quietStore skips a write that
// would change nothing but that deadline, as long as the deadline it last wrote for the session is less than
// touchEvery behind the new one. A session thus idles out at most touchEvery early, never late. Anything
// else (a sign-in, a flash message, a language switch) is written at once.
type quietStore struct {
	scs.Store
	codec      scs.Codec
	touchEvery time.Duration
	now        func() time.Time

	mu   sync.Mutex
	last map[string]writtenSession // by token: what this process last wrote
}

type writtenSession struct {
	deadline time.Time
	values   map[string]any
	expiry   time.Time
	at       time.Time
}

func newQuietStore(store scs.Store, codec scs.Codec, touchEvery time.Duration) *quietStore {
	return &quietStore{Store: store, codec: codec, touchEvery: touchEvery, now: time.Now, last: map[string]writtenSession{}}
}

// Commit writes the session unless only its idle deadline moved, and that by less than touchEvery.
func (s *quietStore) Commit(token string, b []byte, expiry time.Time) error {
	// The encoding of a map is in no particular order: the values are compared, not the bytes.
	deadline, values, derr := s.codec.Decode(b)
	if derr == nil {
		s.mu.Lock()
		w, ok := s.last[token]
		s.mu.Unlock()
		if ok && !expiry.Before(w.expiry) && expiry.Sub(w.expiry) < s.touchEvery &&
			deadline.Equal(w.deadline) && reflect.DeepEqual(values, w.values) {
			return nil
		}
	}
	if err := s.Store.Commit(token, b, expiry); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if derr == nil {
		s.last[token] = writtenSession{deadline: deadline, values: values, expiry: expiry, at: now}
	} else {
		delete(s.last, token)
	}
	if len(s.last) > 1024 { // forget the sessions no longer seen: their next write happens anyway
		for t, w := range s.last {
			if now.Sub(w.at) >= s.touchEvery {
				delete(s.last, t)
			}
		}
	}
	return nil
}

// Delete removes the session, and what was remembered of it.
func (s *quietStore) Delete(token string) error {
	s.mu.Lock()
	delete(s.last, token)
	s.mu.Unlock()
	return s.Store.Delete(token)
}
