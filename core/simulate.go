package core

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
)

// DefaultTrials is the number of Monte Carlo trials when none is given
// (MATH.md §j).
const DefaultTrials = 10000

// MaxTrials bounds the trials of one simulation (memory: 8 bytes per trial
// per stored output).
const MaxTrials = 10_000_000

// SimOptions control a Monte Carlo run.
type SimOptions struct {
	// Trials is the number of trials, 1..MaxTrials; 0 means DefaultTrials.
	// With Antithetic an odd number is rounded up to the next even one.
	Trials int
	// Seed selects the random streams; the same seed gives the same result
	// on every platform and for any number of workers.
	Seed uint64
	// Goal, when set, is a revenue goal (money per period): the result
	// reports P(revenue >= Goal).
	Goal *float64
	// CustomersGoal, when set, is a customers goal (persons per period).
	CustomersGoal *float64
	// Antithetic pairs every draw u with 1−u (MATH.md §j variance
	// reduction); the standard errors are computed from the pair means.
	Antithetic bool
	// Scenario, when not empty, simulates that scenario: its changes are
	// applied after the sampled inputs in every trial (an "add 0.01" then
	// adds to the sampled rate). Rates pushed outside 0..1 are clamped and
	// counted in the warnings.
	Scenario string
	// Workers is the number of goroutines (0: GOMAXPROCS). The result does
	// not depend on it.
	Workers int
	// Progress, when set, is called with the number of trials just
	// finished (a few hundred at a time), from the worker goroutines: it
	// must be safe for concurrent use.
	Progress func(trials int)

	// streamOrder, when set, gives input k (1-based position in this
	// list) the indexed substream k of MATH.md §j instead of the stream
	// keyed by its target. Tests use it to reproduce the reference numbers.
	streamOrder []string
	// general forces the clone + Set + Forward evaluation.
	general bool
}

// Summary describes the distribution of one output over the trials.
type Summary struct {
	// Mean is the sample mean, SE its standard error (sd/√n, or from the
	// pair means with antithetic pairs), SD the sample standard deviation
	// (n−1 denominator).
	Mean float64 `json:"mean"`
	SE   float64 `json:"se"`
	SD   float64 `json:"sd"`
	// P10, P50, P90 are type 7 sample quantiles (MATH.md §j).
	P10 float64 `json:"p10"`
	P50 float64 `json:"p50"`
	P90 float64 `json:"p90"`
	Min float64 `json:"min"`
	Max float64 `json:"max"`
}

// StageSummary is the simulated count of one stage (persons per period).
type StageSummary struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Summary
}

// SimInput is one uncertain input as simulated.
type SimInput struct {
	Target string `json:"target"`
	DistSummary
	// Point is the plan's own value of the target (nil when unset).
	Point *float64 `json:"point"`
}

// SimResult is the outcome of Simulate.
type SimResult struct {
	Trials     int            `json:"trials"`
	Seed       uint64         `json:"seed"`
	Antithetic bool           `json:"antithetic"`
	Scenario   string         `json:"scenario,omitempty"`
	Inputs     []SimInput     `json:"inputs"`
	Revenue    Summary        `json:"revenue"`
	Customers  Summary        `json:"customers"`
	Stages     []StageSummary `json:"stages"`
	// Goal and PGoal: the revenue goal and P(revenue >= goal) (null
	// without a goal); PGoalSE is its standard error.
	Goal    *float64 `json:"goal"`
	PGoal   *float64 `json:"p_goal"`
	PGoalSE *float64 `json:"p_goal_se"`
	// CustomersGoal and PCustomersGoal likewise for customers.
	CustomersGoal  *float64 `json:"customers_goal,omitempty"`
	PCustomersGoal *float64 `json:"p_customers_goal,omitempty"`
	// Point is the revenue of the plan with every input at its own value.
	Point    float64  `json:"point_revenue"`
	Warnings []string `json:"warnings"`

	// RevenueDraws and CustomersDraws are the outputs of every trial in
	// trial order (for histograms and paired comparisons).
	RevenueDraws   []float64 `json:"-"`
	CustomersDraws []float64 `json:"-"`
}

// simInput is a compiled uncertain input.
type simInput struct {
	target string
	s      sampler
	st     stream
	// offs are the slots of the fast evaluation that the input writes.
	offs []int
}

// Simulate runs the Monte Carlo of MATH.md §j on the forward funnel: in
// every trial each uncertain input of p.Uncertainty draws u from its own
// stream, takes x = F⁻¹(u), and the funnel is evaluated with those values
// (Forward). It reports mean ± SE, P10/P50/P90 and the probability of the
// goal for revenue, customers and every stage count.
//
// Inputs are independent. Streams are keyed by target path (see
// streamFor): adding an input leaves the others' draws unchanged, and two
// runs with the same seed use common random numbers, so the difference of
// two scenarios is estimated with far less noise than either alone.
// Memory is the stored outputs: 8 bytes per trial for revenue, customers
// and each stage.
func Simulate(ctx context.Context, p *Plan, opt SimOptions) (*SimResult, error) {
	n := opt.Trials
	if n == 0 {
		n = DefaultTrials
	}
	if n < 1 || n > MaxTrials {
		return nil, fmt.Errorf("trials: %d is out of range (want 1..%d)", opt.Trials, MaxTrials)
	}
	if len(p.Stages) < 2 {
		return nil, fmt.Errorf("stages: %d stages (want at least 2)", len(p.Stages))
	}
	res := &SimResult{Seed: opt.Seed, Antithetic: opt.Antithetic, Scenario: opt.Scenario, Warnings: []string{}, Inputs: []SimInput{}}
	if opt.Antithetic && n%2 == 1 {
		n++
		res.Warnings = append(res.Warnings, fmt.Sprintf("antithetic pairs need an even number of trials: ran %d", n))
	}
	res.Trials = n
	for _, g := range []*float64{opt.Goal, opt.CustomersGoal} {
		if g != nil && (math.IsNaN(*g) || math.IsInf(*g, 0)) {
			return nil, fmt.Errorf("goal: %s is not a finite number", num(*g))
		}
	}

	base := p
	if opt.Scenario != "" {
		if _, ok := p.Scenario(opt.Scenario); !ok {
			return nil, fmt.Errorf("no scenario has id %q", opt.Scenario)
		}
	}
	point, warns, err := p.WithScenario(opt.Scenario)
	if err != nil {
		return nil, err
	}
	res.Warnings = append(res.Warnings, warns...)
	fr, err := Forward(point)
	if err != nil {
		return nil, err
	}
	res.Point = fr.Revenue

	// Inputs in a stable order (sorted target paths: map order never
	// matters).
	ins, infos, err := compileInputs(p, opt)
	if err != nil {
		return nil, err
	}
	res.Inputs = infos
	if len(ins) == 0 {
		res.Warnings = append(res.Warnings, "the plan has no uncertainty section: every trial gives the point value")
	}

	ns := len(p.Stages)
	// Outputs: customers, revenue, then every stage count.
	out := make([][]float64, 2+ns)
	for i := range out {
		out[i] = make([]float64, n)
	}

	var eval func() trialEvaluator
	ff, unused := compileFast(p, ins)
	if opt.Scenario == "" && !opt.general {
		eval = func() trialEvaluator { return ff.clone() }
		for _, t := range unused {
			res.Warnings = append(res.Warnings, fmt.Sprintf("uncertainty on %s does not change revenue, customers or stage counts", t))
		}
	} else {
		var sc *Scenario
		var chain []int
		if opt.Scenario != "" {
			sc, _ = p.Scenario(opt.Scenario)
			if chain, err = p.scenarioChain(sc.ID); err != nil {
				return nil, err
			}
		}
		eval = func() trialEvaluator { return newGeneralEval(base, chain, forwardRow) }
	}
	warnings, err := runTrials(ctx, n, opt, ins, eval, out)
	if err != nil {
		return nil, err
	}
	res.Warnings = append(res.Warnings, warnings...)
	customers, revenue := out[0], out[1]

	pairs := opt.Antithetic
	res.Revenue = summarize(revenue, pairs)
	res.Customers = summarize(customers, pairs)
	res.Stages = make([]StageSummary, ns)
	for i := range ns {
		st := &p.Stages[i]
		name := st.Name
		if name == "" {
			name = st.ID
		}
		res.Stages[i] = StageSummary{ID: st.ID, Name: name, Summary: summarize(out[2+i], pairs)}
	}
	if opt.Goal != nil {
		res.Goal = F(*opt.Goal)
		pr, se := probAtLeast(revenue, *opt.Goal, pairs)
		res.PGoal, res.PGoalSE = F(pr), F(se)
	}
	if opt.CustomersGoal != nil {
		res.CustomersGoal = F(*opt.CustomersGoal)
		pr, _ := probAtLeast(customers, *opt.CustomersGoal, pairs)
		res.PCustomersGoal = F(pr)
	}
	res.RevenueDraws, res.CustomersDraws = revenue, customers
	return res, nil
}

// checkFinite rejects outputs that are NaN or infinite.
func checkFinite(out [][]float64) error {
	for _, xs := range out {
		for _, x := range xs {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return errors.New("a trial gave an output that is not a finite number")
			}
		}
	}
	return nil
}

// trialEvaluator sets the sampled values x (in input order), evaluates the
// model and writes its outputs to row (for the funnel: customers, revenue,
// then every stage count); clamped reports a scenario change that had to
// be clamped.
type trialEvaluator interface {
	eval(ins []simInput, x []float64, row []float64) (clamped bool, err error)
}

// simBlock is the number of consecutive trials a worker takes at once.
const simBlock = 256

// runTrials evaluates trials 0..n−1, split into blocks that workers take in
// any order; every trial writes only its own output slots and its draws
// depend only on its index, so the outputs are the same for any number of
// workers. It rejects outputs that are not finite and returns the warnings
// of the run (trials whose scenario values had to be clamped).
func runTrials(ctx context.Context, n int, opt SimOptions, ins []simInput, newEval func() trialEvaluator, out [][]float64) ([]string, error) {
	var clamped atomic.Int64
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	blocks := (n + simBlock - 1) / simBlock
	workers = min(workers, blocks)
	var next atomic.Int64
	var firstErr error
	var once sync.Once
	var wg sync.WaitGroup
	m := len(out)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ev := newEval()
			x := make([]float64, len(ins))
			row := make([]float64, m)
			for {
				b := int(next.Add(1) - 1)
				if b >= blocks {
					return
				}
				if err := ctx.Err(); err != nil {
					once.Do(func() { firstErr = err })
					return
				}
				hi := min(n, (b+1)*simBlock)
				for t := b * simBlock; t < hi; t++ {
					draw, flip := uint64(t), false
					if opt.Antithetic {
						draw, flip = uint64(t/2), t%2 == 1
					}
					for k := range ins {
						bits := splitMix64At(ins[k].st.state, draw) >> 11
						if flip {
							bits = (1<<53 - 1) - bits
						}
						x[k] = ins[k].s.quantile(unit53(bits))
					}
					cl, err := ev.eval(ins, x, row)
					if err != nil {
						once.Do(func() { firstErr = fmt.Errorf("trial %d: %v", t+1, err) })
						return
					}
					if cl {
						clamped.Add(1)
					}
					for i, v := range row {
						out[i][t] = v
					}
				}
				if opt.Progress != nil {
					opt.Progress(hi - b*simBlock)
				}
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	if err := checkFinite(out); err != nil {
		return nil, err
	}
	var warnings []string
	if c := clamped.Load(); c > 0 {
		warnings = append(warnings, fmt.Sprintf("scenario %q pushed a value out of range in %d of %d trials; it was clamped", opt.Scenario, c, n))
	}
	return warnings, nil
}

// summarize computes the Summary of xs; with pairs the standard error comes
// from the means of consecutive pairs (antithetic).
func summarize(xs []float64, pairs bool) Summary {
	n := len(xs)
	var s Summary
	if n == 0 {
		return s
	}
	sum := 0.0
	for _, x := range xs {
		sum += x
	}
	s.Mean = sum / float64(n)
	ss := 0.0
	for _, x := range xs {
		d := x - s.Mean
		ss += d * d
	}
	if n > 1 {
		s.SD = math.Sqrt(ss / float64(n-1))
		s.SE = s.SD / math.Sqrt(float64(n))
	}
	if pairs && n >= 4 {
		m := n / 2
		ss := 0.0
		for i := 0; i < m; i++ {
			d := (xs[2*i]+xs[2*i+1])/2 - s.Mean
			ss += d * d
		}
		s.SE = math.Sqrt(ss/float64(m-1)) / math.Sqrt(float64(m))
	}
	sorted := slices.Clone(xs)
	sort.Float64s(sorted)
	s.P10 = quantile7(sorted, 0.1)
	s.P50 = quantile7(sorted, 0.5)
	s.P90 = quantile7(sorted, 0.9)
	s.Min, s.Max = sorted[0], sorted[n-1]
	return s
}

// quantile7 is the type 7 sample quantile of ascending xs (MATH.md §j):
//
//	h = (n−1)q,  Q = x_⌊h⌋ + (h−⌊h⌋)(x_⌊h⌋+1 − x_⌊h⌋)
func quantile7(sorted []float64, q float64) float64 {
	n := len(sorted)
	if n == 0 {
		return math.NaN()
	}
	h := float64(n-1) * q
	lo := int(math.Floor(h))
	if lo >= n-1 {
		return sorted[n-1]
	}
	return sorted[lo] + (h-float64(lo))*(sorted[lo+1]-sorted[lo])
}

// probAtLeast is the share of xs at or above goal and its standard error
// (from pair means with antithetic pairs).
func probAtLeast(xs []float64, goal float64, pairs bool) (p, se float64) {
	n := len(xs)
	k := 0
	for _, x := range xs {
		if x >= goal {
			k++
		}
	}
	p = float64(k) / float64(n)
	if pairs && n >= 4 {
		m := n / 2
		ss := 0.0
		for i := 0; i < m; i++ {
			h := 0.0
			for _, x := range xs[2*i : 2*i+2] {
				if x >= goal {
					h += 0.5
				}
			}
			ss += (h - p) * (h - p)
		}
		return p, math.Sqrt(ss/float64(m-1)) / math.Sqrt(float64(m))
	}
	return p, math.Sqrt(p * (1 - p) / float64(n))
}

// generalEval evaluates a trial on a private copy of the plan: Set every
// sampled value, apply the scenario's changes, run the model. With the
// forward funnel as the model it is the reference the fast evaluation
// must match.
type generalEval struct {
	base  *Plan
	chain []int
	q     *Plan
	model func(q *Plan, row []float64) error
	// fresh starts every trial from a new copy (a model that might keep
	// state in the plan, or add and mul changes).
	fresh bool
}

func newGeneralEval(base *Plan, chain []int, model func(q *Plan, row []float64) error) *generalEval {
	return &generalEval{base: base, chain: chain, q: base.Clone(), model: model}
}

// forwardRow is the funnel model: customers, revenue, every stage count.
func forwardRow(q *Plan, row []float64) error {
	r, err := Forward(q)
	if err != nil {
		return err
	}
	row[0], row[1] = r.Customers, r.Revenue
	for i := range r.Stages {
		row[2+i] = r.Stages[i].Count
	}
	return nil
}

func (g *generalEval) eval(ins []simInput, x []float64, row []float64) (bool, error) {
	q := g.q
	if len(g.chain) > 0 || g.fresh {
		// add and mul changes must start from the sampled values, not from
		// the previous trial's result: start from a fresh copy.
		q = g.base.Clone()
	}
	for k := range ins {
		if err := q.Set(ins[k].target, x[k]); err != nil {
			return false, err
		}
	}
	clamped := false
	for _, i := range g.chain {
		s := g.base.Scenarios[i]
		for _, c := range s.Changes {
			w, err := q.applyChange(c, true)
			if err != nil {
				return false, err
			}
			clamped = clamped || w != ""
		}
	}
	return clamped, g.model(q, row)
}

// compileInputs compiles the plan's uncertain inputs in a stable order
// (sorted target paths: map order never matters), each with its stream.
func compileInputs(p *Plan, opt SimOptions) ([]simInput, []SimInput, error) {
	keys := sortedKeys(p.Uncertainty)
	if opt.streamOrder != nil {
		keys = opt.streamOrder
	}
	ins := make([]simInput, 0, len(keys))
	infos := []SimInput{}
	for k, key := range keys {
		d, ok := p.Uncertainty[key]
		if !ok {
			return nil, nil, fmt.Errorf("uncertainty: no input %q", key)
		}
		s, err := d.compile()
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %v", childPath("uncertainty", key), err)
		}
		if _, err := p.ref(key); err != nil {
			return nil, nil, fmt.Errorf("%s: %v", childPath("uncertainty", key), err)
		}
		in := simInput{target: key, s: s.withTable(), st: streamFor(opt.Seed, key)}
		if opt.streamOrder != nil {
			in.st = indexedStream(opt.Seed, k+1)
		}
		ins = append(ins, in)
		si := SimInput{Target: key}
		si.DistSummary, _ = d.Summary()
		if v, err := p.Get(key); err == nil {
			si.Point = F(v)
		}
		infos = append(infos, si)
	}
	return ins, infos, nil
}

// ScenarioDraws compares one scenario with the baseline over the same
// draws (common random numbers).
type ScenarioDraws struct {
	ID        string  `json:"id"`
	Name      string  `json:"name"`
	Revenue   Summary `json:"revenue"`
	Customers Summary `json:"customers"`
	// RevenueDiff summarises revenue(scenario) − revenue(baseline) per
	// trial: its SE is that of the paired difference, far below what two
	// independent runs would give.
	RevenueDiff Summary `json:"revenue_diff"`
	// PBetter is the share of trials in which the scenario's revenue is
	// higher than the baseline's.
	PBetter float64 `json:"p_better"`
}

// SimComparison is the result of SimulateScenarios.
type SimComparison struct {
	Baseline  *SimResult      `json:"baseline"`
	Scenarios []ScenarioDraws `json:"scenarios"`
}

// SimulateScenarios simulates the baseline and each named scenario (every
// scenario of the plan when ids is empty) with the same seed, so every
// trial of every scenario uses the same draws: the differences are paired
// (MATH.md §j, common random numbers).
func SimulateScenarios(ctx context.Context, p *Plan, ids []string, opt SimOptions) (*SimComparison, error) {
	if len(ids) == 0 {
		for _, s := range p.Scenarios {
			ids = append(ids, s.ID)
		}
	}
	opt.Scenario = ""
	base, err := Simulate(ctx, p, opt)
	if err != nil {
		return nil, err
	}
	c := &SimComparison{Baseline: base, Scenarios: []ScenarioDraws{}}
	for _, id := range ids {
		o := opt
		o.Scenario = id
		r, err := Simulate(ctx, p, o)
		if err != nil {
			return nil, fmt.Errorf("scenario %q: %v", id, err)
		}
		sc, _ := p.Scenario(id)
		name := sc.Name
		if name == "" {
			name = sc.ID
		}
		diff := make([]float64, len(r.RevenueDraws))
		better := 0
		for i, x := range r.RevenueDraws {
			diff[i] = x - base.RevenueDraws[i]
			if diff[i] > 0 {
				better++
			}
		}
		c.Scenarios = append(c.Scenarios, ScenarioDraws{
			ID: id, Name: name, Revenue: r.Revenue, Customers: r.Customers,
			RevenueDiff: summarize(diff, opt.Antithetic),
			PBetter:     float64(better) / float64(len(diff)),
		})
	}
	return c, nil
}
