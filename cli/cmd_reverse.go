package main

import (
	"context"
	"fmt"

	"github.com/funnelplan/funnelplan/core"
)

const reverseDoc = `
funnelplan reverse (--revenue X | --customers N | --profit X) [--integer]
                   [--scenario ID] [--cpm X | --cpc X | --cpl X | --cpa X]
                   [--at STAGE] [--format F] [-o FILE] [PLAN]

Works the funnel backwards from a goal per plan period: the volume each
stage needs, the top volume, the budget that buys it and the rate uplift
that would reach the same goal at today's traffic (water-filling: every
rate stretched by one factor, rates that would pass 100 % held there).

Goals: --customers N, --revenue X (divided by the average order value) or
--profit X, a net profit: gross profit (margin needed) after media spend.

The budget is priced by, in order: a cost flag (--cpm per 1000 units of
the top, --cpc per click, --cpl per lead, --cpa per customer; --at names
the priced stage when the default is not the right one), else the plan's
first channel with a volume or price (through its response curve, an
assumption), else the plan's spend, which buys the top.

--integer rounds every required count up to whole persons.

A goal that cannot be reached (a zero rate, a capacity, a saturated
response curve, customers that cost more than they earn) fails with exit
status 1 and a message naming the stage.

JSON fields: plan, scenario, goal, target, integer, customers, revenue,
stages[] {id, name, required, current, rate, capacity}, top, top_factor,
budget, budget_basis, cost_per_customer, gross_profit, net_profit,
uplift {factor, phi, stages[] {id, current, required}, infeasible},
assumptions[], warnings[].
`

func init() {
	register(command{name: "reverse", summary: "goal -> required volumes, budget and uplift", run: runReverse})
}

// reverseResult is the JSON output of reverse.
type reverseResult struct {
	Plan     string `json:"plan"`
	Scenario string `json:"scenario,omitempty"`
	*core.ReverseResult
}

func runReverse(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "reverse", reverseDoc)
	var o outFlags
	o.add(fs)
	scenario := fs.String("scenario", "", "apply the scenario with this `ID` first")
	revenue := fs.Float64("revenue", 0, "revenue goal per period (money)")
	customers := fs.Float64("customers", 0, "customers goal per period")
	profit := fs.Float64("profit", 0, "net-profit goal per period: gross profit after media spend (money)")
	integer := fs.Bool("integer", false, "round every required count up to whole persons")
	prices := map[string]*float64{
		"cpm": fs.Float64("cpm", 0, "price per 1000 units of the top (money)"),
		"cpc": fs.Float64("cpc", 0, "price per click (money)"),
		"cpl": fs.Float64("cpl", 0, "price per lead (money)"),
		"cpa": fs.Float64("cpa", 0, "price per customer (money)"),
	}
	at := fs.String("at", "", "the `STAGE` id the cost flag prices")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := o.check(); err != nil {
		return err
	}
	var g core.Goal
	g.Integer = *integer
	goals := 0
	for _, x := range []struct {
		flag string
		v    *float64
		dst  **float64
	}{{"revenue", revenue, &g.Revenue}, {"customers", customers, &g.Customers}, {"profit", profit, &g.Profit}} {
		if fs.Changed(x.flag) {
			goals++
			*x.dst = x.v
		}
	}
	if goals != 1 {
		return usagef("reverse: want exactly one goal: --revenue, --customers or --profit")
	}
	for _, k := range []string{"cpm", "cpc", "cpl", "cpa"} {
		if !fs.Changed(k) {
			continue
		}
		if g.Anchor != nil {
			return usagef("reverse: want at most one of --cpm, --cpc, --cpl, --cpa")
		}
		g.Anchor = &core.CostAnchor{Pricing: k, Price: *prices[k], Stage: *at}
	}
	if *at != "" && g.Anchor == nil {
		return usagef("reverse: --at needs a cost flag (--cpm, --cpc, --cpl or --cpa)")
	}
	q, name, warns, err := e.loadScenarioPlan(fs, *scenario)
	if err != nil {
		return err
	}
	r, err := core.Reverse(q, g)
	if err != nil {
		// An *core.InfeasibleError names the stage: exit status 1.
		return fileError(name, err)
	}
	r.Warnings = append(append([]string{}, warns...), r.Warnings...)
	res := reverseResult{Plan: q.Name, Scenario: *scenario, ReverseResult: r}

	title := fmt.Sprintf("Reverse funnel: %s for %s %s", q.Name, r.Goal, fgoal(r.Goal, r.Target))
	if *scenario != "" {
		title += " (scenario " + *scenario + ")"
	}
	stages := table{Title: title, Header: []string{"stage", "required", "now", "rate", "capacity"}}
	for _, s := range r.Stages {
		stages.Rows = append(stages.Rows, []string{s.Name, fcount(s.Required), fcount(s.Current), fopt(s.Rate, fpct), fopt(s.Capacity, fcount)})
	}
	money := func(x *float64) string { return fopt(x, fmoney) }
	summary := table{Title: "Summary", Header: []string{"metric", "value"}, Rows: [][]string{
		{"customers", fcount(r.Customers)},
		{"revenue", fmoney(r.Revenue)},
		{"top", fcount(r.Top)},
		{"top vs now", fopt(r.TopFactor, ftimes)},
		{"budget", money(r.Budget)},
	}}
	if r.BudgetBasis != "" {
		summary.Rows = append(summary.Rows, []string{"budget basis", r.BudgetBasis})
	}
	summary.Rows = append(summary.Rows,
		[]string{"cost per customer", money(r.CostPerCustomer)},
		[]string{"gross profit", money(r.GrossProfit)},
		[]string{"net profit", money(r.NetProfit)},
	)
	for _, a := range r.Assumptions {
		summary.Rows = append(summary.Rows, []string{"assumption", a})
	}
	for _, w := range r.Warnings {
		summary.Rows = append(summary.Rows, []string{"warning", w})
	}
	tables := []table{stages, summary}
	if u := r.Uplift; u != nil {
		t := table{Title: fmt.Sprintf("Or at today's traffic: rates x%s in total", fratio(u.Factor)), Header: []string{"step to", "rate now", "rate needed"}}
		if u.Infeasible != "" {
			t.Rows = append(t.Rows, []string{"infeasible", u.Infeasible, ""})
		}
		for _, s := range u.Stages {
			t.Rows = append(t.Rows, []string{s.ID, fpct(s.Current), fpct(s.Required)})
		}
		tables = append(tables, t)
	}
	return e.emit(&o, res, tables...)
}

// fgoal formats a goal's target: money for revenue and profit, a count
// for customers.
func fgoal(kind string, x float64) string {
	if kind == "customers" {
		return fcount(x)
	}
	return fmoney(x)
}

// ftimes formats a multiplier: "x1.265".
func ftimes(x float64) string { return "x" + fratio(x) }
