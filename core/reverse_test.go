package core

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
)

// reversePlan is the funnel of MATH.md §b: impressions -> clicks (CTR
// 0.02) -> leads -> MQL -> proposal -> customer at v = 12 000.
func reversePlan() *Plan {
	return &Plan{
		Version: 1, Name: "reverse", Top: 1000000, OrderValue: 12000, Margin: F(0.6),
		Stages: []Stage{
			{ID: "impression"},
			{ID: "click", Rate: F(0.02)},
			{ID: "lead", Rate: F(0.05)},
			{ID: "mql", Rate: F(0.40)},
			{ID: "proposal", Rate: F(0.50)},
			{ID: "customer", Rate: F(0.25)},
		},
	}
}

func TestReverse(t *testing.T) {
	tests := []struct {
		name, source string
		plan         *Plan
		goal         Goal
		required     []float64
		budget       float64 // 0: no budget expected
	}{
		{"revenue goal", "MATH.md §b: goal 600 000 at v = 12 000 -> C* = 50",
			reversePlan(), Goal{Revenue: F(600000)},
			[]float64{1000000, 20000, 1000, 400, 200, 50}, 0},
		{"cpm budget", "MATH.md §b: CPM 300 -> 300 000",
			reversePlan(), Goal{Revenue: F(600000), Anchor: &CostAnchor{Pricing: "cpm", Price: 300}},
			[]float64{1000000, 20000, 1000, 400, 200, 50}, 300000},
		{"cpc budget", "MATH.md §b: CPC 15 -> 300 000",
			reversePlan(), Goal{Revenue: F(600000), Anchor: &CostAnchor{Pricing: "cpc", Price: 15}},
			[]float64{1000000, 20000, 1000, 400, 200, 50}, 300000},
		{"cpl budget", "MATH.md §b: CPL 300 -> 300 000",
			reversePlan(), Goal{Revenue: F(600000), Anchor: &CostAnchor{Pricing: "cpl", Price: 300}},
			[]float64{1000000, 20000, 1000, 400, 200, 50}, 300000},
		{"cpa budget", "MATH.md §b: B = N_k u / per with k = customers",
			reversePlan(), Goal{Customers: F(50), Anchor: &CostAnchor{Pricing: "cpa", Price: 6000}},
			[]float64{1000000, 20000, 1000, 400, 200, 50}, 300000},
		{"real mode", "MATH.md §b: goal 610 000, real mode",
			reversePlan(), Goal{Revenue: F(610000)},
			[]float64{1016666.6666666667, 20333.333333333333, 1016.6666666666666, 406.6666666666667, 203.33333333333334, 50.833333333333336}, 0},
		{"integer mode", "MATH.md §b: goal 610 000, integer mode",
			reversePlan(), Goal{Revenue: F(610000), Integer: true},
			[]float64{1020000, 20400, 1020, 408, 204, 51}, 0},
		{"guarded ceil", "MATH.md §b: 21/0.7 must give 30, not 31",
			linearPlan(100, 0.7), Goal{Customers: F(21), Integer: true},
			[]float64{30, 21}, 0},
		{"zero goal", "hand: a goal of 0 needs nobody",
			linearPlan(100, 0.5, 0), Goal{Customers: F(0)},
			[]float64{0, 0, 0}, 0},
		{"customers goal", "MATH.md §1 claim 1: 10 sales need 2000 visitors and 40 calls",
			linearPlan(200, 0.02, 0.25), Goal{Customers: F(10)},
			[]float64{2000, 40, 10}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Reverse(tc.plan, tc.goal)
			if err != nil {
				t.Fatalf("%s: %v", tc.source, err)
			}
			for i, want := range tc.required {
				checkNear(t, fmt.Sprintf("%s: N[%d]", tc.source, i), r.Stages[i].Required, want)
			}
			checkNear(t, tc.source+": top", r.Top, tc.required[0])
			if tc.budget == 0 {
				if r.Budget != nil {
					t.Errorf("%s: budget %v without costs", tc.source, *r.Budget)
				}
			} else {
				checkNearPtr(t, tc.source+": budget", r.Budget, tc.budget)
			}
		})
	}
}

func TestReverseInfeasible(t *testing.T) {
	capped := reversePlan()
	capped.Stages[4].Capacity = F(80)
	capped.Stages[3].Capacity = F(300)
	tests := []struct {
		name, source string
		plan         *Plan
		goal         Goal
		stage        string
		most         float64 // 0: not reported
	}{
		{"zero rate", "MATH.md §b: rates [0.5, 0, 0.5], goal 10 -> infeasible at stage 2",
			linearPlan(100, 0.5, 0, 0.5), Goal{Customers: F(10)}, "s2", 0},
		{"capacity", "MATH.md §b: capacity -> max achievable cap_k·D_k (80·0.25 = 20 binds before 300·0.125)",
			capped, Goal{Customers: F(50)}, "proposal", 20},
		{"profit at a loss", "MATH.md §b: m = 0.4 -> v·m − k_c = −1200, infeasible",
			func() *Plan {
				p := linearPlan(10000, 0.05, 0.4, 0.5, 0.25)
				p.OrderValue = 12000
				p.Margin = F(0.4)
				return p
			}(),
			Goal{Profit: F(120000), Anchor: &CostAnchor{Pricing: "cpc", Price: 15}}, "s0", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Reverse(tc.plan, tc.goal)
			var ie *InfeasibleError
			if !errors.As(err, &ie) {
				t.Fatalf("%s: err = %v, want *InfeasibleError", tc.source, err)
			}
			if ie.Stage != tc.stage {
				t.Errorf("%s: stage %q, want %q (%v)", tc.source, ie.Stage, tc.stage, err)
			}
			if !strings.Contains(err.Error(), fmt.Sprintf("stage %q", tc.stage)) {
				t.Errorf("%s: message %q does not name the stage", tc.source, err)
			}
			if tc.most > 0 {
				checkNearPtr(t, tc.source+": max customers", ie.MaxCustomers, tc.most)
			}
		})
	}
}

func TestReverseProfit(t *testing.T) {
	const source = "MATH.md §b: net profit 120 000, m 0.6, CPC 15 on visitors -> C* = 100"
	p := linearPlan(10000, 0.05, 0.4, 0.5, 0.25)
	p.OrderValue = 12000
	p.Margin = F(0.6)
	r, err := Reverse(p, Goal{Profit: F(120000), Anchor: &CostAnchor{Pricing: "cpc", Price: 15}})
	if err != nil {
		t.Fatal(err)
	}
	checkNear(t, source, r.Customers, 100)
	checkNearPtr(t, source+": cost per customer k_c", r.CostPerCustomer, 6000)
	checkNearPtr(t, source+": net profit", r.NetProfit, 120000)
	checkNear(t, source+": visitors", r.Top, 40000)
}

func TestReverseUplift(t *testing.T) {
	tests := []struct {
		name, source string
		rates, want  []float64
		phi          float64
	}{
		{"uniform", "MATH.md §b: x2 at fixed traffic, phi = 2^(1/4)",
			[]float64{0.05, 0.4, 0.5, 0.25}, nil, 1.189207115002721},
		{"water-filled", "MATH.md §b: [0.05, 0.4, 0.9, 0.25] -> p3 = 1, phi = 1.8^(1/3)",
			[]float64{0.05, 0.4, 0.9, 0.25}, []float64{0.060822, 0.486576, 1, 0.304110}, 1.216440},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := linearPlan(10000, tc.rates...)
			p.OrderValue = 12000
			f, _ := Forward(p)
			r, err := Reverse(p, Goal{Customers: F(2 * f.Customers)})
			if err != nil {
				t.Fatal(err)
			}
			u := r.Uplift
			if u == nil || u.Phi == nil {
				t.Fatalf("%s: no uplift: %+v", tc.source, u)
			}
			checkNear(t, tc.source+": factor", u.Factor, 2)
			if !near(*u.Phi, tc.phi, 1e-6) {
				t.Errorf("%s: phi = %.7f, want %.6f", tc.source, *u.Phi, tc.phi)
			}
			prod := 1.0
			for i, s := range u.Stages {
				prod *= s.Required / s.Current
				if tc.want != nil && math.Abs(s.Required-tc.want[i]) > 1e-6 {
					t.Errorf("%s: rate[%d] = %.6f, want %.6f", tc.source, i+1, s.Required, tc.want[i])
				}
				if s.Required > 1 {
					t.Errorf("%s: rate[%d] = %v > 1", tc.source, i+1, s.Required)
				}
			}
			checkNear(t, tc.source+": product of gains", prod, 2)
		})
	}
	// Every rate at 1 short of the goal: reported, not an error.
	p := linearPlan(100, 0.9, 0.9)
	r, err := Reverse(p, Goal{Customers: F(150)})
	if err != nil {
		t.Fatal(err)
	}
	if r.Uplift == nil || r.Uplift.Infeasible == "" {
		t.Errorf("MATH.md §b: all stages saturated -> infeasible uplift, got %+v", r.Uplift)
	}
}

// TestWaterFillLaw checks the water-filling law on many factors: the
// product of gains is F and no rate exceeds 1.
func TestWaterFillLaw(t *testing.T) {
	rates := []float64{0.05, 0.4, 0.9, 0.25, 0.99}
	for _, f := range []float64{0.5, 1, 1.5, 2, 5, 20, 100} {
		out, _, err := WaterFill(rates, f)
		if err != nil {
			t.Fatalf("F = %g: %v", f, err)
		}
		prod := 1.0
		for i := range rates {
			if out[i] > 1+1e-12 || out[i] < 0 {
				t.Errorf("F = %g: rate %d = %v", f, i, out[i])
			}
			prod *= out[i] / rates[i]
		}
		checkNear(t, fmt.Sprintf("F = %g: product of gains", f), prod, f)
	}
	if _, _, err := WaterFill(rates, 1e6); err == nil {
		t.Error("F beyond all rates at 1: no error")
	}
}

// TestReverseInvertsForward is the law that ties §a and §b: the forward
// funnel of the required top gives back the goal, with personas too.
func TestReverseInvertsForward(t *testing.T) {
	for _, goal := range []float64{1, 25.8, 100, 12345} {
		p := personaPlan()
		r, err := Reverse(p, Goal{Customers: F(goal)})
		if err != nil {
			t.Fatal(err)
		}
		p.Top = r.Top
		f, err := Forward(p)
		if err != nil {
			t.Fatal(err)
		}
		for i := range f.Stages {
			checkNear(t, fmt.Sprintf("goal %g: stage %d", goal, i), f.Stages[i].Count, r.Stages[i].Required)
		}
		checkNear(t, fmt.Sprintf("goal %g: revenue", goal), f.Revenue, r.Revenue)
	}
	// MATH.md §d: 25.8 customers need the persona funnel's 10 000 visitors.
	r, _ := Reverse(personaPlan(), Goal{Revenue: F(304800)})
	checkNear(t, "MATH.md §d: revenue 304 800 -> top", r.Top, 10000)
}

// TestReverseResponse prices the article's +26.49 % revenue with the power
// curve b = 0.5: it costs +60 % spend (MATH.md §1 claim 3, §b).
func TestReverseResponse(t *testing.T) {
	p := &Plan{
		Version: 1, Name: "ads", Top: 360750, OrderValue: 1500, Margin: F(0.6),
		Stages: []Stage{{ID: "impression"}, {ID: "click", Rate: F(0.014)}, {ID: "order", Rate: F(0.037)}},
		Channels: []Channel{{ID: "ctx", Budget: 100000, Volume: F(360750),
			Response: &Response{Curve: "power", B: F(0.5)}}},
	}
	r, err := Reverse(p, Goal{Revenue: F(280302.75 * math.Sqrt(1.6))})
	if err != nil {
		t.Fatal(err)
	}
	checkNearPtr(t, "MATH.md §b: S = S0 (N0/I0)^(1/b)", r.Budget, 160000)
	if len(r.Assumptions) == 0 {
		t.Error("MATH.md §c.3: the curve is not labelled as an assumption")
	}
	// Doubling revenue needs x4 spend (§c.3).
	r, _ = Reverse(p, Goal{Revenue: F(2 * 280302.75)})
	checkNearPtr(t, "MATH.md §c.3: x2 revenue needs x4 spend", r.Budget, 400000)
	// A net-profit goal under the curve: the solution earns the goal.
	// A net-profit goal under the curve: the smallest volume that earns
	// it (today's 68 181.65 at 100 000 spend; the maximum is 70 712.7).
	r, err = Reverse(p, Goal{Profit: F(70000)})
	if err != nil {
		t.Fatal(err)
	}
	checkNearPtr(t, "net profit under the power curve", r.NetProfit, 70000)
	if r.Top > 0.4662*360750*360750/2e5 {
		t.Errorf("top %v lies beyond the profit maximum", r.Top)
	}
	// More than the curve can ever earn is infeasible with the maximum.
	_, err = Reverse(p, Goal{Profit: F(1e9)})
	var ie *InfeasibleError
	if !errors.As(err, &ie) || ie.MaxProfit == nil {
		t.Fatalf("profit beyond the curve's maximum: err = %v", err)
	}
	// Max of GP(V) − S(V) with S = S0 (V/V0)^2: V* = vm·u·V0²/(2 S0),
	// profit = (gross per impression)² V0² / (4 S0).
	gpi := 0.014 * 0.037 * 1500 * 0.6
	want := gpi * gpi * 360750 * 360750 / (4 * 100000)
	if !near(*ie.MaxProfit, want, 1e-6) {
		t.Errorf("max profit %.4f, want %.4f (hand)", *ie.MaxProfit, want)
	}
}

func TestReverseBadGoal(t *testing.T) {
	p := reversePlan()
	for _, g := range []Goal{{}, {Customers: F(1), Revenue: F(1)}, {Customers: F(-1)}, {Revenue: F(math.NaN())}} {
		if _, err := Reverse(p, g); err == nil {
			t.Errorf("goal %+v: no error", g)
		}
	}
	noMargin := reversePlan()
	noMargin.Margin = nil
	if _, err := Reverse(noMargin, Goal{Profit: F(1), Anchor: &CostAnchor{Pricing: "cpm", Price: 1}}); err == nil {
		t.Error("profit goal without a margin: no error")
	}
}

func ExampleReverse() {
	p := &Plan{
		Version: 1, Name: "webinar", Top: 10000, OrderValue: 12000,
		Stages: []Stage{
			{ID: "visit"},
			{ID: "lead", Rate: F(0.05)},
			{ID: "mql", Rate: F(0.40)},
			{ID: "proposal", Rate: F(0.50)},
			{ID: "customer", Rate: F(0.25)},
		},
	}
	r, err := Reverse(p, Goal{Revenue: F(610000), Integer: true, Anchor: &CostAnchor{Pricing: "cpc", Price: 15}})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range r.Stages {
		fmt.Printf("%-8s %6.0f (now %5.0f)\n", s.ID, s.Required, s.Current)
	}
	fmt.Printf("budget %.0f, %.0f per customer\n", *r.Budget, *r.CostPerCustomer)
	// Output:
	// visit     20400 (now 10000)
	// lead       1020 (now   500)
	// mql         408 (now   200)
	// proposal    204 (now   100)
	// customer     51 (now    25)
	// budget 306000, 6000 per customer
}
