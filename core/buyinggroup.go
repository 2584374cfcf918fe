package core

import (
	"errors"
	"fmt"
	"math"
)

// Size models of a buying group with a non-integer mean size (MATH.md §i).
const (
	SizeMixture = "mixture"
	SizePoisson = "poisson"
)

// MaxGroupSize is the largest buying group, in members.
const MaxGroupSize = 1000

// GroupApproval is the probability that a buying group reaches consensus
// (MATH.md §i). With n members who each approve with probability q:
//
//	unanimity (independent):  P = q^n
//	k of n (independent):     P = Σ_{j=k..n} C(n,j) q^j (1−q)^{n−j}
//	correlated (ICC ρ):       beta-binomial with a = q(1−ρ)/ρ, b = (1−q)(1−ρ)/ρ,
//	                          P = Σ_{j=k..n} C(n,j) B(j+a, n−j+b) / B(a,b)
//	                          (unanimity: Π_{i<n} (a+i)/(a+b+i))
//
// A non-integer size n̄ is a mixture of ⌊n̄⌋ and ⌈n̄⌉ with weight n̄−⌊n̄⌋
// on ⌈n̄⌉, or with SizeModel "poisson" size 1 + Poisson(n̄−1) (unanimity,
// independent: q·exp(−(n̄−1)(1−q)); the size is then a mean even when
// it is a whole number). Groups smaller than the approvals
// needed never agree. The result is a probability in [0, 1].
func GroupApproval(b BuyingGroup) (float64, error) {
	if err := b.check(); err != nil {
		return 0, err
	}
	return b.consensus(b.Approval), nil
}

// check returns the first problem of b as an error.
func (b BuyingGroup) check() error {
	var ps Problems
	b.validate(&ps, "buying_group", &Plan{})
	// Without a plan the stage cannot be checked; ignore that problem.
	for _, p := range ps {
		if p.Path != "buying_group.stage" {
			return errors.New(p.String())
		}
	}
	return nil
}

// consensus is P at member approval q for a valid group.
func (b BuyingGroup) consensus(q float64) float64 {
	total := 0.0
	b.sizes(func(n int, w float64) bool {
		total += w * b.fixed(n, q)
		// Past the mode of the sizes the weights only shrink and the
		// terms are at most the weights (P <= 1): once a weight is below
		// half a unit in the last place of the total, no later term can
		// change it, and the sum is the one of all the terms to the bit.
		return w >= (math.Nextafter(total, math.Inf(1))-total)/2
	})
	return math.Min(1, math.Max(0, total))
}

// sizes calls f with each group size and its probability, in increasing
// size. Past the most likely size, f returning false stops the sizes.
func (b BuyingGroup) sizes(f func(n int, w float64) (more bool)) {
	lo := math.Floor(b.Size)
	if b.SizeModel != SizePoisson {
		if lo == b.Size {
			f(int(lo), 1)
			return
		}
		w := b.Size - lo
		f(int(lo), 1-w)
		f(int(lo)+1, w)
		return
	}
	// size = 1 + Poisson(λ), λ = n̄ − 1; stop when the rest is below 1e-16.
	lambda := b.Size - 1
	pk := math.Exp(-lambda)
	cum := 0.0
	for k := 0; k <= MaxGroupSize*4; k++ {
		if k > 0 {
			pk *= lambda / float64(k)
		}
		if pk == 0 && float64(k) > lambda {
			// Past the mode the terms only shrink: once one is 0 in
			// floating point all the rest are, and add nothing.
			break
		}
		more := f(k+1, pk)
		cum += pk
		if float64(k) > lambda && (!more || 1-cum < 1e-16) {
			break
		}
	}
}

// fixed is P for a group of exactly n members at approval q.
func (b BuyingGroup) fixed(n int, q float64) float64 {
	k := b.Needed
	if k == 0 {
		k = n
	}
	if k > n {
		return 0
	}
	switch q {
	case 0:
		return 0
	case 1:
		return 1
	}
	if b.ICC == nil {
		if k == n {
			return math.Pow(q, float64(n))
		}
		// Upper tail of the binomial, terms in log space.
		s := 0.0
		lq, lp := math.Log(q), math.Log1p(-q)
		for j := k; j <= n; j++ {
			s += math.Exp(lchoose(n, j) + float64(j)*lq + float64(n-j)*lp)
		}
		return s
	}
	rho := *b.ICC
	a := q * (1 - rho) / rho
	bb := (1 - q) * (1 - rho) / rho
	if k == n {
		p := 1.0
		for i := 0; i < n; i++ {
			p *= (a + float64(i)) / (a + bb + float64(i))
		}
		return p
	}
	s := 0.0
	lb := lbeta(a, bb)
	for j := k; j <= n; j++ {
		s += math.Exp(lchoose(n, j) + lbeta(float64(j)+a, float64(n-j)+bb) - lb)
	}
	return s
}

// ApprovalNeeded returns the member approval q at which the group reaches
// consensus with probability target in [0, 1] (MATH.md §i; unanimity of n
// independent members: q = target^{1/n}). P grows with q, so q is found
// by bisection to 1e-15 for the other models.
func ApprovalNeeded(b BuyingGroup, target float64) (float64, error) {
	b.Approval = 0.5
	if err := b.check(); err != nil {
		return 0, err
	}
	if math.IsNaN(target) || target < 0 || target > 1 {
		return 0, fmt.Errorf("consensus target %s is not a probability (want 0..1)", num(target))
	}
	if b.Size == math.Floor(b.Size) && b.SizeModel != SizePoisson && b.ICC == nil && (b.Needed == 0 || float64(b.Needed) == b.Size) {
		return math.Pow(target, 1/b.Size), nil
	}
	if b.consensus(1) < target {
		return 0, fmt.Errorf("consensus %s cannot be reached even if every member approves", num(target))
	}
	lo, hi := 0.0, 1.0
	for i := 0; i < 200 && hi-lo > 1e-15; i++ {
		mid := (lo + hi) / 2
		if b.consensus(mid) < target {
			lo = mid
		} else {
			hi = mid
		}
	}
	return (lo + hi) / 2, nil
}

// GroupFactor is the factor a buying group applies to its stage's rate
// (MATH.md §i, funnel insertion): P, or P/q when the stage rate is a
// calibrated single-buyer close rate that already includes one approval
// (IncludesOne; p_group = p₁·P/q, which is p₁·q^{n−1} under unanimity).
// A group whose members never approve (q = 0) gives 0.
func GroupFactor(b BuyingGroup) (float64, error) {
	P, err := GroupApproval(b)
	if err != nil {
		return 0, err
	}
	if !b.IncludesOne {
		return P, nil
	}
	if b.Approval == 0 {
		return 0, nil
	}
	return P / b.Approval, nil
}

// GroupStage returns the index of the stage whose rate the plan's buying
// group multiplies (its Stage, default the last stage), or -1 without a
// buying group.
func GroupStage(p *Plan) int {
	if p.BuyingGroup == nil || len(p.Stages) < 2 {
		return -1
	}
	if p.BuyingGroup.Stage != "" {
		return p.StageIndex(p.BuyingGroup.Stage)
	}
	return len(p.Stages) - 1
}

// GroupEffect reports how a buying group changes its stage's rate.
type GroupEffect struct {
	// Stage is the id of the stage whose rate changes.
	Stage string `json:"stage"`
	// Consensus is P, the probability that the group agrees; Factor the
	// multiplier of the stage rate (P, or P/q with includes_one).
	Consensus float64 `json:"consensus"`
	Factor    float64 `json:"factor"`
	// Rate and Effective are the stage's stated rate and the rate with
	// the group (the plan-level rate; persona overrides change alike).
	Rate      float64 `json:"rate"`
	Effective float64 `json:"effective"`
}

// WithBuyingGroup returns a copy of the plan in which the buying group is
// part of the funnel: its stage's rate, and every persona's override of
// that rate, multiplied by GroupFactor; the copy has no buying_group
// section, so the group is never applied twice. A plan without a buying
// group is returned as is, with a nil effect.
//
// This is how forecasts apply a buying group; Forward computes the plan
// as written, so a caller that wants the group in the forward funnel
// calls Forward(WithBuyingGroup(p)).
func WithBuyingGroup(p *Plan) (*Plan, *GroupEffect, error) {
	k := GroupStage(p)
	if k < 0 {
		return p, nil, nil
	}
	if k == 0 {
		return nil, nil, fmt.Errorf("buying_group.stage: %q is the top and has no rate", p.Stages[0].ID)
	}
	b := *p.BuyingGroup
	P, err := GroupApproval(b)
	if err != nil {
		return nil, nil, err
	}
	f, err := GroupFactor(b)
	if err != nil {
		return nil, nil, err
	}
	q := p.Clone()
	q.BuyingGroup = nil
	st := &q.Stages[k]
	e := &GroupEffect{Stage: st.ID, Consensus: P, Factor: f}
	if st.Rate != nil {
		e.Rate = *st.Rate
		st.Rate = F(math.Min(1, *st.Rate*f))
		e.Effective = *st.Rate
	}
	for i := range q.Personas {
		if r, ok := q.Personas[i].Rates.Get(st.ID); ok {
			q.Personas[i].Rates.Set(st.ID, math.Min(1, r*f))
		}
	}
	return q, e, nil
}

// lchoose is ln C(n, k).
func lchoose(n, k int) float64 {
	a, _ := math.Lgamma(float64(n + 1))
	b, _ := math.Lgamma(float64(k + 1))
	c, _ := math.Lgamma(float64(n - k + 1))
	return a - b - c
}
