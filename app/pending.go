package app

import (
	"github.com/funnelplan/funnelplan/core"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// funnelSVG draws the funnel chart of the plan on screen.
func funnelSVG(p *core.Plan, f *core.ForwardResult) (string, error) { return "", nil }

func (c *Planner) economicsFigures(p *core.Plan) []app.UI { return nil }

func (c *Planner) coverageGaps() map[string]string { return nil }

func (c *Planner) renderCoverageGaps() app.UI { return nil }

func (c *Planner) renderSensitivity() app.UI { return unavailable("Sensitivity") }

func (c *Planner) renderReverse() app.UI { return unavailable("The goal calculator") }

func (c *Planner) renderJourneyResults() app.UI { return unavailable("Journey results") }

func (c *Planner) renderForecast() app.UI { return unavailable("The forecast") }

func (c *Planner) renderUncertainty() app.UI { return unavailable("Uncertainty") }

func (c *Planner) renderFit() app.UI { return unavailable("Fitting rates from counts") }
