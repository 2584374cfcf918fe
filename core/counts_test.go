package core

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

func TestRatesFromCounts(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name, source string
		counts       []float64
		mode         CountMode
		rates        []float64 // NaN: undefined
		throughput   []bool
		warnings     int
		err          string
	}{
		{name: "oracle", source: "MATH.md §a: counts [10000, 500, 200, 100, 25]",
			counts: []float64{10000, 500, 200, 100, 25}, mode: Cohort,
			rates: []float64{0.05, 0.4, 0.5, 0.25}},
		{name: "period non-monotone", source: "MATH.md §a: period counts [1000, 40, 12, 14]",
			counts: []float64{1000, 40, 12, 14}, mode: Period,
			rates: []float64{0.04, 0.3, 14.0 / 12}, throughput: []bool{false, false, true}, warnings: 1},
		{name: "cohort non-monotone", source: "MATH.md §a: the same counts in cohort mode are invalid",
			counts: []float64{1000, 40, 12, 14}, mode: Cohort, err: "counts[3]: 14 exceeds"},
		{name: "zero of zero", source: "MATH.md §a: n_{i-1} = n_i = 0 -> undefined, warning",
			counts: []float64{100, 0, 0}, mode: Cohort,
			rates: []float64{0, nan}, warnings: 1},
		{name: "period from zero", source: "MATH.md §a: 0 < n_i after 0, period -> warning, undefined",
			counts: []float64{100, 0, 3}, mode: Period,
			rates: []float64{0, nan}, warnings: 1},
		{name: "cohort from zero", source: "MATH.md §a: 0 < n_i after 0, cohort -> invalid",
			counts: []float64{100, 0, 3}, mode: Cohort, err: "counts[2]"},
		{name: "fractional", source: "MATH.md §a: non-integer counts are invalid",
			counts: []float64{100, 2.5}, err: "counts[1]: 2.5 is not a whole count"},
		{name: "negative", source: "MATH.md §a: negative counts are invalid",
			counts: []float64{-1, 0}, err: "counts[0]: -1 is negative"},
		{name: "nan", source: "MATH.md §0: NaN is invalid",
			counts: []float64{100, nan}, err: "counts[1]: NaN is not a finite number"},
		{name: "one count", source: "MATH.md §0: empty rate list is invalid",
			counts: []float64{100}, err: "counts: 1 counts"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := RatesFromCounts(tc.counts, tc.mode)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("%s: err = %v, want %q", tc.source, err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("%s: %v", tc.source, err)
			}
			if len(r.Steps) != len(tc.rates) {
				t.Fatalf("%s: %d steps, want %d", tc.source, len(r.Steps), len(tc.rates))
			}
			for i, want := range tc.rates {
				got := r.Steps[i].Rate
				if math.IsNaN(want) {
					if got != nil {
						t.Errorf("%s: step %d = %v, want undefined", tc.source, i+1, *got)
					}
					continue
				}
				checkNearPtr(t, tc.source, got, want)
				if tc.throughput != nil && r.Steps[i].Throughput != tc.throughput[i] {
					t.Errorf("%s: step %d throughput = %v", tc.source, i+1, r.Steps[i].Throughput)
				}
			}
			if len(r.Warnings) != tc.warnings {
				t.Errorf("%s: warnings %q, want %d", tc.source, r.Warnings, tc.warnings)
			}
		})
	}
}

func ExampleRatesFromCounts() {
	r, err := RatesFromCounts([]float64{1000, 40, 12, 14}, Period)
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, s := range r.Steps {
		fmt.Printf("step %d: %.5f throughput=%v\n", i+1, *s.Rate, s.Throughput)
	}
	fmt.Println(len(r.Warnings), "warning")
	_, err = RatesFromCounts([]float64{1000, 40, 12, 14}, Cohort)
	fmt.Println(err)
	// Output:
	// step 1: 0.04000 throughput=false
	// step 2: 0.30000 throughput=false
	// step 3: 1.16667 throughput=true
	// 1 warning
	// counts[3]: 14 exceeds the previous stage's 12, impossible for a cohort
}
