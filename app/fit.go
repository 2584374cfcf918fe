package app

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/funnelplan/funnelplan/core"
	"github.com/funnelplan/funnelplan/core/chart"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// fitState is a counts CSV read in the fit tab and its fitted rates.
type fitState struct {
	name string
	res  *core.FitResult
}

// loadCounts reads a counts CSV (DESIGN.md: period, group columns, one
// column per stage) and fits the step rates; problems go to import-error
// with the file name, line and column.
func (c *Planner) loadCounts(name string, b []byte, err error) {
	if err != nil {
		c.importErr = fmt.Sprintf("%s: %v", name, err)
		return
	}
	t, err := core.ReadCounts(bytes.NewReader(b))
	if err == nil {
		var r *core.FitResult
		if r, err = core.Fit(t, core.FitOptions{}); err == nil {
			c.fit = fitState{name: name, res: r}
			c.importErr = ""
			return
		}
	}
	msg := err.Error()
	sep := ": "
	if strings.Contains(msg, "\n") {
		sep = ":\n"
	}
	c.importErr = fmt.Sprintf("%s is not a counts table; nothing was changed%s%s", name, sep, prefixLines(name, msg))
}

// prefixLines puts "name:" before every line that starts with a position.
func prefixLines(name, msg string) string {
	lines := strings.Split(msg, "\n")
	for i, l := range lines {
		if l != "" && l[0] >= '0' && l[0] <= '9' {
			lines[i] = name + ":" + l
		}
	}
	return strings.Join(lines, "\n")
}

func (c *Planner) renderFit() app.UI {
	input := app.Div().Class("row").Body(
		app.Input().ID("counts-file").Class("hidden-file").Type("file").Accept(".csv,text/csv").
			Attr("data-testid", "counts-file").Attr("aria-label", "Read a counts CSV").
			OnChange(func(ctx app.Context, e app.Event) {
				readFile(ctx, ctx.JSSrc(), func(ctx app.Context, name, text string, err error) {
					c.loadCounts(name, []byte(text), err)
				})
			}),
		app.Label().Class("button").For("counts-file").Text("Read a counts CSV…"),
		app.Span().Class("muted small").Text("Columns: period, optional manager/persona/channel/segment, then one count per stage in funnel order."),
	)
	r := c.fit.res
	if r == nil {
		return app.Div().Body(input)
	}
	p := c.doc.Plan
	opt := func(x *float64) string {
		if x == nil {
			return "–"
		}
		return pct(*x)
	}
	matched := 0
	for _, s := range r.Steps {
		if p.StageIndex(s.To) > 0 && s.Rate != nil {
			matched++
		}
	}
	svg, cerr := c.chart(fmt.Sprintf("fit-%p", r), func() (string, error) {
		return svgOf(func(w *bytes.Buffer) error { return chart.Fit(w, r, c.chartOptions("fit")) })
	})
	return app.Div().Attr("data-testid", "fit").Body(
		input,
		c.chartBox("fit-chart", "fit", "Fitted rates with credible intervals", svg, cerr),
		app.Table().Class("data").Attr("data-testid", "fit-table").Body(
			app.Caption().Text(fmt.Sprintf("%s: %d periods; rates with 95 %% credible intervals (%s prior)", c.fit.name, len(r.Periods), r.Prior)),
			app.THead().Body(app.Tr().Body(
				app.Th().Scope("col").Text("Step"), app.Th().Scope("col").Class("n").Text("Observed"),
				app.Th().Scope("col").Class("n").Text("Rate"), app.Th().Scope("col").Class("n").Text("95 % interval"),
				app.Th().Scope("col").Class("n").Text("Plan now"),
			)),
			app.TBody().Body(app.Range(r.Steps).Slice(func(i int) app.UI {
				s := r.Steps[i]
				now := "–"
				if j := p.StageIndex(s.To); j > 0 {
					now = pct(StageRate(p, s.To))
				}
				return app.Tr().Body(
					app.Th().Scope("row").Text(s.From+" → "+s.To),
					app.Td().Class("n").Text(count(s.Successes)+" / "+count(s.Trials)),
					app.Td().Class("n").Text(opt(s.Rate)),
					app.Td().Class("n").Text(opt(s.CILow)+" – "+opt(s.CIHigh)),
					app.Td().Class("n").Text(now),
				)
			})),
		),
		notes(r.Warnings),
		app.Div().Class("row").Body(
			app.Button().Class("primary").Attr("data-testid", "apply-fit").Disabled(matched == 0).
				Text(fmt.Sprintf("Apply the %d fitted rates to stages with the same id", matched)).
				OnClick(func(ctx app.Context, e app.Event) {
					c.edit("", func(d *Doc) error {
						for _, s := range r.Steps {
							if d.Plan.StageIndex(s.To) > 0 && s.Rate != nil {
								if err := d.SetStageRate(s.To, *s.Rate); err != nil {
									return err
								}
							}
						}
						return nil
					})
					c.notice = "Applied the fitted rates (Undo reverts)."
				}),
			app.Button().Text("Open the fitted plan").Title("A new plan with the observed top, rates and their uncertainty").
				OnClick(func(ctx app.Context, e app.Event) {
					q, warns := core.FitPlan(r, strings.TrimSuffix(c.fit.name, ".csv"))
					c.doc.Replace(q)
					c.notice = "Opened the plan fitted from " + c.fit.name + ". " + strings.Join(warns, "; ")
					c.changed()
				}),
		),
	)
}
