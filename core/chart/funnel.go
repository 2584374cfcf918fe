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

// Funnel draws the forward funnel r (core.Forward): one horizontal bar per
// stage, its length proportional to the stage's expected count, labelled
// with the count and the share of the top; between the bars, the step rate
// and the drop-off with its share of all losses. With personas the bars are
// stacked or split by persona (Options.Layout); capacity use is shown where
// the plan sets capacities, and the result's warnings are listed below.
func Funnel(w io.Writer, r *core.ForwardResult, opt Options) error {
	if err := checkForward(r); err != nil {
		return err
	}
	c := newCanvas(w, opt)
	s := c.s
	layout := opt.Layout
	if layout == Auto {
		layout = Total
		if len(r.Personas) >= 2 {
			layout = Stacked
		}
	}
	if len(r.Personas) == 0 {
		layout = Total
	}
	title := opt.Title
	if title == "" {
		title = "Funnel"
	}

	names := make([]string, len(r.Stages))
	for i, st := range r.Stages {
		names[i] = st.Name
	}
	labelW := math.Min(maxWidth(names, s.font, false), 0.28*s.width)
	x0 := s.pad + labelW + 0.8*s.font
	values := make([]string, len(r.Stages))
	for i, st := range r.Stages {
		values[i] = fmtCount(st.Count)
		if i > 0 {
			values[i] += " · " + fmtPct(st.Cumulative) + " of top"
		}
	}
	valueW := textWidth(values[0], s.font, true) + s.font
	if layout == Split {
		for _, p := range r.Personas {
			valueW = math.Max(valueW, textWidth(fmtCount(p.Counts[0]), s.small, false)+s.font)
		}
	}
	area := s.width - s.pad - valueW - x0
	if area < 4*s.font {
		return fmt.Errorf("chart width %.0f px is too narrow for this funnel", s.width)
	}

	barH := 2 * s.font
	subH := lineH(s.small) + 2
	stepH := lineH(s.small) + 0.6*s.font
	scale := 0.0 // px per person
	switch layout {
	case Split:
		m := 0.0
		for _, p := range r.Personas {
			for _, n := range p.Counts {
				m = math.Max(m, n)
			}
		}
		if m > 0 {
			scale = area / m
		}
	default:
		m := 0.0
		for _, st := range r.Stages {
			m = math.Max(m, st.Count)
		}
		if m > 0 {
			scale = area / m
		}
	}

	// Height: header, legend, rows, warnings.
	var pnames, colours []string
	for j, p := range r.Personas {
		pnames = append(pnames, personaName(p))
		colours = append(colours, series(j))
	}
	rowH := barH
	if layout == Split {
		rowH = float64(len(r.Personas)) * subH
	}
	legendLines := 0.0
	if layout != Total {
		legendLines = c.legendLines(pnames)
	}
	top := s.pad + s.big + 2*lineH(s.font) + 2 + legendLines*(lineH(s.small)+4) + 4
	if legendLines > 0 {
		top += 4
	}
	rowsH := float64(len(r.Stages))*rowH + float64(len(r.Stages)-1)*stepH
	warnH := float64(len(r.Warnings)) * lineH(s.small)
	h := top + rowsH + s.pad + warnH
	if len(r.Warnings) > 0 {
		h += 0.5 * s.font
	}

	c.begin(h, title, funnelDesc(r, s))
	y := c.header(title, funnelSummary(r, s))
	if layout != Total {
		y = c.legend(y-0.4*s.font, pnames, colours)
	}
	y = top
	g := funnelRows{layout: layout, x0: x0, labelW: labelW, barH: barH, subH: subH, scale: scale}
	for i, st := range r.Stages {
		if i > 0 {
			c.stepLabel(x0, y+stepH-0.45*s.font, st)
			y += stepH
		}
		c.funnelRow(g, r, i, y)
		y += rowH
	}
	if len(r.Warnings) > 0 {
		y += 0.5*s.font + s.small
		for _, wn := range r.Warnings {
			c.text(s.pad, y, fitText("⚠ "+wn, s.width-2*s.pad, s.small, false), c.size(s.small), c.fill(warnColour(s)))
			y += lineH(s.small)
		}
	}
	return c.finish(w)
}

// barWidth is the length of a bar for n persons at scale px per person;
// a positive count gets at least 1.5 px so it stays visible.
func barWidth(n, scale float64) float64 {
	w := n * scale
	if n > 0 && w < 1.5 {
		w = 1.5
	}
	return w
}

// warnColour is the colour of warnings: vermilion, dark enough on white.
func warnColour(s style) string {
	if s.theme == Print {
		return "#000000"
	}
	return "#B24C00"
}

// stepLabel writes the step rate and drop-off into a stage into the gap
// above its bar.
func (c *canvas) stepLabel(x, y float64, st core.StageResult) {
	s := c.s
	var b strings.Builder
	b.WriteString("↓ ")
	if st.Rate != nil {
		b.WriteString(fmtPct(*st.Rate) + " continue")
	} else {
		b.WriteString("rate undefined")
	}
	b.WriteString(" · " + fmtCount(st.Dropoff) + " drop off")
	if st.LossShare != nil {
		b.WriteString(" (" + fmtPct(*st.LossShare) + " of all losses)")
	}
	c.text(x, y, fitText(b.String(), s.width-x-s.pad, s.small, false), c.size(s.small), c.fill(s.muted))
}

// valueLabel writes a stage's count, share of the top and capacity use
// after its bar.
func (c *canvas) valueLabel(x, y float64, st core.StageResult, i int) {
	s := c.s
	c.Textspan(x, y, "")
	c.Span(fmtCount(st.Count), `font-weight="bold"`)
	if i > 0 {
		c.Span(" · "+fmtPct(st.Cumulative)+" of top", c.fill(s.muted), c.size(s.small))
	}
	if u := st.Utilisation; u != nil {
		if *u >= 1 {
			c.Span(" · over capacity ("+fmtPct(*u)+")", c.fill(warnColour(s)), c.size(s.small), `font-weight="bold"`)
		} else {
			c.Span(" · capacity "+fmtPct(*u)+" used", c.fill(s.muted), c.size(s.small))
		}
	}
	c.TextEnd()
}

// legendLines returns how many lines legend needs for labels.
func (c *canvas) legendLines(labels []string) float64 {
	s := c.s
	sw := s.small
	x := s.pad
	lines := 1.0
	maxLabel := s.width - 2*s.pad - sw - 6
	for _, l := range labels {
		l = fitText(l, maxLabel, s.small, false)
		w := sw + 6 + textWidth(l, s.small, false) + 2*s.small
		if x > s.pad && x+w > s.width-s.pad {
			x = s.pad
			lines++
		}
		x += w
	}
	return lines
}

func personaName(p core.PersonaResult) string {
	if p.Name != "" {
		return p.Name
	}
	return p.ID
}

func perPeriod(s style) string { return "per " + s.period }

// funnelSummary is the subtitle: customers, revenue and conversion.
func funnelSummary(r *core.ForwardResult, s style) string {
	t := fmtCount(r.Customers) + " customers and " + fmtMoney(r.Revenue, s.currency) + " revenue " + perPeriod(s)
	t += " · conversion " + fmtPct(r.Conversion)
	if r.OneIn != nil {
		t += " (1 in " + fmtCount(math.Round(*r.OneIn)) + ")"
	}
	return t
}

// funnelDesc is the text alternative: every stage with its count and rate.
func funnelDesc(r *core.ForwardResult, s style) string {
	var b strings.Builder
	b.WriteString("Funnel of " + strconv.Itoa(len(r.Stages)) + " stages " + perPeriod(s) + ". ")
	for i, st := range r.Stages {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(st.Name + " " + fmtCount(st.Count))
		if st.Rate != nil {
			b.WriteString(" (" + fmtPct(*st.Rate) + " of the previous stage)")
		}
	}
	b.WriteString(". " + funnelSummary(r, s) + ".")
	return b.String()
}

// checkForward rejects results a chart cannot draw: none, no stages,
// counts that are not finite or persona rows of the wrong length.
func checkForward(r *core.ForwardResult) error {
	if r == nil || len(r.Stages) == 0 {
		return errors.New("no funnel to draw (the result has no stages)")
	}
	for _, st := range r.Stages {
		if !finite(st.Count) || !finite(st.Cumulative) || !finite(st.Dropoff) {
			return fmt.Errorf("stage %q: a count is not a finite number", st.ID)
		}
	}
	for _, p := range r.Personas {
		if len(p.Counts) != len(r.Stages) {
			return fmt.Errorf("persona %q: %d counts for %d stages", p.ID, len(p.Counts), len(r.Stages))
		}
		for _, n := range p.Counts {
			if !finite(n) {
				return fmt.Errorf("persona %q: a count is not a finite number", p.ID)
			}
		}
	}
	return nil
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// funnelRows is the geometry shared by the rows of a funnel chart.
type funnelRows struct {
	layout                        Layout
	x0, labelW, barH, subH, scale float64
}

// funnelRow draws stage i's name and bar(s) at y (a function of its own:
// in the browser it is optimised apart from the rest of the chart).
func (c *canvas) funnelRow(g funnelRows, r *core.ForwardResult, i int, y float64) {
	s := c.s
	st := r.Stages[i]
	layout, x0, labelW, barH, subH, scale := g.layout, g.x0, g.labelW, g.barH, g.subH, g.scale
	// Stage name, right-aligned in the label column.
	name := fitText(st.Name, labelW, s.font, false)
	nameY := y + barH/2 + 0.35*s.font
	if layout == Split {
		nameY = y + subH/2 + 0.35*s.small
	}
	if name != st.Name {
		c.Group()
		c.Title(st.Name)
		c.text(x0-0.8*s.font, nameY, name, `text-anchor="end"`)
		c.Gend()
	} else {
		c.text(x0-0.8*s.font, nameY, name, `text-anchor="end"`)
	}
	switch layout {
	case Split:
		for j, p := range r.Personas {
			by := y + float64(j)*subH
			bw := barWidth(p.Counts[i], scale)
			c.Group()
			c.Title(personaName(p) + ": " + fmtCount(p.Counts[i]))
			c.Rect(x0, by+1, bw, subH-2, c.fill(series(j)))
			c.Gend()
			c.text(x0+bw+0.4*s.font, by+subH/2+0.35*s.small, fmtCount(p.Counts[i]), c.size(s.small))
		}
	default:
		bw := barWidth(st.Count, scale)
		if layout == Stacked && st.Count > 0 {
			x := x0
			for j, p := range r.Personas {
				sw := bw * p.Counts[i] / st.Count
				c.Group()
				c.Title(personaName(p) + ": " + fmtCount(p.Counts[i]))
				c.Rect(x, y, sw, barH, c.fill(series(j)))
				c.Gend()
				// The persona's count inside its segment, where it fits.
				if t := fmtCount(p.Counts[i]); textWidth(t, s.small, false)+0.8*s.small < sw {
					c.text(x+sw/2, y+barH/2+0.35*s.small, t, `text-anchor="middle"`, c.size(s.small), c.fill(onColour(series(j))))
				}
				x += sw
			}
			if len(r.Personas) > 1 {
				// Thin gaps between segments keep neighbours apart.
				x = x0
				for j := 0; j < len(r.Personas)-1; j++ {
					x += bw * r.Personas[j].Counts[i] / st.Count
					if bw > 8 {
						c.Line(x, y, x, y+barH, `stroke="#ffffff"`, `stroke-width="1"`)
					}
				}
			}
		} else {
			c.Rect(x0, y, bw, barH, c.fill(blue))
		}
		c.valueLabel(x0+bw+0.4*s.font, y+barH/2+0.35*s.font, st, i)
	}
}
