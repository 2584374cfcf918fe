package core

import (
	"errors"
	"fmt"
	"math"
)

// Sampling the distributions of MATH.md §j by inverse CDF: x = F⁻¹(u) for
// u uniform in (0, 1).

// distKind names the family of a compiled distribution.
type distKind int

const (
	distBeta distKind = iota
	distTriangular
	distPERT
	distLognormal
)

var distNames = [...]string{"beta", "triangular", "pert", "lognormal"}

// z90x2 is 2Φ⁻¹(0.9) = 2.5631031310892…, the width of the central 80 % of a
// standard normal: σ = ln(P90/P10)/2.5631 (MATH.md §j).
var z90x2 = 2 * normQuantile(0.9)

// sampler is a distribution reduced to the parameters its quantile needs.
//
//	beta:       a = α, b = β
//	triangular: lo = a, mode = c, hi = b
//	pert:       lo, hi, and a = α, b = β of the scaled Beta
//	lognormal:  mode = median M, a = σ
type sampler struct {
	kind         distKind
	lo, mode, hi float64
	a, b         float64
	beta         betaQ // Beta(a, b) for beta and pert
	// tab starts the Beta quantile from an interpolation (Monte Carlo
	// samplers only; nil: from the closed-form approximation).
	tab *betaTable
}

// compile checks d and reduces it to a sampler.
func (d Dist) compile() (sampler, error) {
	n := 0
	for _, set := range []bool{d.Beta != nil, d.Triangular != nil, d.PERT != nil, d.Lognormal != nil} {
		if set {
			n++
		}
	}
	if n != 1 {
		return sampler{}, fmt.Errorf("want exactly one of beta, triangular, pert, lognormal (got %d)", n)
	}
	bad := func(x ...float64) bool {
		for _, v := range x {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return true
			}
		}
		return false
	}
	switch {
	case d.Beta != nil:
		b := d.Beta
		var a, bb float64
		switch {
		case b.Alpha != nil && b.Beta != nil:
			a, bb = *b.Alpha, *b.Beta
		case b.Successes != nil && b.Trials != nil:
			if *b.Successes < 0 || *b.Successes > *b.Trials {
				return sampler{}, fmt.Errorf("beta: want 0 <= successes <= trials, got %s of %s", num(*b.Successes), num(*b.Trials))
			}
			a, bb = 1+*b.Successes, 1+*b.Trials-*b.Successes
		default:
			return sampler{}, errors.New("beta: want {alpha, beta} or {successes, trials}")
		}
		if bad(a, bb) || a <= 0 || bb <= 0 {
			return sampler{}, fmt.Errorf("beta: want alpha, beta > 0, got %s, %s", num(a), num(bb))
		}
		return sampler{kind: distBeta, a: a, b: bb, lo: 0, hi: 1, beta: newBetaQ(a, bb)}, nil
	case d.Triangular != nil, d.PERT != nil:
		var lo, mode, hi, lambda float64
		kind := distTriangular
		if t := d.Triangular; t != nil {
			lo, mode, hi = t.Min, t.Mode, t.Max
		} else {
			t := d.PERT
			lo, mode, hi, lambda = t.Min, t.Mode, t.Max, t.Lambda
			kind = distPERT
			if lambda == 0 {
				lambda = 4
			}
		}
		if bad(lo, mode, hi, lambda) || !(lo <= mode && mode <= hi && lo < hi) || lambda < 0 {
			return sampler{}, fmt.Errorf("%s: want min <= mode <= max and min < max, got %s, %s, %s", distNames[kind], num(lo), num(mode), num(hi))
		}
		s := sampler{kind: kind, lo: lo, mode: mode, hi: hi}
		if kind == distPERT {
			s.a = 1 + lambda*(mode-lo)/(hi-lo)
			s.b = 1 + lambda*(hi-mode)/(hi-lo)
			s.beta = newBetaQ(s.a, s.b)
		}
		return s, nil
	default:
		l := d.Lognormal
		var m, sigma float64
		switch {
		case l.Median != nil && l.Sigma != nil:
			m, sigma = *l.Median, *l.Sigma
		case l.Mean != nil && l.CV != nil:
			// σ² = ln(1+CV²), ln M = ln μ − σ²/2
			s2 := math.Log1p(*l.CV * *l.CV)
			m, sigma = *l.Mean*math.Exp(-s2/2), math.Sqrt(s2)
		case l.P10 != nil && l.P90 != nil:
			// σ = ln(P90/P10)/(2Φ⁻¹(0.9)), M = √(P10·P90)
			if *l.P10 <= 0 || *l.P90 < *l.P10 {
				return sampler{}, fmt.Errorf("lognormal: want 0 < p10 <= p90, got %s, %s", num(*l.P10), num(*l.P90))
			}
			m, sigma = math.Sqrt(*l.P10)*math.Sqrt(*l.P90), math.Log(*l.P90 / *l.P10)/z90x2
		default:
			return sampler{}, errors.New("lognormal: want {median, sigma}, {mean, cv} or {p10, p90}")
		}
		if bad(m, sigma) || m <= 0 || sigma < 0 {
			return sampler{}, fmt.Errorf("lognormal: want median > 0 and sigma >= 0, got %s, %s", num(m), num(sigma))
		}
		return sampler{kind: distLognormal, mode: m, a: sigma, lo: 0, hi: math.Inf(1)}, nil
	}
}

// quantile is F⁻¹(u) for u in (0, 1) (MATH.md §j table):
//
//	beta        I⁻¹_u(α, β)
//	triangular  u < (c−a)/(b−a): a + √(u(b−a)(c−a)); else b − √((1−u)(b−a)(b−c))
//	pert        a + (b−a)·I⁻¹_u(α, β)
//	lognormal   M·exp(σΦ⁻¹(u))
func (s *sampler) quantile(u float64) float64 {
	switch s.kind {
	case distBeta:
		return s.betaQuantile(u)
	case distTriangular:
		w := s.hi - s.lo
		if u < (s.mode-s.lo)/w {
			return s.lo + math.Sqrt(u*w*(s.mode-s.lo))
		}
		return s.hi - math.Sqrt((1-u)*w*(s.hi-s.mode))
	case distPERT:
		return s.lo + (s.hi-s.lo)*s.betaQuantile(u)
	default:
		if s.a == 0 {
			return s.mode
		}
		return s.mode * math.Exp(s.a*normQuantile(u))
	}
}

// mean is E[X] (MATH.md §j table).
func (s *sampler) mean() float64 {
	switch s.kind {
	case distBeta:
		return s.a / (s.a + s.b)
	case distTriangular:
		return (s.lo + s.mode + s.hi) / 3
	case distPERT:
		return s.lo + (s.hi-s.lo)*s.a/(s.a+s.b)
	default:
		return s.mode * math.Exp(s.a*s.a/2)
	}
}

// moment2 is E[X²] (MATH.md §j, analytic shortcuts):
//
//	beta        α(α+1)/((α+β)(α+β+1))
//	triangular  mean² + (a²+b²+c²−ab−ac−bc)/18
//	pert        a² + 2a(b−a)E[Y] + (b−a)²E[Y²], Y ~ Beta(α, β)
//	lognormal   M²e^{2σ²}
func (s *sampler) moment2() float64 {
	switch s.kind {
	case distBeta:
		return s.a * (s.a + 1) / ((s.a + s.b) * (s.a + s.b + 1))
	case distTriangular:
		a, b, c := s.lo, s.hi, s.mode
		m := s.mean()
		return m*m + (a*a+b*b+c*c-a*b-a*c-b*c)/18
	case distPERT:
		ey := s.a / (s.a + s.b)
		ey2 := s.a * (s.a + 1) / ((s.a + s.b) * (s.a + s.b + 1))
		w := s.hi - s.lo
		return s.lo*s.lo + 2*s.lo*w*ey + w*w*ey2
	default:
		return s.mode * s.mode * math.Exp(2*s.a*s.a)
	}
}

// DistSummary describes one distribution: its family, mean, standard
// deviation and 10th, 50th and 90th percentiles, in the unit of its target.
type DistSummary struct {
	Kind string  `json:"dist"`
	Mean float64 `json:"mean"`
	SD   float64 `json:"sd"`
	P10  float64 `json:"p10"`
	P50  float64 `json:"p50"`
	P90  float64 `json:"p90"`
}

// Summary returns the family, moments and quantiles of d, or an error when
// d is not a valid distribution.
func (d Dist) Summary() (DistSummary, error) {
	s, err := d.compile()
	if err != nil {
		return DistSummary{}, err
	}
	m := s.mean()
	return DistSummary{
		Kind: distNames[s.kind],
		Mean: m,
		SD:   math.Sqrt(math.Max(0, s.moment2()-m*m)),
		P10:  s.quantile(0.1),
		P50:  s.quantile(0.5),
		P90:  s.quantile(0.9),
	}, nil
}

// betaTableN is the number of intervals of a betaTable.
const betaTableN = 64

// betaTable holds I⁻¹ at u_k = k/N and its slope dx/du = 1/f(x_k), so a
// cubic Hermite interpolation starts the Halley steps within about 1e-8 of
// the root: one or two evaluations of I_x per draw instead of three or
// four. Only u in [1/N, 1 − 1/N] uses it; the tails keep the closed-form
// start.
type betaTable struct {
	x, d [betaTableN + 1]float64
}

// withTable returns s with a start table for its Beta quantile (beta and
// pert samplers); building it costs N−1 full inversions.
func (s sampler) withTable() sampler {
	if s.kind != distBeta && s.kind != distPERT {
		return s
	}
	t := &betaTable{}
	for k := 1; k < betaTableN; k++ {
		u := float64(k) / betaTableN
		x := s.beta.quantile(u)
		t.x[k] = x
		_, f := s.beta.cdfPDF(x)
		if !(f > 0) || math.IsInf(f, 0) {
			return s // a degenerate density: keep the closed-form start
		}
		t.d[k] = 1 / f
	}
	s.tab = t
	return s
}

// betaQuantile is I⁻¹_u(α, β), started from the table when there is one.
func (s *sampler) betaQuantile(u float64) float64 {
	t := s.tab
	if t == nil || !(u >= 1.0/betaTableN && u < 1-1.0/betaTableN) {
		return s.beta.quantile(u)
	}
	const h = 1.0 / betaTableN
	k := int(u * betaTableN)
	if k < 1 || k >= betaTableN-1 {
		return s.beta.quantile(u)
	}
	r := (u - float64(k)*h) / h
	r2, r3 := r*r, r*r*r
	x := (2*r3-3*r2+1)*t.x[k] + (r3-2*r2+r)*h*t.d[k] + (-2*r3+3*r2)*t.x[k+1] + (r3-r2)*h*t.d[k+1]
	if !(x > t.x[k] && x < t.x[k+1]) {
		x = t.x[k] + r*(t.x[k+1]-t.x[k])
	}
	if !(x > 0 && x < 1) {
		return s.beta.quantile(u)
	}
	return s.beta.solve(u, x)
}
