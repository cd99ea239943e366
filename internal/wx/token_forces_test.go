package wx

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

// countingStore is a token store shared by several clients that counts forced refreshes for all of them,
// as the app's database does.
type countingStore struct {
	*MemoryTokenStore
	mu     sync.Mutex
	claims []string // "yes" or "no", in order
	last   time.Time
	count  int
	fail   error
}

func (s *countingStore) ClaimForcedRefresh(_ context.Context, appID string, perDay int, gap time.Duration) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		return false, s.fail
	}
	if appID != testAppID || perDay != maxForcedPerDay || gap != minForceGap {
		panic("unexpected limits")
	}
	ok := s.count < perDay && time.Since(s.last) >= gap
	if ok {
		s.count, s.last = s.count+1, time.Now()
		s.claims = append(s.claims, "yes")
	} else {
		s.claims = append(s.claims, "no")
	}
	return ok, nil
}

// With a store that counts forced refreshes for every process, a client that never forced one itself is
// still refused while another client's forced refresh is under 30 s old; and a store that cannot count
// means no forcing at all.
func TestForcedRefreshLimitIsTheStoresWhenItCounts(t *testing.T) {
	store := &countingStore{MemoryTokenStore: NewMemoryTokenStore()}
	first := NewClient(testConfig("http://127.0.0.1:1", store))
	second := NewClient(testConfig("http://127.0.0.1:1", store))
	ctx := context.Background()
	if !first.mayForce(ctx) {
		t.Fatal("the first forced refresh was refused")
	}
	if second.mayForce(ctx) {
		t.Error("another process forced a refresh at once after the first")
	}
	if len(first.forced)+len(second.forced) != 0 {
		t.Error("the clients counted in their own memory although the store counts")
	}
	if got := store.claims; len(got) != 2 || got[0] != "yes" || got[1] != "no" {
		t.Errorf("the store was asked %v", got)
	}
	store.mu.Lock()
	store.last, store.fail = time.Time{}, errors.New("database down")
	store.mu.Unlock()
	if second.mayForce(ctx) {
		t.Error("forced a refresh although the store could not count it")
	}
}
