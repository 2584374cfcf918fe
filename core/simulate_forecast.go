package core

import (
	"context"
	"fmt"
	"math"
)

// ForecastBand is one period of a forecast under uncertainty.
type ForecastBand struct {
	Index               int     `json:"index"`
	Purchases           Summary `json:"purchases"`
	Revenue             Summary `json:"revenue"`
	CumulativePurchases Summary `json:"cumulative_purchases"`
}

// ForecastBands is the result of SimulateForecast: per period bands and
// the totals over the forecast.
type ForecastBands struct {
	Trials     int            `json:"trials"`
	Seed       uint64         `json:"seed"`
	Antithetic bool           `json:"antithetic"`
	Scenario   string         `json:"scenario,omitempty"`
	Model      string         `json:"model"`
	PeriodDays float64        `json:"period_days"`
	Inputs     []SimInput     `json:"inputs"`
	Periods    []ForecastBand `json:"periods"`
	// Purchases and Revenue are the totals over all periods.
	Purchases Summary  `json:"purchases"`
	Revenue   Summary  `json:"revenue"`
	Warnings  []string `json:"warnings"`
}

// SimulateForecast is the Monte Carlo of MATH.md §j on the time-phased
// forecast of §g: each trial draws every uncertain input from its own
// stream (the same streams as Simulate, so a forecast and a funnel
// simulation with one seed share their draws), applies the scenario if
// any, and runs Forecast. It reports mean ± SE and P10/P50/P90 of the
// purchases, revenue and cumulative purchases of every period, and of the
// totals. Memory is 8 bytes per trial for each of 3·periods + 2 outputs.
func SimulateForecast(ctx context.Context, p *Plan, opt SimOptions, fo ForecastOptions) (*ForecastBands, error) {
	n := opt.Trials
	if n == 0 {
		n = DefaultTrials
	}
	if n < 1 || n > MaxTrials {
		return nil, fmt.Errorf("trials: %d is out of range (want 1..%d)", opt.Trials, MaxTrials)
	}
	res := &ForecastBands{Seed: opt.Seed, Antithetic: opt.Antithetic, Scenario: opt.Scenario, Warnings: []string{}}
	if opt.Antithetic && n%2 == 1 {
		n++
		res.Warnings = append(res.Warnings, fmt.Sprintf("antithetic pairs need an even number of trials: ran %d", n))
	}
	res.Trials = n
	point, warns, err := p.WithScenario(opt.Scenario)
	if err != nil {
		return nil, err
	}
	res.Warnings = append(res.Warnings, warns...)
	pf, err := Forecast(point, fo)
	if err != nil {
		return nil, err
	}
	res.Model, res.PeriodDays = pf.Model, pf.PeriodDays
	T := len(pf.Periods)
	if int64(n)*int64(3*T+2) > 2*MaxTrials {
		return nil, fmt.Errorf("trials: %d trials of %d periods keep too many outputs (want trials x periods <= %d)", n, T, 2*MaxTrials/3)
	}
	ins, infos, err := compileInputs(p, opt)
	if err != nil {
		return nil, err
	}
	res.Inputs = infos
	var chain []int
	if opt.Scenario != "" {
		if chain, err = p.scenarioChain(opt.Scenario); err != nil {
			return nil, err
		}
	}
	// Row: purchases[0..T), revenue[0..T), cumulative[0..T), totals.
	model := func(q *Plan, row []float64) error {
		f, err := Forecast(q, fo)
		if err != nil {
			return err
		}
		if len(f.Periods) != T {
			return fmt.Errorf("forecast gave %d periods, want %d", len(f.Periods), T)
		}
		for t, per := range f.Periods {
			row[t], row[T+t], row[2*T+t] = per.Purchases, per.Revenue, per.CumulativePurchases
		}
		row[3*T], row[3*T+1] = f.Purchases, f.Revenue
		return nil
	}
	out := make([][]float64, 3*T+2)
	for i := range out {
		out[i] = make([]float64, n)
	}
	eval := func() trialEvaluator {
		g := newGeneralEval(p, chain, model)
		g.fresh = true
		return g
	}
	warnings, err := runTrials(ctx, n, opt, ins, eval, out)
	if err != nil {
		return nil, err
	}
	res.Warnings = append(res.Warnings, warnings...)
	pairs := opt.Antithetic
	res.Periods = make([]ForecastBand, T)
	for t := range T {
		res.Periods[t] = ForecastBand{
			Index:               pf.Periods[t].Index,
			Purchases:           summarize(out[t], pairs),
			Revenue:             summarize(out[T+t], pairs),
			CumulativePurchases: summarize(out[2*T+t], pairs),
		}
	}
	res.Purchases = summarize(out[3*T], pairs)
	res.Revenue = summarize(out[3*T+1], pairs)
	if math.IsNaN(res.Revenue.Mean) {
		return nil, fmt.Errorf("forecast revenue is not a number")
	}
	return res, nil
}
