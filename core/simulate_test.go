package core

import (
	"context"
	"math"
	"slices"
	"sort"
	"sync/atomic"
	"testing"

	"gonum.org/v1/gonum/mathext/prng"
)

// Tolerances (MATH.md §0).
const (
	tolSpecial = 1e-10 // special functions, absolute
	tolMCExact = 1e-9  // Monte Carlo with the specified generator, relative
)

func relClose(a, b, tol float64) bool {
	return math.Abs(a-b) <= tol*math.Max(math.Abs(a), math.Abs(b))
}

func TestSplitMix64Vectors(t *testing.T) {
	// MATH.md §j: SplitMix64 test vector, seed 0.
	want := []uint64{0xe220a8397b1dcdaf, 0x6e789e6aa1b965f4, 0x06c45d188009454f}
	g := prng.NewSplitMix64(0) // gonum's generator as an independent check
	for i, w := range want {
		if got := splitMix64At(0, uint64(i)); got != w {
			t.Errorf("output %d = %016x, want %016x", i, got, w)
		}
		if got := g.Uint64(); got != w {
			t.Errorf("gonum output %d = %016x, want %016x", i, got, w)
		}
	}
	// Random access agrees with stepping for many outputs.
	g = prng.NewSplitMix64(42)
	for i := uint64(0); i < 1000; i++ {
		if a, b := splitMix64At(42, i), g.Uint64(); a != b {
			t.Fatalf("output %d: random access %x, stepping %x", i, a, b)
		}
	}
	// MATH.md §j: SplitMix64(42) first uniform 0.7415648787718234.
	if got := unitOpen(splitMix64At(42, 0)); got != 0.7415648787718234 {
		t.Errorf("first uniform of seed 42 = %.16g, want 0.7415648787718234", got)
	}
}

func TestUnitOpen(t *testing.T) {
	for _, out := range []uint64{0, 1, 1 << 11, math.MaxUint64, math.MaxUint64 - 1<<11} {
		u := unitOpen(out)
		if !(u > 0 && u < 1) {
			t.Errorf("unitOpen(%x) = %g, want in (0, 1)", out, u)
		}
	}
	// Antithetic partners: 1 − u exactly, below the top.
	if u, v := unit53(12345), unit53(1<<53-1-12345); u+v != 1 {
		t.Errorf("unit53 partners sum to %.17g, want 1", u+v)
	}
}

func TestSpecialFunctionOracles(t *testing.T) {
	tests := []struct {
		name string
		got  float64
		want float64
	}{
		// MATH.md §j oracles.
		{"I⁻¹_0.975(3.5,4.5)", invRegIncBeta(0.975, 3.5, 4.5), 0.76549875074790},
		{"I_0.4(2,3)", regIncBeta(0.4, 2, 3), 0.5248},
		// MATH.md §k.2: x = 0 closed form 1 − (1−u)^{1/(n+1)}, n = 20.
		{"I⁻¹_0.95(1,21)", invRegIncBeta(0.95, 1, 21), 1 - math.Pow(0.05, 1.0/21)},
		// Φ⁻¹(0.975) = 1.959963984540054 (standard table).
		{"Φ⁻¹(0.975)", normQuantile(0.975), 1.959963984540054},
		{"Φ(1.959963984540054)", normCDF(1.959963984540054), 0.975},
	}
	for _, tt := range tests {
		if math.Abs(tt.got-tt.want) > tolSpecial {
			t.Errorf("%s = %.15g, want %.15g", tt.name, tt.got, tt.want)
		}
	}
	for _, bad := range [][3]float64{{-0.1, 1, 1}, {0.5, 0, 1}, {0.5, 1, -2}, {math.NaN(), 1, 1}, {0.5, math.Inf(1), 1}} {
		if v := invRegIncBeta(bad[0], bad[1], bad[2]); !math.IsNaN(v) {
			t.Errorf("invRegIncBeta%v = %g, want NaN", bad, v)
		}
		if v := regIncBeta(bad[0], bad[1], bad[2]); !math.IsNaN(v) {
			t.Errorf("regIncBeta%v = %g, want NaN", bad, v)
		}
	}
}

func TestDistMoments(t *testing.T) {
	f := F
	tests := []struct {
		name       string
		d          Dist
		mean, sd   float64
		p10, p90   float64 // NaN: not checked
		checkQuant bool
	}{
		// MATH.md §j table: PERT(0.03,0.05,0.08) has α = 2.6, β = 3.4,
		// mean (a+4m+b)/6 = 0.051667.
		{"pert", Dist{PERT: &PERTDist{Min: 0.03, Mode: 0.05, Max: 0.08}}, (0.03 + 4*0.05 + 0.08) / 6, math.NaN(), 0, 0, false},
		// Beta(40,60): mean 0.4, var αβ/((α+β)²(α+β+1)) = 2400/(10000·101).
		{"beta", Dist{Beta: &BetaDist{Alpha: f(40), Beta: f(60)}}, 0.4, math.Sqrt(2400.0 / (10000 * 101)), 0, 0, false},
		// successes 24 of 98 → Beta(25, 75): mean 0.25.
		{"beta counts", Dist{Beta: &BetaDist{Successes: f(24), Trials: f(98)}}, 0.25, math.Sqrt(25.0 * 75 / (100 * 100 * 101)), 0, 0, false},
		// Triangular(0.4,0.5,0.6): mean 0.5, var (a²+b²+c²−ab−ac−bc)/18 = 0.03/18·… = 0.01/6.
		{"triangular", Dist{Triangular: &TriangularDist{Min: 0.4, Mode: 0.5, Max: 0.6}}, 0.5, math.Sqrt(0.03 / 18), 0.4 + math.Sqrt(0.1*0.2*0.1), 0.6 - math.Sqrt(0.1*0.2*0.1), true},
		// Lognormal M = 10000, σ = 0.2: mean M e^{σ²/2}; P10/P90 = M e^{∓1.2815516σ}.
		{"lognormal", Dist{Lognormal: &LognormalDist{Median: f(10000), Sigma: f(0.2)}}, 10000 * math.Exp(0.02), 10000 * math.Exp(0.02) * math.Sqrt(math.Exp(0.04)-1), 10000 * math.Exp(-0.2*1.2815515655446004), 10000 * math.Exp(0.2*1.2815515655446004), true},
		// mean 1000, CV 0.5: σ² = ln 1.25; the mean and CV come back.
		{"lognormal mean cv", Dist{Lognormal: &LognormalDist{Mean: f(1000), CV: f(0.5)}}, 1000, 500, 0, 0, false},
		// P10 800, P90 1250 come back as the quantiles.
		{"lognormal p10 p90", Dist{Lognormal: &LognormalDist{P10: f(800), P90: f(1250)}}, math.NaN(), math.NaN(), 800, 1250, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := tt.d.Summary()
			if err != nil {
				t.Fatal(err)
			}
			if !math.IsNaN(tt.mean) && !relClose(s.Mean, tt.mean, 1e-9) {
				t.Errorf("mean = %.12g, want %.12g", s.Mean, tt.mean)
			}
			if !math.IsNaN(tt.sd) && !relClose(s.SD, tt.sd, 1e-9) {
				t.Errorf("sd = %.12g, want %.12g", s.SD, tt.sd)
			}
			if tt.checkQuant && (!relClose(s.P10, tt.p10, 1e-9) || !relClose(s.P90, tt.p90, 1e-9)) {
				t.Errorf("p10, p90 = %.12g, %.12g, want %.12g, %.12g", s.P10, s.P90, tt.p10, tt.p90)
			}
		})
	}
	if _, err := (Dist{}).Summary(); err == nil {
		t.Error("empty distribution: no error")
	}
	if _, err := (Dist{Triangular: &TriangularDist{Min: 1, Mode: 0, Max: 2}}).Summary(); err == nil {
		t.Error("mode below min: no error")
	}
}

// exampleJ is the plan of the MATH.md §j example: V ~ lognormal(10 000,
// 0.2), p₁ ~ PERT(0.03, 0.05, 0.08), p₂ ~ Beta(40, 60), p₃ ~
// Triangular(0.4, 0.5, 0.6), p₄ ~ Beta(25, 75), v = 12 000.
func exampleJ() *Plan {
	return &Plan{
		Version: 1, Name: "§j", Top: 10000, OrderValue: 12000,
		Stages: []Stage{{ID: "s0"}, {ID: "s1", Rate: F(0.05)}, {ID: "s2", Rate: F(0.4)}, {ID: "s3", Rate: F(0.5)}, {ID: "s4", Rate: F(0.25)}},
		Uncertainty: map[string]Dist{
			"top":            {Lognormal: &LognormalDist{Median: F(10000), Sigma: F(0.2)}},
			"stages.s1.rate": {PERT: &PERTDist{Min: 0.03, Mode: 0.05, Max: 0.08}},
			"stages.s2.rate": {Beta: &BetaDist{Alpha: F(40), Beta: F(60)}},
			"stages.s3.rate": {Triangular: &TriangularDist{Min: 0.4, Mode: 0.5, Max: 0.6}},
			"stages.s4.rate": {Beta: &BetaDist{Alpha: F(25), Beta: F(75)}},
		},
	}
}

var exampleJOrder = []string{"top", "stages.s1.rate", "stages.s2.rate", "stages.s3.rate", "stages.s4.rate"}

// analyticJ returns E[R] and sd[R] of a product of independent factors
// (MATH.md §j analytic shortcuts).
func analyticJ(t *testing.T, p *Plan) (mean, sd float64) {
	m, m2 := p.OrderValue, p.OrderValue*p.OrderValue
	for _, d := range p.Uncertainty {
		s, err := d.compile()
		if err != nil {
			t.Fatal(err)
		}
		m *= s.mean()
		m2 *= s.moment2()
	}
	return m, math.Sqrt(m2 - m*m)
}

func TestSimulateReferenceStreams(t *testing.T) {
	// MATH.md §j example with the reference substreams 1..5, seed 42,
	// n = 20 000: the exact digits of that generator.
	p := exampleJ()
	r, err := Simulate(context.Background(), p, SimOptions{Trials: 20000, Seed: 42, streamOrder: exampleJOrder})
	if err != nil {
		t.Fatal(err)
	}
	sorted := slices.Clone(r.RevenueDraws)
	sort.Float64s(sorted)
	checks := []struct {
		name      string
		got, want float64
		tol       float64
	}{
		{"smallest R", sorted[0], 75007.304, 5e-8},
		{"2nd smallest R", sorted[1], 77694.305, 5e-8},
		{"3rd smallest R", sorted[2], 78337.080, 5e-8},
		{"mean", r.Revenue.Mean, 316657.99, 5e-8},
		{"se", r.Revenue.SE, 810.83, 5e-6},
		{"sd", r.Revenue.SD, 114668.34, 5e-8},
		{"p10", r.Revenue.P10, 187018.83, 5e-8},
		{"p50", r.Revenue.P50, 298985.76, 5e-8},
		{"p90", r.Revenue.P90, 468174.96, 5e-8},
	}
	for _, c := range checks {
		if !relClose(c.got, c.want, c.tol) {
			t.Errorf("%s = %.3f, want %.3f (MATH.md §j)", c.name, c.got, c.want)
		}
	}
	// Antithetic: 10 000 pairs, mean 316 663.10, SE 261.94 (MATH.md §j).
	a, err := Simulate(context.Background(), p, SimOptions{Trials: 20000, Seed: 42, Antithetic: true, streamOrder: exampleJOrder})
	if err != nil {
		t.Fatal(err)
	}
	if !relClose(a.Revenue.Mean, 316663.10, 5e-8) || !relClose(a.Revenue.SE, 261.94, 5e-5) {
		t.Errorf("antithetic mean, se = %.2f, %.2f, want 316663.10, 261.94", a.Revenue.Mean, a.Revenue.SE)
	}
}

func TestSimulateStatistical(t *testing.T) {
	p := exampleJ()
	mean, sd := analyticJ(t, p)
	// MATH.md §j: analytic E[R] = 316 262.42, sd 114 408.26.
	if math.Abs(mean-316262.42) > 0.005 || math.Abs(sd-114408.26) > 0.005 {
		t.Fatalf("analytic mean, sd = %.2f, %.2f, want 316262.42, 114408.26", mean, sd)
	}
	for _, anti := range []bool{false, true} {
		for _, seed := range []uint64{1, 2, 42} {
			r, err := Simulate(context.Background(), p, SimOptions{Trials: 20000, Seed: seed, Antithetic: anti})
			if err != nil {
				t.Fatal(err)
			}
			if d := math.Abs(r.Revenue.Mean - mean); d > 4*r.Revenue.SE {
				t.Errorf("seed %d antithetic %v: mean %.2f is %.1f SE from the analytic %.2f", seed, anti, r.Revenue.Mean, d/r.Revenue.SE, mean)
			}
			if !anti {
				// SE ≈ sd/√n with the analytic sd.
				if !relClose(r.Revenue.SE, sd/math.Sqrt(20000), 0.05) {
					t.Errorf("seed %d: SE %.2f, want about %.2f", seed, r.Revenue.SE, sd/math.Sqrt(20000))
				}
				// Quantiles within sampling error of the reference run's
				// (MATH.md §j: P10 187 018.83, P50 298 985.76, P90 468 174.96):
				// the share of draws below each reference quantile is q
				// within 4 SE of two independent estimates.
				for _, q := range []struct{ q, x float64 }{{0.1, 187018.83}, {0.5, 298985.76}, {0.9, 468174.96}} {
					k := 0
					for _, x := range r.RevenueDraws {
						if x <= q.x {
							k++
						}
					}
					share := float64(k) / 20000
					if se := math.Sqrt(2 * q.q * (1 - q.q) / 20000); math.Abs(share-q.q) > 4*se {
						t.Errorf("seed %d: %.4f of draws below the reference P%.0f, want %.2f ± %.4f", seed, share, 100*q.q, q.q, 4*se)
					}
				}
			} else if r.Revenue.SE > 0.5*sd/math.Sqrt(20000) {
				// Antithetic pairs cut the variance of the mean (MATH.md §j:
				// about 9.6 times).
				t.Errorf("seed %d: antithetic SE %.2f not below half the plain %.2f", seed, r.Revenue.SE, sd/math.Sqrt(20000))
			}
		}
	}
}

func TestSimulateDeterminism(t *testing.T) {
	p := exampleJ()
	ctx := context.Background()
	one, err := Simulate(ctx, p, SimOptions{Trials: 3000, Seed: 7, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []int{2, 3, 8} {
		var done atomic.Int64
		r, err := Simulate(ctx, p, SimOptions{Trials: 3000, Seed: 7, Workers: w, Progress: func(n int) { done.Add(int64(n)) }})
		if done.Load() != 3000 {
			t.Errorf("progress counted %d trials, want 3000", done.Load())
		}
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(one.RevenueDraws, r.RevenueDraws) || one.Revenue != r.Revenue {
			t.Fatalf("%d workers give other draws than 1 worker", w)
		}
	}
	// Adding an input (margin does not touch revenue) keeps every other
	// input's draws: the revenue of every trial is unchanged.
	q := p.Clone()
	q.Margin = F(0.5)
	q.Uncertainty["margin"] = Dist{Triangular: &TriangularDist{Min: 0.4, Mode: 0.5, Max: 0.6}}
	r, err := Simulate(ctx, q, SimOptions{Trials: 3000, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(one.RevenueDraws, r.RevenueDraws) {
		t.Error("adding an input changed the other inputs' draws")
	}
	if len(r.Warnings) != 1 {
		t.Errorf("warnings = %q, want one about margin", r.Warnings)
	}
	// Another seed gives other draws.
	o, _ := Simulate(ctx, p, SimOptions{Trials: 3000, Seed: 8})
	if slices.Equal(one.RevenueDraws, o.RevenueDraws) {
		t.Error("seeds 7 and 8 give the same draws")
	}
}

// simPlan8x10 is an 8-persona × 10-stage plan with overrides, capacities
// and uncertainty on every kind of forward input.
func simPlan8x10() *Plan {
	ids := []string{"visit", "signup", "lead", "mql", "sql", "demo", "trial", "proposal", "negotiation", "customer"}
	p := &Plan{Version: 1, Name: "8x10", Top: 50000, OrderValue: 9000}
	for i, id := range ids {
		s := Stage{ID: id}
		if i > 0 {
			s.Rate = F(0.3 + 0.05*float64(i%5))
		}
		p.Stages = append(p.Stages, s)
	}
	p.Stages[7].Capacity = F(400)
	p.Uncertainty = map[string]Dist{
		"top":                      {Lognormal: &LognormalDist{Median: F(50000), Sigma: F(0.25)}},
		"order_value":              {Lognormal: &LognormalDist{Mean: F(9000), CV: F(0.2)}},
		"stages.proposal.capacity": {Triangular: &TriangularDist{Min: 100, Mode: 150, Max: 400}},
	}
	for i, id := range ids[1:] {
		switch i % 3 {
		case 0:
			p.Uncertainty["stages."+id+".rate"] = Dist{Beta: &BetaDist{Successes: F(float64(30 + i)), Trials: F(100)}}
		case 1:
			p.Uncertainty["stages."+id+".rate"] = Dist{PERT: &PERTDist{Min: 0.2, Mode: 0.35, Max: 0.5}}
		default:
			p.Uncertainty["stages."+id+".rate"] = Dist{Triangular: &TriangularDist{Min: 0.25, Mode: 0.4, Max: 0.5}}
		}
	}
	for j := 0; j < 8; j++ {
		x := Persona{ID: string(rune('a' + j)), Share: 0.125, Rates: StageRates{}}
		if j%2 == 0 {
			x.Rates.Set(ids[1+j], 0.2+0.02*float64(j))
			x.OrderValue = F(5000 + 1000*float64(j))
		}
		p.Personas = append(p.Personas, x)
	}
	p.Uncertainty["personas.a.rates.signup"] = Dist{Beta: &BetaDist{Alpha: F(20), Beta: F(80)}}
	p.Uncertainty["personas.b.rates.lead"] = Dist{PERT: &PERTDist{Min: 0.1, Mode: 0.2, Max: 0.4}}
	p.Uncertainty["personas.c.share"] = Dist{Triangular: &TriangularDist{Min: 0.1, Mode: 0.125, Max: 0.15}}
	p.Uncertainty["personas.e.order_value"] = Dist{Lognormal: &LognormalDist{P10: F(6000), P90: F(12000)}}
	return p
}

func TestSimulateFastMatchesForward(t *testing.T) {
	// The fast evaluation performs Forward's arithmetic: identical numbers.
	group := simPlan8x10()
	group.BuyingGroup = &BuyingGroup{Size: 5.4, Approval: 0.9}
	plans := map[string]*Plan{"8x10": simPlan8x10(), "§j": exampleJ(), "8x10 with a buying group": group}
	for name, p := range plans {
		if err := p.Validate(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		fast, err := Simulate(context.Background(), p, SimOptions{Trials: 1000, Seed: 3})
		if err != nil {
			t.Fatal(err)
		}
		slow, err := Simulate(context.Background(), p, SimOptions{Trials: 1000, Seed: 3, general: true})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(fast.RevenueDraws, slow.RevenueDraws) || !slices.Equal(fast.CustomersDraws, slow.CustomersDraws) {
			for i := range fast.RevenueDraws {
				if fast.RevenueDraws[i] != slow.RevenueDraws[i] {
					t.Fatalf("%s: trial %d revenue fast %v, Forward %v", name, i, fast.RevenueDraws[i], slow.RevenueDraws[i])
				}
			}
			t.Fatalf("%s: customers differ", name)
		}
		for i := range fast.Stages {
			if fast.Stages[i] != slow.Stages[i] {
				t.Errorf("%s: stage %d: fast %+v, Forward %+v", name, i, fast.Stages[i], slow.Stages[i])
			}
		}
	}
}

func TestSimulateScenarioCommonRandomNumbers(t *testing.T) {
	p := exampleJ()
	p.Scenarios = []Scenario{{ID: "more", Changes: []Change{{Target: "stages.s1.rate", Op: "mul", Value: 1.2}}}}
	ctx := context.Background()
	b, err := Simulate(ctx, p, SimOptions{Trials: 2000, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	s, err := Simulate(ctx, p, SimOptions{Trials: 2000, Seed: 5, Scenario: "more"})
	if err != nil {
		t.Fatal(err)
	}
	// Same draws, p₁ × 1.2 after sampling: every trial's revenue × 1.2
	// (MATH.md §a: revenue is linear in each rate).
	for i := range b.RevenueDraws {
		if !relClose(s.RevenueDraws[i], 1.2*b.RevenueDraws[i], 1e-12) {
			t.Fatalf("trial %d: scenario %v, baseline %v × 1.2", i, s.RevenueDraws[i], b.RevenueDraws[i])
		}
	}
	if _, err := Simulate(ctx, p, SimOptions{Scenario: "nope"}); err == nil {
		t.Error("unknown scenario: no error")
	}
}

func TestSimulateGoal(t *testing.T) {
	p := exampleJ()
	// The goal at the reference median: P(goal) ≈ 0.5 within 4 SE.
	r, err := Simulate(context.Background(), p, SimOptions{Trials: 20000, Seed: 11, Goal: F(298985.76), CustomersGoal: F(0)})
	if err != nil {
		t.Fatal(err)
	}
	if r.PGoal == nil || math.Abs(*r.PGoal-0.5) > 4*math.Sqrt(2*0.25/20000) {
		t.Errorf("p_goal = %v, want 0.5 ± sampling error", r.PGoal)
	}
	if r.PCustomersGoal == nil || *r.PCustomersGoal != 1 {
		t.Errorf("p_customers_goal = %v, want 1", r.PCustomersGoal)
	}
	for _, bad := range []SimOptions{{Trials: -1}, {Trials: MaxTrials + 1}, {Goal: F(math.NaN())}} {
		if _, err := Simulate(context.Background(), p, bad); err == nil {
			t.Errorf("%+v: no error", bad)
		}
	}
}

func TestSimulateCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Simulate(ctx, exampleJ(), SimOptions{Trials: 5000}); err == nil {
		t.Error("cancelled context: no error")
	}
}

func TestQuantile7(t *testing.T) {
	// Type 7 (R's default): for 1..5, q = 0.1 → h = 0.4 → 1.4; q = 0.9 → 4.6.
	xs := []float64{1, 2, 3, 4, 5}
	for _, c := range []struct{ q, want float64 }{{0, 1}, {0.1, 1.4}, {0.5, 3}, {0.9, 4.6}, {1, 5}} {
		if got := quantile7(xs, c.q); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("quantile7(%g) = %g, want %g", c.q, got, c.want)
		}
	}
}

func BenchmarkSimulate10k(b *testing.B) {
	p := simPlan8x10()
	ctx := context.Background()
	for _, w := range []struct {
		name string
		n    int
	}{{"1core", 1}, {"allcores", 0}} {
		b.Run(w.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Simulate(ctx, p, SimOptions{Trials: 10000, Seed: 1, Workers: w.n}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func TestSimulateForecast(t *testing.T) {
	// Without lags a period's purchases are top · Π p (MATH.md §g with f =
	// δ₀), so every period's band is the §j distribution of customers:
	// mean E[V]·Π E[p_i] = 316 262.42 / 12 000 within 4 SE.
	p := exampleJ()
	r, err := SimulateForecast(context.Background(), p, SimOptions{Trials: 4000, Seed: 9}, ForecastOptions{Periods: 3})
	if err != nil {
		t.Fatal(err)
	}
	want := 316262.42 / 12000
	if len(r.Periods) != 3 {
		t.Fatalf("%d periods", len(r.Periods))
	}
	for _, b := range r.Periods {
		if math.Abs(b.Purchases.Mean-want) > 4*b.Purchases.SE {
			t.Errorf("period %d: purchases %.4f ± %.4f, want %.4f", b.Index, b.Purchases.Mean, b.Purchases.SE, want)
		}
		if !(b.Purchases.P10 < b.Purchases.P50 && b.Purchases.P50 < b.Purchases.P90) {
			t.Errorf("period %d: quantiles %+v", b.Index, b.Purchases)
		}
	}
	// Same seed, same streams: the total's draws equal three periods of
	// the funnel simulation's customers (common random numbers).
	s, err := Simulate(context.Background(), p, SimOptions{Trials: 4000, Seed: 9})
	if err != nil {
		t.Fatal(err)
	}
	if !relClose(r.Purchases.Mean, 3*s.Customers.Mean, 1e-9) || !relClose(r.Revenue.P90, 3*s.Revenue.P90, 1e-9) {
		t.Errorf("total purchases %v, 3 × customers %v", r.Purchases.Mean, 3*s.Customers.Mean)
	}
	if _, err := SimulateForecast(context.Background(), p, SimOptions{Trials: 10}, ForecastOptions{Periods: 0}); err == nil {
		t.Error("0 periods: no error")
	}
}

func TestSimulateScenarios(t *testing.T) {
	p := exampleJ()
	p.Scenarios = []Scenario{
		{ID: "more", Name: "20 % more leads", Changes: []Change{{Target: "stages.s1.rate", Op: "mul", Value: 1.2}}},
		{ID: "same", Changes: []Change{{Target: "top", Op: "mul", Value: 1}}},
	}
	c, err := SimulateScenarios(context.Background(), p, nil, SimOptions{Trials: 5000, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Scenarios) != 2 {
		t.Fatalf("%d scenarios", len(c.Scenarios))
	}
	m := c.Scenarios[0]
	// Paired: every trial gains exactly 20 %, so P(better) = 1 and the
	// mean difference is 0.2 × the baseline mean.
	if m.PBetter != 1 || !relClose(m.RevenueDiff.Mean, 0.2*c.Baseline.Revenue.Mean, 1e-9) {
		t.Errorf("more: p_better %v, diff %v, want 1 and %v", m.PBetter, m.RevenueDiff.Mean, 0.2*c.Baseline.Revenue.Mean)
	}
	// Common random numbers: the difference's SE is far below the SE two
	// independent runs would give (√2 × the baseline SE).
	if m.RevenueDiff.SE > 0.5*math.Sqrt2*c.Baseline.Revenue.SE {
		t.Errorf("SE of the difference %v is not below independent runs' %v", m.RevenueDiff.SE, math.Sqrt2*c.Baseline.Revenue.SE)
	}
	if s := c.Scenarios[1]; s.RevenueDiff.Mean != 0 || s.RevenueDiff.SD != 0 || s.PBetter != 0 {
		t.Errorf("identity scenario: %+v", s)
	}
	if _, err := SimulateScenarios(context.Background(), p, []string{"nope"}, SimOptions{Trials: 10}); err == nil {
		t.Error("unknown scenario: no error")
	}
}

// A scenario that pushes a sampled rate past 1 is clamped in those trials
// and said once, with their count. Lead's rate is triangular 0.7/0.8/0.9
// and the scenario adds 0.2: the trials whose draw is above the mode 0.8
// go over 1. With antithetic pairs (u, 1−u) of a symmetric distribution
// exactly one trial of every pair does: 1000 of 2000.
func TestSimulateWarnsOfClampedTrials(t *testing.T) {
	p, err := DecodeBytes([]byte(`{"funnelplan": 1, "name": "clamp", "top": 1000, "order_value": 10,
	  "stages": [{"id": "visit"}, {"id": "lead", "rate": 0.8}, {"id": "customer", "rate": 0.5}],
	  "uncertainty": {"stages.lead.rate": {"triangular": {"min": 0.7, "mode": 0.8, "max": 0.9}}},
	  "scenarios": [{"id": "push", "name": "Push", "changes": [{"target": "stages.lead.rate", "op": "add", "value": 0.2}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	want := `scenario "push" pushed a value out of range in 1000 of 2000 trials; it was clamped`
	opt := SimOptions{Trials: 2000, Seed: 3, Antithetic: true, Scenario: "push"}
	r, err := Simulate(context.Background(), p, opt)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(r.Warnings, want) {
		t.Errorf("Simulate warnings %q, want %q", r.Warnings, want)
	}
	f, err := SimulateForecast(context.Background(), p, opt, ForecastOptions{Periods: 3})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(f.Warnings, want) {
		t.Errorf("SimulateForecast warnings %q, want %q", f.Warnings, want)
	}
	// The baseline clamps nothing.
	opt.Scenario = ""
	if r, _ := Simulate(context.Background(), p, opt); len(r.Warnings) != 0 {
		t.Errorf("baseline warnings %q, want none", r.Warnings)
	}
}
