package core

import (
	"math"
	"testing"
)

func TestForwardBuyingGroup(t *testing.T) {
	// MATH.md §i: a group of 5.4 members with q = 0.9 agrees with
	// probability 0.6·0.9⁵ + 0.4·0.9⁶ = 0.5668704 (mixture of 5 and 6,
	// printed 0.566870); the funnel's close rate is multiplied by it. §a's
	// funnel [0.05, 0.4, 0.5, 0.25] on 10,000 gives 25 customers, so
	// 25 × 0.5668704 = 14.17176.
	p := &Plan{Version: 1, Top: 10000, OrderValue: 12000, Stages: []Stage{
		{ID: "visit"}, {ID: "lead", Rate: F(0.05)}, {ID: "mql", Rate: F(0.4)},
		{ID: "proposal", Rate: F(0.5)}, {ID: "customer", Rate: F(0.25)},
	}, BuyingGroup: &BuyingGroup{Size: 5.4, Approval: 0.9}}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	r, err := Forward(p)
	if err != nil {
		t.Fatal(err)
	}
	want := 25 * (0.6*math.Pow(0.9, 5) + 0.4*math.Pow(0.9, 6)) // hand: 14.17176
	if math.Abs(r.Customers-want) > 1e-9 || math.Abs(r.Customers-14.17176) > 1e-5 {
		t.Errorf("customers = %.6f, want %.6f", r.Customers, want)
	}
	if len(r.Assumptions) != 1 {
		t.Errorf("assumptions = %q, want the buying group named", r.Assumptions)
	}
	// The same as the group applied to the plan first (one source of the
	// insertion rule), for a persona plan too.
	p.Personas = []Persona{
		{ID: "a", Share: 0.6, Rates: StageRates{{"customer", 0.3}}},
		{ID: "b", Share: 0.4},
	}
	p.BuyingGroup.Stage = "customer"
	r, err = Forward(p)
	if err != nil {
		t.Fatal(err)
	}
	q, _, err := WithBuyingGroup(p)
	if err != nil {
		t.Fatal(err)
	}
	r2, err := Forward(q)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(r.Customers-r2.Customers) > 1e-12*r2.Customers || math.Abs(r.Revenue-r2.Revenue) > 1e-12*r2.Revenue {
		t.Errorf("Forward with the group %v / %v, Forward(WithBuyingGroup) %v / %v", r.Customers, r.Revenue, r2.Customers, r2.Revenue)
	}
}

func TestReverseBuyingGroup(t *testing.T) {
	// Reverse of a plan with a buying group inverts the funnel Forward
	// computes: the customers of Forward back to the same top.
	p := &Plan{Version: 1, Top: 10000, OrderValue: 12000, Stages: []Stage{
		{ID: "visit"}, {ID: "lead", Rate: F(0.05)}, {ID: "customer", Rate: F(0.25)},
	}, BuyingGroup: &BuyingGroup{Size: 5, Approval: 0.9}}
	f, err := Forward(p)
	if err != nil {
		t.Fatal(err)
	}
	// hand: 10,000 × 0.05 × 0.25 × 0.9⁵ = 125 × 0.59049 = 73.81125
	if math.Abs(f.Customers-73.81125) > 1e-9 {
		t.Errorf("customers = %v, want 73.81125", f.Customers)
	}
	r, err := Reverse(p, Goal{Customers: F(f.Customers)})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(r.Top-10000) > 1e-6 {
		t.Errorf("reverse top = %v, want 10000", r.Top)
	}
}
