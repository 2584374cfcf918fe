package core

import (
	"errors"
	"fmt"
	"math"
)

// ErrExplosive is returned for steady-state referral outputs when the loop
// gain is 1 or more (MATH.md §h): every generation is at least as large as
// the one before, so there is no steady state.
var ErrExplosive = errors.New("referral loop gain >= 1: explosive, no steady state (market saturation not modelled)")

// ReferralLoop is the closed form of the referral loop (MATH.md §h).
type ReferralLoop struct {
	// Gain is g = α r D_e.
	Gain float64 `json:"gain"`
	// Base is C_0, customers from the external top per period;
	// Customers is C = C_0/(1 − g); ReferralCustomers = C − C_0;
	// Referrals = α r C, the referred persons per period.
	Base              float64 `json:"base_customers"`
	Customers         float64 `json:"customers"`
	ReferralCustomers float64 `json:"referral_customers"`
	Referrals         float64 `json:"referrals"`
	// Generations are C_0 g^k, k = 0.. until below 1e-6 of C_0 (at most
	// 30).
	Generations []float64 `json:"generations"`
}

// Loop returns the referral loop of C_0 customers with advocates α in
// [0, 1], r >= 0 referrals per advocate and downstream conversion D in
// [0, 1] from the referrals' entry stage (MATH.md §h):
//
//	g = α r D,  C = C_0 Σ_k g^k = C_0/(1 − g),  referrals = α r C
//
// g >= 1 is ErrExplosive.
func Loop(c0, alpha, r, d float64) (*ReferralLoop, error) {
	for _, x := range []float64{c0, alpha, r, d} {
		if math.IsNaN(x) || math.IsInf(x, 0) || x < 0 {
			return nil, fmt.Errorf("referrals: %s is not a count or rate (want >= 0)", num(x))
		}
	}
	if alpha > 1 || d > 1 {
		return nil, fmt.Errorf("referrals: advocates %s and downstream conversion %s are rates (want 0..1)", num(alpha), num(d))
	}
	g := alpha * r * d
	l := &ReferralLoop{Gain: g, Base: c0}
	if g >= 1 {
		return l, ErrExplosive
	}
	l.Customers = c0 / (1 - g)
	l.ReferralCustomers = c0 * g / (1 - g)
	l.Referrals = alpha * r * l.Customers
	gen := c0
	for k := 0; k < 30; k++ {
		l.Generations = append(l.Generations, gen)
		if gen *= g; gen <= 1e-6*c0 {
			break
		}
	}
	return l, nil
}

// Lagged returns the customers per period of a referral loop whose
// referrals buy L >= 1 periods after the purchase that brings them
// (MATH.md §h): C_t = C_{0,t} + g·C_{t−L}, for the periods of c0 (per
// period external customers). It tends to C_0/(1 − g) when g < 1; a gain
// >= 1 is allowed here (a finite horizon) and grows without bound.
func Lagged(c0 []float64, g float64, L int) ([]float64, error) {
	if L < 1 {
		return nil, fmt.Errorf("referrals: lag %d (want >= 1 period)", L)
	}
	if math.IsNaN(g) || math.IsInf(g, 0) || g < 0 {
		return nil, fmt.Errorf("referrals: gain %s (want >= 0)", num(g))
	}
	c := make([]float64, len(c0))
	for t := range c0 {
		c[t] = c0[t]
		if t >= L {
			c[t] += g * c[t-L]
		}
	}
	return c, nil
}

// Segments returns the customers per segment of a multi-segment referral
// loop (MATH.md §h): G[j][k] >= 0 is the segment-k customers generated
// per segment-j customer, and
//
//	C = C_0 (I − G)^{-1}   (row vectors)
//
// which requires the spectral radius ρ(G) < 1. For G >= 0 that holds
// exactly when I − G is nonsingular with a nonnegative inverse, which is
// how it is checked; otherwise the error is ErrExplosive.
func Segments(c0 []float64, G [][]float64) ([]float64, error) {
	m := len(c0)
	if len(G) != m {
		return nil, fmt.Errorf("referrals: %d segments and a %d-row matrix", m, len(G))
	}
	a := make([]float64, m*m)
	for j := 0; j < m; j++ {
		if len(G[j]) != m {
			return nil, fmt.Errorf("referrals: row %d of the matrix has %d values (want %d)", j, len(G[j]), m)
		}
		for k, g := range G[j] {
			if math.IsNaN(g) || math.IsInf(g, 0) || g < 0 {
				return nil, fmt.Errorf("referrals: G[%d][%d] = %s (want >= 0)", j, k, num(g))
			}
			// Solve (I − G)^T x = C_0^T: A = (I − G)^T.
			a[k*m+j] = -g
		}
		a[j*m+j] += 1
	}
	for _, x := range c0 {
		if math.IsNaN(x) || math.IsInf(x, 0) || x < 0 {
			return nil, fmt.Errorf("referrals: %s is not a customer count (want >= 0)", num(x))
		}
	}
	inv, err := solveLU(a, m, identity(m), m)
	if err != nil {
		return nil, ErrExplosive
	}
	for _, x := range inv {
		if x < -1e-12 || math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, ErrExplosive
		}
	}
	c := make([]float64, m)
	for k := 0; k < m; k++ {
		for j := 0; j < m; j++ {
			c[k] += inv[k*m+j] * c0[j]
		}
	}
	return c, nil
}

// ReferralResult is the referral loop of a plan.
type ReferralResult struct {
	// Stage is the id of the stage where referrals enter; Downstream is
	// D_e, the funnel's conversion from there (aggregate rates, buying
	// group applied).
	Stage      string  `json:"stage"`
	Downstream float64 `json:"downstream"`
	ReferralLoop
	// Lag is the plan's referral lag in periods; Lagged the customers per
	// period 0..11 of a constant top when Lag >= 1.
	Lag    int       `json:"lag"`
	Lagged []float64 `json:"lagged,omitempty"`
	// Segments are the per-persona customers of the multi-segment loop
	// (referrals.segments), in persona order.
	Segments []ReferralSegment `json:"segments,omitempty"`
}

// ReferralSegment is one persona of a multi-segment referral loop.
type ReferralSegment struct {
	ID string `json:"id"`
	// Base is the persona's customers from the external top; Customers
	// with the referrals of every segment.
	Base      float64 `json:"base_customers"`
	Customers float64 `json:"customers"`
}

// Referral computes the steady-state referral loop of a plan (MATH.md
// §h): C_0 is the forward funnel's customers (with the buying group,
// WithBuyingGroup), D_e the aggregate conversion from the referrals'
// stage. A loop gain >= 1 is ErrExplosive.
func Referral(p *Plan) (*ReferralResult, error) {
	if p.Referrals == nil {
		return nil, errors.New("referrals: the plan has no referrals section")
	}
	q, _, err := WithBuyingGroup(p)
	if err != nil {
		return nil, err
	}
	f, err := Forward(q)
	if err != nil {
		return nil, err
	}
	e := referralStage(q)
	agg := q.Rates()
	for i := 1; i < len(q.Stages); i++ {
		if f.Stages[i].Rate != nil {
			agg[i-1] = *f.Stages[i].Rate
		}
	}
	d := downstream(agg, e)
	rf := q.Referrals
	l, err := Loop(f.Customers, rf.Advocates, rf.PerAdvocate, d)
	if err != nil {
		if l != nil && errors.Is(err, ErrExplosive) {
			return nil, fmt.Errorf("referrals: loop gain %s = %s advocates × %s referrals × %s conversion from %q: %w",
				fmtG(l.Gain), num(rf.Advocates), num(rf.PerAdvocate), fmtG(d), q.Stages[e].ID, ErrExplosive)
		}
		return nil, err
	}
	r := &ReferralResult{Stage: q.Stages[e].ID, Downstream: d, ReferralLoop: *l, Lag: rf.Lag}
	if len(rf.Segments) > 0 && len(f.Personas) > 0 {
		m := len(f.Personas)
		c0 := make([]float64, m)
		G := make([][]float64, m)
		for j, x := range f.Personas {
			c0[j] = x.Customers
			G[j] = make([]float64, m)
			for k, y := range f.Personas {
				G[j][k] = rf.Segments[x.ID][y.ID]
			}
		}
		c, err := Segments(c0, G)
		if err != nil {
			return nil, fmt.Errorf("referrals.segments: %w", err)
		}
		for j, x := range f.Personas {
			r.Segments = append(r.Segments, ReferralSegment{ID: x.ID, Base: c0[j], Customers: c[j]})
		}
	}
	if rf.Lag >= 1 {
		c0 := make([]float64, 12)
		for t := range c0 {
			c0[t] = f.Customers
		}
		r.Lagged, _ = Lagged(c0, l.Gain, rf.Lag)
	}
	if err := resultFiniteFast("referrals", r); err != nil {
		return nil, err
	}
	return r, nil
}
