package core

import (
	"fmt"
	"strings"
	"testing"
)

func TestChannelBudgetMovesFunnel(t *testing.T) {
	tests := []struct {
		name, source string
		plan         func() *Plan
		scenario     Change
		counts       []float64
		warn         string
	}{
		{
			name:   "linear top channel",
			source: "MATH.md §c.3: linear default, +50 % budget buys +50 % of the channel's volume",
			plan: func() *Plan {
				p := linearPlan(10000, 0.1, 0.5) // 6000 paid, 4000 organic
				p.Channels = []Channel{{ID: "paid", Budget: 3000, Volume: F(6000)}}
				return p
			},
			scenario: Change{Target: "channels.paid.budget", Op: "mul", Value: 1.5},
			counts:   []float64{13000, 1300, 650},
		},
		{
			name:   "priced channel",
			source: "MATH.md §b: CPM 300, budget 150 000 -> 500 000 impressions; doubled -> +500 000",
			plan: func() *Plan {
				p := linearPlan(500000, 0.02)
				p.Channels = []Channel{{ID: "ctx", Budget: 150000, Pricing: "cpm", Price: F(300)}}
				return p
			},
			scenario: Change{Target: "channels.ctx.budget", Op: "mul", Value: 2},
			counts:   []float64{1000000, 20000},
		},
		{
			name:   "later entry stage",
			source: "hand: 40 bought leads a month, budget doubled -> +40 leads, split by the persona mix at the stage",
			plan: func() *Plan {
				p := personaPlan()
				p.Channels = []Channel{{ID: "partners", Budget: 10000, Stage: "s1", Volume: F(40)}}
				return p
			},
			scenario: Change{Target: "channels.partners.budget", Op: "mul", Value: 2},
			// Leads 500 -> 540; A holds 240/500 of them, B 260/500 (§d mix).
			counts: []float64{10000, 540, 540 * (240*0.5 + 260*0.3) / 500},
		},
		{
			name:   "budget cut",
			source: "MATH.md §c.3: power b = 0.5, budget x0.25 -> volume x0.5",
			plan: func() *Plan {
				p := linearPlan(1000, 0.1)
				p.Channels = []Channel{{ID: "c", Budget: 400, Volume: F(1000), Response: &Response{Curve: "power", B: F(0.5)}}}
				return p
			},
			scenario: Change{Target: "channels.c.budget", Op: "mul", Value: 0.25},
			counts:   []float64{500, 50},
		},
		{
			name:   "flat fee",
			source: "hand: a channel without volume or price does not move the funnel",
			plan: func() *Plan {
				p := linearPlan(1000, 0.1)
				p.Channels = []Channel{{ID: "fee", Budget: 400}}
				return p
			},
			scenario: Change{Target: "channels.fee.budget", Op: "set", Value: 800},
			counts:   []float64{1000, 100},
			warn:     `channel "fee": budget 800 differs from its base 400`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := tc.plan()
			p.Scenarios = []Scenario{{ID: "s", Changes: []Change{tc.scenario}}}
			if err := p.Validate(); err != nil {
				t.Fatal(err)
			}
			base, err := Forward(p)
			if err != nil {
				t.Fatal(err)
			}
			if base.Stages[0].Count != p.Top {
				t.Errorf("%s: baseline top %v, want the plan's %v", tc.source, base.Stages[0].Count, p.Top)
			}
			q, _, err := p.WithScenario("s")
			if err != nil {
				t.Fatal(err)
			}
			r, err := Forward(q)
			if err != nil {
				t.Fatal(err)
			}
			for i, want := range tc.counts {
				checkNear(t, fmt.Sprintf("%s: N[%d]", tc.source, i), r.Stages[i].Count, want)
			}
			if tc.warn != "" && !strings.Contains(strings.Join(r.Warnings, "\n"), tc.warn) {
				t.Errorf("%s: warnings %q lack %q", tc.source, r.Warnings, tc.warn)
			}
			// The scenario copy records the base budget; the plan keeps none.
			if p.Channels[0].BaseBudget != nil {
				t.Error("WithScenario changed the baseline plan")
			}
			if q.Channels[0].BaseBudget == nil {
				t.Error("the scenario plan lost the base budget")
			}
		})
	}
}

func TestChannelValidation(t *testing.T) {
	p := linearPlan(1000, 0.1)
	p.Channels = []Channel{
		{ID: "a", Budget: 10, Price: F(5)},
		{ID: "b", Budget: 10, Response: &Response{Curve: "power", B: F(0.5)}},
		{ID: "c", Budget: 10, Volume: F(100), Response: &Response{Curve: "power", B: F(1.5)}},
		{ID: "d", Budget: 10, Volume: F(100), BaseBudget: F(0)},
		{ID: "e", Budget: 10, Volume: F(100), Response: &Response{Curve: "hill", Max: F(2)}},
	}
	err := p.Validate()
	if err == nil {
		t.Fatal("no problems")
	}
	for _, want := range []string{
		"channels[0].pricing: missing pricing for price 5",
		"channels[1].response: a response curve needs the channel's volume",
		"channels[2].response.b: 1.5 is not an elasticity",
		"channels[3].base_budget: 0 buys the channel's volume",
		"channels[4].response.scale: missing scale for the hill curve",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("problems lack %q:\n%v", want, err)
		}
	}
}

func TestChannelTargets(t *testing.T) {
	p := linearPlan(1000, 0.1)
	p.Channels = []Channel{{ID: "c", Budget: 10, Volume: F(100), Response: &Response{Curve: "power", B: F(0.5)}}}
	if err := p.Set("channels.c.response.b", 0.7); err != nil {
		t.Fatal(err)
	}
	if v, err := p.Get("channels.c.response.b"); err != nil || v != 0.7 {
		t.Errorf("response.b = %v, %v", v, err)
	}
	if _, err := p.Get("channels.c.response.nope"); err == nil {
		t.Error("unknown response field: no error")
	}
	if _, err := p.ApplyChange(Change{Target: "channels.c.response.b", Op: "add", Value: 0.5}, false); err == nil {
		t.Error("elasticity pushed above 1: no error")
	}
}
