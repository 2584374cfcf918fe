package app

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/funnelplan/funnelplan/core"
)

// Doc is what the planner edits: the plan, the scenario on screen and the
// undo history. It holds no go-app state, so every edit is tested natively.
//
// Value edits (anything a scenario change can target) go to the baseline
// when no scenario is on screen, and become "set" changes of the scenario
// on screen otherwise; structural edits (names, adding and removing
// stages, personas, channels, journey states) always change the baseline.
type Doc struct {
	Plan *core.Plan
	// Scenario is the id of the scenario on screen ("" is the baseline).
	Scenario string

	undo, redo []snapshot
	group      string
}

type snapshot struct {
	plan     *core.Plan
	scenario string
}

// maxHistory is how many undo steps are kept.
const maxHistory = 200

// NewDoc returns a document editing p.
func NewDoc(p *core.Plan) *Doc { return &Doc{Plan: p} }

// Begin records an undo step before an edit. Consecutive edits of the same
// group (a slider drag, typing in one field) make one step; the empty group
// always makes a new one. EndGroup closes the open group.
func (d *Doc) Begin(group string) {
	if group != "" && group == d.group {
		return
	}
	d.group = group
	d.undo = append(d.undo, snapshot{d.Plan.Clone(), d.Scenario})
	if len(d.undo) > maxHistory {
		d.undo = slices.Delete(d.undo, 0, len(d.undo)-maxHistory)
	}
	d.redo = nil
}

// EndGroup closes the open edit group: the next edit is a new undo step.
func (d *Doc) EndGroup() { d.group = "" }

// CanUndo and CanRedo report whether there is a step to undo or redo.
func (d *Doc) CanUndo() bool { return len(d.undo) > 0 }
func (d *Doc) CanRedo() bool { return len(d.redo) > 0 }

// Undo restores the state before the last edit step.
func (d *Doc) Undo() bool {
	if len(d.undo) == 0 {
		return false
	}
	d.redo = append(d.redo, snapshot{d.Plan, d.Scenario})
	s := d.undo[len(d.undo)-1]
	d.undo = d.undo[:len(d.undo)-1]
	d.Plan, d.Scenario, d.group = s.plan, s.scenario, ""
	d.fixScenario()
	return true
}

// Redo re-applies the last undone step.
func (d *Doc) Redo() bool {
	if len(d.redo) == 0 {
		return false
	}
	d.undo = append(d.undo, snapshot{d.Plan, d.Scenario})
	s := d.redo[len(d.redo)-1]
	d.redo = d.redo[:len(d.redo)-1]
	d.Plan, d.Scenario, d.group = s.plan, s.scenario, ""
	d.fixScenario()
	return true
}

// Replace swaps in a whole new plan (import, share link, example) as one
// undoable step.
func (d *Doc) Replace(p *core.Plan) {
	d.Begin("")
	d.Plan = p
	d.Scenario = ""
	d.EndGroup()
}

func (d *Doc) fixScenario() {
	if _, ok := d.Plan.Scenario(d.Scenario); !ok {
		d.Scenario = ""
	}
}

// View returns the plan on screen: the baseline, or a copy with the
// scenario's changes applied. The error explains a scenario that cannot be
// applied (a rate pushed outside 0..1, a missing target).
func (d *Doc) View() (*core.Plan, error) {
	if d.Scenario == "" {
		return d.Plan, nil
	}
	v, _, err := d.Plan.WithScenario(d.Scenario)
	return v, err
}

// SetValue sets a target (see core.Plan.Get) on the plan on screen: on the
// baseline, or as a "set" change of the scenario on screen (replacing that
// scenario's own last change of the target when it is a set).
func (d *Doc) SetValue(target string, v float64) error {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return fmt.Errorf("%s: want a finite number", target)
	}
	if d.Scenario == "" {
		return d.Plan.Set(target, v)
	}
	if _, err := d.Plan.Get(target); err != nil && !strings.Contains(err.Error(), "is not set") {
		return err
	}
	s, ok := d.Plan.Scenario(d.Scenario)
	if !ok {
		return fmt.Errorf("no scenario has id %q", d.Scenario)
	}
	for i := len(s.Changes) - 1; i >= 0; i-- {
		if s.Changes[i].Target == target {
			if s.Changes[i].Op == "set" {
				s.Changes[i].Value = v
				return nil
			}
			break
		}
	}
	s.Changes = append(s.Changes, core.Change{Target: target, Op: "set", Value: v})
	return nil
}

// StageRate returns the rate of stage id in the plan on screen.
func StageRate(p *core.Plan, id string) float64 {
	i := p.StageIndex(id)
	if i <= 0 || p.Stages[i].Rate == nil {
		return 0
	}
	return *p.Stages[i].Rate
}

// SetStageRate moves the rate of a stage for all personas: the stage rate
// becomes rate, and every persona that overrides it moves by the same
// amount (clamped to 0..1), as the "+1 point" scenarios of the examples do.
// This is what the rate slider does.
func (d *Doc) SetStageRate(id string, rate float64) error {
	view, err := d.View()
	if err != nil {
		return err
	}
	i := view.StageIndex(id)
	if i <= 0 {
		return fmt.Errorf("no stage after the top has id %q", id)
	}
	rate = clamp01(rate)
	delta := rate - StageRate(view, id)
	if err := d.SetValue("stages."+id+".rate", rate); err != nil {
		return err
	}
	for _, x := range view.Personas {
		if old, ok := x.Rates.Get(id); ok {
			if err := d.SetValue("personas."+x.ID+".rates."+id, clamp01(old+delta)); err != nil {
				return err
			}
		}
	}
	return nil
}

// SetShare sets one persona's share of the top and rescales the others so
// the shares still sum to 1 (evenly when the others had none).
func (d *Doc) SetShare(id string, share float64) error {
	view, err := d.View()
	if err != nil {
		return err
	}
	j := view.PersonaIndex(id)
	if j < 0 {
		return fmt.Errorf("no persona has id %q", id)
	}
	share = clamp01(share)
	if len(view.Personas) == 1 {
		share = 1
	}
	rest := 0.0
	for k, x := range view.Personas {
		if k != j {
			rest += x.Share
		}
	}
	if err := d.SetValue("personas."+id+".share", share); err != nil {
		return err
	}
	others := len(view.Personas) - 1
	for k, x := range view.Personas {
		if k == j {
			continue
		}
		v := (1 - share) / float64(others)
		if rest > 0 {
			v = x.Share * (1 - share) / rest
		}
		if err := d.SetValue("personas."+x.ID+".share", v); err != nil {
			return err
		}
	}
	return nil
}

func clamp01(x float64) float64 { return math.Min(1, math.Max(0, x)) }

// newID returns an id made from a name, unique among taken.
func newID(name string, taken func(string) bool) string {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
			b.WriteByte('-')
		}
	}
	base := strings.Trim(b.String(), "-")
	if base == "" || base[0] >= '0' && base[0] <= '9' {
		base = "x" + base
	}
	id := base
	for n := 2; taken(id); n++ {
		id = base + "-" + strconv.Itoa(n)
	}
	return id
}

// AddStage inserts a new stage after index i (at the end when i is out of
// range) with rate 50 %.
func (d *Doc) AddStage(after int, name string) string {
	p := d.Plan
	id := newID(name, func(s string) bool { return p.StageIndex(s) >= 0 })
	s := core.Stage{ID: id, Name: name, Rate: core.F(0.5)}
	if after < 0 || after >= len(p.Stages) {
		after = len(p.Stages) - 1
	}
	p.Stages = slices.Insert(slices.Clone(p.Stages), after+1, s)
	d.fixTop()
	return id
}

// RemoveStage deletes a stage and every reference to it: persona
// overrides, coverage cells, channel entry points, uncertainty ranges and
// scenario changes of its fields.
func (d *Doc) RemoveStage(id string) error {
	p := d.Plan
	i := p.StageIndex(id)
	if i < 0 {
		return fmt.Errorf("no stage has id %q", id)
	}
	if len(p.Stages) <= 2 {
		return fmt.Errorf("a funnel needs at least 2 stages")
	}
	p.Stages = slices.Delete(slices.Clone(p.Stages), i, i+1)
	for k := range p.Personas {
		if p.Personas[k].Rates.Has(id) {
			r := p.Personas[k].Rates.Clone()
			r.Delete(id)
			p.Personas[k].Rates = r
		}
	}
	for pid, row := range p.Coverage {
		if _, ok := row[id]; ok {
			r := maps(row)
			delete(r, id)
			p.Coverage[pid] = r
		}
	}
	for k := range p.Channels {
		if p.Channels[k].Stage == id {
			p.Channels[k].Stage = ""
		}
	}
	refersTo := func(target string) bool {
		parts := strings.Split(target, ".")
		return (parts[0] == "stages" && len(parts) > 1 && parts[1] == id) ||
			(parts[0] == "personas" && len(parts) == 4 && parts[3] == id)
	}
	for k := range p.Uncertainty {
		if refersTo(k) {
			delete(p.Uncertainty, k)
		}
	}
	for k := range p.Scenarios {
		p.Scenarios[k].Changes = slices.DeleteFunc(slices.Clone(p.Scenarios[k].Changes), func(c core.Change) bool { return refersTo(c.Target) })
	}
	d.fixTop()
	return nil
}

// MoveStage moves a stage one place up (dir < 0) or down (dir > 0). The
// stage that becomes the top loses its rate (the top volume feeds it) and
// the stage that stops being the top gets its old rate back, or 50 %.
func (d *Doc) MoveStage(id string, dir int) {
	p := d.Plan
	i := p.StageIndex(id)
	j := i + dir
	if i < 0 || j < 0 || j >= len(p.Stages) || dir == 0 {
		return
	}
	p.Stages = slices.Clone(p.Stages)
	p.Stages[i], p.Stages[j] = p.Stages[j], p.Stages[i]
	d.fixTop()
}

// fixTop keeps stage 0 without a rate and every later stage with one.
func (d *Doc) fixTop() {
	p := d.Plan
	for i := range p.Stages {
		s := &p.Stages[i]
		if i == 0 {
			s.Rate = nil
			top := s.ID
			rateOf := func(t string) bool {
				parts := strings.Split(t, ".")
				return (len(parts) == 3 && parts[0] == "stages" && parts[1] == top && parts[2] == "rate") ||
					(len(parts) == 4 && parts[0] == "personas" && parts[2] == "rates" && parts[3] == top)
			}
			for k := range p.Uncertainty {
				if rateOf(k) {
					delete(p.Uncertainty, k)
				}
			}
			for k := range p.Scenarios {
				p.Scenarios[k].Changes = slices.DeleteFunc(slices.Clone(p.Scenarios[k].Changes), func(c core.Change) bool { return rateOf(c.Target) })
			}
			for k := range p.Personas {
				if p.Personas[k].Rates.Has(s.ID) {
					r := p.Personas[k].Rates.Clone()
					r.Delete(s.ID)
					p.Personas[k].Rates = r
				}
			}
		} else if s.Rate == nil {
			s.Rate = core.F(0.5)
		}
	}
}

// RenameStage sets a stage's display name.
func (d *Doc) RenameStage(id, name string) {
	if i := d.Plan.StageIndex(id); i >= 0 {
		d.Plan.Stages = slices.Clone(d.Plan.Stages)
		d.Plan.Stages[i].Name = name
	}
}

// AddPersona adds a persona with an equal share; the others keep their
// proportions.
func (d *Doc) AddPersona(name string) string {
	p := d.Plan
	id := newID(name, func(s string) bool { return p.PersonaIndex(s) >= 0 || s == core.AllPersonas })
	n := float64(len(p.Personas))
	ps := make([]core.Persona, 0, len(p.Personas)+1)
	for _, x := range p.Personas {
		x.Share *= n / (n + 1)
		ps = append(ps, x)
	}
	p.Personas = append(ps, core.Persona{ID: id, Name: name, Share: 1 / (n + 1)})
	if row, ok := p.Coverage[core.AllPersonas]; ok && n == 0 {
		p.Coverage[id] = row
		delete(p.Coverage, core.AllPersonas)
	}
	return id
}

// RemovePersona deletes a persona, its coverage row and the scenario
// changes and uncertainty ranges of its fields; the others' shares are
// scaled back up to 1.
func (d *Doc) RemovePersona(id string) {
	p := d.Plan
	j := p.PersonaIndex(id)
	if j < 0 {
		return
	}
	p.Personas = slices.Delete(slices.Clone(p.Personas), j, j+1)
	rest := 0.0
	for _, x := range p.Personas {
		rest += x.Share
	}
	for k := range p.Personas {
		if rest > 0 {
			p.Personas[k].Share /= rest
		} else {
			p.Personas[k].Share = 1 / float64(len(p.Personas))
		}
	}
	delete(p.Coverage, id)
	refersTo := func(t string) bool { return strings.HasPrefix(t, "personas."+id+".") }
	for k := range p.Uncertainty {
		if refersTo(k) {
			delete(p.Uncertainty, k)
		}
	}
	for k := range p.Scenarios {
		p.Scenarios[k].Changes = slices.DeleteFunc(slices.Clone(p.Scenarios[k].Changes), func(c core.Change) bool { return refersTo(c.Target) })
	}
}

// RenamePersona sets a persona's display name.
func (d *Doc) RenamePersona(id, name string) {
	if j := d.Plan.PersonaIndex(id); j >= 0 {
		d.Plan.Personas = slices.Clone(d.Plan.Personas)
		d.Plan.Personas[j].Name = name
	}
}

// ClearOverride removes a persona's own rate for a stage (it follows the
// stage rate again).
func (d *Doc) ClearOverride(pid, sid string) {
	if j := d.Plan.PersonaIndex(pid); j >= 0 {
		r := d.Plan.Personas[j].Rates.Clone()
		r.Delete(sid)
		if len(r) == 0 {
			r = nil
		}
		d.Plan.Personas[j].Rates = r
	}
}

// SetCoverage sets the number of content items for a persona and stage.
func (d *Doc) SetCoverage(pid, sid string, n float64) {
	p := d.Plan
	if p.Coverage == nil {
		p.Coverage = map[string]map[string]float64{}
	}
	row := maps(p.Coverage[pid])
	if row == nil {
		row = map[string]float64{}
	}
	row[sid] = math.Max(0, n)
	p.Coverage[pid] = row
}

// AddChannel adds a channel with a flat budget entering at the top.
func (d *Doc) AddChannel(name string) string {
	p := d.Plan
	id := newID(name, func(s string) bool {
		for _, c := range p.Channels {
			if c.ID == s {
				return true
			}
		}
		return false
	})
	p.Channels = append(slices.Clone(p.Channels), core.Channel{ID: id, Name: name})
	return id
}

// Channel returns a pointer to the baseline channel with the given id.
func (d *Doc) Channel(id string) *core.Channel {
	for i := range d.Plan.Channels {
		if d.Plan.Channels[i].ID == id {
			return &d.Plan.Channels[i]
		}
	}
	return nil
}

// RemoveChannel deletes a channel and the scenario changes of its fields.
func (d *Doc) RemoveChannel(id string) {
	p := d.Plan
	p.Channels = slices.DeleteFunc(slices.Clone(p.Channels), func(c core.Channel) bool { return c.ID == id })
	pre := "channels." + id + "."
	for k := range p.Uncertainty {
		if strings.HasPrefix(k, pre) {
			delete(p.Uncertainty, k)
		}
	}
	for k := range p.Scenarios {
		p.Scenarios[k].Changes = slices.DeleteFunc(slices.Clone(p.Scenarios[k].Changes), func(c core.Change) bool { return strings.HasPrefix(c.Target, pre) })
	}
}

// JourneyStates lists the transient states of the plan's journey in order:
// the declared states, else funnel stages with a row in funnel order, then
// the other rows sorted.
func JourneyStates(p *core.Plan) []string {
	j := p.Journey
	if j == nil {
		return nil
	}
	if len(j.States) > 0 {
		return j.States
	}
	var out []string
	for _, s := range p.Stages {
		if _, ok := j.Transitions[s.ID]; ok {
			out = append(out, s.ID)
		}
	}
	var rest []string
	for k := range j.Transitions {
		if !slices.Contains(out, k) {
			rest = append(rest, k)
		}
	}
	slices.Sort(rest)
	return append(out, rest...)
}

// AddJourneyState adds a transient journey state whose row sends everyone
// to "lost" (a valid row to edit from); a plan without a journey gets one.
func (d *Doc) AddJourneyState(name string) string {
	p := d.Plan
	if p.Journey == nil {
		p.Journey = &core.Journey{StepDays: 7, Transitions: map[string]map[string]float64{}}
	}
	j := p.Journey
	id := newID(name, func(s string) bool {
		_, ok := j.Transitions[s]
		return ok || s == core.StatePurchase || s == core.StateLost
	})
	if j.Transitions == nil {
		j.Transitions = map[string]map[string]float64{}
	}
	if len(j.States) > 0 {
		j.States = append(slices.Clone(j.States), id)
	}
	j.Transitions[id] = map[string]float64{core.StateLost: 1}
	return id
}

// RemoveJourneyState deletes a state, its row and every move into it (that
// probability goes to "lost", so rows keep summing to 1).
func (d *Doc) RemoveJourneyState(id string) {
	j := d.Plan.Journey
	if j == nil {
		return
	}
	delete(j.Transitions, id)
	j.States = slices.DeleteFunc(slices.Clone(j.States), func(s string) bool { return s == id })
	if j.Entry == id {
		j.Entry = ""
	}
	for from, row := range j.Transitions {
		if v, ok := row[id]; ok {
			r := maps(row)
			delete(r, id)
			r[core.StateLost] += v
			j.Transitions[from] = r
		}
	}
	if len(j.Transitions) == 0 {
		d.Plan.Journey = nil
	}
}

// SetTransition sets the probability of moving from one journey state to
// another in one step.
func (d *Doc) SetTransition(from, to string, v float64) {
	j := d.Plan.Journey
	if j == nil {
		return
	}
	row := maps(j.Transitions[from])
	if row == nil {
		row = map[string]float64{}
	}
	if v == 0 {
		delete(row, to)
	} else {
		row[to] = clamp01(v)
	}
	j.Transitions[from] = row
}

// BalanceRow puts whatever a journey row lacks to sum to 1 on "lost" (or
// takes the excess from it when it can).
func (d *Doc) BalanceRow(from string) {
	j := d.Plan.Journey
	if j == nil {
		return
	}
	row := maps(j.Transitions[from])
	sum := 0.0
	for k, v := range row {
		if k != core.StateLost {
			sum += v
		}
	}
	if sum <= 1 {
		if 1-sum > 0 {
			row[core.StateLost] = 1 - sum
		} else {
			delete(row, core.StateLost)
		}
	} else {
		for k := range row {
			if k != core.StateLost {
				row[k] /= sum
			}
		}
		delete(row, core.StateLost)
	}
	j.Transitions[from] = row
}

// NewScenario adds a scenario starting from the state on screen (a copy of
// the changes of the scenario on screen, or no changes on the baseline),
// and puts it on screen.
func (d *Doc) NewScenario(name string) string {
	p := d.Plan
	id := newID(name, func(s string) bool { _, ok := p.Scenario(s); return ok })
	s := core.Scenario{ID: id, Name: name, Changes: []core.Change{}}
	if cur, ok := p.Scenario(d.Scenario); ok {
		s.Base = cur.Base
		s.Clamp = cur.Clamp
		s.Changes = slices.Clone(cur.Changes)
	}
	p.Scenarios = append(slices.Clone(p.Scenarios), s)
	d.Scenario = id
	return id
}

// RemoveScenario deletes a scenario; scenarios built on it keep their
// results (its changes move into them and they take its base).
func (d *Doc) RemoveScenario(id string) {
	p := d.Plan
	s, ok := p.Scenario(id)
	if !ok {
		return
	}
	gone := *s
	p.Scenarios = slices.DeleteFunc(slices.Clone(p.Scenarios), func(x core.Scenario) bool { return x.ID == id })
	for k := range p.Scenarios {
		if p.Scenarios[k].Base == id {
			p.Scenarios[k].Base = gone.Base
			p.Scenarios[k].Changes = append(slices.Clone(gone.Changes), p.Scenarios[k].Changes...)
		}
	}
	if d.Scenario == id {
		d.Scenario = ""
	}
}

// ScenarioRef returns a pointer to the baseline's scenario with the given id.
func (d *Doc) ScenarioRef(id string) *core.Scenario {
	s, _ := d.Plan.Scenario(id)
	return s
}

func maps(m map[string]float64) map[string]float64 {
	if m == nil {
		return nil
	}
	c := make(map[string]float64, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

// ClearOptional removes an optional field of the baseline named by a
// target: a stage's benchmark, capacity or unit cost, a channel's volume,
// lead rate or lead quality.
func (d *Doc) ClearOptional(target string) error {
	parts := strings.Split(target, ".")
	p := d.Plan
	if len(parts) == 3 && parts[0] == "stages" {
		i := p.StageIndex(parts[1])
		if i < 0 {
			return fmt.Errorf("no stage has id %q", parts[1])
		}
		s := &p.Stages[i]
		switch parts[2] {
		case "benchmark":
			s.Benchmark = nil
		case "capacity":
			s.Capacity = nil
		case "unit_cost":
			s.UnitCost = nil
		default:
			return fmt.Errorf("%s cannot be removed", target)
		}
		return nil
	}
	if len(parts) == 3 && parts[0] == "channels" {
		ch := d.Channel(parts[1])
		if ch == nil {
			return fmt.Errorf("no channel has id %q", parts[1])
		}
		switch parts[2] {
		case "volume":
			ch.Volume = nil
		case "lead_rate":
			ch.LeadRate = nil
		case "lead_quality":
			ch.LeadQuality = nil
		default:
			return fmt.Errorf("%s cannot be removed", target)
		}
		return nil
	}
	return fmt.Errorf("%s cannot be removed", target)
}
