package app

import "crypto/rand"

// newToken is a random single-use key (a form's double-submit guard).
func newToken() string { return rand.Text() }
