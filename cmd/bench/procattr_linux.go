package main

import (
	"os/exec"
	"syscall"
)

// setParentDeath has the kernel kill the child if the benchmark dies without stopping it.
func setParentDeath(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
