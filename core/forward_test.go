package core

import (
	"fmt"
	"math"
	"testing"
)

// relTol is the tolerance of closed-form results (MATH.md §0).
const relTol = 1e-9

// near reports whether got is within relative tolerance tol of want
// (absolute below 1).
func near(got, want, tol float64) bool {
	return math.Abs(got-want) <= tol*math.Max(1, math.Abs(want))
}

func checkNear(t *testing.T, what string, got, want float64) {
	t.Helper()
	if !near(got, want, relTol) {
		t.Errorf("%s = %.12g, want %.12g", what, got, want)
	}
}

func checkNearPtr(t *testing.T, what string, got *float64, want float64) {
	t.Helper()
	if got == nil {
		t.Errorf("%s = nil, want %.12g", what, want)
		return
	}
	checkNear(t, what, *got, want)
}

// linearPlan builds a plan without personas from a top volume and rates.
func linearPlan(top float64, rates ...float64) *Plan {
	p := &Plan{Version: 1, Name: "test", Top: top, Stages: []Stage{{ID: "s0"}}}
	for i, r := range rates {
		p.Stages = append(p.Stages, Stage{ID: fmt.Sprintf("s%d", i+1), Rate: F(r)})
	}
	return p
}

func TestForwardLinear(t *testing.T) {
	tests := []struct {
		name      string
		source    string
		top       float64
		rates     []float64
		counts    []float64
		dropoffs  []float64
		cum       []float64
		oneIn     float64 // 0: no conversions (nil)
		lossShare []float64
	}{
		{
			name:   "oracle",
			source: "MATH.md §a example",
			top:    10000, rates: []float64{0.05, 0.40, 0.50, 0.25},
			counts:    []float64{10000, 500, 200, 100, 25},
			dropoffs:  []float64{0, 9500, 300, 100, 75},
			cum:       []float64{1, 0.05, 0.02, 0.01, 0.0025},
			oneIn:     400,
			lossShare: []float64{0, 9500 / 9975.0, 300 / 9975.0, 100 / 9975.0, 75 / 9975.0},
		},
		{
			name:   "zero top keeps rates",
			source: "MATH.md §a: N0 = 0 -> all zeros, c defined",
			top:    0, rates: []float64{0.05, 0.40, 0.50, 0.25},
			counts:   []float64{0, 0, 0, 0, 0},
			dropoffs: []float64{0, 0, 0, 0, 0},
			cum:      []float64{1, 0.05, 0.02, 0.01, 0.0025},
			oneIn:    400,
		},
		{
			name:   "zero rate",
			source: "MATH.md §a: p = [0.5, 0] -> 1:N = +Inf",
			top:    100, rates: []float64{0.5, 0},
			counts:    []float64{100, 50, 0},
			dropoffs:  []float64{0, 50, 50},
			cum:       []float64{1, 0.5, 0},
			lossShare: []float64{0, 0.5, 0.5},
		},
		{
			name:   "claim 1 baseline",
			source: "MATH.md §1 claim 1: 200 visitors -> 4 calls -> 1 sale",
			top:    200, rates: []float64{0.02, 0.25},
			counts:    []float64{200, 4, 1},
			dropoffs:  []float64{0, 196, 3},
			cum:       []float64{1, 0.02, 0.005},
			oneIn:     200,
			lossShare: []float64{0, 196 / 199.0, 3 / 199.0},
		},
		{
			name:   "claim 1 expansion",
			source: "MATH.md §1 claim 1: 2000 visitors -> 40 calls -> 10 sales",
			top:    2000, rates: []float64{0.02, 0.25},
			counts:    []float64{2000, 40, 10},
			dropoffs:  []float64{0, 1960, 30},
			cum:       []float64{1, 0.02, 0.005},
			oneIn:     200,
			lossShare: []float64{0, 1960 / 1990.0, 30 / 1990.0},
		},
		{
			name:   "claim 2 site x3",
			source: "MATH.md §1 claim 2: 10000 x [0.03, 0.20, 0.50] = 30",
			top:    10000, rates: []float64{0.03, 0.20, 0.50},
			counts: []float64{10000, 300, 60, 30},
			cum:    []float64{1, 0.03, 0.006, 0.003}, oneIn: 1 / 0.003,
		},
		{
			name:   "claim 2 clamped",
			source: "MATH.md §1 claim 2: clamp -> [0.03, 0.6, 1.0] = 180",
			top:    10000, rates: []float64{0.03, 0.6, 1},
			counts: []float64{10000, 300, 180, 180},
			cum:    []float64{1, 0.03, 0.018, 0.018}, oneIn: 1 / 0.018,
		},
		{
			name:   "claim 2 plus 2 points",
			source: "MATH.md §1 claim 2: [0.03, 0.22, 0.52] = 34.32",
			top:    10000, rates: []float64{0.03, 0.22, 0.52},
			counts: []float64{10000, 300, 66, 34.32},
			cum:    []float64{1, 0.03, 0.0066, 0.003432}, oneIn: 1 / 0.003432,
		},
		{
			name:   "claim 5 decision makers",
			source: "MATH.md §1 claim 5: 20 of 30 reach the decision maker",
			top:    30, rates: []float64{20.0 / 30, 0.5},
			counts: []float64{30, 20, 10},
			cum:    []float64{1, 20.0 / 30, 1.0 / 3}, oneIn: 3,
		},
		{
			name:   "claim 7 one in 80",
			source: "MATH.md §1 claim 7: 4000 enter, 50 buy, 1:80",
			top:    4000, rates: []float64{0.0125},
			counts: []float64{4000, 50},
			cum:    []float64{1, 0.0125}, oneIn: 80,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Forward(linearPlan(tc.top, tc.rates...))
			if err != nil {
				t.Fatalf("%s: %v", tc.source, err)
			}
			for i, want := range tc.counts {
				checkNear(t, fmt.Sprintf("%s: N[%d]", tc.source, i), r.Stages[i].Count, want)
			}
			for i, want := range tc.dropoffs {
				checkNear(t, fmt.Sprintf("%s: dropoff[%d]", tc.source, i), r.Stages[i].Dropoff, want)
			}
			for i, want := range tc.cum {
				checkNear(t, fmt.Sprintf("%s: C[%d]", tc.source, i), r.Stages[i].Cumulative, want)
			}
			for i := 1; i < len(tc.counts); i++ {
				checkNearPtr(t, fmt.Sprintf("%s: rate[%d]", tc.source, i), r.Stages[i].Rate, tc.rates[i-1])
			}
			if tc.oneIn == 0 {
				if r.OneIn != nil {
					t.Errorf("%s: one_in = %v, want nil (no conversions)", tc.source, *r.OneIn)
				}
			} else {
				checkNearPtr(t, tc.source+": one_in", r.OneIn, tc.oneIn)
			}
			checkNear(t, tc.source+": conversion", r.Conversion, tc.cum[len(tc.cum)-1])
			checkNear(t, tc.source+": customers", r.Customers, tc.counts[len(tc.counts)-1])
			for i, want := range tc.lossShare {
				if i == 0 {
					if r.Stages[0].LossShare != nil {
						t.Errorf("%s: top loss share = %v, want nil", tc.source, *r.Stages[0].LossShare)
					}
					continue
				}
				checkNearPtr(t, fmt.Sprintf("%s: loss share[%d]", tc.source, i), r.Stages[i].LossShare, want)
			}
		})
	}
}

// TestForwardClaims checks the ratios of the article's claims that are
// statements about multipliers (MATH.md §1).
func TestForwardClaims(t *testing.T) {
	customers := func(top float64, rates ...float64) float64 {
		r, err := Forward(linearPlan(top, rates...))
		if err != nil {
			t.Fatal(err)
		}
		return r.Customers
	}
	base := customers(10000, 0.01, 0.20, 0.50)
	checkNear(t, "MATH.md §1 claim 2: baseline 10 sales", base, 10)
	tests := []struct {
		name, source string
		got, want    float64
	}{
		{"claim 4 one stage", "MATH.md §1 claim 4: one stage 1 % -> 1.2 % is x1.2",
			customers(10000, 0.012, 0.20, 0.50) / base, 1.2},
		{"claim 4 three stages", "MATH.md §1 claim 4: x1.2 at 3 stages is x1.728",
			customers(10000, 0.012, 0.24, 0.60) / base, 1.728},
		{"claim 5 doubling", "MATH.md §1 claim 5: 0.33 -> 0.66 is x2.0",
			customers(30, 0.66, 0.5) / customers(30, 0.33, 0.5), 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { checkNear(t, tc.source, tc.got, tc.want) })
	}
}

// TestForwardPaidInvoices is MATH.md §1 claim 6: 100 invoices of 10 000,
// 50 % paid -> 60 % paid gives +100 000.
func TestForwardPaidInvoices(t *testing.T) {
	paid := func(rate float64) float64 {
		p := linearPlan(100, rate)
		p.OrderValue = 10000
		r, err := Forward(p)
		if err != nil {
			t.Fatal(err)
		}
		return r.Revenue
	}
	checkNear(t, "MATH.md §1 claim 6: revenue at 50 %", paid(0.5), 500000)
	checkNear(t, "MATH.md §1 claim 6: revenue at 60 %", paid(0.6), 600000)
}

// personaPlan is the persona example of MATH.md §d.
func personaPlan() *Plan {
	p := linearPlan(10000, 0.05, 0.4, 0.5, 0.25)
	p.OrderValue = 12000
	p.Personas = []Persona{
		{ID: "a", Share: 0.6, Rates: StageRates{{"s1", 0.04}, {"s2", 0.5}, {"s3", 0.5}, {"s4", 0.3}}, OrderValue: F(10000)},
		{ID: "b", Share: 0.4, Rates: StageRates{{"s1", 0.065}, {"s2", 0.3}, {"s3", 0.5}, {"s4", 0.2}}, OrderValue: F(16000)},
	}
	return p
}

func TestForwardPersonas(t *testing.T) {
	const source = "MATH.md §d example"
	r, err := Forward(personaPlan())
	if err != nil {
		t.Fatal(err)
	}
	wantA := []float64{6000, 240, 120, 60, 18}
	wantB := []float64{4000, 260, 78, 39, 7.8}
	wantN := []float64{10000, 500, 198, 99, 25.8}
	wantRate := []float64{0, 0.05, 0.396, 0.5, 0.26060606060606}
	for i := range wantN {
		checkNear(t, fmt.Sprintf("%s: A[%d]", source, i), r.Personas[0].Counts[i], wantA[i])
		checkNear(t, fmt.Sprintf("%s: B[%d]", source, i), r.Personas[1].Counts[i], wantB[i])
		checkNear(t, fmt.Sprintf("%s: N[%d]", source, i), r.Stages[i].Count, wantN[i])
		if i > 0 {
			if !near(*r.Stages[i].Rate, wantRate[i], 1e-12) {
				t.Errorf("%s: aggregate rate[%d] = %.12g, want %.12g", source, i, *r.Stages[i].Rate, wantRate[i])
			}
		}
	}
	checkNear(t, source+": revenue", r.Revenue, 304800)
	if !near(*r.AOV, 11813.95, 1e-6) {
		t.Errorf("%s: AOV = %.4f, want 11813.95", source, *r.AOV)
	}
}

// TestForwardZeroTopPersonas: with no volume the rates and the overall
// conversion are still defined (MATH.md §a), from the persona shares (§d).
func TestForwardZeroTopPersonas(t *testing.T) {
	p := personaPlan()
	p.Top = 0
	r, err := Forward(p)
	if err != nil {
		t.Fatal(err)
	}
	const source = "MATH.md §a, §d: N0 = 0 keeps c = 25.8/10 000"
	checkNear(t, source, r.Conversion, 0.00258)
	checkNearPtr(t, source+": one_in", r.OneIn, 1/0.00258)
	checkNearPtr(t, source+": aggregate rate at stage 2", r.Stages[2].Rate, 0.396)
	if r.Customers != 0 || r.Revenue != 0 {
		t.Errorf("%s: customers %v, revenue %v, want 0", source, r.Customers, r.Revenue)
	}
}

// TestForwardCapacity is MATH.md §e rule 3: 80 proposals a month.
func TestForwardCapacity(t *testing.T) {
	const source = "MATH.md §e capacity example"
	p := linearPlan(10000, 0.05, 0.4, 0.5, 0.25)
	p.OrderValue = 12000
	p.Stages[3].Capacity = F(80)
	r, err := Forward(p)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []float64{10000, 500, 200, 80, 20} {
		checkNear(t, fmt.Sprintf("%s: N[%d]", source, i), r.Stages[i].Count, want)
	}
	checkNearPtr(t, source+": utilisation", r.Stages[3].Utilisation, 1.25)
	checkNear(t, source+": revenue", r.Revenue, 240000)
	if len(r.Warnings) != 1 {
		t.Errorf("%s: warnings = %q, want one over-capacity warning", source, r.Warnings)
	}
}

// TestForwardLinearInTop is the proportional-expansion law of MATH.md §e:
// N_0 -> k N_0 multiplies every count and the revenue by k.
func TestForwardLinearInTop(t *testing.T) {
	for _, k := range []float64{0.5, 2, 3.7, 10} {
		p := personaPlan()
		base, err := Forward(p)
		if err != nil {
			t.Fatal(err)
		}
		p.Top *= k
		scaled, err := Forward(p)
		if err != nil {
			t.Fatal(err)
		}
		for i := range base.Stages {
			checkNear(t, fmt.Sprintf("x%g N[%d]", k, i), scaled.Stages[i].Count, k*base.Stages[i].Count)
		}
		checkNear(t, fmt.Sprintf("x%g revenue", k), scaled.Revenue, k*base.Revenue)
		checkNear(t, fmt.Sprintf("x%g conversion", k), scaled.Conversion, base.Conversion)
	}
}

// TestForwardConservation checks that every drop-off plus the customers
// add up to the top and that loss shares sum to 1.
func TestForwardConservation(t *testing.T) {
	r, err := Forward(personaPlan())
	if err != nil {
		t.Fatal(err)
	}
	sum, shares := r.Customers, 0.0
	for _, s := range r.Stages[1:] {
		sum += s.Dropoff
		shares += *s.LossShare
	}
	checkNear(t, "drop-offs + customers", sum, r.Stages[0].Count)
	checkNear(t, "loss shares", shares, 1)
}

func TestForwardTooFewStages(t *testing.T) {
	if _, err := Forward(&Plan{Version: 1, Top: 10, Stages: []Stage{{ID: "a"}}}); err == nil {
		t.Error("Forward with one stage: no error")
	}
}

func ExampleForward() {
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
	r, err := Forward(p)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range r.Stages {
		fmt.Printf("%-8s %7.0f  cumulative %.4f  drop-off %4.0f\n", s.ID, s.Count, s.Cumulative, s.Dropoff)
	}
	fmt.Printf("customers %.0f, revenue %.0f, 1 in %.0f\n", r.Customers, r.Revenue, *r.OneIn)
	// Output:
	// visit      10000  cumulative 1.0000  drop-off    0
	// lead         500  cumulative 0.0500  drop-off 9500
	// mql          200  cumulative 0.0200  drop-off  300
	// proposal     100  cumulative 0.0100  drop-off  100
	// customer      25  cumulative 0.0025  drop-off   75
	// customers 25, revenue 300000, 1 in 400
}
