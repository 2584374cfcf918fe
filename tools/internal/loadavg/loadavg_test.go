package loadavg

import (
	"strings"
	"testing"
)

func TestReport(t *testing.T) {
	if got := Report("", "0.5"); got != "" {
		t.Errorf("no load average: %q", got)
	}
	if got := Report("0.31", "0.80"); got != "load average (1 min) at start 0.31, at end 0.80" {
		t.Errorf("quiet: %q", got)
	}
	for _, c := range [][2]string{{"1.00", "0.2"}, {"0.2", "2.5"}} {
		if got := Report(c[0], c[1]); !strings.HasSuffix(got, "the machine was busy, the figures are slower than on a quiet one") {
			t.Errorf("busy %v: %q", c, got)
		}
	}
	if Busy("x") || Busy("0.99") || !Busy("1") {
		t.Error("Busy")
	}
}
