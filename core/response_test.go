package core

import (
	"math"
	"testing"
)

// calibTol is the tolerance for the curves of MATH.md §c.3, whose
// parameters are quoted to 6 significant digits.
const calibTol = 2e-5

func TestResponseCalibration(t *testing.T) {
	const r0 = 280302.75 // revenue at the base budget, MATH.md §1 claim 3
	power := &Response{Curve: "power", B: F(0.5)}
	exp := &Response{Curve: "exp", Max: F(1.59143), Scale: F(1 / 0.989841)}
	hill := &Response{Curve: "hill", Max: F(2.264503), Scale: F(1.264503)}
	tests := []struct {
		name, source string
		r            *Response
		x, want      float64 // spend multiple, revenue
	}{
		{"power x1.6", "MATH.md §1 claim 3: b = 0.5 gives 354 558", power, 1.6, 354558},
		{"exp x1.6", "MATH.md §c.3: calibrated to x1.264863 at x1.6", exp, 1.6, 280303 * 1.264863},
		{"hill x1.6", "MATH.md §c.3: calibrated to x1.264863 at x1.6", hill, 1.6, 280303 * 1.264863},
		{"power x2", "MATH.md §c.3: revenue at x2 spend", power, 2, 396408},
		{"exp x2", "MATH.md §c.3: revenue at x2 spend", exp, 2, 384474},
		{"hill x2", "MATH.md §c.3: revenue at x2 spend", hill, 2, 388878},
		{"power x3", "MATH.md §c.3: revenue at x3 spend", power, 3, 485499},
		{"exp x3", "MATH.md §c.3: revenue at x3 spend", exp, 3, 423187},
		{"hill x3", "MATH.md §c.3: revenue at x3 spend", hill, 3, 446533},
		{"linear x1.6", "MATH.md §1 claim 3: linear response gives 448 485", nil, 1.6, 448485},
		{"power x4", "MATH.md §c.3: under b = 1/2 doubling revenue needs x4 spend", power, 4, 2 * r0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// Revenue is proportional to volume at fixed funnel rates.
			got := r0 * tc.r.Volume(1, 1000, 1000*tc.x)
			if !near(got, tc.want, calibTol) {
				t.Errorf("%s: revenue %.2f, want %.2f", tc.source, got, tc.want)
			}
		})
	}
}

// TestResponseInverse checks Spend(Volume(s)) = s for every curve and the
// elasticity of the claim: b = ln 1.264863 / ln 1.6 = 0.49992 (§1 claim 3).
func TestResponseInverse(t *testing.T) {
	curves := []*Response{
		nil,
		{Curve: "power", B: F(0.5)},
		{Curve: "power", B: F(1)},
		{Curve: "exp", Max: F(1.59143), Scale: F(1.010263)},
		{Curve: "hill", Max: F(2.264503), Scale: F(1.264503)},
	}
	for _, r := range curves {
		for _, s := range []float64{0, 1, 500, 1000, 1600, 5000} {
			v := r.Volume(360750, 1000, s)
			got, ok := r.Spend(360750, 1000, v)
			if !ok || !near(got, s, 1e-9) {
				t.Errorf("%s: Spend(Volume(%g)) = %g, %v", r.Label(), s, got, ok)
			}
		}
	}
	sat := &Response{Curve: "hill", Max: F(2), Scale: F(1)}
	if _, ok := sat.Spend(100, 1000, 200); ok {
		t.Error("hill curve: volume at saturation is reachable")
	}
	b := math.Log(354545.0/280303) / math.Log(1.6)
	if math.Abs(b-0.49992) > 5e-6 {
		t.Errorf("MATH.md §1 claim 3: implied elasticity %.6f, want 0.49992", b)
	}
}

// TestResponseMonotone is the law every curve obeys: more spend never buys
// less volume, and the power and saturating curves show diminishing
// returns (volume per unit of spend falls).
func TestResponseMonotone(t *testing.T) {
	for _, r := range []*Response{
		{Curve: "power", B: F(0.5)},
		{Curve: "exp", Max: F(1.6), Scale: F(1)},
		{Curve: "hill", Max: F(2.3), Scale: F(1.3)},
	} {
		prev, prevAvg := 0.0, math.Inf(1)
		for s := 100.0; s <= 10000; s += 100 {
			v := r.Volume(1000, 1000, s)
			if v < prev || v/s > prevAvg {
				t.Fatalf("%s: at spend %g volume %g (before %g)", r.Label(), s, v, prev)
			}
			prev, prevAvg = v, v/s
		}
	}
}
