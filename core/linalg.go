package core

import (
	"errors"
	"fmt"
	"math"
)

// The dense solves of the core (the fundamental matrix of a journey, the
// reach of a set of states, the referral generations) are small (at most
// MaxJourneyStates states, 50 planned) and are written here rather than
// taken from gonum's LAPACK (Dgetrf, Dgetrs, Dgetri), on measurement:
//
//   - compiled to WebAssembly, gonum's BLAS kernels are plain Go behind
//     several calls each (the assembly kernels are amd64 only). With these
//     loops BenchmarkJourney50 went from about 650 to 200-230 us under
//     Node, and natively from about 80 to 60 us;
//   - without gonum's blas and lapack packages the browser's app.wasm is
//     0.16 MB smaller raw (35 kB gzip, 19 kB brotli), less to compile on
//     every page load.
//
// The algorithms and their order of operations are LAPACK's as gonum
// runs them (so that results are gonum's to the last bit where its
// assembly does not reorder a sum): LU decomposition with partial
// pivoting (Dgetf2), triangular solves (Dtrsm) and the inverse (Dtrti2,
// Dgetri). A test checks both routines against gonum on random
// well-conditioned systems to 1e-12.

// errSingular is returned by solveLU and invertLU for a singular system.
var errSingular = errors.New("singular system")

// minNormal is the smallest normal float64 (LAPACK's safe minimum, dlamch
// "S"): a pivot at least this large has a finite reciprocal.
const minNormal = 0x1p-1022

// luFactor factors the m×m row-major matrix a in place as P A = L U: U on
// and above the diagonal, L (unit diagonal) below it; piv[k] is the row
// swapped with row k at step k. It returns false when a pivot is exactly
// 0 (A is singular), as LAPACK's Dgetrf does.
func luFactor(a []float64, m int, piv []int) bool {
	a, piv = a[:m*m], piv[:m]
	for k := 0; k < m; k++ {
		// The first largest |a_ik| of the column, walked in steps of a
		// row, two a turn (see axpy).
		px, big := k*m+k, math.Abs(a[k*m+k])
		x := px + m
		for ; x+m < len(a); x += 2 * m {
			if v := math.Abs(a[x]); v > big {
				px, big = x, v
			}
			if v := math.Abs(a[x+m]); v > big {
				px, big = x+m, v
			}
		}
		if x < len(a) {
			if v := math.Abs(a[x]); v > big {
				px, big = x, v
			}
		}
		p := px / m
		piv[k] = p
		if big == 0 {
			return false
		}
		rk := a[k*m : k*m+m]
		if p != k {
			rp := a[p*m : p*m+m]
			for j := range rk {
				rk[j], rp[j] = rp[j], rk[j]
			}
		}
		// The column below the pivot times 1/pivot, as Dgetf2 scales it
		// (dividing instead when 1/pivot would overflow; times 1 after
		// that is exact). The column is walked m numbers a step, the
		// row's remainder cut only where l ≠ 0.
		d := rk[k]
		rd := 1 / d
		if math.Abs(d) < minNormal {
			for x := (k+1)*m + k; x < len(a); x += m {
				a[x] /= d
			}
			rd = 1
		}
		rk = rk[k+1:]
		for x := (k+1)*m + k; x < len(a); x += m {
			l := a[x] * rd
			a[x] = l
			if l != 0 { // sparse chains: most of a column is 0
				axpy(a[x+1:x+m-k], -l, rk) // row − l rk, as Dger adds (−l) rk
			}
		}
	}
	return true
}

// solveLU solves A X = B by LU decomposition with partial pivoting. A is
// m×m and B is m×k, both row-major; X is returned row-major. Neither input
// is changed. No condition estimate is made: the caller judges the
// accuracy (MATH.md §f bounds the condition of I − Q by 2·max t, a sharper
// and cheaper test).
func solveLU(a []float64, m int, b []float64, k int) ([]float64, error) {
	if m == 0 {
		return nil, nil
	}
	if len(a) != m*m || len(b) != m*k {
		return nil, fmt.Errorf("solve: %d×%d system with %d and %d values", m, k, len(a), len(b))
	}
	lu := append([]float64(nil), a...)
	piv := make([]int, m)
	if !luFactor(lu, m, piv) {
		return nil, errSingular
	}
	x := append([]float64(nil), b...)
	for i, p := range piv { // P B
		if p != i {
			xi, xp := x[i*k:i*k+k], x[p*k:p*k+k]
			for j := range xi {
				xi[j], xp[j] = xp[j], xi[j]
			}
		}
	}
	for i := 1; i < m; i++ { // L Y = P B
		xi := x[i*k : i*k+k]
		for l, f := range lu[i*m : i*m+i] {
			if f != 0 {
				axpy(xi, -f, x[l*k:l*k+k])
			}
		}
	}
	backSubstitute(lu, m, x, k)
	return x, nil
}

// backSubstitute solves U X = Y in place (x holds Y, m×k row-major), U the
// upper triangle of lu.
func backSubstitute(lu []float64, m int, x []float64, k int) {
	for i := m - 1; i >= 0; i-- {
		xi := x[i*k : i*k+k]
		for l := i + 1; l < m; l++ {
			if f := lu[i*m+l]; f != 0 {
				axpy(xi, -f, x[l*k:l*k+k])
			}
		}
		d := 1 / lu[i*m+i] // as Dtrsm: times the reciprocal
		for j := range xi {
			xi[j] *= d
		}
	}
}

// axpy sets y += a x (len(x) >= len(y)). The loop is unrolled by four:
// in WebAssembly every turn of a Go loop goes back through the function's
// dispatch of resume points, which costs more than the arithmetic.
func axpy(y []float64, a float64, x []float64) {
	x = x[:len(y)]
	j := 0
	for ; j+8 <= len(y); j += 8 {
		y8, x8 := y[j:j+8:j+8], x[j:j+8:j+8]
		y8[0] += a * x8[0]
		y8[1] += a * x8[1]
		y8[2] += a * x8[2]
		y8[3] += a * x8[3]
		y8[4] += a * x8[4]
		y8[5] += a * x8[5]
		y8[6] += a * x8[6]
		y8[7] += a * x8[7]
	}
	if j+4 <= len(y) {
		y4, x4 := y[j:j+4:j+4], x[j:j+4:j+4]
		y4[0] += a * x4[0]
		y4[1] += a * x4[1]
		y4[2] += a * x4[2]
		y4[3] += a * x4[3]
		j += 4
	}
	for ; j < len(y); j++ {
		y[j] += a * x[j]
	}
}

// invertLU returns the inverse of the m×m row-major matrix A by LU
// decomposition with partial pivoting; A is not changed. It computes what
// LAPACK's Dgetri (unblocked) computes, in gonum's order of operations, so
// that the figures are gonum's to the last bit:
//
//	P A = L U,   U^{-1} column by column (Dtrti2),
//	X L = U^{-1} for X = A^{-1} P^T, column by column from the last,
//	A^{-1} = X P: the interchanges on the columns, last first
//
// It works on the transpose, so that every column operation runs over
// contiguous numbers, and each column's sums are collected apart and
// added as LAPACK adds them. Terms with a zero factor from a sparse
// column are skipped: a sum that starts at +0 never becomes −0, so adding
// ±0 changes nothing and the results are those of the full sums.
func invertLU(a []float64, m int) ([]float64, error) {
	if len(a) != m*m {
		return nil, fmt.Errorf("invert: %d×%d matrix with %d values", m, m, len(a))
	}
	if m == 0 {
		return nil, nil
	}
	x := append([]float64(nil), a...)
	piv := make([]int, m)
	if !luFactor(x, m, piv) {
		return nil, errSingular
	}
	y := make([]float64, m*m) // y = x^T: row j of y is column j of x
	transpose(y, x, m)
	sums := make([]float64, 3*m)
	c, s, t := sums[:m], sums[m:2*m], sums[2*m:]
	// U^{-1} in place: column j (row j of y) from the leading j×j block,
	// already inverted: u_ij = −(t_ii c_i + Σ_{i<k<j} t_ik c_k) / u_jj,
	// c the column of U (Dtrmv, then Dscal). t keeps the diagonal t_ii
	// apart, read in order rather than m+1 numbers apart.
	for j := 0; j < m; j++ {
		yj := y[j*m : j*m+m]
		ajj := 1 / yj[j]
		yj[j] = ajj
		t[j] = ajj
		ajj = -ajj
		if j == 1 {
			yj[0] *= y[0]
			yj[0] *= ajj
		} else if j > 1 {
			copy(c, yj[:j])
			clear(s[:j])
			for k := 1; k < j; k++ { // s_i = Σ_k t_ik c_k, k ascending
				if c[k] != 0 {
					axpy(s[:k], c[k], y[k*m:k*m+k])
				}
			}
			yj, tj, cj, sj := yj[:j], t[:j], c[:j], s[:j]
			for i := range yj {
				yj[i] = (tj[i]*cj[i] + sj[i]) * ajj
			}
		}
	}
	// X L = U^{-1}, columns from the last (Dgemv): column j of X minus
	// Σ_k X[:, k] l_kj over the l below the diagonal, taken out of it.
	w, nz := c, make([]int, 0, m)
	for j := m - 1; j >= 0; j-- {
		yj := y[j*m : j*m+m]
		nz = nz[:0]
		for k := j + 1; k < m; k++ {
			w[k], yj[k] = yj[k], 0
			if w[k] != 0 {
				nz = append(nz, k)
			}
		}
		if len(nz) == 0 {
			continue
		}
		clear(s)
		for _, k := range nz {
			axpy(s, w[k], y[k*m:k*m+m])
		}
		axpy(yj, -1, s) // yj − s: −1·s is exact
	}
	// X P: the interchanges on the columns of X, rows of y.
	for k := m - 2; k >= 0; k-- {
		if p := piv[k]; p != k {
			yk, yp := y[k*m:k*m+m], y[p*m:p*m+m]
			for i := range yk {
				yk[i], yp[i] = yp[i], yk[i]
			}
		}
	}
	transpose(x, y, m)
	return x, nil
}

// transpose sets dst = src^T for m×m row-major matrices. Four rows of
// src go at once to four adjacent numbers of each row of dst: a quarter of
// the turns of the loop and of the bounds checks of a strided write, which
// in WebAssembly cost far more than the moves (see axpy).
func transpose(dst, src []float64, m int) {
	dst, src = dst[:m*m], src[:m*m]
	i := 0
	for ; i+4 <= m; i += 4 {
		r0 := src[i*m : i*m+m]
		r1, r2, r3 := src[i*m+m:][:m], src[i*m+2*m:][:m], src[i*m+3*m:][:m]
		for j, v := range r0 {
			d := dst[j*m+i:][:4]
			d[0], d[1], d[2], d[3] = v, r1[j], r2[j], r3[j]
		}
	}
	for ; i < m; i++ {
		row := src[i*m : i*m+m]
		for j, v := range row {
			dst[j*m+i] = v
		}
	}
}

// dot2 returns Σ 2·x_i·y_i, each term (2x_i)·y_i, summed in order from +0
// (len(y) >= len(x)), unrolled by four (see axpy).
func dot2(x, y []float64) float64 {
	y = y[:len(x)]
	s := 0.0
	j := 0
	for ; j+4 <= len(x); j += 4 {
		x4, y4 := x[j:j+4:j+4], y[j:j+4:j+4]
		s += 2 * x4[0] * y4[0]
		s += 2 * x4[1] * y4[1]
		s += 2 * x4[2] * y4[2]
		s += 2 * x4[3] * y4[3]
	}
	for ; j < len(x); j++ {
		s += 2 * x[j] * y[j]
	}
	return s
}

// matMul returns A B for row-major A (m×n) and B (n×k).
func matMul(a []float64, m, n int, b []float64, k int) []float64 {
	c := make([]float64, m*k)
	if k == 2 { // N R of a journey: the same sums, without a loop of two
		b = b[:2*n]
		for i := 0; i < m; i++ {
			var c0, c1 float64
			for l, x := range a[i*n : i*n+n] {
				if x != 0 {
					c0 += x * b[2*l]
					c1 += x * b[2*l+1]
				}
			}
			c[2*i], c[2*i+1] = c0, c1
		}
		return c
	}
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
