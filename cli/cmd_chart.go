package main

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/funnelplan/funnelplan/core"
	"github.com/funnelplan/funnelplan/core/chart"
)

const chartDoc = `
funnelplan chart --kind KIND [--scenario ID] [--theme T] [-o FILE.svg] [PLAN]

Draws a chart of a plan as SVG: to standard output, or with -o to a file
(written atomically). The browser app draws the same charts.

Kinds:
  funnel     stage bars scaled to the expected counts, with step rates and
             drop-offs; stacked or split by persona (--layout)
  matrix     persona x stage heatmap of conversion rates, with the
             aggregate rates of the persona mix
  coverage   persona x stage heatmap of content items; gaps are marked
             with the persons per period who meet no content there
  scenarios  the baseline and every scenario side by side (revenue and
             customers); --scenario is ignored
  tornado    sensitivity of revenue to each input (rates +-1 point, top
             and order value +-10 %), the key level starred
  journey    the Markov journey as a state diagram: forward and backward
             moves, staying, purchase and lost as end states
  forecast   purchases per period (--metric revenue for revenue) over
             --periods N with stage lags (--model journey: Markov steps),
             the steady state and the warm-up; with the plan's
             uncertainty section, the P10-P90 band (--trials, --seed)
  distribution
             Monte Carlo histogram of revenue (--metric customers for
             customers) with P10, P50, P90 and the --goal; needs the
             plan's uncertainty section (--trials, --seed)
  fit        rates fitted from a counts CSV (not a plan): posterior mean
             and 90 % credible interval per step, per group with --by

Themes: screen (default), print, presentation (large text for a room).
`

func init() {
	register(command{name: "chart", summary: "draw a chart of a plan as SVG", run: runChart})
}

// chartKinds are the kinds runChart draws, in the order of the manual.
var chartKinds = []string{"funnel", "matrix", "coverage", "scenarios", "tornado", "journey", "forecast", "distribution", "fit"}

func runChart(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "chart", chartDoc)
	kind := fs.String("kind", "funnel", "chart `KIND`: "+strings.Join(chartKinds, ", "))
	scenario := fs.String("scenario", "", "apply the scenario with this `ID` first")
	theme := fs.String("theme", "screen", "`THEME`: "+strings.Join(chart.Themes(), ", "))
	layout := fs.String("layout", "auto", "funnel personas `LAYOUT`: "+strings.Join(chart.Layouts(), ", "))
	title := fs.String("title", "", "chart `TITLE` (default: the plan's name and the kind)")
	width := fs.Float64("width", 0, "viewBox width in `PX` (default: the theme's)")
	out := fs.StringP("output", "o", "", "write to `FILE` (atomically) instead of standard output")
	var sim simFlags
	fs.IntVar(&sim.trials, "trials", core.DefaultTrials, "Monte Carlo `N` trials (distribution)")
	fs.Uint64Var(&sim.seed, "seed", 1, "random `SEED` (distribution)")
	fs.Float64Var(&sim.goal, "goal", 0, "goal `X` drawn as a line: revenue, or customers with --metric customers (distribution; 0: none)")
	by := fs.String("by", "", "fit: compare the groups of this counts `COLUMN` (period, manager, ...)")
	metric := fs.String("metric", "", "`METRIC` to draw: revenue or customers (distribution), purchases or revenue (forecast)")
	fs.IntVar(&sim.periods, "periods", 24, "forecast `N` periods (forecast)")
	fs.StringVar(&sim.model, "model", "funnel", "forecast `MODEL`: funnel (stage lags) or journey (Markov steps)")
	if err := parse(fs, args); err != nil {
		return err
	}
	opt := chart.Options{Title: *title, Width: *width, Metric: *metric}
	switch {
	case *metric == "" || *metric == "revenue":
	case *kind == "forecast" && *metric != "purchases":
		return usagef("--metric %q is not a forecast metric (want purchases or revenue)", *metric)
	case *kind != "forecast" && *metric != "customers":
		return usagef("--metric %q is not a metric (want revenue or customers)", *metric)
	}
	var err error
	if opt.Theme, err = chart.ParseTheme(*theme); err != nil {
		return usagef("--theme: %v", err)
	}
	if opt.Layout, err = chart.ParseLayout(*layout); err != nil {
		return usagef("--layout: %v", err)
	}
	if *width < 0 || *width > 10000 {
		return usagef("--width: %g is not a width (want 0..10000 px)", *width)
	}
	known := false
	for _, k := range chartKinds {
		known = known || k == *kind
	}
	if !known {
		return usagef("--kind %q is not a chart kind (want %s)", *kind, strings.Join(chartKinds, ", "))
	}
	path, err := oneFile(fs)
	if err != nil {
		return err
	}
	if *kind == "fit" {
		return e.fitChart(path, *by, *out, opt)
	}
	p, name, err := e.loadPlan(path)
	if err != nil {
		return err
	}
	q, _, err := p.WithScenario(*scenario)
	if err != nil {
		return fileError(name, err)
	}
	opt.Currency, opt.Period = q.Currency, q.Period
	if opt.Title == "" {
		opt.Title = chartTitle(*kind, p, *scenario)
	}
	var buf bytes.Buffer
	if *kind == "scenarios" {
		q = p
	}
	if err := drawChart(ctx, &buf, *kind, q, opt, sim); err != nil {
		return fileError(name, err)
	}
	return e.writeOut(*out, buf.Bytes())
}

// simFlags are the Monte Carlo settings of the distribution chart.
type simFlags struct {
	trials  int
	seed    uint64
	goal    float64
	periods int
	model   string
}

// drawChart computes what a kind of chart shows and draws it.
func drawChart(ctx context.Context, buf *bytes.Buffer, kind string, q *core.Plan, opt chart.Options, sim simFlags) error {
	switch kind {
	case "funnel":
		r, err := core.Forward(q)
		if err != nil {
			return err
		}
		return chart.Funnel(buf, r, opt)
	case "matrix", "coverage":
		r, err := core.Forward(q)
		if err != nil {
			return err
		}
		if kind == "matrix" {
			return chart.Matrix(buf, q, r, opt)
		}
		return chart.Coverage(buf, q, r, opt)
	case "scenarios":
		r, err := core.Compare(q)
		if err != nil {
			return err
		}
		return chart.Scenarios(buf, chart.ScenariosOf(r), opt)
	case "tornado":
		r, err := core.Sensitivity(q, core.SensitivityOptions{})
		if err != nil {
			return err
		}
		return chart.Tornado(buf, q, r, opt)
	case "journey":
		r, err := core.AnalyzeJourney(q)
		if err != nil {
			return err
		}
		g, err := chart.JourneyOf(q, r)
		if err != nil {
			return err
		}
		return chart.Journey(buf, g, opt)
	case "forecast":
		fo := core.ForecastOptions{Periods: sim.periods, Model: sim.model}
		r, err := core.Forecast(q, fo)
		if err != nil {
			return err
		}
		var band *chart.ForecastBand
		if len(q.Uncertainty) > 0 {
			// The plan's ranges give a P10-P90 band per period.
			b, err := core.SimulateForecast(ctx, q, core.SimOptions{Trials: sim.trials, Seed: sim.seed}, fo)
			if err != nil {
				return err
			}
			band = chart.BandOf(b, opt.Metric)
		}
		return chart.Forecast(buf, r, band, opt)
	case "distribution":
		if len(q.Uncertainty) == 0 {
			return fmt.Errorf("uncertainty: the plan has none, so there is nothing to simulate (add an \"uncertainty\" section)")
		}
		so := core.SimOptions{Trials: sim.trials, Seed: sim.seed}
		if sim.goal != 0 {
			g := sim.goal
			if opt.Metric == "customers" {
				so.CustomersGoal = &g
			} else {
				so.Goal = &g
			}
		}
		r, err := core.Simulate(ctx, q, so)
		if err != nil {
			return err
		}
		return chart.Distribution(buf, r, opt)
	}
	return fmt.Errorf("chart kind %q is not drawn yet", kind)
}

// chartTitle is the default title: the kind and the plan's name, and the
// scenario's name when one is applied.
func chartTitle(kind string, p *core.Plan, scenario string) string {
	t := map[string]string{
		"funnel":       "Funnel",
		"matrix":       "Conversion rates by persona",
		"coverage":     "Content coverage by persona",
		"scenarios":    "Scenarios",
		"tornado":      "Sensitivity",
		"journey":      "Customer journey",
		"distribution": "Monte Carlo range",
		"forecast":     "Forecast",
	}[kind]
	if p.Name != "" {
		t += ": " + p.Name
	}
	if scenario != "" {
		if s, ok := p.Scenario(scenario); ok && s.Name != "" {
			scenario = s.Name
		}
		t += fmt.Sprintf(" (%s)", scenario)
	}
	return t
}

// fitChart draws the fit of a counts CSV.
func (e *env) fitChart(path, by, out string, opt chart.Options) error {
	b, name, err := e.readInput(path)
	if err != nil {
		return err
	}
	tab, err := core.ReadCounts(bytes.NewReader(b))
	if err != nil {
		return csvFileError(name, err)
	}
	r, err := core.Fit(tab, core.FitOptions{By: by})
	if err != nil {
		return csvFileError(name, err)
	}
	if opt.Title == "" {
		opt.Title = "Rates from " + filepath.Base(name)
	}
	var buf bytes.Buffer
	if err := chart.Fit(&buf, r, opt); err != nil {
		return fileError(name, err)
	}
	return e.writeOut(out, buf.Bytes())
}
