package app

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

func (c *Planner) renderSensitivity() app.UI { return unavailable("Sensitivity") }

func (c *Planner) renderReverse() app.UI { return unavailable("The goal calculator") }

func (c *Planner) renderJourneyResults() app.UI { return unavailable("Journey results") }

func (c *Planner) renderForecast() app.UI { return unavailable("The forecast") }

func (c *Planner) renderFit() app.UI { return unavailable("Fitting rates from counts") }
