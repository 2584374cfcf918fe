package core

import "fmt"

// Retention describes repeat purchases for LTV and payback (MATH.md §c.2).
type Retention struct {
	// Rate r in [0, 1]: P(active next period | active now).
	Rate float64 `json:"rate"`
	// Discount d >= 0 per period.
	Discount float64 `json:"discount,omitempty"`
	// OrdersPerPeriod f >= 0: orders per active customer per period
	// (default 1).
	OrdersPerPeriod *float64 `json:"orders_per_period,omitempty"`
	// Horizon H in periods (0: unlimited).
	Horizon int `json:"horizon,omitempty"`
}

func (r Retention) clone() Retention {
	r.OrdersPerPeriod = cloneF(r.OrdersPerPeriod)
	return r
}

func (r *Retention) validate(ps *Problems, path string) {
	ps.rate(path+".rate", r.Rate)
	ps.nonNeg(path+".discount", r.Discount, "discount rate")
	ps.optNonNeg(path+".orders_per_period", r.OrdersPerPeriod, "order count")
	if r.Horizon < 0 {
		ps.add(path+".horizon", "%d is negative (want periods >= 0, 0 = unlimited)", r.Horizon)
	}
	if r.Horizon == 0 && r.Rate == 1 && r.Discount == 0 {
		ps.add(path, "retention 1 with no discount and no horizon has no finite lifetime value (set a horizon or a discount)")
	}
}

func (r *Retention) ref(field string) (slot, error) {
	switch field {
	case "rate":
		return ptrSlot(&r.Rate, kindRate), nil
	case "discount":
		return ptrSlot(&r.Discount, kindNonNeg), nil
	case "orders_per_period":
		return optSlot(&r.OrdersPerPeriod, kindNonNeg), nil
	}
	return slot{}, fmt.Errorf("%q is not a retention field (want rate, discount or orders_per_period)", field)
}

// Rung is one offer of the value ladder (MATH.md §c.2): a tree of offers,
// each taken up by a share of those who reached its parent.
type Rung struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
	// Parent is the id of the rung this one is offered after (empty: the
	// root, offered to every entrant).
	Parent string `json:"parent,omitempty"`
	// Price P_k and unit cost K_k, money per sale (cost may exceed price).
	Price    float64 `json:"price"`
	UnitCost float64 `json:"unit_cost,omitempty"`
	// TakeUp u_k in [0, 1] = P(take this rung | reached the parent).
	TakeUp float64 `json:"take_up"`
	// Retention r_k in [0, 1) for a recurring rung (nil: one-off).
	Retention *float64 `json:"retention,omitempty"`
}

func (r Rung) clone() Rung {
	r.Retention = cloneF(r.Retention)
	return r
}

func (r *Rung) ref(field string) (slot, error) {
	switch field {
	case "price":
		return ptrSlot(&r.Price, kindNonNeg), nil
	case "unit_cost":
		return ptrSlot(&r.UnitCost, kindNonNeg), nil
	case "take_up":
		return ptrSlot(&r.TakeUp, kindRate), nil
	case "retention":
		return optSlot(&r.Retention, kindRate), nil
	}
	return slot{}, fmt.Errorf("%q is not a ladder field (want price, unit_cost, take_up or retention)", field)
}

func validateLadder(ps *Problems, ladder []Rung) {
	seen := map[string]bool{}
	index := map[string]int{}
	for i, r := range ladder {
		path := indexPath("ladder", i)
		ps.ident(path+".id", r.ID, seen)
		index[r.ID] = i
		ps.nonNeg(path+".price", r.Price, "money amount")
		ps.nonNeg(path+".unit_cost", r.UnitCost, "money amount")
		ps.rate(path+".take_up", r.TakeUp)
		if r.Retention != nil {
			ps.rate(path+".retention", *r.Retention)
			if *r.Retention >= 1 {
				ps.add(path+".retention", "1 has no finite lifetime value (want < 1)")
			}
		}
	}
	for i, r := range ladder {
		if r.Parent == "" {
			continue
		}
		if _, ok := index[r.Parent]; !ok {
			ps.add(fmt.Sprintf("ladder[%d].parent", i), "no rung has id %q", r.Parent)
			continue
		}
		// Walk up the parents; more steps than rungs means a cycle.
		cur, steps := r.Parent, 0
		for cur != "" && steps <= len(ladder) {
			j, ok := index[cur]
			if !ok {
				break
			}
			cur, steps = ladder[j].Parent, steps+1
		}
		if steps > len(ladder) {
			ps.add(fmt.Sprintf("ladder[%d].parent", i), "rung %q is its own ancestor (the ladder must be a tree)", r.ID)
		}
	}
}
