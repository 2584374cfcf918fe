package core

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mathext"
)

// TestBetaQAgainstGonum checks the continued fraction and the inverse
// against gonum's cephes port (decision 5) on a grid.
func TestBetaQAgainstGonum(t *testing.T) {
	params := [][2]float64{{0.5, 0.5}, {1, 1}, {1, 21}, {21, 1}, {2, 3}, {2.6, 3.4}, {3.5, 4.5}, {40, 60}, {25, 75}, {0.3, 7}, {7, 0.3}, {521, 9481}, {1.5, 2000}, {0.05, 0.05}}
	us := []float64{1e-12, 1e-6, 0.001, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.999, 1 - 1e-6, 1 - 1e-12}
	for _, ab := range params {
		q := newBetaQ(ab[0], ab[1])
		for _, x := range []float64{1e-9, 0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99, 1 - 1e-9} {
			got, want := q.cdf(x), mathext.RegIncBeta(ab[0], ab[1], x)
			if math.Abs(got-want) > 1e-13 {
				t.Errorf("I_%g(%g, %g) = %.16g, gonum %.16g", x, ab[0], ab[1], got, want)
			}
		}
		for _, u := range us {
			got := q.quantile(u)
			// The inverse is right when I at it gives back u (a flat CDF
			// allows a wide x for one u, so compare in u and in x).
			back := mathext.RegIncBeta(ab[0], ab[1], got)
			want := mathext.InvRegIncBeta(ab[0], ab[1], u)
			if math.Abs(back-u) > 1e-13*math.Max(1, 0) && math.Abs(got-want) > 1e-12*math.Max(want, 1e-300) {
				t.Errorf("I⁻¹_%g(%g, %g) = %.16g (I = %.16g), gonum %.16g", u, ab[0], ab[1], got, back, want)
			}
		}
	}
	// MATH.md §j oracle I⁻¹_{0.975}(3.5, 4.5) = 0.76549875074790, and
	// I_{0.4}(2, 3) = 0.5248.
	if got := newBetaQ(3.5, 4.5).quantile(0.975); math.Abs(got-0.76549875074790) > tolSpecial {
		t.Errorf("I⁻¹_0.975(3.5,4.5) = %.15g", got)
	}
	if got := newBetaQ(2, 3).cdf(0.4); math.Abs(got-0.5248) > tolSpecial {
		t.Errorf("I_0.4(2,3) = %.15g", got)
	}
}

func BenchmarkBetaQuantile(b *testing.B) {
	q := newBetaQ(40, 60)
	u := 0.0
	for b.Loop() {
		u += 0.61803398875
		u -= math.Floor(u)
		q.quantile(u)
	}
}

func BenchmarkBetaQuantileGonum(b *testing.B) {
	u := 0.0
	for b.Loop() {
		u += 0.61803398875
		u -= math.Floor(u)
		mathext.InvRegIncBeta(40, 60, u)
	}
}

// TestBetaTableStart checks that the interpolated start gives the same
// quantiles as the closed-form start.
func TestBetaTableStart(t *testing.T) {
	for _, ab := range [][2]float64{{2.6, 3.4}, {40, 60}, {1 + 4.0/3, 1 + 8.0/3}, {0.5, 0.5}, {1, 21}, {521, 9481}, {3, 3}} {
		plain := sampler{kind: distBeta, a: ab[0], b: ab[1], beta: newBetaQ(ab[0], ab[1])}
		tab := plain.withTable()
		if tab.tab == nil {
			t.Fatalf("%v: no table", ab)
		}
		for i := 0; i < 2000; i++ {
			u := unitOpen(splitMix64At(uint64(i), 0))
			a, b := plain.quantile(u), tab.quantile(u)
			if math.Abs(a-b) > 1e-13*math.Max(a, 1e-300) {
				t.Fatalf("%v u %v: table start %.17g, closed-form start %.17g", ab, u, b, a)
			}
		}
	}
}
