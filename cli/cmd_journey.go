package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/funnelplan/funnelplan/core"
)

const journeyDoc = `
funnelplan journey [--scenario ID] [--move STATE:FROM:TO:DELTA]... [--format F] [-o FILE] [PLAN]

Computes the plan's Markov journey (the "journey" section): for every
state, as a start, the probability of purchase, the expected steps and
days until purchase or loss, the expected days to purchase of those who
purchase, and for an entrant the expected visits and the chance to ever
reach the state. Also the step distribution, the strongest levers (moving
one point of a state's lost probability to one of its other targets), the
journey beside the funnel where states stand for funnel stages (with the
plan's buying group applied to the funnel), and warnings.

--move asks for the exact effect of moving DELTA (a probability, 0..1)
at STATE from target FROM to target TO, e.g. --move consider:lost:intent:0.05.
Targets are journey states, purchase or lost.
`

func init() {
	register(command{name: "journey", summary: "Markov journey: purchase odds, time to buy, levers", run: runJourney})
}

// journeyResult is the JSON output of journey.
type journeyResult struct {
	Plan     string `json:"plan"`
	Scenario string `json:"scenario,omitempty"`
	*core.JourneyResult
	Moves []core.MoveEffect `json:"moves,omitempty"`
}

func runJourney(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "journey", journeyDoc)
	var o outFlags
	o.add(fs)
	scenario := fs.String("scenario", "", "apply the scenario with this `ID` first")
	moves := fs.StringArray("move", nil, "exact effect of moving `STATE:FROM:TO:DELTA` (repeatable)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := o.check(); err != nil {
		return err
	}
	type move struct {
		state, from, to string
		delta           float64
	}
	var mv []move
	for _, m := range *moves {
		parts := strings.Split(m, ":")
		if len(parts) != 4 {
			return usagef("--move %q: want STATE:FROM:TO:DELTA", m)
		}
		d, err := strconv.ParseFloat(parts[3], 64)
		if err != nil {
			return usagef("--move %q: %q is not a number", m, parts[3])
		}
		mv = append(mv, move{parts[0], parts[1], parts[2], d})
	}
	q, name, warns, err := e.loadScenarioPlan(fs, *scenario)
	if err != nil {
		return err
	}
	r, err := core.AnalyzeJourney(q)
	if err != nil {
		return fileError(name, err)
	}
	r.Warnings = append(append([]string{}, warns...), r.Warnings...)
	res := journeyResult{Plan: q.Name, Scenario: *scenario, JourneyResult: r}
	for _, m := range mv {
		eff, err := r.Move(m.state, m.from, m.to, m.delta)
		if err != nil {
			return fileError(name, err)
		}
		res.Moves = append(res.Moves, eff)
	}

	states := table{Title: "Journey: " + q.Name, Header: []string{"state", "P(purchase)", "steps", "days", "days if purchase", "visits", "reach", "persons"}}
	for _, s := range r.States {
		states.Rows = append(states.Rows, []string{s.ID, fpct(s.PurchaseProbability), fdec(s.ExpectedSteps), fdec(s.ExpectedDays),
			fopt(s.ExpectedDaysIfPurchase, fdec), fdec(s.Visits), fpct(s.Reach), fcount(s.Persons)})
	}
	summary := table{Title: "Summary (per entrant at " + r.Entry + ")", Header: []string{"metric", "value"}, Rows: [][]string{
		{"entrants per period", fcount(r.Entrants)},
		{"purchase probability", fpct(r.PurchaseProbability)},
		{"purchases per period", fcount(r.Purchases)},
		{"expected steps (sd)", fdec(r.ExpectedSteps) + " (" + fdec(r.StepsSD) + ")"},
		{"expected days", fdec(r.ExpectedDays)},
		{"expected days if purchase", fopt(r.ExpectedDaysIfPurchase, fdec)},
		{"median steps if purchase", fwhole(r.MedianStepsIfPurchase)},
		{"P90 steps if purchase", fwhole(r.P90StepsIfPurchase)},
		{"condition number", fopt(r.Condition, fratio)},
	}}
	if g := r.BuyingGroup; g != nil {
		summary.Rows = append(summary.Rows, []string{"buying group consensus", fpct(g.Consensus)},
			[]string{"close rate with the group (" + g.Stage + ")", fpct(g.Effective)})
	}
	tables := []table{states, summary}

	if len(r.Stages) > 0 {
		st := table{Title: "Journey beside the funnel", Header: []string{"stage", "states", "reach", "from", "journey rate", "funnel rate", "difference", "disagree"}}
		for _, s := range r.Stages {
			dis := ""
			if s.Disagree {
				dis = "yes"
			}
			st.Rows = append(st.Rows, []string{s.ID, strings.Join(s.States, " "), fpct(s.Reach), s.From,
				fopt(s.ImpliedRate, fpct), fopt(s.FunnelRate, fpct), fopt(s.Difference, fpoints), dis})
		}
		tables = append(tables, st)
	}
	lev := table{Title: "Levers", Header: []string{"state", "from", "to", "delta", "first order", "exact", "relative"}}
	for _, m := range append(append([]core.MoveEffect{}, res.Moves...), r.Levers...) {
		lev.Rows = append(lev.Rows, []string{m.State, m.From, m.To, fdec(m.Delta), fpoints(m.FirstOrder), fpoints(m.Exact), fopt(m.Relative, fpct)})
	}
	if len(lev.Rows) > 0 {
		tables = append(tables, lev)
	}
	return e.emit(&o, res, append(tables, warningTable(r.Warnings)...)...)
}

// fdec formats a plain quantity (steps, days) with up to 3 decimals.
func fdec(x float64) string { return group(strconv.FormatFloat(round(x, 3), 'f', -1, 64)) }

// fpoints formats a difference of rates in percentage points.
func fpoints(x float64) string {
	return strconv.FormatFloat(round(100*x, 4), 'f', -1, 64) + " pp"
}

// fwhole formats an optional whole number, or "n/a".
func fwhole(x *int) string {
	if x == nil {
		return "n/a"
	}
	return fmt.Sprint(*x)
}

// warningTable is a one-column table of warnings (none without any), kept
// apart from number tables so a long message does not widen their columns.
func warningTable(ws []string) []table {
	if len(ws) == 0 {
		return nil
	}
	t := table{Title: "Warnings", Header: []string{"warning"}}
	for _, w := range ws {
		t.Rows = append(t.Rows, []string{w})
	}
	return []table{t}
}
