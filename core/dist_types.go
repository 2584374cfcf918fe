package core

// Dist is the uncertainty of one scalar input (MATH.md §j): exactly one of
// its members is set.
type Dist struct {
	Beta       *BetaDist       `json:"beta,omitempty"`
	Triangular *TriangularDist `json:"triangular,omitempty"`
	PERT       *PERTDist       `json:"pert,omitempty"`
	Lognormal  *LognormalDist  `json:"lognormal,omitempty"`
}

// BetaDist is Beta(Alpha, Beta), or from counts: Beta(1+Successes,
// 1+Trials-Successes).
type BetaDist struct {
	Alpha     *float64 `json:"alpha,omitempty"`
	Beta      *float64 `json:"beta,omitempty"`
	Successes *float64 `json:"successes,omitempty"`
	Trials    *float64 `json:"trials,omitempty"`
}

// TriangularDist is Triangular(Min, Mode, Max).
type TriangularDist struct {
	Min  float64 `json:"min"`
	Mode float64 `json:"mode"`
	Max  float64 `json:"max"`
}

// PERTDist is PERT(Min, Mode, Max, Lambda); Lambda 0 means 4.
type PERTDist struct {
	Min    float64 `json:"min"`
	Mode   float64 `json:"mode"`
	Max    float64 `json:"max"`
	Lambda float64 `json:"lambda,omitempty"`
}

// LognormalDist is a lognormal given by Median and Sigma, by Mean and CV,
// or by P10 and P90.
type LognormalDist struct {
	Median *float64 `json:"median,omitempty"`
	Sigma  *float64 `json:"sigma,omitempty"`
	Mean   *float64 `json:"mean,omitempty"`
	CV     *float64 `json:"cv,omitempty"`
	P10    *float64 `json:"p10,omitempty"`
	P90    *float64 `json:"p90,omitempty"`
}

func (d Dist) clone() Dist {
	if d.Beta != nil {
		b := *d.Beta
		b.Alpha, b.Beta, b.Successes, b.Trials = cloneF(b.Alpha), cloneF(b.Beta), cloneF(b.Successes), cloneF(b.Trials)
		d.Beta = &b
	}
	if d.Triangular != nil {
		t := *d.Triangular
		d.Triangular = &t
	}
	if d.PERT != nil {
		t := *d.PERT
		d.PERT = &t
	}
	if d.Lognormal != nil {
		l := *d.Lognormal
		l.Median, l.Sigma, l.Mean, l.CV, l.P10, l.P90 = cloneF(l.Median), cloneF(l.Sigma), cloneF(l.Mean), cloneF(l.CV), cloneF(l.P10), cloneF(l.P90)
		d.Lognormal = &l
	}
	return d
}

// validate checks one distribution; rate says the target is a rate, so
// the support must lie in [0, 1].
func (d *Dist) validate(ps *Problems, path string, rate bool) {
	n := 0
	if d.Beta != nil {
		n++
		b, bp := d.Beta, path+".beta"
		switch {
		case b.Alpha != nil && b.Beta != nil && b.Successes == nil && b.Trials == nil:
			for _, f := range []struct {
				n string
				x float64
			}{{"alpha", *b.Alpha}, {"beta", *b.Beta}} {
				if ps.finite(bp+"."+f.n, f.x) && f.x <= 0 {
					ps.add(bp+"."+f.n, "%s is not positive (want > 0)", num(f.x))
				}
			}
		case b.Successes != nil && b.Trials != nil && b.Alpha == nil && b.Beta == nil:
			ps.nonNeg(bp+".successes", *b.Successes, "count")
			ps.nonNeg(bp+".trials", *b.Trials, "count")
			if *b.Successes > *b.Trials {
				ps.add(bp+".successes", "%s successes exceed %s trials", num(*b.Successes), num(*b.Trials))
			}
		default:
			ps.add(bp, "want {alpha, beta} or {successes, trials}")
		}
		if !rate {
			ps.add(bp, "a beta distribution is for rates; this target is not a rate")
		}
	}
	checkRange := func(dp string, lo, mode, hi float64) {
		ok := ps.finite(dp+".min", lo) && ps.finite(dp+".mode", mode) && ps.finite(dp+".max", hi)
		if !ok {
			return
		}
		if !(lo <= mode && mode <= hi && lo < hi) {
			ps.add(dp, "want min <= mode <= max and min < max, got %s, %s, %s", num(lo), num(mode), num(hi))
		}
		if rate && (lo < 0 || hi > 1) {
			ps.add(dp, "range %s..%s leaves 0..1 (the target is a rate)", num(lo), num(hi))
		}
		if !rate && lo < 0 {
			ps.add(dp+".min", "%s is negative (want >= 0)", num(lo))
		}
	}
	if t := d.Triangular; t != nil {
		n++
		checkRange(path+".triangular", t.Min, t.Mode, t.Max)
	}
	if t := d.PERT; t != nil {
		n++
		checkRange(path+".pert", t.Min, t.Mode, t.Max)
		if ps.finite(path+".pert.lambda", t.Lambda) && t.Lambda < 0 {
			ps.add(path+".pert.lambda", "%s is negative (want > 0, default 4)", num(t.Lambda))
		}
	}
	if l := d.Lognormal; l != nil {
		n++
		lp := path + ".lognormal"
		pos := func(name string, x *float64) {
			if ps.finite(lp+"."+name, *x) && *x <= 0 {
				ps.add(lp+"."+name, "%s is not positive (want > 0)", num(*x))
			}
		}
		switch {
		case l.Median != nil && l.Sigma != nil && l.Mean == nil && l.CV == nil && l.P10 == nil && l.P90 == nil:
			pos("median", l.Median)
			ps.nonNeg(lp+".sigma", *l.Sigma, "spread")
		case l.Mean != nil && l.CV != nil && l.Median == nil && l.Sigma == nil && l.P10 == nil && l.P90 == nil:
			pos("mean", l.Mean)
			ps.nonNeg(lp+".cv", *l.CV, "coefficient of variation")
		case l.P10 != nil && l.P90 != nil && l.Median == nil && l.Sigma == nil && l.Mean == nil && l.CV == nil:
			pos("p10", l.P10)
			pos("p90", l.P90)
			if *l.P10 > *l.P90 {
				ps.add(lp, "p10 %s is above p90 %s", num(*l.P10), num(*l.P90))
			}
		default:
			ps.add(lp, "want {median, sigma}, {mean, cv} or {p10, p90}")
		}
		if rate {
			ps.add(lp, "a lognormal is unbounded; for a rate use beta, triangular or pert")
		}
	}
	if n != 1 {
		ps.add(path, "want exactly one of beta, triangular, pert, lognormal (got %d)", n)
	}
}
