package app

import (
	"os"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"wxshop/internal/db/pgtest"
)

// The tests that run on PostgreSQL as well (through dbtest.Each) share one throwaway cluster. Passwords are
// hashed at bcrypt's lowest cost: what the tests check of them (right, wrong, changed, throttled) does not
// depend on the cost, and at the default cost hashing was most of the suite's time under -race.
func TestMain(m *testing.M) {
	passwordCost = bcrypt.MinCost
	os.Exit(pgtest.Main(m))
}
