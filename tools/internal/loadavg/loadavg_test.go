package loadavg

import (
	"strconv"
	"testing"
)

func TestReport(t *testing.T) {
	if got := Report("", "0.5"); got != "" {
		t.Errorf("no load average: %q", got)
	}
	if got, want := Report("0.31", "1.80"), "load average (1 min, this run and the build before it included) at start 0.31, at end 1.80"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestOneMinute(t *testing.T) {
	s := OneMinute()
	if s == "" {
		t.Skip("no /proc/loadavg here")
	}
	if v, err := strconv.ParseFloat(s, 64); err != nil || v < 0 {
		t.Errorf("OneMinute() = %q, not a load average", s)
	}
}
