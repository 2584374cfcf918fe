package core

import (
	"errors"
	"fmt"
	"math"
	"strings"
)

// Absorbing columns of Chain.R.
const (
	colPurchase = 0
	colLost     = 1
)

// Limits of the Markov journey (MATH.md §f).
const (
	// MaxJourneyStates is the most transient states a journey may have;
	// 50 is the planned size (a 50-state journey takes well under a
	// millisecond), this hard limit keeps a typo from freezing a page.
	MaxJourneyStates = 500
	// MaxHorizon is the longest horizon, in steps.
	MaxHorizon = 2000
	// illConditionedSteps: warn when the expected number of steps
	// exceeds it (MATH.md §f: implausible, and 6 digits or more lost).
	illConditionedSteps = 1e6
	// negTolerance and sumTolerance are the post-checks of MATH.md §f.
	negTolerance = 1e-12
	sumTolerance = 1e-9
	// pmfTail: the step distribution is followed until less than this
	// share of entrants is still in the journey, for at most pmfMaxSteps;
	// once the quantiles of the steps to purchase are known, until less
	// than pmfShown remains.
	pmfTail     = 1e-9
	pmfShown    = 1e-6
	pmfMaxSteps = 5000
)

// Chain is an absorbing Markov chain with m transient states and the two
// absorbing states purchase and lost (MATH.md §f). Matrices are row-major
// and rows are from-states; [Q R] is row-stochastic.
type Chain struct {
	// States are the ids of the m transient states.
	States []string
	// Q is m×m: Q[i*m+j] is the probability of moving from state i to
	// state j in one step (forward, backward or staying).
	Q []float64
	// R is m×2: R[i*2] is the probability of purchasing from state i in
	// one step, R[i*2+1] of being lost.
	R []float64
	// Entry is the entry distribution π over the states (sums to 1).
	Entry []float64
	// Days is d: the days one visit to each state takes (>= 0).
	Days []float64
}

// ChainResult is what Solve computes from a chain. Vectors are per start
// state unless they say "from the entry".
type ChainResult struct {
	States []string
	// Horizon is H in steps (0: none). With a horizon, people still in
	// the journey after H steps are lost, N is Σ_{k<H} Q^k and every
	// figure counts only the first H steps.
	Horizon int
	// N is the fundamental matrix (I − Q)^{-1}, m×m: N[i*m+j] is the
	// expected number of visits to j starting from i (visits at step 0
	// included).
	N []float64
	// B is N R, m×2: B[i*2] = h_i is the probability of purchase from
	// state i, B[i*2+1] of being lost.
	B []float64
	// Steps is t = N 1, the expected steps to absorption; StepsVar their
	// variance (2N − I) t − t∘t.
	Steps, StepsVar []float64
	// Days is T = N d, the expected days to absorption.
	Days []float64
	// DaysIfPurchase is the expected days to purchase of those who
	// purchase, Σ_j N_ij d_j h_j / h_i (Doob h-transform); NaN when h_i = 0.
	DaysIfPurchase []float64
	// Visits is π N: expected visits to each state per entrant.
	Visits []float64
	// Reach is the probability that an entrant ever visits each state
	// (unique reach: Σ_i π_i N_ij / N_jj with N_jj/N_jj = 1).
	Reach []float64
	// Entry figures: probability of purchase, expected steps and their
	// variance, expected days, expected days given purchase (NaN when
	// nobody purchases).
	Purchase, EntrySteps, EntryStepsVar, EntryDays, EntryDaysIfPurchase float64
	// PurchaseAt[k-1] and LostAt[k-1] are the probabilities that an
	// entrant purchases (is lost) at step k = 1, 2, ..., followed until
	// less than 1e-6 of the entrants remain and the quantiles below are
	// known, or less than 1e-9 remain (or the horizon, or 5000 steps).
	// Remaining is the share still in the journey after the last step
	// followed.
	PurchaseAt, LostAt []float64
	Remaining          float64
	// MedianStepsIfPurchase and P90StepsIfPurchase are quantiles of the
	// steps to purchase of those who purchase: min k with
	// P(purchase by k)/P(purchase) >= q; -1 when not determined.
	MedianStepsIfPurchase, P90StepsIfPurchase int
	// Condition is κ∞(I − Q) = ‖I − Q‖∞ ‖N‖∞ (0 with a horizon).
	Condition float64
	Warnings  []string

	chain *Chain
	rows  [][]sparseEntry // nonzero entries of Q by row
}

type sparseEntry struct {
	j int
	q float64
}

// Check reports every structural problem of the chain: shapes, entries
// that are not probabilities, rows that do not sum to 1 within 1e-9, and
// trapped states.
func (c *Chain) Check() error {
	m := len(c.States)
	if m == 0 {
		return errors.New("journey: no states")
	}
	if len(c.Q) != m*m || len(c.R) != 2*m || len(c.Entry) != m || len(c.Days) != m {
		return fmt.Errorf("journey: %d states with Q of %d, R of %d, entry of %d and days of %d values", m, len(c.Q), len(c.R), len(c.Entry), len(c.Days))
	}
	var bad []string
	for i := 0; i < m; i++ {
		qi, ri := c.Q[i*m:i*m+m], c.R[2*i:2*i+2]
		// The row's sum (Q's part, then R's) in one plain loop; a row
		// with an entry out of [0, 1] (or NaN) is named entry by entry.
		sum, ok := probSum(qi)
		sum += ri[0]
		sum += ri[1]
		if !ok || !(ri[0] >= 0 && ri[0] <= 1) || !(ri[1] >= 0 && ri[1] <= 1) {
			for _, part := range [2][]float64{qi, ri} {
				for _, x := range part {
					if !(x >= 0 && x <= 1) { // NaN too
						bad = append(bad, fmt.Sprintf("state %q: %s is not a probability", c.States[i], num(x)))
					}
				}
			}
		}
		if math.Abs(sum-1) > rowTolerance {
			bad = append(bad, fmt.Sprintf("state %q: row sums to %s (want 1)", c.States[i], num(sum)))
		}
		if d := c.Days[i]; math.IsNaN(d) || math.IsInf(d, 0) || d < 0 {
			bad = append(bad, fmt.Sprintf("state %q: %s is not a duration in days", c.States[i], num(d)))
		}
	}
	sum := 0.0
	for _, x := range c.Entry {
		if math.IsNaN(x) || x < 0 {
			bad = append(bad, fmt.Sprintf("entry: %s is not a probability", num(x)))
		}
		sum += x
	}
	if math.Abs(sum-1) > rowTolerance {
		bad = append(bad, fmt.Sprintf("entry: shares sum to %s (want 1)", num(sum)))
	}
	if len(bad) > 0 {
		return errors.New("journey: " + strings.Join(bad, "; "))
	}
	return nil
}

// probSum returns the sum of xs in order, and whether every x is in
// [0, 1] (false for NaN). Four entries a turn: in WebAssembly a turn of a
// Go loop costs more than its arithmetic.
func probSum(xs []float64) (sum float64, ok bool) {
	ok = true
	j := 0
	for ; j+4 <= len(xs); j += 4 {
		x := xs[j : j+4 : j+4]
		a, b, c, d := x[0], x[1], x[2], x[3]
		sum = sum + a + b + c + d
		if !(a >= 0 && a <= 1 && b >= 0 && b <= 1 && c >= 0 && c <= 1 && d >= 0 && d <= 1) {
			ok = false
		}
	}
	for _, x := range xs[j:] {
		sum += x
		if !(x >= 0 && x <= 1) {
			ok = false
		}
	}
	return sum, ok
}

// Trapped returns, in state order, the transient states from which neither
// purchase nor lost can be reached (MATH.md §f, never-absorbing check):
// I − Q is singular when there is any.
func (c *Chain) Trapped() []int {
	m := len(c.States)
	// Backward search from the states with a positive exit.
	ok := make([]bool, m)
	queue := make([]int, 0, m)
	for i := 0; i < m; i++ {
		if c.R[2*i]+c.R[2*i+1] > 0 {
			ok[i] = true
			queue = append(queue, i)
		}
	}
	for len(queue) > 0 {
		j := queue[0]
		queue = queue[1:]
		for i := 0; i < m; i++ {
			if !ok[i] && c.Q[i*m+j] > 0 {
				ok[i] = true
				queue = append(queue, i)
			}
		}
	}
	var t []int
	for i, v := range ok {
		if !v {
			t = append(t, i)
		}
	}
	return t
}

// TrappedError names the states of a journey that never end.
type TrappedError struct {
	States []string
}

func (e *TrappedError) Error() string {
	q := make([]string, len(e.States))
	for i, s := range e.States {
		q[i] = fmt.Sprintf("%q", s)
	}
	return fmt.Sprintf("neither %s nor %s can be reached from %s (add an exit to %q or set a horizon)",
		StatePurchase, StateLost, strings.Join(q, ", "), StateLost)
}

// Solve computes the absorbing-chain figures of MATH.md §f:
//
//	N = (I − Q)^{-1}                 expected visits (LU, GTH diagonal)
//	B = N R                          absorption probabilities
//	t = N 1,  Var = (2N − I) t − t∘t  steps to absorption
//	T = N d                          days to absorption
//	T|P_i = Σ_j N_ij d_j h_j / h_i     days to purchase given purchase
//	reach_j = Σ_i π_i N_ij / N_jj     probability of ever visiting j
//	P(purchase at step k) = π Q^{k−1} R_P
//
// The diagonal of I − Q is computed as the sum of the other entries of
// the row (GTH), which keeps 1 − q_ii exact when q_ii is close to 1. With
// horizon H > 0, N is Σ_{k<H} Q^k and the figures count the first H steps
// only (people still in the journey after H steps are lost); a trapped
// chain is then allowed. Results are post-checked (N >= −1e-12, rows of B
// sum to 1 within 1e-9) and an error says "numerically unreliable"
// otherwise; a warning flags an expected journey longer than 1e6 steps.
func (c *Chain) Solve(horizon int) (*ChainResult, error) {
	if err := c.Check(); err != nil {
		return nil, err
	}
	m := len(c.States)
	if m > MaxJourneyStates {
		return nil, fmt.Errorf("journey: %d states (want at most %d)", m, MaxJourneyStates)
	}
	if horizon < 0 || horizon > MaxHorizon {
		return nil, fmt.Errorf("journey: horizon %d (want 0..%d steps)", horizon, MaxHorizon)
	}
	if horizon == 0 {
		if t := c.Trapped(); len(t) > 0 {
			e := &TrappedError{}
			for _, i := range t {
				e.States = append(e.States, c.States[i])
			}
			return nil, e
		}
	}
	r := &ChainResult{States: c.States, Horizon: horizon, chain: c, Warnings: []string{}}
	nnz := 0
	for _, q := range c.Q {
		if q != 0 {
			nnz++
		}
	}
	entries := make([]sparseEntry, 0, nnz)
	r.rows = make([][]sparseEntry, m)
	for i := range r.rows {
		start := len(entries)
		for j, q := range c.Q[i*m : i*m+m] {
			if q != 0 {
				entries = append(entries, sparseEntry{j, q})
			}
		}
		r.rows[i] = entries[start:len(entries):len(entries)]
	}
	var err error
	if horizon == 0 {
		err = r.solveFundamental()
	} else {
		r.solveHorizon()
	}
	if err != nil {
		return nil, err
	}
	if err := r.postCheck(); err != nil {
		return nil, err
	}
	r.entryFigures()
	r.stepDistribution()
	return r, nil
}

// solveFundamental computes N by LU and the figures that follow from it.
func (r *ChainResult) solveFundamental() error {
	c := r.chain
	m := len(c.States)
	a := make([]float64, m*m)
	for i := 0; i < m; i++ {
		// Row i: −q off the diagonal, the columns before and after it
		// apart (no test of j per entry), the diagonal summed in column
		// order as the row is read.
		qi, ai := c.Q[i*m:i*m+m], a[i*m:i*m+m]
		diag := c.R[2*i] + c.R[2*i+1]
		// Slices of equal length: no bounds check per entry.
		lo, alo := qi[:i], ai[:i]
		for j, q := range lo {
			alo[j] = -q
			diag += q
		}
		hi, ahi := qi[i+1:], ai[i+1:]
		ahi = ahi[:len(hi)]
		for j, q := range hi {
			ahi[j] = -q
			diag += q
		}
		ai[i] = diag // GTH: 1 − q_ii without cancellation
	}
	n, err := invertLU(a, m)
	if err != nil {
		return errors.New("journey: numerically unreliable (I − Q is singular)")
	}
	r.N = n
	r.B = matMul(n, m, m, c.R, 2)
	r.Steps = make([]float64, m)
	r.Days = make([]float64, m)
	r.StepsVar = make([]float64, m)
	r.DaysIfPurchase = make([]float64, m)
	// The loops below read through local slices of the known length: the
	// compiler hoists no loads out of a loop, and in WebAssembly a slice
	// read through a pointer (c.Days, r.Steps) is reloaded on every turn.
	days := c.Days[:m]
	dh := make([]float64, m)
	for j := range dh {
		dh[j] = days[j] * r.B[2*j]
	}
	normA, normN := 0.0, 0.0
	for i := 0; i < m; i++ {
		row, ai := n[i*m:i*m+m], a[i*m:i*m+m]
		ai, days, dh := ai[:len(row)], days[:len(row)], dh[:len(row)]
		var t, T, w, ra float64
		// Two entries a turn, each sum still in column order (the same
		// bits): in WebAssembly a turn of a Go loop costs more than this
		// arithmetic.
		j := 0
		for ; j+2 <= len(row); j += 2 {
			x, d, h, a := row[j:j+2:j+2], days[j:j+2:j+2], dh[j:j+2:j+2], ai[j:j+2:j+2]
			t = t + x[0] + x[1]
			T = T + x[0]*d[0] + x[1]*d[1]
			w = w + x[0]*h[0] + x[1]*h[1]
			ra = ra + math.Abs(a[0]) + math.Abs(a[1])
		}
		if j < len(row) {
			x := row[j]
			t += x
			T += x * days[j]
			w += x * dh[j]
			ra += math.Abs(ai[j])
		}
		r.Steps[i], r.Days[i] = t, T
		r.DaysIfPurchase[i] = ratio(w, r.B[2*i])
		normA = math.Max(normA, ra)
		normN = math.Max(normN, t) // N >= 0: the row sum is the row's norm
	}
	steps := r.Steps[:m]
	for i, ti := range steps {
		r.StepsVar[i] = max0(dot2(n[i*m:i*m+m], steps) - ti - ti*ti)
	}
	r.Condition = normA * normN
	if normN > illConditionedSteps {
		r.Warnings = append(r.Warnings, fmt.Sprintf("the journey is ill-conditioned: up to %s expected steps (condition number %s); check for states that almost never exit", fmtG(normN), fmtG(r.Condition)))
	}
	r.Reach = make([]float64, m)
	return nil
}

// solveHorizon computes the figures of the first H steps.
func (r *ChainResult) solveHorizon() {
	c := r.chain
	m, H := len(c.States), r.Horizon
	// N_H = Σ_{k<H} Q^k by doubling: S_{a+b} = S_a + Q^a S_b.
	s := make([]float64, m*m)     // S of the bits taken so far
	pw := identity(m)             // Q^(steps taken so far)
	sb, qb := identity(m), c.Q[:] // S_b and Q^b for b = 1, 2, 4, ...
	for h := H; h > 0; h >>= 1 {
		if h&1 == 1 {
			add(s, matMul(pw, m, m, sb, m))
			pw = matMul(pw, m, m, qb, m)
		}
		if h > 1 {
			sb2 := matMul(qb, m, m, sb, m)
			add(sb2, sb)
			sb, qb = sb2, matMul(qb, m, m, qb, m)
		}
	}
	r.N = s
	r.B = matMul(s, m, m, c.R, 2)
	for i := 0; i < m; i++ { // still in the journey after H steps: lost
		left := 0.0
		for j := 0; j < m; j++ {
			left += pw[i*m+j]
		}
		r.B[2*i+1] += left
	}
	r.Days = matMul(s, m, m, c.Days, 1)
	// Vector recursions over the steps left: u_k = Q^k 1 for steps and
	// their second moment; h^(k) and W^(k) for time given purchase:
	// h^(k) = R_P + Q h^(k−1), W^(k) = d∘h^(k) + Q W^(k−1).
	u := make([]float64, m)
	for i := range u {
		u[i] = 1
	}
	t, e2 := make([]float64, m), make([]float64, m)
	h, w := make([]float64, m), make([]float64, m)
	for k := 0; k < H; k++ {
		for i := 0; i < m; i++ {
			t[i] += u[i]
			e2[i] += float64(2*k+1) * u[i]
		}
		u = r.mulQ(u)
		hn, wn := r.mulQ(h), r.mulQ(w)
		for i := 0; i < m; i++ {
			hn[i] += c.R[2*i]
			wn[i] += c.Days[i] * hn[i]
		}
		h, w = hn, wn
	}
	r.Steps, r.StepsVar, r.DaysIfPurchase = t, make([]float64, m), make([]float64, m)
	for i := 0; i < m; i++ {
		r.StepsVar[i] = math.Max(0, e2[i]-t[i]*t[i])
		r.DaysIfPurchase[i] = ratio(w[i], r.B[2*i])
	}
	// Reach within H steps: for each j, follow the entrants with j made
	// absorbing and add up the mass that arrives at j.
	r.Reach = make([]float64, m)
	x := make([]float64, m)
	for j := 0; j < m; j++ {
		copy(x, c.Entry)
		hit := x[j]
		x[j] = 0
		for k := 1; k < H; k++ {
			x = r.mulQT(x)
			hit += x[j]
			x[j] = 0
		}
		r.Reach[j] = hit
	}
}

// mulQ returns Q v.
func (r *ChainResult) mulQ(v []float64) []float64 {
	out := make([]float64, len(v))
	for i, row := range r.rows {
		s := 0.0
		for _, e := range row {
			s += e.q * v[e.j]
		}
		out[i] = s
	}
	return out
}

// mulQT returns x Q (x a row vector).
func (r *ChainResult) mulQT(x []float64) []float64 {
	return r.mulQTTo(make([]float64, len(x)), x)
}

// mulQTTo sets out = x Q and returns it; out and x must not overlap.
func (r *ChainResult) mulQTTo(out, x []float64) []float64 {
	clear(out)
	for i, row := range r.rows {
		if x[i] == 0 {
			continue
		}
		for _, e := range row {
			out[e.j] += x[i] * e.q
		}
	}
	return out
}

// postCheck applies the checks of MATH.md §f and, when they pass, sets
// the rounding residue of zero entries of N (down to −1e-12) to 0.
func (r *ChainResult) postCheck() error {
	m := len(r.States)
	for i, x := range r.N {
		if !(x >= -negTolerance) || math.IsInf(x, 0) {
			return errors.New("journey: numerically unreliable (negative or undefined expected visits)")
		}
		r.N[i] = max0(x) // N itself is not returned when a check fails
	}
	for i := 0; i < m; i++ {
		if s := r.B[2*i] + r.B[2*i+1]; !(math.Abs(s-1) <= sumTolerance) {
			return fmt.Errorf("journey: numerically unreliable (absorption probabilities of %q sum to %s)", r.States[i], num(s))
		}
	}
	return nil
}

// entryFigures computes visits, reach and the entry summary.
func (r *ChainResult) entryFigures() {
	c := r.chain
	m := len(c.States)
	r.Visits = make([]float64, m)
	var h, t, e2, T, w float64
	for i, pi := range c.Entry {
		if pi == 0 {
			continue
		}
		for j := 0; j < m; j++ {
			r.Visits[j] += pi * r.N[i*m+j]
			if r.Horizon == 0 {
				if i == j {
					r.Reach[j] += pi
				} else if njj := r.N[j*m+j]; njj > 0 {
					r.Reach[j] += pi * r.N[i*m+j] / njj
				}
			}
		}
		hi := r.B[2*i]
		h += pi * hi
		t += pi * r.Steps[i]
		e2 += pi * (r.StepsVar[i] + r.Steps[i]*r.Steps[i])
		T += pi * r.Days[i]
		if hi > 0 {
			w += pi * hi * r.DaysIfPurchase[i]
		}
	}
	for j := range r.Reach {
		r.Reach[j] = math.Min(1, r.Reach[j])
	}
	r.Purchase, r.EntrySteps, r.EntryDays = h, t, T
	r.EntryStepsVar = math.Max(0, e2-t*t)
	r.EntryDaysIfPurchase = ratio(w, h)
}

// stepDistribution follows the entrants step by step.
func (r *ChainResult) stepDistribution() {
	c := r.chain
	x := append([]float64{}, c.Entry...)
	y := make([]float64, len(x))
	limit := pmfMaxSteps
	if r.Horizon > 0 {
		limit = r.Horizon
	}
	r.MedianStepsIfPurchase, r.P90StepsIfPurchase = -1, -1
	left := 1.0 // the share still in the journey before step k
	cum := 0.0
	R := c.R[:2*len(x)]
	rows := r.rows[:len(x)] // read through r, it would be reloaded every turn
	k := 1
	for ; k <= limit; k++ {
		// One pass over x: the share still in (Σx, from step 2 on: before
		// step 1 it is 1), the absorbed shares p and l, and y = x Q (the
		// additions in the order of mulQTTo).
		var in, p, l float64
		clear(y)
		for i, xi := range x {
			in += xi
			p += xi * R[2*i]
			l += xi * R[2*i+1]
			if xi == 0 {
				continue
			}
			// Two entries a turn, in order (a journey's rows hold a
			// few): each turn of a loop costs a jump through the
			// function's dispatch in WebAssembly (see axpy).
			row := rows[i]
			for ; len(row) >= 2; row = row[2:] {
				y[row[0].j] += xi * row[0].q
				y[row[1].j] += xi * row[1].q
			}
			if len(row) == 1 {
				y[row[0].j] += xi * row[0].q
			}
		}
		if k > 1 {
			left = in
		}
		if left < pmfTail || left < pmfShown && (r.P90StepsIfPurchase >= 0 || r.Purchase == 0) {
			break
		}
		r.PurchaseAt = append(r.PurchaseAt, p)
		r.LostAt = append(r.LostAt, l)
		x, y = y, x
		cum += p
		if r.Purchase > 0 {
			if r.MedianStepsIfPurchase < 0 && cum >= 0.5*r.Purchase*(1-1e-12) {
				r.MedianStepsIfPurchase = k
			}
			if r.P90StepsIfPurchase < 0 && cum >= 0.9*r.Purchase*(1-1e-12) {
				r.P90StepsIfPurchase = k
			}
		}
	}
	if k > limit { // stopped by the limit: what is left after the last step
		left = 0
		for _, xi := range x {
			left += xi
		}
	}
	r.Remaining = left
}

// purchaseWithin returns the entry's probability of purchase within H
// steps: Σ_{k<H} π Q^k R_P.
func (c *Chain) purchaseWithin(H int) float64 {
	m := len(c.States)
	x := append([]float64{}, c.Entry...)
	y := make([]float64, m)
	p := 0.0
	for k := 0; k < H; k++ {
		for i, xi := range x {
			p += xi * c.R[2*i]
		}
		clear(y)
		for i, xi := range x {
			if xi == 0 {
				continue
			}
			row := c.Q[i*m : (i+1)*m]
			for j, q := range row {
				y[j] += xi * q
			}
		}
		x, y = y, x
	}
	return p
}

// purchaseSteps returns P(purchase at step k), k = 1, 2, ..., for an
// entrant, until less than tail remains in the journey (or the horizon,
// or maxSteps).
func (r *ChainResult) purchaseSteps(tail float64, maxSteps int) []float64 {
	c := r.chain
	if r.Horizon > 0 && r.Horizon < maxSteps {
		maxSteps = r.Horizon
	}
	x := append([]float64{}, c.Entry...)
	y := make([]float64, len(x))
	var out []float64
	for k, left := 1, 1.0; k <= maxSteps && left >= tail; k++ {
		p := 0.0
		for i, xi := range x {
			p += xi * c.R[2*i]
		}
		out = append(out, p)
		x, y = r.mulQTTo(y, x), x
		left = 0
		for _, xi := range x {
			left += xi
		}
	}
	return out
}

// Node indices for moves: transient states 0..m-1, then purchase and lost.
func (r *ChainResult) target(id string) (int, bool) {
	switch id {
	case StatePurchase:
		return len(r.States), true
	case StateLost:
		return len(r.States) + 1, true
	}
	for i, s := range r.States {
		if s == id {
			return i, true
		}
	}
	return 0, false
}

// prob returns the probability of moving from k to target a.
func (c *Chain) prob(k, a int) float64 {
	m := len(c.States)
	if a < m {
		return c.Q[k*m+a]
	}
	return c.R[2*k+a-m]
}

// MoveEffect is the change in purchase probability when Delta of the
// probability at State moves from target From to target To (MATH.md §f,
// sensitivity).
type MoveEffect struct {
	State string  `json:"state"`
	From  string  `json:"from"`
	To    string  `json:"to"`
	Delta float64 `json:"delta"`
	// FirstOrder is π·δ N[:,k] (h_b − h_a); Exact the exact change of the
	// entry's purchase probability; Relative is Exact over the base
	// purchase probability (nil when it is 0).
	FirstOrder float64  `json:"first_order"`
	Exact      float64  `json:"exact"`
	Relative   *float64 `json:"relative"`
}

// Move returns the effect on the entry's purchase probability of moving
// delta (0 <= delta <= the probability from state to from) of the
// probability at state from target from to target to. Without a horizon it
// is exact by Sherman–Morrison:
//
//	Δh = δ N[:,k] (h_b − h_a) / (1 − δ (N_bk − N_ak))
//
// with h = 1 for purchase, 0 for lost and N_{·k} = 0 for absorbing
// targets; with a horizon the chain is solved again.
func (r *ChainResult) Move(state, from, to string, delta float64) (MoveEffect, error) {
	e := MoveEffect{State: state, From: from, To: to, Delta: delta}
	c := r.chain
	m := len(r.States)
	k, ok := r.target(state)
	if !ok || k >= m {
		return e, fmt.Errorf("move: no journey state %q", state)
	}
	a, okA := r.target(from)
	b, okB := r.target(to)
	switch {
	case !okA:
		return e, fmt.Errorf("move: no journey state %q", from)
	case !okB:
		return e, fmt.Errorf("move: no journey state %q", to)
	case math.IsNaN(delta) || delta < 0:
		return e, fmt.Errorf("move: %s is not a probability to move (want >= 0)", num(delta))
	case delta > c.prob(k, a)+rowTolerance:
		return e, fmt.Errorf("move: %s is more than the probability %s from %q to %q", num(delta), num(c.prob(k, a)), state, from)
	}
	if r.Horizon == 0 {
		fo, ex, ok := r.moveExact(k, a, b, delta)
		e.FirstOrder, e.Exact = fo, ex
		if !ok {
			return e, fmt.Errorf("move: moving %s from %q to %q at %q traps the journey", num(delta), from, to, state)
		}
	} else {
		e.FirstOrder, _, _ = r.moveExact(k, a, b, delta)
		if a != b && delta != 0 {
			c2 := *c
			c2.Q = append([]float64{}, c.Q...)
			c2.R = append([]float64{}, c.R...)
			set := func(t int, dv float64) {
				if t < m {
					c2.Q[k*m+t] = math.Max(0, c2.Q[k*m+t]+dv)
				} else {
					c2.R[2*k+t-m] = math.Max(0, c2.R[2*k+t-m]+dv)
				}
			}
			set(a, -delta)
			set(b, delta)
			if err := c2.Check(); err != nil {
				return e, err
			}
			e.Exact = c2.purchaseWithin(r.Horizon) - r.Purchase
		}
	}
	if r.Purchase > 0 {
		e.Relative = F(e.Exact / r.Purchase)
	}
	return e, nil
}

// moveExact returns the first-order and the exact (Sherman–Morrison, no
// horizon) change of the entry's purchase probability when delta moves at
// state k from node a to node b (nodes: states, then purchase, lost); ok
// is false when the move would trap the journey. With a horizon exact is
// the first-order figure.
func (r *ChainResult) moveExact(k, a, b int, delta float64) (firstOrder, exact float64, ok bool) {
	c := r.chain
	m := len(r.States)
	hv := func(i int) float64 { // h of a node
		switch {
		case i < m:
			return r.B[2*i]
		case i == m:
			return 1
		}
		return 0
	}
	nk := func(i int) float64 { // N_{ik}, 0 for absorbing i
		if i < m {
			return r.N[i*m+k]
		}
		return 0
	}
	piN := 0.0 // π·N[:,k]
	for i, p := range c.Entry {
		if p != 0 {
			piN += p * r.N[i*m+k]
		}
	}
	firstOrder = delta * piN * (hv(b) - hv(a))
	if a == b || delta == 0 || r.Horizon > 0 {
		return firstOrder, firstOrder, true
	}
	den := 1 - delta*(nk(b)-nk(a))
	if den <= 0 {
		return firstOrder, 0, false
	}
	return firstOrder, firstOrder / den, true
}

// ratio returns a/b, or NaN when b is 0.
func ratio(a, b float64) float64 {
	if b == 0 {
		return math.NaN()
	}
	return a / b
}

// max0 is math.Max(0, x) without the call, which is not inlined in
// WebAssembly: NaN stays NaN and −0 becomes 0.
func max0(x float64) float64 {
	if x <= 0 {
		return 0
	}
	return x
}

func identity(m int) []float64 {
	id := make([]float64, m*m)
	for i := 0; i < m; i++ {
		id[i*m+i] = 1
	}
	return id
}

func add(dst, x []float64) {
	for i := range dst {
		dst[i] += x[i]
	}
}

// fmtG formats a number for messages with 6 significant digits.
func fmtG(x float64) string { return fmt.Sprintf("%.6g", x) }
