package chart

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/funnelplan/funnelplan/core"
)

// ForecastBand is a P10-P90 range per forecast period, from a Monte Carlo
// of the forecast; Low[t] and High[t] bound period t in the unit of the
// chart's metric.
type ForecastBand struct {
	Low, High []float64
}

// BandOf returns the P10-P90 band of a Monte Carlo forecast
// (core.SimulateForecast) for metric "purchases" (default) or "revenue",
// or nil when b is nil.
func BandOf(b *core.ForecastBands, metric string) *ForecastBand {
	if b == nil {
		return nil
	}
	band := &ForecastBand{Low: make([]float64, len(b.Periods)), High: make([]float64, len(b.Periods))}
	for i, p := range b.Periods {
		s := p.Purchases
		if metric == "revenue" {
			s = p.Revenue
		}
		band.Low[i], band.High[i] = s.P10, s.P90
	}
	return band
}

// Forecast draws a time-phased forecast (core.Forecast): purchases per
// period as bars (revenue with Options.Metric "revenue"), the steady state
// a constant inflow reaches as a dashed line, and the warm-up period from
// which 95 % of it is reached. band, when not nil, draws the P10-P90 range
// of every period as a shaded band with its limits.
func Forecast(w io.Writer, r *core.ForecastResult, band *ForecastBand, opt Options) error {
	if r == nil || len(r.Periods) == 0 {
		return errors.New("no forecast to draw (no periods)")
	}
	revenue := opt.Metric == "revenue"
	if opt.Metric != "" && opt.Metric != "revenue" && opt.Metric != "purchases" {
		return fmt.Errorf("metric %q cannot be drawn as a forecast (want purchases or revenue)", opt.Metric)
	}
	n := len(r.Periods)
	if band != nil && (len(band.Low) != n || len(band.High) != n) {
		return fmt.Errorf("the band has %d and %d values for %d periods", len(band.Low), len(band.High), n)
	}
	val := func(p core.ForecastPeriod) float64 { return p.Purchases }
	if revenue {
		val = func(p core.ForecastPeriod) float64 { return p.Revenue }
	}
	hi := 0.0
	for _, p := range r.Periods {
		v := val(p)
		if !finite(v) {
			return fmt.Errorf("period %d: the value is not a finite number", p.Index)
		}
		hi = math.Max(hi, v)
	}
	if band != nil {
		for t := range band.High {
			if !finite(band.Low[t]) || !finite(band.High[t]) {
				return fmt.Errorf("period %d: the band is not finite", t)
			}
			hi = math.Max(hi, band.High[t])
		}
	}
	var steady *float64
	if r.SteadyState != nil {
		v := r.SteadyState.Purchases
		if revenue {
			v = r.SteadyState.Revenue
		}
		if finite(v) {
			steady = &v
			hi = math.Max(hi, v)
		}
	}
	c := newCanvas(w, opt)
	s := c.s
	format, short := fmtCount, fmtCountShort
	metric := "Purchases"
	if revenue {
		format = func(x float64) string { return fmtMoney(x, s.currency) }
		short = func(x float64) string { return fmtMoneyShort(x, s.currency) }
		metric = "Revenue"
	}
	unit := s.period
	if r.Model == "journey" {
		unit = "step"
	}
	title := opt.Title
	if title == "" {
		title = metric + " per " + unit
	}
	ticks := niceTicks(0, math.Max(hi, 1e-9), 5)
	if hi == 0 {
		ticks = []float64{0, 1}
	}
	ymax := ticks[len(ticks)-1]
	tickW := 0.0
	for _, t := range ticks {
		tickW = math.Max(tickW, textWidth(short(t), s.small, false))
	}
	x0 := s.pad + tickW + 0.5*s.font
	x1 := s.width - s.pad
	top := s.pad + s.big + 2*lineH(s.font) + 2 + 2*lineH(s.small)
	plotH := 0.32 * s.width
	if s.theme == Presentation {
		plotH = 0.26 * s.width
	}
	bottom := top + plotH
	h := bottom + 2*lineH(s.small) + lineH(s.small) + s.pad
	yAt := func(v float64) float64 { return bottom - v/ymax*plotH }
	slot := (x1 - x0) / float64(n)

	sub := fmt.Sprintf("%s · total %s over %d %ss", modelName(r.Model), format(totalOf(r, revenue)), n, unit)
	c.begin(h, title, forecastDesc(r, revenue, steady, format, unit))
	c.header(title, sub)
	for _, t := range ticks {
		y := yAt(t)
		c.Line(x0, y, x1, y, `stroke="`+s.grid+`"`, `stroke-width="1"`)
		c.text(x0-0.4*s.font, y+0.35*s.small, short(t), `text-anchor="end"`, c.size(s.small), c.fill(s.muted))
	}
	if band != nil {
		xs := make([]float64, 0, 2*n)
		ys := make([]float64, 0, 2*n)
		for t := 0; t < n; t++ {
			xs = append(xs, x0+(float64(t)+0.5)*slot)
			ys = append(ys, yAt(band.High[t]))
		}
		for t := n - 1; t >= 0; t-- {
			xs = append(xs, x0+(float64(t)+0.5)*slot)
			ys = append(ys, yAt(band.Low[t]))
		}
		c.Polygon(xs, ys, c.fill(skyBlue), `fill-opacity="0.35"`)
	}
	bw := math.Max(1, 0.7*slot)
	for t, p := range r.Periods {
		v := val(p)
		y := yAt(v)
		c.Group()
		c.Title(fmt.Sprintf("%s %d: %s", unit, p.Index, format(v)))
		c.Rect(x0+float64(t)*slot+(slot-bw)/2, y, bw, bottom-y, c.fill(blue))
		c.Gend()
	}
	if band != nil {
		for _, side := range [][]float64{band.Low, band.High} {
			xs := make([]float64, n)
			ys := make([]float64, n)
			for t := range side {
				xs[t], ys[t] = x0+(float64(t)+0.5)*slot, yAt(side[t])
			}
			c.Polyline(xs, ys, `fill="none"`, `stroke="#1F6FA3"`, numAttr("stroke-width", s.line), `stroke-dasharray="3 2"`)
		}
	}
	c.Line(x0, bottom, x1, bottom, `stroke="`+s.fg+`"`, `stroke-width="1"`)
	// Period labels: at most about one per 4 em.
	every := int(math.Ceil(float64(n) * 4 * s.small / (x1 - x0)))
	every = max(every, 1)
	for t, p := range r.Periods {
		if t%every != 0 {
			continue
		}
		c.text(x0+(float64(t)+0.5)*slot, bottom+lineH(s.small), fmt.Sprint(p.Index), `text-anchor="middle"`, c.size(s.small), c.fill(s.muted))
	}
	c.text((x0+x1)/2, bottom+2*lineH(s.small), unit+" (0 = the first)", `text-anchor="middle"`, c.size(s.small), c.fill(s.muted))
	if steady != nil {
		y := yAt(*steady)
		c.Line(x0, y, x1, y, `stroke="`+vermilion+`"`, numAttr("stroke-width", s.line), `stroke-dasharray="6 4"`)
		// Left, where the warm-up bars stay under the line.
		c.text(x0+0.4*s.small, y-0.4*s.small, "steady state "+format(*steady)+" per "+unit, c.size(s.small), `font-weight="bold"`, c.fill(warnColour(s)), c.halo())
	}
	if r.WarmUp > 0 && r.WarmUp < n {
		x := x0 + float64(r.WarmUp)*slot
		c.Line(x, top-lineH(s.small), x, bottom, `stroke="`+s.fg+`"`, `stroke-width="1"`, `stroke-dasharray="2 3"`)
		t := fmt.Sprintf("95 %% of the steady state from %s %d", unit, r.WarmUp)
		if x+textWidth(t, s.small, false) < x1 {
			c.text(x+0.3*s.small, top-0.5*s.small, t, c.size(s.small))
		} else {
			c.text(x-0.3*s.small, top-0.5*s.small, t, `text-anchor="end"`, c.size(s.small))
		}
	}
	legend := []string{metric + " per " + unit}
	cols := []string{blue}
	if band != nil {
		legend = append(legend, "P10–P90 range")
		cols = append(cols, "#AED9F4")
	}
	c.legend(h-s.pad-lineH(s.small)+2, legend, cols)
	return c.finish(w)
}

func modelName(m string) string {
	if m == "journey" {
		return "Markov journey model"
	}
	return "Funnel model with stage lags"
}

func totalOf(r *core.ForecastResult, revenue bool) float64 {
	if revenue {
		return r.Revenue
	}
	return r.Purchases
}

func forecastDesc(r *core.ForecastResult, revenue bool, steady *float64, format func(float64) string, unit string) string {
	var b strings.Builder
	what := "purchases"
	if revenue {
		what = "revenue"
	}
	fmt.Fprintf(&b, "Forecast of %s over %d %ss, %s in all.", what, len(r.Periods), unit, format(totalOf(r, revenue)))
	if steady != nil {
		fmt.Fprintf(&b, " Steady state %s per %s, 95 %% of it from %s %d.", format(*steady), unit, unit, r.WarmUp)
	}
	for _, p := range r.Periods {
		v := p.Purchases
		if revenue {
			v = p.Revenue
		}
		fmt.Fprintf(&b, " %d: %s.", p.Index, format(v))
	}
	return b.String()
}
