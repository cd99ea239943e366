package app

import (
	"os"
	"testing"

	"wxshop/internal/db/pgtest"
)

// The tests that run on PostgreSQL as well (through dbtest.Each) share one throwaway cluster.
func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }
