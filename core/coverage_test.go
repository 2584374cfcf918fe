package core

import (
	"errors"
	"testing"

	"github.com/funnelplan/funnelplan/core/examples"
)

// sectionD is the persona example of MATH.md §d with its coverage matrix
// M = [[1,1,1,1],[1,0,1,0]].
const sectionD = `{"funnelplan": 1, "name": "§d", "top": 10000, "order_value": 1,
 "stages": [{"id": "s0"}, {"id": "s1", "rate": 0.05}, {"id": "s2", "rate": 0.4}, {"id": "s3", "rate": 0.5}, {"id": "s4", "rate": 0.25}],
 "personas": [
  {"id": "a", "share": 0.6, "rates": {"s1": 0.04, "s2": 0.5, "s3": 0.5, "s4": 0.3}, "order_value": 10000},
  {"id": "b", "share": 0.4, "rates": {"s1": 0.065, "s2": 0.3, "s3": 0.5, "s4": 0.2}, "order_value": 16000}],
 "coverage": {"a": {"s0": 1, "s1": 1, "s2": 1, "s3": 1}, "b": {"s0": 1, "s1": 0, "s2": 1}}}`

func TestCoverage(t *testing.T) {
	b2b, _ := examples.Get("b2b")
	cases := []struct {
		name      string
		plan      string
		cells     float64   // MATH.md §d: 0.75
		perStage  []float64 // MATH.md §d: [1, 0.48, 1, 0.606061]
		gaps      []CoverageGap
		uncovered float64
	}{
		{"MATH.md §d", sectionD, 0.75, []float64{1, 0.48, 1, 60.0 / 99},
			// A [6000, 240, 120, 60], B [4000, 260, 78, 39]: B misses s1
			// (260) and s3 (39).
			[]CoverageGap{{"b", "s1", 260}, {"b", "s3", 39}}, 299},
		// The bundled B2B plan has the personas and matrix of §d.
		{"b2b example", string(b2b), 0.75, []float64{1, 0.48, 1, 60.0 / 99},
			[]CoverageGap{{"ent", "lead", 260}, {"ent", "proposal", 39}}, 299},
		// No personas: one row "all"; 1000 x [0.1, 0.5]: flows 1000, 100.
		{"no personas", `{` + minimal + `, "coverage": {"all": {"lead": 2}}}`, 0.5, []float64{0, 1},
			[]CoverageGap{{"all", "visit", 1000}}, 1000},
		// A row naming the last stage adds it as a column; persona y has
		// no row: all gaps. Flows x [500, 50, 25], y [500, 50, 25].
		{"last stage and missing row", `{` + minimal + `, "personas": [{"id": "x", "share": 0.5}, {"id": "y", "share": 0.5}],
			"coverage": {"x": {"visit": 1, "sale": 1}}}`, 2.0 / 6, []float64{0.5, 0, 0.5},
			[]CoverageGap{{"y", "visit", 500}, {"x", "lead", 50}, {"y", "lead", 50}, {"y", "sale", 25}}, 625},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := Coverage(mustDecode(t, []byte(c.plan)))
			if err != nil {
				t.Fatal(err)
			}
			if !near(r.Cells, c.cells, relTol) {
				t.Errorf("cells %v, want %v", r.Cells, c.cells)
			}
			if len(r.PerStage) != len(c.perStage) {
				t.Fatalf("per stage %+v", r.PerStage)
			}
			for i, w := range c.perStage {
				if g := r.PerStage[i].Coverage; g == nil || !near(*g, w, relTol) {
					t.Errorf("stage %d coverage %v, want %v", i, fmtPtr(g), w)
				}
			}
			if len(r.Gaps) != len(c.gaps) {
				t.Fatalf("gaps %+v, want %+v", r.Gaps, c.gaps)
			}
			for k, w := range c.gaps {
				g := r.Gaps[k]
				if g.Persona != w.Persona || g.Stage != w.Stage || !near(g.Flow, w.Flow, relTol) {
					t.Errorf("gap %d = %+v, want %+v", k, g, w)
				}
			}
			if !near(r.Uncovered, c.uncovered, relTol) {
				t.Errorf("uncovered %v, want %v", r.Uncovered, c.uncovered)
			}
		})
	}
}

func TestCoverageEmptyFlow(t *testing.T) {
	p := mustDecode(t, []byte(`{`+minimal+`, "coverage": {"all": {"lead": 2}}}`))
	p.Top = 0
	r := must(Coverage(p))
	if r.PerStage[0].Coverage != nil || r.PerStage[1].Coverage != nil {
		t.Errorf("coverage of an empty stage is %v, want nil", fmtPtr(r.PerStage[0].Coverage))
	}
}

func TestCoverageMissing(t *testing.T) {
	if _, err := Coverage(mustDecode(t, []byte(`{`+minimal+`}`))); !errors.Is(err, ErrNoCoverage) {
		t.Errorf("err = %v, want ErrNoCoverage", err)
	}
}
