package chart

import (
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/funnelplan/funnelplan/core"
)

// Distribution draws the Monte Carlo distribution of r (core.Simulate):
// a histogram of the trials' revenue (or customers, with Options.Metric
// "customers"), the P10, P50 and P90 the core computed as lines, and the
// goal with the probability of reaching it when the run had one. The bins
// only sort the core's draws for display; every statistic shown is the
// core's.
func Distribution(w io.Writer, r *core.SimResult, opt Options) error {
	if r == nil {
		return errors.New("no simulation to draw")
	}
	customers := opt.Metric == "customers"
	draws, sum, goal, pgoal := r.RevenueDraws, r.Revenue, r.Goal, r.PGoal
	if customers {
		draws, sum, goal, pgoal = r.CustomersDraws, r.Customers, r.CustomersGoal, r.PCustomersGoal
	} else if opt.Metric != "" && opt.Metric != "revenue" {
		return fmt.Errorf("metric %q cannot be drawn as a distribution (want revenue or customers)", opt.Metric)
	}
	if len(draws) == 0 {
		return errors.New("the simulation kept no draws to draw")
	}
	for _, v := range []float64{sum.P10, sum.P50, sum.P90, sum.Mean, sum.Min, sum.Max} {
		if !finite(v) {
			return errors.New("a simulated statistic is not a finite number")
		}
	}
	c := newCanvas(w, opt)
	s := c.s
	format := func(x float64) string { return fmtMoney(x, s.currency) }
	short := func(x float64) string { return fmtMoneyShort(x, s.currency) }
	metric := "Revenue"
	if customers {
		format, short, metric = fmtCount, fmtCountShort, "Customers"
	}
	title := opt.Title
	if title == "" {
		title = metric + " " + perPeriod(s) + ": Monte Carlo"
	}
	// Axis range: the draws, widened to show the goal.
	lo, hi := sum.Min, sum.Max
	if goal != nil && finite(*goal) {
		lo, hi = math.Min(lo, *goal), math.Max(hi, *goal)
	}
	ticks := niceTicks(lo, hi, 6)
	lo, hi = math.Min(lo, ticks[0]), math.Max(hi, ticks[len(ticks)-1])
	if hi <= lo {
		hi = lo + 1
	}
	bins := int(math.Min(40, math.Max(10, math.Sqrt(float64(len(draws))))))
	counts := make([]int, bins)
	for _, d := range draws {
		if !finite(d) {
			continue
		}
		k := int((d - lo) / (hi - lo) * float64(bins))
		counts[min(max(k, 0), bins-1)]++
	}
	most := 0
	for _, n := range counts {
		most = max(most, n)
	}
	x0, x1 := s.pad+0.5*s.font, s.width-s.pad-0.5*s.font
	top := s.pad + s.big + 2*lineH(s.font) + 2
	labelsH := 3 * lineH(s.small)
	plotTop := top + labelsH
	plotH := 0.3 * s.width
	if s.theme == Presentation {
		plotH = 0.25 * s.width
	}
	plotBottom := plotTop + plotH
	h := plotBottom + lineH(s.small) + 0.6*s.font + lineH(s.small) + s.pad
	xAt := func(v float64) float64 { return x0 + (v-lo)/(hi-lo)*(x1-x0) }

	sub := fmt.Sprintf("%s trials, seed %d · mean %s ± %s (standard error)", fixed(float64(r.Trials), 0), r.Seed, format(sum.Mean), format(sum.SE))
	c.begin(h, title, distDesc(r, metric, sum, goal, pgoal, format))
	c.header(title, sub)
	bw := (x1 - x0) / float64(bins)
	for k, n := range counts {
		if n == 0 {
			continue
		}
		bh := float64(n) / float64(most) * plotH
		c.Rect(x0+float64(k)*bw+0.5, plotBottom-bh, bw-1, bh, c.fill(skyBlue))
	}
	// Axis.
	c.Line(x0, plotBottom, x1, plotBottom, `stroke="`+s.fg+`"`, `stroke-width="1"`)
	for _, t := range ticks {
		x := xAt(t)
		c.Line(x, plotBottom, x, plotBottom+4, `stroke="`+s.fg+`"`, `stroke-width="1"`)
		c.text(x, plotBottom+4+lineH(s.small)*0.85, short(t), `text-anchor="middle"`, c.size(s.small), c.fill(s.muted))
	}
	// Quantile lines: P50 on the first label line, P10 and P90 on the
	// second, written away from the centre so they never meet.
	q := func(v float64, name string, row int, anchor string, col string, dash string) {
		x := xAt(v)
		y := top + float64(row+1)*lineH(s.small) - 0.2*s.small
		c.Line(x, plotTop+0.3*s.small, x, plotBottom, `stroke="`+col+`"`, numAttr("stroke-width", s.line), dash)
		dx := map[string]float64{"start": 0.3 * s.small, "end": -0.3 * s.small, "middle": 0}[anchor]
		c.text(x+dx, y, name+" "+format(v), `text-anchor="`+anchor+`"`, c.size(s.small), `font-weight="bold"`, c.fill(col), c.halo())
	}
	q(sum.P10, "P10", 1, "end", blue, `stroke-dasharray="5 3"`)
	q(sum.P90, "P90", 1, "start", blue, `stroke-dasharray="5 3"`)
	q(sum.P50, "P50", 0, "middle", s.fg, "")
	if goal != nil && finite(*goal) {
		t := "goal " + format(*goal)
		if pgoal != nil {
			t += " · reached in " + fmtPct(*pgoal) + " of trials"
		}
		x := xAt(*goal)
		c.Line(x, plotTop+0.3*s.small, x, plotBottom, `stroke="`+vermilion+`"`, numAttr("stroke-width", 1.5*s.line))
		anchor, dx := "start", 0.3*s.small
		if x > (x0+x1)/2 {
			anchor, dx = "end", -0.3*s.small
		}
		c.text(x+dx, top+3*lineH(s.small)-0.2*s.small, t, `text-anchor="`+anchor+`"`, c.size(s.small), `font-weight="bold"`, c.fill(warnColour(s)), c.halo())
	}
	c.text(s.pad, h-s.pad, fmt.Sprintf("Bars: share of trials; %d bins of %s", bins, format((hi-lo)/float64(bins))), c.size(s.small), c.fill(s.muted))
	return c.finish(w)
}

// niceTicks returns about n round tick values covering [lo, hi] (steps
// of 1, 2 or 5 times a power of ten).
func niceTicks(lo, hi float64, n int) []float64 {
	if !(hi > lo) {
		if lo == 0 {
			return []float64{0, 1}
		}
		return []float64{lo - math.Abs(lo)*0.1, hi + math.Abs(hi)*0.1}
	}
	raw := (hi - lo) / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := mag
	for _, m := range []float64{1, 2, 5, 10} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	start := math.Floor(lo/step) * step
	var t []float64
	for v := start; v <= hi+step*1e-9; v += step {
		t = append(t, math.Round(v/step)*step)
	}
	if t[len(t)-1] < hi {
		t = append(t, t[len(t)-1]+step)
	}
	return t
}

func distDesc(r *core.SimResult, metric string, sum core.Summary, goal, pgoal *float64, format func(float64) string) string {
	d := fmt.Sprintf("%s over %d Monte Carlo trials: P10 %s, P50 %s, P90 %s, mean %s.", metric, r.Trials, format(sum.P10), format(sum.P50), format(sum.P90), format(sum.Mean))
	if goal != nil {
		d += " Goal " + format(*goal)
		if pgoal != nil {
			d += ", reached in " + fmtPct(*pgoal) + " of trials"
		}
		d += "."
	}
	return d
}
