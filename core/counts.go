package core

import (
	"fmt"
	"math"
)

// CountMode says how observed stage counts were collected (MATH.md §a, k.4).
type CountMode int

const (
	// Cohort counts track the same people through the stages, so a count
	// can never exceed the one before it.
	Cohort CountMode = iota
	// Period counts are events counted in one calendar window; because of
	// lags a stage may count more than the stage before it.
	Period
)

func (m CountMode) String() string {
	if m == Period {
		return "period"
	}
	return "cohort"
}

// StepRate is the rate of one step i (stage i-1 -> stage i) estimated
// from observed counts.
type StepRate struct {
	// Rate is p̂_i = n_i / n_{i-1}, nil when undefined (n_{i-1} = 0).
	Rate *float64 `json:"rate"`
	// Throughput is true when Rate exceeds 1 (period counts only): it is
	// then a throughput ratio caused by lags, not a probability.
	Throughput bool `json:"throughput,omitempty"`
}

// CountRates is the result of RatesFromCounts.
type CountRates struct {
	// Steps has one entry per step: len(counts) - 1.
	Steps    []StepRate `json:"steps"`
	Warnings []string   `json:"warnings"`
}

// RatesFromCounts estimates step rates from observed whole counts
// n_0..n_n (MATH.md §a, k.4):
//
//	p̂_i = n_i / n_{i-1}
//
// Rules: n_{i-1} = n_i = 0 gives an undefined rate and a warning. n_i >
// n_{i-1} is an error for cohort counts and, for period counts, a warning
// with the ratio returned as a throughput ratio (it may exceed 1).
// n_{i-1} = 0 < n_i is an error for cohort counts and an undefined rate
// with a warning for period counts. Counts that are negative, fractional
// or not finite are errors, as are fewer than two counts. Errors name the
// offending count as counts[i].
func RatesFromCounts(counts []float64, mode CountMode) (*CountRates, error) {
	if len(counts) < 2 {
		return nil, fmt.Errorf("counts: %d counts (want at least 2: the top and one more stage)", len(counts))
	}
	for i, n := range counts {
		switch {
		case math.IsNaN(n) || math.IsInf(n, 0):
			return nil, fmt.Errorf("counts[%d]: %s is not a finite number", i, num(n))
		case n < 0:
			return nil, fmt.Errorf("counts[%d]: %s is negative (want a whole count >= 0)", i, num(n))
		case n != math.Trunc(n):
			return nil, fmt.Errorf("counts[%d]: %s is not a whole count", i, num(n))
		}
	}
	r := &CountRates{Steps: make([]StepRate, len(counts)-1), Warnings: []string{}}
	for i := 1; i < len(counts); i++ {
		prev, cur := counts[i-1], counts[i]
		st := &r.Steps[i-1]
		switch {
		case prev == 0 && cur == 0:
			r.Warnings = append(r.Warnings, fmt.Sprintf("step %d: no data (0 of 0), rate undefined", i))
		case prev == 0:
			if mode == Cohort {
				return nil, fmt.Errorf("counts[%d]: %s after a stage of 0 is impossible for a cohort", i, num(cur))
			}
			r.Warnings = append(r.Warnings, fmt.Sprintf("step %d: %s after a stage of 0 in period counts (lags); rate undefined", i, num(cur)))
		case cur > prev:
			if mode == Cohort {
				return nil, fmt.Errorf("counts[%d]: %s exceeds the previous stage's %s, impossible for a cohort", i, num(cur), num(prev))
			}
			st.Rate = F(cur / prev)
			st.Throughput = true
			r.Warnings = append(r.Warnings, fmt.Sprintf("step %d: %s exceeds the previous stage's %s; %.6g is a throughput ratio caused by lags, not a rate (use a longer window or cohort counts)", i, num(cur), num(prev), cur/prev))
		default:
			st.Rate = F(cur / prev)
		}
	}
	return r, nil
}
