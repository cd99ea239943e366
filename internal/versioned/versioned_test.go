package versioned

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// A value is found only under the version it was read under; a new version forgets the old values.
func TestMapFollowsTheVersion(t *testing.T) {
	m := NewMap[int64, string](8)
	m.Put(3, 1, "alice")
	if v, ok := m.Get(3, 1); !ok || v != "alice" {
		t.Fatalf("Get(3, 1) = %q, %v", v, ok)
	}
	if _, ok := m.Get(4, 1); ok {
		t.Error("found under a newer version")
	}
	m.Put(4, 2, "bob")
	if _, ok := m.Get(3, 1); ok {
		t.Error("an old version's value survived a new one")
	}
	if m.Len() != 1 {
		t.Errorf("Len %d after a new version, want 1", m.Len())
	}
	m.Delete(2)
	if _, ok := m.Get(4, 2); ok {
		t.Error("found after Delete")
	}
}

// Past its size the map starts again rather than growing.
func TestMapIsBounded(t *testing.T) {
	m := NewMap[int, int](4)
	for i := range 10 {
		m.Put(1, i, i)
		if m.Len() > 4 {
			t.Fatalf("%d values kept, at most 4", m.Len())
		}
	}
	if v, ok := m.Get(1, 9); !ok || v != 9 {
		t.Errorf("the latest value is gone: %d, %v", v, ok)
	}
}

// A request reads the version once; outside a request, every call reads it; a failure is read again.
func TestReadOncePerRequest(t *testing.T) {
	reads := 0
	version := int64(7)
	read := func(context.Context) (int64, error) { reads++; return version, nil }
	ctx := WithRequest(t.Context())
	for range 3 {
		if v, err := Read(ctx, read); err != nil || v != 7 {
			t.Fatalf("Read = %d, %v", v, err)
		}
	}
	version = 8
	if v, _ := Read(ctx, read); v != 7 || reads != 1 {
		t.Errorf("within one request: version %d after %d reads, want 7 after 1", v, reads)
	}
	if v, _ := Read(t.Context(), read); v != 8 || reads != 2 {
		t.Errorf("outside a request: version %d after %d reads, want 8 after 2", v, reads)
	}

	failing := WithRequest(t.Context())
	fail := true
	flaky := func(context.Context) (int64, error) {
		if fail {
			return 0, errors.New("locked")
		}
		return 9, nil
	}
	if _, err := Read(failing, flaky); err == nil {
		t.Fatal("no error")
	}
	fail = false
	if v, err := Read(failing, flaky); err != nil || v != 9 {
		t.Errorf("after a failure: %d, %v", v, err)
	}
}

// A memo reads once while its value is young, again when it is old or under a new key; callers arriving while
// one reads wait for it instead of reading too; a failed read is not kept.
func TestMemoReadsOnce(t *testing.T) {
	m := NewMemo[int, int](time.Minute, 4)
	now := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	var reads atomic.Int32
	read := func() (int, error) { reads.Add(1); time.Sleep(20 * time.Millisecond); return 42, nil }
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if v, at, err := m.Get(1, now, read); v != 42 || err != nil || !at.Equal(now) {
				t.Errorf("Get = %d, %v, %v", v, at, err)
			}
		})
	}
	wg.Wait()
	if n := reads.Load(); n != 1 {
		t.Fatalf("%d reads by 8 callers at once, want 1", n)
	}
	m.Get(1, now.Add(59*time.Second), read)
	if reads.Load() != 1 {
		t.Error("read again while young")
	}
	m.Get(1, now.Add(time.Minute), read)
	m.Get(2, now.Add(time.Minute), read)
	if reads.Load() != 3 {
		t.Errorf("%d reads, want 3 (old value, new key)", reads.Load())
	}
	if _, _, err := m.Get(3, now, func() (int, error) { return 0, errors.New("busy") }); err == nil {
		t.Fatal("a failed read was not reported")
	}
	if v, _, _ := m.Get(3, now, func() (int, error) { return 7, nil }); v != 7 {
		t.Errorf("after a failure: %d, want a fresh read", v)
	}
}
