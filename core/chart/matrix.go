package chart

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/funnelplan/funnelplan/core"
)

// Matrix draws the persona x stage heatmap of conversion rates: one row per
// persona with its rate p_{j,i} into every stage after the top (the
// persona's override, else the stage rate: MATH.md §d), and a last row with
// the aggregate rates of r (core.Forward of the same plan), which weigh the
// personas by their mix at the previous stage. The colour runs from 0 to the
// highest rate shown.
func Matrix(w io.Writer, p *core.Plan, r *core.ForwardResult, opt Options) error {
	if p == nil || len(p.Stages) < 2 {
		return errors.New("no matrix to draw (the plan needs at least 2 stages)")
	}
	if err := checkForward(r); err != nil {
		return err
	}
	if len(r.Stages) != len(p.Stages) {
		return fmt.Errorf("the result has %d stages, the plan %d", len(r.Stages), len(p.Stages))
	}
	n := len(p.Stages)
	g := &grid{total: true}
	for i := 1; i < n; i++ {
		g.cols = append(g.cols, stageName(p.Stages[i]))
	}
	var vals [][]*float64
	if len(p.Personas) == 0 {
		row := make([]*float64, n-1)
		for i := 1; i < n; i++ {
			row[i-1] = p.Stages[i].Rate
		}
		g.rows = append(g.rows, "All")
		vals = append(vals, row)
	}
	for _, x := range p.Personas {
		row := make([]*float64, n-1)
		for i := 1; i < n; i++ {
			if v, ok := x.Rates.Get(p.Stages[i].ID); ok {
				row[i-1] = &v
			} else {
				row[i-1] = p.Stages[i].Rate
			}
		}
		name := x.Name
		if name == "" {
			name = x.ID
		}
		g.rows = append(g.rows, name)
		vals = append(vals, row)
	}
	agg := make([]*float64, n-1)
	for i := 1; i < n; i++ {
		agg[i-1] = r.Stages[i].Rate
	}
	g.rows = append(g.rows, "All personas (mix)")
	vals = append(vals, agg)
	hi := 0.0
	for _, row := range vals {
		for _, v := range row {
			if v != nil {
				if !finite(*v) {
					return errors.New("a rate is not a finite number")
				}
				hi = math.Max(hi, *v)
			}
		}
	}
	scale := hi
	if scale == 0 {
		scale = 1
	}
	for j, row := range vals {
		cells := make([]cell, len(row))
		for i, v := range row {
			if v == nil {
				cells[i] = cell{fill: "#f2f2f2", text: "n/a", tip: g.rows[j] + " → " + g.cols[i] + ": undefined"}
				continue
			}
			cells[i] = cell{
				fill: sequential(*v / scale),
				text: fmtPct(*v),
				tip:  g.rows[j] + " → " + g.cols[i] + ": " + fmtPct(*v),
			}
		}
		g.cells = append(g.cells, cells)
	}

	c := newCanvas(w, opt)
	s := c.s
	l, err := c.layoutGrid(g)
	if err != nil {
		return err
	}
	title := opt.Title
	if title == "" {
		title = "Conversion rates by persona"
	}
	sub := "Share of the previous stage that reaches each stage; " + strconv.Itoa(n-1) + " steps"
	if len(p.Personas) > 0 {
		sub = "Share of the previous stage that reaches each stage; " + strconv.Itoa(len(p.Personas)) + " personas × " + strconv.Itoa(n-1) + " steps"
	}
	top := s.pad + s.big + 2*lineH(s.font) + 2
	h := top + l.height(g) + 0.8*s.font + lineH(s.small) + 4 + s.pad
	c.begin(h, title, matrixDesc(g))
	c.header(title, sub)
	y := c.drawGrid(top, g, l)
	c.scaleLegend(y+0.8*s.font, "Colour:", "0 %", fmtPct(hi))
	return c.finish(w)
}

// Coverage draws the persona x stage content-coverage heatmap of a plan
// (plan.Coverage) with the metrics of core.Coverage (MATH.md §d): each
// cell holds the number of content items for the persona at the stage,
// coloured from one to the most; a gap (no content) is outlined and filled
// in the warning colour, the stronger the more persons per period meet no
// content there, and labelled with its rank by that uncovered flow and
// the flow itself. A last row gives each stage's flow-weighted coverage.
// The columns are the core's: every stage but the last, and the last too
// when the matrix names it. r, when not nil, must be core.Forward of the
// same plan (the flows are the core's either way).
func Coverage(w io.Writer, p *core.Plan, r *core.ForwardResult, opt Options) error {
	if p == nil || len(p.Stages) == 0 {
		return errors.New("no coverage to draw (the plan has no stages)")
	}
	if r != nil && len(r.Stages) != len(p.Stages) {
		return fmt.Errorf("the result has %d stages, the plan %d", len(r.Stages), len(p.Stages))
	}
	cov, err := core.Coverage(p)
	if err != nil {
		return err
	}
	return drawCoverage(w, p, cov, opt)
}

func drawCoverage(w io.Writer, p *core.Plan, cov *core.CoverageResult, opt Options) error {
	g := &grid{total: true}
	col := map[string]int{}
	for i, id := range cov.Stages {
		k := p.StageIndex(id)
		if k < 0 {
			return fmt.Errorf("coverage stage %q is not a stage of the plan", id)
		}
		g.cols = append(g.cols, stageName(p.Stages[k]))
		col[id] = i
	}
	row := map[string]int{}
	for j, id := range cov.Personas {
		name := id
		if k := p.PersonaIndex(id); k >= 0 && p.Personas[k].Name != "" {
			name = p.Personas[k].Name
		} else if id == core.AllPersonas {
			name = "All"
		}
		g.rows = append(g.rows, name)
		row[id] = j
	}
	most := 0.0
	for _, id := range cov.Personas {
		for _, sid := range cov.Stages {
			v := p.Coverage[id][sid]
			if !finite(v) {
				return errors.New("a coverage count is not a finite number")
			}
			most = math.Max(most, v)
		}
	}
	g.cells = make([][]cell, len(cov.Personas)+1)
	for j, id := range cov.Personas {
		g.cells[j] = make([]cell, len(cov.Stages))
		for i, sid := range cov.Stages {
			v := p.Coverage[id][sid]
			at := g.rows[j] + " at " + g.cols[i]
			t := 0.15 + 0.85*v/math.Max(most, 1)
			c := cell{fill: sequential(t), text: fmtCount(v), sub: "items", tip: at + ": " + fmtCount(v) + " content items"}
			if v == 1 {
				c.sub = "item"
			}
			g.cells[j][i] = c
		}
	}
	maxGap := 0.0
	for _, gp := range cov.Gaps {
		maxGap = math.Max(maxGap, gp.Flow)
	}
	s := newStyle(opt)
	for rank, gp := range cov.Gaps {
		j, okj := row[gp.Persona]
		i, oki := col[gp.Stage]
		if !okj || !oki || !finite(gp.Flow) {
			return fmt.Errorf("coverage gap %q at %q is not in the matrix", gp.Persona, gp.Stage)
		}
		t := 0.0
		if maxGap > 0 {
			t = gp.Flow / maxGap
		}
		g.cells[j][i] = cell{
			fill: mix("#ffffff", "#F5B183", t),
			text: "gap #" + strconv.Itoa(rank+1),
			sub:  fmtCount(gp.Flow),
			tip: g.rows[j] + " at " + g.cols[i] + ": no content; " + fmtCount(gp.Flow) + " persons " + perPeriod(s) +
				" meet none (gap #" + strconv.Itoa(rank+1) + " of " + strconv.Itoa(len(cov.Gaps)) + ")",
			mark: true,
		}
	}
	g.rows = append(g.rows, "Flow-weighted coverage")
	last := make([]cell, len(cov.Stages))
	for i, sc := range cov.PerStage {
		if sc.Coverage == nil {
			last[i] = cell{fill: "#f2f2f2", text: "n/a", sub: "no flow", tip: g.cols[i] + ": nobody reaches the stage"}
			continue
		}
		last[i] = cell{fill: sequential(*sc.Coverage), text: fmtPct(*sc.Coverage), sub: "of " + fmtCount(sc.Flow),
			tip: g.cols[i] + ": " + fmtCount(sc.Covered) + " of " + fmtCount(sc.Flow) + " persons " + perPeriod(s) + " meet content"}
	}
	g.cells[len(g.cells)-1] = last

	c := newCanvas(w, opt)
	l, err := c.layoutGrid(g)
	if err != nil {
		return err
	}
	title := opt.Title
	if title == "" {
		title = "Content coverage by persona"
	}
	sub := fmt.Sprintf("%s of cells covered · %d gaps, ranked by the persons %s without content (%s in all)",
		fmtPct(cov.Cells), len(cov.Gaps), perPeriod(s), fmtCount(cov.Uncovered))
	top := s.pad + s.big + 2*lineH(s.font) + 2
	h := top + l.height(g) + 0.8*s.font + lineH(s.small) + 4 + s.pad
	c.begin(h, title, coverageDesc(g, cov))
	c.header(title, sub)
	y := c.drawGrid(top, g, l)
	y += 0.8 * s.font
	x := s.pad
	if most > 0 {
		x = c.scaleLegendAt(x, y, "Items:", "1", fmtCount(most), 0.15) + 1.6*s.small
	}
	c.Rect(x, y+0.1*s.small, 1.6*s.small, 1.1*s.small, c.fill("#F5B183"), `stroke="`+warnColour(s)+`"`, `stroke-dasharray="4 2"`)
	x += 2.2 * s.small
	c.text(x, y+s.small, "gap (stronger: more persons meet no content)", c.size(s.small))
	return c.finish(w)
}

func stageName(st core.Stage) string {
	if st.Name != "" {
		return st.Name
	}
	return st.ID
}

// mix blends colour a into b by t in [0, 1] (0: a, 1: b).
func mix(a, b string, t float64) string {
	ar, ag, ab, _ := rgb(a)
	br, bg, bb, _ := rgb(b)
	t = math.Min(1, math.Max(0, t))
	f := func(x, y uint8) uint8 { return uint8(math.Round(float64(x) + t*(float64(y)-float64(x)))) }
	return hexColour(f(ar, br), f(ag, bg), f(ab, bb))
}

func matrixDesc(g *grid) string {
	var b strings.Builder
	b.WriteString("Conversion rate of each persona into each stage. ")
	for j, r := range g.rows {
		if j > 0 {
			b.WriteString(" ")
		}
		b.WriteString(r + ": ")
		for i, x := range g.cells[j] {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(g.cols[i] + " " + x.text)
		}
		b.WriteString(".")
	}
	return b.String()
}

func coverageDesc(g *grid, cov *core.CoverageResult) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Content items per persona and stage: %s of cells covered, %d gaps.", fmtPct(cov.Cells), len(cov.Gaps))
	for j, r := range g.rows[:len(g.rows)-1] {
		var gs []string
		for i, x := range g.cells[j] {
			if x.mark {
				gs = append(gs, g.cols[i]+" ("+x.text+", "+x.sub+" persons)")
			}
		}
		if len(gs) > 0 {
			b.WriteString(" " + r + " has no content at " + strings.Join(gs, ", ") + ".")
		}
	}
	last := g.cells[len(g.cells)-1]
	b.WriteString(" Flow-weighted coverage:")
	for i, x := range last {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(" " + g.cols[i] + " " + x.text)
	}
	b.WriteString(".")
	return b.String()
}
