package chart

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/funnelplan/funnelplan/core"
)

// Fit draws the rates fitted from observed counts (core.Fit): one panel
// per step, and in it one row per group of the By column (a period, a
// manager, ...) with the posterior mean as a dot and its 90 % credible
// interval as a line, over the step's pooled rate (all rows) as a shaded
// band. Each panel has its own scale, given by its tick labels; with two
// groups the panel names the probability that the second has the higher
// rate, with more the χ² test of equal rates, both as the core computed
// them. A throughput step (period counts above the stage before) has no
// interval and says so.
func Fit(w io.Writer, r *core.FitResult, opt Options) error {
	if r == nil || len(r.Steps) == 0 {
		return errors.New("no fit to draw (no steps)")
	}
	for _, g := range r.Groups {
		if len(g.Steps) != len(r.Steps) {
			return fmt.Errorf("group %q has %d steps, the totals %d", g.Key, len(g.Steps), len(r.Steps))
		}
	}
	steps := append([]core.StepFit{}, r.Steps...)
	overall := r.Overall.From != "" && len(r.Steps) > 1
	if overall {
		steps = append(steps, r.Overall)
	}
	c := newCanvas(w, opt)
	s := c.s
	title := opt.Title
	if title == "" {
		title = "Rates from observed counts"
	}
	labels := []string{"all rows"}
	for _, g := range r.Groups {
		labels = append(labels, g.Key)
	}
	labelW := math.Min(maxWidth(labels, s.font, true), 0.22*s.width)
	x0 := s.pad + labelW + 0.8*s.font
	valueW := textWidth("100.00 % [100.00 – 100.00 %] · 100,000 / 100,000", s.small, false)
	x1 := s.width - s.pad - valueW - 0.6*s.font
	if x1-x0 < 6*s.font {
		return fmt.Errorf("chart width %.0f px is too narrow for the fit chart", s.width)
	}
	rowH := 1.7 * s.font
	headH := lineH(s.font) + 0.3*s.font
	axisH := lineH(s.small) + 0.2*s.font
	panelGap := 0.9 * s.font
	rows := 1 + len(r.Groups)
	panelH := headH + float64(rows)*rowH + axisH
	top := s.pad + s.big + 2*lineH(s.font) + 2 + 0.4*s.font
	h := top + float64(len(steps))*(panelH+panelGap) + s.pad
	sub := fmt.Sprintf("Posterior mean and 90 %% credible interval per step (%s prior); band: all rows", r.Prior)
	if r.By != "" {
		sub = fmt.Sprintf("Posterior mean and 90 %% credible interval per step and %s (%s prior); band: all rows", r.By, r.Prior)
	}
	c.begin(h, title, fitDesc(r, steps))
	c.header(title, sub)
	y := top
	for k, st := range steps {
		isOverall := overall && k == len(steps)-1
		fits := []core.StepFit{st}
		if !isOverall {
			for _, g := range r.Groups {
				fits = append(fits, g.Steps[k])
			}
		} else {
			for _, g := range r.Groups {
				fits = append(fits, g.Overall)
			}
		}
		name := st.From + " → " + st.To
		if isOverall {
			name += " (overall)"
		}
		c.Textspan(s.pad, y+s.font, "")
		c.Span(name, `font-weight="bold"`)
		if note := c.fitNote(r, st, isOverall); note != "" {
			c.Span("   "+note, c.fill(s.muted), c.size(s.small))
		}
		c.TextEnd()
		ry := y + headH
		// Scale: the intervals of the panel.
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, f := range fits {
			if f.CILow != nil && f.CIHigh != nil {
				lo, hi = math.Min(lo, *f.CILow), math.Max(hi, *f.CIHigh)
			}
		}
		if math.IsInf(lo, 0) {
			lo, hi = 0, 1
		}
		ticks := niceTicks(lo, hi, 4)
		tlo, thi := ticks[0], ticks[len(ticks)-1]
		xAt := func(v float64) float64 { return x0 + (v-tlo)/(thi-tlo)*(x1-x0) }
		// Pooled band.
		if st.CILow != nil && st.CIHigh != nil {
			c.Rect(xAt(*st.CILow), ry, xAt(*st.CIHigh)-xAt(*st.CILow), float64(rows)*rowH, c.fill("#E6E6E6"))
		}
		for i, f := range fits {
			cy := ry + (float64(i)+0.5)*rowH
			lab := fitText(labels[i], labelW, s.font, i == 0)
			attrs := []string{`text-anchor="end"`}
			if i == 0 {
				attrs = append(attrs, `font-weight="bold"`)
			}
			c.text(x0-0.8*s.font, cy+0.35*s.font, lab, attrs...)
			col := blue
			if i == 0 {
				col = s.fg
			}
			if f.Mean == nil || f.CILow == nil || f.CIHigh == nil {
				t := "no data"
				if f.Throughput && f.Rate != nil {
					t = "throughput ratio " + trimZeros(fixed(*f.Rate, 3)) + " (counts above the stage before: not a probability)"
				}
				c.text(x0, cy+0.35*s.small, fitText(t, s.width-s.pad-x0, s.small, false), c.size(s.small), c.fill(s.muted))
				continue
			}
			c.Group()
			c.Title(fmt.Sprintf("%s, %s: mean %s, 90 %% CI %s to %s", labels[i], name, fmtPct(*f.Mean), fmtPct(*f.CILow), fmtPct(*f.CIHigh)))
			c.Line(xAt(*f.CILow), cy, xAt(*f.CIHigh), cy, `stroke="`+col+`"`, numAttr("stroke-width", 1.5*s.line))
			c.Line(xAt(*f.CILow), cy-0.3*s.font, xAt(*f.CILow), cy+0.3*s.font, `stroke="`+col+`"`, numAttr("stroke-width", s.line))
			c.Line(xAt(*f.CIHigh), cy-0.3*s.font, xAt(*f.CIHigh), cy+0.3*s.font, `stroke="`+col+`"`, numAttr("stroke-width", s.line))
			c.Circle(xAt(*f.Mean), cy, 0.32*s.font, c.fill(col), `stroke="#ffffff"`, `stroke-width="1"`)
			c.Gend()
			v := fmt.Sprintf("%s [%s – %s] · %s / %s", fmtPct(*f.Mean), strings.TrimSuffix(fmtPct(*f.CILow), " %"), fmtPct(*f.CIHigh), fixed(f.Successes, 0), fixed(f.Trials, 0))
			c.text(x1+0.6*s.font, cy+0.35*s.small, v, c.size(s.small))
		}
		ay := ry + float64(rows)*rowH
		c.Line(x0, ay, x1, ay, `stroke="`+s.grid+`"`, `stroke-width="1"`)
		for _, t := range ticks {
			c.Line(xAt(t), ay, xAt(t), ay+3, `stroke="`+s.muted+`"`, `stroke-width="1"`)
			c.text(xAt(t), ay+lineH(s.small)*0.9, fmtPct(t), `text-anchor="middle"`, c.size(s.small), c.fill(s.muted))
		}
		y += panelH + panelGap
	}
	return c.finish(w)
}

// fitNote is the panel's comparison: P(B better) for two groups, the χ²
// test for more.
func (c *canvas) fitNote(r *core.FitResult, st core.StepFit, overall bool) string {
	if overall {
		return ""
	}
	for _, cmp := range r.Comparisons {
		if cmp.From == st.From && cmp.To == st.To && cmp.PBBetter != nil {
			return fmt.Sprintf("P(%s higher than %s) = %s", cmp.B, cmp.A, fmtPct(*cmp.PBBetter))
		}
	}
	for _, t := range r.Tests {
		if t.From == st.From && t.To == st.To && t.P != nil {
			n := fmt.Sprintf("χ² test of equal rates: p = %s", trimZeros(fixed(*t.P, 3)))
			if !t.Valid {
				n += " (too few counts to trust)"
			}
			return n
		}
	}
	return ""
}

func fitDesc(r *core.FitResult, steps []core.StepFit) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Rates fitted from observed counts, %d steps", len(steps))
	if r.By != "" {
		fmt.Fprintf(&b, ", by %s (%d groups)", r.By, len(r.Groups))
	}
	b.WriteString(".")
	for _, st := range steps {
		if st.Mean != nil && st.CILow != nil && st.CIHigh != nil {
			fmt.Fprintf(&b, " %s to %s: %s (90 %% interval %s to %s).", st.From, st.To, fmtPct(*st.Mean), fmtPct(*st.CILow), fmtPct(*st.CIHigh))
		}
	}
	return b.String()
}
