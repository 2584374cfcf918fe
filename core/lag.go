package core

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mathext"
)

// Lag truncation (MATH.md §g).
const (
	// lagTail: a lag pmf stops at the first bin K whose tail is below it;
	// the tail mass is added to f(K).
	lagTail = 1e-9
	// MaxLagBins is the longest lag pmf, in bins, alone or convolved; a
	// slower lag is cut there with its tail added to the last bin.
	MaxLagBins = 5000
)

// LagPMF returns the pmf f(0..K) of a stage lag in bins of binDays days
// (MATH.md §g). Lag parameters are in the lag's Unit (default
// defaultUnit); they are converted to bins of binDays days:
//
//	geometric, mean μ bins:  λ = μ/(1+μ),  f(k) = (1−λ)λ^k
//	gamma (shape κ, scale θ bins), midpoint rule:
//	                         f(0) = G(0.5),  f(k) = G(k+0.5) − G(k−0.5),  G(x) = P(κ, x/θ)
//	empirical:               the normalised histogram; bin i stands for
//	                         lags in [i−½, i+½) units (bin 0: [0, ½)), spread
//	                         evenly when rebinned
//	truncation:              K = first bin with tail < 1e-9; the tail is added to f(K)
//
// P is the regularised lower incomplete gamma function (gonum
// mathext.GammaIncReg). The pmf sums to 1. A nil lag is no lag: [1].
func LagPMF(l *Lag, binDays float64, defaultUnit string) ([]float64, error) {
	if l == nil {
		return []float64{1}, nil
	}
	unit := l.Unit
	if unit == "" {
		unit = defaultUnit
	}
	ud := PeriodDays(unit)
	if ud == 0 || !(binDays > 0) || math.IsInf(binDays, 0) {
		return nil, fmt.Errorf("lag: %q is not a time unit or %s is not a bin width in days", unit, num(binDays))
	}
	r := ud / binDays // lag units -> bins
	switch l.Dist {
	case "geometric":
		if math.IsNaN(l.Mean) || math.IsInf(l.Mean, 0) || l.Mean < 0 {
			return nil, fmt.Errorf("lag: mean %s (want >= 0)", num(l.Mean))
		}
		mu := l.Mean * r
		if mu == 0 {
			return []float64{1}, nil
		}
		lambda := mu / (1 + mu)
		var f []float64
		pk := 1 - lambda
		tail := lambda // P(lag > k) = λ^{k+1}
		for k := 0; ; k++ {
			f = append(f, pk)
			if tail < lagTail || k+1 >= MaxLagBins {
				f[k] += tail
				return f, nil
			}
			pk *= lambda
			tail *= lambda
		}
	case "gamma":
		for _, x := range []float64{l.Shape, l.Scale} {
			if !(x > 0) || math.IsInf(x, 0) {
				return nil, fmt.Errorf("lag: gamma shape %s and scale %s (want both > 0)", num(l.Shape), num(l.Scale))
			}
		}
		kappa, theta := l.Shape, l.Scale*r
		G := func(x float64) float64 { return mathext.GammaIncReg(kappa, x/theta) }
		Gc := func(x float64) float64 { return mathext.GammaIncRegComp(kappa, x/theta) }
		f := []float64{G(0.5)}
		prevC := Gc(0.5)
		for k := 1; ; k++ {
			if prevC < lagTail || k >= MaxLagBins {
				f[k-1] += prevC
				return f, nil
			}
			c := Gc(float64(k) + 0.5)
			var fk float64
			if prevC < 0.5 { // the upper tail is the accurate side
				fk = prevC - c
			} else {
				fk = G(float64(k)+0.5) - G(float64(k)-0.5)
			}
			f = append(f, math.Max(0, fk))
			prevC = c
		}
	case "empirical":
		sum := 0.0
		for _, x := range l.PMF {
			if math.IsNaN(x) || math.IsInf(x, 0) || x < 0 {
				return nil, fmt.Errorf("lag: histogram value %s (want >= 0)", num(x))
			}
			sum += x
		}
		if !(sum > 0) {
			return nil, fmt.Errorf("lag: histogram sums to %s (want > 0)", num(sum))
		}
		if r == 1 {
			f := make([]float64, len(l.PMF))
			for i, x := range l.PMF {
				f[i] = x / sum
			}
			return trimZeros(f), nil
		}
		return rebin(l.PMF, sum, r), nil
	}
	return nil, fmt.Errorf("lag: %q is not a lag distribution (want geometric, gamma or empirical)", l.Dist)
}

// rebin spreads each histogram bin i (lags [i−½, i+½) units, bin 0 [0, ½))
// evenly over [lo·r, hi·r) bins and collects the mass of output bins
// [k−½, k+½) (bin 0: [0, ½)).
func rebin(h []float64, sum, r float64) []float64 {
	last := (float64(len(h)) - 0.5) * r
	out := make([]float64, int(math.Floor(last+0.5))+1)
	for i, x := range h {
		if x == 0 {
			continue
		}
		lo, hi := math.Max(0, float64(i)-0.5)*r, (float64(i)+0.5)*r
		w := x / sum / (hi - lo)
		for k := int(math.Floor(lo + 0.5)); k < len(out); k++ {
			blo, bhi := math.Max(0, float64(k)-0.5), float64(k)+0.5
			if blo >= hi {
				break
			}
			if ov := math.Min(hi, bhi) - math.Max(lo, blo); ov > 0 {
				out[k] += w * ov
			}
		}
	}
	return trimZeros(out)
}

// trimZeros drops trailing zero bins (keeping at least one).
func trimZeros(f []float64) []float64 {
	n := len(f)
	for n > 1 && f[n-1] == 0 {
		n--
	}
	return f[:n]
}

// convolveLags returns f * g with trailing bins below 1e-15 folded into
// the last kept bin and at most MaxLagBins bins (the rest is added to the
// last bin), so that chains of slow lags stay cheap.
func convolveLags(f, g []float64) []float64 {
	h := convolve(f, g, 0)
	n := len(h)
	tail := 0.0
	for n > 1 && (n > MaxLagBins || tail+h[n-1] < 1e-15) {
		tail += h[n-1]
		n--
	}
	h = h[:n]
	h[n-1] += tail
	return h
}

// convolve returns f * g, cut at n bins when n > 0.
func convolve(f, g []float64, n int) []float64 {
	m := len(f) + len(g) - 1
	if n > 0 && m > n {
		m = n
	}
	out := make([]float64, m)
	for i, x := range f {
		if x == 0 || i >= m {
			continue
		}
		for j, y := range g {
			if i+j >= m {
				break
			}
			out[i+j] += x * y
		}
	}
	return out
}

// LagSummary describes a lag pmf in bins.
type LagSummary struct {
	// Mean and SD of the lag in bins; Median and P90 the smallest k with
	// F(k) >= 0.5 (0.9), F the CDF.
	Mean   float64 `json:"mean"`
	SD     float64 `json:"sd"`
	Median int     `json:"median"`
	P90    int     `json:"p90"`
}

// summarizePMF returns the mean, standard deviation, median and P90 of a pmf.
func summarizePMF(f []float64) LagSummary {
	var s LagSummary
	var m2, cum float64
	s.Median, s.P90 = -1, -1
	for k, x := range f {
		s.Mean += float64(k) * x
		m2 += float64(k) * float64(k) * x
		cum += x
		if s.Median < 0 && cum >= 0.5-1e-12 {
			s.Median = k
		}
		if s.P90 < 0 && cum >= 0.9-1e-12 {
			s.P90 = k
		}
	}
	s.SD = math.Sqrt(math.Max(0, m2-s.Mean*s.Mean))
	if s.Median < 0 {
		s.Median = len(f) - 1
	}
	if s.P90 < 0 {
		s.P90 = len(f) - 1
	}
	return s
}
