// Package session is where scs keeps the signed-in sessions: a store (scs.CtxStore) on the database's sessions
// table, and a codec that decodes each distinct session once.
//
// With an idle timeout, scs writes the session back on every request, only to push its idle deadline forward:
// a write transaction per page view, each waiting its turn behind every other writer (a running order sync, the
// other page views). The Store skips a write that would change nothing but that deadline, as long as the
// deadline it last wrote for the session is less than TouchEvery behind the new one. A session thus idles out at
// most TouchEvery early, never late. Anything else (a sign-in, a flash message, a language switch) is written at
// once.
//
// Given the database's data version, it also answers Find from memory while the database is unchanged: a page
// view then reads its session without a query. Any commit to the database, by anyone, makes the next Find read
// the row again, so a session signed out or deleted elsewhere is gone at once.
package session

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"reflect"
	"sync"
	"time"

	"github.com/alexedwards/scs/v2"

	"wxshop/internal/db"
	"wxshop/internal/versioned"
)

// Rows is the sessions table; db.Store is one, for each database it speaks.
type Rows interface {
	FindSession(ctx context.Context, token string) (db.Session, error) // db.ErrNoRecord when there is none
	CommitSession(ctx context.Context, token string, data []byte, expiry time.Time) error
	DeleteSession(ctx context.Context, token string) error
	DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error)
}

// Options tune a Store; zero values take the defaults.
type Options struct {
	// TouchEvery is how far a session's idle deadline may move before it is written (default a minute).
	TouchEvery time.Duration
	// Version is the database's data version; nil: every Find reads the table.
	Version func(context.Context) (int64, error)
	Now     func() time.Time // the clock (tests)
}

// Store keeps scs's sessions in Rows.
type Store struct {
	rows       Rows
	codec      scs.Codec
	touchEvery time.Duration
	version    func(context.Context) (int64, error)
	now        func() time.Time

	found *versioned.Map[string, db.Session] // by token: the row as last read, under the data version

	mu   sync.Mutex
	last map[string]writtenSession // by token: what this process last wrote
}

type writtenSession struct {
	b        []byte
	deadline time.Time
	values   map[string]any
	expiry   time.Time
	at       time.Time
}

// maxFoundSessions bounds the rows kept: past it, they are all forgotten (and read again when asked for).
const maxFoundSessions = 4096

var _ scs.CtxStore = (*Store)(nil)

// NewStore makes a store on rows; codec is the session manager's, to compare what is written.
func NewStore(rows Rows, codec scs.Codec, o Options) *Store {
	if o.TouchEvery <= 0 {
		o.TouchEvery = time.Minute
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Store{rows: rows, codec: codec, touchEvery: o.TouchEvery, version: o.Version, now: o.Now,
		found: versioned.NewMap[string, db.Session](maxFoundSessions), last: map[string]writtenSession{}}
}

// Find is FindCtx without a request.
func (s *Store) Find(token string) ([]byte, bool, error) {
	return s.FindCtx(context.Background(), token)
}

// Commit is CommitCtx without a request.
func (s *Store) Commit(token string, b []byte, expiry time.Time) error {
	return s.CommitCtx(context.Background(), token, b, expiry)
}

// Delete is DeleteCtx without a request.
func (s *Store) Delete(token string) error { return s.DeleteCtx(context.Background(), token) }

// FindCtx returns the session's data unless it has expired, from memory when the database has not changed
// since the row was read.
func (s *Store) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	var v int64
	versioned := false
	if s.version != nil {
		var err error
		v, err = s.version(ctx)
		versioned = err == nil
	}
	if versioned {
		if row, ok := s.found.Get(v, token); ok {
			return s.live(row)
		}
	}
	row, err := s.rows.FindSession(ctx, token)
	if errors.Is(err, db.ErrNoRecord) {
		return nil, false, nil // not kept: made-up tokens must not fill the memory
	} else if err != nil {
		return nil, false, err
	}
	if versioned {
		s.found.Put(v, token, row)
	}
	return s.live(row)
}

func (s *Store) live(row db.Session) ([]byte, bool, error) {
	if !s.now().Before(row.Expiry) {
		return nil, false, nil
	}
	return row.Data, true, nil
}

// CommitCtx writes the session unless only its idle deadline moved, and that by less than TouchEvery.
func (s *Store) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
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
	if err := s.rows.CommitSession(ctx, token, b, expiry); err != nil {
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

// DeleteCtx removes the session, and what was remembered of it.
func (s *Store) DeleteCtx(ctx context.Context, token string) error {
	s.mu.Lock()
	delete(s.last, token)
	s.mu.Unlock()
	s.found.Delete(token)
	return s.rows.DeleteSession(ctx, token)
}

// Sweep deletes the expired sessions every interval until ctx ends; run it in a goroutine of its own.
func (s *Store) Sweep(ctx context.Context, interval time.Duration, log *slog.Logger) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if _, err := s.rows.DeleteExpiredSessions(ctx, s.now()); err != nil && ctx.Err() == nil {
				log.Warn("expired sessions not deleted", "err", err)
			}
		}
	}
}
