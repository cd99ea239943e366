package app

import (
	"bytes"
	"context"
	"maps"
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
//
// With readsFrom, it also answers Find from memory while the database is unchanged (db.Store.DataVersion): a
// page view then reads its session without a query. Any commit to the database, by anyone, makes the next Find
// read the row again, so a session signed out or deleted elsewhere is gone at once.
type quietStore struct {
	scs.Store
	codec      scs.Codec
	touchEvery time.Duration
	now        func() time.Time

	find    sessionFinder                        // reads scs's table "sessions", for Find; nil: the Store's Find
	version func(context.Context) (int64, error) // the database's data version

	mu    sync.Mutex
	last  map[string]writtenSession // by token: what this process last wrote
	found map[string]foundSession   // by token: the row as last read
}

type writtenSession struct {
	b        []byte
	deadline time.Time
	values   map[string]any
	expiry   time.Time
	at       time.Time
}

// foundSession is a session row as read under a data version.
type foundSession struct {
	version int64
	data    []byte
	expiry  time.Time
}

// maxFoundSessions bounds the rows kept: past it, they are all forgotten (and read again when asked for).
const maxFoundSessions = 4096

func newQuietStore(store scs.Store, codec scs.Codec, touchEvery time.Duration) *quietStore {
	return &quietStore{Store: store, codec: codec, touchEvery: touchEvery, now: time.Now, last: map[string]writtenSession{},
		found: map[string]foundSession{}}
}

// sessionFinder reads a session's row: its data and expiry (db.Store.FindSession).
type sessionFinder func(ctx context.Context, token string) (data []byte, expiry time.Time, found bool, err error)

// readsFrom makes Find read scs's sessions table through find and keep what it read while version stays the same.
func (s *quietStore) readsFrom(find sessionFinder, version func(context.Context) (int64, error)) *quietStore {
	s.find, s.version = find, version
	return s
}

// Find is FindCtx without a request.
func (s *quietStore) Find(token string) ([]byte, bool, error) {
	return s.FindCtx(context.Background(), token)
}

// FindCtx returns the session's data unless it has expired, as scs's sqlite3store does, from memory when the
// database has not changed since the row was read.
func (s *quietStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	if s.find == nil {
		return s.Store.Find(token)
	}
	v, verr := s.version(ctx)
	if verr == nil {
		s.mu.Lock()
		f, ok := s.found[token]
		s.mu.Unlock()
		if ok && f.version == v {
			if !s.now().Before(f.expiry) {
				return nil, false, nil
			}
			return f.data, true, nil
		}
	}
	data, expiry, found, err := s.find(ctx, token)
	if err != nil {
		return nil, false, err
	} else if !found {
		return nil, false, nil // not kept: made-up tokens must not fill the memory
	}
	if verr == nil {
		s.mu.Lock()
		if len(s.found) >= maxFoundSessions {
			clear(s.found)
		}
		s.found[token] = foundSession{version: v, data: data, expiry: expiry}
		s.mu.Unlock()
	}
	if !s.now().Before(expiry) {
		return nil, false, nil
	}
	return data, true, nil
}

// Commit writes the session unless only its idle deadline moved, and that by less than touchEvery.
func (s *quietStore) Commit(token string, b []byte, expiry time.Time) error {
	s.mu.Lock()
	w, ok := s.last[token]
	s.mu.Unlock()
	touch := ok && !expiry.Before(w.expiry) && expiry.Sub(w.expiry) < s.touchEvery
	if touch && bytes.Equal(b, w.b) {
		return nil // the same bytes: nothing to decode
	}
	// The encoding of a map is in no particular order: the values are compared, not the bytes.
	deadline, values, derr := s.codec.Decode(b)
	if derr == nil && touch && deadline.Equal(w.deadline) && reflect.DeepEqual(values, w.values) {
		return nil
	}
	if err := s.Store.Commit(token, b, expiry); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if derr == nil {
		s.last[token] = writtenSession{b: b, deadline: deadline, values: values, expiry: expiry, at: now}
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
	delete(s.found, token)
	s.mu.Unlock()
	return s.Store.Delete(token)
}

// decodeCache remembers what session bytes decode to. scs decodes the session on every request, and gob builds
// its decoder anew each time: a fifth of the CPU of a kept page. The same bytes always decode to the same
// values, so whose session they are does not matter; each caller gets its own copy of the map, which scs
// changes in place. Sessions holding anything but plain values (strings, numbers, booleans, times) are not
// kept, as a copy of the map would share them.
type decodeCache struct {
	scs.Codec

	mu      sync.Mutex
	decoded map[string]decodedSession
}

type decodedSession struct {
	deadline time.Time
	values   map[string]any
}

// maxDecodedSessions bounds the memory: past it, every entry is forgotten.
const maxDecodedSessions = 4096

func newDecodeCache(codec scs.Codec) *decodeCache {
	return &decodeCache{Codec: codec, decoded: map[string]decodedSession{}}
}

func (c *decodeCache) Decode(b []byte) (time.Time, map[string]any, error) {
	c.mu.Lock()
	d, ok := c.decoded[string(b)]
	c.mu.Unlock()
	if ok {
		return d.deadline, maps.Clone(d.values), nil
	}
	deadline, values, err := c.Codec.Decode(b)
	if err != nil || !plainValues(values) {
		return deadline, values, err
	}
	c.mu.Lock()
	if len(c.decoded) >= maxDecodedSessions {
		clear(c.decoded)
	}
	c.decoded[string(b)] = decodedSession{deadline: deadline, values: maps.Clone(values)}
	c.mu.Unlock()
	return deadline, values, nil
}

// plainValues reports whether every value is one that a copy of the map does not share.
func plainValues(values map[string]any) bool {
	for _, v := range values {
		switch v.(type) {
		case string, bool, int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64, float32, float64, time.Time:
		default:
			return false
		}
	}
	return true
}
