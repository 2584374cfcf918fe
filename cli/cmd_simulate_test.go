package main

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"strings"
	"testing"
)

// runCLI runs the command line with buffers.
func runCLI(t *testing.T, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	code = exitCode(err, &errb)
	return out.String(), errb.String(), code
}

func TestSimulateCommand(t *testing.T) {
	out, errs, code := runCLI(t, "", "simulate", "testdata/simulate-plan.json", "--trials", "20000", "--seed", "42", "--goal", "300000", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var r struct {
		Trials  int `json:"trials"`
		Revenue struct {
			Mean, SE, P10, P50, P90 float64
		} `json:"revenue"`
		Customers struct{ Mean float64 } `json:"customers"`
		Stages    []struct {
			ID   string  `json:"id"`
			Mean float64 `json:"mean"`
		} `json:"stages"`
		PGoal *float64 `json:"p_goal"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	// MATH.md §j: analytic E[R] = 316 262.42; the mean lies within 4 SE.
	if r.Trials != 20000 || math.Abs(r.Revenue.Mean-316262.42) > 4*r.Revenue.SE {
		t.Errorf("trials %d, mean %.2f ± %.2f, want 20000 and 316262.42 within 4 SE", r.Trials, r.Revenue.Mean, r.Revenue.SE)
	}
	if len(r.Stages) != 5 || r.Stages[4].ID != "customer" || r.PGoal == nil {
		t.Errorf("stages %+v, p_goal %v", r.Stages, r.PGoal)
	}
	// The same seed gives the same output.
	again, _, _ := runCLI(t, "", "simulate", "testdata/simulate-plan.json", "--trials", "20000", "--seed", "42", "--goal", "300000", "--format", "json", "--workers", "1")
	if again != out {
		t.Error("same seed, other output")
	}
	// Forecast bands: without lags every period has the customers' band.
	fout, errs, code := runCLI(t, "", "simulate", "testdata/simulate-plan.json", "--trials", "2000", "--periods", "2", "--format", "json")
	var fr struct {
		Customers struct{ P50 float64 } `json:"customers"`
		Forecast  struct {
			Periods []struct {
				Purchases struct{ P50 float64 } `json:"purchases"`
			} `json:"periods"`
		} `json:"forecast"`
	}
	if code != 0 || json.Unmarshal([]byte(fout), &fr) != nil || len(fr.Forecast.Periods) != 2 || math.Abs(fr.Forecast.Periods[1].Purchases.P50-fr.Customers.P50) > 1e-9 {
		t.Errorf("forecast bands: exit %d %s %+v", code, errs, fr)
	}
	// --compare on the bundled example: every scenario, paired.
	cout, errs, code := runCLI(t, "", "simulate", "../core/examples/b2b.json", "--trials", "500", "--compare", "--format", "json")
	var cr struct {
		Compare []struct {
			ID      string  `json:"id"`
			PBetter float64 `json:"p_better"`
		} `json:"compare"`
	}
	if code != 0 || json.Unmarshal([]byte(cout), &cr) != nil || len(cr.Compare) == 0 || cr.Compare[0].ID != "more-traffic" || cr.Compare[0].PBetter != 1 {
		t.Errorf("compare: exit %d %s %+v", code, errs, cr)
	}
	for _, bad := range [][]string{{"--trials", "0"}, {"--format", "xml"}, {"--trials", "x"}, {"--periods", "-1"}, {"--compare", "--scenario", "x"}} {
		if _, _, code := runCLI(t, "", append([]string{"simulate", "testdata/simulate-plan.json"}, bad...)...); code != 2 {
			t.Errorf("%v: exit %d, want 2", bad, code)
		}
	}
	if _, errs, code := runCLI(t, `{"funnelplan":1}`, "simulate"); code != 1 || !strings.Contains(errs, "stdin") {
		t.Errorf("invalid plan: exit %d, %q", code, errs)
	}
}
