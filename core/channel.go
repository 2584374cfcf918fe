package core

import "fmt"

// Channel is a traffic or lead-generation channel (MATH.md §b, §c.1, §c.3).
// Its budget buys volume at one stage of the funnel (default the top).
type Channel struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
	// Budget is the spend per plan period (money, >= 0).
	Budget float64 `json:"budget"`
	// Stage is the id of the stage where the channel's volume enters
	// (empty: stages[0]).
	Stage string `json:"stage,omitempty"`
	// Pricing says how Price is charged: "cpm" (per 1000 units of the
	// entry stage), "cpc" (per click), "cpl" (per lead) or "cpa" (per
	// customer). Empty with no Price: the budget is a flat fee.
	Pricing string `json:"pricing,omitempty"`
	// Price is the unit price for Pricing (money, >= 0).
	Price *float64 `json:"price,omitempty"`
	// Volume is the persons (touches) per period the budget buys at the
	// entry stage, when not implied by Pricing and Price.
	Volume *float64 `json:"volume,omitempty"`
	// LeadRate is touch -> lead c_j, LeadQuality lead -> sale q_j (§c.1).
	LeadRate    *float64 `json:"lead_rate,omitempty"`
	LeadQuality *float64 `json:"lead_quality,omitempty"`
	// Response is the assumed spend -> volume curve (§c.3); nil is linear.
	Response *Response `json:"response,omitempty"`
}

// Response is a spend -> volume response curve (MATH.md §c.3), always an
// assumption: linear (default), power (elasticity B in (0, 1]), exp
// (saturating, I_max and S_c) or hill (I_max and K).
type Response struct {
	Curve string `json:"curve"`
	// B is the power curve's elasticity, 0 < B <= 1.
	B *float64 `json:"b,omitempty"`
	// Max is I_max as a multiple of the volume at the plan's budget (exp, hill).
	Max *float64 `json:"max,omitempty"`
	// Scale is S_c (exp) or K (hill) as a multiple of the plan's budget.
	Scale *float64 `json:"scale,omitempty"`
}

func (c Channel) clone() Channel {
	c.Price = cloneF(c.Price)
	c.Volume = cloneF(c.Volume)
	c.LeadRate = cloneF(c.LeadRate)
	c.LeadQuality = cloneF(c.LeadQuality)
	if c.Response != nil {
		r := *c.Response
		r.B, r.Max, r.Scale = cloneF(r.B), cloneF(r.Max), cloneF(r.Scale)
		c.Response = &r
	}
	return c
}

func (c *Channel) validate(ps *Problems, path string, p *Plan) {
	ps.nonNeg(path+".budget", c.Budget, "money amount")
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
	ps.optNonNeg(path+".price", c.Price, "money amount")
	ps.optNonNeg(path+".volume", c.Volume, "volume")
	ps.optRate(path+".lead_rate", c.LeadRate)
	ps.optRate(path+".lead_quality", c.LeadQuality)
	if r := c.Response; r != nil {
		rp := path + ".response"
		switch r.Curve {
		case "", "linear":
		case "power":
			if r.B == nil {
				ps.add(rp+".b", "missing elasticity for the power curve (want 0 < b <= 1)")
			} else if ps.finite(rp+".b", *r.B) && (*r.B <= 0 || *r.B > 1) {
				ps.add(rp+".b", "%s is not an elasticity (want 0 < b <= 1)", num(*r.B))
			}
		case "exp", "hill":
			for _, f := range []struct {
				name string
				x    *float64
			}{{"max", r.Max}, {"scale", r.Scale}} {
				if f.x == nil {
					ps.add(rp+"."+f.name, "missing %s for the %s curve", f.name, r.Curve)
				} else if ps.finite(rp+"."+f.name, *f.x) && *f.x <= 0 {
					ps.add(rp+"."+f.name, "%s is not positive", num(*f.x))
				}
			}
		default:
			ps.add(rp+".curve", "%q is not a response curve (want linear, power, exp or hill)", r.Curve)
		}
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

func (c *Channel) ref(field string) (slot, error) {
	switch field {
	case "budget":
		return ptrSlot(&c.Budget, kindNonNeg), nil
	case "price":
		return optSlot(&c.Price, kindNonNeg), nil
	case "volume":
		return optSlot(&c.Volume, kindNonNeg), nil
	case "lead_rate":
		return optSlot(&c.LeadRate, kindRate), nil
	case "lead_quality":
		return optSlot(&c.LeadQuality, kindRate), nil
	}
	return slot{}, fmt.Errorf("%q is not a channel field (want budget, price, volume, lead_rate or lead_quality)", field)
}
