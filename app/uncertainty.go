package app

import (
	"bytes"
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/funnelplan/funnelplan/core"
	"github.com/funnelplan/funnelplan/core/chart"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// simState holds the Monte Carlo settings of the uncertainty tab.
type simState struct {
	goal   *float64 // revenue goal per period (nil: the plan's revenue)
	trials int
	seed   uint64

	rev int
	res *core.SimResult
	err error
}

// defaultTrials keeps the live Monte Carlo quick in the page (MATH.md §j
// standard errors are shown, so the user sees the precision).
const defaultTrials = 4000

// dragging reports whether a slider drag is in progress; costly views wait
// for the release.
func (c *Planner) dragging() bool { return strings.HasPrefix(c.doc.group, "rate:") }

func (c *Planner) simulate() (*core.SimResult, error) {
	s := &c.sim
	if s.trials == 0 {
		s.trials, s.seed = defaultTrials, 1
	}
	if s.rev == c.cache.rev && (s.res != nil || s.err != nil) {
		return s.res, s.err
	}
	if c.dragging() && s.res != nil {
		return s.res, s.err
	}
	goal := s.goal
	if goal == nil && c.fwd != nil {
		goal = core.F(c.fwd.Revenue)
	}
	s.res, s.err = core.Simulate(context.Background(), c.doc.Plan, core.SimOptions{
		Trials: s.trials, Seed: s.seed, Goal: goal, Scenario: c.doc.Scenario, Workers: 1,
	})
	s.rev = c.cache.rev
	return s.res, s.err
}

func (c *Planner) renderUncertainty() app.UI {
	p := c.doc.Plan
	cur := p.Currency
	controls := app.Div().Class("goal-form").Body(
		field("Revenue goal per "+periodName(p.Period)+" "+cur, app.Input().Type("number").Class("num money").Min(0).
			Attr("data-testid", "sim-goal").Value(optNum(c.sim.goal)).Placeholder("the plan's revenue").
			OnChange(func(ctx app.Context, e app.Event) {
				v, ok := parseNum(ctx.JSSrc().Get("value").String())
				if ok && v >= 0 {
					c.sim.goal = core.F(v)
				} else {
					c.sim.goal = nil
				}
				c.sim.rev = -1
			})),
		field("Trials", app.Input().Type("number").Class("num").Min(100).Max(200000).Step(100).Value(strconv.Itoa(max(c.sim.trials, defaultTrials))).
			OnChange(func(ctx app.Context, e app.Event) {
				if v, err := strconv.Atoi(ctx.JSSrc().Get("value").String()); err == nil && v >= 100 && v <= 200000 {
					c.sim.trials, c.sim.rev = v, -1
				}
			})),
		field("Seed", app.Input().Type("number").Class("num").Min(0).Step(1).Value(strconv.FormatUint(max(c.sim.seed, 1), 10)).
			OnChange(func(ctx app.Context, e app.Event) {
				if v, err := strconv.ParseUint(ctx.JSSrc().Get("value").String(), 10, 64); err == nil {
					c.sim.seed, c.sim.rev = v, -1
				}
			})),
	)
	editor := c.renderRanges()
	if len(p.Uncertainty) == 0 {
		return app.Div().Body(
			app.P().Class("muted").Text("The plan has no ranges yet. Give uncertain inputs a range (lowest, most likely, highest) to see bands and the chance of reaching a goal."),
			editor,
		)
	}
	res, err := c.simulate()
	if err != nil {
		return app.Div().Body(controls, app.P().Class("error").Text("Simulation failed: "+err.Error()), editor)
	}
	pg := "–"
	var pgv *float64
	width := "0%"
	if res.PGoal != nil {
		pg = pct(*res.PGoal)
		if res.PGoalSE != nil {
			pg += " ± " + pct(*res.PGoalSE)
		}
		pgv = res.PGoal
		width = strconv.FormatFloat(*res.PGoal*100, 'f', 1, 64) + "%"
	}
	band := func(s core.Summary, f func(float64) string) []app.UI {
		return []app.UI{app.Td().Class("n").Text(f(s.P10)), app.Td().Class("n").Text(f(s.P50)), app.Td().Class("n").Text(f(s.P90)), app.Td().Class("n").Text(f(s.Mean) + " ± " + f(s.SE))}
	}
	mon := func(x float64) string { return money(x, cur) }
	rows := []app.UI{
		app.Tr().Body(append([]app.UI{app.Th().Scope("row").Text("Revenue")}, band(res.Revenue, mon)...)...),
		app.Tr().Body(append([]app.UI{app.Th().Scope("row").Text("Customers")}, band(res.Customers, count)...)...),
	}
	for _, st := range res.Stages {
		rows = append(rows, app.Tr().Class("muted").Body(append([]app.UI{app.Th().Scope("row").Text(st.Name)}, band(st.Summary, count)...)...))
	}
	return app.Div().Body(
		controls,
		app.Raw(figure("p-goal", "P(revenue ≥ "+money(derefOr(res.Goal, 0), cur)+")", pg, pgv, "Share of trials reaching the goal")),
		app.Div().Class("pbar").Attr("aria-hidden", true).Body(app.Span().Style("width", width)),
		c.distributionChart(res),
		app.Table().Class("data").Attr("data-testid", "sim-table").Body(
			app.Caption().Text(fmt.Sprintf("%d trials, seed %d: 80 %% of outcomes fall between P10 and P90", res.Trials, res.Seed)),
			app.THead().Body(app.Tr().Body(app.Th().Scope("col").Text(""), app.Th().Scope("col").Class("n").Text("P10"), app.Th().Scope("col").Class("n").Text("P50"), app.Th().Scope("col").Class("n").Text("P90"), app.Th().Scope("col").Class("n").Text("Mean ± SE"))),
			app.TBody().Body(rows...),
		),
		app.If(len(res.Warnings) > 0, func() app.UI {
			return app.Ul().Class("warnings").Body(app.Range(res.Warnings).Slice(func(i int) app.UI { return app.Li().Text(res.Warnings[i]) }))
		}),
		editor,
	)
}

func optNum(x *float64) string {
	if x == nil {
		return ""
	}
	return numValue(*x)
}

func derefOr(x *float64, d float64) float64 {
	if x == nil {
		return d
	}
	return *x
}

// renderRanges edits the plan's uncertainty: PERT ranges (lowest, most
// likely, highest) per target; other distributions are listed as they are.
func (c *Planner) renderRanges() app.UI {
	p := c.doc.Plan
	keys := make([]string, 0, len(p.Uncertainty))
	for k := range p.Uncertainty {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	isRate := func(t string) bool {
		return strings.Contains(t, "rate") || strings.HasSuffix(t, ".share") || t == "margin"
	}
	var rows []app.UI
	for _, k := range keys {
		k := k
		d := p.Uncertainty[k]
		var cells []app.UI
		if d.PERT != nil || d.Triangular != nil {
			lo, mode, hi := rangeOf(d)
			in := func(label string, v float64, set func(r *[3]float64, x float64)) app.UI {
				val := numValue(v)
				if isRate(k) {
					val = pctValue(v)
				}
				return app.Td().Body(app.Input().Type("number").Class("num pct").Attr("step", "any").Value(val).
					Attr("aria-label", label+" of "+k).
					OnChange(func(ctx app.Context, e app.Event) {
						x, ok := parseNum(ctx.JSSrc().Get("value").String())
						if !ok {
							return
						}
						if isRate(k) {
							x /= 100
						}
						c.edit("", func(d *Doc) error {
							r := [3]float64{lo, mode, hi}
							set(&r, x)
							d.Plan.Uncertainty[k] = setRange(d.Plan.Uncertainty[k], r)
							return nil
						})
					}))
			}
			cells = []app.UI{
				in("Lowest", lo, func(r *[3]float64, x float64) { r[0] = x }),
				in("Most likely", mode, func(r *[3]float64, x float64) { r[1] = x }),
				in("Highest", hi, func(r *[3]float64, x float64) { r[2] = x }),
			}
		} else {
			cells = []app.UI{app.Td().ColSpan(3).Class("muted").Text(distName(d) + " (edit in the plan file)")}
		}
		rows = append(rows, app.Tr().Body(append(append([]app.UI{app.Th().Scope("row").Text(k)}, cells...),
			app.Td().Body(app.Button().Class("icon danger").Text("✕").Attr("aria-label", "Remove the range of "+k).
				OnClick(func(ctx app.Context, e app.Event) {
					c.edit("", func(d *Doc) error { delete(d.Plan.Uncertainty, k); return nil })
				})))...))
	}
	return app.Div().Body(
		app.If(len(rows) > 0, func() app.UI {
			return app.Table().Class("matrix").Attr("data-testid", "ranges").Body(
				app.Caption().Text("Ranges (rates in %)"),
				app.THead().Body(app.Tr().Body(app.Th().Scope("col").Text("Input"), app.Th().Scope("col").Text("Lowest"), app.Th().Scope("col").Text("Most likely"), app.Th().Scope("col").Text("Highest"), app.Th().Scope("col").Body(app.Span().Class("sr").Text("Remove")))),
				app.TBody().Body(rows...),
			)
		}),
		app.Button().Class("add").Attr("data-testid", "add-ranges").Text("+ Ranges of ±20 % on the top and every rate").
			OnClick(func(ctx app.Context, e app.Event) {
				c.edit("", func(d *Doc) error { addDefaultRanges(d.Plan); return nil })
			}),
	)
}

func rangeOf(d core.Dist) (lo, mode, hi float64) {
	if d.PERT != nil {
		return d.PERT.Min, d.PERT.Mode, d.PERT.Max
	}
	return d.Triangular.Min, d.Triangular.Mode, d.Triangular.Max
}

func setRange(d core.Dist, r [3]float64) core.Dist {
	if d.PERT != nil {
		x := *d.PERT
		x.Min, x.Mode, x.Max = r[0], r[1], r[2]
		return core.Dist{PERT: &x}
	}
	return core.Dist{Triangular: &core.TriangularDist{Min: r[0], Mode: r[1], Max: r[2]}}
}

func distName(d core.Dist) string {
	switch {
	case d.Beta != nil:
		return "beta"
	case d.Lognormal != nil:
		return "lognormal"
	case d.PERT != nil:
		return "PERT"
	case d.Triangular != nil:
		return "triangular"
	}
	return "unknown"
}

// addDefaultRanges gives the top and every stage rate without a range a
// PERT range of ±20 % around its value (rates capped at 1): a starting
// point to edit.
func addDefaultRanges(p *core.Plan) {
	if p.Uncertainty == nil {
		p.Uncertainty = map[string]core.Dist{}
	}
	add := func(t string, v, hi float64) {
		if _, ok := p.Uncertainty[t]; ok || v <= 0 {
			return
		}
		p.Uncertainty[t] = core.Dist{PERT: &core.PERTDist{Min: 0.8 * v, Mode: v, Max: min(hi, 1.2*v)}}
	}
	add("top", p.Top, p.Top*10)
	for _, s := range p.Stages[1:] {
		add("stages."+s.ID+".rate", StageRate(p, s.ID), 1)
		for _, x := range p.Personas {
			if r, ok := x.Rates.Get(s.ID); ok {
				add("personas."+x.ID+".rates."+s.ID, r, 1)
			}
		}
	}
}

// distributionChart is the histogram of the simulated revenue with its
// P10/P50/P90 and the goal.
func (c *Planner) distributionChart(res *core.SimResult) app.UI {
	svg, err := c.chart(fmt.Sprintf("distribution-%p", res), func() (string, error) {
		return svgOf(func(w *bytes.Buffer) error { return chart.Distribution(w, res, c.chartOptions("dist")) })
	})
	return c.chartBox("distribution-chart", "distribution", "Distribution of revenue", svg, err)
}
