package main

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

func TestJourneyCommand(t *testing.T) {
	out, stderr, code := runCmd(t, "", "journey", "--format", "json", "--move", "proposal:lost:purchase:0.01", "../core/examples/journey.json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var r struct {
		Plan   string `json:"plan"`
		States []struct {
			ID                     string   `json:"id"`
			PurchaseProbability    *float64 `json:"purchase_probability"`
			ExpectedSteps          *float64 `json:"expected_steps"`
			ExpectedDays           *float64 `json:"expected_days"`
			ExpectedDaysIfPurchase *float64 `json:"expected_days_if_purchase"`
			Visits                 *float64 `json:"visits"`
		} `json:"states"`
		Stages []struct {
			ID          string   `json:"id"`
			ImpliedRate *float64 `json:"implied_rate"`
		} `json:"stages"`
		Moves []struct {
			Exact float64 `json:"exact"`
		} `json:"moves"`
		Warnings []string `json:"warnings"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	// DESIGN.md: states[] {id, purchase_probability, expected_steps,
	// expected_days, expected_days_if_purchase, visits}.
	if len(r.States) != 4 || r.States[0].ID != "visit" {
		t.Fatalf("states %+v", r.States)
	}
	for _, s := range r.States {
		if s.PurchaseProbability == nil || s.ExpectedSteps == nil || s.ExpectedDays == nil || s.ExpectedDaysIfPurchase == nil || s.Visits == nil {
			t.Errorf("state %s lacks a field: %+v", s.ID, s)
		}
	}
	// Reach of lead is .035/(1 − .3) = .05 (hand).
	if len(r.Stages) != 5 || math.Abs(*r.Stages[1].ImpliedRate-0.05) > 1e-12 {
		t.Errorf("stages %+v", r.Stages)
	}
	if len(r.Moves) != 1 || r.Moves[0].Exact <= 0 || len(r.Warnings) == 0 {
		t.Errorf("moves %+v warnings %v", r.Moves, r.Warnings)
	}
	for _, f := range []string{"table", "csv", "md"} {
		if out, stderr, code := runCmd(t, "", "journey", "--format", f, "../core/examples/journey.json"); code != 0 || !strings.Contains(out, "proposal") {
			t.Errorf("--format %s: exit %d %s", f, code, stderr)
		}
	}
}

func TestJourneyCommandErrors(t *testing.T) {
	cases := []struct {
		name  string
		stdin string
		args  []string
		code  int
		want  string
	}{
		{"bad move", "", []string{"journey", "--move", "a:b", "../core/examples/journey.json"}, 2, "STATE:FROM:TO:DELTA"},
		{"unknown state", "", []string{"journey", "--move", "x:lost:purchase:0.01", "../core/examples/journey.json"}, 1, `no journey state "x"`},
		{"no journey", `{"funnelplan": 1, "name": "x", "top": 1, "stages": [{"id": "a"}, {"id": "b", "rate": 0.5}]}`, []string{"journey", "-"}, 1, "stdin: journey: the plan has no journey section"},
		{"trapped", `{"funnelplan": 1, "name": "x", "top": 1, "stages": [{"id": "a"}, {"id": "b", "rate": 0.5}],
		  "journey": {"transitions": {"a": {"a": 0.5, "b": 0.5}, "b": {"a": 1}}}}`, []string{"journey"}, 1, `stdin: journey.transitions: neither purchase nor lost can be reached from "a", "b"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, stderr, code := runCmd(t, c.stdin, c.args...)
			if code != c.code || !strings.Contains(stderr, c.want) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr, c.code, c.want)
			}
		})
	}
}
