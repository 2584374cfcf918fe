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
	// when N_{i-1} = 0 with personas). It may exceed 1 when channels add
	// volume at the stage.
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
	AOV *float64 `json:"aov"`
	// Assumptions lists what the result rests on beyond the funnel's own
	// rates, such as a channel's spend -> volume curve (MATH.md §c.3).
	Assumptions []string `json:"assumptions,omitempty"`
	Warnings    []string `json:"warnings"`
}

// Forward computes the forward funnel (MATH.md §a) with the persona mix of
// §d, stage capacities of §e rule 3 and channel budgets moved along their
// response curves (§c.3):
//
//	N_{j,i} = N_0 s_j Π_{k<=i} p_{j,k}          per persona
//	N_i     = Σ_j N_{j,i},  p_i = N_i / N_{i-1} (mix at the previous stage)
//	N_i     = min(N_{i-1} p_i, cap_i)           capacitated; personas scaled alike
//	Revenue = Σ_j N_{j,n} v_j
//
// A buying group (§i) multiplies the rate of its stage, for every persona,
// by its consensus factor (GroupFactor), capped at 1; the effect is listed
// in Assumptions.
//
// A channel whose budget S differs from its base budget S_0 adds
// V(S) − V(S_0) persons at its entry stage (the top, or a later stage,
// split there by the persona mix); every such effect is listed in
// Assumptions with the curve that produced it.
//
// The plan must be valid (Validate); Forward never panics on any plan but
// returns an error for one it cannot compute.
func Forward(p *Plan) (*ForwardResult, error) {
	n := len(p.Stages)
	if n < 2 {
		return nil, fmt.Errorf("stages: %d stages (want at least 2)", n)
	}
	implicit := len(p.Personas) == 0
	r := &ForwardResult{Warnings: []string{}}
	// The arithmetic is funnelArrays.eval, shared with Sensitivity. One
	// allocation holds the numbers of the result: persona counts (J*n),
	// the optional per-stage values behind pointers (rate, loss share,
	// utilisation: 3n) and the conversion values (2); the other arrays
	// live on the stack when they fit.
	J, _, work := funnelSize(p)
	buf := make([]float64, J*n+3*n+2)
	opt := buf[J*n:]
	var scratch [160]float64
	ws := scratch[:]
	if work > len(ws) {
		ws = make([]float64, work)
	}
	f := loadFunnel(p, r, buf[:J*n], ws)
	if p.BuyingGroup != nil {
		if gk := GroupStage(p); gk > 0 {
			gf, err := GroupFactor(*p.BuyingGroup)
			if err != nil {
				return nil, fmt.Errorf("buying_group: %v", err)
			}
			r.Assumptions = append(r.Assumptions, fmt.Sprintf("buying group of %s at stage %q: its rate x %.6g (consensus of the group)", fmtCount(p.BuyingGroup.Size), p.Stages[gk].ID, gf))
		}
	}
	if f.add != nil && f.add[0] != 0 && p.Top+f.add[0] < 0 {
		r.Warnings = append(r.Warnings, fmt.Sprintf("channels cut the top below 0 (%s); the top is 0", fmtCount(p.Top+f.add[0])))
	}
	f.eval()
	r.Stages = make([]StageResult, n)
	r.Personas = make([]PersonaResult, J)
	for j := range r.Personas {
		pr := &r.Personas[j]
		pr.Counts = buf[j*n : (j+1)*n : (j+1)*n]
		if implicit {
			pr.ID, pr.Name = AllPersonas, "All"
		} else {
			pr.ID, pr.Name = p.Personas[j].ID, p.Personas[j].Name
		}
		pr.OrderValue = f.value[j]
	}
	s0 := &r.Stages[0]
	s0.ID, s0.Name = p.Stages[0].ID, p.Stages[0].Name
	if s0.Name == "" {
		s0.Name = s0.ID
	}
	s0.Count = f.total[0]
	s0.Cumulative = 1
	cum, cumOK := 1.0, true
	for i := 1; i < n; i++ {
		st := &p.Stages[i]
		s := &r.Stages[i]
		s.ID, s.Name = st.ID, st.Name
		if s.Name == "" {
			s.Name = s.ID
		}
		added := f.add != nil && f.add[i] != 0
		if added {
			if nt := f.demandRateNoAdd(i) + f.add[i]; nt < 0 {
				r.Warnings = append(r.Warnings, fmt.Sprintf("channels cut stage %q below 0 (%s); it is 0", st.ID, fmtCount(nt)))
			}
		}
		total := f.total[i]
		if st.Capacity != nil {
			cap, demand := *st.Capacity, f.demand[i]
			if cap > 0 {
				opt[3*i+2] = demand / cap
				s.Utilisation = &opt[3*i+2]
			}
			if demand > cap {
				r.Warnings = append(r.Warnings, fmt.Sprintf("stage %q is over capacity: demand %s, capacity %s; the excess is lost", s.ID, fmtCount(demand), fmtCount(cap)))
			}
		}
		prev := f.total[i-1]
		s.Count = total
		s.Dropoff = prev - total
		switch {
		case prev > 0:
			opt[3*i] = total / prev
			s.Rate = &opt[3*i]
		case implicit && !added:
			opt[3*i] = f.rate[i] // the stage rate
			s.Rate = &opt[3*i]
		}
		if s.Rate != nil {
			cum *= *s.Rate
		} else {
			cumOK = false
		}
		if s0.Count > 0 {
			s.Cumulative = total / s0.Count
		} else if cumOK {
			s.Cumulative = cum
		}
	}
	if s0.Count == 0 && !implicit {
		// No volume: rates and conversion still follow from the persona
		// shares (MATH.md §a: c is defined even if N_0 = 0).
		u, _ := unitFunnel(p)
		for i := 1; i < n; i++ {
			r.Stages[i].Cumulative = u[i]
			if u[i-1] > 0 {
				opt[3*i] = u[i] / u[i-1]
				r.Stages[i].Rate = &opt[3*i]
			}
		}
	}
	if lost := s0.Count - r.Stages[n-1].Count; lost > 0 {
		for i := 1; i < n; i++ {
			opt[3*i+1] = r.Stages[i].Dropoff / lost
			r.Stages[i].LossShare = &opt[3*i+1]
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
		opt[3*n] = 1 / r.Conversion
		r.OneIn = &opt[3*n]
	} else {
		r.Warnings = append(r.Warnings, "no conversions: some rate on the path is 0")
	}
	if r.Customers > 0 {
		opt[3*n+1] = r.Revenue / r.Customers
		r.AOV = &opt[3*n+1]
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
