package main

import (
	"math"
	"strings"
	"testing"
)

func TestReverseCommand(t *testing.T) {
	// MATH.md §1 claim 1: 10 sales need 2000 visitors and 40 calls.
	m := runJSON(t, "reverse", "--customers", "10", "--format", "json", "../core/examples/calls.json")
	stages := m["stages"].([]any)
	for i, want := range []float64{2000, 40, 10} {
		s := stages[i].(map[string]any)
		if got := s["required"].(float64); math.Abs(got-want) > 1e-9 {
			t.Errorf("stage %v required %v, want %v", s["id"], got, want)
		}
	}
	if top := m["top"].(float64); top != 2000 {
		t.Errorf("top %v, want 2000", top)
	}
	if m["budget"] != nil {
		t.Errorf("budget %v for a plan without costs, want null", m["budget"])
	}
	// CPC 15 on visitors: 2000 x 15 = 30 000 (MATH.md §b).
	m = runJSON(t, "reverse", "--customers", "10", "--cpc", "15", "--format", "json", "../core/examples/calls.json")
	if b := m["budget"].(float64); b != 30000 {
		t.Errorf("budget %v, want 30 000", b)
	}
}

func TestReverseResponseCurve(t *testing.T) {
	// MATH.md §b, §c.3: +26.49 % revenue costs +60 % spend under b = 0.5.
	m := runJSON(t, "reverse", "--revenue", "354558.0513", "--format", "json", "../core/examples/ads.json")
	if b := m["budget"].(float64); math.Abs(b-160000) > 0.01 {
		t.Errorf("budget %v, want 160 000", b)
	}
}

func TestReverseIntegerScenario(t *testing.T) {
	m := runJSON(t, "reverse", "--customers", "10.5", "--integer", "--scenario", "ten-times-traffic", "--format", "json", "../core/examples/calls.json")
	stages := m["stages"].([]any)
	for i, want := range []float64{2200, 44, 11} {
		if got := stages[i].(map[string]any)["required"].(float64); got != want {
			t.Errorf("integer stage %d required %v, want %v", i, got, want)
		}
	}
	if m["scenario"] != "ten-times-traffic" {
		t.Errorf("scenario %v", m["scenario"])
	}
}

func TestReverseErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"no goal", []string{"reverse", examplePlan}, 2, "exactly one goal"},
		{"two goals", []string{"reverse", "--revenue", "1", "--customers", "1", examplePlan}, 2, "exactly one goal"},
		{"two costs", []string{"reverse", "--revenue", "1", "--cpm", "1", "--cpc", "1", examplePlan}, 2, "at most one"},
		{"at without cost", []string{"reverse", "--revenue", "1", "--at", "lead", examplePlan}, 2, "--at needs"},
		{"negative goal", []string{"reverse", "--customers", "-1", examplePlan}, 1, "b2b.json: goal: customers -1"},
		{"unknown stage", []string{"reverse", "--customers", "1", "--cpl", "5", "--at", "nope", examplePlan}, 1, `no stage has id "nope"`},
		{"profit at a loss", []string{"reverse", "--profit", "1000", "--cpc", "10000", "../core/examples/calls.json"}, 1, `goal is infeasible at stage "visit"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, errs, code := runCmd(t, "", tc.args...)
			if code != tc.code || !strings.Contains(errs, tc.msg) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, errs, tc.code, tc.msg)
			}
		})
	}
}

func TestReverseCapacityInfeasible(t *testing.T) {
	plan := `{"funnelplan": 1, "name": "capped", "top": 10000, "order_value": 12000,
	  "stages": [{"id": "visit"}, {"id": "lead", "rate": 0.05}, {"id": "mql", "rate": 0.4},
	    {"id": "proposal", "rate": 0.5, "capacity": 80}, {"id": "customer", "rate": 0.25}]}`
	_, errs, code := runCmd(t, plan, "reverse", "--customers", "50", "-")
	// MATH.md §b: capacity 80 proposals -> at most 80 x 0.25 = 20 customers.
	if code != 1 || !strings.Contains(errs, `stdin: goal is infeasible at stage "proposal"`) || !strings.Contains(errs, "at most 20 customers") {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
}
