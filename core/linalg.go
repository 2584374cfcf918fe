package core

import (
	"errors"
	"fmt"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/lapack/lapack64"
)

// errSingular is returned by solveLU for a singular system.
var errSingular = errors.New("singular system")

// solveLU solves A X = B by LU decomposition with partial pivoting (gonum
// LAPACK Getrf/Getrs). A is m×m and B is m×k, both row-major; X is
// returned row-major. Neither input is changed. No condition estimate is
// made: the caller judges the accuracy (MATH.md §f bounds the condition of
// I − Q by 2·max t, a sharper and cheaper test).
func solveLU(a []float64, m int, b []float64, k int) ([]float64, error) {
	if m == 0 {
		return nil, nil
	}
	if len(a) != m*m || len(b) != m*k {
		return nil, fmt.Errorf("solve: %d×%d system with %d and %d values", m, k, len(a), len(b))
	}
	A := blas64.General{Rows: m, Cols: m, Stride: m, Data: append([]float64(nil), a...)}
	X := blas64.General{Rows: m, Cols: k, Stride: k, Data: append([]float64(nil), b...)}
	ipiv := make([]int, m)
	if !lapack64.Getrf(A, ipiv) {
		return nil, errSingular
	}
	lapack64.Getrs(blas.NoTrans, A, X, ipiv)
	return X.Data, nil
}

// invertLU returns the inverse of the m×m row-major matrix A by LU
// decomposition with partial pivoting (gonum LAPACK Getrf/Getri); A is not
// changed.
func invertLU(a []float64, m int) ([]float64, error) {
	if len(a) != m*m {
		return nil, fmt.Errorf("invert: %d×%d matrix with %d values", m, m, len(a))
	}
	if m == 0 {
		return nil, nil
	}
	A := blas64.General{Rows: m, Cols: m, Stride: m, Data: append([]float64(nil), a...)}
	ipiv := make([]int, m)
	if !lapack64.Getrf(A, ipiv) {
		return nil, errSingular
	}
	work := make([]float64, 64*m)
	if !lapack64.Getri(A, ipiv, work, len(work)) {
		return nil, errSingular
	}
	return A.Data, nil
}

// matMul returns A B for row-major A (m×n) and B (n×k).
func matMul(a []float64, m, n int, b []float64, k int) []float64 {
	c := make([]float64, m*k)
	for i := 0; i < m; i++ {
		ci := c[i*k : (i+1)*k]
		for l := 0; l < n; l++ {
			x := a[i*n+l]
			if x == 0 {
				continue
			}
			bl := b[l*k : (l+1)*k]
			for j := range ci {
				ci[j] += x * bl[j]
			}
		}
	}
	return c
}
