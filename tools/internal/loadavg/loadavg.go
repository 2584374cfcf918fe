// Package loadavg reads the machine's load average, which the benchmark
// tools print with their figures: other work on the machine slows every
// wall-clock figure, and the WebAssembly ones most.
package loadavg

import (
	"os"
	"strings"
)

// OneMinute is the 1-minute load average as the system prints it, "" where
// the system does not tell (no /proc/loadavg).
func OneMinute() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return ""
	}
	return f[0]
}

// Report is the line the tools print: the load at the start and at the end
// of their run ("" without a load average). It is not a verdict: the
// average counts the last minute, the tool's own work (a build just
// before, the benchmark itself) included; a figure well above the cores
// the tool keeps busy means other work ran beside it.
func Report(start, end string) string {
	if start == "" {
		return ""
	}
	return "load average (1 min, this run and the build before it included) at start " + start + ", at end " + end
}
