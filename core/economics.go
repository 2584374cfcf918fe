package core

import (
	"slices"
	"strings"
)

// Stage roles for the economics of MATH.md §c.1.
const (
	RoleClicks  = "clicks"
	RoleLeads   = "leads"
	RoleActions = "actions"
)

func validateRole(ps *Problems, path, role string, before []Stage) {
	switch role {
	case "":
		return
	case RoleClicks, RoleLeads, RoleActions:
	default:
		ps.add(path, "%q is not a stage role (want clicks, leads or actions)", role)
		return
	}
	for _, s := range before {
		if s.Role == role {
			ps.add(path, "stage %q already has role %q (want one stage per role)", s.ID, role)
			return
		}
	}
}

// RoleStage returns the index of the stage that has the role (clicks,
// leads or actions): the stage with that role, else for clicks and leads a
// stage whose id is click(s) or lead(s), else for actions the last stage.
// It returns -1 when no stage has the role.
func (p *Plan) RoleStage(role string) int {
	for i := range p.Stages {
		if p.Stages[i].Role == role {
			return i
		}
	}
	switch role {
	case RoleClicks, RoleLeads:
		one := role[:len(role)-1]
		for i := range p.Stages {
			if id := p.Stages[i].ID; strings.EqualFold(id, one) || strings.EqualFold(id, role) {
				return i
			}
		}
	case RoleActions:
		return len(p.Stages) - 1
	}
	return -1
}

// MediaSpend returns the media spend S per period (money): the sum of the
// channel budgets when the plan has channels, else the plan's spend; ok is
// false when unknown.
func (p *Plan) MediaSpend() (s float64, ok bool) {
	if len(p.Channels) > 0 {
		for i := range p.Channels {
			s += p.Channels[i].Budget
		}
		return s, true
	}
	if p.Spend == nil {
		return 0, false
	}
	return *p.Spend, true
}

// StageValue is what one more person at a stage is worth.
type StageValue struct {
	ID string `json:"id"`
	// ValuePerEntrant is the expected revenue of one person entering the
	// stage, R/N_i (= v·D_i without personas); nil when N_i = 0.
	ValuePerEntrant *float64 `json:"value_per_entrant"`
	v               float64  // storage behind ValuePerEntrant
}

// EconomicsResult holds the metrics of MATH.md §c.1 and §c.2 for one plan
// period. Money is in major units of the plan's currency; a metric whose
// denominator is 0 or whose input is unknown is nil, never 0 or NaN.
type EconomicsResult struct {
	// Spend is the media spend S (channels' budgets, or the plan's spend).
	Spend *float64 `json:"spend"`
	// OtherCosts is the sales and tooling cost per period.
	OtherCosts *float64 `json:"other_costs"`
	// Impressions is the top volume I; Clicks, Leads and Actions the
	// counts at the stages with those roles (nil without such a stage).
	Impressions float64  `json:"impressions"`
	Clicks      *float64 `json:"clicks"`
	Leads       *float64 `json:"leads"`
	Actions     *float64 `json:"actions"`
	Customers   float64  `json:"customers"`
	Revenue     float64  `json:"revenue"`

	CPMCost    *float64 `json:"cpm_cost"`    // 1000·S/I, money per 1000 impressions
	RPMRevenue *float64 `json:"rpm_revenue"` // 1000·R/I, money per 1000 impressions
	CTR        *float64 `json:"ctr"`         // clicks/I, fraction
	CPC        *float64 `json:"cpc"`         // S/clicks
	CPL        *float64 `json:"cpl"`         // S/leads
	CPA        *float64 `json:"cpa"`         // S/actions
	CAC        *float64 `json:"cac"`         // S/customers (media)
	CACLoaded  *float64 `json:"cac_loaded"`  // (S + other costs)/customers
	AOV        *float64 `json:"aov"`         // R/orders (one order per customer per period)
	// Margin is the gross margin m; GrossProfit = R·m; COGS = R − GP.
	Margin      *float64 `json:"margin"`
	GrossProfit *float64 `json:"gross_profit"`
	COGS        *float64 `json:"cogs"`
	ROAS        *float64 `json:"roas"` // R/S, ratio
	// ROI (= ROMI) is (GP − S − other)/(S + other), on gross profit.
	ROI *float64 `json:"roi"`
	// RevenueROI is (R − S)/S, labelled apart from ROI (MATH.md §c.1).
	RevenueROI *float64 `json:"revenue_roi"`
	// NetProfit is GP − S − other costs, money per period.
	NetProfit     *float64 `json:"net_profit"`
	BreakEvenROAS *float64 `json:"break_even_roas"` // 1/m

	Stages   []StageValue    `json:"stages"`
	LTV      *LTVResult      `json:"ltv,omitempty"`
	Ladder   *LadderResult   `json:"ladder,omitempty"`
	Channels []ChannelResult `json:"channels,omitempty"`
	Warnings []string        `json:"warnings"`

	// buf holds the values behind the metric pointers, ltv the LTV and
	// stages the stages of a funnel of up to 12 stages: one allocation.
	buf    [24]float64
	ltv    LTVResult
	stages [12]StageValue
}

// Economics computes the money metrics of a plan's forward funnel f
// (MATH.md §c.1), the customer LTV and payback when the plan has a
// retention section, the value ladder and the channel ranking (§c.2):
//
//	CPM = 1000·S/I   RPM = 1000·R/I   CTR = clicks/I   CPC = S/clicks
//	CPL = S/leads    CPA = S/actions  CAC = S/customers
//	CAC loaded = (S + other)/customers   AOV = R/orders
//	GP = R·m   ROAS = R/S   ROI = (GP − S − other)/(S + other)
//	break-even ROAS = 1/m
//
// f must be Forward of the same plan.
func Economics(p *Plan, f *ForwardResult) *EconomicsResult {
	n := len(f.Stages)
	e := &EconomicsResult{
		Impressions: f.Stages[0].Count,
		Customers:   f.Customers,
		Revenue:     f.Revenue,
		Warnings:    []string{},
	}
	if n <= len(e.stages) {
		e.Stages = e.stages[:n:n]
	} else {
		e.Stages = make([]StageValue, n)
	}
	k := 0
	set := func(x float64) *float64 {
		e.buf[k] = x
		k++
		return &e.buf[k-1]
	}
	div := func(a, b float64) *float64 {
		if b == 0 {
			return nil
		}
		return set(a / b)
	}
	for i := range f.Stages {
		sv := &e.Stages[i]
		sv.ID = f.Stages[i].ID
		if c := f.Stages[i].Count; c != 0 {
			sv.v = f.Revenue / c
			sv.ValuePerEntrant = &sv.v
		}
	}
	count := func(role string) *float64 {
		if i := p.RoleStage(role); i >= 0 && i < n {
			return set(f.Stages[i].Count)
		}
		return nil
	}
	e.Clicks, e.Leads, e.Actions = count(RoleClicks), count(RoleLeads), count(RoleActions)
	I, R, C := e.Impressions, e.Revenue, e.Customers
	e.RPMRevenue = div(1000*R, I)
	if e.Clicks != nil {
		e.CTR = div(*e.Clicks, I)
	}
	e.AOV = div(R, C)
	if S, ok := p.MediaSpend(); ok {
		e.Spend = set(S)
		e.CPMCost = div(1000*S, I)
		if e.Clicks != nil {
			e.CPC = div(S, *e.Clicks)
		}
		if e.Leads != nil {
			e.CPL = div(S, *e.Leads)
		}
		if e.Actions != nil {
			e.CPA = div(S, *e.Actions)
		}
		e.CAC = div(S, C)
		e.ROAS = div(R, S)
		e.RevenueROI = div(R-S, S)
	}
	other := 0.0
	if p.OtherCosts != nil {
		other = *p.OtherCosts
		e.OtherCosts = set(other)
	}
	if e.Spend != nil || e.OtherCosts != nil {
		S := 0.0
		if e.Spend != nil {
			S = *e.Spend
		}
		e.CACLoaded = div(S+other, C)
		if p.Margin != nil {
			gp := R * *p.Margin
			e.ROI = div(gp-S-other, S+other)
			e.NetProfit = set(gp - S - other)
		}
	}
	if p.Margin != nil {
		m := *p.Margin
		e.Margin = set(m)
		e.GrossProfit = set(R * m)
		e.COGS = set(R - R*m)
		e.BreakEvenROAS = div(1, m)
	}
	if p.Retention != nil {
		switch {
		case p.Margin == nil:
			e.Warnings = append(e.Warnings, "retention: lifetime value needs the plan's margin")
		default:
			v := p.OrderValue
			if e.AOV != nil {
				v = *e.AOV
			}
			if err := e.ltv.fill(p.Retention, v, *p.Margin, e.CAC); err != nil {
				e.Warnings = append(e.Warnings, "retention: "+err.Error())
			} else {
				e.LTV = &e.ltv
			}
		}
	}
	if len(p.Ladder) > 0 {
		d := 0.0
		if p.Retention != nil {
			d = p.Retention.Discount
		}
		l, err := Ladder(p.Ladder, d)
		if err != nil {
			e.Warnings = append(e.Warnings, err.Error())
		} else {
			e.Ladder = l
		}
	}
	if len(p.Channels) > 0 {
		e.Channels = RankChannels(p, f)
	}
	return e
}

// ChannelResult is one channel's lead-generation economics (MATH.md §c.1).
type ChannelResult struct {
	ID     string  `json:"id"`
	Name   string  `json:"name"`
	Budget float64 `json:"budget"`
	// Touches T_j is the volume bought at the entry stage at the current
	// budget; Leads L_j = T_j·c_j; Sales = L_j·q_j (persons per period).
	Touches *float64 `json:"touches"`
	Leads   *float64 `json:"leads"`
	Sales   *float64 `json:"sales"`
	// CPL = B/L, CostPerSale = CPL/q = B/sales, ROAS = sales·v/B.
	CPL         *float64 `json:"cpl"`
	CostPerSale *float64 `json:"cost_per_sale"`
	ROAS        *float64 `json:"roas"`
	// Rank is 1 for the lowest cost per sale; 0 when the cost per sale is
	// undefined.
	Rank int `json:"rank"`
}

// RankChannels evaluates every channel as a lead source (MATH.md §c.1) and
// ranks them by cost per sale, never by CPL alone:
//
//	L_j = T_j c_j,  CPL_j = B_j/L_j,  sales_j = L_j q_j,
//	cost per sale = CPL_j/q_j,  ROAS_j = L_j q_j v/B_j
//
// A channel without lead_rate uses the funnel's conversion from its entry
// stage to the leads stage, and without lead_quality the conversion from
// the leads stage to the last stage (from f, the forward funnel of p).
// Without a leads stage a channel's sales are T_j times the conversion
// from its entry stage. The result keeps the plan's channel order.
func RankChannels(p *Plan, f *ForwardResult) []ChannelResult {
	n := len(f.Stages)
	lead := p.RoleStage(RoleLeads)
	v := p.OrderValue
	if f.AOV != nil {
		v = *f.AOV
	}
	conv := func(a, b int) (float64, bool) { // C_b / C_a from the forward funnel
		if a < 0 || b < 0 || a >= n || b >= n || f.Stages[a].Cumulative == 0 {
			return 0, false
		}
		return f.Stages[b].Cumulative / f.Stages[a].Cumulative, true
	}
	out := make([]ChannelResult, len(p.Channels))
	for i := range p.Channels {
		c := &p.Channels[i]
		r := &out[i]
		r.ID, r.Name, r.Budget = c.ID, c.Name, c.Budget
		if r.Name == "" {
			r.Name = r.ID
		}
		k := c.entry(p)
		t, ok := c.VolumeAt(c.Budget)
		if !ok {
			t, ok = c.BaseVolume()
		}
		if !ok || k < 0 {
			continue
		}
		r.Touches = F(t)
		var sales float64
		switch {
		case c.LeadRate != nil || (lead >= k && lead >= 0):
			cr, ok := 0.0, true
			if c.LeadRate != nil {
				cr = *c.LeadRate
			} else {
				cr, ok = conv(k, lead)
			}
			if !ok {
				continue
			}
			leads := t * cr
			r.Leads = F(leads)
			if leads > 0 {
				r.CPL = F(c.Budget / leads)
			}
			q, ok := 0.0, true
			if c.LeadQuality != nil {
				q = *c.LeadQuality
			} else if lead >= k && lead >= 0 {
				q, ok = conv(lead, n-1)
			} else {
				q, ok = conv(k, n-1)
				if cr > 0 {
					q /= cr
				}
			}
			if !ok {
				continue
			}
			sales = leads * q
		default:
			d, ok := conv(k, n-1)
			if !ok {
				continue
			}
			sales = t * d
		}
		r.Sales = F(sales)
		if sales > 0 {
			r.CostPerSale = F(c.Budget / sales)
		}
		if c.Budget > 0 {
			r.ROAS = F(sales * v / c.Budget)
		}
	}
	order := make([]int, 0, len(out))
	for i := range out {
		if out[i].CostPerSale != nil {
			order = append(order, i)
		}
	}
	slices.SortStableFunc(order, func(a, b int) int {
		x, y := *out[a].CostPerSale, *out[b].CostPerSale
		switch {
		case x < y:
			return -1
		case x > y:
			return 1
		}
		return 0
	})
	for rank, i := range order {
		out[i].Rank = rank + 1
	}
	return out
}
