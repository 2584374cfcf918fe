package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/funnelplan/funnelplan/core"
)

const fitDoc = `
funnelplan fit [--by COLUMN] [--prior uniform|jeffreys] [--aggregate UNIT]
               [--cohort] [--plan PLAN] [--plan-out FILE] [--format F] [-o FILE]
               [COUNTS.csv]

Fits step rates to observed counts (MATH.md §k). The counts file is a
wide CSV: a header row, a period column (2026-01-31, 2026-01, 2026-W05,
2026-Q1, 2026 or any label), optional group columns manager, persona,
channel and segment, then one column per stage in funnel order:

    period,manager,visit,lead,mql,proposal,customer
    2026-01,anna,10000,520,210,98,24

Counts are summed over rows (rate = sum of x / sum of n), so days add up
to weeks, months and quarters with --aggregate. Every step gets its
maximum-likelihood rate, the posterior mean and a 90 % credible interval
(uniform prior, or --prior jeffreys).

--by period or --by manager (or any group column) compares the groups:
with two, the probability that the second is better than the first and
the two-proportion z-test ("insufficient data" when the counts are too
small for it); with two or more, the chi-square test of one common rate
and a ranking by posterior mean.

Counts per calendar window may show more at a stage than at the one
before it (people move with a delay): that step is reported as a
throughput ratio without a posterior. With --cohort, where the same
people are followed, it is an error.

--plan PLAN compares a plan with the data (plan versus actual): the count
columns must be the plan's stages in order; every stage whose planned rate
lies outside the data's 90 % credible interval is flagged "below" (the
data convert worse than planned) or "above".

--plan-out FILE writes a plan whose top, rates and rate uncertainty come
from the data (--by persona also gives personas), ready for funnelplan
simulate. Bad cells are all reported as FILE:LINE:COLUMN.
`

func init() {
	register(command{name: "fit", summary: "rates and comparisons from observed counts (CSV)", run: runFit})
}

// fitResult is the JSON output of fit.
type fitResult struct {
	File string `json:"file"`
	*core.FitResult
	PlanOut string             `json:"plan_out,omitempty"`
	Actual  *core.ActualResult `json:"actual,omitempty"`
}

func runFit(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "fit", fitDoc)
	var o outFlags
	o.add(fs)
	by := fs.String("by", "", "compare groups of this `COLUMN`: period, manager, persona, channel or segment")
	prior := fs.String("prior", "uniform", "prior of the rates: uniform or jeffreys")
	agg := fs.String("aggregate", "", "sum counts into `UNIT` periods first: day, week, month, quarter or year")
	cohort := fs.Bool("cohort", false, "the counts follow the same people: a stage above the one before it is an error")
	planOut := fs.String("plan-out", "", "write a plan with the fitted rates and their uncertainty to `FILE`")
	name := fs.String("name", "", "name of the written plan (default: from the file name)")
	planIn := fs.String("plan", "", "compare this `PLAN` with the data: flag stages outside the credible band")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := o.check(); err != nil {
		return err
	}
	if *prior != core.PriorUniform && *prior != core.PriorJeffreys {
		return usagef("--prior %q is not a prior (want uniform or jeffreys)", *prior)
	}
	path, err := oneFile(fs)
	if err != nil {
		return err
	}
	b, file, err := e.readInput(path)
	if err != nil {
		return err
	}
	tab, err := core.ReadCounts(bytes.NewReader(b))
	if err != nil {
		return csvFileError(file, err)
	}
	r, err := core.Fit(tab, core.FitOptions{Prior: *prior, By: *by, Aggregate: *agg, Cohort: *cohort})
	if err != nil {
		return csvFileError(file, err)
	}
	res := fitResult{File: file, FitResult: r}
	var actualTable *table
	if *planIn != "" {
		if *planIn == "-" && path == "-" {
			return usagef("fit: the counts and --plan cannot both be standard input")
		}
		p, pname, err := e.loadPlan(*planIn)
		if err != nil {
			return err
		}
		a, err := core.PlanVsActual(p, r)
		if err != nil {
			return fmt.Errorf("%s against %s: %v", pname, file, err)
		}
		res.Actual = a
		t := table{Title: fmt.Sprintf("Plan %q versus actual (per period, %d periods)", p.Name, a.Periods), Header: []string{"stage", "planned", "observed", "planned rate", "observed rate", "ci low", "ci high", "P(below plan)", "status"}}
		for _, s := range a.Stages {
			t.Rows = append(t.Rows, []string{s.ID, fcount(s.Planned), fcount(s.Observed), fopt(s.PlannedRate, fpct), fopt(s.ObservedRate, fpct), fopt(s.CILow, fpct), fopt(s.CIHigh, fpct), fopt(s.PBelowPlan, fprob), s.Status})
		}
		actualTable = &t
	}
	if *planOut != "" {
		n := *name
		if n == "" {
			n = "Fitted from " + file
		}
		p, warns := core.FitPlan(r, n)
		r.Warnings = append(r.Warnings, warns...)
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(p); err != nil {
			return err
		}
		if _, err := core.DecodeBytes(buf.Bytes()); err != nil {
			return fmt.Errorf("the fitted plan is not valid: %v", err)
		}
		if err := writeFileAtomic(*planOut, buf.Bytes()); err != nil {
			return err
		}
		res.PlanOut = *planOut
	}
	stepHead := []string{"step", "x", "n", "rate", "mean", "ci low", "ci high"}
	stepRows := func(steps []core.StepFit) [][]string {
		var rows [][]string
		for _, s := range steps {
			rate := fopt(s.Rate, fpct)
			if s.Throughput {
				rate += " (throughput)"
			}
			rows = append(rows, []string{s.From + " -> " + s.To, fcount(s.Successes), fcount(s.Trials), rate, fopt(s.Mean, fpct), fopt(s.CILow, fpct), fopt(s.CIHigh, fpct)})
		}
		return rows
	}
	tables := []table{{Title: "Steps (all rows, " + r.Prior + " prior)", Header: stepHead, Rows: stepRows(append(r.Steps, r.Overall))}}
	for _, g := range r.Groups {
		tables = append(tables, table{Title: r.By + " " + g.Key, Header: stepHead, Rows: stepRows(append(g.Steps, g.Overall))})
	}
	if len(r.Comparisons) > 0 {
		c0 := r.Comparisons[0]
		t := table{Title: fmt.Sprintf("%s vs %s", c0.B, c0.A), Header: []string{"step", "P(" + c0.B + " better)", "z", "p", "note"}}
		for _, c := range r.Comparisons {
			t.Rows = append(t.Rows, []string{c.From + " -> " + c.To, fopt(c.PBBetter, fprob), fopt(c.Z, fprob), fopt(c.P, fprob), c.Note})
		}
		tables = append(tables, t)
	}
	if len(r.Tests) > 0 && len(r.Groups) > 2 {
		t := table{Title: "Chi-square test of one common rate, ranking by posterior mean", Header: []string{"step", "chi2", "df", "p", "valid", "ranking"}}
		for _, g := range r.Tests {
			var rank []string
			for _, k := range g.Ranking {
				rank = append(rank, k.Key+" "+fpct(k.Mean))
			}
			t.Rows = append(t.Rows, []string{g.From + " -> " + g.To, fopt(g.Chi2, fprob), fmt.Sprint(g.DF), fopt(g.P, fprob), fmt.Sprint(g.Valid), strings.Join(rank, ", ")})
		}
		tables = append(tables, t)
	}
	if actualTable != nil {
		tables = append(tables, *actualTable)
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

// fprob formats a probability or statistic with 6 decimals.
func fprob(x float64) string { return fmt.Sprintf("%.6f", x) }

// csvFileError names the file before each line:column problem of a CSV
// file ("counts.csv:14:3: ..."), or before any other error.
func csvFileError(name string, err error) error {
	var es core.CSVErrors
	if errors.As(err, &es) {
		lines := make([]string, len(es))
		for i, x := range es {
			lines[i] = name + ":" + x.Error()
		}
		return errors.New(strings.Join(lines, "\n"))
	}
	return fileError(name, err)
}
