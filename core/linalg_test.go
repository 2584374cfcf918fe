package core

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/lapack/lapack64"
)

// tolLU is how far the solver here may be from gonum's LAPACK on a
// well-conditioned system (relative to the largest entry of the answer):
// both are backward stable, so they agree to a few units of rounding.
const tolLU = 1e-12

// wellConditioned returns a random m×m row-major matrix with entries in
// [-1, 1] and a diagonal that dominates its row (condition number of the
// order of 1), its rows shuffled so that partial pivoting has to swap.
func wellConditioned(rng *rand.Rand, m int) []float64 {
	a := make([]float64, m*m)
	for i := 0; i < m; i++ {
		sum := 0.0
		for j := 0; j < m; j++ {
			if rng.IntN(3) > 0 {
				a[i*m+j] = 2*rng.Float64() - 1
				sum += math.Abs(a[i*m+j])
			}
		}
		a[i*m+i] = math.Copysign(sum+1, 2*rng.Float64()-1)
	}
	for i := m - 1; i > 0; i-- {
		k := rng.IntN(i + 1)
		for j := 0; j < m; j++ {
			a[i*m+j], a[k*m+j] = a[k*m+j], a[i*m+j]
		}
	}
	return a
}

func maxAbsDiff(t *testing.T, what string, got, want []float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, gonum %d", what, len(got), len(want))
	}
	scale, diff := 0.0, 0.0
	for i := range want {
		scale = math.Max(scale, math.Abs(want[i]))
		diff = math.Max(diff, math.Abs(got[i]-want[i]))
	}
	if diff > tolLU*math.Max(scale, 1) {
		t.Errorf("%s: differs from gonum by %g (largest entry %g)", what, diff, scale)
	}
}

// TestLUAgainstGonum: solveLU and invertLU against gonum's LAPACK
// (Dgetrf/Dgetrs/Dgetri) on random well-conditioned systems.
func TestLUAgainstGonum(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for trial := 0; trial < 300; trial++ {
		m := 1 + rng.IntN(60)
		k := 1 + rng.IntN(5)
		a := wellConditioned(rng, m)
		b := make([]float64, m*k)
		for i := range b {
			b[i] = 2*rng.Float64() - 1
		}
		a0, b0 := append([]float64(nil), a...), append([]float64(nil), b...)

		A := blas64.General{Rows: m, Cols: m, Stride: m, Data: append([]float64(nil), a...)}
		ipiv := make([]int, m)
		if !lapack64.Getrf(A, ipiv) {
			t.Fatalf("trial %d: gonum says singular", trial)
		}
		X := blas64.General{Rows: m, Cols: k, Stride: k, Data: append([]float64(nil), b...)}
		lapack64.Getrs(blas.NoTrans, A, X, ipiv)
		work := make([]float64, 64*m)
		if !lapack64.Getri(A, ipiv, work, len(work)) {
			t.Fatalf("trial %d: gonum cannot invert", trial)
		}

		x, err := solveLU(a, m, b, k)
		if err != nil {
			t.Fatalf("trial %d: %v", trial, err)
		}
		maxAbsDiff(t, "solve", x, X.Data)
		inv, err := invertLU(a, m)
		if err != nil {
			t.Fatalf("trial %d: %v", trial, err)
		}
		maxAbsDiff(t, "inverse", inv, A.Data)
		maxAbsDiff(t, "a unchanged", a, a0)
		maxAbsDiff(t, "b unchanged", b, b0)
	}
}

// TestLUSingular: an exactly singular matrix is an error, as LAPACK's
// Dgetrf reports it (a zero pivot), and the empty system has no answer.
func TestLUSingular(t *testing.T) {
	a := []float64{
		1, 2, 3,
		2, 4, 6, // twice the first row
		0, 1, 1,
	}
	if _, err := solveLU(a, 3, []float64{1, 2, 3}, 1); err != errSingular {
		t.Errorf("solveLU of a singular matrix: %v, want %v", err, errSingular)
	}
	if _, err := invertLU(a, 3); err != errSingular {
		t.Errorf("invertLU of a singular matrix: %v, want %v", err, errSingular)
	}
	if x, err := solveLU(nil, 0, nil, 1); x != nil || err != nil {
		t.Errorf("0×0 system: %v, %v", x, err)
	}
	if _, err := solveLU([]float64{1, 2}, 2, []float64{1, 2}, 1); err == nil {
		t.Error("a 2×2 system with 2 values: no error")
	}
}

// TestInvertLUByHand: the inverse of a 2×2 matrix that needs a row swap,
// [[0 2] [4 1]]^{-1} = [[-1/8 1/4] [1/2 0]] (by hand: 1/det · adj, det = −8).
func TestInvertLUByHand(t *testing.T) {
	inv, err := invertLU([]float64{0, 2, 4, 1}, 2)
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{-0.125, 0.25, 0.5, 0}
	for i := range want {
		if math.Abs(inv[i]-want[i]) > 1e-15 {
			t.Errorf("inverse[%d] = %v, want %v", i, inv[i], want[i])
		}
	}
}

// TestLUTinyPivot: a pivot so small that 1/pivot overflows divides the
// column instead of multiplying by +Inf (LAPACK's Dgetf2). By hand:
// A = [[2^-1030, 1], [2^-1031, 1]] keeps row 0 as the pivot row,
// l = 2^-1031 / 2^-1030 = 0.5 and u_11 = 1 − 0.5·1 = 0.5.
func TestLUTinyPivot(t *testing.T) {
	a := []float64{0x1p-1030, 1, 0x1p-1031, 1}
	piv := make([]int, 2)
	if !luFactor(a, 2, piv) {
		t.Fatal("luFactor: singular")
	}
	want := []float64{0x1p-1030, 1, 0.5, 0.5}
	for i := range want {
		if a[i] != want[i] {
			t.Errorf("LU[%d] = %g, want %g", i, a[i], want[i])
		}
	}
	if piv[0] != 0 || piv[1] != 1 {
		t.Errorf("pivots %v, want [0 1]", piv)
	}
}
