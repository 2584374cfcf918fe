package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestEventsCommand(t *testing.T) {
	// a: visit, lead, email, demo, customer (19 days); b: lead, visit,
	// lead, demo (27 days later); c: visit, demo, lead; d: demo.
	log := "person,time,event\nc,2026-03-03,lead\na,2026-03-01,visit\nb,2026-03-30,demo\na,2026-03-03,email\nb,2026-03-01,lead\na,2026-03-02,lead\nc,2026-03-01,visit\na,2026-03-04,demo\nd,2026-03-01,demo\nb,2026-03-02,visit\nb,2026-03-03,lead\na,2026-03-20,customer\nc,2026-03-02,demo\n"
	planOut := filepath.Join(t.TempDir(), "observed.json")
	out, errs, code := runCLI(t, log, "events", "--steps", "visit,lead,demo,customer", "--window", "14d", "--format", "json", "--plan-out", planOut)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var r struct {
		Steps []struct {
			ID      string `json:"id"`
			Persons int    `json:"persons"`
		} `json:"steps"`
		WindowDays float64 `json:"window_days"`
		Journey    struct {
			Transitions map[string]map[string]float64 `json:"transitions"`
		} `json:"journey"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	// Sequential within 14 days (worked out in core's tests): 3, 3, 1, 0.
	got := []int{}
	for _, s := range r.Steps {
		got = append(got, s.Persons)
	}
	if len(got) != 4 || got[0] != 3 || got[1] != 3 || got[2] != 1 || got[3] != 0 || r.WindowDays != 14 {
		t.Errorf("persons %v window %v", got, r.WindowDays)
	}
	if r.Journey.Transitions["lead"]["visit"] != 0.25 {
		t.Errorf("journey %v", r.Journey.Transitions)
	}
	if _, errs, code := runCLI(t, "", "validate", planOut); code != 0 {
		t.Errorf("inferred plan: %s", errs)
	}
	_, errs, code = runCLI(t, "person,time,event\n,2026-03-01,visit\nb,soon,visit\n", "events", "--steps", "visit,lead")
	want := "funnelplan: stdin:2:1: missing person id\nfunnelplan: stdin:3:2: \"soon\" is not a time (want RFC 3339 or YYYY-MM-DD[ HH:MM[:SS]])\n"
	if code != 1 || errs != want {
		t.Errorf("exit %d, stderr %q, want %q", code, errs, want)
	}
	for _, bad := range [][]string{{"--steps", "visit"}, {"--steps", "a,b", "--window", "soon"}, {"--steps", "a,b", "--order", "random"}} {
		if _, _, code := runCLI(t, log, append([]string{"events"}, bad...)...); code != 2 {
			t.Errorf("%v: exit %d, want 2", bad, code)
		}
	}
	if out, _, code := runCLI(t, "", "events", "../core/examples/events.csv", "--steps", "visit,lead,demo,proposal,customer", "--by", "channel"); code != 0 || !strings.Contains(out, "backward") {
		t.Errorf("example: exit %d\n%s", code, out)
	}
}

func TestParseWindow(t *testing.T) {
	for in, want := range map[string]time.Duration{"": 0, "14d": 14 * 24 * time.Hour, "2w": 14 * 24 * time.Hour, "36h": 36 * time.Hour, "90m": 90 * time.Minute, "1.5d": 36 * time.Hour} {
		if got, err := parseWindow(in); err != nil || got != want {
			t.Errorf("parseWindow(%q) = %v, %v, want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"d", "-1d", "soon", "0h"} {
		if _, err := parseWindow(bad); err == nil {
			t.Errorf("parseWindow(%q): no error", bad)
		}
	}
}
