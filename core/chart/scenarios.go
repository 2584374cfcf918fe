package chart

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/funnelplan/funnelplan/core"
)

// ScenarioBar is one row of the scenarios chart: the outcome of the
// baseline or of one scenario, as the core computed it.
type ScenarioBar struct {
	ID, Name string
	// Customers (persons per period) and Revenue (money per period).
	Customers, Revenue float64
	// DeltaCustomers and DeltaRevenue are the changes against the
	// baseline; RelCustomers and RelRevenue the same as fractions of the
	// baseline (0.25 = +25 %). Nil draws no delta (the baseline row, or an
	// undefined change).
	DeltaCustomers, DeltaRevenue *float64
	RelCustomers, RelRevenue     *float64
	// Error says why the scenario could not be computed; the row then
	// shows it instead of bars.
	Error string
}

// ScenariosOf is the rows of the scenarios chart from a comparison
// (core.Compare): the baseline first, then every scenario with the core's
// deltas; a scenario that failed keeps its error.
func ScenariosOf(r *core.CompareResult) []ScenarioBar {
	if r == nil {
		return nil
	}
	bars := make([]ScenarioBar, 0, len(r.Scenarios))
	for _, x := range r.Scenarios {
		b := ScenarioBar{ID: x.ID, Name: x.Name, Error: x.Error,
			DeltaCustomers: x.DeltaCustomers, DeltaRevenue: x.DeltaRevenue,
			RelCustomers: x.RelCustomers, RelRevenue: x.RelRevenue}
		if x.Customers != nil {
			b.Customers = *x.Customers
		}
		if x.Revenue != nil {
			b.Revenue = *x.Revenue
		}
		if b.Error == "" && (x.Customers == nil || x.Revenue == nil) {
			b.Error = "no result"
		}
		if x.Baseline {
			b.DeltaCustomers, b.DeltaRevenue, b.RelCustomers, b.RelRevenue = nil, nil, nil, nil
		}
		bars = append(bars, b)
	}
	return bars
}

// Scenarios draws the baseline (bars[0]) and every scenario side by side:
// revenue and customers as bars on a common scale per column, the
// baseline's value as a dashed reference line, and each scenario's change
// against the baseline. A scenario that gains is drawn green, one that
// loses vermilion.
func Scenarios(w io.Writer, bars []ScenarioBar, opt Options) error {
	if len(bars) == 0 {
		return errors.New("no scenarios to draw")
	}
	if bars[0].Error != "" {
		return fmt.Errorf("the baseline could not be computed: %s", bars[0].Error)
	}
	for _, b := range bars {
		for _, v := range []*float64{&b.Customers, &b.Revenue, b.DeltaCustomers, b.DeltaRevenue, b.RelCustomers, b.RelRevenue} {
			if v != nil && !finite(*v) {
				return fmt.Errorf("scenario %q: a value is not a finite number", b.ID)
			}
		}
	}
	c := newCanvas(w, opt)
	s := c.s
	title := opt.Title
	if title == "" {
		title = "Scenarios"
	}
	names := make([]string, len(bars))
	for i, b := range bars {
		names[i] = barName(b)
	}
	labelW := math.Min(maxWidth(names, s.font, false), 0.26*s.width)
	x0 := s.pad + labelW + 0.8*s.font
	colGap := 1.5 * s.font
	colW := (s.width - s.pad - x0 - colGap) / 2
	type column struct {
		head   string
		val    func(ScenarioBar) float64
		delta  func(ScenarioBar) (*float64, *float64)
		format func(float64) string
		signed func(float64) string
	}
	cols := []column{
		{"Revenue " + perPeriod(s), func(b ScenarioBar) float64 { return b.Revenue },
			func(b ScenarioBar) (*float64, *float64) { return b.DeltaRevenue, b.RelRevenue },
			func(x float64) string { return fmtMoney(x, s.currency) },
			func(x float64) string { return fmtSignedMoney(x, s.currency) }},
		{"Customers " + perPeriod(s), func(b ScenarioBar) float64 { return b.Customers },
			func(b ScenarioBar) (*float64, *float64) { return b.DeltaCustomers, b.RelCustomers },
			fmtCount, fmtSignedCount},
	}
	// The longest value label decides how much of a column the bars take.
	labelRoom := 0.0
	for _, col := range cols {
		for _, b := range bars {
			labelRoom = math.Max(labelRoom, textWidth(col.format(col.val(b)), s.font, true))
			d, r := col.delta(b)
			labelRoom = math.Max(labelRoom, textWidth(deltaText(d, r, col.signed), s.small, false))
		}
	}
	labelRoom = math.Min(labelRoom+0.8*s.font, 0.55*colW)
	barArea := colW - labelRoom
	if barArea < 3*s.font {
		return fmt.Errorf("chart width %.0f px is too narrow for the scenarios chart", s.width)
	}
	rowH := 2 * lineH(s.font)
	barH := 1.3 * s.font
	top := s.pad + s.big + 2*lineH(s.font) + 2 + lineH(s.small) + 4
	h := top + float64(len(bars))*rowH + s.pad
	c.begin(h, title, scenariosDesc(bars, s))
	c.header(title, fmt.Sprintf("Baseline and %d scenarios; dashed line: the baseline", len(bars)-1))
	for k, col := range cols {
		cx := x0 + float64(k)*(colW+colGap)
		c.text(cx, top-6, col.head, c.size(s.small), `font-weight="bold"`)
		m := 0.0
		for _, b := range bars {
			m = math.Max(m, math.Abs(col.val(b)))
		}
		scale := 0.0
		if m > 0 {
			scale = barArea / m
		}
		// Baseline reference line, under the labels (which have a halo).
		baseW := barWidth(math.Max(col.val(bars[0]), 0), scale)
		bx := cx + baseW
		c.Line(bx, top, bx, top+float64(len(bars))*rowH-0.2*s.font, `stroke="`+s.fg+`"`, numAttr("stroke-width", s.line*0.8), `stroke-dasharray="4 3"`)
		for i, b := range bars {
			y := top + float64(i)*rowH + 0.3*s.font
			if b.Error != "" {
				if k == 0 {
					c.text(cx, y+barH*0.5+0.35*s.small, fitText("not computed: "+b.Error, s.width-s.pad-cx, s.small, false), c.size(s.small), c.fill(warnColour(s)), c.halo())
				}
				continue
			}
			v := col.val(b)
			bw := barWidth(math.Max(v, 0), scale)
			d, r := col.delta(b)
			colour := blue
			switch {
			case i == 0:
				colour = "#7f7f7f"
			case d != nil && *d > 0:
				colour = green
			case d != nil && *d < 0:
				colour = vermilion
			}
			c.Group()
			c.Title(names[i] + ": " + col.format(v))
			c.Rect(cx, y, bw, barH, c.fill(colour))
			c.Gend()
			// Labels start after the bar or the baseline line, whichever
			// is further right, so the line never crosses them.
			lx := cx + math.Max(bw, baseW) + 0.4*s.font
			c.text(lx, y+barH*0.5+0.35*s.font, col.format(v), `font-weight="bold"`)
			if t := deltaText(d, r, col.signed); t != "" {
				ink := s.muted
				if *d < 0 {
					ink = warnColour(s)
				}
				c.text(lx, y+barH+lineH(s.small)*0.95, t, c.size(s.small), c.fill(ink))
			}
		}
	}
	for i, n := range names {
		y := top + float64(i)*rowH + 0.3*s.font + barH*0.5 + 0.35*s.font
		t := fitText(n, labelW, s.font, i == 0)
		attrs := []string{`text-anchor="end"`}
		if i == 0 {
			attrs = append(attrs, `font-weight="bold"`)
		}
		if t != n {
			c.Group()
			c.Title(n)
			c.text(x0-0.8*s.font, y, t, attrs...)
			c.Gend()
		} else {
			c.text(x0-0.8*s.font, y, t, attrs...)
		}
	}
	return c.finish(w)
}

func barName(b ScenarioBar) string {
	if b.Name != "" {
		return b.Name
	}
	return b.ID
}

// deltaText is "+€304,800 (+100 %)", or "" without a delta.
func deltaText(d, rel *float64, signed func(float64) string) string {
	if d == nil {
		return ""
	}
	t := signed(*d)
	if rel != nil {
		t += " (" + fmtSignedPct(*rel) + ")"
	}
	return t
}

func scenariosDesc(bars []ScenarioBar, s style) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Revenue and customers %s of the baseline and %d scenarios.", perPeriod(s), len(bars)-1)
	for _, x := range bars {
		fmt.Fprintf(&b, " %s: %s revenue, %s customers", barName(x), fmtMoney(x.Revenue, s.currency), fmtCount(x.Customers))
		if x.DeltaRevenue != nil {
			b.WriteString(", " + fmtSignedMoney(*x.DeltaRevenue, s.currency) + " revenue against the baseline")
		}
		b.WriteString(".")
	}
	return b.String()
}
