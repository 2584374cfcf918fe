package core_test

import (
	"math"
	"testing"

	"github.com/funnelplan/funnelplan/core"
	"github.com/funnelplan/funnelplan/core/examples"
)

// TestExamplesCompute decodes every bundled example and computes the
// baseline and every scenario, with economics.
func TestExamplesCompute(t *testing.T) {
	names := examples.Names()
	if len(names) < 3 {
		t.Fatalf("examples %v, want at least b2b, ads and calls", names)
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			b, _ := examples.Get(name)
			p, err := core.DecodeBytes(b)
			if err != nil {
				t.Fatalf("%s.json: %v", name, err)
			}
			ids := []string{""}
			for _, s := range p.Scenarios {
				ids = append(ids, s.ID)
			}
			for _, id := range ids {
				q, _, err := p.WithScenario(id)
				if err != nil {
					t.Fatalf("%s.json scenario %q: %v", name, id, err)
				}
				r, err := core.Forward(q)
				if err != nil {
					t.Fatalf("%s.json scenario %q: %v", name, id, err)
				}
				if math.IsNaN(r.Revenue) || math.IsInf(r.Revenue, 0) || r.Customers <= 0 {
					t.Errorf("%s.json scenario %q: customers %v, revenue %v", name, id, r.Customers, r.Revenue)
				}
			}
		})
	}
}

// exampleRun computes a bundled example under a scenario.
func exampleRun(t *testing.T, name, scenario string) *core.ForwardResult {
	t.Helper()
	b, ok := examples.Get(name)
	if !ok {
		t.Fatalf("no example %q", name)
	}
	p, err := core.DecodeBytes(b)
	if err != nil {
		t.Fatal(err)
	}
	q, _, err := p.WithScenario(scenario)
	if err != nil {
		t.Fatal(err)
	}
	r, err := core.Forward(q)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestExampleNumbers(t *testing.T) {
	tests := []struct {
		name, example, scenario, source string
		top, customers, revenue         float64
		tol                             float64
	}{
		{"ads baseline", "ads", "", "MATH.md §1 claim 3: 360 750 impressions -> 280 302.75 (RPM 777)",
			360750, 186.8685, 280302.75, 1e-9},
		{"ads +60 %", "ads", "spend-plus-60", "MATH.md §1 claim 3, §c.3: +60 % spend, b = 0.5 -> 354 558",
			360750 * math.Sqrt(1.6), 0, 354558, 5e-6},
		{"ads x4", "ads", "spend-x4", "MATH.md §c.3: under b = 1/2 doubling revenue needs x4 spend",
			721500, 373.737, 560605.5, 1e-9},
		{"calls baseline", "calls", "", "MATH.md §1 claim 1: 200 visitors -> 4 calls -> 1 sale",
			200, 1, 900, 1e-9},
		{"calls x10", "calls", "ten-times-traffic", "MATH.md §1 claim 1: 2000 visitors -> 40 calls -> 10 sales",
			2000, 10, 9000, 1e-9},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := exampleRun(t, tc.example, tc.scenario)
			if got := r.Stages[0].Count; math.Abs(got-tc.top) > tc.tol*tc.top {
				t.Errorf("%s: top = %.6f, want %.6f", tc.source, got, tc.top)
			}
			if tc.customers > 0 && math.Abs(r.Customers-tc.customers) > tc.tol*tc.customers {
				t.Errorf("%s: customers = %.6f, want %.6f", tc.source, r.Customers, tc.customers)
			}
			if math.Abs(r.Revenue-tc.revenue) > tc.tol*tc.revenue {
				t.Errorf("%s: revenue = %.4f, want %.4f", tc.source, r.Revenue, tc.revenue)
			}
		})
	}
	// The calls example also shows 40 calls after the expansion.
	if got := exampleRun(t, "calls", "ten-times-traffic").Stages[1].Count; math.Abs(got-40) > 1e-9 {
		t.Errorf("MATH.md §1 claim 1: calls = %v, want 40 (not 400)", got)
	}
	// The +60 % case: revenue grows by 26.49 %, not 60 % (claim 3).
	base := exampleRun(t, "ads", "").Revenue
	up := exampleRun(t, "ads", "spend-plus-60")
	if g := up.Revenue/base - 1; math.Abs(g-0.264911) > 1e-6 {
		t.Errorf("MATH.md §1 claim 3: growth = %.6f, want 0.264911 (sqrt 1.6 - 1)", g)
	}
	if len(up.Assumptions) == 0 {
		t.Error("MATH.md §c.3: the response curve is not labelled as an assumption")
	}
}
