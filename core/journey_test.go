package core

import (
	"errors"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"
)

// mathFPlan is the worked example of MATH.md §f as a plan file.
const mathFPlan = `{
  "funnelplan": 1, "name": "MATH.md §f", "top": 100,
  "stages": [{"id": "visit"}, {"id": "customer", "rate": 0.1}],
  "journey": {
    "step_days": 7,
    "transitions": {
      "aware":    {"aware": 0.5, "consider": 0.2, "lost": 0.3},
      "consider": {"aware": 0.1, "consider": 0.4, "intent": 0.3, "lost": 0.2},
      "intent":   {"consider": 0.15, "intent": 0.35, "evaluate": 0.3, "lost": 0.2},
      "evaluate": {"intent": 0.1, "evaluate": 0.3, "purchase": 0.4, "lost": 0.2}
    },
    "states": ["aware", "consider", "intent", "evaluate"]
  }
}`

func TestAnalyzeJourneyWorkedExample(t *testing.T) {
	p, err := DecodeBytes([]byte(mathFPlan))
	if err != nil {
		t.Fatal(err)
	}
	r, err := AnalyzeJourney(p)
	if err != nil {
		t.Fatal(err)
	}
	// MATH.md §f, example.
	want := []struct {
		id                      string
		h, t, days, daysIfP, re float64
	}{
		{"aware", 0.069733656, 3.5690073, 24.983051, 53.661017, 1},
		{"consider", 0.17433414, 3.9225182, 27.457627, 39.661017, 0.4},
		{"intent", 0.32542373, 3.3220339, 23.254237, 26.161017, 0.21428571},
		{"evaluate", 0.61791768, 1.9031477, 13.322034, 11.968227, 0.11285266},
	}
	for i, w := range want {
		s := r.States[i]
		if s.ID != w.id || !relClose(s.PurchaseProbability, w.h, tolPrinted) || !relClose(s.ExpectedSteps, w.t, tolPrinted) ||
			!relClose(s.ExpectedDays, w.days, tolPrinted) || !relClose(*s.ExpectedDaysIfPurchase, w.daysIfP, tolPrinted) ||
			!relClose(s.Reach, w.re, tolPrinted) {
			t.Errorf("state %d = %+v, want %+v", i, s, w)
		}
	}
	// Population view: purchases = V·B_0P (100 entrants: 6.9733656).
	if !relClose(r.Purchases, 6.9733656, tolPrinted) || r.Entry != "aware" || *r.MedianStepsIfPurchase != 7 {
		t.Errorf("purchases %g entry %s median %d", r.Purchases, r.Entry, *r.MedianStepsIfPurchase)
	}
	// The strongest lever of the example, hand-checked against MATH.md
	// §f's sensitivity: Consider lost → Intent is 0.01374460 for δ = 0.05.
	e, err := r.Move("consider", StateLost, "intent", 0.05)
	if err != nil || !relClose(e.Exact, 0.01374460, 1e-6) {
		t.Errorf("move: %+v %v", e, err)
	}
	if len(r.Levers) == 0 || r.Levers[0].Exact < r.Levers[len(r.Levers)-1].Exact {
		t.Errorf("levers not sorted: %+v", r.Levers)
	}
	if r.Stages != nil {
		t.Errorf("no state maps to a stage, yet stages = %+v", r.Stages)
	}
}

func TestJourneyTrappedPlan(t *testing.T) {
	// MATH.md §f: a chain from which no absorbing state can be reached is
	// Invalid, naming those states.
	plan := `{"funnelplan": 1, "name": "trap", "top": 1,
	  "stages": [{"id": "a"}, {"id": "b", "rate": 0.5}],
	  "journey": {"transitions": {
	    "a": {"a": 0.5, "b": 0.4, "purchase": 0.1},
	    "b": {"b": 0.5, "c": 0.5},
	    "c": {"b": 1}}}}`
	_, err := DecodeBytes([]byte(plan))
	var ps Problems
	if !errors.As(err, &ps) || len(ps) != 1 || ps[0].Path != "journey.transitions" ||
		!strings.Contains(ps[0].Msg, `"b", "c"`) || strings.Contains(ps[0].Msg, `"a"`) {
		t.Fatalf("error %v, want one at journey.transitions naming \"b\", \"c\"", err)
	}
	// A horizon makes the plan valid: "lost if not purchased within H".
	p, err := DecodeBytes([]byte(strings.Replace(plan, `"journey": {`, `"journey": {"horizon": 20, `, 1)))
	if err != nil {
		t.Fatal(err)
	}
	r, err := AnalyzeJourney(p)
	if err != nil {
		t.Fatal(err)
	}
	// h = Σ_{k<20} .5^k · .1 (hand).
	if want := 0.2 * (1 - math.Pow(0.5, 20)); !relClose(r.PurchaseProbability, want, tolClosed) {
		t.Errorf("purchase within 20 steps %.15g, want %.15g", r.PurchaseProbability, want)
	}
}

func TestJourneyValidation(t *testing.T) {
	base := func() *Plan {
		p := testFunnelPlan(100, []float64{0.5})
		p.Journey = &Journey{Transitions: map[string]map[string]float64{
			"s0": {"s0": 0.5, "purchase": 0.2, "lost": 0.3},
		}}
		return p
	}
	cases := []struct {
		name string
		edit func(j *Journey)
		path string
	}{
		{"row sum", func(j *Journey) { j.Transitions["s0"]["lost"] = 0.2 }, `journey.transitions.s0`},
		{"negative", func(j *Journey) { j.Transitions["s0"]["lost"] = -0.1 }, `journey.transitions.s0.lost`},
		{"unknown target", func(j *Journey) { j.Transitions["s0"]["x"] = 0 }, `journey.transitions.s0.x`},
		{"absorbing row", func(j *Journey) { j.Transitions["lost"] = map[string]float64{"lost": 1} }, `journey.transitions.lost`},
		{"entry", func(j *Journey) { j.Entry = "nowhere" }, `journey.entry`},
		{"horizon", func(j *Journey) { j.Horizon = MaxHorizon + 1 }, `journey.horizon`},
		{"states unknown", func(j *Journey) { j.States = []string{"s0", "x"} }, `journey.states[1]`},
		{"states missing", func(j *Journey) {
			j.Transitions["s1"] = map[string]float64{"lost": 1}
			j.States = []string{"s0"}
		}, `journey.states`},
		{"days", func(j *Journey) { j.Days = map[string]float64{"s0": -1} }, `journey.days.s0`},
		{"stage map", func(j *Journey) { j.Stages = map[string]string{"s0": "nope"} }, `journey.stages.s0`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := base()
			c.edit(p.Journey)
			err := p.Validate()
			var ps Problems
			if !errors.As(err, &ps) {
				t.Fatalf("no problems")
			}
			found := false
			for _, x := range ps {
				found = found || x.Path == c.path
			}
			if !found {
				t.Errorf("problems %v, want one at %s", ps, c.path)
			}
		})
	}
}

func TestJourneyStages(t *testing.T) {
	// Two journey states stand for one funnel stage; reach of the stage
	// is the probability of visiting either: .5 + .3 = .8 (hand).
	plan := func(extra string) string {
		return `{"funnelplan": 1, "name": "map", "top": 1000,
	  "stages": [{"id": "a"}, {"id": "x", "rate": 0.8}, {"id": "customer", "rate": 0.25}],
	  "journey": {` + extra + `"transitions": {
	    "a": {"b": 0.5, "c": 0.3, "lost": 0.2},
	    "b": {"purchase": 0.5, "lost": 0.5},
	    "c": {"b": 0.2, "purchase": 0.5, "lost": 0.3}},
	    "stages": {"b": "x", "c": "x"}}}`
	}
	cases := []struct {
		name               string
		extra              string
		reachX, purchase   float64 // hand
		disagreeX, disagrC bool
	}{
		// purchase: .5·.5 + .3·(.5 + .2·.5) = .43; .43/.8 = .5375 vs .25.
		{"no horizon", "", 0.8, 0.43, false, true},
		// within 1 step only the entry state is visited.
		{"horizon 1", `"horizon": 1, `, 0, 0, true, false},
		// within 2 steps: b or c at step 1; purchase at step 2 only from b, c: .25 + .15.
		{"horizon 2", `"horizon": 2, `, 0.8, 0.4, false, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := DecodeBytes([]byte(plan(c.extra)))
			if err != nil {
				t.Fatal(err)
			}
			r, err := AnalyzeJourney(p)
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Stages) != 3 {
				t.Fatalf("stages %+v", r.Stages)
			}
			x, cu := r.Stages[1], r.Stages[2]
			if strings.Join(x.States, ",") != "b,c" || cu.States[0] != StatePurchase {
				t.Errorf("states %v %v", x.States, cu.States)
			}
			if math.Abs(x.Reach-c.reachX) > 1e-15 || math.Abs(cu.Reach-c.purchase) > 1e-15 {
				t.Errorf("reach %.17g purchase %.17g, want %g %g", x.Reach, cu.Reach, c.reachX, c.purchase)
			}
			if x.Disagree != c.disagreeX || cu.Disagree != c.disagrC {
				t.Errorf("disagree %v %v, want %v %v: %+v %+v", x.Disagree, cu.Disagree, c.disagreeX, c.disagrC, x, cu)
			}
		})
	}
}

func TestJourneyExamplePlan(t *testing.T) {
	b, err := os.ReadFile("examples/journey.json")
	if err != nil {
		t.Fatal(err)
	}
	p, err := DecodeBytes(b)
	if err != nil {
		t.Fatal(err)
	}
	r, err := AnalyzeJourney(p)
	if err != nil {
		t.Fatal(err)
	}
	// Visit stays .3 and moves to lead .035: reach of lead .035/.7 = .05
	// (hand), the funnel's rate; the close rate with a group of 5.4 at
	// .9, calibrated on one buyer, is .25·.566870/.9 = .157464 (MATH.md
	// §i, mixture) while the journey closes 29.9 %: they disagree.
	if len(r.Stages) != 5 || !relClose(*r.Stages[1].ImpliedRate, 0.05, 1e-14) || r.Stages[1].Disagree {
		t.Fatalf("stages %+v", r.Stages)
	}
	last := r.Stages[4]
	if math.Abs(*last.FunnelRate-0.157464) > tolSix || !last.Disagree || r.BuyingGroup == nil {
		t.Errorf("customer %+v, group %+v", last, r.BuyingGroup)
	}
	// Backward moves exist: some state moves to an earlier stage.
	if p.Journey.Transitions["proposal"]["demo"] == 0 {
		t.Error("the example journey has no backward move")
	}
}

func ExampleAnalyzeJourney() {
	p, err := DecodeBytes([]byte(mathFPlan))
	if err != nil {
		fmt.Println(err)
		return
	}
	r, err := AnalyzeJourney(p)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%-9s %8s %6s %6s %8s %6s\n", "state", "P(buy)", "steps", "days", "days|buy", "reach")
	for _, s := range r.States {
		fmt.Printf("%-9s %8.5f %6.3f %6.2f %8.2f %6.3f\n", s.ID, s.PurchaseProbability, s.ExpectedSteps, s.ExpectedDays, *s.ExpectedDaysIfPurchase, s.Reach)
	}
	fmt.Printf("purchases per 100 entrants: %.4f, median %d steps\n", r.Purchases, *r.MedianStepsIfPurchase)
	e, _ := r.Move("evaluate", "lost", "purchase", 0.01)
	fmt.Printf("evaluate: 1 point from lost to purchase: %+.5f (%+.1f %%)\n", e.Exact, 100**e.Relative)
	// Output:
	// state       P(buy)  steps   days days|buy  reach
	// aware      0.06973  3.569  24.98    53.66  1.000
	// consider   0.17433  3.923  27.46    39.66  0.400
	// intent     0.32542  3.322  23.25    26.16  0.214
	// evaluate   0.61792  1.903  13.32    11.97  0.113
	// purchases per 100 entrants: 6.9734, median 7 steps
	// evaluate: 1 point from lost to purchase: +0.00174 (+2.5 %)
}
