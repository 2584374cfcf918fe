package core

import (
	"math"
	"strings"
	"testing"
)

func TestPlanVsActual(t *testing.T) {
	// MATH.md §k example, January: [10000, 520, 210, 98, 24] with 90 %
	// intervals lead [.048487, .055794], mql [.369124, .439723],
	// proposal [.410912, .523406], customer [.182048, .323663].
	tab, err := ReadCounts(strings.NewReader("period,Visit,Lead,MQL,proposal,customer\n2026-01,10000,520,210,98,24\n"))
	if err != nil {
		t.Fatal(err)
	}
	fit, err := Fit(tab, FitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	p := &Plan{Version: 1, Name: "plan", Top: 10000, OrderValue: 1,
		Stages: []Stage{{ID: "visit"}, {ID: "lead", Rate: F(0.05)}, {ID: "mql", Name: "MQL", Rate: F(0.5)}, {ID: "proposal", Rate: F(0.4)}, {ID: "customer", Rate: F(0.25)}}}
	r, err := PlanVsActual(p, fit)
	if err != nil {
		t.Fatal(err)
	}
	// lead 0.05 inside; mql 0.5 above .439723 → below plan; proposal 0.4
	// under .410912 → above plan; customer 0.25 inside.
	want := []string{ActualTop, ActualOK, ActualBelow, ActualAbove, ActualOK}
	for i, s := range r.Stages {
		if s.Status != want[i] {
			t.Errorf("stage %s: %s, want %s", s.ID, s.Status, want[i])
		}
	}
	if strings.Join(r.Flagged, ",") != "mql,proposal" {
		t.Errorf("flagged %v", r.Flagged)
	}
	// Planned lead count 500 per period, observed 520.
	if r.Stages[1].Planned != 500 || r.Stages[1].Observed != 520 {
		t.Errorf("lead: %+v", r.Stages[1])
	}
	// P(rate < 0.25) for customer 24/98 under Beta(25, 75) = I_0.25(25, 75):
	// the posterior mean is 0.25, so about one half.
	if pb := *r.Stages[4].PBelowPlan; math.Abs(pb-regIncBeta(0.25, 25, 75)) > 1e-15 || pb < 0.45 || pb > 0.6 {
		t.Errorf("P(below plan) = %v", pb)
	}
	p.Stages = p.Stages[:4]
	if _, err := PlanVsActual(p, fit); err == nil {
		t.Error("4 plan stages against 5 columns: no error")
	}
	p.Stages = append(p.Stages, Stage{ID: "deal", Rate: F(0.2)})
	if _, err := PlanVsActual(p, fit); err == nil || !strings.Contains(err.Error(), `"customer" is not the plan's stage 5 "deal"`) {
		t.Errorf("mismatched stage: %v", err)
	}
}
