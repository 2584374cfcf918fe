package app

import (
	"bytes"
	"fmt"

	"github.com/funnelplan/funnelplan/core"
	"github.com/funnelplan/funnelplan/core/chart"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// chartOptions are the chart settings of the page: the plan's currency and
// period, and large type in presentation mode.
func (c *Planner) chartOptions(id string) chart.Options {
	o := chart.Options{Currency: c.doc.Plan.Currency, Period: c.doc.Plan.Period, ID: id}
	if c.present {
		o.Theme = chart.Presentation
	}
	return o
}

// svgOf runs a chart function into a string ready for app.Raw.
func svgOf(draw func(w *bytes.Buffer) error) (string, error) {
	var b bytes.Buffer
	if err := draw(&b); err != nil {
		return "", err
	}
	return chart.Inline(b.Bytes()), nil
}

// funnelSVG draws the funnel chart of the plan on screen.
func (c *Planner) funnelSVG() (string, error) {
	key := "funnel"
	if c.present {
		key = "funnel-present"
	}
	return c.chart(key, func() (string, error) {
		return svgOf(func(w *bytes.Buffer) error { return chart.Funnel(w, c.fwd, c.chartOptions("funnel")) })
	})
}

// renderCoverageGaps is the coverage heatmap: gaps are filled the stronger
// the more persons reach them without content.
func (c *Planner) renderCoverageGaps() app.UI {
	p := c.cache.valid
	if p == nil || c.fwd == nil || len(p.Coverage) == 0 {
		return app.P().Class("muted small").Text("Enter content counts to see the gaps weighted by the people who reach them.")
	}
	svg, err := c.chart("coverage", func() (string, error) {
		return svgOf(func(w *bytes.Buffer) error { return chart.Coverage(w, p, c.fwd, c.chartOptions("coverage")) })
	})
	return c.chartBox("coverage-chart", "coverage", "Content coverage: gaps weighted by the people who reach them", svg, err)
}

// coverageGaps returns, per persona/stage cell without content, a tooltip
// with the people per period who meet no content there (core.Coverage).
func (c *Planner) coverageGaps() map[string]string {
	cov := c.coverage()
	if cov == nil {
		return nil
	}
	out := map[string]string{}
	for _, g := range cov.Gaps {
		out[g.Persona+"/"+g.Stage] = count(g.Flow) + " people per " + periodName(c.doc.Plan.Period) + " meet no content here"
	}
	return out
}

// coverage is core.Coverage of the plan on screen, nil without a coverage
// matrix or results.
func (c *Planner) coverage() *core.CoverageResult {
	p := c.cache.valid
	if p == nil || len(p.Coverage) == 0 || len(c.problems) > 0 {
		return nil
	}
	r, err := c.an.coverage.get(c.cache.rev, false, func() (*core.CoverageResult, error) { return core.Coverage(p) })
	if err != nil {
		return nil
	}
	return r
}

// renderGapList names the largest coverage gaps by the people they miss.
func (c *Planner) renderGapList() app.UI {
	cov := c.coverage()
	if cov == nil || len(cov.Gaps) == 0 {
		return nil
	}
	gaps := cov.Gaps
	if len(gaps) > 5 {
		gaps = gaps[:5]
	}
	p := c.doc.Plan
	who := func(id string) string {
		if j := p.PersonaIndex(id); j >= 0 {
			return personaName(p.Personas[j])
		}
		return "Everyone"
	}
	return app.Div().Body(
		app.P().Class("small").Text(fmt.Sprintf("Cells with content: %s. Largest gaps by the people who meet no content:", pct(cov.Cells))),
		app.Ol().Class("small").Attr("data-testid", "coverage-gaps").Body(app.Range(gaps).Slice(func(i int) app.UI {
			g := gaps[i]
			return app.Li().Text(fmt.Sprintf("%s at %s: %s per %s", who(g.Persona), c.stageLabel(g.Stage), count(g.Flow), periodName(p.Period)))
		})),
	)
}

// matrixChart is the persona x stage heatmap of conversion rates.
func (c *Planner) matrixChart() app.UI {
	p := c.cache.valid
	if p == nil || c.fwd == nil {
		return nil
	}
	svg, err := c.chart("matrix", func() (string, error) {
		return svgOf(func(w *bytes.Buffer) error { return chart.Matrix(w, p, c.fwd, c.chartOptions("matrix")) })
	})
	return c.chartBox("matrix-chart", "matrix", "Conversion rate of every persona into every stage", svg, err)
}
