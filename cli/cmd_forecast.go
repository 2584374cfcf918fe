package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/funnelplan/funnelplan/core"
)

const forecastDoc = `
funnelplan forecast --periods N [--inflow X[,X,...]] [--model funnel|journey] [--unit U] [--scenario ID] [--format F] [-o FILE] [PLAN]

Forecasts purchases and revenue period by period. The funnel model follows
every stage with its lag (stages[].lag: geometric, gamma or empirical, in
days, weeks or months), per persona, with stage capacities, the buying
group applied to its stage and referrals coming back after their lag;
periods are plan periods, or --unit (day, week, month, quarter, year, or
auto: weeks when the mean time to close is under 3 months, else months),
with volumes scaled to it. The journey model runs the Markov journey step
by step; periods are journey steps.

--inflow is the entrants per period: one number for every period, or a
list whose last value repeats ("1000,0" is a single cohort). The default
is the plan's top (per step in the journey model).

Also reports the time to close (mean, median, P90), the steady state under
the last inflow value and the warm-up: the first period from which a
constant inflow gives 95 % of the steady purchases.
`

func init() {
	register(command{name: "forecast", summary: "time-phased forecast: purchases and revenue per period", run: runForecast})
}

// forecastResult is the JSON output of forecast.
type forecastResult struct {
	Plan     string `json:"plan"`
	Scenario string `json:"scenario,omitempty"`
	*core.ForecastResult
}

func runForecast(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "forecast", forecastDoc)
	var o outFlags
	o.add(fs)
	periods := fs.Int("periods", 12, "number of periods to forecast (`N`, 1..2000)")
	inflow := fs.String("inflow", "", "entrants per period: `X` or X1,X2,... (the last repeats)")
	model := fs.String("model", core.ModelFunnel, "model: funnel or journey")
	unit := fs.String("unit", "", "funnel model: period unit day, week, month, quarter, year or auto (default the plan period)")
	scenario := fs.String("scenario", "", "apply the scenario with this `ID` first")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := o.check(); err != nil {
		return err
	}
	if *periods < 1 || *periods > core.MaxForecastPeriods {
		return usagef("--periods %d: want 1..%d", *periods, core.MaxForecastPeriods)
	}
	if *model != core.ModelFunnel && *model != core.ModelJourney {
		return usagef("--model %q: want funnel or journey", *model)
	}
	var in []float64
	if *inflow != "" {
		for _, s := range strings.Split(*inflow, ",") {
			x, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
			if err != nil || x < 0 || x != x || x > 1e300 {
				return usagef("--inflow %q: %q is not a volume (want a number >= 0)", *inflow, s)
			}
			in = append(in, x)
		}
	}
	q, name, warns, err := e.loadScenarioPlan(fs, *scenario)
	if err != nil {
		return err
	}
	r, err := core.Forecast(q, core.ForecastOptions{Periods: *periods, Inflow: in, Model: *model, Unit: *unit})
	if err != nil {
		return fileError(name, err)
	}
	r.Warnings = append(append([]string{}, warns...), r.Warnings...)
	res := forecastResult{Plan: q.Name, Scenario: *scenario, ForecastResult: r}

	unitName := r.Unit
	header := []string{unitName, "inflow", "purchases", "revenue", "cumulative"}
	hasRef := r.ReferralGain != nil
	if hasRef {
		header = append(header, "referrals", "from referrals")
	}
	if r.Model == core.ModelJourney {
		header = append(header, "in journey")
	}
	per := table{Title: fmt.Sprintf("Forecast (%s model): %s", r.Model, q.Name), Header: header}
	for _, pd := range r.Periods {
		row := []string{fmt.Sprint(pd.Index), fcount(pd.Inflow), fcount(pd.Purchases), fmoney(pd.Revenue), fcount(pd.CumulativePurchases)}
		if hasRef {
			row = append(row, fcount(pd.Referrals), fcount(pd.ReferralPurchases))
		}
		if r.Model == core.ModelJourney {
			row = append(row, fcount(pd.Active))
		}
		per.Rows = append(per.Rows, row)
	}
	tc := r.TimeToClose
	summary := table{Title: "Summary", Header: []string{"metric", "value"}, Rows: [][]string{
		{"purchases", fcount(r.Purchases)},
		{"revenue", fmoney(r.Revenue)},
		{fmt.Sprintf("time to close, mean (%ss)", unitName), fdec(tc.Mean)},
		{"time to close, mean (days)", fdec(tc.DaysMean)},
		{fmt.Sprintf("time to close, median (%ss)", unitName), fmt.Sprint(tc.Median)},
		{fmt.Sprintf("time to close, P90 (%ss)", unitName), fmt.Sprint(tc.P90)},
		{fmt.Sprintf("warm-up to 95 %% (%ss)", unitName), fmt.Sprint(r.WarmUp)},
	}}
	if s := r.SteadyState; s != nil {
		summary.Rows = append(summary.Rows,
			[]string{"steady purchases per " + unitName, fcount(s.Purchases)},
			[]string{"steady revenue per " + unitName, fmoney(s.Revenue)})
	} else {
		summary.Rows = append(summary.Rows, []string{"steady state", "none"})
	}
	if r.ReferralGain != nil {
		summary.Rows = append(summary.Rows, []string{"referral loop gain", fratio(*r.ReferralGain)})
	}
	if g := r.BuyingGroup; g != nil {
		summary.Rows = append(summary.Rows, []string{"buying group consensus", fpct(g.Consensus)},
			[]string{"close rate with the group (" + g.Stage + ")", fpct(g.Effective)})
	}
	return e.emit(&o, res, append([]table{per, summary}, warningTable(r.Warnings)...)...)
}
