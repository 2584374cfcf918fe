package core

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// sectionE is the example plan of MATH.md §e: 10,000 visitors, rates
// [0.05, 0.40, 0.50, 0.25], order value 12,000, margin 0.6; unit costs
// visitor 15, lead 400, MQL 600; benchmarks [.03, .5, .5, .3]. R_0 = 300,000.
const sectionE = `{"funnelplan": 1, "name": "§e", "top": 10000, "order_value": 12000, "margin": 0.6,
 "stages": [
  {"id": "visitor", "unit_cost": 15},
  {"id": "lead", "rate": 0.05, "benchmark": 0.03, "unit_cost": 400},
  {"id": "mql", "rate": 0.4, "benchmark": 0.5, "unit_cost": 600},
  {"id": "proposal", "rate": 0.5, "benchmark": 0.5},
  {"id": "customer", "rate": 0.25, "benchmark": 0.3}]}`

type wantEffect struct {
	target                string
	lowChange, highChange float64
}

func checkEffects(t *testing.T, got []Effect, want []wantEffect) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d effects, want %d: %+v", len(got), len(want), got)
	}
	for k, w := range want {
		g := got[k]
		if g.Target != w.target || !near(g.LowChange, w.lowChange, relTol) || !near(g.HighChange, w.highChange, relTol) {
			t.Errorf("effects[%d] = %s (%.10g, %.10g), want %s (%.10g, %.10g)", k, g.Target, g.LowChange, g.HighChange, w.target, w.lowChange, w.highChange)
		}
	}
}

// TestSensitivityTornado checks the tornado numbers of MATH.md §e.
func TestSensitivityTornado(t *testing.T) {
	p := mustDecode(t, []byte(sectionE))
	cases := []struct {
		name string
		opt  SensitivityOptions
		want []wantEffect
	}{
		// MATH.md §e: +1 pp gives stage 1 +60,000, stage 2 +7,500, stage 3
		// +6,000, stage 4 +12,000 (symmetric -1 pp); top and order value
		// move +-10 %: +-30,000.
		{"one point", SensitivityOptions{}, []wantEffect{
			{"stages.lead.rate", -60000, 60000},
			{"top", -30000, 30000},
			{"order_value", -30000, 30000},
			{"stages.customer.rate", -12000, 12000},
			{"stages.mql.rate", -7500, 7500},
			{"stages.proposal.rate", -6000, 6000},
		}},
		// MATH.md §e: +-10 % gives +-30,000 for every stage and for N_0:
		// all tie, so stage order.
		{"ten percent", SensitivityOptions{Relative: 0.1}, []wantEffect{
			{"top", -30000, 30000},
			{"stages.lead.rate", -30000, 30000},
			{"stages.mql.rate", -30000, 30000},
			{"stages.proposal.rate", -30000, 30000},
			{"stages.customer.rate", -30000, 30000},
			{"order_value", -30000, 30000},
		}},
		// Two points: R * 0.02 / p_i, hand: 120,000, 15,000, 12,000, 24,000.
		{"two points", SensitivityOptions{Step: 0.02}, []wantEffect{
			{"stages.lead.rate", -120000, 120000},
			{"top", -30000, 30000},
			{"order_value", -30000, 30000},
			{"stages.customer.rate", -24000, 24000},
			{"stages.mql.rate", -15000, 15000},
			{"stages.proposal.rate", -12000, 12000},
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := Sensitivity(p, c.opt)
			if err != nil {
				t.Fatal(err)
			}
			if r.Metric != "revenue" || !near(r.Base, 300000, relTol) {
				t.Errorf("base %s %v, want revenue 300000", r.Metric, r.Base)
			}
			checkEffects(t, r.Effects, c.want)
		})
	}
}

// TestSensitivityClipped: rates are clipped to [0, 1] (MATH.md §e: "if
// p_i + Δ <= 1; else capped: R(1/p_i - 1)").
func TestSensitivityClipped(t *testing.T) {
	p := mustDecode(t, []byte(`{"funnelplan": 1, "name": "t", "top": 1000, "order_value": 10,
		"stages": [{"id": "a"}, {"id": "b", "rate": 0.995}, {"id": "c", "rate": 0.005}]}`))
	r := must(Sensitivity(p, SensitivityOptions{}))
	// R = 1000 * 0.995 * 0.005 * 10 = 49.75.
	// b: 0.985 -> 49.25 (-0.5); 1 (capped) -> 50 (+0.25 = R(1/p - 1)).
	// c: 0 (clipped from -0.005) -> 0 (-49.75); 0.015 -> 149.25 (+99.5).
	checkEffects(t, r.Effects, []wantEffect{
		{"stages.c.rate", -49.75, 99.5},
		{"top", -4.975, 4.975},
		{"order_value", -4.975, 4.975},
		{"stages.b.rate", -0.5, 0.25},
	})
	b := r.Effects[3]
	if b.HighValue != 1 || !near(b.LowValue, 0.985, relTol) || b.Value != 0.995 {
		t.Errorf("rate values %v %v %v, want 0.995, 0.985, 1", b.Value, b.LowValue, b.HighValue)
	}
}

// TestSensitivityKeyLevel checks the key level of MATH.md §e: D = [0.0025,
// 0.05, 0.125]; value per person 30, 600, 1500; mROAS 2.0, 1.5, 2.5 -> MQL;
// mProfit 3, -40, 300.
func TestSensitivityKeyLevel(t *testing.T) {
	p := mustDecode(t, []byte(sectionE))
	kl := must(Sensitivity(p, SensitivityOptions{})).KeyLevel
	if kl.Stage != "mql" || !kl.Recommended {
		t.Errorf("key level %q recommended %v, want mql, true", kl.Stage, kl.Recommended)
	}
	want := []struct {
		stage                   string
		d, value, mroas, profit float64
		rec                     bool
	}{
		{"visitor", 0.0025, 30, 2.0, 3, true},
		{"lead", 0.05, 600, 1.5, -40, false},
		{"mql", 0.125, 1500, 2.5, 300, true},
	}
	if len(kl.Levels) != len(want) {
		t.Fatalf("levels %+v", kl.Levels)
	}
	for k, w := range want {
		g := kl.Levels[k]
		if g.Stage != w.stage || !near(g.Downstream, w.d, relTol) || !near(g.ValuePerPerson, w.value, relTol) ||
			g.MROAS == nil || !near(*g.MROAS, w.mroas, relTol) || g.MProfit == nil || !near(*g.MProfit, w.profit, relTol) || g.Recommended != w.rec {
			t.Errorf("level %d = %+v (mroas %v, mprofit %v), want %+v", k, g, fmtPtr(g.MROAS), fmtPtr(g.MProfit), w)
		}
	}

	// Without a margin nothing is recommended; without costs there is no
	// key level (the rule is degenerate, MATH.md §e).
	p.Margin = nil
	kl = must(Sensitivity(p, SensitivityOptions{})).KeyLevel
	if kl.Stage != "mql" || kl.Recommended || kl.Levels[2].MProfit != nil || !strings.Contains(kl.Note, "no margin") {
		t.Errorf("without margin: %+v", kl)
	}
	for i := range p.Stages {
		p.Stages[i].UnitCost = nil
	}
	kl = must(Sensitivity(p, SensitivityOptions{})).KeyLevel
	if kl.Stage != "" || len(kl.Levels) != 0 || !strings.Contains(kl.Note, "unit_cost") {
		t.Errorf("without costs: %+v", kl)
	}
}

func fmtPtr(x *float64) string {
	if x == nil {
		return "nil"
	}
	return fmt.Sprint(*x)
}

// TestSensitivityBottlenecks checks the three rules of MATH.md §e.
func TestSensitivityBottlenecks(t *testing.T) {
	p := mustDecode(t, []byte(sectionE))
	b := must(Sensitivity(p, SensitivityOptions{})).Bottlenecks
	// Rule 1: ratios [1.667, 0.8, 1.0, 0.833] -> lead -> MQL.
	if b.Benchmark.Stage != "mql" || !b.Benchmark.Below {
		t.Errorf("benchmark rule: %+v", b.Benchmark)
	}
	for k, w := range []float64{0.05 / 0.03, 0.8, 1.0, 0.25 / 0.3} {
		if g := b.Benchmark.Gaps[k]; g.Ratio == nil || !near(*g.Ratio, w, relTol) {
			t.Errorf("gap %d = %v, want %v", k, fmtPtr(g.Ratio), w)
		}
	}
	// Rule 2: +1 pp gains 60,000, 7,500, 6,000, 12,000 -> stage 1.
	if b.Marginal.Stage != "lead" {
		t.Errorf("marginal rule: %+v", b.Marginal)
	}
	for k, w := range []float64{60000, 7500, 6000, 12000} {
		if g := b.Marginal.Gains[k]; !near(g.Gain, w, relTol) {
			t.Errorf("gain %d = %v, want %v", k, g.Gain, w)
		}
	}
	if b.Capacity.Stage != "" || len(b.Capacity.Stages) != 0 || b.Capacity.Lost != 0 {
		t.Errorf("capacity rule without capacities: %+v", b.Capacity)
	}

	// Rule 3: capacity 80 proposals -> utilisation 1.25, capacitated N =
	// [10000, 500, 200, 80, 20], R = 240,000.
	p.Stages[3].Capacity = F(80)
	r := must(Sensitivity(p, SensitivityOptions{}))
	c := r.Bottlenecks.Capacity
	if !near(r.Base, 240000, relTol) || c.Stage != "proposal" || len(c.Stages) != 1 ||
		!near(c.Stages[0].Demand, 100, relTol) || !near(*c.Stages[0].Utilisation, 1.25, relTol) || !near(c.Lost, 60000, relTol) {
		t.Errorf("capacity rule: base %v %+v", r.Base, c)
	}
	// Raising a rate before the full stage gains nothing; after it, it does.
	gains := map[string]float64{}
	for _, g := range r.Bottlenecks.Marginal.Gains {
		gains[g.Stage] = g.Gain
	}
	if gains["lead"] != 0 || gains["mql"] != 0 || !near(gains["customer"], 9600, relTol) { // 80 * 0.01 * 12000
		t.Errorf("gains with capacity %v", gains)
	}
	// People added before the full stage are lost there.
	for _, l := range r.KeyLevel.Levels {
		if l.ValuePerPerson != 0 {
			t.Errorf("level %s is worth %v behind a full stage", l.Stage, l.ValuePerPerson)
		}
	}
}

// TestSensitivityPersonas: a stage rate change moves every persona's rate
// at that stage (the "baseline, all personas" rate).
func TestSensitivityPersonas(t *testing.T) {
	// MATH.md §d: A [6000, 240, 120, 60, 18], B [4000, 260, 78, 39, 7.8];
	// revenue 304,800.
	p := mustDecode(t, []byte(`{"funnelplan": 1, "name": "§d", "top": 10000, "order_value": 1,
		"stages": [{"id": "s0"}, {"id": "s1", "rate": 0.05}, {"id": "s2", "rate": 0.4}, {"id": "s3", "rate": 0.5}, {"id": "s4", "rate": 0.25, "benchmark": 0.25}],
		"personas": [
		 {"id": "a", "share": 0.6, "rates": {"s1": 0.04, "s2": 0.5, "s3": 0.5, "s4": 0.3}, "order_value": 10000},
		 {"id": "b", "share": 0.4, "rates": {"s1": 0.065, "s2": 0.3, "s3": 0.5, "s4": 0.2}, "order_value": 16000}]}`))
	r := must(Sensitivity(p, SensitivityOptions{}))
	if !near(r.Base, 304800, relTol) {
		t.Fatalf("base %v, want 304800", r.Base)
	}
	byTarget := map[string]Effect{}
	for _, e := range r.Effects {
		byTarget[e.Target] = e
	}
	// s4 +1 pp: A 60*0.31*10000 + B 39*0.21*16000 = 186000 + 131040 = 317040.
	// s4 -1 pp: A 60*0.29*10000 + B 39*0.19*16000 = 174000 + 118560 = 292560.
	e := byTarget["stages.s4.rate"]
	if !near(e.High, 317040, relTol) || !near(e.Low, 292560, relTol) {
		t.Errorf("s4: %+v", e)
	}
	// The aggregate rate at s4 is 25.8/99 = 0.260606 (MATH.md §d);
	// +1 pp: (18.6 + 8.19)/99.
	if !near(e.Value, 25.8/99, relTol) || !near(e.HighValue, 26.79/99, relTol) {
		t.Errorf("s4 values %v %v", e.Value, e.HighValue)
	}
	// Order value +-10 % scales every persona's value: +-30,480.
	if e := byTarget["order_value"]; !near(e.HighChange, 30480, relTol) || !near(e.LowChange, -30480, relTol) {
		t.Errorf("order value: %+v", e)
	}
	// Rule 1 compares the aggregate rate: 0.260606/0.25.
	if g := r.Bottlenecks.Benchmark.Gaps[0]; !near(*g.Ratio, 25.8/99/0.25, relTol) || r.Bottlenecks.Benchmark.Below {
		t.Errorf("benchmark gap %+v", g)
	}
}

func TestSensitivityCustomersWithoutValue(t *testing.T) {
	p := mustDecode(t, []byte(claim2))
	p.OrderValue = 0
	r := must(Sensitivity(p, SensitivityOptions{}))
	// 10 customers; site +1 pp: 0.02/0.01 -> 20 (+10).
	if r.Metric != "customers" || !near(r.Base, 10, relTol) || r.Effects[0].Target != "stages.site.rate" || !near(r.Effects[0].HighChange, 10, relTol) {
		t.Errorf("%s %v %+v", r.Metric, r.Base, r.Effects[0])
	}
}

func TestSensitivityBadOptions(t *testing.T) {
	p := mustDecode(t, []byte(sectionE))
	for _, o := range []SensitivityOptions{{Step: -0.01}, {Relative: 2}, {Step: nan()}} {
		if _, err := Sensitivity(p, o); err == nil {
			t.Errorf("%+v accepted", o)
		}
	}
}

func nan() float64 { var z float64; return z / z }

// TestFunnelArraysMatchForward: the arrays sensitivity evaluates give the
// counts and revenue of Forward, on every bundled plan and scenario and on
// random plans with personas and capacities.
func TestFunnelArraysMatchForward(t *testing.T) {
	var plans []*Plan
	for _, b := range planFiles(t) {
		p := mustDecode(t, b)
		plans = append(plans, p)
		for _, s := range p.Scenarios {
			if q, _, err := p.WithScenario(s.ID); err == nil {
				plans = append(plans, q)
			}
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for k := 0; k < 200; k++ {
		plans = append(plans, randomPlan(rng, 1+rng.IntN(8), 2+rng.IntN(9)))
	}
	for k, p := range plans {
		fr, err := Forward(p)
		if err != nil {
			t.Fatal(err)
		}
		var sr SensitivityResult
		f := newFunnelArrays(p, &sr)
		f.eval()
		for i, s := range fr.Stages {
			if !near(f.total[i], s.Count, 1e-12) {
				t.Errorf("plan %d (%s) stage %d: %v, Forward %v", k, p.Name, i, f.total[i], s.Count)
			}
		}
		if !near(f.revenue(), fr.Revenue, 1e-12) || !near(f.customers(), fr.Customers, 1e-12) {
			t.Errorf("plan %d (%s): revenue %v customers %v, Forward %v %v", k, p.Name, f.revenue(), f.customers(), fr.Revenue, fr.Customers)
		}
	}
}

// randomPlan returns a valid plan with J personas (0: none when J is 1
// and the coin says so) and n stages, some capacitated.
func randomPlan(rng *rand.Rand, J, n int) *Plan {
	p := &Plan{Version: 1, Name: fmt.Sprintf("random %dx%d", J, n), Top: 1000 + rng.Float64()*1e5, OrderValue: 100 + rng.Float64()*1e4, Margin: F(0.5)}
	for i := 0; i < n; i++ {
		s := Stage{ID: fmt.Sprintf("s%d", i), UnitCost: F(rng.Float64() * 100), Benchmark: F(rng.Float64())}
		if i > 0 {
			s.Rate = F(rng.Float64())
			if rng.IntN(4) == 0 {
				s.Capacity = F(rng.Float64() * 500)
			}
		}
		p.Stages = append(p.Stages, s)
	}
	if J > 1 || rng.IntN(2) == 0 {
		left := 1.0
		for j := 0; j < J; j++ {
			x := Persona{ID: fmt.Sprintf("p%d", j), Share: left / 2, Rates: StageRates{}}
			if j == J-1 {
				x.Share = left
			}
			left -= x.Share
			for i := 1; i < n; i++ {
				if rng.IntN(3) > 0 {
					x.Rates.Set(p.Stages[i].ID, rng.Float64())
				}
			}
			if rng.IntN(2) == 0 {
				x.OrderValue = F(rng.Float64() * 1e4)
			}
			p.Personas = append(p.Personas, x)
		}
	}
	if err := p.Validate(); err != nil {
		b, _ := json.Marshal(p)
		panic(fmt.Sprintf("random plan invalid: %v\n%s", err, b))
	}
	return p
}

// BenchmarkSensitivity: the tornado, key level and bottlenecks of an
// 8-persona x 10-stage plan (budget: <= 50 us native, DESIGN.md).
func BenchmarkSensitivity(b *testing.B) {
	p := benchPlan()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Sensitivity(p, SensitivityOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSensitivityRelative(b *testing.B) {
	p := benchPlan()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Sensitivity(p, SensitivityOptions{Relative: 0.1}); err != nil {
			b.Fatal(err)
		}
	}
}

// benchPlan is an 8-persona x 10-stage plan with every persona overriding
// every rate, costs, benchmarks and two capacities.
func benchPlan() *Plan {
	p := &Plan{Version: 1, Name: "8x10", Top: 100000, OrderValue: 5000, Margin: F(0.6)}
	for i := 0; i < 10; i++ {
		s := Stage{ID: fmt.Sprintf("stage%d", i), Name: fmt.Sprintf("Stage %d", i), UnitCost: F(float64(1 + 10*i)), Benchmark: F(0.5)}
		if i > 0 {
			s.Rate = F(0.3 + 0.05*float64(i%5))
		}
		if i == 4 || i == 8 {
			s.Capacity = F(1e6)
		}
		p.Stages = append(p.Stages, s)
	}
	for j := 0; j < 8; j++ {
		x := Persona{ID: fmt.Sprintf("persona%d", j), Share: 0.125, Rates: StageRates{}, OrderValue: F(float64(1000 * (j + 1)))}
		for i := 1; i < 10; i++ {
			x.Rates.Set(p.Stages[i].ID, 0.2+0.07*float64((i+j)%10))
		}
		p.Personas = append(p.Personas, x)
	}
	return p
}

// TestOverflowIsAnError: numbers too large to compute are an error naming
// the result field, never +Inf in a result (no command prints NaN or Inf).
func TestOverflowIsAnError(t *testing.T) {
	p := mustDecode(t, []byte(`{"funnelplan": 1, "name": "big", "top": 1e308, "order_value": 1e308,
		"stages": [{"id": "a"}, {"id": "b", "rate": 1}], "coverage": {"all": {"a": 1}},
		"scenarios": [{"id": "s", "changes": [{"target": "top", "op": "mul", "value": 0.5}]}]}`))
	if _, err := Sensitivity(p, SensitivityOptions{}); err == nil || err.Error() != "sensitivity: base is not finite: the plan's numbers are too large to compute" {
		t.Errorf("sensitivity: %v", err)
	}
	if _, err := Compare(p); err == nil || !strings.Contains(err.Error(), `scenario "baseline": revenue is not finite`) {
		t.Errorf("compare: %v", err)
	}
	// A finite baseline with an overflowing scenario: that row has the
	// error, the baseline computes.
	p.Top, p.OrderValue = 1e300, 1e7
	p.Scenarios[0].Changes[0].Value = 1e5
	r, err := Compare(p)
	if err != nil || r.Scenarios[0].Error != "" || r.Scenarios[1].Error != `scenario "s": revenue is not finite: the plan's numbers are too large to compute` || r.Scenarios[1].Revenue != nil {
		t.Errorf("compare: %v %+v", err, r.Scenarios)
	}
}

func TestNonFinitePath(t *testing.T) {
	type inner struct {
		X []float64 `json:"x"`
	}
	v := struct {
		A float64           `json:"a"`
		M map[string]*inner `json:"m,omitempty"`
	}{A: 1, M: map[string]*inner{"a b": {X: []float64{1, nan()}}}}
	if p, bad := findNonFinite(reflect.ValueOf(v)); !bad || p != `.m["a b"].x[1]` {
		t.Errorf("path %q %v", p, bad)
	}
	v.M["a b"].X[1] = 2
	if _, bad := findNonFinite(reflect.ValueOf(v)); bad {
		t.Errorf("finite value reported")
	}
}

// TestTornadoMatchesForward: every bar of the tornado (step mode) is the
// revenue Forward computes for the plan with that stage's rates moved, so
// recomputing only from the moved stage on changes nothing. Example plans
// (channels, buying groups, capacities) and random plans with personas.
func TestTornadoMatchesForward(t *testing.T) {
	var plans []*Plan
	for name, b := range planFiles(t) {
		if strings.HasPrefix(name, "examples/") { // full.json takes seconds
			plans = append(plans, mustDecode(t, b))
		}
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for k := 0; k < 100; k++ {
		plans = append(plans, randomPlan(rng, 1+rng.IntN(8), 2+rng.IntN(9)))
	}
	for k, p := range plans {
		r, err := Sensitivity(p, SensitivityOptions{})
		if err != nil {
			t.Fatalf("plan %d (%s): %v", k, p.Name, err)
		}
		var sr SensitivityResult
		f := newFunnelArrays(p, &sr)
		for _, e := range r.Effects {
			if e.Stage == "" {
				continue
			}
			i := p.StageIndex(e.Stage)
			for _, move := range []struct {
				sign float64
				want float64
			}{{-1, e.Low}, {1, e.High}} {
				q := p.Clone()
				for j := 0; j < f.J; j++ {
					v := clip01(f.rate[j*f.n+i] + move.sign*r.Step)
					if len(q.Personas) == 0 {
						q.Stages[i].Rate = F(v)
						continue
					}
					q.Personas[j].Rates.Set(e.Stage, v)
				}
				fr, err := Forward(q)
				if err != nil {
					t.Fatal(err)
				}
				got := fr.Revenue
				if r.Metric == "customers" {
					got = fr.Customers
				}
				if !near(got, move.want, 1e-12) {
					t.Errorf("plan %d (%s) %s %+g: Forward %v, tornado %v", k, p.Name, e.Target, move.sign, got, move.want)
				}
			}
		}
	}
}

// finite names the first number of a result that is NaN or ±Inf, in every
// part of the result, and passes a finite one.
func TestSensitivityFiniteNamesTheNumber(t *testing.T) {
	inf, nan := math.Inf(1), math.NaN()
	good := func() *SensitivityResult {
		return &SensitivityResult{
			Effects:  []Effect{{}, {}},
			KeyLevel: KeyLevel{Levels: []LevelROI{{MROAS: F(1)}}},
			Bottlenecks: Bottlenecks{
				Benchmark: BenchmarkRule{Gaps: []BenchmarkGap{{Ratio: F(1)}}},
				Marginal:  MarginalRule{Gains: []MarginalGain{{}}},
				Capacity:  CapacityRule{Stages: []CapacityUsage{{Utilisation: F(0.5)}}},
			},
		}
	}
	if err := good().finite(); err != nil {
		t.Fatalf("a finite result: %v", err)
	}
	for _, c := range []struct {
		set  func(r *SensitivityResult)
		path string
	}{
		{func(r *SensitivityResult) { r.Base = nan }, "base"},
		{func(r *SensitivityResult) { r.Effects[1].HighChange = -inf }, "effects[1]"},
		{func(r *SensitivityResult) { r.Effects[0].Value = nan }, "effects[0]"},
		{func(r *SensitivityResult) { r.KeyLevel.Levels[0].MProfit = F(inf) }, "key_level.levels[0]"},
		{func(r *SensitivityResult) { r.Bottlenecks.Benchmark.Gaps[0].Ratio = F(nan) }, "bottlenecks.benchmark.gaps[0]"},
		{func(r *SensitivityResult) { r.Bottlenecks.Marginal.Gains[0].Gain = inf }, "bottlenecks.marginal.gains[0]"},
		{func(r *SensitivityResult) { r.Bottlenecks.Capacity.Lost = inf }, "bottlenecks.capacity.lost"},
		{func(r *SensitivityResult) { r.Bottlenecks.Capacity.Stages[0].Capacity = inf }, "bottlenecks.capacity.stages[0]"},
	} {
		r := good()
		c.set(r)
		err := r.finite()
		if err == nil || !strings.Contains(err.Error(), ": "+c.path+" is not finite") {
			t.Errorf("%s: %v", c.path, err)
		}
	}
}
