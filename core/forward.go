package core

import (
	"fmt"
	"math"
)

// StageResult is one stage of a forward funnel (MATH.md §a, §d).
type StageResult struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Count is N_i, expected persons per period at the stage.
	Count float64 `json:"count"`
	// Rate is the aggregate step rate N_i/N_{i-1} (nil for the top, or
	// when N_{i-1} = 0 with personas).
	Rate *float64 `json:"rate"`
	// Cumulative is C_i = N_i/N_0 (the product of rates when N_0 = 0).
	Cumulative float64 `json:"cumulative"`
	// Dropoff is N_{i-1} - N_i (0 for the top).
	Dropoff float64 `json:"dropoff"`
	// LossShare is Dropoff / (N_0 - N_n), nil when nobody is lost.
	LossShare *float64 `json:"loss_share"`
	// Utilisation is the demand N_{i-1} p_i over the stage's capacity (nil
	// without a capacity); >= 1 means the stage is a bottleneck.
	Utilisation *float64 `json:"utilisation,omitempty"`
}

// PersonaResult is one persona's funnel (MATH.md §d).
type PersonaResult struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Counts are N_{j,i} per stage.
	Counts     []float64 `json:"counts"`
	Customers  float64   `json:"customers"`
	OrderValue float64   `json:"order_value"`
	Revenue    float64   `json:"revenue"`
}

// ForwardResult is the forward funnel of a plan.
type ForwardResult struct {
	Stages   []StageResult   `json:"stages"`
	Personas []PersonaResult `json:"personas,omitempty"`
	// Customers is N_n, Revenue the sum over personas of N_{j,n} v_j.
	Customers float64 `json:"customers"`
	Revenue   float64 `json:"revenue"`
	// Conversion is the overall conversion c = N_n/N_0 (the product of
	// the rates when N_0 = 0).
	Conversion float64 `json:"conversion"`
	// OneIn is 1/c ("1 in N"), nil when c = 0 (no conversions).
	OneIn *float64 `json:"one_in"`
	// AOV is Revenue / Customers, nil when there are no customers.
	AOV      *float64 `json:"aov"`
	Warnings []string `json:"warnings"`
}

// Forward computes the forward funnel (MATH.md §a) with the persona mix of
// §d and stage capacities of §e rule 3:
//
//	N_{j,i} = N_0 s_j Π_{k<=i} p_{j,k}          per persona
//	N_i     = Σ_j N_{j,i},  p_i = N_i / N_{i-1} (mix at the previous stage)
//	N_i     = min(N_{i-1} p_i, cap_i)           capacitated; personas scaled alike
//	Revenue = Σ_j N_{j,n} v_j
//
// The plan must be valid (Validate); Forward never panics on any plan but
// returns an error for one it cannot compute.
func Forward(p *Plan) (*ForwardResult, error) {
	n := len(p.Stages)
	if n < 2 {
		return nil, fmt.Errorf("stages: %d stages (want at least 2)", n)
	}
	J := len(p.Personas)
	implicit := J == 0
	if implicit {
		J = 1
	}
	r := &ForwardResult{
		Stages:   make([]StageResult, n),
		Personas: make([]PersonaResult, J),
		Warnings: []string{},
	}
	counts := make([]float64, J*n)
	rates := p.Rates()
	for j := 0; j < J; j++ {
		pr := &r.Personas[j]
		pr.Counts = counts[j*n : (j+1)*n : (j+1)*n]
		share, v := 1.0, p.OrderValue
		if !implicit {
			x := &p.Personas[j]
			pr.ID, pr.Name = x.ID, x.Name
			share = x.Share
			if x.OrderValue != nil {
				v = *x.OrderValue
			}
		} else {
			pr.ID, pr.Name = AllPersonas, "All"
		}
		pr.OrderValue = v
		pr.Counts[0] = p.Top * share
	}
	cum := 1.0
	for i := 0; i < n; i++ {
		s := &r.Stages[i]
		s.ID, s.Name = p.Stages[i].ID, p.Stages[i].Name
		if s.Name == "" {
			s.Name = s.ID
		}
		total := 0.0
		if i == 0 {
			for j := 0; j < J; j++ {
				total += r.Personas[j].Counts[0]
			}
			s.Count, s.Cumulative = total, 1
			continue
		}
		for j := 0; j < J; j++ {
			pj := rates[i-1]
			if !implicit {
				if o, ok := p.Personas[j].Rates[p.Stages[i].ID]; ok {
					pj = o
				}
			}
			c := r.Personas[j].Counts[i-1] * pj
			r.Personas[j].Counts[i] = c
			total += c
		}
		if c := p.Stages[i].Capacity; c != nil {
			cap := *c
			if cap > 0 {
				s.Utilisation = F(total / cap)
			}
			if total > cap {
				if cap == 0 {
					s.Utilisation = nil
				}
				r.Warnings = append(r.Warnings, fmt.Sprintf("stage %q is over capacity: demand %s, capacity %s; the excess is lost", s.ID, fmtCount(total), fmtCount(cap)))
				scale := cap / total
				for j := 0; j < J; j++ {
					r.Personas[j].Counts[i] *= scale
				}
				total = cap
			}
		}
		prev := r.Stages[i-1].Count
		s.Count = total
		s.Dropoff = prev - total
		if prev > 0 {
			s.Rate = F(total / prev)
		} else if implicit {
			s.Rate = F(rates[i-1])
		}
		if s.Rate != nil {
			cum *= *s.Rate
		} else {
			cum = math.NaN()
		}
		if r.Stages[0].Count > 0 {
			s.Cumulative = total / r.Stages[0].Count
		} else if !math.IsNaN(cum) {
			s.Cumulative = cum
		}
	}
	lost := r.Stages[0].Count - r.Stages[n-1].Count
	for i := 1; i < n; i++ {
		if lost > 0 {
			r.Stages[i].LossShare = F(r.Stages[i].Dropoff / lost)
		}
	}
	for j := range r.Personas {
		pr := &r.Personas[j]
		pr.Customers = pr.Counts[n-1]
		pr.Revenue = pr.Customers * pr.OrderValue
		r.Customers += pr.Customers
		r.Revenue += pr.Revenue
	}
	r.Conversion = r.Stages[n-1].Cumulative
	if r.Conversion > 0 {
		r.OneIn = F(1 / r.Conversion)
	} else {
		r.Warnings = append(r.Warnings, "no conversions: some rate on the path is 0")
	}
	if r.Customers > 0 {
		r.AOV = F(r.Revenue / r.Customers)
	}
	if implicit {
		r.Personas = nil
	}
	return r, nil
}

// fmtCount formats a count for messages: whole numbers without decimals,
// others with up to 4 significant decimals.
func fmtCount(x float64) string {
	if x == math.Trunc(x) && math.Abs(x) < 1e15 {
		return fmt.Sprintf("%.0f", x)
	}
	return fmt.Sprintf("%.6g", x)
}
