package main

import (
	"context"
	"strconv"

	"github.com/funnelplan/funnelplan/core"
)

const runDoc = `
funnelplan run [--scenario ID] [--format F] [-o FILE] [PLAN]

Computes the forward funnel of a plan (or of one of its scenarios): the
expected count at every stage, step and cumulative rates, drop-offs,
customers, revenue, overall conversion and "1 in N", then the economics:
CPM (cost) and RPM (revenue) per 1000 impressions, CTR, CPC, CPL, CPA,
CAC (media and loaded), AOV, gross profit, ROAS, ROI on gross profit,
break-even ROAS, the value of one more person at each stage, lifetime
value and payback (plan section "retention"), the value ladder ("ladder")
and the channels ranked by cost per sale ("channels"). A metric that is
undefined (no spend, no margin, a zero denominator) is null in JSON and
n/a in tables.

A channel whose budget a scenario changes moves the volume at its entry
stage along its spend -> volume response curve (linear unless the plan
says otherwise); the curve is an assumption and listed as one.

JSON fields: plan, scenario, stages[] {id, name, count, rate, cumulative,
dropoff, loss_share}, customers, revenue, conversion, one_in, aov,
assumptions[], warnings[], economics {spend, cpm_cost, rpm_revenue, ctr,
cpc, cpl, cpa, cac, cac_loaded, aov, gross_profit, roas, roi,
break_even_roas, net_profit, stages[], ltv, ladder, channels[]}.
`

func init() {
	register(command{name: "run", summary: "forward funnel and economics of a plan", run: runRun})
}

// runResult is the JSON output of run.
type runResult struct {
	Plan     string `json:"plan"`
	Scenario string `json:"scenario,omitempty"`
	*core.ForwardResult
	Economics *core.EconomicsResult `json:"economics"`
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
	q, name, warns, err := e.loadScenarioPlan(fs, *scenario)
	if err != nil {
		return err
	}
	r, err := core.Forward(q)
	if err != nil {
		return fileError(name, err)
	}
	r.Warnings = append(append([]string{}, warns...), r.Warnings...)
	ec := core.Economics(q, r)
	r.Warnings = append(r.Warnings, ec.Warnings...)
	res := runResult{Plan: q.Name, Scenario: *scenario, ForwardResult: r, Economics: ec}
	title := "Funnel: " + q.Name
	if *scenario != "" {
		title += " (scenario " + *scenario + ")"
	}
	stages := table{Title: title, Header: []string{"stage", "count", "rate", "cumulative", "drop-off", "value/person"}}
	for i, s := range r.Stages {
		stages.Rows = append(stages.Rows, []string{s.Name, fcount(s.Count), fopt(s.Rate, fpct), fpct(s.Cumulative), fcount(s.Dropoff), fopt(ec.Stages[i].ValuePerEntrant, fmoney)})
	}
	summary := table{Title: "Summary", Header: []string{"metric", "value"}, Rows: [][]string{
		{"customers", fcount(r.Customers)},
		{"revenue", fmoney(r.Revenue)},
		{"conversion", fpct(r.Conversion)},
		{"one in", fonein(r.OneIn)},
	}}
	for _, a := range r.Assumptions {
		summary.Rows = append(summary.Rows, []string{"assumption", a})
	}
	for _, w := range r.Warnings {
		summary.Rows = append(summary.Rows, []string{"warning", w})
	}
	return e.emit(&o, res, append([]table{stages, summary}, economicsTables(ec)...)...)
}

// economicsTables lays out the economics of one period as tables.
func economicsTables(ec *core.EconomicsResult) []table {
	money := func(x *float64) string { return fopt(x, fmoney) }
	ratio := func(x *float64) string { return fopt(x, fratio) }
	metrics := table{Title: "Economics", Header: []string{"metric", "value"}, Rows: [][]string{
		{"media spend", money(ec.Spend)},
		{"CPM (cost per 1000 impressions)", money(ec.CPMCost)},
		{"RPM (revenue per 1000 impressions)", money(ec.RPMRevenue)},
		{"CTR", fopt(ec.CTR, fpct)},
		{"CPC", money(ec.CPC)},
		{"CPL", money(ec.CPL)},
		{"CPA", money(ec.CPA)},
		{"CAC (media)", money(ec.CAC)},
		{"CAC (loaded)", money(ec.CACLoaded)},
		{"AOV", money(ec.AOV)},
		{"gross margin", fopt(ec.Margin, fpct)},
		{"gross profit", money(ec.GrossProfit)},
		{"ROAS", ratio(ec.ROAS)},
		{"ROI (on gross profit)", ratio(ec.ROI)},
		{"revenue ROI (R - S)/S", ratio(ec.RevenueROI)},
		{"break-even ROAS", ratio(ec.BreakEvenROAS)},
		{"net profit", money(ec.NetProfit)},
	}}
	if l := ec.LTV; l != nil {
		payback := "n/a"
		switch {
		case l.Payback != nil:
			payback = strconv.Itoa(*l.Payback) + " periods"
		case l.PaybackNever:
			payback = "never"
		}
		metrics.Rows = append(metrics.Rows,
			[]string{"gross profit per customer per period", fmoney(l.GrossProfitPerPeriod)},
			[]string{"expected lifetime (periods)", fopt(l.Lifetime, fratio)},
			[]string{"LTV", fmoney(l.LTV)},
			[]string{"LTV/CAC", ratio(l.LTVToCAC)},
			[]string{"payback", payback},
			[]string{"simple payback (periods)", ratio(l.SimplePayback)},
		)
	}
	out := []table{metrics}
	if ec.Ladder != nil {
		t := table{Title: "Value ladder (per entrant)", Header: []string{"rung", "reach", "value", "contribution", "buyer value"}}
		for _, r := range ec.Ladder.Rungs {
			t.Rows = append(t.Rows, []string{r.Name, fpct(r.Reach), fmoney(r.Value), fmoney(r.Contribution), fmoney(r.BuyerValue)})
		}
		t.Rows = append(t.Rows, []string{"total", "", "", fmoney(ec.Ladder.PerEntrant), ""})
		out = append(out, t)
	}
	if len(ec.Channels) > 0 {
		t := table{Title: "Channels (ranked by cost per sale)", Header: []string{"rank", "channel", "budget", "touches", "leads", "CPL", "sales", "cost/sale", "ROAS"}}
		for _, c := range ec.Channels {
			rank := "-"
			if c.Rank > 0 {
				rank = strconv.Itoa(c.Rank)
			}
			t.Rows = append(t.Rows, []string{rank, c.Name, fmoney(c.Budget), fopt(c.Touches, fcount), fopt(c.Leads, fcount), money(c.CPL), fopt(c.Sales, fcount), money(c.CostPerSale), ratio(c.ROAS)})
		}
		out = append(out, t)
	}
	return out
}
