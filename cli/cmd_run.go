package main

import (
	"context"

	"github.com/funnelplan/funnelplan/core"
)

const runDoc = `
funnelplan run [--scenario ID] [--format F] [-o FILE] [PLAN]

Computes the forward funnel of a plan (or of one of its scenarios): the
expected count at every stage, step and cumulative rates, drop-offs,
customers, revenue, overall conversion and "1 in N".
`

func init() {
	register(command{name: "run", summary: "forward funnel and economics of a plan", run: runRun})
}

// runResult is the JSON output of run.
type runResult struct {
	Plan     string `json:"plan"`
	Scenario string `json:"scenario,omitempty"`
	*core.ForwardResult
}

func runRun(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "run", runDoc)
	var o outFlags
	o.add(fs)
	scenario := fs.String("scenario", "", "apply the scenario with this `ID` first")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := o.check(); err != nil {
		return err
	}
	path, err := oneFile(fs)
	if err != nil {
		return err
	}
	p, name, err := e.loadPlan(path)
	if err != nil {
		return err
	}
	q, warns, err := p.WithScenario(*scenario)
	if err != nil {
		return fileError(name, err)
	}
	r, err := core.Forward(q)
	if err != nil {
		return fileError(name, err)
	}
	r.Warnings = append(warns, r.Warnings...)
	res := runResult{Plan: p.Name, Scenario: *scenario, ForwardResult: r}
	stages := table{Title: "Funnel: " + p.Name, Header: []string{"stage", "count", "rate", "cumulative", "drop-off"}}
	for _, s := range r.Stages {
		stages.Rows = append(stages.Rows, []string{s.Name, fcount(s.Count), fopt(s.Rate, fpct), fpct(s.Cumulative), fcount(s.Dropoff)})
	}
	summary := table{Title: "Summary", Header: []string{"metric", "value"}, Rows: [][]string{
		{"customers", fcount(r.Customers)},
		{"revenue", fmoney(r.Revenue)},
		{"conversion", fpct(r.Conversion)},
		{"one in", fonein(r.OneIn)},
	}}
	for _, w := range r.Warnings {
		summary.Rows = append(summary.Rows, []string{"warning", w})
	}
	return e.emit(&o, res, stages, summary)
}
