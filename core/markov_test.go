package core

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// Tolerances of the journey tests.
const (
	// tolPrinted: relative agreement with a number printed to 8
	// significant digits in MATH.md.
	tolPrinted = 1e-7
	// tolExact: relative agreement of two computations of the same exact
	// quantity (MATH.md §0: closed forms 1e-9; the linear funnel 1e-12).
	tolExact  = 1e-12
	tolClosed = 1e-9
)

// exampleChain is the worked example of MATH.md §f: Aware, Consider,
// Intent, Evaluate, weekly steps.
func exampleChain() *Chain {
	return &Chain{
		States: []string{"aware", "consider", "intent", "evaluate"},
		Q:      []float64{.5, .2, 0, 0, .1, .4, .3, 0, 0, .15, .35, .3, 0, 0, .1, .3},
		R:      []float64{0, .3, 0, .2, 0, .2, .4, .2},
		Entry:  []float64{1, 0, 0, 0},
		Days:   []float64{7, 7, 7, 7},
	}
}

// TestChainCheck: every entry out of [0, 1] is named, in row order (Q's
// part, then R's), with the rows that do not sum to 1 (the sums by hand,
// as float64 adds them in order: .1+1.2+.3+0−.8 = 0.8, .1+.3+1.4+.2 and
// .15+.45+.3+.2 one unit in the last place below 2 and 1.1).
func TestChainCheck(t *testing.T) {
	if err := exampleChain().Check(); err != nil {
		t.Fatalf("the worked example: %v", err)
	}
	for _, tc := range []struct {
		name string
		edit func(c *Chain)
		want string
	}{
		{"negative in Q", func(c *Chain) { c.Q[1], c.Q[0] = -.2, .9 },
			`journey: state "aware": -0.2 is not a probability`},
		{"above 1 in Q and R", func(c *Chain) { c.Q[5], c.R[3] = 1.2, -.8 },
			`journey: state "consider": 1.2 is not a probability; state "consider": -0.8 is not a probability; state "consider": row sums to 0.8 (want 1)`},
		{"NaN in R", func(c *Chain) { c.R[7] = math.NaN() }, // |NaN − 1| > tolerance is false
			`journey: state "evaluate": NaN is not a probability`},
		{"bad R and sum", func(c *Chain) { c.R[6] = 1.4 },
			`journey: state "evaluate": 1.4 is not a probability; state "evaluate": row sums to 1.9999999999999998 (want 1)`},
		{"sum only", func(c *Chain) { c.Q[10] = .45 },
			`journey: state "intent": row sums to 1.0999999999999999 (want 1)`},
	} {
		c := exampleChain()
		tc.edit(c)
		if err := c.Check(); err == nil || err.Error() != tc.want {
			t.Errorf("%s: %v, want %s", tc.name, err, tc.want)
		}
	}
}

func TestChainWorkedExample(t *testing.T) {
	r, err := exampleChain().Solve(0)
	if err != nil {
		t.Fatal(err)
	}
	hP := []float64{r.B[0], r.B[2], r.B[4], r.B[6]}
	cases := []struct {
		name string
		got  []float64
		want []float64 // MATH.md §f, example
	}{
		{"N row 0", r.N[:4], []float64{2.1646489, 0.82324455, 0.40677966, 0.17433414}},
		{"B purchase", hP, []float64{0.069733656, 0.17433414, 0.32542373, 0.61791768}},
		{"t", r.Steps, []float64{3.5690073, 3.9225182, 3.3220339, 1.9031477}},
		{"Var", r.StepsVar, []float64{8.9690975, 8.1910546, 6.066073, 2.8301626}},
		{"T days", r.Days, []float64{24.983051, 27.457627, 23.254237, 13.322034}},
		{"T|P days", r.DaysIfPurchase, []float64{53.661017, 39.661017, 26.161017, 11.968227}},
		{"reach from Aware", r.Reach, []float64{1, 0.4, 0.21428571, 0.11285266}},
		{"T|P steps from Aware", []float64{r.EntryDaysIfPurchase / 7}, []float64{7.6658596}},
		{"condition", []float64{r.Condition}, []float64{4.3148}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tol := tolPrinted
			if c.name == "condition" {
				tol = 1e-4 // printed to 5 digits
			}
			for i := range c.want {
				if !relClose(c.got[i], c.want[i], tol) {
					t.Errorf("[%d] = %.10g, want %.10g (MATH.md §f)", i, c.got[i], c.want[i])
				}
			}
		})
	}
	if r.Condition > 2*r.Steps[1] { // κ∞ <= 2·max t (MATH.md §f)
		t.Errorf("condition %g > 2 max t = %g", r.Condition, 2*r.Steps[1])
	}
	if r.MedianStepsIfPurchase != 7 { // MATH.md §f: median 7 steps
		t.Errorf("median steps if purchase = %d, want 7", r.MedianStepsIfPurchase)
	}
	// The step distribution adds up to the absorption probabilities.
	var sp, sl float64
	for k := range r.PurchaseAt {
		sp += r.PurchaseAt[k]
		sl += r.LostAt[k]
	}
	if math.Abs(sp+sl+r.Remaining-1) > 1e-12 || sp > r.Purchase || r.Purchase-sp > r.Remaining || r.Remaining >= pmfShown {
		t.Errorf("step pmf sums to %g and %g (want %g and %g), remaining %g", sp, sl, r.Purchase, r.B[1], r.Remaining)
	}
}

func TestChainSensitivity(t *testing.T) {
	r, err := exampleChain().Solve(0)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name                 string
		state, from, to      string
		delta                float64
		firstOrder, exact    float64 // MATH.md §f, sensitivity
		relative             float64
		exactIsFirstOrderToo bool
	}{
		{"Evaluate lost to purchase", "evaluate", "lost", "purchase", 0.01, 0.00174334, 0.00174334, 0.025, true},
		{"Consider lost to Intent", "consider", "lost", "intent", 0.05, 0.01339517, 0.01374460, 0.197, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e, err := r.Move(c.state, c.from, c.to, c.delta)
			if err != nil {
				t.Fatal(err)
			}
			if !relClose(e.FirstOrder, c.firstOrder, 1e-6) || !relClose(e.Exact, c.exact, 1e-6) {
				t.Errorf("first order %.8g exact %.8g, want %.8g and %.8g", e.FirstOrder, e.Exact, c.firstOrder, c.exact)
			}
			if math.Abs(*e.Relative-c.relative) > 0.0005 {
				t.Errorf("relative %.4f, want %.3f", *e.Relative, c.relative)
			}
			if c.exactIsFirstOrderToo && !relClose(e.Exact, e.FirstOrder, tolExact) {
				t.Errorf("both targets absorbing: exact %g differs from first order %g", e.Exact, e.FirstOrder)
			}
		})
	}
	for _, bad := range []struct {
		state, from, to string
		delta           float64
		want            string
	}{
		{"nowhere", "lost", "purchase", 0.01, "no journey state"},
		{"evaluate", "lost", "purchase", 0.5, "more than the probability"},
		{"evaluate", "lost", "purchase", -1, "not a probability"},
	} {
		if _, err := r.Move(bad.state, bad.from, bad.to, bad.delta); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("Move(%v) error %v, want %q", bad, err, bad.want)
		}
	}
}

func TestChainTrapped(t *testing.T) {
	// MATH.md §f: Q = [[.5,.4],[0,1]], R = [[.1,0],[0,0]] → Invalid, states [1].
	c := &Chain{States: []string{"browse", "loop"}, Q: []float64{.5, .4, 0, 1}, R: []float64{.1, 0, 0, 0},
		Entry: []float64{1, 0}, Days: []float64{7, 7}}
	if got := c.Trapped(); len(got) != 1 || got[0] != 1 {
		t.Fatalf("Trapped = %v, want [1]", got)
	}
	_, err := c.Solve(0)
	var te *TrappedError
	if !errors.As(err, &te) || len(te.States) != 1 || te.States[0] != "loop" || !strings.Contains(err.Error(), `"loop"`) {
		t.Fatalf("Solve error %v, want one naming \"loop\"", err)
	}
	// A horizon makes the chain computable: within 10 steps the trapped
	// mass is lost.
	r, err := c.Solve(10)
	if err != nil {
		t.Fatal(err)
	}
	// h = Σ_{k<10} .5^k .1 (hand).
	if want := 0.1 * (1 - math.Pow(0.5, 10)) / 0.5; !relClose(r.Purchase, want, tolClosed) {
		t.Errorf("purchase within 10 steps = %.12g, want %.12g", r.Purchase, want)
	}
}

func TestChainConditioning(t *testing.T) {
	// MATH.md §f: ping-pong chain with exit ε → t = 1e3/1e6/1.00000003e9,
	// κ∞ = 1999/2e6/2e9; warn when max t > 1e6.
	cases := []struct {
		eps, steps, cond float64
		warn             bool
	}{
		{1e-3, 1e3, 1999, false},
		{1e-6, 1e6, 2e6, false},
		{1e-9, 1.00000003e9, 2e9, true},
	}
	for _, c := range cases {
		t.Run(fmt.Sprint(c.eps), func(t *testing.T) {
			// The exit is the remainder 1 − q as a float, so rows sum to 1
			// exactly (ε = 1e-9 becomes 9.99999972e-10: t = 1.00000003e9).
			q := 1 - c.eps
			ch := &Chain{States: []string{"a", "b"}, Q: []float64{0, q, q, 0}, R: []float64{0, 1 - q, 0, 1 - q},
				Entry: []float64{1, 0}, Days: []float64{1, 1}}
			r, err := ch.Solve(0)
			if err != nil {
				t.Fatal(err)
			}
			if !relClose(r.Steps[0], c.steps, 1e-7) || !relClose(r.Condition, c.cond, 1e-6) {
				t.Errorf("t = %.10g, κ = %.10g; want %g and %g", r.Steps[0], r.Condition, c.steps, c.cond)
			}
			if got := len(r.Warnings) > 0; got != c.warn {
				t.Errorf("warnings %v, want a warning: %v", r.Warnings, c.warn)
			}
		})
	}
	// A self-loop of 1 − 1e-9: the GTH diagonal gives 1e9 steps exactly
	// (the direct 1 − q_ii would give 1 000 000 028).
	ch := &Chain{States: []string{"a"}, Q: []float64{1 - 1e-9}, R: []float64{0, 1e-9}, Entry: []float64{1}, Days: []float64{1}}
	r, err := ch.Solve(0)
	if err != nil {
		t.Fatal(err)
	}
	if !relClose(r.Steps[0], 1e9, tolExact) {
		t.Errorf("self-loop steps = %.12g, want 1e9 (MATH.md §f)", r.Steps[0])
	}
}

func TestChainLinearFunnelOracle(t *testing.T) {
	// MATH.md §f: p = [.05, .4, .5, .25] → B_0P = 0.0025, row 0 of N =
	// [1, .05, .02, .01], t_0 = 1.08.
	p := testFunnelPlan(10000, []float64{.05, .4, .5, .25})
	c, err := FunnelChain(p, 7)
	if err != nil {
		t.Fatal(err)
	}
	r, err := c.Solve(0)
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{1, .05, .02, .01}
	for j, w := range want {
		if !relClose(r.N[j], w, tolClosed) {
			t.Errorf("N[0][%d] = %.12g, want %g", j, r.N[j], w)
		}
	}
	if !relClose(r.Purchase, 0.0025, tolClosed) || !relClose(r.Steps[0], 1.08, tolClosed) {
		t.Errorf("B_0P = %.12g, t_0 = %.12g; want 0.0025 and 1.08", r.Purchase, r.Steps[0])
	}
}

// testFunnelPlan is a plan with the given top and step rates.
func testFunnelPlan(top float64, rates []float64) *Plan {
	p := &Plan{Version: 1, Name: "test", Top: top, OrderValue: 1000}
	p.Stages = append(p.Stages, Stage{ID: "s0"})
	for i, r := range rates {
		p.Stages = append(p.Stages, Stage{ID: fmt.Sprintf("s%d", i+1), Rate: F(r)})
	}
	return p
}

// randomChain is a random absorbing chain: each state moves to a few
// random states (backward and self included) and exits with a random
// positive probability.
func randomChain(rng *rand.Rand, m int) *Chain {
	c := &Chain{States: make([]string, m), Q: make([]float64, m*m), R: make([]float64, 2*m), Entry: make([]float64, m), Days: make([]float64, m)}
	for i := 0; i < m; i++ {
		c.States[i] = fmt.Sprintf("s%d", i)
		c.Days[i] = 1 + 10*rng.Float64()
		w := make([]float64, m+2)
		for k := 0; k < 1+rng.IntN(4); k++ {
			w[rng.IntN(m)] += rng.Float64()
		}
		w[m] = 0.05 * rng.Float64()
		w[m+1] = 0.02 + 0.2*rng.Float64()
		sum := 0.0
		for _, x := range w {
			sum += x
		}
		for j := 0; j < m; j++ {
			c.Q[i*m+j] = w[j] / sum
		}
		c.R[2*i], c.R[2*i+1] = w[m]/sum, w[m+1]/sum
	}
	c.Entry[0] = 1
	return c
}

func TestChainProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := 0; trial < 200; trial++ {
		m := 1 + rng.IntN(30)
		c := randomChain(rng, m)
		r, err := c.Solve(0)
		if err != nil {
			t.Fatalf("trial %d: %v", trial, err)
		}
		for i := 0; i < m; i++ {
			if s := r.B[2*i] + r.B[2*i+1]; math.Abs(s-1) > 1e-12 {
				t.Fatalf("trial %d: row %d of B sums to %.17g", trial, i, s)
			}
			// N (I − Q) = I.
			for j := 0; j < m; j++ {
				if r.N[i*m+j] < 0 {
					t.Fatalf("trial %d: N[%d][%d] = %g < 0", trial, i, j, r.N[i*m+j])
				}
				s := r.N[i*m+j]
				for k := 0; k < m; k++ {
					s -= r.N[i*m+k] * c.Q[k*m+j]
				}
				want := 0.0
				if i == j {
					want = 1
				}
				if math.Abs(s-want) > 1e-10*r.Steps[i] {
					t.Fatalf("trial %d: (N(I−Q))[%d][%d] = %g", trial, i, j, s)
				}
			}
			if r.StepsVar[i] < 0 || r.Reach[i] < 0 || r.Reach[i] > 1 {
				t.Fatalf("trial %d: var %g reach %g", trial, r.StepsVar[i], r.Reach[i])
			}
		}
		// A long horizon converges to the fundamental matrix (checked on
		// every 10th chain: the horizon costs H steps).
		H := 1
		if trial%10 == 0 {
			H = MaxHorizon
		}
		rh, err := c.Solve(H)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < m && trial%10 == 0; i++ {
			if !relClose(rh.B[2*i], r.B[2*i], 1e-9) || !relClose(rh.Steps[i], r.Steps[i], 1e-9) ||
				!relClose(rh.StepsVar[i], r.StepsVar[i], 1e-7) || math.Abs(rh.Reach[i]-r.Reach[i]) > 1e-9 ||
				(r.B[2*i] > 0 && !relClose(rh.DaysIfPurchase[i], r.DaysIfPurchase[i], 1e-9)) {
				t.Fatalf("trial %d state %d: horizon %d gives h %g t %g var %g reach %g T|P %g; no horizon %g %g %g %g %g", trial, i, MaxHorizon,
					rh.B[2*i], rh.Steps[i], rh.StepsVar[i], rh.Reach[i], rh.DaysIfPurchase[i], r.B[2*i], r.Steps[i], r.StepsVar[i], r.Reach[i], r.DaysIfPurchase[i])
			}
		}
		// Sherman–Morrison equals solving the changed chain.
		k := rng.IntN(m)
		to := rng.IntN(m + 1) // a transient state or purchase
		toID := StatePurchase
		if to < m {
			toID = c.States[to]
		}
		d := c.R[2*k+1] * rng.Float64()
		e, err := r.Move(c.States[k], StateLost, toID, d)
		if err != nil {
			t.Fatal(err)
		}
		c2 := *c
		c2.Q = append([]float64{}, c.Q...)
		c2.R = append([]float64{}, c.R...)
		c2.R[2*k+1] -= d
		if to < m {
			c2.Q[k*m+to] += d
		} else {
			c2.R[2*k] += d
		}
		r2, err := c2.Solve(0)
		if err != nil {
			t.Fatal(err)
		}
		if want := r2.Purchase - r.Purchase; math.Abs(e.Exact-want) > 1e-12+1e-9*math.Abs(want) {
			t.Fatalf("trial %d: Sherman–Morrison %.15g, solved again %.15g", trial, e.Exact, want)
		}
	}
}

// TestLinearFunnelEqualsForward: a linear funnel written as a journey gives
// exactly the forward funnel (MATH.md §f, linear special case).
func TestLinearFunnelEqualsForward(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := 0; trial < 300; trial++ {
		n := 1 + rng.IntN(12)
		rates := make([]float64, n)
		for i := range rates {
			rates[i] = rng.Float64()
			if rng.IntN(20) == 0 {
				rates[i] = 1
			}
		}
		p := testFunnelPlan(1+1e6*rng.Float64(), rates)
		p.Journey = &Journey{StepDays: 7, Transitions: map[string]map[string]float64{}}
		for i := 0; i < n; i++ {
			next := StatePurchase
			if i+1 < n {
				next = p.Stages[i+1].ID
			}
			p.Journey.Transitions[p.Stages[i].ID] = map[string]float64{next: rates[i], StateLost: 1 - rates[i]}
		}
		if err := p.Validate(); err != nil {
			t.Fatal(err)
		}
		f, err := Forward(p)
		if err != nil {
			t.Fatal(err)
		}
		j, err := AnalyzeJourney(p)
		if err != nil {
			t.Fatalf("trial %d: %v", trial, err)
		}
		if !relClose(j.Purchases, f.Customers, tolExact) {
			t.Fatalf("trial %d: journey purchases %.17g, forward customers %.17g", trial, j.Purchases, f.Customers)
		}
		for i := 0; i < n; i++ {
			got := j.Entrants * j.States[i].Visits
			if !relClose(got, f.Stages[i].Count, tolExact) || !relClose(j.Entrants*j.States[i].Reach, f.Stages[i].Count, tolExact) {
				t.Fatalf("trial %d stage %d: journey %.17g, forward %.17g", trial, i, got, f.Stages[i].Count)
			}
		}
		for _, s := range j.Stages {
			if s.Disagree {
				t.Fatalf("trial %d: stage %s disagrees with itself: %+v", trial, s.ID, s)
			}
		}
	}
}

func BenchmarkJourney50(b *testing.B) {
	rng := rand.New(rand.NewPCG(5, 6))
	c := randomChain(rng, 50)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Solve(0); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAnalyzeJourney50 is the whole journey analysis of a 50-state
// plan: chain from the plan's maps, solve, levers, step distribution.
func BenchmarkAnalyzeJourney50(b *testing.B) {
	rng := rand.New(rand.NewPCG(5, 6))
	c := randomChain(rng, 50)
	p := testFunnelPlan(10000, []float64{0.5})
	p.Journey = &Journey{Transitions: map[string]map[string]float64{}, States: c.States}
	m := len(c.States)
	for i, s := range c.States {
		row := map[string]float64{StatePurchase: c.R[2*i], StateLost: c.R[2*i+1]}
		for j := 0; j < m; j++ {
			if q := c.Q[i*m+j]; q > 0 {
				row[c.States[j]] = q
			}
		}
		p.Journey.Transitions[s] = row
	}
	if err := p.Validate(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := AnalyzeJourney(p); err != nil {
			b.Fatal(err)
		}
	}
}

// probSum is the plain loop: the same sum to the bit, in order, and ok
// exactly when every entry is in [0, 1], for every length and position
// of a bad entry.
func TestProbSumIsThePlainLoop(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	for n := 0; n <= 11; n++ {
		for bad := -1; bad < n; bad++ {
			for _, v := range []float64{math.NaN(), -0.1, 1.5} {
				xs := make([]float64, n)
				for i := range xs {
					xs[i] = rng.Float64()
				}
				if bad >= 0 {
					xs[bad] = v
				}
				want, wantOK := 0.0, true
				for _, x := range xs {
					want += x
					if !(x >= 0 && x <= 1) {
						wantOK = false
					}
				}
				got, ok := probSum(xs)
				if ok != wantOK || math.Float64bits(got) != math.Float64bits(want) && !(math.IsNaN(got) && math.IsNaN(want)) {
					t.Fatalf("n %d, bad %d (%v): %v %v, want %v %v", n, bad, v, got, ok, want, wantOK)
				}
			}
		}
	}
}
