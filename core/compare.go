package core

import (
	"errors"
	"fmt"
)

// BaselineID is the id of the baseline row of a comparison.
const BaselineID = "baseline"

// CompareResult is a plan's baseline and every scenario side by side.
type CompareResult struct {
	Plan string `json:"plan"`
	// Stages are the stage ids, the order of every row's Counts.
	Stages []string `json:"stages"`
	// Scenarios holds the baseline first (Baseline true, id "baseline"),
	// then the scenarios in plan order.
	Scenarios []ScenarioResult `json:"scenarios"`
}

// ScenarioResult is one row of a comparison. A scenario that cannot be
// applied (strict rate check, invalid result) has Error and Path set and
// every number nil; the other rows still compute.
type ScenarioResult struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Base     string `json:"base,omitempty"`
	Baseline bool   `json:"baseline,omitempty"`
	// Counts are the expected persons per period at every stage.
	Counts []float64 `json:"counts"`
	// Customers (per period), Revenue (money per period), Conversion
	// (fraction), OneIn ("1 in N", nil without conversions).
	Customers  *float64 `json:"customers"`
	Revenue    *float64 `json:"revenue"`
	Conversion *float64 `json:"conversion"`
	OneIn      *float64 `json:"one_in"`
	// GrossProfit is revenue x margin and NetProfit gross profit less
	// spend and other costs (nil when the plan lacks them; MATH.md §c.1).
	GrossProfit *float64 `json:"gross_profit"`
	NetProfit   *float64 `json:"net_profit"`
	// Deltas against the baseline: absolute, and relative (a fraction,
	// 0.5 = +50 %; nil when the baseline value is 0).
	DeltaCustomers *float64 `json:"delta_customers"`
	DeltaRevenue   *float64 `json:"delta_revenue"`
	RelCustomers   *float64 `json:"rel_customers"`
	RelRevenue     *float64 `json:"rel_revenue"`
	// Assumptions are what the row rests on beyond the plan's rates (a
	// channel's assumed response curve, MATH.md §c.3).
	Assumptions []string `json:"assumptions,omitempty"`
	Warnings    []string `json:"warnings"`
	Error       string   `json:"error,omitempty"`
	// Path is the JSON path of the change that failed, with Error.
	Path string `json:"path,omitempty"`
}

// Compare computes the baseline and every scenario of a valid plan
// (MATH.md §e): forward funnel, revenue, profit and deltas against the
// baseline. Only a baseline that cannot be computed is an error.
func Compare(p *Plan) (*CompareResult, error) {
	base, err := compareRow(p, ScenarioResult{ID: BaselineID, Name: "Baseline", Baseline: true})
	if err != nil {
		return nil, err
	}
	r := &CompareResult{Plan: p.Name, Stages: make([]string, len(p.Stages)), Scenarios: make([]ScenarioResult, 0, 1+len(p.Scenarios))}
	for i, s := range p.Stages {
		r.Stages[i] = s.ID
	}
	r.Scenarios = append(r.Scenarios, base)
	for _, s := range p.Scenarios {
		row := ScenarioResult{ID: s.ID, Name: s.Name, Base: s.Base, Warnings: []string{}}
		if row.Name == "" {
			row.Name = s.ID
		}
		q, warns, err := p.WithScenario(s.ID)
		if err == nil {
			row.Warnings = append(row.Warnings, warns...)
			row, err = compareRow(q, row)
		}
		if err != nil {
			// No number of a failed row reaches output.
			row = ScenarioResult{ID: row.ID, Name: row.Name, Base: row.Base, Warnings: row.Warnings, Error: err.Error()}
			var ps Problems
			if errors.As(err, &ps) && len(ps) == 1 {
				row.Path, row.Error = ps[0].Path, ps[0].Msg
			}
			r.Scenarios = append(r.Scenarios, row)
			continue
		}
		r.Scenarios = append(r.Scenarios, row)
	}
	for k := range r.Scenarios {
		if row := &r.Scenarios[k]; row.Error == "" {
			if err := resultFinite(fmt.Sprintf("scenario %q", row.ID), row); err != nil {
				*row = ScenarioResult{ID: row.ID, Name: row.Name, Base: row.Base, Baseline: row.Baseline, Warnings: row.Warnings, Error: err.Error()}
				continue
			}
			row.DeltaCustomers = F(*row.Customers - *base.Customers)
			row.DeltaRevenue = F(*row.Revenue - *base.Revenue)
			if *base.Customers != 0 {
				row.RelCustomers = F(*row.DeltaCustomers / *base.Customers)
			}
			if *base.Revenue != 0 {
				row.RelRevenue = F(*row.DeltaRevenue / *base.Revenue)
			}
		}
	}
	return r, nil
}

// compareRow fills row with the forward funnel and economics of q.
func compareRow(q *Plan, row ScenarioResult) (ScenarioResult, error) {
	f, err := Forward(q)
	if err != nil {
		return row, fmt.Errorf("scenario %q: %v", row.ID, err)
	}
	if row.Warnings == nil {
		row.Warnings = []string{}
	}
	row.Assumptions = f.Assumptions
	row.Warnings = append(row.Warnings, f.Warnings...)
	row.Counts = make([]float64, len(f.Stages))
	for i, s := range f.Stages {
		row.Counts[i] = s.Count
	}
	row.Customers, row.Revenue = F(f.Customers), F(f.Revenue)
	row.Conversion, row.OneIn = F(f.Conversion), cloneF(f.OneIn)
	e := Economics(q, f)
	row.GrossProfit, row.NetProfit = e.GrossProfit, e.NetProfit
	if err := resultFinite(fmt.Sprintf("scenario %q", row.ID), row); err != nil {
		return row, err
	}
	return row, nil
}
