package app

import (
	"bytes"

	"github.com/funnelplan/funnelplan/core"
	"github.com/funnelplan/funnelplan/core/chart"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// compare is the baseline and every scenario side by side (core.Compare),
// computed once per edit while the comparison is on screen.
func (c *Planner) compare() (*core.CompareResult, error) {
	return c.an.compare.get(c.cache.rev, false, func() (*core.CompareResult, error) {
		if c.cache.valid == nil || len(c.problems) > 0 {
			return nil, errProblems
		}
		return core.Compare(c.doc.Plan)
	})
}

type problemsError struct{}

func (problemsError) Error() string { return "the plan has problems to fix" }

var errProblems error = problemsError{}

func (c *Planner) renderCompare() app.UI {
	r, err := c.compare()
	if err != nil {
		return app.P().Class("error").Text("Comparison: " + err.Error())
	}
	cur := c.doc.Plan.Currency
	var bars []chart.ScenarioBar
	for _, s := range r.Scenarios {
		if s.Error != "" || s.Revenue == nil || s.Customers == nil {
			continue
		}
		bars = append(bars, chart.ScenarioBar{ID: s.ID, Name: s.Name, Customers: *s.Customers, Revenue: *s.Revenue,
			DeltaCustomers: s.DeltaCustomers, DeltaRevenue: s.DeltaRevenue, RelCustomers: s.RelCustomers, RelRevenue: s.RelRevenue})
	}
	key := "scenarios"
	if c.present {
		key = "scenarios-present"
	}
	svg, cerr := c.chart(key, func() (string, error) {
		return svgOf(func(w *bytes.Buffer) error { return chart.Scenarios(w, bars, c.chartOptions("scen")) })
	})
	opt := func(x *float64, f func(float64) string) string {
		if x == nil {
			return "–"
		}
		return f(*x)
	}
	mon := func(x float64) string { return money(x, cur) }
	signed := func(x float64) string {
		if x > 0 {
			return "+" + pct(x)
		}
		return pct(x)
	}
	return app.Div().Attr("data-testid", "compare").Body(
		c.chartBox("scenarios-chart", "scenarios", "Baseline and scenarios side by side", svg, cerr),
		app.If(!c.present, func() app.UI {
			return app.Table().Class("data").Attr("data-testid", "compare-table").Body(
				app.Caption().Class("sr").Text("Baseline and scenarios side by side"),
				app.THead().Body(app.Tr().Body(
					app.Th().Scope("col").Text("Scenario"), app.Th().Scope("col").Class("n").Text("Customers"),
					app.Th().Scope("col").Class("n").Text("Revenue"), app.Th().Scope("col").Class("n").Text("Revenue vs baseline"),
					app.Th().Scope("col").Class("n").Text("Net profit"),
				)),
				app.TBody().Body(app.Range(r.Scenarios).Slice(func(i int) app.UI {
					s := r.Scenarios[i]
					id := s.ID
					if s.Baseline {
						id = ""
					}
					name := app.Th().Scope("row").Body(app.Button().Class("link").Text(s.Name).Title("Show this scenario").
						OnClick(func(ctx app.Context, e app.Event) { c.selectScenario(id) }))
					if s.Error != "" {
						return app.Tr().Body(name, app.Td().ColSpan(4).Class("error").Text(s.Error))
					}
					return app.Tr().Class(map[bool]string{true: "selected"}[id == c.doc.Scenario]).Body(
						name,
						app.Td().Class("n").Text(opt(s.Customers, count)),
						app.Td().Class("n").Text(opt(s.Revenue, mon)),
						app.Td().Class("n").Text(opt(s.RelRevenue, signed)),
						app.Td().Class("n").Text(opt(s.NetProfit, mon)),
					)
				})),
			)
		}),
	)
}
