package app

import (
	"bytes"

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

// coverageGaps returns, per persona/stage cell, a tooltip with the people
// per period who reach the cell (for cells without content).
func (c *Planner) coverageGaps() map[string]string {
	f, p := c.fwd, c.cache.valid
	if f == nil || p == nil {
		return nil
	}
	out := map[string]string{}
	for j, pr := range f.Personas {
		for i := range pr.Counts {
			if i < len(p.Stages) {
				out[pr.ID+"/"+p.Stages[i].ID] = count(f.Personas[j].Counts[i]) + " people per " + periodName(p.Period) + " reach this stage without content"
			}
		}
	}
	if len(f.Personas) == 0 {
		for i, s := range f.Stages {
			out[core.AllPersonas+"/"+p.Stages[i].ID] = count(s.Count) + " people per " + periodName(p.Period) + " reach this stage without content"
		}
	}
	return out
}
