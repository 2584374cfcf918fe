package core

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
)

// randomEconomicsPlan draws a valid plan with the edge cases that make metrics
// undefined: zero top, zero rates, rates of 1, no spend, no margin, zero
// budgets, capacities, channels at later stages, retention 1 with a
// horizon, recurring ladder rungs.
func randomEconomicsPlan(r *rand.Rand) *Plan {
	pick := func(xs ...float64) float64 { return xs[r.IntN(len(xs))] }
	n := 2 + r.IntN(6)
	p := &Plan{Version: 1, Name: "random", Top: pick(0, 1, 200, 10000, 1e7), OrderValue: pick(0, 1, 900, 12000)}
	for i := 0; i < n; i++ {
		s := Stage{ID: fmt.Sprintf("s%d", i)}
		if i > 0 {
			s.Rate = F(pick(0, 1, 0.5, 0.02, r.Float64()))
		}
		if r.IntN(5) == 0 {
			s.Capacity = F(pick(0, 10, 1e6))
		}
		p.Stages = append(p.Stages, s)
	}
	if r.IntN(2) == 0 {
		p.Margin = F(pick(0, 0.4, 1))
	}
	if r.IntN(2) == 0 {
		p.Spend = F(pick(0, 150000))
	}
	if r.IntN(3) == 0 {
		p.OtherCosts = F(pick(0, 5000))
	}
	if r.IntN(2) == 0 {
		J := 1 + r.IntN(3)
		for j := 0; j < J; j++ {
			x := Persona{ID: fmt.Sprintf("p%d", j), Share: 1 / float64(J), Rates: StageRates{}}
			for i := 1; i < n; i++ {
				if r.IntN(2) == 0 {
					x.Rates.Set(p.Stages[i].ID, pick(0, 1, r.Float64()))
				}
			}
			p.Personas = append(p.Personas, x)
		}
		p.Personas[J-1].Share = 1 - float64(J-1)/float64(J)
	}
	if r.IntN(2) == 0 {
		c := Channel{ID: "c", Budget: pick(0, 100, 1e5), Stage: p.Stages[r.IntN(n)].ID}
		switch r.IntN(3) {
		case 0:
			c.Volume = F(pick(0, 50, 1e5))
		case 1:
			c.Pricing, c.Price = "cpm", F(pick(0, 300))
		}
		if c.Budget == 0 {
			c.BaseBudget = F(1000)
		}
		if _, ok := c.BaseVolume(); ok && r.IntN(2) == 0 {
			c.Response = &Response{Curve: "power", B: F(0.5)}
		}
		p.Channels = append(p.Channels, c)
	}
	if r.IntN(2) == 0 {
		p.Retention = &Retention{Rate: pick(0, 0.7, 1), Discount: pick(0, 0.1), Horizon: 12}
	}
	if r.IntN(3) == 0 {
		p.Ladder = []Rung{{ID: "a", Price: 10, UnitCost: 50, TakeUp: 1}, {ID: "b", Parent: "a", Price: 100, TakeUp: pick(0, 0.3), Retention: F(0.8)}}
	}
	return p
}

// TestNoNaNReachesOutput is the law that undefined metrics are null: on
// random valid plans Forward, Economics and Reverse never produce NaN or
// Inf (encoding/json refuses both) and never panic.
func TestNoNaNReachesOutput(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	for k := 0; k < 3000; k++ {
		p := randomEconomicsPlan(r)
		if err := p.Validate(); err != nil {
			t.Fatalf("plan %d invalid: %v", k, err)
		}
		f, err := Forward(p)
		if err != nil {
			t.Fatalf("plan %d: %v", k, err)
		}
		e := Economics(p, f)
		if _, err := json.Marshal(struct {
			F *ForwardResult
			E *EconomicsResult
		}{f, e}); err != nil {
			b, _ := json.Marshal(p)
			t.Fatalf("plan %d: %v\n%s", k, err, b)
		}
		for _, g := range []Goal{
			{Customers: F(10)}, {Revenue: F(1e5), Integer: true},
			{Profit: F(1000), Anchor: &CostAnchor{Pricing: "cpc", Price: 1}},
			{Profit: F(1000)},
		} {
			rv, err := Reverse(p, g)
			if err != nil {
				var ie *InfeasibleError
				if errors.As(err, &ie) && ie.Stage == "" {
					t.Errorf("plan %d: infeasible without a stage: %v", k, err)
				}
				continue
			}
			if _, err := json.Marshal(rv); err != nil {
				b, _ := json.Marshal(p)
				t.Fatalf("plan %d goal %+v: %v\n%s", k, g, err, b)
			}
		}
	}
}
