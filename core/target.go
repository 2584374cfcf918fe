package core

import (
	"fmt"
	"strings"
)

// targetKind says what range a target's value must lie in.
type targetKind int

const (
	kindNonNeg targetKind = iota // volumes, money, counts: >= 0
	kindRate                     // fractions in [0, 1]
	kindAny                      // any finite number
)

// slot is a resolved target: a value that may be absent, and how to store
// a new one.
type slot struct {
	get  func() (float64, bool)
	set  func(float64)
	kind targetKind
}

// ptrSlot is a slot for a plain float64 field.
func ptrSlot(x *float64, k targetKind) slot {
	return slot{
		get:  func() (float64, bool) { return *x, true },
		set:  func(v float64) { *x = v },
		kind: k,
	}
}

// optSlot is a slot for an optional *float64 field.
func optSlot(x **float64, k targetKind) slot {
	return slot{
		get: func() (float64, bool) {
			if *x == nil {
				return 0, false
			}
			return **x, true
		},
		set:  func(v float64) { *x = &v },
		kind: k,
	}
}

// rateSlot is the slot of a persona's rate at a stage: the stage rate
// def until the persona sets its own.
func rateSlot(r *StageRates, stage string, def float64) slot {
	return slot{
		get: func() (float64, bool) {
			if v, ok := r.Get(stage); ok {
				return v, true
			}
			return def, true
		},
		set:  func(v float64) { r.Set(stage, v) },
		kind: kindRate,
	}
}

// mapSlot is a slot for a map entry; absent entries read as def (when
// hasDef) or as absent.
func mapSlot(m *map[string]float64, key string, def float64, hasDef bool, k targetKind) slot {
	return slot{
		get: func() (float64, bool) {
			if v, ok := (*m)[key]; ok {
				return v, true
			}
			return def, hasDef
		},
		set: func(v float64) {
			if *m == nil {
				*m = map[string]float64{}
			}
			(*m)[key] = v
		},
		kind: k,
	}
}

// Get returns the value at a target path. Targets are dotted paths into the
// plan, the same in scenario changes, uncertainty and sweeps:
//
//	top, order_value, margin, spend, other_costs
//	stages.<id>.rate | benchmark | capacity | unit_cost
//	personas.<id>.share | order_value | rates.<stage id>
//	channels.<id>.<field>, retention.<field>, ladder.<id>.<field>
//	journey.transitions.<from>.<to>, referrals.<field>, buying_group.<field>
//
// A persona rate that the persona does not override reads as the stage rate.
func (p *Plan) Get(target string) (float64, error) {
	s, err := p.ref(target)
	if err != nil {
		return 0, err
	}
	v, ok := s.get()
	if !ok {
		return 0, fmt.Errorf("%s is not set", target)
	}
	return v, nil
}

// Set stores v at a target path (see Get), creating optional fields and
// persona overrides as needed. It does not validate the result.
func (p *Plan) Set(target string, v float64) error {
	s, err := p.ref(target)
	if err != nil {
		return err
	}
	s.set(v)
	return nil
}

// targetKind returns the range kind of a target (kindAny if it does not
// resolve).
func (p *Plan) targetKind(target string) targetKind {
	s, err := p.ref(target)
	if err != nil {
		return kindAny
	}
	return s.kind
}

// ref resolves a target path to a slot.
func (p *Plan) ref(target string) (slot, error) {
	parts := strings.Split(target, ".")
	bad := func(want string) (slot, error) {
		return slot{}, fmt.Errorf("%q is not a target (want %s)", target, want)
	}
	one := len(parts) == 1
	switch parts[0] {
	case "top":
		if one {
			return ptrSlot(&p.Top, kindNonNeg), nil
		}
	case "order_value":
		if one {
			return ptrSlot(&p.OrderValue, kindNonNeg), nil
		}
	case "margin":
		if one {
			return optSlot(&p.Margin, kindRate), nil
		}
	case "spend":
		if one {
			return optSlot(&p.Spend, kindNonNeg), nil
		}
	case "other_costs":
		if one {
			return optSlot(&p.OtherCosts, kindNonNeg), nil
		}
	case "stages":
		const want = "stages.<id>.rate|benchmark|capacity|unit_cost"
		if len(parts) != 3 {
			return bad(want)
		}
		i := p.StageIndex(parts[1])
		if i < 0 {
			return slot{}, fmt.Errorf("%q: no stage has id %q", target, parts[1])
		}
		s := &p.Stages[i]
		switch parts[2] {
		case "rate":
			if i == 0 {
				return slot{}, fmt.Errorf("%q: stage %q is the top and has no rate (use \"top\")", target, s.ID)
			}
			return optSlot(&s.Rate, kindRate), nil
		case "benchmark":
			return optSlot(&s.Benchmark, kindRate), nil
		case "capacity":
			return optSlot(&s.Capacity, kindNonNeg), nil
		case "unit_cost":
			return optSlot(&s.UnitCost, kindNonNeg), nil
		}
		return bad(want)
	case "personas":
		const want = "personas.<id>.share|order_value|rates.<stage id>"
		if len(parts) < 3 {
			return bad(want)
		}
		j := p.PersonaIndex(parts[1])
		if j < 0 {
			return slot{}, fmt.Errorf("%q: no persona has id %q", target, parts[1])
		}
		x := &p.Personas[j]
		switch {
		case parts[2] == "share" && len(parts) == 3:
			return ptrSlot(&x.Share, kindRate), nil
		case parts[2] == "order_value" && len(parts) == 3:
			return optSlot(&x.OrderValue, kindNonNeg), nil
		case parts[2] == "rates" && len(parts) == 4:
			i := p.StageIndex(parts[3])
			if i <= 0 {
				return slot{}, fmt.Errorf("%q: no stage after the top has id %q", target, parts[3])
			}
			base := 0.0
			if r := p.Stages[i].Rate; r != nil {
				base = *r
			}
			return rateSlot(&x.Rates, p.Stages[i].ID, base), nil
		}
		return bad(want)
	default:
		if s, ok, err := p.sectionRef(parts); ok {
			return s, err
		}
	}
	return bad("top, order_value, margin, spend, other_costs, stages.<id>.<field>, personas.<id>.<field>, or a section field")
}

// sectionRef resolves targets inside the optional sections (channels,
// retention, ladder, journey, referrals, buying group). ok is false when
// the first part names no section.
func (p *Plan) sectionRef(parts []string) (s slot, ok bool, err error) {
	target := strings.Join(parts, ".")
	switch parts[0] {
	case "channels":
		if len(parts) != 3 && len(parts) != 4 {
			return slot{}, true, fmt.Errorf("%q is not a target (want channels.<id>.<field>)", target)
		}
		for i := range p.Channels {
			if p.Channels[i].ID == parts[1] {
				s, err := p.Channels[i].ref(strings.Join(parts[2:], "."))
				if err != nil {
					err = fmt.Errorf("%q: %v", target, err)
				}
				return s, true, err
			}
		}
		return slot{}, true, fmt.Errorf("%q: no channel has id %q", target, parts[1])
	case "retention":
		if p.Retention == nil || len(parts) != 2 {
			return slot{}, true, fmt.Errorf("%q: the plan has no retention section (want retention.<field>)", target)
		}
		s, err := p.Retention.ref(parts[1])
		if err != nil {
			err = fmt.Errorf("%q: %v", target, err)
		}
		return s, true, err
	case "ladder":
		if len(parts) != 3 {
			return slot{}, true, fmt.Errorf("%q is not a target (want ladder.<id>.<field>)", target)
		}
		for i := range p.Ladder {
			if p.Ladder[i].ID == parts[1] {
				s, err := p.Ladder[i].ref(parts[2])
				if err != nil {
					err = fmt.Errorf("%q: %v", target, err)
				}
				return s, true, err
			}
		}
		return slot{}, true, fmt.Errorf("%q: no ladder rung has id %q", target, parts[1])
	case "journey":
		if p.Journey == nil {
			return slot{}, true, fmt.Errorf("%q: the plan has no journey", target)
		}
		s, err := p.Journey.ref(parts[1:])
		if err != nil {
			err = fmt.Errorf("%q: %v", target, err)
		}
		return s, true, err
	case "referrals":
		if p.Referrals == nil || len(parts) != 2 {
			return slot{}, true, fmt.Errorf("%q: the plan has no referrals section (want referrals.<field>)", target)
		}
		s, err := p.Referrals.ref(parts[1])
		if err != nil {
			err = fmt.Errorf("%q: %v", target, err)
		}
		return s, true, err
	case "buying_group":
		if p.BuyingGroup == nil || len(parts) != 2 {
			return slot{}, true, fmt.Errorf("%q: the plan has no buying_group section (want buying_group.<field>)", target)
		}
		s, err := p.BuyingGroup.ref(parts[1])
		if err != nil {
			err = fmt.Errorf("%q: %v", target, err)
		}
		return s, true, err
	}
	return slot{}, false, nil
}
