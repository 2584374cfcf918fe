//go:build unix

package main

import (
	"syscall"
	"time"
)

// cpuTime is the user and system CPU time of this process so far, so a
// benchmark can report work per CPU second, which other processes on a
// shared machine do not distort the way they distort wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
