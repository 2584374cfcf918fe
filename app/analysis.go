package app

import (
	"bytes"
	"fmt"
	"strconv"

	"github.com/funnelplan/funnelplan/core"
	"github.com/funnelplan/funnelplan/core/chart"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// The result tabs beyond the funnel: each computes with core only when it
// is on screen, at most once per edit (and not during a slider drag for
// the costlier ones).

type memo[T any] struct {
	rev int
	v   T
	err error
}

func (m *memo[T]) get(rev int, hold bool, f func() (T, error)) (T, error) {
	if m.rev == rev || (hold && m.rev != 0) {
		return m.v, m.err
	}
	m.v, m.err = f()
	m.rev = rev
	return m.v, m.err
}

// analyses holds the memoised results of the tabs.
type analyses struct {
	sens     memo[*core.SensitivityResult]
	journey  memo[*core.JourneyResult]
	forecast memo[*core.ForecastResult]
	reverse  memo[*core.ReverseResult]
	compare  memo[*core.CompareResult]
	coverage memo[*core.CoverageResult]

	goalKind  string // "revenue" or "customers"
	goalValue float64
	periods   int
}

func (c *Planner) renderSensitivity() app.UI {
	p := c.cache.valid
	r, err := c.an.sens.get(c.cache.rev, false, func() (*core.SensitivityResult, error) {
		return core.Sensitivity(p, core.SensitivityOptions{})
	})
	if err != nil {
		return app.P().Class("error").Text("Sensitivity: " + err.Error())
	}
	svg, cerr := c.chart("tornado", func() (string, error) {
		return svgOf(func(w *bytes.Buffer) error { return chart.Tornado(w, p, r, c.chartOptions("tornado")) })
	})
	b := r.Bottlenecks
	name := func(id string) string {
		if i := p.StageIndex(id); i >= 0 {
			return stageName(p.Stages[i])
		}
		return id
	}
	var items []app.UI
	if b.Benchmark.Stage != "" {
		items = append(items, app.Li().Body(app.Strong().Text("Furthest below benchmark: "+name(b.Benchmark.Stage)), app.Text(" — "+b.Benchmark.Rule)))
	}
	if b.Marginal.Stage != "" {
		items = append(items, app.Li().Body(app.Strong().Text("Biggest gain per point: "+name(b.Marginal.Stage)), app.Text(" — "+b.Marginal.Rule)))
	}
	if b.Capacity.Stage != "" {
		items = append(items, app.Li().Body(app.Strong().Text("At capacity: "+name(b.Capacity.Stage)), app.Text(fmt.Sprintf(" — costs %s per %s", c.metric(r.Metric, b.Capacity.Lost), periodName(p.Period)))))
	}
	kl := r.KeyLevel
	key := app.P().Class("muted").Text(kl.Note)
	if kl.Stage != "" {
		verdict := "does not pay at the current margin"
		if kl.Recommended {
			verdict = "pays: buy people here first"
		}
		key = app.P().Body(app.Strong().Text("Key level: "+name(kl.Stage)), app.Text(" — adding people there "+verdict+". "), app.Span().Class("muted small").Text(kl.Rule))
	}
	return app.Div().Attr("data-testid", "sensitivity").Body(
		c.chartBox("tornado-chart", "tornado", "Sensitivity tornado", svg, cerr),
		key,
		app.If(len(items) > 0, func() app.UI { return app.Ul().Class("bottlenecks").Body(items...) }),
	)
}

// metric prints a sensitivity metric value: money for revenue, persons
// for customers.
func (c *Planner) metric(kind string, x float64) string {
	if kind == "customers" {
		return count(x) + " customers"
	}
	return money(x, c.doc.Plan.Currency)
}

// renderReverse is the goal calculator: a revenue or customer goal gives
// the volumes every stage needs, the top and the budget.
func (c *Planner) renderReverse() app.UI {
	p := c.cache.valid
	cur := p.Currency
	if c.an.goalKind == "" {
		c.an.goalKind = "revenue"
		c.an.goalValue = 2 * c.fwd.Revenue
		if c.fwd.Revenue == 0 {
			c.an.goalKind, c.an.goalValue = "customers", 2*c.fwd.Customers
		}
	}
	r, err := c.an.reverse.get(c.cache.rev, false, func() (*core.ReverseResult, error) {
		g := core.Goal{}
		v := c.an.goalValue
		if c.an.goalKind == "customers" {
			g.Customers = &v
		} else {
			g.Revenue = &v
		}
		return core.Reverse(p, g)
	})
	form := app.Div().Class("goal-form").Body(
		field("Goal", app.Select().Attr("aria-label", "Goal kind").Attr("data-testid", "goal-kind").
			OnChange(func(ctx app.Context, e app.Event) {
				c.an.goalKind = ctx.JSSrc().Get("value").String()
				c.an.reverse.rev = -1
			}).Body(
			app.Option().Value("revenue").Selected(c.an.goalKind == "revenue").Text("Revenue "+cur),
			app.Option().Value("customers").Selected(c.an.goalKind == "customers").Text("Customers"),
		)),
		field("per "+periodName(p.Period), app.Input().Type("number").Class("num money").Min(0).Attr("step", "any").
			Attr("data-testid", "goal-value").Value(numValue(c.an.goalValue)).
			OnChange(func(ctx app.Context, e app.Event) {
				if v, ok := parseNum(ctx.JSSrc().Get("value").String()); ok && v >= 0 {
					c.an.goalValue = v
					c.an.reverse.rev = -1
				}
			})),
	)
	if err != nil {
		return app.Div().Body(form, app.P().Class("error").Attr("data-testid", "goal-error").Text(err.Error()))
	}
	opt := func(x *float64, f func(float64) string) string {
		if x == nil {
			return "–"
		}
		return f(*x)
	}
	mon := func(x float64) string { return money(x, cur) }
	figs := figureBox(app.Div().Class("figures"),
		figure("goal-top", "Top volume needed", count(r.Top), &r.Top, "Entrants per period the goal needs at today's rates"),
		figure("goal-factor", "× today's top", opt(r.TopFactor, ratio), r.TopFactor, ""),
		figure("goal-budget", "Budget", opt(r.Budget, mon), r.Budget, r.BudgetBasis),
		figure("goal-cpc", "Cost per customer", opt(r.CostPerCustomer, mon), r.CostPerCustomer, ""),
	)
	var uplift app.UI
	if u := r.Uplift; u != nil {
		if u.Infeasible != "" {
			uplift = app.P().Class("muted").Text("At today's traffic: " + u.Infeasible)
		} else {
			uplift = app.Table().Class("data").Attr("data-testid", "uplift").Body(
				app.Caption().Text("Or at today's traffic: the rates the goal needs (every rate stretched alike)"),
				app.THead().Body(app.Tr().Body(app.Th().Scope("col").Text("Stage"), app.Th().Scope("col").Class("n").Text("Now"), app.Th().Scope("col").Class("n").Text("Needed"))),
				app.TBody().Body(app.Range(u.Stages).Slice(func(i int) app.UI {
					s := u.Stages[i]
					return app.Tr().Body(app.Th().Scope("row").Text(c.stageLabel(s.ID)), app.Td().Class("n").Text(pct(s.Current)), app.Td().Class("n").Text(pct(s.Required)))
				})),
			)
		}
	}
	return app.Div().Attr("data-testid", "reverse").Body(
		form,
		figs,
		app.Table().Class("data").Body(
			app.Caption().Text("Volumes per stage for the goal"),
			app.THead().Body(app.Tr().Body(app.Th().Scope("col").Text("Stage"), app.Th().Scope("col").Class("n").Text("Now"), app.Th().Scope("col").Class("n").Text("Needed"))),
			app.TBody().Body(app.Range(r.Stages).Slice(func(i int) app.UI {
				s := r.Stages[i]
				return app.Tr().Body(app.Th().Scope("row").Text(s.Name), app.Td().Class("n").Text(count(s.Current)), app.Td().Class("n").Text(count(s.Required)))
			})),
		),
		uplift,
		notes(r.Assumptions, r.Warnings),
	)
}

func (c *Planner) stageLabel(id string) string {
	p := c.doc.Plan
	if i := p.StageIndex(id); i >= 0 {
		return stageName(p.Stages[i])
	}
	return id
}

func notes(lists ...[]string) app.UI {
	var all []string
	for _, l := range lists {
		all = append(all, l...)
	}
	if len(all) == 0 {
		return nil
	}
	return app.Ul().Class("warnings").Body(app.Range(all).Slice(func(i int) app.UI { return app.Li().Text(all[i]) }))
}

// renderJourneyResults is the Markov journey: the state diagram and, per
// state, the purchase probability and the expected time.
func (c *Planner) renderJourneyResults() app.UI {
	p := c.cache.valid
	if p.Journey == nil {
		return app.P().Class("muted").Text("The plan has no journey model: add one under Journey transitions.")
	}
	r, err := c.an.journey.get(c.cache.rev, false, func() (*core.JourneyResult, error) { return core.AnalyzeJourney(p) })
	if err != nil {
		return app.P().Class("error").Text("Journey: " + err.Error())
	}
	svg, cerr := c.chart("journey", func() (string, error) {
		g, err := chart.JourneyOf(p, r)
		if err != nil {
			return "", err
		}
		return svgOf(func(w *bytes.Buffer) error { return chart.Journey(w, g, c.chartOptions("journey")) })
	})
	days := func(x *float64) string {
		if x == nil {
			return "–"
		}
		return strconv.FormatFloat(*x, 'f', 1, 64)
	}
	return app.Div().Attr("data-testid", "journey-results").Body(
		figureBox(app.Div().Class("figures"),
			figure("journey-p", "Purchase probability", pct(r.PurchaseProbability), &r.PurchaseProbability, "From the entry state"),
			figure("journey-purchases", "Purchases / "+periodName(p.Period), count(r.Purchases), &r.Purchases, ""),
			figure("journey-days", "Days to purchase", days(r.ExpectedDaysIfPurchase), r.ExpectedDaysIfPurchase, "Expected days for those who buy"),
		),
		c.chartBox("journey-chart", "journey", "Journey state diagram", svg, cerr),
		app.Table().Class("data").Body(
			app.Caption().Class("sr").Text("Journey states"),
			app.THead().Body(app.Tr().Body(
				app.Th().Scope("col").Text("State"), app.Th().Scope("col").Class("n").Text("P(purchase)"),
				app.Th().Scope("col").Class("n").Text("Days left"), app.Th().Scope("col").Class("n").Text("Days if buying"),
				app.Th().Scope("col").Class("n").Text("Visits"),
			)),
			app.TBody().Body(app.Range(r.States).Slice(func(i int) app.UI {
				s := r.States[i]
				return app.Tr().Body(
					app.Th().Scope("row").Text(s.ID),
					app.Td().Class("n").Text(pct(s.PurchaseProbability)),
					app.Td().Class("n").Text(strconv.FormatFloat(s.ExpectedDays, 'f', 1, 64)),
					app.Td().Class("n").Text(days(s.ExpectedDaysIfPurchase)),
					app.Td().Class("n").Text(strconv.FormatFloat(s.Visits, 'f', 2, 64)),
				)
			})),
		),
	)
}

// renderForecast is the period-by-period cohort forecast.
func (c *Planner) renderForecast() app.UI {
	p := c.cache.valid
	cur := p.Currency
	if c.an.periods == 0 {
		c.an.periods = 12
	}
	r, err := c.an.forecast.get(c.cache.rev, c.dragging(), func() (*core.ForecastResult, error) {
		return core.Forecast(p, core.ForecastOptions{Periods: c.an.periods})
	})
	form := app.Div().Class("goal-form").Body(
		field("Periods ("+periodName(p.Period)+"s)", app.Input().Type("number").Class("num").Min(1).Max(240).Step(1).
			Attr("data-testid", "forecast-periods").Value(strconv.Itoa(c.an.periods)).
			OnChange(func(ctx app.Context, e app.Event) {
				if v, err := strconv.Atoi(ctx.JSSrc().Get("value").String()); err == nil && v >= 1 && v <= 240 {
					c.an.periods = v
					c.an.forecast.rev = -1
				}
			})),
	)
	if err != nil {
		return app.Div().Body(form, app.P().Class("error").Text("Forecast: "+err.Error()))
	}
	var steady app.UI
	if s := r.SteadyState; s != nil {
		steady = app.P().Class("muted").Text(fmt.Sprintf("Steady state: %s purchases and %s per %s; reached after about %d periods of warm-up.",
			count(s.Purchases), money(s.Revenue, cur), periodName(p.Period), r.WarmUp))
	}
	svg, cerr := c.chart("forecast", func() (string, error) {
		return svgOf(func(w *bytes.Buffer) error { return chart.Forecast(w, r, nil, c.chartOptions("forecast")) })
	})
	return app.Div().Attr("data-testid", "forecast").Body(
		form,
		c.chartBox("forecast-chart", "forecast", "Purchases per period", svg, cerr),
		figureBox(app.Div().Class("figures"),
			figure("forecast-purchases", "Purchases, all periods", count(r.Purchases), &r.Purchases, ""),
			figure("forecast-revenue", "Revenue, all periods", money(r.Revenue, cur), &r.Revenue, ""),
		),
		steady,
		app.Div().Class("scroll").Body(app.Table().Class("data").Body(
			app.Caption().Class("sr").Text("Forecast per period"),
			app.THead().Body(app.Tr().Body(
				app.Th().Scope("col").Text("Period"), app.Th().Scope("col").Class("n").Text("Entrants"),
				app.Th().Scope("col").Class("n").Text("Purchases"), app.Th().Scope("col").Class("n").Text("Revenue"),
				app.Th().Scope("col").Class("n").Text("Cumulative purchases"),
			)),
			app.TBody().Body(app.Range(r.Periods).Slice(func(i int) app.UI {
				x := r.Periods[i]
				return app.Tr().Body(
					app.Th().Scope("row").Text(strconv.Itoa(x.Index+1)),
					app.Td().Class("n").Text(count(x.Inflow)),
					app.Td().Class("n").Text(count(x.Purchases)),
					app.Td().Class("n").Text(money(x.Revenue, cur)),
					app.Td().Class("n").Text(count(x.CumulativePurchases)),
				)
			})),
		)),
	)
}
