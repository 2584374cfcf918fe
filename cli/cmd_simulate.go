package main

import (
	"context"
	"strconv"

	"github.com/funnelplan/funnelplan/core"
)

const simulateDoc = `
funnelplan simulate [--trials N] [--seed S] [--goal X] [--goal-customers N]
                    [--antithetic] [--scenario ID | --compare] [--periods N [--model M]]
                    [--format F] [-o FILE] [PLAN]

Monte Carlo of a plan (MATH.md §j): every input listed in the plan's
"uncertainty" section is drawn from its distribution in every trial and
the funnel is recomputed. Reports mean ± standard error, P10, P50 and P90
of revenue, customers and every stage count, and with --goal the
probability of reaching that revenue.

The same seed gives the same result on every machine and in the browser.
Each input has its own random stream, so adding an input leaves the others'
draws as they were, and runs of two scenarios with one seed share their
draws (common random numbers): their difference is far less noisy than
either result: --compare simulates every scenario of the plan that way and
reports each one's revenue, its difference from the baseline (with the
paired standard error) and the share of trials in which it beats the
baseline. --antithetic pairs every draw u with 1-u, which narrows the
mean's standard error for the same number of trials.

--periods N adds bands to the time-phased forecast (funnelplan forecast):
P10, P50 and P90 of the purchases and revenue of every period, from the
same draws.
`

func init() {
	register(command{name: "simulate", summary: "Monte Carlo ranges of revenue, customers and stage counts", run: runSimulate})
}

// simulateResult is the JSON output of simulate.
type simulateResult struct {
	Plan string `json:"plan"`
	*core.SimResult
	Forecast *core.ForecastBands `json:"forecast,omitempty"`
	// Compare is the scenarios over the same draws (--compare).
	Compare []core.ScenarioDraws `json:"compare,omitempty"`
}

func runSimulate(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "simulate", simulateDoc)
	var o outFlags
	o.add(fs)
	trials := fs.Int("trials", core.DefaultTrials, "number of `N` trials")
	seed := fs.Uint64("seed", 1, "random `SEED`; the same seed gives the same result")
	goal := fs.Float64("goal", 0, "revenue goal `X` (money per period): report P(revenue >= X)")
	goalC := fs.Float64("goal-customers", 0, "customers goal `N` per period: report P(customers >= N)")
	anti := fs.Bool("antithetic", false, "antithetic pairs (u, 1-u): smaller standard error of the mean")
	scenario := fs.String("scenario", "", "simulate the scenario with this `ID` (its changes apply to the drawn values)")
	workers := fs.Int("workers", 0, "goroutines to use (0: every core); the result does not depend on it")
	compare := fs.Bool("compare", false, "also simulate every scenario over the same draws and compare it with the baseline")
	periods := fs.Int("periods", 0, "also give bands of a forecast of `N` periods")
	model := fs.String("model", "funnel", "forecast model with --periods: funnel or journey")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := o.check(); err != nil {
		return err
	}
	if *compare && *scenario != "" {
		return usagef("simulate: --compare and --scenario exclude each other")
	}
	if *trials < 1 || *trials > core.MaxTrials {
		return usagef("--trials %d is out of range (want 1..%d)", *trials, core.MaxTrials)
	}
	path, err := oneFile(fs)
	if err != nil {
		return err
	}
	p, name, err := e.loadPlan(path)
	if err != nil {
		return err
	}
	opt := core.SimOptions{Trials: *trials, Seed: *seed, Antithetic: *anti, Scenario: *scenario, Workers: *workers}
	total := int64(*trials)
	if *compare {
		total *= int64(1 + len(p.Scenarios))
	}
	if *periods > 0 {
		total += int64(*trials)
	}
	bar := e.progress("simulate", total)
	defer bar.Done()
	opt.Progress = func(n int) { bar.Add(int64(n)) }
	if fs.Changed("goal") {
		opt.Goal = goal
	}
	if fs.Changed("goal-customers") {
		opt.CustomersGoal = goalC
	}
	r, err := core.Simulate(ctx, p, opt)
	if err != nil {
		return fileError(name, err)
	}
	res := simulateResult{Plan: p.Name, SimResult: r}
	var cmpTable *table
	if *compare {
		c, err := core.SimulateScenarios(ctx, p, nil, opt)
		if err != nil {
			return fileError(name, err)
		}
		res.Compare = c.Scenarios
		ct := table{Title: "Scenarios over the same draws", Header: []string{"scenario", "revenue mean", "p10", "p90", "difference", "± se", "P(better)"}}
		for _, s := range c.Scenarios {
			ct.Rows = append(ct.Rows, []string{s.Name, fmoney(s.Revenue.Mean), fmoney(s.Revenue.P10), fmoney(s.Revenue.P90), fmoney(s.RevenueDiff.Mean), fmoney(s.RevenueDiff.SE), fpct(s.PBetter)})
		}
		cmpTable = &ct
	}
	var bandTable *table
	if *periods != 0 {
		if *periods < 1 || *periods > core.MaxForecastPeriods {
			return usagef("--periods %d is out of range (want 1..%d)", *periods, core.MaxForecastPeriods)
		}
		fb, err := core.SimulateForecast(ctx, p, opt, core.ForecastOptions{Periods: *periods, Model: *model})
		if err != nil {
			return fileError(name, err)
		}
		res.Forecast = fb
		bt := table{Title: "Forecast bands (" + fb.Model + ")", Header: []string{"period", "purchases p10", "p50", "p90", "revenue p10", "p50", "p90"}}
		for _, b := range fb.Periods {
			bt.Rows = append(bt.Rows, []string{strconv.Itoa(b.Index), fcount(b.Purchases.P10), fcount(b.Purchases.P50), fcount(b.Purchases.P90), fmoney(b.Revenue.P10), fmoney(b.Revenue.P50), fmoney(b.Revenue.P90)})
		}
		bandTable = &bt
	}
	head := []string{"output", "mean", "± se", "p10", "p50", "p90"}
	sum := table{Title: "Monte Carlo: " + p.Name + " (" + strconv.Itoa(r.Trials) + " trials, seed " + strconv.FormatUint(r.Seed, 10) + ")", Header: head}
	row := func(label string, s core.Summary, f func(float64) string) []string {
		return []string{label, f(s.Mean), f(s.SE), f(s.P10), f(s.P50), f(s.P90)}
	}
	sum.Rows = append(sum.Rows, row("revenue", r.Revenue, fmoney), row("customers", r.Customers, fcount))
	if r.PGoal != nil {
		sum.Rows = append(sum.Rows, []string{"P(revenue >= " + fmoney(*r.Goal) + ")", fpct(*r.PGoal), fpct(*r.PGoalSE), "", "", ""})
	}
	if r.PCustomersGoal != nil {
		sum.Rows = append(sum.Rows, []string{"P(customers >= " + fcount(*r.CustomersGoal) + ")", fpct(*r.PCustomersGoal), "", "", "", ""})
	}
	stages := table{Title: "Stage counts", Header: append([]string{"stage"}, head[1:]...)}
	for _, s := range r.Stages {
		stages.Rows = append(stages.Rows, row(s.Name, s.Summary, fcount))
	}
	inputs := table{Title: "Uncertain inputs", Header: []string{"target", "distribution", "plan value", "mean", "p10", "p90"}}
	for _, in := range r.Inputs {
		inputs.Rows = append(inputs.Rows, []string{in.Target, in.Kind, fopt(in.Point, fnum), fnum(in.Mean), fnum(in.P10), fnum(in.P90)})
	}
	tables := []table{sum, stages, inputs}
	if cmpTable != nil {
		tables = append(tables, *cmpTable)
	}
	if bandTable != nil {
		tables = append(tables, *bandTable)
	}
	if len(r.Warnings) > 0 {
		w := table{Title: "Warnings", Header: []string{"warning"}}
		for _, s := range r.Warnings {
			w.Rows = append(w.Rows, []string{s})
		}
		tables = append(tables, w)
	}
	return e.emit(&o, res, tables...)
}

// fnum formats a plain number with up to 6 significant digits.
func fnum(x float64) string { return strconv.FormatFloat(x, 'g', 6, 64) }
