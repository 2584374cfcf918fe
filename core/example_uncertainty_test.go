package core_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/funnelplan/funnelplan/core"
)

// The Monte Carlo of MATH.md §j: revenue of a funnel whose inputs are
// uncertain. The analytic mean is 316 262.42.
func ExampleSimulate() {
	p, err := core.DecodeBytes([]byte(`{"funnelplan": 1, "name": "§j", "top": 10000, "order_value": 12000,
	  "stages": [{"id": "visit"}, {"id": "lead", "rate": 0.05}, {"id": "mql", "rate": 0.4},
	             {"id": "proposal", "rate": 0.5}, {"id": "customer", "rate": 0.25}],
	  "uncertainty": {
	    "top": {"lognormal": {"median": 10000, "sigma": 0.2}},
	    "stages.lead.rate": {"pert": {"min": 0.03, "mode": 0.05, "max": 0.08}},
	    "stages.mql.rate": {"beta": {"alpha": 40, "beta": 60}},
	    "stages.proposal.rate": {"triangular": {"min": 0.4, "mode": 0.5, "max": 0.6}},
	    "stages.customer.rate": {"beta": {"successes": 24, "trials": 98}}}}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	r, err := core.Simulate(context.Background(), p, core.SimOptions{Trials: 20000, Seed: 42, Goal: core.F(250000)})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("revenue mean %.0fk ± %.0fk, P10 %.0fk, P90 %.0fk, P(>= 250k) %.2f\n",
		r.Revenue.Mean/1000, 4*r.Revenue.SE/1000, r.Revenue.P10/1000, r.Revenue.P90/1000, *r.PGoal)
	// Output:
	// revenue mean 317k ± 3k, P10 188k, P90 468k, P(>= 250k) 0.69
}

// Rates from counts and a comparison of two months (MATH.md §k).
func ExampleFit() {
	csv := "period,visit,lead,mql,proposal,customer\n" +
		"2026-01,10000,520,210,98,24\n" +
		"2026-02,11000,600,230,120,33\n"
	t, err := core.ReadCounts(strings.NewReader(csv))
	if err != nil {
		fmt.Println(err)
		return
	}
	r, err := core.Fit(t, core.FitOptions{By: "period"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, s := range r.Groups[0].Steps {
		c := r.Comparisons[i]
		fmt.Printf("%-8s -> %-8s Jan %.4f [%.4f, %.4f]  P(Feb better) %.4f  z %+.3f\n",
			s.From, s.To, *s.Rate, *s.CILow, *s.CIHigh, *c.PBBetter, *c.Z)
	}
	// Output:
	// visit    -> lead     Jan 0.0520 [0.0485, 0.0558]  P(Feb better) 0.7933  z +0.820
	// lead     -> mql      Jan 0.4038 [0.3691, 0.4397]  P(Feb better) 0.2415  z -0.701
	// mql      -> proposal Jan 0.4667 [0.4109, 0.5234]  P(Feb better) 0.8752  z +1.154
	// proposal -> customer Jan 0.2449 [0.1820, 0.3237]  P(Feb better) 0.6879  z +0.503
}

// The observed funnel of an event log, rows in any order.
func ExampleReadEvents() {
	log := "person,time,event\n" +
		"b,2026-03-03,lead\n" +
		"a,2026-03-01,visit\n" +
		"a,2026-03-02 10:00,lead\n" +
		"b,2026-03-01,visit\n" +
		"a,2026-03-09,customer\n" +
		"c,2026-03-05,visit\n" +
		"b,2026-03-04,visit\n"
	r, err := core.ReadEvents(strings.NewReader(log), core.EventOptions{Steps: []string{"visit", "lead", "customer"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range r.Steps {
		fmt.Printf("%-8s %d\n", s.ID, s.Persons)
	}
	fmt.Printf("median days to convert %.0f\n", *r.TimeToConvert.Median)
	fmt.Println("lead -> visit:", r.Journey.Transitions["lead"]["visit"])
	// Output:
	// visit    3
	// lead     2
	// customer 1
	// median days to convert 8
	// lead -> visit: 0.5
}
