// Package loadavg reads the machine's load average, which the benchmark
// tools print with their figures: other work on the machine slows every
// wall-clock figure, and the WebAssembly ones most.
package loadavg

import (
	"os"
	"strconv"
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

// Busy reports whether a load average read by OneMinute says other work
// kept at least one core busy.
func Busy(load string) bool {
	l, err := strconv.ParseFloat(load, 64)
	return err == nil && l >= 1
}

// Report is the line the tools print: the load at the start and at the end
// of their run, and a warning when the machine was busy ("" without a load
// average).
func Report(start, end string) string {
	if start == "" {
		return ""
	}
	s := "load average (1 min) at start " + start + ", at end " + end
	if Busy(start) || Busy(end) {
		s += ": the machine was busy, the figures are slower than on a quiet one"
	}
	return s
}
