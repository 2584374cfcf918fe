package core

import (
	"math"
	"strings"
	"testing"
)

// tolTable is the tolerance of numbers MATH.md prints with 6 decimals.
const tolTable = 5e-7

func TestPosteriorStepExample(t *testing.T) {
	// MATH.md §k example (uniform prior): Jan [10000, 520, 210, 98, 24],
	// Feb [11000, 600, 230, 120, 33]: MLE / mean / 90 % CI per step.
	jan := []float64{10000, 520, 210, 98, 24}
	feb := []float64{11000, 600, 230, 120, 33}
	want := [][2][4]float64{
		{{.052000, .052090, .048487, .055794}, {.054545, .054626, .051110, .058235}},
		{{.403846, .404215, .369124, .439723}, {.383333, .383721, .351365, .416517}},
		{{.466667, .466981, .410912, .523406}, {.521739, .521552, .467601, .575291}},
		{{.244898, .250000, .182048, .323663}, {.275000, .278689, .214288, .347230}},
	}
	for i := 1; i < 5; i++ {
		for m, counts := range [][]float64{jan, feb} {
			s, err := PosteriorStep(counts[i], counts[i-1], "")
			if err != nil {
				t.Fatal(err)
			}
			w := want[i-1][m]
			got := [4]float64{*s.Rate, *s.Mean, *s.CILow, *s.CIHigh}
			for k := range got {
				if math.Abs(got[k]-w[k]) > tolTable {
					t.Errorf("step %d month %d: %v, want %v (MATH.md §k)", i, m, got, w)
					break
				}
			}
		}
	}
	// MATH.md §k: x = 0, n = 20 → [0.002440, 0.132946]; x = n = 20 →
	// [0.867054, 0.997560]. Closed form for x = 0: 1 − (1−u)^{1/21}.
	s, _ := PosteriorStep(0, 20, "")
	if math.Abs(*s.CILow-0.002440) > tolTable || math.Abs(*s.CIHigh-0.132946) > tolTable {
		t.Errorf("0 of 20: [%f, %f]", *s.CILow, *s.CIHigh)
	}
	if math.Abs(*s.CIHigh-(1-math.Pow(0.05, 1.0/21))) > tolSpecial {
		t.Errorf("0 of 20: upper %.15g, closed form %.15g", *s.CIHigh, 1-math.Pow(0.05, 1.0/21))
	}
	s, _ = PosteriorStep(20, 20, "")
	if math.Abs(*s.CILow-0.867054) > tolTable || math.Abs(*s.CIHigh-0.997560) > tolTable {
		t.Errorf("20 of 20: [%f, %f]", *s.CILow, *s.CIHigh)
	}
	// n = 0: posterior = prior, flagged (MATH.md §k.2); Jeffreys prior
	// Beta(0.5, 0.5) has mean 0.5 and CI [sin²(0.05π/2), sin²(0.95π/2)].
	s, _ = PosteriorStep(0, 0, PriorJeffreys)
	if !s.NoData || s.Rate != nil || *s.Mean != 0.5 || math.Abs(*s.CILow-math.Pow(math.Sin(0.05*math.Pi/2), 2)) > tolSpecial {
		t.Errorf("no data, Jeffreys: %+v", s)
	}
	// x > n: throughput, no posterior (MATH.md §k.4).
	s, _ = PosteriorStep(12, 10, "")
	if !s.Throughput || *s.Rate != 1.2 || s.Mean != nil {
		t.Errorf("12 of 10: %+v", s)
	}
	for _, bad := range [][2]float64{{-1, 3}, {1.5, 3}, {math.NaN(), 3}} {
		if _, err := PosteriorStep(bad[0], bad[1], ""); err == nil {
			t.Errorf("%v: no error", bad)
		}
	}
	if _, err := PosteriorStep(1, 2, "flat"); err == nil {
		t.Error("unknown prior: no error")
	}
}

func TestCompareExample(t *testing.T) {
	// MATH.md §k example: P(Feb > Jan), z, p per step.
	jan := []float64{10000, 520, 210, 98, 24}
	feb := []float64{11000, 600, 230, 120, 33}
	want := [][3]float64{
		{0.793341, 0.819887, 0.412280},
		{0.241529, -0.701021, 0.483290},
		{0.875231, 1.154063, 0.248474},
		{0.687909, 0.503127, 0.614875},
	}
	for i := 1; i < 5; i++ {
		aA, bA := 1+jan[i], 1+jan[i-1]-jan[i]
		aB, bB := 1+feb[i], 1+feb[i-1]-feb[i]
		p := ProbBetter(aA, bA, aB, bB)
		z := TwoProportionZ(jan[i], jan[i-1], feb[i], feb[i-1])
		w := want[i-1]
		if math.Abs(p-w[0]) > tolTable || math.Abs(*z.Z-w[1]) > tolTable || math.Abs(*z.P-w[2]) > tolTable || !z.Valid {
			t.Errorf("step %d: P = %.6f, z = %.6f, p = %.6f, valid %v; want %v (MATH.md §k)", i, p, *z.Z, *z.P, z.Valid, w)
		}
		// Quadrature agrees with the exact sum.
		if q := ProbBetterQuad(aA, bA, aB, bB); math.Abs(q-p) > 1e-9 {
			t.Errorf("step %d: quadrature %.12f, sum %.12f", i, q, p)
		}
	}
	// Managers, proposal → deal: A 30/120, B 18/100: P(A > B) = 0.891521
	// (sum and quadrature), z = 1.251743, p = 0.210664 (MATH.md §k).
	if p := ProbBetter(19, 83, 31, 91); math.Abs(p-0.891521) > tolTable {
		t.Errorf("P(A > B) = %.6f, want 0.891521", p)
	}
	if p := ProbBetterQuad(19, 83, 31, 91); math.Abs(p-0.891521) > tolTable {
		t.Errorf("P(A > B) by quadrature = %.6f, want 0.891521", p)
	}
	z := TwoProportionZ(18, 100, 30, 120)
	if math.Abs(*z.Z-1.251743) > tolTable || math.Abs(*z.P-0.210664) > tolTable {
		t.Errorf("z = %.6f, p = %.6f, want 1.251743, 0.210664", *z.Z, *z.P)
	}
	for _, c := range []struct {
		ab [2]float64
		lo float64
		hi float64
	}{{[2]float64{30, 120}, 0.191874, 0.320923}, {[2]float64{18, 100}, 0.126834, 0.252736}} {
		s, _ := PosteriorStep(c.ab[0], c.ab[1], "")
		if math.Abs(*s.CILow-c.lo) > tolTable || math.Abs(*s.CIHigh-c.hi) > tolTable {
			t.Errorf("%v: CI [%.6f, %.6f], want [%v, %v]", c.ab, *s.CILow, *s.CIHigh, c.lo, c.hi)
		}
	}
	// Symmetry: P(B > A) + P(A > B) = 1 (continuous), also for
	// non-integer parameters (Jeffreys), by quadrature.
	if s := ProbBetter(2.5, 7.5, 4.5, 3.5) + ProbBetter(4.5, 3.5, 2.5, 7.5); math.Abs(s-1) > 1e-9 {
		t.Errorf("P(B > A) + P(A > B) = %.12f", s)
	}
	// Validity rule: n p̂ < 5 is insufficient data.
	if z := TwoProportionZ(1, 20, 3, 20); z.Valid {
		t.Errorf("1/20 vs 3/20: valid z-test")
	}
}

func TestChiSquare(t *testing.T) {
	// Two groups: χ² equals z² (df 1) and gives the same p (MATH.md §k.3).
	c := ChiSquareHomogeneity([]float64{18, 30}, []float64{100, 120})
	if c.DF != 1 || math.Abs(*c.Chi2-1.251743*1.251743) > 1e-5 || math.Abs(*c.P-0.210664) > tolTable {
		t.Errorf("χ² = %+v, want 1.566860 (z²), p 0.210664", c)
	}
	// Three groups, by hand: p̄ = 60/300 = 0.2, expected 20 each,
	// χ² = (10² + 0 + 10²)/(100·0.16) = 12.5, df 2, p = e^{−12.5/2}.
	c = ChiSquareHomogeneity([]float64{10, 20, 30}, []float64{100, 100, 100})
	if c.DF != 2 || math.Abs(*c.Chi2-12.5) > 1e-12 || math.Abs(*c.P-math.Exp(-6.25)) > 1e-12 || !c.Valid {
		t.Errorf("χ² = %+v, want 12.5, df 2, p %g", c, math.Exp(-6.25))
	}
}

const janFebCSV = `period,manager,visit,lead,mql,proposal,customer
2026-01,anna,6000,300,120,58,14
2026-01,ben,4000,220,90,40,10
2026-02,anna,6000,330,125,64,18
2026-02,ben,5000,270,105,56,15
`

func TestFitByPeriod(t *testing.T) {
	tab, err := ReadCounts(strings.NewReader(janFebCSV))
	if err != nil {
		t.Fatal(err)
	}
	// Rows sum to the §k example months: Jan [10000, 520, 210, 98, 24],
	// Feb [11000, 600, 230, 120, 33].
	r, err := Fit(tab, FitOptions{By: "period"})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Groups) != 2 || r.Groups[0].Key != "2026-01" || r.Unit != "month" {
		t.Fatalf("groups %+v, unit %q", r.Groups, r.Unit)
	}
	want := []float64{0.793341, 0.241529, 0.875231, 0.687909} // MATH.md §k
	for i, c := range r.Comparisons {
		if math.Abs(*c.PBBetter-want[i]) > tolTable || c.A != "2026-01" || c.B != "2026-02" {
			t.Errorf("step %d: %+v, want P(Feb > Jan) %v", i+1, c, want[i])
		}
	}
	// Totals: 21000 → 1120: rate Σx/Σn (MATH.md §k.1).
	if *r.Steps[0].Rate != 1120.0/21000 || r.Overall.Successes != 57 {
		t.Errorf("totals: %+v, overall %+v", r.Steps[0], r.Overall)
	}
	if len(r.Tests) != 4 || r.Tests[2].Ranking[0].Key != "2026-02" {
		t.Errorf("tests %+v", r.Tests)
	}
	// By manager: anna [12000, 630, 245, 122, 32], ben [9000, 490, 195, 96, 25].
	m, err := Fit(tab, FitOptions{By: "manager", Prior: PriorJeffreys})
	if err != nil {
		t.Fatal(err)
	}
	if m.Groups[0].Key != "anna" || m.Groups[0].Counts[4] != 32 || *m.Groups[1].Steps[3].Alpha != 25.5 {
		t.Errorf("by manager: %+v", m.Groups)
	}
	if _, err := Fit(tab, FitOptions{By: "region"}); err == nil || !strings.Contains(err.Error(), "manager") {
		t.Errorf("unknown column: %v", err)
	}
}

func TestAggregate(t *testing.T) {
	// MATH.md §k.1: 10/100 and 20/1000 → 30/1100 = 0.0272727 (never the
	// mean of the two rates, 0.06).
	csv := "period,visit,lead\n2026-01-05,100,10\n2026-01-20,1000,20\n2026-02-02,50,5\n"
	tab, err := ReadCounts(strings.NewReader(csv))
	if err != nil {
		t.Fatal(err)
	}
	r, err := Fit(tab, FitOptions{Aggregate: "month", By: "period"})
	if err != nil {
		t.Fatal(err)
	}
	if g := r.Groups[0]; g.Key != "2026-01" || g.Counts[0] != 1100 || math.Abs(*g.Steps[0].Rate-30.0/1100) > 1e-15 {
		t.Errorf("January: %+v", g)
	}
	for _, c := range []struct{ unit, first string }{{"week", "2026-W02"}, {"quarter", "2026-Q1"}, {"year", "2026"}} {
		a, err := tab.Aggregate(c.unit)
		if err != nil {
			t.Fatal(err)
		}
		if a.Rows[0].Period != c.first {
			t.Errorf("%s: first period %q, want %q", c.unit, a.Rows[0].Period, c.first)
		}
	}
	q, _ := tab.Aggregate("quarter")
	if len(q.Rows) != 1 || q.Rows[0].Counts[0] != 1150 {
		t.Errorf("quarter: %+v", q.Rows)
	}
	// Labels and weeks into months cannot be summed; the error names the line.
	tab2, _ := ReadCounts(strings.NewReader("period,visit,lead\nspring,10,1\n2026-W03,5,1\n"))
	_, err = tab2.Aggregate("month")
	if err == nil || !strings.Contains(err.Error(), "2: period \"spring\"") || !strings.Contains(err.Error(), "3: week") {
		t.Errorf("aggregate labels: %v", err)
	}
	if _, err := tab.Aggregate("fortnight"); err == nil {
		t.Error("unknown unit: no error")
	}
}

func TestFitNonMonotone(t *testing.T) {
	csv := "period,visit,lead,deal\n2026-01,100,10,12\n2026-02,100,10,5\n"
	tab, err := ReadCounts(strings.NewReader(csv))
	if err != nil {
		t.Fatal(err)
	}
	// Period counts: warning, throughput ratio, no posterior (MATH.md §k.4).
	r, err := Fit(tab, FitOptions{By: "period"})
	if err != nil {
		t.Fatal(err)
	}
	g := r.Groups[0].Steps[1]
	if !g.Throughput || *g.Rate != 1.2 || g.Mean != nil || len(r.Warnings) == 0 {
		t.Errorf("period counts: %+v, warnings %q", g, r.Warnings)
	}
	if r.Comparisons[1].PBBetter != nil || r.Tests[1].Chi2 != nil {
		t.Errorf("comparison of a throughput step: %+v %+v", r.Comparisons[1], r.Tests[1])
	}
	// Cohort counts: an error naming the line.
	_, err = Fit(tab, FitOptions{Cohort: true})
	if err == nil || !strings.HasPrefix(err.Error(), "2: deal 12 exceeds lead 10") {
		t.Errorf("cohort: %v", err)
	}
}
