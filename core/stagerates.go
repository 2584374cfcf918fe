package core

import (
	"encoding/json"
	"slices"
	"strings"
	"unsafe"
)

// StageRates are a persona's own rates, by stage id: in the plan file the
// object "rates": {"<stage id>": rate, ...}, written with its keys sorted.
//
// They are a list, not a map, so that a funnel reads them stage by stage
// without hashing a stage id per persona and stage (hashing strings costs
// several times more in WebAssembly than natively). Decode keeps them in
// the order of the plan's stages; Set appends a stage that has no rate
// yet. Any order reads the same; a stage appears at most once (Validate
// reports a repeated one).
type StageRates []StageRate

// StageRate is one persona rate: the rate of reaching Stage (an id) from
// the stage before it.
type StageRate struct {
	Stage string
	Rate  float64
}

// Get returns the rate of stage id, and whether there is one.
func (r StageRates) Get(id string) (float64, bool) {
	for _, x := range r {
		if sameID(x.Stage, id) {
			return x.Rate, true
		}
	}
	return 0, false
}

// Has reports whether r has a rate for stage id.
func (r StageRates) Has(id string) bool {
	_, ok := r.Get(id)
	return ok
}

// Set sets the rate of stage id, in place when it has one, else appended.
func (r *StageRates) Set(id string, v float64) {
	for k := range *r {
		if (*r)[k].Stage == id {
			(*r)[k].Rate = v
			return
		}
	}
	*r = append(*r, StageRate{id, v})
}

// Delete removes the rate of stage id, keeping the order of the others.
func (r *StageRates) Delete(id string) {
	*r = slices.DeleteFunc(*r, func(x StageRate) bool { return x.Stage == id })
}

// Clone returns a copy that shares nothing with r (nil for nil).
func (r StageRates) Clone() StageRates {
	return slices.Clone(r)
}

// Sorted returns a copy ordered by stage id (the order of the plan file).
func (r StageRates) Sorted() StageRates {
	c := slices.Clone(r)
	slices.SortStableFunc(c, func(a, b StageRate) int { return strings.Compare(a.Stage, b.Stage) })
	return c
}

// MarshalJSON writes the rates as a JSON object by stage id, keys sorted:
// what a map of them gives.
func (r StageRates) MarshalJSON() ([]byte, error) {
	if r == nil {
		return []byte("null"), nil
	}
	m := make(map[string]float64, len(r))
	for _, x := range r {
		m[x.Stage] = x.Rate
	}
	return json.Marshal(m)
}

// UnmarshalJSON reads a JSON object by stage id (null leaves r nil); the
// rates come in the order of their ids (a reader that knows the stages,
// Decode, puts them in the stages' order).
func (r *StageRates) UnmarshalJSON(b []byte) error {
	var m map[string]float64
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	if m == nil {
		*r = nil
		return nil
	}
	out := make(StageRates, 0, len(m))
	for _, k := range sortedKeys(m) {
		out = append(out, StageRate{k, m[k]})
	}
	*r = out
	return nil
}

// inStageOrder puts r in the order of stages (rates of unknown stages
// last, in their order), each stage id the very string of its stage, so
// that Forward and the other funnels read r in one pass. pos is the index
// of each stage by id (stageIndex).
func (r StageRates) inStageOrder(stages []Stage, pos map[string]int) {
	if len(r) == 0 {
		return
	}
	type keyed struct {
		at int
		StageRate
	}
	ks := make([]keyed, len(r))
	for k, x := range r {
		i, ok := pos[x.Stage]
		if ok {
			x.Stage = stages[i].ID
		} else {
			i = len(stages)
		}
		ks[k] = keyed{i, x}
	}
	slices.SortStableFunc(ks, func(a, b keyed) int { return a.at - b.at })
	for k := range ks {
		r[k] = ks[k].StageRate
	}
}

// stageIndex returns the index of each stage by id (the first of a
// repeated id, which Validate reports).
func stageIndex(stages []Stage) map[string]int {
	pos := make(map[string]int, len(stages))
	for i := len(stages) - 1; i >= 0; i-- {
		pos[stages[i].ID] = i
	}
	return pos
}

// sameID is a == b, settled without a call when both are the same string
// in memory, as a decoded plan's ids are (inStageOrder).
func sameID(a, b string) bool {
	return len(a) == len(b) && (unsafe.StringData(a) == unsafe.StringData(b) || a == b)
}

// rateReader reads a persona's rates stage by stage, in the stages' order:
// when r follows that order, as decoded plans do, each stage costs one
// comparison of ids.
type rateReader struct {
	r StageRates
	k int
}

// at returns the rate of stage id, the next stage of the walk.
func (c *rateReader) at(id string) (float64, bool) {
	if c.k < len(c.r) && sameID(c.r[c.k].Stage, id) {
		c.k++
		return c.r[c.k-1].Rate, true
	}
	return c.r.Get(id) // out of the stages' order
}

// fillRates writes into row (one slot per stage) the rate of every stage
// i >= 1 that r sets, leaving the others as they are. It is rateReader's
// walk written out: through rateReader.at, which is not inlined, Forward
// took 15 to 20 % longer.
func (r StageRates) fillRates(stages []Stage, row []float64) {
	k := 0
	for i := 1; i < len(stages) && i < len(row) && len(r) > 0; i++ {
		id := stages[i].ID
		if k < len(r) && sameID(r[k].Stage, id) {
			row[i] = r[k].Rate
			k++
		} else if v, ok := r.Get(id); ok { // out of the stages' order
			row[i] = v
		}
	}
}
