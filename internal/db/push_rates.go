package db

import (
	"context"
	"fmt"
	"time"
)

// CountPush counts one push from key in the current fixed period of the given length (begun by key's first push
// after the last period ended) and returns how many key has sent in it, this one included. Periods that ended
// are forgotten on the way now and then. PostgreSQL only (migration 00063); one SQLite server counts in memory.
func (s *Store) CountPush(ctx context.Context, key string, now time.Time, period time.Duration) (int, error) {
	cutoff := now.Add(-period).UnixNano()
	var n int
	err := s.queryRow(ctx, `INSERT INTO push_rates AS r (key, period_start, n) VALUES (?1, ?2, 1)
		ON CONFLICT (key) DO UPDATE SET
			n = CASE WHEN r.period_start <= ?3 THEN 1 ELSE r.n + 1 END,
			period_start = CASE WHEN r.period_start <= ?3 THEN ?2 ELSE r.period_start END
		RETURNING n`, key, now.UnixNano(), cutoff).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("db: unable to count a push: %w", err)
	}
	if n == 1 { // a period begins: forget those that ended
		if _, err := s.DB.ExecContext(ctx, `DELETE FROM push_rates WHERE period_start <= ?`, cutoff); err != nil {
			return n, fmt.Errorf("db: unable to forget old push counts: %w", err)
		}
	}
	return n, nil
}
