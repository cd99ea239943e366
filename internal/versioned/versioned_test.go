package versioned

import (
	"context"
	"errors"
	"testing"
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
