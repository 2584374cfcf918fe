package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFitCommand(t *testing.T) {
	// MATH.md §k example as two rows per month (sums Jan [10000, 520, 210,
	// 98, 24], Feb [11000, 600, 230, 120, 33]).
	csv := "period,manager,visit,lead,mql,proposal,customer\n2026-01,anna,6000,300,120,58,14\n2026-01,ben,4000,220,90,40,10\n2026-02,anna,6000,330,125,64,18\n2026-02,ben,5000,270,105,56,15\n"
	dir := t.TempDir()
	planOut := filepath.Join(dir, "fitted.json")
	out, errs, code := runCLI(t, csv, "fit", "--by", "period", "--format", "json", "--plan-out", planOut)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var r struct {
		Steps []struct {
			From, To   string
			Rate, Mean float64
			CILow      float64 `json:"ci_low"`
			CIHigh     float64 `json:"ci_high"`
		} `json:"steps"`
		Comparisons []struct {
			PBBetter float64 `json:"p_b_better"`
			Z        float64 `json:"z"`
			P        float64 `json:"p_value"`
		} `json:"comparisons"`
		PlanOut string `json:"plan_out"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	// MATH.md §k: step 1 P(Feb > Jan) = 0.793341, z = 0.819887, p = 0.412280.
	if len(r.Steps) != 4 || r.Steps[0].From != "visit" || len(r.Comparisons) != 4 ||
		math.Abs(r.Comparisons[0].PBBetter-0.793341) > 5e-7 || math.Abs(r.Comparisons[0].Z-0.819887) > 5e-7 || math.Abs(r.Comparisons[0].P-0.412280) > 5e-7 {
		t.Errorf("result %+v", r)
	}
	if _, errs, code := runCLI(t, "", "validate", planOut); code != 0 {
		t.Errorf("written plan: %s", errs)
	}
	if _, err := os.Stat(planOut); err != nil || r.PlanOut != planOut {
		t.Errorf("plan_out %q: %v", r.PlanOut, err)
	}
	// Every bad cell with file:line:column.
	_, errs, code = runCLI(t, "period,visit,lead\n2026-01,12x,5\n2026-02,5,-1\n", "fit")
	want := "funnelplan: stdin:2:2: \"12x\" is not a whole count\nfunnelplan: stdin:3:3: \"-1\" is negative (want a whole count >= 0)\n"
	if code != 1 || errs != want {
		t.Errorf("exit %d, stderr %q, want %q", code, errs, want)
	}
	if _, _, code := runCLI(t, csv, "fit", "--prior", "flat"); code != 2 {
		t.Errorf("bad prior: exit %d, want 2", code)
	}
	if _, errs, code := runCLI(t, csv, "fit", "--by", "region"); code != 1 || !strings.Contains(errs, "no column \"region\"") {
		t.Errorf("bad --by: exit %d, %q", code, errs)
	}
	// Plan versus actual: a plan with mql at 0.5 is above the data's band
	// [.369124, .439723] for January alone (MATH.md §k).
	planFile := filepath.Join(dir, "plan.json")
	plan := `{"funnelplan": 1, "name": "p", "top": 10000, "stages": [{"id": "visit"}, {"id": "lead", "rate": 0.05}, {"id": "mql", "rate": 0.5}, {"id": "proposal", "rate": 0.4}, {"id": "customer", "rate": 0.25}]}`
	if err := os.WriteFile(planFile, []byte(plan), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errs, code = runCLI(t, "period,visit,lead,mql,proposal,customer\n2026-01,10000,520,210,98,24\n", "fit", "--plan", planFile, "--format", "json")
	var a struct {
		Actual struct {
			Flagged []string `json:"flagged"`
		} `json:"actual"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &a) != nil || strings.Join(a.Actual.Flagged, ",") != "mql,proposal" {
		t.Errorf("plan vs actual: exit %d %s %s", code, errs, out)
	}
	if out, _, code := runCLI(t, "", "fit", "../core/examples/finnish-counts.csv", "--by", "manager"); code != 0 || !strings.Contains(out, "mikko vs aino") {
		t.Errorf("example: exit %d\n%s", code, out)
	}
}
