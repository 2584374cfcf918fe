package core

import "slices"

// Version is the newest plan-file version this package reads and writes.
// A reader accepts every version from 1 up to Version.
const Version = 1

// Plan is one funnel plan: the contract of the plan file (docs/plan-format.md).
//
// Volumes are persons (or impressions, clicks) per plan period; rates are
// fractions in [0, 1]; money is in major units of Currency.
type Plan struct {
	Version  int    `json:"funnelplan"`
	Name     string `json:"name"`
	Currency string `json:"currency,omitempty"`
	// Period is the plan's time unit: day, week, month, quarter or year
	// (empty means month).
	Period string `json:"period,omitempty"`
	// Top is the volume entering stage 0 per period, >= 0.
	Top    float64 `json:"top"`
	Stages []Stage `json:"stages"`
	// OrderValue is the average order value v, money per customer, >= 0.
	OrderValue float64 `json:"order_value,omitempty"`
	// Margin is the gross margin fraction m in [0, 1]; nil means unknown.
	Margin *float64 `json:"margin,omitempty"`
	// Spend is the media spend per period that buys Top (money, >= 0);
	// used for CPM, ROAS, CAC when no channels are given.
	Spend *float64 `json:"spend,omitempty"`
	// OtherCosts is the sales and tooling cost per period (money, >= 0)
	// added to spend for loaded CAC and ROI.
	OtherCosts *float64 `json:"other_costs,omitempty"`

	Personas  []Persona  `json:"personas,omitempty"`
	Channels  []Channel  `json:"channels,omitempty"`
	Retention *Retention `json:"retention,omitempty"`
	Ladder    []Rung     `json:"ladder,omitempty"`
	// Coverage is the persona x stage content matrix: Coverage[persona][stage]
	// is the number of content items (0 = gap), >= 0. MATH.md §d.
	Coverage map[string]map[string]float64 `json:"coverage,omitempty"`

	Journey     *Journey     `json:"journey,omitempty"`
	Referrals   *Referrals   `json:"referrals,omitempty"`
	BuyingGroup *BuyingGroup `json:"buying_group,omitempty"`

	// Uncertainty maps a target path (as in scenario changes) to a
	// distribution for Monte Carlo. MATH.md §j.
	Uncertainty map[string]Dist `json:"uncertainty,omitempty"`

	Scenarios []Scenario `json:"scenarios,omitempty"`
}

// Stage is one funnel stage.
type Stage struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
	// Rate is the share of the previous stage that reaches this one, in
	// [0, 1]. Stage 0 has no rate; every later stage must have one.
	Rate *float64 `json:"rate,omitempty"`
	// Benchmark is a reference rate in [0, 1] for bottleneck detection (§e).
	Benchmark *float64 `json:"benchmark,omitempty"`
	// Capacity is the most persons per period the stage can take (>= 0);
	// excess is lost (§e rule 3).
	Capacity *float64 `json:"capacity,omitempty"`
	// UnitCost is the money needed to add one person directly at this stage
	// (paid traffic, bought leads, seats): the key-level input of §e.
	UnitCost *float64 `json:"unit_cost,omitempty"`
	// Lag is the time converters take to reach this stage from the
	// previous one (§g).
	Lag *Lag `json:"lag,omitempty"`
	// Role names what the stage counts for the economics of §c.1:
	// "clicks" (CTR, CPC), "leads" (CPL) or "actions" (CPA). Empty: a
	// stage with id click(s) or lead(s) takes that role; actions default
	// to the last stage.
	Role string `json:"role,omitempty"`
}

// Persona is one buyer persona (or any segment: traffic temperature,
// channel). MATH.md §d.
type Persona struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
	// Share of Top, in [0, 1]; shares of all personas sum to 1.
	Share float64 `json:"share"`
	// Rates override stage rates for this persona, by stage id.
	Rates StageRates `json:"rates,omitempty"`
	// OrderValue overrides the plan's order value for this persona.
	OrderValue *float64 `json:"order_value,omitempty"`
}

// Scenario is a named, ordered list of changes to the baseline. MATH.md §e.
type Scenario struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
	// Base is the id of another scenario whose changes apply first (empty:
	// the baseline). Bases must not form a cycle.
	Base    string   `json:"base,omitempty"`
	Changes []Change `json:"changes"`
	// Clamp clamps rates pushed outside [0, 1] (with a warning) instead of
	// rejecting the scenario.
	Clamp bool `json:"clamp,omitempty"`
}

// Change is one scenario change: op (set, add, mul) applied to the value at
// Target (a dotted path, see Plan.Get).
type Change struct {
	Target string  `json:"target"`
	Op     string  `json:"op"`
	Value  float64 `json:"value"`
}

// AllPersonas is the persona id of a plan without personas (one implicit
// persona holding the whole top), as used by coverage rows.
const AllPersonas = "all"

// F returns a pointer to x, for optional plan fields.
func F(x float64) *float64 { return &x }

// PeriodDays is the length in days of a plan period unit (MATH.md §0:
// month = 365.25/12 days). It returns 0 for an unknown unit.
func PeriodDays(unit string) float64 {
	switch unit {
	case "day":
		return 1
	case "week":
		return 7
	case "", "month":
		return 365.25 / 12
	case "quarter":
		return 3 * 365.25 / 12
	case "year":
		return 365.25
	}
	return 0
}

// StageIndex returns the index of the stage with the given id, or -1.
func (p *Plan) StageIndex(id string) int {
	for i := range p.Stages {
		if p.Stages[i].ID == id {
			return i
		}
	}
	return -1
}

// PersonaIndex returns the index of the persona with the given id, or -1.
func (p *Plan) PersonaIndex(id string) int {
	for i := range p.Personas {
		if p.Personas[i].ID == id {
			return i
		}
	}
	return -1
}

// Rates returns the stage rates p_1..p_n (len(Stages)-1 values); a missing
// rate counts as 0.
func (p *Plan) Rates() []float64 {
	if len(p.Stages) == 0 {
		return nil
	}
	r := make([]float64, len(p.Stages)-1)
	for i := 1; i < len(p.Stages); i++ {
		if p.Stages[i].Rate != nil {
			r[i-1] = *p.Stages[i].Rate
		}
	}
	return r
}

// Clone returns a deep copy of the plan; changing the copy never changes p.
// Every section type has a clone method; a test checks Clone against a JSON
// round trip on the bundled examples, so a new field cannot be forgotten.
func (p *Plan) Clone() *Plan {
	q := *p
	q.Margin = cloneF(p.Margin)
	q.Spend = cloneF(p.Spend)
	q.OtherCosts = cloneF(p.OtherCosts)
	q.Stages = cloneSlice(p.Stages, Stage.clone)
	q.Personas = cloneSlice(p.Personas, Persona.clone)
	q.Channels = cloneSlice(p.Channels, Channel.clone)
	if p.Retention != nil {
		r := p.Retention.clone()
		q.Retention = &r
	}
	q.Ladder = cloneSlice(p.Ladder, Rung.clone)
	if p.Coverage != nil {
		q.Coverage = make(map[string]map[string]float64, len(p.Coverage))
		for k, m := range p.Coverage {
			q.Coverage[k] = cloneMap(m)
		}
	}
	if p.Journey != nil {
		j := p.Journey.clone()
		q.Journey = &j
	}
	if p.Referrals != nil {
		r := p.Referrals.clone()
		q.Referrals = &r
	}
	if p.BuyingGroup != nil {
		b := p.BuyingGroup.clone()
		q.BuyingGroup = &b
	}
	if p.Uncertainty != nil {
		q.Uncertainty = make(map[string]Dist, len(p.Uncertainty))
		for k, d := range p.Uncertainty {
			q.Uncertainty[k] = d.clone()
		}
	}
	q.Scenarios = cloneSlice(p.Scenarios, Scenario.clone)
	return &q
}

func (s Stage) clone() Stage {
	s.Rate = cloneF(s.Rate)
	s.Benchmark = cloneF(s.Benchmark)
	s.Capacity = cloneF(s.Capacity)
	s.UnitCost = cloneF(s.UnitCost)
	if s.Lag != nil {
		l := s.Lag.clone()
		s.Lag = &l
	}
	return s
}

func (x Persona) clone() Persona {
	x.Rates = x.Rates.Clone()
	x.OrderValue = cloneF(x.OrderValue)
	return x
}

func (s Scenario) clone() Scenario {
	s.Changes = slices.Clone(s.Changes) // keeps nil and empty apart, as JSON does
	return s
}

func cloneF(x *float64) *float64 {
	if x == nil {
		return nil
	}
	v := *x
	return &v
}

func cloneMap[K comparable, V any](m map[K]V) map[K]V {
	if m == nil {
		return nil
	}
	c := make(map[K]V, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

func cloneSlice[T any](s []T, f func(T) T) []T {
	if s == nil {
		return nil
	}
	c := make([]T, len(s))
	for i, v := range s {
		c[i] = f(v)
	}
	return c
}
