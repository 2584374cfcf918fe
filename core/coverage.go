package core

import (
	"errors"
	"slices"
)

// CoverageResult measures the persona x stage content matrix of a plan
// against the flow through the funnel (MATH.md §d).
type CoverageResult struct {
	// Personas are the matrix rows (persona ids; "all" without personas),
	// Stages its columns (stage ids: every stage but the last, and the
	// last too when some row names it).
	Personas []string `json:"personas"`
	Stages   []string `json:"stages"`
	// Cells is the cell coverage #{M_{j,i} > 0} / (J S), in [0, 1].
	Cells float64 `json:"cells"`
	// PerStage is the flow-weighted coverage of every column.
	PerStage []StageCoverage `json:"per_stage"`
	// Gaps are the empty cells ranked by uncovered flow, largest first
	// (ties in persona, then stage order).
	Gaps []CoverageGap `json:"gaps"`
	// Uncovered is the total of the gaps' flows (persons per period who
	// meet no content, counted once per stage).
	Uncovered float64 `json:"uncovered"`
}

// StageCoverage is the coverage of one stage weighted by flow.
type StageCoverage struct {
	Stage string `json:"stage"`
	// Flow is N_i, persons per period at the stage; Covered the part of
	// it whose persona has content there.
	Flow    float64 `json:"flow"`
	Covered float64 `json:"covered"`
	// Coverage is Covered/Flow in [0, 1], nil when Flow is 0.
	Coverage *float64 `json:"coverage"`
}

// CoverageGap is one persona x stage cell without content.
type CoverageGap struct {
	Persona string `json:"persona"`
	Stage   string `json:"stage"`
	// Flow is N_{j,i}, the persons per period who meet no content here.
	Flow float64 `json:"flow"`
}

// ErrNoCoverage is returned by Coverage for a plan without a coverage
// section.
var ErrNoCoverage = errors.New("coverage: the plan has no coverage matrix (want \"coverage\": {persona: {stage: items}})")

// Coverage computes the coverage metrics of MATH.md §d for a valid plan,
// with the flows of Forward (personas, capacities):
//
//	cells          = #{M_{j,i} > 0} / (J·S)
//	flow-weighted  = Σ_j N_{j,i} [M_{j,i} > 0] / Σ_j N_{j,i}
//	gap ranking    by uncovered flow N_{j,i} [M_{j,i} = 0]
//
// A cell the matrix does not name is 0 (a gap); a persona without a row is
// a row of gaps. The plan must have a coverage section (ErrNoCoverage).
func Coverage(p *Plan) (*CoverageResult, error) {
	if len(p.Coverage) == 0 {
		return nil, ErrNoCoverage
	}
	fr, err := Forward(p)
	if err != nil {
		return nil, err
	}
	n := len(p.Stages)
	cols := n - 1
	for _, row := range p.Coverage {
		if _, ok := row[p.Stages[n-1].ID]; ok {
			cols = n
		}
	}
	r := &CoverageResult{Stages: make([]string, cols), PerStage: make([]StageCoverage, cols), Gaps: []CoverageGap{}}
	for i := range cols {
		r.Stages[i] = p.Stages[i].ID
		r.PerStage[i].Stage = p.Stages[i].ID
	}
	type rowFlow struct {
		id     string
		counts []float64
	}
	var rows []rowFlow
	if len(p.Personas) == 0 {
		rows = []rowFlow{{AllPersonas, stageCounts(fr)}}
	} else {
		for _, pr := range fr.Personas {
			rows = append(rows, rowFlow{pr.ID, pr.Counts})
		}
	}
	covered := 0
	for _, row := range rows {
		r.Personas = append(r.Personas, row.id)
		m := p.Coverage[row.id]
		for i := range cols {
			flow := row.counts[i]
			sc := &r.PerStage[i]
			sc.Flow += flow
			if m[p.Stages[i].ID] > 0 {
				covered++
				sc.Covered += flow
			} else {
				r.Gaps = append(r.Gaps, CoverageGap{Persona: row.id, Stage: p.Stages[i].ID, Flow: flow})
				r.Uncovered += flow
			}
		}
	}
	r.Cells = float64(covered) / float64(len(rows)*cols)
	for i := range r.PerStage {
		if sc := &r.PerStage[i]; sc.Flow > 0 {
			sc.Coverage = F(sc.Covered / sc.Flow)
		}
	}
	if err := resultFinite("coverage", r); err != nil {
		return nil, err
	}
	slices.SortStableFunc(r.Gaps, func(a, b CoverageGap) int {
		switch {
		case a.Flow > b.Flow:
			return -1
		case a.Flow < b.Flow:
			return 1
		}
		return 0
	})
	return r, nil
}

func stageCounts(fr *ForwardResult) []float64 {
	c := make([]float64, len(fr.Stages))
	for i, s := range fr.Stages {
		c[i] = s.Count
	}
	return c
}
