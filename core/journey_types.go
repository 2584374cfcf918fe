package core

import (
	"fmt"
	"math"
)

// Absorbing journey states (MATH.md §f).
const (
	StatePurchase = "purchase"
	StateLost     = "lost"
)

// rowTolerance is how far a transition row may sum from 1 (MATH.md §f).
const rowTolerance = 1e-9

// Journey is the non-linear (absorbing Markov chain) model of MATH.md §f.
type Journey struct {
	// StepDays is the time one step takes, in days (> 0; default 7).
	StepDays float64 `json:"step_days,omitempty"`
	// States lists the transient states in order (default: the funnel
	// stages that appear in Transitions, in funnel order, then the other
	// states sorted by id).
	States []string `json:"states,omitempty"`
	// Entry is the state where people enter (default the first state).
	Entry string `json:"entry,omitempty"`
	// Transitions[from][to] is the probability of moving from a transient
	// state to a state (transient, "purchase" or "lost") in one step; each
	// row sums to 1.
	Transitions map[string]map[string]float64 `json:"transitions"`
	// Horizon H > 0 makes people lost if not purchased within H steps
	// (at most 2000).
	Horizon int `json:"horizon,omitempty"`
	// Days[state] is the days one visit to the state takes, >= 0, for a
	// jump chain without self-loops (default StepDays).
	Days map[string]float64 `json:"days,omitempty"`
	// Stages[state] is the funnel stage id a journey state stands for; a
	// state whose id is a stage id stands for that stage unless mapped
	// otherwise, and the last stage stands for "purchase" unless a state
	// maps to it. Used to compare the journey with the funnel's rates.
	Stages map[string]string `json:"stages,omitempty"`
}

func (j Journey) clone() Journey {
	if j.States != nil {
		j.States = append([]string{}, j.States...)
	}
	j.Days = cloneMap(j.Days)
	if j.Stages != nil {
		j.Stages = cloneMap(j.Stages)
	}
	if j.Transitions != nil {
		t := make(map[string]map[string]float64, len(j.Transitions))
		for k, row := range j.Transitions {
			t[k] = cloneMap(row)
		}
		j.Transitions = t
	}
	return j
}

func (j *Journey) validate(ps *Problems, path string, p *Plan) {
	before := len(*ps)
	if j.StepDays != 0 {
		if ps.finite(path+".step_days", j.StepDays) && j.StepDays < 0 {
			ps.add(path+".step_days", "%s is negative (want days > 0)", num(j.StepDays))
		}
	}
	if len(j.Transitions) == 0 {
		ps.add(path+".transitions", "no transitions (want one row per journey state)")
	}
	for _, from := range sortedKeys(j.Transitions) {
		rp := childPath(path+".transitions", from)
		if from == StatePurchase || from == StateLost {
			ps.add(rp, "%q is an absorbing state and has no row", from)
			continue
		}
		row := j.Transitions[from]
		sum := 0.0
		for _, to := range sortedKeys(row) {
			cp := childPath(rp, to)
			ps.rate(cp, row[to])
			if _, ok := j.Transitions[to]; !ok && to != StatePurchase && to != StateLost {
				ps.add(cp, "no journey state %q (want a state with its own row, %q or %q)", to, StatePurchase, StateLost)
			}
			sum += row[to]
		}
		if !math.IsNaN(sum) && math.Abs(sum-1) > rowTolerance {
			ps.add(rp, "row sums to %s (want 1; put the remainder on %q explicitly)", num(sum), StateLost)
		}
	}
	if j.Entry != "" {
		if _, ok := j.Transitions[j.Entry]; !ok {
			ps.add(path+".entry", "no journey state %q", j.Entry)
		}
	}
	switch {
	case j.Horizon < 0:
		ps.add(path+".horizon", "%d is negative (want steps > 0, or 0 for none)", j.Horizon)
	case j.Horizon > MaxHorizon:
		ps.add(path+".horizon", "%d steps is too long (want at most %d)", j.Horizon, MaxHorizon)
	}
	if len(j.Transitions) > MaxJourneyStates {
		ps.add(path+".transitions", "%d states (want at most %d)", len(j.Transitions), MaxJourneyStates)
	}
	if j.States != nil {
		seen := map[string]bool{}
		for i, s := range j.States {
			sp := indexPath(path+".states", i)
			if _, ok := j.Transitions[s]; !ok {
				ps.add(sp, "no journey state %q (want a state with a row in transitions)", s)
			}
			if seen[s] {
				ps.add(sp, "duplicate state %q", s)
			}
			seen[s] = true
		}
		for _, s := range sortedKeys(j.Transitions) {
			if !seen[s] && s != StatePurchase && s != StateLost {
				ps.add(path+".states", "state %q has a row in transitions but is not listed", s)
			}
		}
	}
	for _, s := range sortedKeys(j.Days) {
		dp := childPath(path+".days", s)
		if _, ok := j.Transitions[s]; !ok {
			ps.add(dp, "no journey state %q", s)
		}
		ps.nonNeg(dp, j.Days[s], "duration in days")
	}
	for _, s := range sortedKeys(j.Stages) {
		sp := childPath(path+".stages", s)
		if _, ok := j.Transitions[s]; !ok {
			ps.add(sp, "no journey state %q", s)
		}
		if p.StageIndex(j.Stages[s]) < 0 {
			ps.add(sp, "no stage has id %q", j.Stages[s])
		}
	}
	if len(*ps) == before && j.Horizon == 0 {
		if c, err := j.Chain(p); err == nil {
			if t := c.Trapped(); len(t) > 0 {
				e := &TrappedError{}
				for _, i := range t {
					e.States = append(e.States, c.States[i])
				}
				ps.add(path+".transitions", "%s", e.Error())
			}
		}
	}
}

func (j *Journey) ref(parts []string) (slot, error) {
	if len(parts) == 3 && parts[0] == "transitions" {
		m, ok := j.Transitions[parts[1]]
		if !ok {
			return slot{}, fmt.Errorf("no journey state %q", parts[1])
		}
		// Rows are non-nil maps, so writes through m reach the plan.
		return mapSlot(&m, parts[2], 0, true, kindRate), nil
	}
	if len(parts) == 1 && parts[0] == "step_days" {
		return ptrSlot(&j.StepDays, kindNonNeg), nil
	}
	return slot{}, fmt.Errorf("want journey.transitions.<from>.<to> or journey.step_days")
}

// Lag is the delay distribution of converters between a stage and the one
// before it (MATH.md §g), in bins of Unit.
type Lag struct {
	// Dist is "geometric" (Mean), "gamma" (Shape, Scale) or "empirical"
	// (PMF).
	Dist string `json:"dist"`
	// Unit is the bin width: day, week or month (default the plan period).
	Unit  string    `json:"unit,omitempty"`
	Mean  float64   `json:"mean,omitempty"`
	Shape float64   `json:"shape,omitempty"`
	Scale float64   `json:"scale,omitempty"`
	PMF   []float64 `json:"pmf,omitempty"`
}

func (l Lag) clone() Lag {
	if l.PMF != nil {
		l.PMF = append([]float64{}, l.PMF...)
	}
	return l
}

func (l *Lag) validate(ps *Problems, path string) {
	if l.Unit != "" && PeriodDays(l.Unit) == 0 {
		ps.add(path+".unit", "%q is not a time unit (want day, week, month, quarter or year)", l.Unit)
	}
	switch l.Dist {
	case "geometric":
		ps.nonNeg(path+".mean", l.Mean, "mean in bins")
	case "gamma":
		for _, f := range []struct {
			n string
			x float64
		}{{"shape", l.Shape}, {"scale", l.Scale}} {
			if ps.finite(path+"."+f.n, f.x) && f.x <= 0 {
				ps.add(path+"."+f.n, "%s is not positive (want > 0)", num(f.x))
			}
		}
	case "empirical":
		if len(l.PMF) == 0 {
			ps.add(path+".pmf", "empty histogram (want counts or shares per bin)")
		}
		sum := 0.0
		for i, x := range l.PMF {
			ps.nonNeg(indexPath(path+".pmf", i), x, "count")
			sum += x
		}
		if len(l.PMF) > 0 && sum <= 0 {
			ps.add(path+".pmf", "histogram sums to %s (want > 0)", num(sum))
		}
	default:
		ps.add(path+".dist", "%q is not a lag distribution (want geometric, gamma or empirical)", l.Dist)
	}
}

// Referrals is the referral loop of MATH.md §h.
type Referrals struct {
	// Advocates alpha in [0, 1]: share of customers who refer.
	Advocates float64 `json:"advocates"`
	// PerAdvocate r >= 0: referrals per advocate over the advocacy life.
	PerAdvocate float64 `json:"per_advocate"`
	// Stage is the stage id where referrals enter (default stages[1]).
	Stage string `json:"stage,omitempty"`
	// Lag L >= 0 in plan periods between a purchase and its referrals.
	Lag int `json:"lag,omitempty"`
	// Segments[j][k] >= 0 is the persona-k customers that one persona-j
	// customer brings (multi-segment loop, MATH.md §h), by persona id.
	Segments map[string]map[string]float64 `json:"segments,omitempty"`
}

func (r Referrals) clone() Referrals {
	if r.Segments != nil {
		s := make(map[string]map[string]float64, len(r.Segments))
		for k, row := range r.Segments {
			s[k] = cloneMap(row)
		}
		r.Segments = s
	}
	return r
}

func (r *Referrals) validate(ps *Problems, path string, p *Plan) {
	ps.rate(path+".advocates", r.Advocates)
	ps.nonNeg(path+".per_advocate", r.PerAdvocate, "count")
	if r.Stage != "" && p.StageIndex(r.Stage) < 0 {
		ps.add(path+".stage", "no stage has id %q", r.Stage)
	}
	if r.Lag < 0 {
		ps.add(path+".lag", "%d is negative (want periods >= 0)", r.Lag)
	}
	for _, from := range sortedKeys(r.Segments) {
		rp := childPath(path+".segments", from)
		if p.PersonaIndex(from) < 0 {
			ps.add(rp, "no persona has id %q", from)
		}
		for _, to := range sortedKeys(r.Segments[from]) {
			cp := childPath(rp, to)
			if p.PersonaIndex(to) < 0 {
				ps.add(cp, "no persona has id %q", to)
			}
			ps.nonNeg(cp, r.Segments[from][to], "count of customers per customer")
		}
	}
}

func (r *Referrals) ref(field string) (slot, error) {
	switch field {
	case "advocates":
		return ptrSlot(&r.Advocates, kindRate), nil
	case "per_advocate":
		return ptrSlot(&r.PerAdvocate, kindNonNeg), nil
	}
	return slot{}, fmt.Errorf("%q is not a referrals field (want advocates or per_advocate)", field)
}

// BuyingGroup is the B2B buying group of MATH.md §i.
type BuyingGroup struct {
	// Size n >= 1, may be non-integer (mean size; mixture of neighbours).
	Size float64 `json:"size"`
	// Approval q in [0, 1]: each member's probability to approve.
	Approval float64 `json:"approval"`
	// Needed k in [1, n]: approvals needed (0: all, unanimity).
	Needed int `json:"needed,omitempty"`
	// ICC rho in (0, 1): correlation between members (beta-binomial);
	// nil means independent.
	ICC *float64 `json:"icc,omitempty"`
	// Stage is the stage id whose rate the consensus multiplies (default
	// the last stage).
	Stage string `json:"stage,omitempty"`
	// IncludesOne says the stage rate already includes one approval
	// (a calibrated single-buyer close rate): p_group = p * P / q.
	IncludesOne bool `json:"includes_one,omitempty"`
	// SizeModel is how a non-integer Size is read: "mixture" (default;
	// the two neighbouring sizes, mean-preserving) or "poisson" (size =
	// 1 + Poisson(Size − 1)).
	SizeModel string `json:"size_model,omitempty"`
}

func (b BuyingGroup) clone() BuyingGroup {
	b.ICC = cloneF(b.ICC)
	return b
}

func (b *BuyingGroup) validate(ps *Problems, path string, p *Plan) {
	if ps.finite(path+".size", b.Size) && b.Size < 1 {
		ps.add(path+".size", "%s is not a group size (want >= 1)", num(b.Size))
	}
	ps.rate(path+".approval", b.Approval)
	if b.Needed < 0 || (b.Needed > 0 && float64(b.Needed) > b.Size) {
		ps.add(path+".needed", "%d approvals needed in a group of %s (want 1..size)", b.Needed, num(b.Size))
	}
	if b.ICC != nil && ps.finite(path+".icc", *b.ICC) && (*b.ICC <= 0 || *b.ICC >= 1) {
		ps.add(path+".icc", "%s is not a correlation (want 0 < icc < 1)", num(*b.ICC))
	}
	if b.Stage != "" && p.StageIndex(b.Stage) <= 0 {
		ps.add(path+".stage", "no stage after the top has id %q", b.Stage)
	}
	switch b.SizeModel {
	case "", SizeMixture, SizePoisson:
	default:
		ps.add(path+".size_model", "%q is not a size model (want %s or %s)", b.SizeModel, SizeMixture, SizePoisson)
	}
	if ps.finite(path+".size", b.Size) && b.Size > MaxGroupSize {
		ps.add(path+".size", "%s members is too many (want at most %d)", num(b.Size), MaxGroupSize)
	}
}

func (b *BuyingGroup) ref(field string) (slot, error) {
	switch field {
	case "size":
		return ptrSlot(&b.Size, kindNonNeg), nil
	case "approval":
		return ptrSlot(&b.Approval, kindRate), nil
	case "icc":
		return optSlot(&b.ICC, kindRate), nil
	}
	return slot{}, fmt.Errorf("%q is not a buying_group field (want size, approval or icc)", field)
}
