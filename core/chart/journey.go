package chart

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/funnelplan/funnelplan/core"
)

// JourneyGraph is what the journey chart draws: the states of a Markov
// journey (MATH.md §f) and the one-step transition probabilities between
// them, as the plan and the core's journey analysis give them.
type JourneyGraph struct {
	// States are the transient states in display order, the entry first.
	States []JourneyNode
	// Edges are transition probabilities in [0, 1]: between transient
	// states (From == To is staying), or into the end states
	// core.StatePurchase and core.StateLost.
	Edges []JourneyEdge
	// Entry is the id of the state where people enter (empty: the first).
	Entry string
	// StepDays is the length of one step in days (0: not shown).
	StepDays float64
	// Purchase is the probability that a person entering buys eventually
	// (nil: not shown).
	Purchase *float64
}

// JourneyNode is one transient state.
type JourneyNode struct {
	ID, Name string
	// Purchase is the probability of buying eventually from this state
	// (nil: not shown).
	Purchase *float64
}

// JourneyEdge is the probability P of moving From -> To in one step.
type JourneyEdge struct {
	From, To string
	P        float64
}

// maxJourneyStates is the most transient states the chart lays out in
// one row and keeps readable.
const maxJourneyStates = 16

// Journey draws a journey as a state diagram: the transient states in a
// row from the entry on the left to the purchase end state on the right;
// forward moves as solid blue arrows (arcs over the row when they skip
// states), backward moves as dashed vermilion arcs under the row, staying
// as "↻" inside each state, and the lost end state as a rail along the
// bottom that every state drains into. Line widths grow with the
// probability; every arrow is labelled with it.
func Journey(w io.Writer, g JourneyGraph, opt Options) error {
	n := len(g.States)
	if n == 0 {
		return errors.New("no journey to draw (no states)")
	}
	if n > maxJourneyStates {
		return fmt.Errorf("%d journey states are too many to draw readably (at most %d)", n, maxJourneyStates)
	}
	idx := map[string]int{core.StatePurchase: n}
	for i, st := range g.States {
		if _, dup := idx[st.ID]; dup || st.ID == core.StateLost {
			return fmt.Errorf("journey state %q appears twice or is an end state", st.ID)
		}
		idx[st.ID] = i
	}
	stay := make([]*float64, n)
	lost := make([]*float64, n)
	var fwd, back []JourneyEdge
	for _, e := range g.Edges {
		if !finite(e.P) || e.P < 0 || e.P > 1 {
			return fmt.Errorf("transition %q -> %q: %v is not a probability", e.From, e.To, e.P)
		}
		i, ok := idx[e.From]
		if !ok || i == n {
			return fmt.Errorf("transition from %q: not a transient state of the chart", e.From)
		}
		if e.P == 0 {
			continue
		}
		p := e.P
		if e.To == core.StateLost {
			lost[i] = &p
			continue
		}
		k, ok := idx[e.To]
		switch {
		case !ok:
			return fmt.Errorf("transition %q -> %q: no such state", e.From, e.To)
		case k == i:
			stay[i] = &p
		case k > i:
			fwd = append(fwd, e)
		default:
			back = append(back, e)
		}
	}

	c := newCanvas(w, opt)
	s := c.s
	title := opt.Title
	if title == "" {
		title = "Customer journey"
	}
	slotW := (s.width - 2*s.pad) / float64(n+1)
	boxW := 0.68 * slotW
	if boxW < 3.5*s.font {
		return fmt.Errorf("chart width %.0f px is too narrow for %d journey states", s.width, n)
	}
	boxH := 3.6 * s.font
	cx := func(i int) float64 { return s.pad + (float64(i)+0.5)*slotW }
	upH := func(span int) float64 { return s.font * (2.4 + 1.5*float64(span-2)) }
	downH := func(span int) float64 { return s.font * (2.2 + 1.5*float64(span-1)) }
	maxUp, maxDown := 0.0, 0.0
	for _, e := range fwd {
		if span := idx[e.To] - idx[e.From]; span > 1 {
			maxUp = math.Max(maxUp, 0.75*upH(span))
		}
	}
	for _, e := range back {
		maxDown = math.Max(maxDown, 0.75*downH(idx[e.From]-idx[e.To]))
	}
	top := s.pad + s.big + 2*lineH(s.font) + 2 + lineH(s.small) + 4
	rowY := top + maxUp + lineH(s.small) + 0.4*s.font
	belowY := rowY + boxH + maxDown + lineH(s.small) + 0.6*s.font
	railY := belowY + lineH(s.small) + 0.4*s.font
	railH := 1.9 * s.font
	h := railY + railH + s.pad

	c.begin(h, title, journeyDesc(g, stay, lost, fwd, back))
	sub := "Solid arrows move forward, dashed arcs go back; line width follows the probability"
	if g.StepDays > 0 {
		sub = "One step = " + trimZeros(fixed(g.StepDays, 1)) + " days · " + sub
	}
	c.header(title, sub)
	if g.Purchase != nil {
		c.text(s.pad, top-0.2*s.font, "From the entry, "+fmtPct(*g.Purchase)+" buy eventually", c.size(s.small), `font-weight="bold"`)
	}
	const backColour = vermilion
	backDash := `stroke-dasharray="6 4"`
	mk := func(name, col string) string {
		id := s.ids + "-" + name
		c.Marker(id, 9, 5, 3.5*s.line+6, 3.5*s.line+6, `viewBox="0 0 10 10"`, `orient="auto"`, `markerUnits="userSpaceOnUse"`)
		c.Path("M0,0 L10,5 L0,10 z", c.fill(col))
		c.MarkerEnd()
		return `marker-end="url(#` + id + `)"`
	}
	c.Def()
	fwdArrow := mk("fwd", blue)
	backArrow := mk("back", backColour)
	lostArrow := mk("lost", "#666666")
	c.DefEnd()
	width := func(p float64) string { return numAttr("stroke-width", s.line*(0.7+2.5*p)) }
	type label struct {
		x, y   float64
		t      string
		col    string
		anchor string
	}
	var labels []label

	// Lost: a stub from each state down to the rail.
	for i := range g.States {
		if lost[i] == nil {
			continue
		}
		x := cx(i) - 0.3*boxW
		c.Line(x, rowY+boxH, x, railY-1, `stroke="#666666"`, width(*lost[i]), lostArrow)
		labels = append(labels, label{x + 0.4*s.font + 2*s.line, railY - 0.45*s.font, fmtPct(*lost[i]) + " lost", "#555555", "start"})
	}
	// Backward arcs under the row.
	for _, e := range back {
		i, k := idx[e.From], idx[e.To]
		x1, x2 := cx(i)+0.05*boxW, cx(k)+0.2*boxW
		y := rowY + boxH
		d := downH(i - k)
		c.Path(c.curve(x1, y, x1, y+d, x2, y+d, x2, y+2), `fill="none"`, `stroke="`+backColour+`"`, width(e.P), backDash, backArrow)
		labels = append(labels, label{(x1 + x2) / 2, y + 0.75*d + 0.35*s.small, fmtPct(e.P), "#A04000", "middle"})
	}
	// Forward moves: straight to the next state, arcs over the row when
	// skipping states.
	for _, e := range fwd {
		i, k := idx[e.From], idx[e.To]
		if k == i+1 {
			y := rowY + boxH/2
			x1, x2 := cx(i)+boxW/2, cx(k)-boxW/2-2
			c.Line(x1, y, x2, y, `stroke="`+blue+`"`, width(e.P), fwdArrow)
			labels = append(labels, label{(x1 + x2) / 2, y - 0.5*s.font, fmtPct(e.P), blue, "middle"})
			continue
		}
		x1, x2 := cx(i)+0.15*boxW, cx(k)-0.15*boxW
		d := upH(k - i)
		c.Path(c.curve(x1, rowY, x1, rowY-d, x2, rowY-d, x2, rowY-2), `fill="none"`, `stroke="`+blue+`"`, width(e.P), fwdArrow)
		labels = append(labels, label{(x1 + x2) / 2, rowY - 0.75*d - 0.3*s.font, fmtPct(e.P), blue, "middle"})
	}
	// States.
	for i, st := range g.States {
		x := cx(i) - boxW/2
		name := st.Name
		if name == "" {
			name = st.ID
		}
		c.Group()
		c.Title(name)
		c.Roundrect(x, rowY, boxW, boxH, 0.4*s.font, 0.4*s.font, `fill="#ffffff"`, `stroke="`+s.fg+`"`, numAttr("stroke-width", s.line))
		c.Gend()
		c.text(cx(i), rowY+1.25*s.font, fitText(name, boxW-0.6*s.font, s.font, true), `text-anchor="middle"`, `font-weight="bold"`)
		line2 := "no stay"
		if stay[i] != nil {
			line2 = "↻ " + fmtPct(*stay[i]) + " stay"
		}
		c.text(cx(i), rowY+2.35*s.font, fitText(line2, boxW-0.4*s.font, s.small, false), `text-anchor="middle"`, c.size(s.small), c.fill(s.muted))
		if st.Purchase != nil {
			c.text(cx(i), rowY+3.3*s.font, fitText(fmtPct(*st.Purchase)+" buy", boxW-0.4*s.font, s.small, false), `text-anchor="middle"`, c.size(s.small), c.fill(s.muted))
		}
		if st.ID == g.Entry || g.Entry == "" && i == 0 {
			// Entry marker.
			c.Line(x-0.9*s.font, rowY+boxH/2, x-2, rowY+boxH/2, `stroke="`+s.fg+`"`, numAttr("stroke-width", s.line), fwdArrow)
		}
	}
	// Purchase end state: filled, double border.
	px := cx(n) - boxW/2
	c.Roundrect(px-3, rowY-3, boxW+6, boxH+6, 0.5*s.font, 0.5*s.font, `fill="none"`, `stroke="`+green+`"`, numAttr("stroke-width", s.line))
	c.Roundrect(px, rowY, boxW, boxH, 0.4*s.font, 0.4*s.font, c.fill("#007A5A"))
	c.text(cx(n), rowY+boxH/2-0.1*s.font, "Purchase", `text-anchor="middle"`, `font-weight="bold"`, c.fill("#ffffff"))
	c.text(cx(n), rowY+boxH/2+1.05*s.small, "end state", `text-anchor="middle"`, c.size(s.small), c.fill("#ffffff"))
	// Lost end state: a rail under the states.
	rx, rw := s.pad, cx(n-1)+boxW/2-s.pad
	c.Rect(rx, railY, rw, railH, c.fill("#666666"))
	c.text(rx+0.6*s.font, railY+railH/2+0.35*s.font, "Lost (end state)", `font-weight="bold"`, c.fill("#ffffff"))
	for _, l := range labels {
		c.text(l.x, l.y, l.t, `text-anchor="`+l.anchor+`"`, c.size(s.small), c.fill(l.col), c.halo())
	}
	return c.finish(w)
}

func journeyDesc(g JourneyGraph, stay, lost []*float64, fwd, back []JourneyEdge) string {
	var b strings.Builder
	names := map[string]string{core.StatePurchase: "purchase", core.StateLost: "lost"}
	for _, st := range g.States {
		names[st.ID] = st.Name
		if st.Name == "" {
			names[st.ID] = st.ID
		}
	}
	fmt.Fprintf(&b, "Journey of %d states from %s to purchase or lost.", len(g.States), names[g.States[0].ID])
	if g.Purchase != nil {
		fmt.Fprintf(&b, " %s of entrants buy eventually.", fmtPct(*g.Purchase))
	}
	for i, st := range g.States {
		fmt.Fprintf(&b, " %s:", names[st.ID])
		var parts []string
		if stay[i] != nil {
			parts = append(parts, "stay "+fmtPct(*stay[i]))
		}
		for _, e := range fwd {
			if e.From == st.ID {
				parts = append(parts, "to "+names[e.To]+" "+fmtPct(e.P))
			}
		}
		for _, e := range back {
			if e.From == st.ID {
				parts = append(parts, "back to "+names[e.To]+" "+fmtPct(e.P))
			}
		}
		if lost[i] != nil {
			parts = append(parts, "lost "+fmtPct(*lost[i]))
		}
		b.WriteString(" " + strings.Join(parts, ", ") + ".")
	}
	return b.String()
}

// JourneyOf is the journey graph of a plan's journey section and its
// analysis r (core.AnalyzeJourney of the same plan): the states in the
// analysis' order, named after their funnel stages, every non-zero
// transition of the chain (core.Journey.Chain), and the purchase
// probabilities the analysis computed.
func JourneyOf(p *core.Plan, r *core.JourneyResult) (JourneyGraph, error) {
	if p == nil || p.Journey == nil {
		return JourneyGraph{}, errors.New("the plan has no journey section")
	}
	if r == nil {
		return JourneyGraph{}, errors.New("no journey analysis to draw")
	}
	ch, err := p.Journey.Chain(p)
	if err != nil {
		return JourneyGraph{}, err
	}
	m := len(ch.States)
	if len(r.States) != m || len(ch.Q) != m*m || len(ch.R) != 2*m {
		return JourneyGraph{}, fmt.Errorf("the analysis has %d states, the journey %d", len(r.States), m)
	}
	g := JourneyGraph{Entry: r.Entry, StepDays: r.StepDays}
	h := r.PurchaseProbability
	g.Purchase = &h
	for i, st := range r.States {
		if st.ID != ch.States[i] {
			return JourneyGraph{}, fmt.Errorf("journey state %d is %q in the analysis and %q in the journey", i, st.ID, ch.States[i])
		}
		name := st.ID
		if k := p.StageIndex(st.Stage); k >= 0 {
			name = stageName(p.Stages[k])
		}
		hp := st.PurchaseProbability
		g.States = append(g.States, JourneyNode{ID: st.ID, Name: name, Purchase: &hp})
	}
	for i, from := range ch.States {
		for k, to := range ch.States {
			if q := ch.Q[i*m+k]; q > 0 {
				g.Edges = append(g.Edges, JourneyEdge{from, to, q})
			}
		}
		if q := ch.R[2*i]; q > 0 {
			g.Edges = append(g.Edges, JourneyEdge{from, core.StatePurchase, q})
		}
		if q := ch.R[2*i+1]; q > 0 {
			g.Edges = append(g.Edges, JourneyEdge{from, core.StateLost, q})
		}
	}
	return g, nil
}

// curve returns the path data of a cubic Bézier curve from x0, y0 to
// x3, y3 with control points x1, y1 and x2, y2, in the canvas's decimals.
func (c *canvas) curve(x0, y0, x1, y1, x2, y2, x3, y3 float64) string {
	return "M" + c.format(x0) + "," + c.format(y0) + " C" + c.format(x1) + "," + c.format(y1) + " " +
		c.format(x2) + "," + c.format(y2) + " " + c.format(x3) + "," + c.format(y3)
}
