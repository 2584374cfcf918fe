package main

import (
	"context"
	"strings"

	"github.com/funnelplan/funnelplan/core"
)

const compareDoc = `
funnelplan compare [--format F] [-o FILE] [PLAN]

Computes the baseline and every scenario of a plan side by side: customers,
revenue, gross and net profit, and each scenario's change against the
baseline, absolute and relative. Scenario changes apply in order, on top
of the scenario's base when it has one. A scenario that cannot be applied
(a rate pushed above 1 without "clamp": true) shows its error in its row
and the others still compute; clamped values are listed as warnings.

JSON fields: plan, stages[] (stage ids), scenarios[] {id, name, base,
baseline, counts[], customers, revenue, conversion, one_in, gross_profit,
net_profit, delta_customers, delta_revenue, rel_customers, rel_revenue,
assumptions[], warnings[], error, path}; the baseline is the first row
(id "baseline"). Relative changes are fractions (0.5 = +50 %), null when
the baseline is 0.
`

func init() {
	register(command{name: "compare", summary: "baseline and every scenario side by side", run: runCompare})
}

func runCompare(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "compare", compareDoc)
	var o outFlags
	o.add(fs)
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
	r, err := core.Compare(p)
	if err != nil {
		return fileError(name, err)
	}
	return e.emit(&o, r, compareTables(r)...)
}

// compareTables lays out a comparison: one row per scenario, the counts
// per stage, and the notes.
func compareTables(r *core.CompareResult) []table {
	money := func(x *float64) string { return fopt(x, fmoney) }
	main := table{Title: "Scenarios: " + r.Plan, Header: []string{"scenario", "customers", "revenue", "change", "change %", "gross profit", "net profit"}}
	stages := table{Title: "Count per stage", Header: append([]string{"scenario"}, r.Stages...)}
	notes := table{Title: "Notes", Header: []string{"scenario", "note"}}
	for _, s := range r.Scenarios {
		if s.Error != "" {
			main.Rows = append(main.Rows, []string{s.Name, "n/a", "n/a", "n/a", "n/a", "n/a", "n/a"})
			msg := s.Error
			if s.Path != "" {
				msg = s.Path + ": " + msg
			}
			notes.Rows = append(notes.Rows, []string{s.Name, "error: " + msg})
			continue
		}
		main.Rows = append(main.Rows, []string{s.Name, fcount(*s.Customers), money(s.Revenue),
			fopt(s.DeltaRevenue, signed(fmoney)), fopt(s.RelRevenue, signed(fpct)), money(s.GrossProfit), money(s.NetProfit)})
		row := []string{s.Name}
		for _, c := range s.Counts {
			row = append(row, fcount(c))
		}
		stages.Rows = append(stages.Rows, row)
		for _, a := range s.Assumptions {
			notes.Rows = append(notes.Rows, []string{s.Name, "assumption: " + a})
		}
		for _, w := range s.Warnings {
			notes.Rows = append(notes.Rows, []string{s.Name, "warning: " + w})
		}
	}
	tables := []table{main, stages}
	if len(notes.Rows) > 0 {
		tables = append(tables, notes)
	}
	return tables
}

// signed wraps a formatter so that positive numbers get a "+".
func signed(f func(float64) string) func(float64) string {
	return func(x float64) string {
		s := f(x)
		if x > 0 && !strings.HasPrefix(s, "+") {
			return "+" + s
		}
		return s
	}
}
