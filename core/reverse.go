package core

import (
	"errors"
	"fmt"
	"math"
)

// Goal is what the reverse funnel must reach per plan period (MATH.md §b):
// exactly one of Customers, Revenue or Profit.
type Goal struct {
	// Customers C* >= 0 per period.
	Customers *float64
	// Revenue G >= 0 (money per period); C* = G/v with v the plan's
	// average order value (with personas: weighted by the customer mix).
	Revenue *float64
	// Profit is a net-profit goal G_net >= 0 (money per period): gross
	// profit after media spend, C*·v·m − S(C*). It needs the plan's margin
	// and a cost (Anchor, a channel or the plan's spend).
	Profit *float64
	// Integer rounds every required count up to a whole person.
	Integer bool
	// Anchor is the unit cost that prices the required volume (nil: the
	// plan's first channel with a known volume, else the plan's spend).
	Anchor *CostAnchor
}

// CostAnchor is one unit price at one stage (MATH.md §b).
type CostAnchor struct {
	// Pricing is "cpm" (price per 1000), "cpc", "cpl" or "cpa" (per unit).
	Pricing string
	// Price is money per unit (per 1000 units for cpm), >= 0.
	Price float64
	// Stage is the id of the priced stage. Empty: the top for cpm; the
	// clicks stage (else the top) for cpc; the leads stage for cpl; the
	// last stage for cpa (see Plan.RoleStage).
	Stage string
}

// InfeasibleError says a valid goal cannot be reached (MATH.md §0): a zero
// rate on the path, a capacity, a saturated response curve or costs that
// exceed the gross profit of a customer.
type InfeasibleError struct {
	// Stage is the id of the stage where the goal breaks.
	Stage string
	// Reason says why, in words.
	Reason string
	// MaxCustomers is the most customers per period the plan can reach,
	// when known; MaxProfit the most net profit, for profit goals.
	MaxCustomers *float64
	MaxProfit    *float64
}

func (e *InfeasibleError) Error() string {
	s := fmt.Sprintf("goal is infeasible at stage %q: %s", e.Stage, e.Reason)
	if e.MaxCustomers != nil {
		s += fmt.Sprintf(" (at most %s customers per period)", fmtCount(*e.MaxCustomers))
	}
	if e.MaxProfit != nil {
		s += fmt.Sprintf(" (at most %s net profit per period)", fmtCount(*e.MaxProfit))
	}
	return s
}

// ReverseStage is one stage of a reverse funnel.
type ReverseStage struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Required is the count needed at the stage per period.
	Required float64 `json:"required"`
	// Current is the count the plan gives now (Forward).
	Current float64 `json:"current"`
	// Rate is the aggregate step rate used (nil for the top).
	Rate *float64 `json:"rate"`
	// Capacity is the stage's capacity, when set.
	Capacity *float64 `json:"capacity,omitempty"`
}

// Uplift is the rate improvement that reaches the goal at fixed traffic
// (MATH.md §b, water-filling).
type Uplift struct {
	// Factor F = C*/C_now.
	Factor float64 `json:"factor"`
	// Phi is the common stretch of the stages left below 1.
	Phi *float64 `json:"phi"`
	// Stages holds the current and required aggregate step rates.
	Stages []UpliftStage `json:"stages"`
	// Infeasible is set when even every rate at 1 does not reach the goal.
	Infeasible string `json:"infeasible,omitempty"`
}

// UpliftStage is one step's rate before and after the uplift.
type UpliftStage struct {
	ID       string  `json:"id"`
	Current  float64 `json:"current"`
	Required float64 `json:"required"`
}

// ReverseResult is the reverse funnel: what each stage needs to reach a
// goal, and what it costs.
type ReverseResult struct {
	// Goal is "customers", "revenue" or "profit"; Target its value.
	Goal    string  `json:"goal"`
	Target  float64 `json:"target"`
	Integer bool    `json:"integer"`
	// Customers is C*, Revenue C*·v (money per period).
	Customers float64        `json:"customers"`
	Revenue   float64        `json:"revenue"`
	Stages    []ReverseStage `json:"stages"`
	// Top is the required top volume; TopFactor Top / current top.
	Top       float64  `json:"top"`
	TopFactor *float64 `json:"top_factor"`
	// Budget is the media spend per period that buys the required volume
	// (nil when the plan has no costs); BudgetBasis says how it was priced.
	Budget      *float64 `json:"budget"`
	BudgetBasis string   `json:"budget_basis,omitempty"`
	// CostPerCustomer is Budget / Customers.
	CostPerCustomer *float64 `json:"cost_per_customer"`
	// GrossProfit = Revenue·m, NetProfit = GrossProfit − Budget (nil
	// without a margin, or without costs).
	GrossProfit *float64 `json:"gross_profit"`
	NetProfit   *float64 `json:"net_profit"`
	// Uplift is the alternative: the same goal at today's top volume.
	Uplift      *Uplift  `json:"uplift,omitempty"`
	Assumptions []string `json:"assumptions,omitempty"`
	Warnings    []string `json:"warnings"`
}

// CeilCount rounds a required count up to a whole number, guarding float
// noise (MATH.md §b): 21/0.7 = 30.000000000000004 gives 30, not 31.
//
//	ceil(x) = math.Ceil(x − 1e-9·max(1, |x|))
func CeilCount(x float64) float64 {
	return math.Ceil(x - 1e-9*math.Max(1, math.Abs(x)))
}

// spendModel prices a required volume at one stage.
type spendModel struct {
	stage int
	basis string
	// linear: S = unit · N_k
	linear bool
	unit   float64
	// channel: S = c.Spend(V_now + N_k − N_k,now)
	ch        *Channel
	vNow      float64 // the channel's volume at its current budget
	stageNow  float64 // the stage's count now
	others    float64 // other channels' budgets, unchanged
	assumeTxt string
}

// spend returns the spend for count nk at the model's stage; ok is false
// when no spend reaches it (saturated curve).
func (m *spendModel) spend(nk float64) (float64, bool) {
	if m.linear {
		return m.unit * nk, true
	}
	v0, _ := m.ch.BaseVolume()
	v := m.vNow + nk - m.stageNow
	s, ok := m.ch.Response.Spend(v0, m.ch.base(), v)
	return s + m.others, ok
}

// Reverse computes the reverse funnel of MATH.md §b: the volume every
// stage needs per period to reach the goal, the budget that buys it and
// the rate uplift that would reach it at today's traffic.
//
//	N_n = C*,  N_{i-1} = N_i / p_i                     (real mode)
//	N_n = ceil(C*), N_{i-1} = ceil(N_i / p_i)          (integer mode, CeilCount)
//	B = N_k · u / per           (cost anchor at stage k; CPM per = 1000)
//	S = S_0 (N_0/I_0)^{1/b}     (a channel's response curve, §c.3)
//	C* = G_net / (v·m − k_c),   k_c = (u/per) / D_k   (net-profit goal)
//
// With personas p_i is the aggregate rate (persona mix at the previous
// stage, §d), which the required volumes keep. A zero rate on the path, a
// capacity below the required count, a saturated curve or costs above a
// customer's gross profit return an *InfeasibleError naming the stage.
func Reverse(p *Plan, g Goal) (*ReverseResult, error) {
	n := len(p.Stages)
	if n < 2 {
		return nil, fmt.Errorf("stages: %d stages (want at least 2)", n)
	}
	res := &ReverseResult{Integer: g.Integer, Warnings: []string{}}
	if p.BuyingGroup != nil {
		// Work on the rates the group leaves (MATH.md §i), as Forward does.
		q, e, err := WithBuyingGroup(p)
		if err != nil {
			return nil, err
		}
		if e != nil {
			res.Warnings = append(res.Warnings, fmt.Sprintf("buying group: stage %q rate x %.6g (consensus of the group)", e.Stage, e.Factor))
		}
		p = q
	}
	set := 0
	for _, x := range []struct {
		name string
		v    *float64
	}{{"customers", g.Customers}, {"revenue", g.Revenue}, {"profit", g.Profit}} {
		if x.v == nil {
			continue
		}
		set++
		res.Goal, res.Target = x.name, *x.v
		if math.IsNaN(*x.v) || math.IsInf(*x.v, 0) || *x.v < 0 {
			return nil, fmt.Errorf("goal: %s %s is not an amount (want a finite number >= 0)", x.name, num(*x.v))
		}
	}
	if set != 1 {
		return nil, errors.New("goal: want exactly one of customers, revenue or profit")
	}
	now, err := Forward(p)
	if err != nil {
		return nil, err
	}
	// Unit funnel: persons per unit of top, with the persona mix.
	u, revU := unitFunnel(p)
	rates := make([]float64, n) // aggregate step rates, rates[0] unused
	for i := 1; i < n; i++ {
		if len(p.Personas) == 0 {
			rates[i] = p.Stages[i].rate()
		} else if u[i-1] > 0 {
			rates[i] = u[i] / u[i-1]
		}
	}
	v := p.OrderValue
	if u[n-1] > 0 && len(p.Personas) > 0 {
		v = revU / u[n-1]
	}
	// D_k = u_n / u_k: customers per person entering stage k.
	down := func(k int) float64 {
		if u[k] == 0 {
			return 0
		}
		return u[n-1] / u[k]
	}
	model, err := p.spendModel(g.Anchor, now)
	if err != nil {
		return nil, err
	}
	if model != nil && model.assumeTxt != "" {
		res.Assumptions = append(res.Assumptions, model.assumeTxt)
	}

	var cstar float64
	switch {
	case g.Customers != nil:
		cstar = *g.Customers
	case g.Revenue != nil:
		if *g.Revenue > 0 && v <= 0 {
			return nil, errors.New("goal: a revenue goal needs an order value > 0 (order_value)")
		}
		if *g.Revenue > 0 {
			cstar = *g.Revenue / v
		}
	case g.Profit != nil:
		if p.Margin == nil {
			return nil, errors.New("goal: a net-profit goal needs the plan's margin")
		}
		if model == nil {
			return nil, errors.New("goal: a net-profit goal needs a cost (a channel with a volume or price, the plan's spend, or a CPM/CPC/CPL/CPA anchor)")
		}
		cstar, err = profitCustomers(p, model, *g.Profit, v**p.Margin, down)
		if err != nil {
			return nil, err
		}
	}
	// A zero on the path: the first stage nobody reaches.
	if cstar > 0 {
		for i := 1; i < n; i++ {
			if u[i] == 0 {
				return nil, &InfeasibleError{Stage: p.Stages[i].ID, Reason: "its rate is 0, so no volume upstream reaches the goal"}
			}
		}
	}
	req := make([]float64, n)
	req[n-1] = cstar
	if g.Integer {
		req[n-1] = CeilCount(cstar)
	}
	for i := n - 1; i >= 1; i-- {
		switch {
		case req[i] == 0:
			req[i-1] = 0
		case g.Integer:
			req[i-1] = CeilCount(req[i] / rates[i])
		default:
			req[i-1] = req[i] / rates[i]
		}
	}
	// Capacities: the binding stage is the one allowing the fewest customers.
	var worst *InfeasibleError
	for i := range p.Stages {
		c := p.Stages[i].Capacity
		if c == nil || req[i] <= *c*(1+1e-12) {
			continue
		}
		most := *c * down(i)
		if worst == nil || most < *worst.MaxCustomers {
			worst = &InfeasibleError{Stage: p.Stages[i].ID, MaxCustomers: F(most),
				Reason: fmt.Sprintf("it needs %s per period but its capacity is %s", fmtCount(req[i]), fmtCount(*c))}
		}
	}
	if worst != nil {
		return nil, worst
	}
	res.Customers = req[n-1]
	res.Revenue = res.Customers * v
	res.Top = req[0]
	if now.Stages[0].Count > 0 {
		res.TopFactor = F(res.Top / now.Stages[0].Count)
	}
	res.Stages = make([]ReverseStage, n)
	for i := range p.Stages {
		s := &res.Stages[i]
		s.ID, s.Name = p.Stages[i].ID, now.Stages[i].Name
		s.Required, s.Current = req[i], now.Stages[i].Count
		s.Capacity = cloneF(p.Stages[i].Capacity)
		if i > 0 {
			s.Rate = F(rates[i])
		}
	}
	if model != nil {
		b, ok := model.spend(req[model.stage])
		if !ok {
			return nil, model.saturated(p, down)
		}
		res.Budget = F(b)
		res.BudgetBasis = model.basis
		if res.Customers > 0 {
			res.CostPerCustomer = F(b / res.Customers)
		}
	}
	if p.Margin != nil {
		res.GrossProfit = F(res.Revenue * *p.Margin)
		if res.Budget != nil {
			res.NetProfit = F(*res.GrossProfit - *res.Budget)
		}
	}
	if now.Customers > 0 && res.Customers > 0 {
		res.Uplift = uplift(p, rates, res.Customers/now.Customers)
	}
	return res, nil
}

// unitFunnel returns u_i, the persons at stage i per unit of top (persona
// mix included, no capacities or channels), and the revenue per unit.
func unitFunnel(p *Plan) (u []float64, rev float64) {
	n := len(p.Stages)
	u = make([]float64, n)
	if len(p.Personas) == 0 {
		u[0] = 1
		for i := 1; i < n; i++ {
			u[i] = u[i-1] * p.Stages[i].rate()
		}
		return u, u[n-1] * p.OrderValue
	}
	for _, x := range p.Personas {
		c := x.Share
		u[0] += c
		rr := rateReader{r: x.Rates}
		for i := 1; i < n; i++ {
			r := p.Stages[i].rate()
			if o, ok := rr.at(p.Stages[i].ID); ok {
				r = o
			}
			c *= r
			u[i] += c
		}
		v := p.OrderValue
		if x.OrderValue != nil {
			v = *x.OrderValue
		}
		rev += c * v
	}
	return u, rev
}

// anchorStage resolves the stage a cost anchor prices.
func (p *Plan) anchorStage(a *CostAnchor) (int, error) {
	if a.Stage != "" {
		k := p.StageIndex(a.Stage)
		if k < 0 {
			return 0, fmt.Errorf("cost: no stage has id %q", a.Stage)
		}
		return k, nil
	}
	switch a.Pricing {
	case "cpm":
		return 0, nil
	case "cpc":
		return max(0, p.RoleStage(RoleClicks)), nil
	case "cpl":
		if k := p.RoleStage(RoleLeads); k >= 0 {
			return k, nil
		}
		return 0, errors.New("cost: a CPL needs a leads stage (a stage with id lead or role leads, or name the stage)")
	case "cpa":
		return len(p.Stages) - 1, nil
	}
	return 0, fmt.Errorf("cost: %q is not a pricing (want cpm, cpc, cpl or cpa)", a.Pricing)
}

// spendModel chooses how the reverse funnel prices volume: an explicit
// anchor, else the first channel with a known volume, else the plan's
// spend (which buys the top). It returns nil when the plan has no costs.
func (p *Plan) spendModel(a *CostAnchor, now *ForwardResult) (*spendModel, error) {
	if a != nil {
		if math.IsNaN(a.Price) || math.IsInf(a.Price, 0) || a.Price < 0 {
			return nil, fmt.Errorf("cost: %s is not a price (want a finite amount >= 0)", num(a.Price))
		}
		k, err := p.anchorStage(a)
		if err != nil {
			return nil, err
		}
		per := pricingPer(a.Pricing)
		return &spendModel{stage: k, linear: true, unit: a.Price / per,
			basis: fmt.Sprintf("%s %s at stage %q", a.Pricing, num(a.Price), p.Stages[k].ID)}, nil
	}
	for i := range p.Channels {
		c := &p.Channels[i]
		k := c.entry(p)
		vNow, ok := c.VolumeAt(c.Budget)
		if k < 0 || !ok {
			continue
		}
		m := &spendModel{stage: k, ch: c, vNow: vNow, stageNow: now.Stages[k].Count,
			basis: fmt.Sprintf("channel %q at stage %q (%s); other channels unchanged", c.ID, p.Stages[k].ID, c.Response.Label())}
		for j := range p.Channels {
			if j != i {
				m.others += p.Channels[j].Budget
			}
		}
		if c.Response.curve() != "linear" {
			m.assumeTxt = fmt.Sprintf("channel %q: spend -> volume is an assumed %s", c.ID, c.Response.Label())
		}
		return m, nil
	}
	if p.Spend != nil && p.Top > 0 && len(p.Channels) == 0 {
		return &spendModel{stage: 0, linear: true, unit: *p.Spend / p.Top,
			basis: fmt.Sprintf("the plan's spend %s buys the top of %s (linear)", fmtCount(*p.Spend), fmtCount(p.Top))}, nil
	}
	return nil, nil
}

// saturated is the error of a channel whose curve cannot buy the volume.
func (m *spendModel) saturated(p *Plan, down func(int) float64) error {
	v0, _ := m.ch.BaseVolume()
	r := m.ch.Response
	if v0 <= 0 || r == nil || r.Max == nil {
		return &InfeasibleError{Stage: p.Stages[m.stage].ID,
			Reason: fmt.Sprintf("channel %q buys no volume, so no budget reaches the goal", m.ch.ID)}
	}
	vmax := *r.Max * v0
	most := (m.stageNow - m.vNow + vmax) * down(m.stage)
	return &InfeasibleError{Stage: p.Stages[m.stage].ID, MaxCustomers: F(most),
		Reason: fmt.Sprintf("channel %q saturates at %s (%s)", m.ch.ID, fmtCount(vmax), r.Label())}
}

// profitCustomers solves the net-profit goal for C*: C·v·m − S(C) = G.
// Linear costs have the closed form of MATH.md §b; a channel's response
// curve makes S convex in C, so profit is concave: the smallest C reaching
// G lies left of the profit maximum and is found by bisection.
func profitCustomers(p *Plan, m *spendModel, goal, vm float64, down func(int) float64) (float64, error) {
	stage := p.Stages[m.stage].ID
	dk := down(m.stage)
	if dk == 0 {
		return 0, &InfeasibleError{Stage: stage, Reason: "nobody entering the priced stage becomes a customer"}
	}
	if m.linear {
		kc := m.unit / dk // cost per customer
		if vm <= kc {
			return 0, &InfeasibleError{Stage: stage, Reason: fmt.Sprintf("each customer costs %s at this stage but brings %s gross profit", fmtCount(kc), fmtCount(vm))}
		}
		return goal / (vm - kc), nil
	}
	profit := func(c float64) float64 {
		s, ok := m.spend(c / dk)
		if !ok {
			return math.Inf(-1)
		}
		return c*vm - s
	}
	if goal <= profit(0) {
		return 0, nil
	}
	// Grow the bracket until the goal is met or the profit falls.
	lo, hi := 0.0, math.Max(1, m.stageNow*dk)
	for k := 0; profit(hi) < goal; k++ {
		if k > 200 || profit(2*hi) <= profit(hi) {
			// Past the maximum: golden-section search on [0, 2hi].
			a, b := 0.0, 2*hi
			const gr = 0.6180339887498949
			for it := 0; it < 200 && b-a > 1e-12*math.Max(1, b); it++ {
				x1, x2 := b-gr*(b-a), a+gr*(b-a)
				if profit(x1) < profit(x2) {
					a = x1
				} else {
					b = x2
				}
			}
			best := (a + b) / 2
			if profit(best) < goal {
				return 0, &InfeasibleError{Stage: stage, MaxProfit: F(profit(best)),
					Reason: fmt.Sprintf("the response curve of channel %q makes more volume cost more than it earns", m.ch.ID)}
			}
			hi = best
			break
		}
		lo, hi = hi, 2*hi
	}
	for it := 0; it < 200 && hi-lo > 1e-12*math.Max(1, hi); it++ {
		mid := (lo + hi) / 2
		if profit(mid) >= goal {
			hi = mid
		} else {
			lo = mid
		}
	}
	return hi, nil
}

// WaterFill stretches rates by a common factor φ so that their product
// grows by factor F (MATH.md §b): φ = F^{1/n}; a stage that φ would push
// above 1 is set to 1, F is divided by its gain 1/p_i and φ recomputed
// over the others, until none exceeds 1. Rates are fractions in [0, 1]
// with at least one > 0 (zero rates stay 0). It returns the new rates and
// φ (NaN when every stage saturated), or an error when even all rates at
// 1 fall short of F.
func WaterFill(rates []float64, factor float64) (out []float64, phi float64, err error) {
	out = append([]float64(nil), rates...)
	active := make([]bool, len(rates))
	m := 0
	for i, r := range rates {
		if r > 0 {
			active[i] = true
			m++
		}
	}
	rem := factor
	for {
		if m == 0 {
			if rem > 1+1e-12 {
				return nil, math.NaN(), fmt.Errorf("every rate at 1 still falls short by a factor of %.6g", rem)
			}
			return out, math.NaN(), nil
		}
		phi = math.Pow(rem, 1/float64(m))
		sat := false
		for i, r := range rates {
			if active[i] && phi*r > 1 {
				active[i], m, sat = false, m-1, true
				rem *= r // divide by the gain 1/r
				out[i] = 1
			}
		}
		if !sat {
			break
		}
	}
	for i, r := range rates {
		if active[i] {
			out[i] = phi * r
		}
	}
	return out, phi, nil
}

// uplift is the water-filled stretch of the aggregate rates that reaches
// the goal factor at today's top.
func uplift(p *Plan, rates []float64, factor float64) *Uplift {
	up := &Uplift{Factor: factor}
	out, phi, err := WaterFill(rates[1:], factor)
	if err != nil {
		up.Infeasible = err.Error()
		return up
	}
	if !math.IsNaN(phi) {
		up.Phi = F(phi)
	}
	for i := 1; i < len(rates); i++ {
		up.Stages = append(up.Stages, UpliftStage{ID: p.Stages[i].ID, Current: rates[i], Required: out[i-1]})
	}
	return up
}

// rate returns the stage's rate, 0 when missing.
func (s *Stage) rate() float64 {
	if s.Rate == nil {
		return 0
	}
	return *s.Rate
}
