package core

import (
	"fmt"
	"math"
	"strings"
)

// Channel is a traffic or lead-generation channel (MATH.md §b, §c.1, §c.3).
// Its budget buys volume at one stage of the funnel (default the top).
//
// The channel's volume V_0 (persons, impressions or clicks per period at
// its entry stage) holds at its base budget S_0. When the budget moves
// away from S_0 (a scenario, a sweep), the volume at the entry stage moves
// by V(S) − V(S_0), with V the response curve (linear by default). The
// plan's top (or the flow into a later entry stage) already contains V_0.
type Channel struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
	// Budget is the spend per plan period (money, >= 0).
	Budget float64 `json:"budget"`
	// BaseBudget is S_0, the budget at which Volume (or Price) was observed
	// (money per period, >= 0). Empty means Budget; changing the budget
	// through a target path (scenarios, sweeps) records the old budget here
	// first, so the volume follows the response curve from it.
	BaseBudget *float64 `json:"base_budget,omitempty"`
	// Stage is the id of the stage where the channel's volume enters
	// (empty: stages[0]).
	Stage string `json:"stage,omitempty"`
	// Pricing says how Price is charged: "cpm" (per 1000 units of the
	// entry stage), "cpc" (per click), "cpl" (per lead) or "cpa" (per
	// customer); the units are those of the entry stage. Empty with no
	// Price: the budget is a flat fee.
	Pricing string `json:"pricing,omitempty"`
	// Price is the unit price for Pricing (money, >= 0); with no Volume it
	// implies V_0 = S_0 · per / Price (per = 1000 for cpm, else 1).
	Price *float64 `json:"price,omitempty"`
	// Volume is V_0, the persons (touches) per period the base budget buys
	// at the entry stage (>= 0).
	Volume *float64 `json:"volume,omitempty"`
	// LeadRate is touch -> lead c_j in [0, 1], LeadQuality lead -> sale q_j
	// in [0, 1] (§c.1). Empty: the plan's own rates from the entry stage.
	LeadRate    *float64 `json:"lead_rate,omitempty"`
	LeadQuality *float64 `json:"lead_quality,omitempty"`
	// Response is the assumed spend -> volume curve (§c.3); nil is linear.
	Response *Response `json:"response,omitempty"`
}

func (c Channel) clone() Channel {
	c.BaseBudget = cloneF(c.BaseBudget)
	c.Price = cloneF(c.Price)
	c.Volume = cloneF(c.Volume)
	c.LeadRate = cloneF(c.LeadRate)
	c.LeadQuality = cloneF(c.LeadQuality)
	c.Response = c.Response.clone()
	return c
}

// base returns S_0.
func (c *Channel) base() float64 {
	if c.BaseBudget != nil {
		return *c.BaseBudget
	}
	return c.Budget
}

// per is the number of units the price is for: 1000 for CPM, else 1.
func pricingPer(pricing string) float64 {
	if pricing == "cpm" {
		return 1000
	}
	return 1
}

// BaseVolume returns V_0, the volume bought at the base budget: Volume, or
// S_0 · per / Price. ok is false when neither is known.
func (c *Channel) BaseVolume() (v float64, ok bool) {
	if c.Volume != nil {
		return *c.Volume, true
	}
	if c.Pricing != "" && c.Price != nil && *c.Price > 0 {
		return c.base() * pricingPer(c.Pricing) / *c.Price, true
	}
	return 0, false
}

// VolumeAt returns the volume the channel buys with spend s >= 0, following
// the response curve through (S_0, V_0). ok is false when the channel has
// no known volume or no base budget to scale from.
func (c *Channel) VolumeAt(s float64) (v float64, ok bool) {
	v0, ok := c.BaseVolume()
	s0 := c.base()
	if !ok || s0 <= 0 {
		return 0, false
	}
	return c.Response.Volume(v0, s0, s), true
}

// entry returns the index of the channel's entry stage (-1 if unknown).
func (c *Channel) entry(p *Plan) int {
	if c.Stage == "" {
		return 0
	}
	return p.StageIndex(c.Stage)
}

func (c *Channel) validate(ps *Problems, path string, p *Plan) {
	ps.nonNeg(path+".budget", c.Budget, "money amount")
	ps.optNonNeg(path+".base_budget", c.BaseBudget, "money amount")
	if c.Stage != "" && p.StageIndex(c.Stage) < 0 {
		ps.add(path+".stage", "no stage has id %q", c.Stage)
	}
	switch c.Pricing {
	case "", "cpm", "cpc", "cpl", "cpa":
	default:
		ps.add(path+".pricing", "%q is not a pricing (want cpm, cpc, cpl or cpa)", c.Pricing)
	}
	if c.Pricing != "" && c.Price == nil {
		ps.add(path+".price", "missing price for pricing %q", c.Pricing)
	}
	if c.Price != nil && c.Pricing == "" {
		ps.add(path+".pricing", "missing pricing for price %s (want cpm, cpc, cpl or cpa)", num(*c.Price))
	}
	ps.optNonNeg(path+".price", c.Price, "money amount")
	ps.optNonNeg(path+".volume", c.Volume, "volume")
	ps.optRate(path+".lead_rate", c.LeadRate)
	ps.optRate(path+".lead_quality", c.LeadQuality)
	if c.Response != nil {
		c.Response.validate(ps, path+".response")
		if _, ok := c.BaseVolume(); !ok && c.Response.curve() != "linear" {
			ps.add(path+".response", "a response curve needs the channel's volume (or a price) to scale from")
		}
	}
	if _, ok := c.BaseVolume(); ok && c.base() == 0 && c.Budget > 0 {
		ps.add(path+".base_budget", "0 buys the channel's volume, so no budget can be scaled from it (want > 0)")
	}
}

func (p *Plan) channelIndex(id string) int {
	for i := range p.Channels {
		if p.Channels[i].ID == id {
			return i
		}
	}
	return -1
}

// ref resolves a channel field path (the part after channels.<id>.).
// Setting the budget first records the old budget as the base budget, so
// the volume follows the response curve from the plan's values.
func (c *Channel) ref(field string) (slot, error) {
	switch field {
	case "budget":
		return slot{
			get: func() (float64, bool) { return c.Budget, true },
			set: func(v float64) {
				if c.BaseBudget == nil && v != c.Budget {
					c.BaseBudget = F(c.Budget)
				}
				c.Budget = v
			},
			kind: kindNonNeg,
		}, nil
	case "base_budget":
		return optSlot(&c.BaseBudget, kindNonNeg), nil
	case "price":
		return optSlot(&c.Price, kindNonNeg), nil
	case "volume":
		return optSlot(&c.Volume, kindNonNeg), nil
	case "lead_rate":
		return optSlot(&c.LeadRate, kindRate), nil
	case "lead_quality":
		return optSlot(&c.LeadQuality, kindRate), nil
	}
	if f, ok := strings.CutPrefix(field, "response."); ok {
		if c.Response == nil {
			return slot{}, fmt.Errorf("the channel has no response curve")
		}
		return c.Response.ref(f)
	}
	return slot{}, fmt.Errorf("%q is not a channel field (want budget, base_budget, price, volume, lead_rate, lead_quality or response.<b|max|scale>)", field)
}

// channelAdds returns the volume channels add per stage because their
// budgets differ from their base budgets (MATH.md §c.3), recording the
// curves used in r.Assumptions and channels without a known volume in
// r.Warnings. It returns nil when no channel changes any volume.
func (p *Plan) channelAdds(r *ForwardResult) []float64 {
	var add []float64
	topVolume := 0.0
	for i := range p.Channels {
		c := &p.Channels[i]
		k := c.entry(p)
		if k < 0 {
			continue
		}
		v0, known := c.BaseVolume()
		if known && k == 0 {
			topVolume += v0
		}
		if c.Response != nil && c.Response.curve() != "linear" {
			r.Assumptions = append(r.Assumptions, fmt.Sprintf("channel %q: spend -> volume is an assumed %s", c.ID, c.Response.Label()))
		}
		s0 := c.base()
		if c.Budget == s0 {
			continue
		}
		v, ok := c.VolumeAt(c.Budget)
		if ok && (math.IsNaN(v) || math.IsInf(v, 0)) {
			r.Warnings = append(r.Warnings, fmt.Sprintf("channel %q: the response curve gives no volume at budget %s (check its parameters)", c.ID, fmtCount(c.Budget)))
			continue
		}
		if !ok {
			r.Warnings = append(r.Warnings, fmt.Sprintf("channel %q: budget %s differs from its base %s, but the channel has no volume or price, so the funnel does not change", c.ID, fmtCount(c.Budget), fmtCount(s0)))
			continue
		}
		if add == nil {
			add = make([]float64, len(p.Stages))
		}
		// V(S) − V(S_0): a saturating curve need not pass through V_0.
		add[k] += v - c.Response.Volume(v0, s0, s0)
		r.Assumptions = append(r.Assumptions, fmt.Sprintf("channel %q: budget %s instead of %s buys %s instead of %s at stage %q (%s, assumed)", c.ID, fmtCount(c.Budget), fmtCount(s0), fmtCount(v), fmtCount(v0), p.Stages[k].ID, c.Response.Label()))
	}
	if topVolume > p.Top*(1+1e-9) {
		r.Warnings = append(r.Warnings, fmt.Sprintf("channels entering at the top buy %s at their base budgets, more than the plan's top of %s", fmtCount(topVolume), fmtCount(p.Top)))
	}
	return add
}
