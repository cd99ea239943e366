package session

import (
	"maps"
	"sync"
	"time"

	"github.com/alexedwards/scs/v2"
)

// DecodeCache remembers what session bytes decode to. scs decodes the session on every request, and gob builds
// its decoder anew each time: a fifth of the CPU of a kept page. The same bytes always decode to the same
// values, so whose session they are does not matter; each caller gets its own copy of the map, which scs
// changes in place. Sessions holding anything but plain values (strings, numbers, booleans, times) are not
// kept, as a copy of the map would share them.
type DecodeCache struct {
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

// NewDecodeCache wraps codec.
func NewDecodeCache(codec scs.Codec) *DecodeCache {
	return &DecodeCache{Codec: codec, decoded: map[string]decodedSession{}}
}

// Decode is codec's Decode, from memory for bytes seen before.
func (c *DecodeCache) Decode(b []byte) (time.Time, map[string]any, error) {
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
