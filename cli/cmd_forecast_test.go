package main

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

// mathGPlanJSON is the worked example of MATH.md §g as a plan file.
const mathGPlanJSON = `{"funnelplan": 1, "name": "MATH.md §g", "period": "month", "top": 1000, "order_value": 12000,
  "stages": [{"id": "lead"},
    {"id": "opportunity", "rate": 0.1, "lag": {"dist": "geometric", "mean": 1}},
    {"id": "purchase", "rate": 0.2, "lag": {"dist": "gamma", "shape": 2, "scale": 1}}]}`

func TestForecastCommand(t *testing.T) {
	out, stderr, code := runCmd(t, mathGPlanJSON, "forecast", "--periods", "12", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var r struct {
		Periods []struct {
			Index     *int     `json:"index"`
			Purchases *float64 `json:"purchases"`
			Revenue   *float64 `json:"revenue"`
		} `json:"periods"`
		TimeToClose struct {
			Median int `json:"median"`
			P90    int `json:"p90"`
		} `json:"time_to_close"`
		SteadyState struct {
			Purchases float64 `json:"purchases"`
		} `json:"steady_state"`
		WarmUp int `json:"warm_up"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	// DESIGN.md: periods[] {index, purchases, revenue}; MATH.md §g: revenue
	// m11 = 239 420.30, steady 20/month, warm-up 7, median 3, P90 6.
	if len(r.Periods) != 12 || *r.Periods[11].Index != 11 || math.Abs(*r.Periods[11].Revenue-239420.30) > 0.005 ||
		math.Abs(*r.Periods[0].Purchases-0.9020401) > 1e-7 {
		t.Fatalf("periods %+v", r.Periods)
	}
	if r.SteadyState.Purchases != 20 || r.WarmUp != 7 || r.TimeToClose.Median != 3 || r.TimeToClose.P90 != 6 {
		t.Errorf("%+v", r)
	}
	// A cohort: "1000,0".
	out, _, code = runCmd(t, mathGPlanJSON, "forecast", "--periods", "2", "--inflow", "1000,0", "--format", "csv")
	if code != 0 || !strings.Contains(out, "3.97") {
		t.Errorf("cohort: exit %d\n%s", code, out)
	}
	for _, args := range [][]string{
		{"forecast", "--periods", "24", "../core/examples/journey.json"},
		{"forecast", "--model", "journey", "--format", "md", "../core/examples/journey.json"},
	} {
		if out, stderr, code := runCmd(t, "", args...); code != 0 || !strings.Contains(out, "purchases") {
			t.Errorf("%v: exit %d %s", args, code, stderr)
		}
	}
}

func TestForecastCommandErrors(t *testing.T) {
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"forecast", "--periods", "0"}, 2, "--periods 0"},
		{[]string{"forecast", "--inflow", "10,x"}, 2, `"x" is not a volume`},
		{[]string{"forecast", "--inflow", "-5"}, 2, "not a volume"},
		{[]string{"forecast", "--model", "markov"}, 2, "--model"},
		{[]string{"forecast", "--model", "journey"}, 1, "stdin: forecast: the plan has no journey section"},
	}
	for _, c := range cases {
		_, stderr, code := runCmd(t, mathGPlanJSON, c.args...)
		if code != c.code || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", c.args, code, stderr, c.code, c.want)
		}
	}
}
