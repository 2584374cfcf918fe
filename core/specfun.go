package core

import (
	"math"

	"gonum.org/v1/gonum/mathext"
)

// Special functions behind the core's own API (MATH.md §j, decision 5).
// The incomplete beta function and its inverse are evaluated here (Lentz
// continued fraction, safeguarded Halley steps) with ln B(a, b) computed
// once per distribution, which makes a Monte Carlo draw about twice as
// fast as gonum's mathext.InvRegIncBeta; tests check both against gonum.
// Nothing here panics: arguments outside the domain give NaN, which
// callers check.

// regIncBeta is the regularised incomplete beta function I_x(a, b), for
// a, b > 0 and x in [0, 1]; NaN otherwise.
func regIncBeta(x, a, b float64) float64 {
	if !(a > 0 && b > 0) || !(x >= 0 && x <= 1) || math.IsInf(a, 0) || math.IsInf(b, 0) {
		return math.NaN()
	}
	return newBetaQ(a, b).cdf(x)
}

// invRegIncBeta is the inverse I⁻¹_u(a, b): the x in [0, 1] with
// I_x(a, b) = u, for a, b > 0 and u in [0, 1]; NaN otherwise.
func invRegIncBeta(u, a, b float64) float64 {
	if !(a > 0 && b > 0) || !(u >= 0 && u <= 1) || math.IsInf(a, 0) || math.IsInf(b, 0) {
		return math.NaN()
	}
	return newBetaQ(a, b).quantile(u)
}

// lbeta is ln B(a, b) for a, b > 0.
func lbeta(a, b float64) float64 {
	if !(a > 0 && b > 0) {
		return math.NaN()
	}
	return mathext.Lbeta(a, b)
}

// normQuantile is Φ⁻¹(u) = −√2·erfcinv(2u), the standard normal quantile.
func normQuantile(u float64) float64 {
	return -math.Sqrt2 * math.Erfcinv(2*u)
}

// normCDF is Φ(z) = erfc(−z/√2)/2.
func normCDF(z float64) float64 {
	return 0.5 * math.Erfc(-z/math.Sqrt2)
}

// betaQ is Beta(a, b) with ln B(a, b) precomputed, for many evaluations of
// the same distribution (Monte Carlo draws, credible intervals).
type betaQ struct {
	a, b, lnB float64
}

func newBetaQ(a, b float64) betaQ { return betaQ{a: a, b: b, lnB: lbeta(a, b)} }

// cdf is I_x(a, b) by the Lentz continued fraction (MATH.md §j), using the
// symmetry I_x(a, b) = 1 − I_{1−x}(b, a) where the fraction converges
// slowly:
//
//	I_x(a, b) = x^a (1−x)^b / (a B(a, b)) · 1/(1+ d₁/(1+ d₂/(1+ …)))
//	d_{2m+1} = −(a+m)(a+b+m)x / ((a+2m)(a+2m+1)),  d_{2m} = m(b−m)x / ((a+2m−1)(a+2m))
func (q betaQ) cdf(x float64) float64 {
	c, _ := q.cdfPDF(x)
	return c
}

// cdfPDF returns I_x(a, b) and the density at x, which share the factor
// x^a (1−x)^b / B(a, b).
func (q betaQ) cdfPDF(x float64) (cdf, pdf float64) {
	switch {
	case math.IsNaN(x):
		return math.NaN(), math.NaN()
	case x <= 0:
		return 0, q.pdf(0)
	case x >= 1:
		return 1, q.pdf(1)
	}
	a, b := q.a, q.b
	front := math.Exp(a*math.Log(x) + b*math.Log1p(-x) - q.lnB)
	pdf = front / (x * (1 - x))
	if x < (a+1)/(a+b+2) {
		return front * betaCF(x, a, b) / a, pdf
	}
	return 1 - front*betaCF(1-x, b, a)/b, pdf
}

// pdf is the Beta(a, b) density x^{a−1}(1−x)^{b−1}/B(a, b).
func (q betaQ) pdf(x float64) float64 {
	return math.Exp((q.a-1)*math.Log(x) + (q.b-1)*math.Log1p(-x) - q.lnB)
}

// betaCF evaluates the continued fraction of I_x(a, b) by the modified
// Lentz method.
func betaCF(x, a, b float64) float64 {
	const tiny = 1e-300
	// A few ulps of 1: the fraction has converged. Tighter bounds are not
	// reached on every platform (without fused multiply-add the last ratio
	// may stay 2 ulps from 1) and would run the loop to its end.
	const eps = 1e-15
	qab, qap, qam := a+b, a+1, a-1
	c, d := 1.0, 1-qab*x/qap
	if math.Abs(d) < tiny {
		d = tiny
	}
	d = 1 / d
	h := d
	for m := 1; m <= 10000; m++ {
		fm := float64(m)
		m2 := 2 * fm
		aa := fm * (b - fm) * x / ((qam + m2) * (a + m2))
		d = 1 + aa*d
		if math.Abs(d) < tiny {
			d = tiny
		}
		c = 1 + aa/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		d = 1 / d
		h *= d * c
		aa = -(a + fm) * (qab + fm) * x / ((a + m2) * (qap + m2))
		d = 1 + aa*d
		if math.Abs(d) < tiny {
			d = tiny
		}
		c = 1 + aa/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		d = 1 / d
		del := d * c
		h *= del
		if math.Abs(del-1) <= eps {
			break
		}
	}
	return h
}

// quantile is I⁻¹_u(a, b) for u in [0, 1] by safeguarded Halley steps in
// a bisection bracket (MATH.md §j), started from the approximation of
// Abramowitz and Stegun 26.5.22 (a, b >= 1) or from the tail power laws.
// When the start lies above 1/2 it solves x' = I⁻¹_{1−u}(b, a) and returns
// 1 − x', so both tails are found with full relative precision.
func (q betaQ) quantile(u float64) float64 {
	switch {
	case u == 0:
		return 0
	case u == 1:
		return 1
	case !(u > 0 && u < 1):
		return math.NaN()
	}
	if x := betaStart(u, q.a, q.b); x <= 0.5 {
		return q.solve(u, x)
	}
	r := betaQ{a: q.b, b: q.a, lnB: q.lnB}
	return 1 - r.solve(1-u, betaStart(1-u, q.b, q.a))
}

// betaStart is a first approximation of I⁻¹_u(a, b).
func betaStart(u, a, b float64) float64 {
	var x float64
	if a >= 1 && b >= 1 {
		pp := u
		if u >= 0.5 {
			pp = 1 - u
		}
		t := math.Sqrt(-2 * math.Log(pp))
		z := (2.30753+t*0.27061)/(1+t*(0.99229+t*0.04481)) - t
		if u < 0.5 {
			z = -z
		}
		al := (z*z - 3) / 6
		h := 2 / (1/(2*a-1) + 1/(2*b-1))
		w := z*math.Sqrt(al+h)/h - (1/(2*b-1)-1/(2*a-1))*(al+5.0/6-2/(3*h))
		x = a / (a + b*math.Exp(2*w))
	} else {
		lna, lnb := math.Log(a/(a+b)), math.Log(b/(a+b))
		t, v := math.Exp(a*lna)/a, math.Exp(b*lnb)/b
		w := t + v
		if u < t/w {
			x = math.Pow(a*w*u, 1/a)
		} else {
			x = 1 - math.Pow(b*w*(1-u), 1/b)
		}
	}
	if !(x > 0 && x < 1) {
		x = 0.5
	}
	return x
}

// solve refines x towards I_x(a, b) = u: Halley steps (Newton where the
// Halley correction is large), kept inside the bracket [lo, hi] that the
// signs of I_x − u give; a step leaving it is replaced by bisection
// (geometric when the bracket spans orders of magnitude).
func (q betaQ) solve(u, x float64) float64 {
	lo, hi := 0.0, 1.0
	a1, b1 := q.a-1, q.b-1
	for it := 0; it < 500; it++ {
		c, f := q.cdfPDF(x)
		err := c - u
		if err == 0 {
			return x
		}
		if err < 0 {
			lo = x
		} else {
			hi = x
		}
		nx, t := math.NaN(), math.Inf(1)
		if f > 0 && !math.IsInf(f, 0) {
			t = err / f
			step := t
			if corr := 0.5 * t * (a1/x - b1/(1-x)); math.Abs(corr) < 0.5 {
				step = t / (1 - corr)
			}
			nx = x - step
		}
		if !(nx > lo && nx < hi) {
			switch {
			case lo == 0:
				nx = math.Min(x, hi) / 16
			case hi > 4*lo:
				nx = math.Sqrt(lo) * math.Sqrt(hi)
			default:
				nx = lo + (hi-lo)/2
			}
		} else if math.Abs(t) <= 1e-8*x {
			// The Newton step bounds the error: after a step of relative
			// size 1e-8 what remains is of order 1e-16.
			return nx
		}
		if hi-lo <= 1e-15*hi || nx == x {
			return nx
		}
		x = nx
	}
	return x
}
