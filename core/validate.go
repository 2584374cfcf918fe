package core

import (
	"fmt"
	"math"
)

// shareTolerance is how far persona shares may sum from 1 (MATH.md §d).
const shareTolerance = 1e-9

// Validate checks the whole plan and returns Problems listing every problem
// with its JSON path, or nil. It never changes the plan.
func (p *Plan) Validate() error {
	var ps Problems
	p.validate(&ps)
	return ps.err()
}

func (p *Plan) validate(ps *Problems) {
	switch {
	case p.Version == 0:
		ps.add("funnelplan", "missing version (want %d)", Version)
	case p.Version > Version:
		ps.add("funnelplan", "version %d is newer than this reader (want 1..%d; update funnelplan)", p.Version, Version)
	case p.Version < 0:
		ps.add("funnelplan", "%d is not a version (want 1..%d)", p.Version, Version)
	}
	if PeriodDays(p.Period) == 0 {
		ps.add("period", "%q is not a period (want day, week, month, quarter or year)", p.Period)
	}
	ps.nonNeg("top", p.Top, "volume")
	ps.nonNeg("order_value", p.OrderValue, "money amount")
	ps.optRate("margin", p.Margin)
	ps.optNonNeg("spend", p.Spend, "money amount")
	ps.optNonNeg("other_costs", p.OtherCosts, "money amount")

	if len(p.Stages) < 2 {
		ps.add("stages", "%d stages (want at least 2: the top and one more)", len(p.Stages))
	}
	seen := map[string]bool{}
	for i, s := range p.Stages {
		path := indexPath("stages", i)
		ps.ident(path+".id", s.ID, seen)
		if i == 0 {
			if s.Rate != nil {
				ps.add(path+".rate", "stage 0 is the top and has no rate (set \"top\" instead)")
			}
		} else if s.Rate == nil {
			ps.add(path+".rate", "missing rate (want the share of the previous stage, 0..1)")
		} else {
			ps.rate(path+".rate", *s.Rate)
		}
		ps.optRate(path+".benchmark", s.Benchmark)
		ps.optNonNeg(path+".capacity", s.Capacity, "volume")
		ps.optNonNeg(path+".unit_cost", s.UnitCost, "money amount")
		validateRole(ps, path+".role", s.Role, p.Stages[:i])
		if s.Lag != nil {
			s.Lag.validate(ps, path+".lag")
		}
	}

	p.validatePersonas(ps)
	seen = map[string]bool{}
	for i := range p.Channels {
		path := indexPath("channels", i)
		ps.ident(path+".id", p.Channels[i].ID, seen)
		p.Channels[i].validate(ps, path, p)
	}
	if p.Retention != nil {
		p.Retention.validate(ps, "retention")
	}
	validateLadder(ps, p.Ladder)
	p.validateCoverage(ps)
	if p.Journey != nil {
		p.Journey.validate(ps, "journey", p)
	}
	if p.Referrals != nil {
		p.Referrals.validate(ps, "referrals", p)
	}
	if p.BuyingGroup != nil {
		p.BuyingGroup.validate(ps, "buying_group", p)
	}
	for _, k := range sortedKeys(p.Uncertainty) {
		path := childPath("uncertainty", k)
		if _, err := p.Get(k); err != nil {
			ps.add(path, "%v", err)
		}
		d := p.Uncertainty[k]
		d.validate(ps, path, p.targetKind(k) == kindRate)
	}
	p.validateScenarios(ps)
}

func (p *Plan) validatePersonas(ps *Problems) {
	if len(p.Personas) == 0 {
		return
	}
	seen := map[string]bool{}
	sum := 0.0
	for i, x := range p.Personas {
		path := indexPath("personas", i)
		ps.ident(path+".id", x.ID, seen)
		ps.rate(path+".share", x.Share)
		sum += x.Share
		rates := x.Rates.Sorted()
		for k, o := range rates {
			sid := o.Stage
			rp := childPath(path+".rates", sid)
			if k > 0 && rates[k-1].Stage == sid {
				ps.add(rp, "stage %q has two rates (want one)", sid)
			}
			switch j := p.StageIndex(sid); {
			case j < 0:
				ps.add(rp, "no stage has id %q", sid)
			case j == 0:
				ps.add(rp, "stage %q is the top and has no rate", sid)
			}
			ps.rate(rp, o.Rate)
		}
		ps.optNonNeg(path+".order_value", x.OrderValue, "money amount")
	}
	if !math.IsNaN(sum) && math.Abs(sum-1) > shareTolerance {
		ps.add("personas", "shares sum to %s (want 1)", num(sum))
	}
}

func (p *Plan) validateCoverage(ps *Problems) {
	for _, pid := range sortedKeys(p.Coverage) {
		path := childPath("coverage", pid)
		if p.PersonaIndex(pid) < 0 && !(len(p.Personas) == 0 && pid == AllPersonas) {
			ps.add(path, "no persona has id %q", pid)
		}
		row := p.Coverage[pid]
		for _, sid := range sortedKeys(row) {
			cp := childPath(path, sid)
			if p.StageIndex(sid) < 0 {
				ps.add(cp, "no stage has id %q", sid)
			}
			ps.nonNeg(cp, row[sid], "count of content items")
		}
	}
}

func (p *Plan) validateScenarios(ps *Problems) {
	seen := map[string]bool{}
	for i, s := range p.Scenarios {
		path := indexPath("scenarios", i)
		ps.ident(path+".id", s.ID, seen)
		if s.Base != "" && p.scenarioIndex(s.Base) < 0 {
			ps.add(path+".base", "no scenario has id %q", s.Base)
		}
		for k, c := range s.Changes {
			cp := indexPath(path+".changes", k)
			switch c.Op {
			case "set", "add", "mul":
			default:
				ps.add(cp+".op", "%q is not an operation (want set, add or mul)", c.Op)
			}
			if _, err := p.ref(c.Target); err != nil {
				ps.add(cp+".target", "%v", err)
			}
			ps.finite(cp+".value", c.Value)
		}
	}
	for i, s := range p.Scenarios {
		if s.Base != "" && p.scenarioIndex(s.Base) >= 0 {
			if _, err := p.scenarioChain(s.ID); err != nil {
				ps.add(fmt.Sprintf("scenarios[%d].base", i), "%v", err)
			}
		}
	}
}
