//go:build !unix

package main

import "time"

// cpuTime is unknown here: benchmarks report wall-time figures only.
func cpuTime() time.Duration { return 0 }
