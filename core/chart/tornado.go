package chart

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/funnelplan/funnelplan/core"
)

// Tornado draws the sensitivity tornado of r (core.Sensitivity of p): one
// bar per input, widest first as the core ranks them, from the change of
// the metric with the input lowered (orange) to the change with it raised
// (blue), around the baseline. The key level's stage is starred and
// explained under the bars with its return per person added. p supplies
// stage names and may be nil.
func Tornado(w io.Writer, p *core.Plan, r *core.SensitivityResult, opt Options) error {
	if r == nil || len(r.Effects) == 0 {
		return errors.New("no sensitivity to draw (no effects)")
	}
	for _, e := range r.Effects {
		for _, v := range []float64{e.LowChange, e.HighChange, e.Low, e.High} {
			if !finite(v) {
				return fmt.Errorf("effect %q: a value is not a finite number", e.Target)
			}
		}
	}
	c := newCanvas(w, opt)
	s := c.s
	money := r.Metric != "customers"
	format := func(x float64) string { return fmtSignedCount(x) }
	base := fmtCount(r.Base) + " customers"
	metric := "customers"
	if money {
		format = func(x float64) string { return fmtSignedMoney(x, s.currency) }
		base = fmtMoney(r.Base, s.currency)
		metric = "revenue"
	}
	title := opt.Title
	if title == "" {
		title = "Sensitivity of " + metric
	}
	names := make([]string, len(r.Effects))
	maxAbs, lw := 0.0, 0.0
	for i, e := range r.Effects {
		names[i] = e.Label
		if names[i] == "" {
			names[i] = e.Target
		}
		if e.Stage != "" && e.Stage == r.KeyLevel.Stage {
			names[i] = "★ " + names[i]
		}
		maxAbs = math.Max(maxAbs, math.Max(math.Abs(e.LowChange), math.Abs(e.HighChange)))
		lw = math.Max(lw, math.Max(textWidth(format(e.LowChange), s.small, false), textWidth(format(e.HighChange), s.small, false)))
	}
	labelW := math.Min(maxWidth(names, s.font, true), 0.3*s.width)
	x0 := s.pad + labelW + 0.8*s.font
	room := lw + 0.6*s.font
	half := (s.width - s.pad - x0 - 2*room) / 2
	if half < 3*s.font {
		return fmt.Errorf("chart width %.0f px is too narrow for the tornado", s.width)
	}
	mid := x0 + room + half
	scale := 0.0
	if maxAbs > 0 {
		scale = half / maxAbs
	}
	rowH := 1.9 * s.font
	barH := 1.3 * s.font
	top := s.pad + s.big + 2*lineH(s.font) + 2 + lineH(s.small) + 8
	foot := c.keyLevelLines(p, r)
	h := top + float64(len(r.Effects))*rowH + 0.6*s.font + lineH(s.small)*float64(len(foot)+1) + s.pad
	c.begin(h, title, tornadoDesc(r, names, format, base))
	c.header(title, "Change of "+metric+" "+perPeriod(s)+" with one input lowered or raised; baseline "+base)
	c.legend(top-lineH(s.small)-6, []string{"input lowered", "input raised"}, []string{orange, blue})
	for i, e := range r.Effects {
		y := top + float64(i)*rowH
		key := e.Stage != "" && e.Stage == r.KeyLevel.Stage
		attrs := []string{`text-anchor="end"`}
		if key {
			attrs = append(attrs, `font-weight="bold"`)
		}
		n := fitText(names[i], labelW, s.font, key)
		c.Group()
		c.Title(names[i])
		c.text(x0-0.8*s.font, y+barH/2+0.35*s.font, n, attrs...)
		c.Gend()
		lo, hi := e.LowChange*scale, e.HighChange*scale
		c.Rect(math.Min(mid, mid+lo), y, math.Abs(lo), barH, c.fill(orange))
		c.Rect(math.Min(mid, mid+hi), y, math.Abs(hi), barH, c.fill(blue))
		left, right := math.Min(lo, hi), math.Max(lo, hi)
		lt, rt := format(e.LowChange), format(e.HighChange)
		if e.HighChange < e.LowChange {
			lt, rt = rt, lt
		}
		ty := y + barH/2 + 0.35*s.small
		c.text(mid+math.Min(left, 0)-0.3*s.font, ty, lt, `text-anchor="end"`, c.size(s.small))
		c.text(mid+math.Max(right, 0)+0.3*s.font, ty, rt, c.size(s.small))
	}
	bottom := top + float64(len(r.Effects))*rowH
	c.Line(mid, top-4, mid, bottom-rowH+barH+4, `stroke="`+s.fg+`"`, numAttr("stroke-width", s.line))
	y := bottom + 0.6*s.font
	c.text(mid, y, "baseline "+base, `text-anchor="middle"`, c.size(s.small), c.fill(s.muted))
	for _, l := range foot {
		y += lineH(s.small)
		c.text(s.pad, y, fitText(l, s.width-2*s.pad, s.small, false), c.size(s.small))
	}
	return c.finish(w)
}

// keyLevelLines explains the key level under the tornado.
func (c *canvas) keyLevelLines(p *core.Plan, r *core.SensitivityResult) []string {
	s := c.s
	k := r.KeyLevel
	name := func(id string) string {
		if p != nil {
			if i := p.StageIndex(id); i >= 0 {
				return stageName(p.Stages[i])
			}
		}
		return id
	}
	if k.Stage == "" {
		if k.Note != "" {
			return []string{"Key level: none (" + k.Note + ")"}
		}
		return nil
	}
	t := "★ Key level: " + name(k.Stage)
	for _, l := range k.Levels {
		if l.Stage != k.Stage {
			continue
		}
		t += fmt.Sprintf(" — a person added there costs %s and brings %s", fmtMoney(l.UnitCost, s.currency), fmtMoney(l.ValuePerPerson, s.currency))
		if l.MROAS != nil {
			t += " (mROAS " + trimZeros(fixed(*l.MROAS, 2)) + ")"
		}
	}
	switch {
	case k.Recommended:
		t += "; buying people there pays"
	case k.Note == "":
		t += "; buying people there does not pay"
	}
	lines := []string{t}
	if k.Note != "" {
		lines = append(lines, k.Note)
	}
	return lines
}

func tornadoDesc(r *core.SensitivityResult, names []string, format func(float64) string, base string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Tornado of %d inputs around a baseline of %s.", len(r.Effects), base)
	for i, e := range r.Effects {
		fmt.Fprintf(&b, " %s: %s lowered, %s raised.", names[i], format(e.LowChange), format(e.HighChange))
	}
	return b.String()
}
