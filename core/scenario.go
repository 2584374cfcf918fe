package core

import (
	"errors"
	"fmt"
	"math"
	"strings"
)

// Scenario returns the scenario with the given id.
func (p *Plan) Scenario(id string) (*Scenario, bool) {
	if i := p.scenarioIndex(id); i >= 0 {
		return &p.Scenarios[i], true
	}
	return nil, false
}

func (p *Plan) scenarioIndex(id string) int {
	for i := range p.Scenarios {
		if p.Scenarios[i].ID == id {
			return i
		}
	}
	return -1
}

// scenarioChain returns the indexes of the scenarios whose changes make
// scenario id, base first; a cycle of bases is an error.
func (p *Plan) scenarioChain(id string) ([]int, error) {
	var chain []int
	seen := map[string]bool{}
	for cur := id; cur != ""; {
		if seen[cur] {
			return nil, fmt.Errorf("scenario bases form a cycle through %q", cur)
		}
		seen[cur] = true
		i := p.scenarioIndex(cur)
		if i < 0 {
			return nil, fmt.Errorf("no scenario has id %q", cur)
		}
		chain = append([]int{i}, chain...)
		cur = p.Scenarios[i].Base
	}
	return chain, nil
}

// WithScenario returns a copy of the plan with the scenario's changes (and
// those of its bases, base first) applied in order, and the warnings of
// clamped values. The result is validated; a rate pushed outside [0, 1] is
// an error unless the scenario sets clamp (MATH.md §e, decision 2). The
// empty id returns a copy of the baseline. The copy has no scenarios.
//
// The error is Problems: its path names the scenario's change
// (scenarios[1].changes[2]) and its message the scenario id and the target.
func (p *Plan) WithScenario(id string) (*Plan, []string, error) {
	q := p.Clone()
	q.Scenarios = nil
	if id == "" {
		return q, nil, nil
	}
	i := p.scenarioIndex(id)
	if i < 0 {
		return nil, nil, fmt.Errorf("no scenario has id %q", id)
	}
	chain, err := p.scenarioChain(id)
	if err != nil {
		return nil, nil, Problems{{Path: fmt.Sprintf("scenarios[%d].base", i), Msg: fmt.Sprintf("scenario %q: %v", id, err)}}
	}
	var warns []string
	for _, i := range chain {
		s := p.Scenarios[i]
		for k, c := range s.Changes {
			w, err := q.applyChange(c, s.Clamp)
			if err != nil {
				return nil, nil, Problems{{Path: fmt.Sprintf("scenarios[%d].changes[%d]", i, k), Msg: fmt.Sprintf("scenario %q: %v", s.ID, err)}}
			}
			if w != "" {
				warns = append(warns, fmt.Sprintf("scenario %q: %s", s.ID, w))
			}
		}
	}
	if err := q.Validate(); err != nil {
		return nil, nil, Problems{{Path: fmt.Sprintf("scenarios[%d]", chain[len(chain)-1]),
			Msg: fmt.Sprintf("scenario %q gives an invalid plan: %v", id, strings.ReplaceAll(err.Error(), "\n", "; "))}}
	}
	return q, warns, nil
}

// CheckScenarios applies every scenario of a valid plan and returns the
// problems of those that cannot be applied (a rate pushed outside [0, 1]
// without clamp, a change to an unset value, an invalid result), or nil.
// Validate does not do this: a plan whose scenario fails still has a
// computable baseline.
func (p *Plan) CheckScenarios() Problems {
	var ps Problems
	seen := map[Problem]bool{}
	for _, s := range p.Scenarios {
		_, _, err := p.WithScenario(s.ID)
		var e Problems
		if err != nil && !errors.As(err, &e) {
			e = Problems{{Path: "scenarios", Msg: err.Error()}}
		}
		for _, x := range e {
			// A failing base fails every scenario built on it: say it once.
			if !seen[x] {
				seen[x] = true
				ps = append(ps, x)
			}
		}
	}
	return ps
}

// ApplyChange applies one change to the plan in place; with clamp a rate
// pushed outside [0, 1] is clamped and a warning returned, without it that
// is an error.
func (p *Plan) ApplyChange(c Change, clamp bool) (warning string, err error) {
	return p.applyChange(c, clamp)
}

func (p *Plan) applyChange(c Change, clamp bool) (string, error) {
	s, err := p.ref(c.Target)
	if err != nil {
		return "", err
	}
	old, ok := s.get()
	if !ok && c.Op != "set" {
		return "", fmt.Errorf("%s is not set, so it cannot be changed by %q (use set)", c.Target, c.Op)
	}
	var v float64
	switch c.Op {
	case "set":
		v = c.Value
	case "add":
		v = old + c.Value
	case "mul":
		v = old * c.Value
	default:
		return "", fmt.Errorf("%q is not an operation (want set, add or mul)", c.Op)
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "", fmt.Errorf("%s: %s %s gives %s (want a finite number)", c.Target, c.Op, num(c.Value), num(v))
	}
	warn := ""
	switch s.kind {
	case kindRate:
		if v < 0 || v > 1 {
			if !clamp {
				return "", fmt.Errorf("%s: %s is not a rate (want 0..1; set \"clamp\": true to clamp)", c.Target, fmtRate(v))
			}
			nv := math.Min(1, math.Max(0, v))
			warn = fmt.Sprintf("%s: %s clamped to %s", c.Target, fmtRate(v), fmtRate(nv))
			v = nv
		}
	case kindNonNeg:
		if v < 0 {
			if !clamp {
				return "", fmt.Errorf("%s: %s is negative (want >= 0)", c.Target, num(v))
			}
			warn = fmt.Sprintf("%s: %s clamped to 0", c.Target, num(v))
			v = 0
		}
	}
	s.set(v)
	return warn, nil
}

// fmtRate formats a rate for messages without float noise.
func fmtRate(x float64) string {
	return fmt.Sprintf("%.6g", x)
}
