//go:build !linux

package main

import "os/exec"

// setParentDeath: only Linux can tie a child's life to its parent's; elsewhere the benchmark's own cleanup
// stops its children.
func setParentDeath(*exec.Cmd) {}
