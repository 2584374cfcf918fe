package core

import "fmt"

// RungResult is one offer of an evaluated value ladder (MATH.md §c.2).
type RungResult struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Reach is reach_k = u_k · reach_parent, the share of entrants who buy
	// this rung, in [0, 1].
	Reach float64 `json:"reach"`
	// Value is the gross profit of one sale of the rung (money): P − K
	// one-off, or LTV_∞(P − K, r, d) when recurring.
	Value float64 `json:"value"`
	// Contribution is Reach · Value, money per entrant.
	Contribution float64 `json:"contribution"`
	// BuyerValue is the expected gross profit of a buyer of this rung
	// including the rungs offered after it (money per buyer).
	BuyerValue float64 `json:"buyer_value"`
}

// LadderResult is an evaluated value ladder.
type LadderResult struct {
	Rungs []RungResult `json:"rungs"`
	// PerEntrant is E[gross profit per entrant] = Σ_k reach_k · value_k
	// (money).
	PerEntrant float64 `json:"per_entrant"`
}

// Ladder evaluates a value ladder (MATH.md §c.2) with discount d >= 0 per
// period for recurring rungs:
//
//	reach_k = u_k · reach_parent   (root: u_k)
//	value_k = P_k − K_k            one-off
//	        = LTV_∞(P_k − K_k, r_k, d)   recurring
//	E[GP per entrant] = Σ_k reach_k · value_k
//
// An unknown parent, a cycle or a value out of range is an error naming
// the rung (Validate reports the same with paths).
func Ladder(rungs []Rung, d float64) (*LadderResult, error) {
	n := len(rungs)
	index := make(map[string]int, n)
	for i, r := range rungs {
		if _, dup := index[r.ID]; dup {
			return nil, fmt.Errorf("ladder[%d]: duplicate id %q", i, r.ID)
		}
		index[r.ID] = i
	}
	parent := make([]int, n)
	for i, r := range rungs {
		parent[i] = -1
		if r.Parent != "" {
			j, ok := index[r.Parent]
			if !ok {
				return nil, fmt.Errorf("ladder[%d].parent: no rung has id %q", i, r.Parent)
			}
			parent[i] = j
		}
	}
	res := &LadderResult{Rungs: make([]RungResult, n)}
	// Reach by walking up the parents; more steps than rungs is a cycle.
	for i, r := range rungs {
		if r.TakeUp < 0 || r.TakeUp > 1 {
			return nil, fmt.Errorf("ladder[%d].take_up: %s is not a rate (want 0..1)", i, num(r.TakeUp))
		}
		reach, steps := 1.0, 0
		for k := i; k >= 0; k = parent[k] {
			if steps++; steps > n {
				return nil, fmt.Errorf("ladder[%d].parent: rung %q is its own ancestor (the ladder must be a tree)", i, r.ID)
			}
			reach *= rungs[k].TakeUp
		}
		value := r.Price - r.UnitCost
		if r.Retention != nil {
			v, err := LTV(value, *r.Retention, d, 0)
			if err != nil {
				return nil, fmt.Errorf("ladder[%d].retention: %v", i, err)
			}
			value = v
		}
		name := r.Name
		if name == "" {
			name = r.ID
		}
		res.Rungs[i] = RungResult{ID: r.ID, Name: name, Reach: reach, Value: value, Contribution: reach * value}
		res.PerEntrant += reach * value
	}
	// Buyer value: a buyer of rung k gets value_k plus, for every
	// descendant, value × reach relative to k.
	for i := range rungs {
		bv := res.Rungs[i].Value
		for k := range rungs {
			if k == i {
				continue
			}
			rel := 1.0
			for a := k; a >= 0 && a != i; a = parent[a] {
				rel *= rungs[a].TakeUp
				if parent[a] == -1 {
					rel = 0 // i is not an ancestor of k
				}
			}
			bv += rel * res.Rungs[k].Value
		}
		res.Rungs[i].BuyerValue = bv
	}
	return res, nil
}
