package core

import (
	"strings"
	"testing"
)

// claim2 is the plan of MATH.md §1 claim 2: 10,000 x [0.01, 0.20, 0.50]
// gives 10 sales.
const claim2 = `{"funnelplan": 1, "name": "claim 2", "top": 10000, "order_value": 1,
 "stages": [{"id": "visit"}, {"id": "site", "rate": 0.01}, {"id": "call", "rate": 0.2}, {"id": "sale", "rate": 0.5}],
 "scenarios": [
  {"id": "site-x3", "changes": [{"target": "stages.site.rate", "op": "mul", "value": 3}]},
  {"id": "all-x3", "changes": [
    {"target": "stages.site.rate", "op": "mul", "value": 3},
    {"target": "stages.call.rate", "op": "mul", "value": 3},
    {"target": "stages.sale.rate", "op": "mul", "value": 3}]},
  {"id": "all-x3-clamped", "base": "", "clamp": true, "changes": [
    {"target": "stages.site.rate", "op": "mul", "value": 3},
    {"target": "stages.call.rate", "op": "mul", "value": 3},
    {"target": "stages.sale.rate", "op": "mul", "value": 3}]},
  {"id": "plus-2pp", "changes": [
    {"target": "stages.site.rate", "op": "add", "value": 0.02},
    {"target": "stages.call.rate", "op": "add", "value": 0.02},
    {"target": "stages.sale.rate", "op": "add", "value": 0.02}]}
 ]}`

// TestScenarioClaim2 checks the numbers of MATH.md §1 claim 2 and §e.
func TestScenarioClaim2(t *testing.T) {
	p := mustDecode(t, []byte(claim2))
	cases := []struct {
		scenario  string
		customers float64 // MATH.md §1 claim 2
		warnings  int
		err       string
	}{
		{"", 10, 0, ""},
		{"site-x3", 30, 0, ""},
		{"all-x3", 0, 0, `scenarios[1].changes[2]: scenario "all-x3": stages.sale.rate: 1.5 is not a rate (want 0..1; set "clamp": true to clamp)`},
		{"all-x3-clamped", 180, 1, ""},
		{"plus-2pp", 34.32, 0, ""},
	}
	for _, c := range cases {
		t.Run(c.scenario, func(t *testing.T) {
			q, warns, err := p.WithScenario(c.scenario)
			if c.err != "" {
				if err == nil || err.Error() != c.err {
					t.Fatalf("error = %v, want %s", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			r, err := Forward(q)
			if err != nil {
				t.Fatal(err)
			}
			if !near(r.Customers, c.customers, relTol) {
				t.Errorf("customers = %v, want %v", r.Customers, c.customers)
			}
			if len(warns) != c.warnings {
				t.Errorf("warnings %q, want %d", warns, c.warnings)
			}
		})
	}
	_, warns, _ := p.WithScenario("all-x3-clamped")
	if want := `scenario "all-x3-clamped": stages.sale.rate: 1.5 clamped to 1`; len(warns) != 1 || warns[0] != want {
		t.Errorf("warning %q, want %q", warns, want)
	}
	// The baseline is untouched by every scenario.
	if r := must(Forward(p)); !near(r.Customers, 10, relTol) {
		t.Errorf("baseline changed: %v customers", r.Customers)
	}
}

// TestScenarioOrder: changes apply in list order (MATH.md §e).
func TestScenarioOrder(t *testing.T) {
	cases := []struct {
		name    string
		changes []Change
		want    float64 // stages.site.rate afterwards, by hand
	}{
		{"set then add", []Change{{"stages.site.rate", "set", 0.1}, {"stages.site.rate", "add", 0.05}}, 0.15},
		{"add then set", []Change{{"stages.site.rate", "add", 0.05}, {"stages.site.rate", "set", 0.1}}, 0.1},
		{"mul then add", []Change{{"stages.site.rate", "mul", 2}, {"stages.site.rate", "add", 0.01}}, 0.03},
		{"add then mul", []Change{{"stages.site.rate", "add", 0.01}, {"stages.site.rate", "mul", 2}}, 0.04},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := mustDecode(t, []byte(claim2))
			p.Scenarios = []Scenario{{ID: "s", Changes: c.changes}}
			q, _, err := p.WithScenario("s")
			if err != nil {
				t.Fatal(err)
			}
			if got := must(q.Get("stages.site.rate")); !near(got, c.want, relTol) {
				t.Errorf("rate = %v, want %v", got, c.want)
			}
		})
	}
}

// TestScenarioBases: a scenario's base applies first, along the chain; a
// cycle of bases is invalid (MATH.md §e).
func TestScenarioBases(t *testing.T) {
	p := mustDecode(t, []byte(claim2))
	p.Scenarios = []Scenario{
		{ID: "c", Base: "b", Changes: []Change{{"top", "add", 1000}}},
		{ID: "a", Changes: []Change{{"top", "set", 2000}}},
		{ID: "b", Base: "a", Changes: []Change{{"top", "mul", 3}}},
	}
	q, _, err := p.WithScenario("c")
	if err != nil {
		t.Fatal(err)
	}
	if q.Top != 7000 { // (2000 * 3) + 1000, base first
		t.Errorf("top = %v, want 7000", q.Top)
	}
	if q.Scenarios != nil {
		t.Errorf("the scenario plan keeps its scenarios")
	}
	p.Scenarios[1].Base = "c" // a -> c -> b -> a
	if err := p.Validate(); err == nil || !strings.Contains(err.Error(), "scenario bases form a cycle") {
		t.Errorf("Validate: %v, want a cycle", err)
	}
	if _, _, err := p.WithScenario("b"); err == nil || !strings.Contains(err.Error(), `scenarios[2].base: scenario "b": scenario bases form a cycle`) {
		t.Errorf("WithScenario: %v, want a cycle", err)
	}
}

// TestScenarioStrict: every kind of failing change names the scenario,
// the change and the target.
func TestScenarioStrict(t *testing.T) {
	cases := []struct {
		name   string
		change Change
		clamp  bool
		want   string // error, or warning with clamp
	}{
		{"rate below 0", Change{"stages.call.rate", "add", -0.5}, false,
			`scenarios[0].changes[0]: scenario "s": stages.call.rate: -0.3 is not a rate (want 0..1; set "clamp": true to clamp)`},
		{"rate below 0 clamped", Change{"stages.call.rate", "add", -0.5}, true,
			`scenario "s": stages.call.rate: -0.3 clamped to 0`},
		{"negative volume", Change{"top", "add", -20000}, false,
			`scenarios[0].changes[0]: scenario "s": top: -10000 is negative (want >= 0)`},
		{"negative volume clamped", Change{"top", "add", -20000}, true,
			`scenario "s": top: -10000 clamped to 0`},
		{"unset value", Change{"margin", "mul", 2}, false,
			`scenarios[0].changes[0]: scenario "s": margin is not set, so it cannot be changed by "mul" (use set)`},
		{"overflow", Change{"top", "mul", 1e308}, false,
			`scenarios[0].changes[0]: scenario "s": top: mul 1e+308 gives +Inf (want a finite number)`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := mustDecode(t, []byte(claim2))
			p.Scenarios = []Scenario{{ID: "s", Clamp: c.clamp, Changes: []Change{c.change}}}
			_, warns, err := p.WithScenario("s")
			got := strings.Join(warns, "\n")
			if err != nil {
				got = err.Error()
			}
			if got != c.want {
				t.Errorf("got  %s\nwant %s", got, c.want)
			}
		})
	}
}

// TestScenarioInvalidResult: a scenario that leaves the plan invalid (shares
// no longer summing to 1) is reported as such.
func TestScenarioInvalidResult(t *testing.T) {
	p := mustDecode(t, []byte(`{`+minimal+`, "personas": [{"id": "x", "share": 0.5}, {"id": "y", "share": 0.5}],
		"scenarios": [{"id": "s", "changes": [{"target": "personas.x.share", "op": "set", "value": 0.7}]}]}`))
	_, _, err := p.WithScenario("s")
	want := `scenarios[0]: scenario "s" gives an invalid plan: personas: shares sum to 1.2 (want 1)`
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
	if ps := p.CheckScenarios(); len(ps) != 1 || ps[0].String() != want {
		t.Errorf("CheckScenarios = %q", ps)
	}
}

func TestCheckScenariosBundled(t *testing.T) {
	for name, b := range planFiles(t) {
		if ps := mustDecode(t, b).CheckScenarios(); ps != nil {
			t.Errorf("%s: %v", name, ps)
		}
	}
}

// TestScenarioSectionE checks the improvement methods of MATH.md §e as
// scenarios on the plan of the sensitivity example (R_0 = 300,000).
func TestScenarioSectionE(t *testing.T) {
	stretch := func(ids ...string) []Change {
		var cs []Change
		for _, id := range ids {
			cs = append(cs, Change{"stages." + id + ".rate", "mul", 1.2})
		}
		return cs
	}
	all := []string{"lead", "mql", "proposal", "customer"}
	cases := []struct {
		name     string
		proposal float64 // the proposal rate before the scenario: 0.5, or 0.9
		changes  []Change
		clamp    bool
		revenue  float64   // MATH.md §e
		rates    []float64 // MATH.md §e, when given
		err      string
		warns    int
	}{
		{"expansion x2", 0.5, []Change{{"top", "mul", 2}}, false, 600000, nil, "", 0},
		// x1.2^4 = 2.0736.
		{"stretch x1.2", 0.5, stretch(all...), false, 622080, nil, "", 0},
		{"stretch x1.2 on [.05, .4, .9, .25] strict", 0.9, stretch(all...), false, 0, nil,
			`scenarios[0].changes[2]: scenario "s": stages.proposal.rate: 1.08 is not a rate (want 0..1; set "clamp": true to clamp)`, 0},
		// 10000 x 0.06 x 0.48 x 1 x 0.3 x 12000.
		{"stretch x1.2 on [.05, .4, .9, .25] clamped", 0.9, stretch(all...), true, 10000 * 0.06 * 0.48 * 0.3 * 12000,
			[]float64{0.06, 0.48, 1, 0.3}, "", 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := mustDecode(t, []byte(sectionE))
			p.Stages[3].Rate = F(c.proposal)
			p.Scenarios = []Scenario{{ID: "s", Changes: c.changes, Clamp: c.clamp}}
			q, warns, err := p.WithScenario("s")
			if c.err != "" {
				if err == nil || err.Error() != c.err {
					t.Fatalf("error %v, want %s", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if r := must(Forward(q)); !near(r.Revenue, c.revenue, relTol) {
				t.Errorf("revenue %v, want %v", r.Revenue, c.revenue)
			}
			for i, w := range c.rates {
				if g := *q.Stages[i+1].Rate; !near(g, w, relTol) {
					t.Errorf("rate %d = %v, want %v", i+1, g, w)
				}
			}
			if len(warns) != c.warns {
				t.Errorf("warnings %q, want %d", warns, c.warns)
			}
		})
	}
}
