package core

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Default steps of the tornado (MATH.md §e).
const (
	// DefaultStep is the absolute change of a rate: 1 point.
	DefaultStep = 0.01
	// DefaultRelative is the relative change of an input: 10 %.
	DefaultRelative = 0.1
)

// SensitivityOptions says how far each input moves in the tornado.
type SensitivityOptions struct {
	// Step is the absolute change of every stage rate (a fraction: 0.01 is
	// one point), used when Relative is 0; 0 means DefaultStep.
	Step float64
	// Relative is the relative change of every input (0.1 is +-10 %). When
	// it is > 0 it also moves the rates (p(1 +- r)) instead of Step. The
	// top and the order value always move by Relative (DefaultRelative
	// when 0): a point of a volume or of money means nothing.
	Relative float64
}

// SensitivityResult is the sensitivity of a plan (MATH.md §e): the tornado
// of one-at-a-time changes, the key level where buying people pays most,
// and the three bottleneck rules.
type SensitivityResult struct {
	// Metric is what the effects measure: "revenue" (money per period),
	// or "customers" when the plan has no order value.
	Metric string `json:"metric"`
	// Base is the metric of the unchanged plan, R_0.
	Base float64 `json:"base"`
	// Mode is "step" (rates +- Step) or "relative" (every input +- Relative).
	Mode     string  `json:"mode"`
	Step     float64 `json:"step"`
	Relative float64 `json:"relative"`
	// Effects is the tornado, widest bar first (|High - Low| descending,
	// ties in stage order: top, stage rates, order value).
	Effects     []Effect    `json:"effects"`
	KeyLevel    KeyLevel    `json:"key_level"`
	Bottlenecks Bottlenecks `json:"bottlenecks"`
	Warnings    []string    `json:"warnings"`
}

// Effect is one bar of the tornado: the metric with one input moved down
// (Low) and up (High), everything else at the baseline.
type Effect struct {
	// Target is the input's target path: top, order_value or
	// stages.<id>.rate (the stage rate and every persona's rate at that
	// stage: the "baseline, all personas" rate).
	Target string `json:"target"`
	// Label names the input and the change ("Lead rate ±1 pt").
	Label string `json:"label"`
	// Stage is the stage id of a rate (empty for top and order value).
	Stage string `json:"stage,omitempty"`
	// Value, LowValue and HighValue are the input at the baseline and
	// moved down and up: the volume, the order value, or the aggregate
	// step rate of the stage (mix-weighted with personas), clipped to
	// [0, 1].
	Value     float64 `json:"value"`
	LowValue  float64 `json:"low_value"`
	HighValue float64 `json:"high_value"`
	// Low and High are the metric with the input moved down and up;
	// LowChange = Low - Base, HighChange = High - Base (the bar).
	Low        float64 `json:"low"`
	High       float64 `json:"high"`
	LowChange  float64 `json:"low_change"`
	HighChange float64 `json:"high_change"`
}

// KeyLevel is the stage where adding people directly pays most (MATH.md
// §e): argmax over stages with a unit cost k_i of v D_i / k_i.
type KeyLevel struct {
	// Stage is the key level's stage id, empty when no stage has a
	// unit_cost (the rule needs costs).
	Stage string `json:"stage"`
	// Recommended says buying people there pays: mROAS > 1/m, that is
	// mProfit > 0; false without a margin.
	Recommended bool       `json:"recommended"`
	Rule        string     `json:"rule"`
	Levels      []LevelROI `json:"levels"`
	Note        string     `json:"note,omitempty"`
}

// LevelROI is the return of adding one person at a stage.
type LevelROI struct {
	Stage string `json:"stage"`
	// UnitCost k_i, money per person added.
	UnitCost float64 `json:"unit_cost"`
	// Downstream is D_i, the share of people entering the stage who end
	// as customers (mix-weighted with personas).
	Downstream float64 `json:"downstream"`
	// ValuePerPerson is v D_i (with personas Σ_j w_{j,i} v_j D_{j,i},
	// w the mix at the stage); 0 when a later stage is at capacity.
	ValuePerPerson float64 `json:"value_per_person"`
	// MROAS is ValuePerPerson / UnitCost, nil when the unit cost is 0.
	MROAS *float64 `json:"mroas"`
	// MProfit is m ValuePerPerson - UnitCost, nil without a margin.
	MProfit     *float64 `json:"mprofit"`
	Recommended bool     `json:"recommended"`
}

// Bottlenecks holds the three bottleneck rules of MATH.md §e; each names
// its stage (empty when the rule has no data) and its rule.
type Bottlenecks struct {
	Benchmark BenchmarkRule `json:"benchmark"`
	Marginal  MarginalRule  `json:"marginal"`
	Capacity  CapacityRule  `json:"capacity"`
}

// BenchmarkRule is rule 1: the stage with the lowest rate/benchmark ratio.
type BenchmarkRule struct {
	Stage string `json:"stage"`
	// Below says the stage's rate is under its benchmark (ratio < 1).
	Below bool           `json:"below"`
	Rule  string         `json:"rule"`
	Gaps  []BenchmarkGap `json:"gaps"`
}

// BenchmarkGap compares a stage's aggregate rate with its benchmark.
type BenchmarkGap struct {
	Stage     string  `json:"stage"`
	Rate      float64 `json:"rate"`
	Benchmark float64 `json:"benchmark"`
	// Ratio is Rate/Benchmark, nil when the benchmark is 0.
	Ratio *float64 `json:"ratio"`
}

// MarginalRule is rule 2: the stage whose rate raised by one step (one
// point by default) adds most to the metric.
type MarginalRule struct {
	Stage string         `json:"stage"`
	Rule  string         `json:"rule"`
	Gains []MarginalGain `json:"gains"`
}

// MarginalGain is the metric gained by raising one stage's rate by Step
// (capped at 1).
type MarginalGain struct {
	Stage string  `json:"stage"`
	Gain  float64 `json:"gain"`
}

// CapacityRule is rule 3: stages whose demand meets or exceeds capacity.
type CapacityRule struct {
	// Stage is the first stage at or over capacity (empty: none).
	Stage  string          `json:"stage"`
	Rule   string          `json:"rule"`
	Stages []CapacityUsage `json:"stages"`
	// Lost is the metric the capacities cost: uncapped minus capacitated.
	Lost float64 `json:"lost"`
}

// CapacityUsage is one capacitated stage.
type CapacityUsage struct {
	Stage    string  `json:"stage"`
	Demand   float64 `json:"demand"`
	Capacity float64 `json:"capacity"`
	// Utilisation is Demand/Capacity, nil when the capacity is 0.
	Utilisation *float64 `json:"utilisation"`
	Bottleneck  bool     `json:"bottleneck"`
}

// Sensitivity computes the tornado, key level and bottlenecks of a valid
// plan (MATH.md §e). The metric is revenue R (customers when the plan has
// no order value), computed like Forward (personas, capacities, channel
// volumes):
//
//	tornado:   R at input - delta and + delta, one input at a time;
//	           rates clipped to [0, 1]; delta = Step (rates, absolute) or
//	           Relative (every input, relative)
//	key level: i* = argmax_i v D_i / k_i;  mProfit_i = m v D_i - k_i;
//	           recommended when v D_i / k_i > 1/m
//	rule 1:    argmin_i p_i / b_i                (benchmarks b_i)
//	rule 2:    argmax_i R(p_i + Step) - R        (= argmin p_i without caps)
//	rule 3:    u_i = demand_i / cap_i >= 1
//
// It works on arrays copied once from the plan, never on clones of it.
func Sensitivity(p *Plan, opt SensitivityOptions) (*SensitivityResult, error) {
	if len(p.Stages) < 2 {
		return nil, fmt.Errorf("stages: %d stages (want at least 2)", len(p.Stages))
	}
	for _, x := range []float64{opt.Step, opt.Relative} {
		if math.IsNaN(x) || x < 0 || x > 1 {
			return nil, fmt.Errorf("sensitivity step %s is not a fraction (want 0..1)", num(x))
		}
	}
	res := &SensitivityResult{Mode: "step", Step: opt.Step, Relative: opt.Relative, Warnings: []string{}}
	if res.Step == 0 {
		res.Step = DefaultStep
	}
	if res.Relative == 0 {
		res.Relative = DefaultRelative
	} else {
		res.Mode = "relative"
	}
	f := newFunnelArrays(p, res)
	n := f.n
	res.Metric = "revenue"
	if !f.anyValue() {
		res.Metric = "customers"
		f.byCustomers = true
	}
	f.eval()
	res.Base = f.metric()
	base := f.snapshot()

	// The tornado: top, every stage rate, order value (in this order,
	// which breaks ties of width).
	r := res.Relative
	pmr := pm(r)
	change := " " + pmr
	if res.Mode != "relative" {
		change = " rate ±" + strconv.FormatFloat(100*res.Step, 'f', -1, 64) + " pt"
	} else {
		change = " rate" + change
	}
	// The labels and targets are cut from one string: one allocation
	// instead of two per stage.
	var text strings.Builder
	size := 2*len("Order value ") + 2*len(pmr)
	for i := 1; i < n; i++ {
		size += len("stages.") + len(p.Stages[i].ID) + len(".rate") + len(stageName(p, i)) + len(change)
	}
	text.Grow(size)
	cut := make([]int, 0, 2*n+4) // ends of the pieces in text
	put := func(parts ...string) {
		for _, x := range parts {
			text.WriteString(x)
		}
		cut = append(cut, text.Len())
	}
	put("Top ", pmr)
	for i := 1; i < n; i++ {
		put("stages.", p.Stages[i].ID, ".rate")
		put(stageName(p, i), change)
	}
	put("Order value ", pmr)
	texts := text.String()
	piece := func(k int) string {
		if k == 0 {
			return texts[:cut[0]]
		}
		return texts[cut[k-1]:cut[k]]
	}
	// The bars, by input k (0 top, i stage i, n order value), as numbers
	// first; the Effects are built once, in tornado order.
	const (
		bValue = iota
		bLowValue
		bHighValue
		bLow
		bHigh
		bWidth
		bSize
	)
	bars := make([]float64, bSize*(n+1))
	bar := func(k int) []float64 { return bars[bSize*k : bSize*k+bSize] }
	top := f.top
	b := bar(0)
	b[bValue], b[bLowValue], b[bHighValue] = top, top*(1-r), top*(1+r)
	f.top = b[bLowValue]
	f.eval()
	b[bLow] = f.metric()
	f.top = b[bHighValue]
	f.eval()
	b[bHigh] = f.metric()
	f.top = top

	gains := make([]MarginalGain, 0, n-1)
	col := make([]float64, f.J)
	// Moving the rate of stage i leaves the stages before it as they are
	// at the baseline: evalFrom(i) recomputes from stage i on.
	relative, rate := res.Mode == "relative", f.rate
	base.restore(f, 0, n)
	for i := 1; i < n; i++ {
		base.restore(f, i-1, i) // the previous stage's moves changed it
		b := bar(i)
		b[bValue] = base.rate(i)
		for j := range col {
			col[j] = f.rate[j*n+i]
		}
		for k, sign := range [2]float64{-1, 1} {
			// The mode is tested once per move, not once per persona.
			if relative {
				m := 1 + sign*r
				for j, x := range col {
					rate[j*n+i] = clip01(x * m)
				}
			} else {
				d := sign * res.Step
				for j, x := range col {
					rate[j*n+i] = clip01(x + d)
				}
			}
			f.evalFrom(i)
			b[bLow+k], b[bLowValue+k] = f.metric(), f.aggRate(i)
		}
		gain := b[bHigh] - res.Base
		if relative {
			for j := range col {
				f.rate[j*n+i] = clip01(col[j] + res.Step)
			}
			f.evalFrom(i)
			gain = f.metric() - res.Base
		}
		gains = append(gains, MarginalGain{Stage: p.Stages[i].ID, Gain: gain})
		for j := range col {
			f.rate[j*n+i] = col[j]
		}
	}

	vals := slices.Clone(f.value)
	b = bar(n)
	b[bValue], b[bLowValue], b[bHighValue] = f.plainValue, f.plainValue*(1-r), f.plainValue*(1+r)
	base.restore(f, 0, n) // the counts do not depend on the order values
	for k, s := range [2]float64{1 - r, 1 + r} {
		for j := range vals {
			f.value[j] = vals[j] * s
		}
		b[bLow+k] = f.metric()
	}
	copy(f.value, vals)

	idx := make([]int, n+1)
	for k := range idx {
		idx[k] = k
		b := bar(k)
		b[bWidth] = roundSig(math.Abs(b[bHigh]-b[bLow]), 9)
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		wa, wb := bars[bSize*a+bWidth], bars[bSize*b+bWidth]
		switch {
		case wa > wb:
			return -1
		case wa < wb:
			return 1
		}
		return a - b
	})
	res.Effects = make([]Effect, n+1)
	for k, x := range idx {
		b := bar(x)
		e := &res.Effects[k]
		switch x {
		case 0:
			e.Target, e.Label = "top", piece(0)
		case n:
			e.Target, e.Label = "order_value", piece(2*n-1)
		default:
			e.Target, e.Label, e.Stage = piece(2*x-1), piece(2*x), p.Stages[x].ID
		}
		e.Value, e.LowValue, e.HighValue = b[bValue], b[bLowValue], b[bHighValue]
		e.Low, e.High = b[bLow], b[bHigh]
		e.LowChange, e.HighChange = e.Low-res.Base, e.High-res.Base
	}

	res.KeyLevel = keyLevel(p, f, base)
	res.Bottlenecks.Benchmark = benchmarkRule(p, base)
	res.Bottlenecks.Marginal = MarginalRule{
		Rule:  "raising one stage's rate by " + strconv.FormatFloat(100*res.Step, 'f', -1, 64) + " point(s) adds most (MATH.md §e rule 2)",
		Gains: gains,
	}
	bestGain := 0.0
	for _, g := range gains {
		if g.Gain > bestGain*(1+1e-12) {
			res.Bottlenecks.Marginal.Stage, bestGain = g.Stage, g.Gain
		}
	}
	res.Bottlenecks.Capacity = capacityRule(p, f, base, res.Base)
	if err := res.finite(); err != nil {
		return nil, err
	}
	return res, nil
}

// finite checks every number of the result without reflection (Sensitivity
// runs on every edit in the browser, where reflection is slow); the path of
// a bad number is built only when there is one.
func (r *SensitivityResult) finite() error {
	// x − x is 0 for a finite x and NaN for NaN and ±Inf, so a sum of
	// such differences is 0 exactly when every term is finite: checked
	// without a call per number.
	fin := func(x float64) float64 { return x - x }
	finp := func(x *float64) float64 {
		if x == nil {
			return 0
		}
		return *x - *x
	}
	bad := func(format string, args ...any) error {
		return fmt.Errorf("sensitivity: %s is not finite: the plan's numbers are too large to compute", fmt.Sprintf(format, args...))
	}
	if fin(r.Base) != 0 {
		return bad("base")
	}
	for k, e := range r.Effects {
		if fin(e.Value)+fin(e.LowValue)+fin(e.HighValue)+fin(e.Low)+fin(e.High)+fin(e.LowChange)+fin(e.HighChange) != 0 {
			return bad("effects[%d]", k)
		}
	}
	for k, l := range r.KeyLevel.Levels {
		if fin(l.UnitCost)+fin(l.Downstream)+fin(l.ValuePerPerson)+finp(l.MROAS)+finp(l.MProfit) != 0 {
			return bad("key_level.levels[%d]", k)
		}
	}
	for k, g := range r.Bottlenecks.Benchmark.Gaps {
		if fin(g.Rate)+fin(g.Benchmark)+finp(g.Ratio) != 0 {
			return bad("bottlenecks.benchmark.gaps[%d]", k)
		}
	}
	for k, g := range r.Bottlenecks.Marginal.Gains {
		if fin(g.Gain) != 0 {
			return bad("bottlenecks.marginal.gains[%d]", k)
		}
	}
	if fin(r.Bottlenecks.Capacity.Lost) != 0 {
		return bad("bottlenecks.capacity.lost")
	}
	for k, c := range r.Bottlenecks.Capacity.Stages {
		if fin(c.Demand)+fin(c.Capacity)+finp(c.Utilisation) != 0 {
			return bad("bottlenecks.capacity.stages[%d]", k)
		}
	}
	return nil
}

// pm formats a relative change as "±10 %".
func pm(r float64) string {
	return "±" + strconv.FormatFloat(100*r, 'f', -1, 64) + " %"
}

func stageName(p *Plan, i int) string {
	if p.Stages[i].Name != "" {
		return p.Stages[i].Name
	}
	return p.Stages[i].ID
}

// clip01 is math.Min(1, math.Max(0, x)) without the calls (not inlined in
// WebAssembly): NaN stays NaN, -0 becomes 0.
func clip01(x float64) float64 {
	if x <= 0 {
		return 0
	}
	if x > 1 {
		return 1
	}
	return x
}

// roundSig rounds x to d significant digits, so that widths equal but for
// float noise sort as ties.
func roundSig(x float64, d int) float64 {
	if x == 0 || math.IsInf(x, 0) || math.IsNaN(x) {
		return x
	}
	e := math.Pow(10, float64(d)-math.Ceil(math.Log10(math.Abs(x))))
	return math.Round(x*e) / e
}

func keyLevel(p *Plan, f *funnelArrays, base funnelSnapshot) KeyLevel {
	kl := KeyLevel{
		Rule:   "the stage with the highest value per person v·D_i over unit cost k_i; recommended when v·D_i/k_i > 1/m (MATH.md §e)",
		Levels: make([]LevelROI, 0, f.n),
	}
	n, J := f.n, f.J
	share, rates, values := f.share[:J], f.rate[:J*n], f.value[:J]
	best := -1.0
	vals := make([]float64, 0, 2*n) // backing store of the optional numbers
	for i := 0; i < n; i++ {
		uc := p.Stages[i].UnitCost
		if uc == nil {
			continue
		}
		lv := LevelROI{Stage: p.Stages[i].ID, UnitCost: *uc}
		// Mix at stage i (top shares when nobody reaches it), then
		// value = Σ_j w_j v_j D_{j,i} and D = Σ_j w_j D_{j,i}.
		// The sums and the product in locals, f's numbers in local slices:
		// the compiler keeps neither in registers across the loops when
		// they are read through pointers, and in WebAssembly every such
		// load and store is an access to linear memory.
		tot, gk, gf := base.total[i], f.gk, f.gf
		var down, value float64
		for j, sj := range share {
			w := sj
			if tot > 0 {
				w = base.counts[j*n+i] / tot
			}
			d := 1.0
			row := rates[j*n : j*n+n]
			for k := i + 1; k < n; k++ {
				v := row[k]
				if k == gk {
					v = groupRate(v, gf)
				}
				d *= v
			}
			down += w * d
			value += w * d * values[j]
		}
		lv.Downstream, lv.ValuePerPerson = down, value
		for k := max(i, 1); k < n; k++ {
			if f.hasCap[k] && base.demand[k] >= f.cap[k] && base.demand[k] > 0 {
				lv.ValuePerPerson = 0
				kl.Note = fmt.Sprintf("stage %q is at capacity: people added before it are lost there", p.Stages[k].ID)
				break
			}
		}
		if lv.UnitCost > 0 {
			vals = append(vals, lv.ValuePerPerson/lv.UnitCost)
			lv.MROAS = &vals[len(vals)-1]
		}
		if p.Margin != nil {
			vals = append(vals, *p.Margin*lv.ValuePerPerson-lv.UnitCost)
			lv.MProfit = &vals[len(vals)-1]
			lv.Recommended = *lv.MProfit > 0
		}
		score := math.Inf(1)
		if lv.MROAS != nil {
			score = *lv.MROAS
		} else if lv.ValuePerPerson == 0 {
			score = 0
		}
		if score > best {
			best, kl.Stage, kl.Recommended = score, lv.Stage, lv.Recommended
		}
		kl.Levels = append(kl.Levels, lv)
	}
	switch {
	case len(kl.Levels) == 0:
		kl.Note = "no stage has a unit_cost: the key level needs the cost of adding a person at each level"
	case p.Margin == nil:
		kl.Note = "the plan has no margin, so no level can be recommended (want mROAS > 1/m)"
	}
	return kl
}

func benchmarkRule(p *Plan, base funnelSnapshot) BenchmarkRule {
	br := BenchmarkRule{
		Rule: "the lowest ratio of rate to benchmark, p_i/b_i (MATH.md §e rule 1)",
		Gaps: make([]BenchmarkGap, 0, len(p.Stages)),
	}
	best := math.Inf(1)
	ratios := make([]float64, len(p.Stages))
	for i := 1; i < len(p.Stages); i++ {
		b := p.Stages[i].Benchmark
		if b == nil {
			continue
		}
		g := BenchmarkGap{Stage: p.Stages[i].ID, Rate: base.rate(i), Benchmark: *b}
		if *b > 0 {
			ratios[i] = g.Rate / *b
			g.Ratio = &ratios[i]
			if *g.Ratio < best {
				best, br.Stage = *g.Ratio, g.Stage
			}
		}
		br.Gaps = append(br.Gaps, g)
	}
	br.Below = br.Stage != "" && best < 1
	return br
}

func capacityRule(p *Plan, f *funnelArrays, base funnelSnapshot, r0 float64) CapacityRule {
	cr := CapacityRule{
		Rule:   "demand at or over capacity, utilisation u_i = demand_i/cap_i >= 1; the excess is lost (MATH.md §e rule 3)",
		Stages: make([]CapacityUsage, 0, f.n),
	}
	any := false
	utils := make([]float64, f.n)
	for i := 1; i < f.n; i++ {
		if !f.hasCap[i] {
			continue
		}
		any = true
		u := CapacityUsage{Stage: p.Stages[i].ID, Demand: base.demand[i], Capacity: f.cap[i]}
		if f.cap[i] > 0 {
			utils[i] = u.Demand / u.Capacity
			u.Utilisation = &utils[i]
		}
		u.Bottleneck = u.Demand >= u.Capacity && u.Demand > 0
		if u.Bottleneck && cr.Stage == "" {
			cr.Stage = u.Stage
		}
		cr.Stages = append(cr.Stages, u)
	}
	if any {
		caps := f.cap
		f.cap = make([]float64, f.n)
		for i := range f.cap {
			f.cap[i] = math.Inf(1)
		}
		f.eval()
		cr.Lost = f.metric() - r0
		f.cap = caps
	}
	return cr
}

// restore puts the baseline's counts, totals and demands of stages a to
// b−1 back into f.
func (s funnelSnapshot) restore(f *funnelArrays, a, b int) {
	n := f.n
	if b == a+1 { // one stage: no call to copy (runtime.memmove) per persona
		for k := a; k < len(f.counts); k += n {
			f.counts[k] = s.counts[k]
		}
	} else {
		for k := 0; k < len(f.counts); k += n {
			copy(f.counts[k+a:k+b], s.counts[k+a:k+b])
		}
	}
	copy(f.total[a:b], s.total[a:b])
	copy(f.demand[a:b], s.demand[a:b])
}

// funnelSnapshot is a copy of the baseline evaluation.
type funnelSnapshot struct {
	counts, total, demand []float64
	rates                 []float64 // aggregate rate per stage (index 0 unused)
}

func (f *funnelArrays) snapshot() funnelSnapshot {
	n, c := f.n, len(f.counts)
	buf := make([]float64, c+3*n)
	s := funnelSnapshot{
		counts: buf[:c:c],
		total:  buf[c : c+n : c+n],
		demand: buf[c+n : c+2*n : c+2*n],
		rates:  buf[c+2*n:],
	}
	copy(s.counts, f.counts)
	copy(s.total, f.total)
	copy(s.demand, f.demand)
	for i := 1; i < f.n; i++ {
		s.rates[i] = f.aggRate(i)
	}
	return s
}

// rate is the aggregate step rate of stage i at the baseline, before any
// capacity loss at the stage: what benchmarks compare with.
func (s funnelSnapshot) rate(i int) float64 { return s.rates[i] }
