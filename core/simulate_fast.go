package core

import (
	"math"
	"strings"
)

// fastFunnel is the forward funnel of one plan reduced to a flat parameter
// vector, so a Monte Carlo trial writes its sampled values into slots and
// evaluates without copying the plan or allocating. It performs exactly the
// floating-point operations of Forward, in the same order, so its numbers
// are identical (a test checks this against clone + Set + Forward).
//
// Layout of par (J personas, n stages; the implicit persona when J = 0):
//
//	[0]                      top
//	[1 .. J]                 share_j
//	[1+J .. 2J]              order value v_j
//	[1+2J + j·n + i]         rate p_{j,i}, i = 1..n−1 (slot i = 0 unused)
//	[1+2J+J·n + i]           capacity of stage i (used when hasCap[i])
type fastFunnel struct {
	n, J   int
	par    []float64
	hasCap []bool
	counts []float64 // J·n scratch
	// gk is the stage a buying group multiplies by gf (-1: none), as in
	// Forward.
	gk int
	gf float64
}

func (f *fastFunnel) offShare(j int) int   { return 1 + j }
func (f *fastFunnel) offValue(j int) int   { return 1 + f.J + j }
func (f *fastFunnel) offRate(j, i int) int { return 1 + 2*f.J + j*f.n + i }
func (f *fastFunnel) offCap(i int) int     { return 1 + 2*f.J + f.J*f.n + i }

// compileFast builds the fast evaluation of p with the slots each input
// writes (ins[k].offs, set in place). unused lists the inputs that do not
// change the forward funnel (costs, margin, channels, journey, ...).
func compileFast(p *Plan, ins []simInput) (*fastFunnel, []string) {
	n, J := len(p.Stages), len(p.Personas)
	implicit := J == 0
	if implicit {
		J = 1
	}
	f := &fastFunnel{n: n, J: J, hasCap: make([]bool, n), counts: make([]float64, J*n), gk: -1, gf: 1}
	if p.BuyingGroup != nil {
		if k := GroupStage(p); k > 0 {
			if g, err := GroupFactor(*p.BuyingGroup); err == nil {
				f.gk, f.gf = k, g
			}
		}
	}
	f.par = make([]float64, 1+2*J+J*n+n)
	f.par[0] = p.Top
	rates := p.Rates()
	// overrides[j][i]: persona j has its own rate at stage i (in the plan,
	// or because the rate is itself an uncertain input, which Set turns
	// into an override).
	over := make([]bool, J*n)
	for j := 0; j < J; j++ {
		share, v := 1.0, p.OrderValue
		if !implicit {
			x := &p.Personas[j]
			share = x.Share
			if x.OrderValue != nil {
				v = *x.OrderValue
			}
		}
		f.par[f.offShare(j)] = share
		f.par[f.offValue(j)] = v
		var rr rateReader
		if !implicit {
			rr.r = p.Personas[j].Rates
		}
		for i := 1; i < n; i++ {
			pj := rates[i-1]
			if !implicit {
				if o, ok := rr.at(p.Stages[i].ID); ok {
					pj = o
					over[j*n+i] = true
				}
			}
			f.par[f.offRate(j, i)] = pj
		}
	}
	for i := 0; i < n; i++ {
		if c := p.Stages[i].Capacity; c != nil {
			f.hasCap[i] = true
			f.par[f.offCap(i)] = *c
		}
	}
	ownValue := make([]bool, J)
	for j := 0; j < J && !implicit; j++ {
		ownValue[j] = p.Personas[j].OrderValue != nil
	}
	for k := range ins {
		parts := strings.Split(ins[k].target, ".")
		if len(parts) == 4 && parts[0] == "personas" && parts[2] == "rates" {
			if j, i := p.PersonaIndex(parts[1]), p.StageIndex(parts[3]); j >= 0 && i > 0 {
				over[j*n+i] = true
			}
		}
		if len(parts) == 3 && parts[0] == "personas" && parts[2] == "order_value" {
			if j := p.PersonaIndex(parts[1]); j >= 0 {
				ownValue[j] = true
			}
		}
	}
	var unused []string
	for k := range ins {
		in := &ins[k]
		in.offs = nil
		parts := strings.Split(in.target, ".")
		switch {
		case in.target == "top":
			in.offs = []int{0}
		case in.target == "order_value":
			for j := 0; j < J; j++ {
				if !ownValue[j] {
					in.offs = append(in.offs, f.offValue(j))
				}
			}
		case len(parts) == 3 && parts[0] == "stages" && parts[2] == "rate":
			if i := p.StageIndex(parts[1]); i > 0 {
				for j := 0; j < J; j++ {
					if !over[j*n+i] {
						in.offs = append(in.offs, f.offRate(j, i))
					}
				}
			}
		case len(parts) == 3 && parts[0] == "stages" && parts[2] == "capacity":
			if i := p.StageIndex(parts[1]); i >= 0 {
				f.hasCap[i] = true
				in.offs = []int{f.offCap(i)}
			}
		case len(parts) == 3 && parts[0] == "personas" && !implicit:
			j := p.PersonaIndex(parts[1])
			if j < 0 {
				break
			}
			switch parts[2] {
			case "share":
				in.offs = []int{f.offShare(j)}
			case "order_value":
				in.offs = []int{f.offValue(j)}
			}
		case len(parts) == 4 && parts[0] == "personas" && parts[2] == "rates" && !implicit:
			if j, i := p.PersonaIndex(parts[1]), p.StageIndex(parts[3]); j >= 0 && i > 0 {
				in.offs = []int{f.offRate(j, i)}
			}
		}
		if in.offs == nil {
			unused = append(unused, in.target)
		}
	}
	return f, unused
}

// clone returns a copy with its own parameters and scratch space.
func (f *fastFunnel) clone() trialEvaluator {
	g := *f
	g.par = append([]float64(nil), f.par...)
	g.counts = make([]float64, len(f.counts))
	return &g
}

// eval writes the sampled values to their slots and computes the funnel:
// the arithmetic of Forward (MATH.md §a, §d, §e rule 3).
func (f *fastFunnel) eval(ins []simInput, x []float64, row []float64) (bool, error) {
	par := f.par
	for k := range ins {
		for _, o := range ins[k].offs {
			par[o] = x[k]
		}
	}
	n, J := f.n, f.J
	c := f.counts
	total := 0.0
	for j := 0; j < J; j++ {
		c[j*n] = par[0] * par[f.offShare(j)]
		total += c[j*n]
	}
	counts := row[2:]
	counts[0] = total
	for i := 1; i < n; i++ {
		total = 0.0
		for j := 0; j < J; j++ {
			pj := par[f.offRate(j, i)]
			if i == f.gk {
				pj = math.Min(1, pj*f.gf)
			}
			v := c[j*n+i-1] * pj
			c[j*n+i] = v
			total += v
		}
		if f.hasCap[i] {
			if cp := par[f.offCap(i)]; total > cp {
				scale := cp / total
				for j := 0; j < J; j++ {
					c[j*n+i] *= scale
				}
				total = cp
			}
		}
		counts[i] = total
	}
	customers, revenue := 0.0, 0.0
	for j := 0; j < J; j++ {
		cj := c[j*n+n-1]
		customers += cj
		revenue += cj * par[f.offValue(j)]
	}
	row[0], row[1] = customers, revenue
	return false, nil
}
