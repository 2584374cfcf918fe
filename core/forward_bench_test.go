package core

import (
	"fmt"
	"testing"
)

// forwardBenchPlan is a plan of 8 personas x 10 stages with every persona rate
// overridden, costs, margin, retention and a capacity: the size DESIGN.md
// budgets forward + economics for (<= 2 us native).
func forwardBenchPlan() *Plan {
	const J, n = 8, 10
	p := &Plan{Version: 1, Name: "bench", Top: 100000, OrderValue: 5000,
		Margin: F(0.6), Spend: F(250000), OtherCosts: F(40000),
		Retention: &Retention{Rate: 0.8, Discount: 0.01}}
	for i := 0; i < n; i++ {
		s := Stage{ID: fmt.Sprintf("stage%d", i)}
		if i > 0 {
			s.Rate = F(0.3 + 0.05*float64(i%5))
		}
		p.Stages = append(p.Stages, s)
	}
	p.Stages[1].Role = RoleClicks
	p.Stages[2].Role = RoleLeads
	p.Stages[6].Capacity = F(1e9)
	for j := 0; j < J; j++ {
		x := Persona{ID: fmt.Sprintf("persona%d", j), Share: 1.0 / J, Rates: StageRates{}, OrderValue: F(4000 + 250*float64(j))}
		for i := 1; i < n; i++ {
			x.Rates.Set(p.Stages[i].ID, 0.25+0.01*float64((i*7+j*3)%40))
		}
		p.Personas = append(p.Personas, x)
	}
	return p
}

func TestBenchPlanValid(t *testing.T) {
	if err := forwardBenchPlan().Validate(); err != nil {
		t.Fatal(err)
	}
}

func BenchmarkForwardEconomics(b *testing.B) {
	p := forwardBenchPlan()
	b.ReportAllocs()
	for b.Loop() {
		f, err := Forward(p)
		if err != nil {
			b.Fatal(err)
		}
		Economics(p, f)
	}
}

func BenchmarkForward(b *testing.B) {
	p := forwardBenchPlan()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Forward(p); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkReverse(b *testing.B) {
	p := forwardBenchPlan()
	g := Goal{Revenue: F(1e6)}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Reverse(p, g); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkForwardNoOverrides(b *testing.B) {
	p := forwardBenchPlan()
	for j := range p.Personas {
		p.Personas[j].Rates = nil
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Forward(p); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEconomics(b *testing.B) {
	p := forwardBenchPlan()
	f, err := Forward(p)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		Economics(p, f)
	}
}
