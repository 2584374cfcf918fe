package core

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
)

// DefaultStepDays is the length of a journey step when the plan does not
// say (a week).
const DefaultStepDays = 7

// disagreeShare: the journey and the funnel disagree at a stage when the
// implied rate differs from the funnel's by more than this share of the
// funnel's rate.
const disagreeShare = 0.1

// leverCount is how many levers AnalyzeJourney reports; leverDelta the
// probability each lever moves (or all the lost probability, when less).
const (
	leverCount = 10
	leverDelta = 0.01
)

// JourneyResult is the Markov journey analysis of a plan (MATH.md §f): the
// figures of every state (as if starting there), the entry's summary, the
// step distribution, the strongest levers and the journey beside the
// funnel.
type JourneyResult struct {
	// StepDays is the days one step takes; Horizon the horizon in steps
	// (0: none).
	StepDays float64 `json:"step_days"`
	Horizon  int     `json:"horizon"`
	// Entry is the state where people enter.
	Entry string `json:"entry"`
	// Entrants V is the plan's top: persons entering per period.
	Entrants float64 `json:"entrants"`
	// PurchaseProbability h is the probability that an entrant purchases;
	// Purchases = V·h per period.
	PurchaseProbability float64 `json:"purchase_probability"`
	Purchases           float64 `json:"purchases"`
	// ExpectedSteps and StepsSD are the mean and standard deviation of the
	// steps an entrant takes until purchase or loss; ExpectedDays the mean
	// days; ExpectedDaysIfPurchase the mean days to purchase of those who
	// purchase (nil when nobody does).
	ExpectedSteps          float64  `json:"expected_steps"`
	StepsSD                float64  `json:"steps_sd"`
	ExpectedDays           float64  `json:"expected_days"`
	ExpectedDaysIfPurchase *float64 `json:"expected_days_if_purchase"`
	// MedianStepsIfPurchase and P90StepsIfPurchase are quantiles of the
	// steps to purchase of those who purchase (nil when undetermined).
	MedianStepsIfPurchase *int           `json:"median_steps_if_purchase"`
	P90StepsIfPurchase    *int           `json:"p90_steps_if_purchase"`
	States                []JourneyState `json:"states"`
	// Steps is the step distribution of an entrant, until less than 1e-6
	// remain in the journey (at most 1000 steps).
	Steps []JourneyStep `json:"steps"`
	// Levers are the moves of 0.01 (or less) of a state's lost probability
	// to one of the state's other targets that raise the purchase
	// probability most, strongest first.
	Levers []MoveEffect `json:"levers"`
	// Stages compares the journey with the funnel where states map to
	// funnel stages.
	Stages []JourneyStage `json:"stages,omitempty"`
	// BuyingGroup is the plan's buying group as applied to the funnel's
	// rates in Stages (nil without one).
	BuyingGroup *GroupEffect `json:"buying_group,omitempty"`
	// Condition is κ∞(I − Q), nil with a horizon.
	Condition *float64 `json:"condition"`
	Warnings  []string `json:"warnings"`

	res *ChainResult
}

// JourneyState is one transient state, as a start state (MATH.md §f).
type JourneyState struct {
	ID string `json:"id"`
	// Stage is the funnel stage the state stands for, if any.
	Stage string `json:"stage,omitempty"`
	// PurchaseProbability h_i and LostProbability from this state.
	PurchaseProbability float64 `json:"purchase_probability"`
	LostProbability     float64 `json:"lost_probability"`
	// ExpectedSteps t_i, StepsSD the standard deviation of the steps,
	// ExpectedDays T_i, ExpectedDaysIfPurchase T|P_i (nil when h_i = 0).
	ExpectedSteps          float64  `json:"expected_steps"`
	StepsSD                float64  `json:"steps_sd"`
	ExpectedDays           float64  `json:"expected_days"`
	ExpectedDaysIfPurchase *float64 `json:"expected_days_if_purchase"`
	// Visits is the expected visits to this state per entrant (π N);
	// Reach the probability that an entrant ever visits it; Persons =
	// V·Reach, unique persons per period.
	Visits  float64 `json:"visits"`
	Reach   float64 `json:"reach"`
	Persons float64 `json:"persons"`
}

// JourneyStep is one step of the step distribution of an entrant.
type JourneyStep struct {
	Step int `json:"step"`
	// Purchase and Lost are the probabilities of purchasing (being lost)
	// at this step; Remaining the probability of still being in the
	// journey after it.
	Purchase  float64 `json:"purchase"`
	Lost      float64 `json:"lost"`
	Remaining float64 `json:"remaining"`
}

// JourneyStage is one funnel stage beside the journey: the share of
// entrants who ever reach it in the journey, and the step conversion the
// journey implies from the previous mapped stage against the funnel's.
type JourneyStage struct {
	ID string `json:"id"`
	// States are the journey states standing for the stage ("purchase"
	// for the last stage unless a state maps to it).
	States []string `json:"states"`
	// Reach is the probability that an entrant ever reaches the stage.
	Reach float64 `json:"reach"`
	// From is the previous mapped stage ("" for the first).
	From string `json:"from,omitempty"`
	// ImpliedRate is Reach / Reach(From); FunnelRate the product of the
	// funnel's aggregate step rates from From to this stage; Difference
	// ImpliedRate − FunnelRate. Nil where undefined.
	ImpliedRate *float64 `json:"implied_rate"`
	FunnelRate  *float64 `json:"funnel_rate"`
	Difference  *float64 `json:"difference"`
	// Disagree is true when the rates differ by more than 10 % of the
	// funnel's rate.
	Disagree bool `json:"disagree"`
}

// StateOrder returns the journey's transient states in order: States when
// given, else the funnel stages that have a row, in funnel order, then the
// other states sorted by id.
func (j *Journey) StateOrder(p *Plan) []string {
	if len(j.States) > 0 {
		return append([]string{}, j.States...)
	}
	var out []string
	seen := map[string]bool{}
	for _, s := range p.Stages {
		if _, ok := j.Transitions[s.ID]; ok && !seen[s.ID] {
			out = append(out, s.ID)
			seen[s.ID] = true
		}
	}
	for _, k := range sortedKeys(j.Transitions) {
		if !seen[k] && k != StatePurchase && k != StateLost {
			out = append(out, k)
		}
	}
	return out
}

// stepDays returns the days of one step.
func (j *Journey) stepDays() float64 {
	if j.StepDays > 0 {
		return j.StepDays
	}
	return DefaultStepDays
}

// Chain builds the absorbing chain of the journey: Q and R from
// transitions, entry e_entry (default the first state), days per visit
// from days (default step_days).
func (j *Journey) Chain(p *Plan) (*Chain, error) {
	states := j.StateOrder(p)
	m := len(states)
	if m == 0 {
		return nil, errors.New("journey: no states")
	}
	idx := make(map[string]int, m)
	for i, s := range states {
		idx[s] = i
	}
	c := &Chain{States: states, Q: make([]float64, m*m), R: make([]float64, 2*m), Entry: make([]float64, m), Days: make([]float64, m)}
	for i, s := range states {
		row, ok := j.Transitions[s]
		if !ok {
			return nil, fmt.Errorf("journey.states[%d]: no journey state %q", i, s)
		}
		for to, q := range row {
			switch to {
			case StatePurchase:
				c.R[2*i] += q
			case StateLost:
				c.R[2*i+1] += q
			default:
				k, ok := idx[to]
				if !ok {
					return nil, fmt.Errorf("%s: no journey state %q", childPath(childPath("journey.transitions", s), to), to)
				}
				c.Q[i*m+k] += q
			}
		}
		c.Days[i] = j.stepDays()
		if d, ok := j.Days[s]; ok {
			c.Days[i] = d
		}
	}
	e := 0
	if j.Entry != "" {
		k, ok := idx[j.Entry]
		if !ok {
			return nil, fmt.Errorf("journey.entry: no journey state %q", j.Entry)
		}
		e = k
	}
	c.Entry[e] = 1
	return c, nil
}

// FunnelChain writes the plan's funnel as a linear chain (MATH.md §f,
// linear funnel as special case): states are stages 0..n−1,
//
//	Q_{i,i+1} = p_{i+1},  R_{i,L} = 1 − p_{i+1},  R_{n−1,P} = p_n
//
// with the aggregate step rates of Forward (persona mix included), so the
// chain's purchase probability is the funnel's overall conversion. A step
// takes stepDays days.
func FunnelChain(p *Plan, stepDays float64) (*Chain, error) {
	f, err := Forward(p)
	if err != nil {
		return nil, err
	}
	n := len(p.Stages)
	m := n - 1
	rates := p.Rates()
	c := &Chain{States: make([]string, m), Q: make([]float64, m*m), R: make([]float64, 2*m), Entry: make([]float64, m), Days: make([]float64, m)}
	for i := 0; i < m; i++ {
		c.States[i] = p.Stages[i].ID
		c.Days[i] = stepDays
		r := rates[i]
		if f.Stages[i+1].Rate != nil {
			r = *f.Stages[i+1].Rate
		}
		if i+1 < m {
			c.Q[i*m+i+1] = r
		} else {
			c.R[2*i] = r
		}
		c.R[2*i+1] = 1 - r
	}
	c.Entry[0] = 1
	return c, nil
}

// AnalyzeJourney computes the Markov journey of a plan (MATH.md §f): see
// Chain.Solve for the formulas. Entrants V are the plan's top. States
// that stand for funnel stages (Journey.Stages, or equal ids) are compared
// with the funnel's aggregate rates: those of Forward with the plan's
// buying group applied (WithBuyingGroup). The plan must have a journey
// section and be valid.
func AnalyzeJourney(p *Plan) (*JourneyResult, error) {
	if p.Journey == nil {
		return nil, errors.New("journey: the plan has no journey section")
	}
	j := p.Journey
	c, err := j.Chain(p)
	if err != nil {
		return nil, err
	}
	cr, err := c.Solve(j.Horizon)
	if err != nil {
		return nil, err
	}
	V := p.Top
	r := &JourneyResult{
		StepDays:               j.stepDays(),
		Horizon:                j.Horizon,
		Entry:                  c.States[slices.Index(c.Entry, 1)],
		Entrants:               V,
		PurchaseProbability:    cr.Purchase,
		Purchases:              V * cr.Purchase,
		ExpectedSteps:          cr.EntrySteps,
		StepsSD:                math.Sqrt(cr.EntryStepsVar),
		ExpectedDays:           cr.EntryDays,
		ExpectedDaysIfPurchase: finiteOrNil(cr.EntryDaysIfPurchase),
		Warnings:               append([]string{}, cr.Warnings...),
		Levers:                 []MoveEffect{},
		res:                    cr,
	}
	if cr.MedianStepsIfPurchase >= 0 {
		k := cr.MedianStepsIfPurchase
		r.MedianStepsIfPurchase = &k
	}
	if cr.P90StepsIfPurchase >= 0 {
		k := cr.P90StepsIfPurchase
		r.P90StepsIfPurchase = &k
	}
	if j.Horizon == 0 {
		r.Condition = F(cr.Condition)
	}
	stageOf := j.stageMap(p, c.States)
	m := len(c.States)
	for i, s := range c.States {
		r.States = append(r.States, JourneyState{
			ID:                     s,
			Stage:                  stageOf[s],
			PurchaseProbability:    cr.B[2*i],
			LostProbability:        cr.B[2*i+1],
			ExpectedSteps:          cr.Steps[i],
			StepsSD:                math.Sqrt(cr.StepsVar[i]),
			ExpectedDays:           cr.Days[i],
			ExpectedDaysIfPurchase: finiteOrNil(cr.DaysIfPurchase[i]),
			Visits:                 cr.Visits[i],
			Reach:                  cr.Reach[i],
			Persons:                V * cr.Reach[i],
		})
	}
	left := 1.0
	for k := range cr.PurchaseAt {
		left -= cr.PurchaseAt[k] + cr.LostAt[k]
		r.Steps = append(r.Steps, JourneyStep{Step: k + 1, Purchase: cr.PurchaseAt[k], Lost: cr.LostAt[k], Remaining: math.Max(0, left)})
		if left < 1e-6 || k+1 >= 1000 {
			break
		}
	}
	// Levers: move lost probability to another target of the same row;
	// candidates are ranked without allocating, the best ones reported.
	type cand struct {
		k, to int
		d, ex float64
	}
	var cands []cand
	for k := 0; k < m; k++ {
		lost := c.R[2*k+1]
		if lost <= 0 {
			continue
		}
		d := math.Min(leverDelta, lost)
		for t := 0; t <= m; t++ {
			if t == k || (t < m && c.Q[k*m+t] == 0) || (t == m && c.R[2*k] == 0) {
				continue
			}
			if _, ex, ok := cr.moveExact(k, m+1, t, d); ok && ex > 0 {
				cands = append(cands, cand{k, t, d, ex})
			}
		}
	}
	slices.SortStableFunc(cands, func(a, b cand) int { return cmp.Compare(b.ex, a.ex) })
	for _, x := range cands[:min(len(cands), leverCount)] {
		to := StatePurchase
		if x.to < m {
			to = c.States[x.to]
		}
		if e, err := cr.Move(c.States[x.k], StateLost, to, x.d); err == nil {
			r.Levers = append(r.Levers, e)
		}
	}
	// With a horizon the ranking above is first-order; order by the
	// exact effect.
	slices.SortStableFunc(r.Levers, func(a, b MoveEffect) int { return cmp.Compare(b.Exact, a.Exact) })
	if err := r.compareStages(p, c, cr, stageOf); err != nil {
		return nil, err
	}
	if !r.finite() {
		return nil, resultFinite("journey", r)
	}
	return r, nil
}

// finite reports whether the figures that can overflow are finite: those
// scaled by the entrants or by days, and the step counts. Probabilities,
// the step distribution and the levers are bounded by construction.
func (r *JourneyResult) finite() bool {
	ok := func(xs ...float64) bool {
		for _, x := range xs {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return false
			}
		}
		return true
	}
	opt := func(x *float64) float64 {
		if x == nil {
			return 0
		}
		return *x
	}
	if !ok(r.Entrants, r.Purchases, r.PurchaseProbability, r.ExpectedSteps, r.StepsSD, r.ExpectedDays,
		opt(r.ExpectedDaysIfPurchase), opt(r.Condition)) {
		return false
	}
	for _, s := range r.States {
		if !ok(s.PurchaseProbability, s.LostProbability, s.ExpectedSteps, s.StepsSD, s.ExpectedDays,
			opt(s.ExpectedDaysIfPurchase), s.Visits, s.Reach, s.Persons) {
			return false
		}
	}
	for _, l := range r.Levers {
		if !ok(l.FirstOrder, l.Exact, opt(l.Relative)) {
			return false
		}
	}
	return true
}

// Move is ChainResult.Move on the journey: the exact change in the
// entry's purchase probability when delta of the probability at state
// moves from target from to target to.
func (r *JourneyResult) Move(state, from, to string, delta float64) (MoveEffect, error) {
	return r.res.Move(state, from, to, delta)
}

// stageMap returns the funnel stage of each state that stands for one.
func (j *Journey) stageMap(p *Plan, states []string) map[string]string {
	out := map[string]string{}
	for _, s := range states {
		if st, ok := j.Stages[s]; ok {
			out[s] = st
		} else if p.StageIndex(s) >= 0 {
			out[s] = s
		}
	}
	return out
}

// compareStages fills r.Stages; the funnel's rates include the plan's
// buying group.
func (r *JourneyResult) compareStages(p *Plan, c *Chain, cr *ChainResult, stageOf map[string]string) error {
	if len(stageOf) == 0 {
		return nil
	}
	p, g, err := WithBuyingGroup(p)
	if err != nil {
		return err
	}
	r.BuyingGroup = g
	n := len(p.Stages)
	members := make([][]int, n)
	for i, s := range c.States {
		if st, ok := stageOf[s]; ok {
			k := p.StageIndex(st)
			members[k] = append(members[k], i)
		}
	}
	last := n - 1
	purchaseStands := len(members[last]) == 0
	f, ferr := Forward(p)
	prev := -1
	for k := 0; k < n; k++ {
		if len(members[k]) == 0 && !(k == last && purchaseStands) {
			continue
		}
		st := JourneyStage{ID: p.Stages[k].ID, States: []string{}}
		var reach float64
		if k == last && purchaseStands {
			st.States = append(st.States, StatePurchase)
			reach = cr.Purchase
		} else {
			for _, i := range members[k] {
				st.States = append(st.States, c.States[i])
			}
			var err error
			if reach, err = cr.reachSet(members[k]); err != nil {
				return err
			}
		}
		st.Reach = reach
		if prev >= 0 {
			pv := r.Stages[len(r.Stages)-1]
			st.From = pv.ID
			if pv.Reach > 0 {
				st.ImpliedRate = F(reach / pv.Reach)
			}
			if ferr == nil {
				fr := 1.0
				ok := true
				for i := prev + 1; i <= k; i++ {
					if f.Stages[i].Rate == nil {
						ok = false
						break
					}
					fr *= *f.Stages[i].Rate
				}
				if ok {
					st.FunnelRate = F(fr)
				}
			}
			if st.ImpliedRate != nil && st.FunnelRate != nil {
				d := *st.ImpliedRate - *st.FunnelRate
				st.Difference = F(d)
				if math.Abs(d) > disagreeShare**st.FunnelRate && math.Abs(d) > 1e-9 {
					st.Disagree = true
					r.Warnings = append(r.Warnings, fmt.Sprintf("journey and funnel disagree from %q to %q: the journey implies %s, the funnel states %s",
						st.From, st.ID, fmtPct(*st.ImpliedRate), fmtPct(*st.FunnelRate)))
				}
			}
		}
		r.Stages = append(r.Stages, st)
		prev = k
	}
	if len(r.Stages) < 2 {
		r.Stages = nil
	}
	return nil
}

// reachSet returns the probability that an entrant ever visits a state of
// the set S (within the horizon, if any): g = 1 on S and g = Q g off S.
func (r *ChainResult) reachSet(S []int) (float64, error) {
	if len(S) == 1 {
		return r.Reach[S[0]], nil
	}
	c := r.chain
	m := len(c.States)
	in := make([]bool, m)
	for _, i := range S {
		in[i] = true
	}
	if r.Horizon > 0 {
		x := append([]float64{}, c.Entry...)
		hit := 0.0
		for k := 0; k < r.Horizon; k++ {
			if k > 0 {
				x = r.mulQT(x)
			}
			for _, i := range S {
				hit += x[i]
				x[i] = 0
			}
		}
		return math.Min(1, hit), nil
	}
	var U []int
	for i := 0; i < m; i++ {
		if !in[i] {
			U = append(U, i)
		}
	}
	g := make([]float64, m)
	for _, i := range S {
		g[i] = 1
	}
	if u := len(U); u > 0 {
		a := make([]float64, u*u)
		b := make([]float64, u)
		for x, i := range U {
			diag := c.R[2*i] + c.R[2*i+1]
			for j := 0; j < m; j++ {
				if j == i {
					continue
				}
				if in[j] {
					b[x] += c.Q[i*m+j]
					diag += c.Q[i*m+j]
				}
			}
			for y, j := range U {
				if j != i {
					a[x*u+y] = -c.Q[i*m+j]
					diag += c.Q[i*m+j]
				}
			}
			a[x*u+x] = diag
		}
		sol, err := solveLU(a, u, b, 1)
		if err != nil {
			return 0, errors.New("journey: numerically unreliable (reach of a stage)")
		}
		for x, i := range U {
			g[i] = sol[x]
		}
	}
	reach := 0.0
	for i, p := range c.Entry {
		reach += p * g[i]
	}
	return math.Min(1, math.Max(0, reach)), nil
}

// finiteOrNil returns &x, or nil for NaN and ±Inf.
func finiteOrNil(x float64) *float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return nil
	}
	return &x
}

// fmtPct formats a rate as a percentage for messages.
func fmtPct(x float64) string { return fmt.Sprintf("%.4g %%", 100*x) }

// resultFiniteFast is resultFinite with a walk that allocates nothing when every
// number is finite (the usual case); the path of a bad number is only
// built when there is one.
func resultFiniteFast(what string, v any) error {
	if allFinite(reflect.ValueOf(v)) {
		return nil
	}
	return resultFinite(what, v)
}

// allFinite reports whether every float64 reachable from v (through
// exported fields, pointers, slices and maps) is finite.
func allFinite(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Float64:
		x := v.Float()
		return !math.IsNaN(x) && !math.IsInf(x, 0)
	case reflect.Pointer, reflect.Interface:
		return v.IsNil() || allFinite(v.Elem())
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			if t.Field(i).IsExported() && !allFinite(v.Field(i)) {
				return false
			}
		}
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Float64 && v.Kind() == reflect.Slice {
			for _, x := range v.Interface().([]float64) {
				if math.IsNaN(x) || math.IsInf(x, 0) {
					return false
				}
			}
			return true
		}
		for i := 0; i < v.Len(); i++ {
			if !allFinite(v.Index(i)) {
				return false
			}
		}
	case reflect.Map:
		it := v.MapRange()
		for it.Next() {
			if !allFinite(it.Value()) {
				return false
			}
		}
	}
	return true
}
