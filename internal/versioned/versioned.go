// Package versioned keeps what was read from the database while the database's data version (db.Store's
// DataVersion: any commit, by any process, changes it) stays the one it was read under.
//
// A request reads the version once (WithRequest, then Read): the session, the signed-in user and the page are
// then all checked against the same version, so none of them is newer than another. Memo keeps what an expensive
// read gave under a key that names what it was read under (the dashboard's figures: the orders' revision).
package versioned

import (
	"context"
	"sync"
	"time"
)

// Map holds values read under one data version. Asked under another, it has nothing; given a value under
// another, it forgets the old ones. Past its size it forgets everything (and the values are read again).
type Map[K comparable, V any] struct {
	max int

	mu      sync.Mutex
	version int64
	values  map[K]V
}

// NewMap makes a map of at most max values.
func NewMap[K comparable, V any](max int) *Map[K, V] {
	return &Map[K, V]{max: max, values: map[K]V{}}
}

// Get returns the value kept for k if it was read under version.
func (m *Map[K, V]) Get(version int64, k K) (V, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	v, ok := m.values[k]
	if !ok || m.version != version {
		var zero V
		return zero, false
	}
	return v, true
}

// Put keeps v for k, read under version.
func (m *Map[K, V]) Put(version int64, k K, v V) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.version != version || len(m.values) >= m.max {
		m.version, m.values = version, map[K]V{}
	}
	m.values[k] = v
}

// Delete forgets k.
func (m *Map[K, V]) Delete(k K) {
	m.mu.Lock()
	delete(m.values, k)
	m.mu.Unlock()
}

// Len is how many values are kept, of any version.
func (m *Map[K, V]) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.values)
}

type requestVersion struct {
	v    int64
	read bool
}

type requestKey struct{}

// WithRequest gives a request's context a place for the version it reads first.
func WithRequest(ctx context.Context) context.Context {
	return context.WithValue(ctx, requestKey{}, new(requestVersion))
}

// Read returns the version ctx's request read first, reading it with read if it has not yet. Outside a
// request (no WithRequest), it reads every time. A failed read is not remembered.
func Read(ctx context.Context, read func(context.Context) (int64, error)) (int64, error) {
	h, _ := ctx.Value(requestKey{}).(*requestVersion)
	if h != nil && h.read {
		return h.v, nil
	}
	v, err := read(ctx)
	if err != nil {
		return 0, err
	}
	if h != nil {
		h.v, h.read = v, true
	}
	return v, nil
}

// Memo keeps what an expensive read gave, by key, for at most maxAge, and lets one caller at a time read: the
// callers that find a value old wait for the one reading it instead of each running the same read. A key that
// names what the value was read under (a revision, a day) makes a new one read afresh; past max keys, the old
// ones are forgotten.
type Memo[K comparable, V any] struct {
	maxAge time.Duration
	max    int

	mu      sync.Mutex
	entries map[K]memoEntry[V]
	reading sync.Mutex
}

type memoEntry[V any] struct {
	v  V
	at time.Time
}

// NewMemo makes a memo keeping values for maxAge, of at most max keys.
func NewMemo[K comparable, V any](maxAge time.Duration, max int) *Memo[K, V] {
	return &Memo[K, V]{maxAge: maxAge, max: max, entries: map[K]memoEntry[V]{}}
}

// Get returns the value kept for k if it was read less than maxAge before now, else reads it with read (once,
// whoever else asks meanwhile) and keeps it; at is when the value returned was read. A failed read is not kept.
func (m *Memo[K, V]) Get(k K, now time.Time, read func() (V, error)) (v V, at time.Time, err error) {
	if e, ok := m.fresh(k, now); ok {
		return e.v, e.at, nil
	}
	m.reading.Lock()
	defer m.reading.Unlock()
	if e, ok := m.fresh(k, now); ok { // read while this caller waited
		return e.v, e.at, nil
	}
	if v, err = read(); err != nil {
		return v, now, err
	}
	m.mu.Lock()
	if len(m.entries) >= m.max {
		clear(m.entries)
	}
	m.entries[k] = memoEntry[V]{v: v, at: now}
	m.mu.Unlock()
	return v, now, nil
}

func (m *Memo[K, V]) fresh(k K, now time.Time) (memoEntry[V], bool) {
	m.mu.Lock()
	e, ok := m.entries[k]
	m.mu.Unlock()
	return e, ok && now.Sub(e.at) < m.maxAge && !now.Before(e.at)
}
