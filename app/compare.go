package app

import (
	"github.com/funnelplan/funnelplan/core"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// scenarioRow is one column of the scenario comparison.
type scenarioRow struct {
	id, name  string
	customers float64
	revenue   float64
	err       error
}

// compareRows computes the baseline and every scenario of the plan.
func compareRows(p *core.Plan) []scenarioRow {
	rows := []scenarioRow{{id: "", name: "Baseline"}}
	for _, s := range p.Scenarios {
		rows = append(rows, scenarioRow{id: s.ID, name: scenarioName(s)})
	}
	for i := range rows {
		v, _, err := p.WithScenario(rows[i].id)
		if err == nil {
			var f *core.ForwardResult
			if f, err = core.Forward(v); err == nil {
				rows[i].customers, rows[i].revenue = f.Customers, f.Revenue
			}
		}
		rows[i].err = err
	}
	return rows
}

func (c *Planner) renderCompare() app.UI {
	rows := compareRows(c.doc.Plan)
	cur := c.doc.Plan.Currency
	base := rows[0]
	return app.Table().Class("data").Attr("data-testid", "compare-table").Body(
		app.Caption().Class("sr").Text("Baseline and scenarios side by side"),
		app.THead().Body(app.Tr().Body(
			app.Th().Scope("col").Text("Scenario"), app.Th().Scope("col").Class("n").Text("Customers"),
			app.Th().Scope("col").Class("n").Text("Revenue"), app.Th().Scope("col").Class("n").Text("vs baseline"),
		)),
		app.TBody().Body(app.Range(rows).Slice(func(i int) app.UI {
			r := rows[i]
			sel := r.id == c.doc.Scenario
			if r.err != nil {
				return app.Tr().Body(app.Th().Scope("row").Text(r.name), app.Td().ColSpan(3).Class("error").Text(r.err.Error()))
			}
			delta := ""
			if i > 0 && base.err == nil && base.revenue != 0 {
				delta = pct(r.revenue/base.revenue - 1)
			}
			return app.Tr().Class(map[bool]string{true: "selected"}[sel]).Body(
				app.Th().Scope("row").Body(app.Button().Class("link").Text(r.name).
					OnClick(func(ctx app.Context, e app.Event) { c.selectScenario(r.id) })),
				app.Td().Class("n").Text(count(r.customers)),
				app.Td().Class("n").Text(money(r.revenue, cur)),
				app.Td().Class("n").Text(delta),
			)
		})),
	)
}
