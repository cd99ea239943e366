// Package versioned keeps what was read from the database while the database's data version (db.Store's
// DataVersion: any commit, by any process, changes it) stays the one it was read under.
//
// A request reads the version once (WithRequest, then Read): the session, the signed-in user and the page are
// then all checked against the same version, so none of them is newer than another.
package versioned

import (
	"context"
	"sync"
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
