package main

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

func runJSON(t *testing.T, args ...string) map[string]any {
	t.Helper()
	out, errs, code := runCmd(t, "", args...)
	if code != 0 {
		t.Fatalf("%v: exit %d: %s", args, code, errs)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatalf("%v: %v\n%s", args, err, out)
	}
	return m
}

func TestRunEconomicsJSON(t *testing.T) {
	m := runJSON(t, "run", "--format", "json", "../core/examples/ads.json")
	ec, ok := m["economics"].(map[string]any)
	if !ok {
		t.Fatalf("no economics object: %v", m)
	}
	// MATH.md §1 claim 3: RPM 777 per 1000 impressions; spend 100 000.
	for key, want := range map[string]float64{"rpm_revenue": 777, "spend": 100000, "cpm_cost": 1e8 / 360750, "roas": 2.8030275} {
		got, ok := ec[key].(float64)
		if !ok || math.Abs(got-want) > 1e-6*want {
			t.Errorf("economics.%s = %v, want %v", key, ec[key], want)
		}
	}
	for _, key := range []string{"cpm_cost", "rpm_revenue", "ctr", "cpc", "cpl", "cpa", "cac", "cac_loaded", "aov", "gross_profit", "roas", "roi", "break_even_roas"} {
		if _, ok := ec[key]; !ok {
			t.Errorf("economics lacks %q", key)
		}
	}
	// No leads stage: CPL is null, not 0.
	if ec["cpl"] != nil {
		t.Errorf("economics.cpl = %v, want null", ec["cpl"])
	}
}

func TestRunScenarioResponse(t *testing.T) {
	m := runJSON(t, "run", "--format", "json", "--scenario", "spend-plus-60", "../core/examples/ads.json")
	// MATH.md §1 claim 3 / §c.3: +60 % spend with b = 0.5 -> 354 558.
	if rev := m["revenue"].(float64); math.Abs(rev-354558) > 1 {
		t.Errorf("revenue %v, want 354 558", rev)
	}
	as, _ := m["assumptions"].([]any)
	if len(as) == 0 || !strings.Contains(as[0].(string), "power curve, b = 0.5") {
		t.Errorf("assumptions %v, want the power curve labelled", as)
	}
	out, _, _ := runCmd(t, "", "run", "--scenario", "spend-plus-60", "../core/examples/ads.json")
	for _, want := range []string{"354,558.05", "assumption", "CPM (cost per 1000 impressions)", "Channels (ranked by cost per sale)"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}

func TestRunCallsExpansion(t *testing.T) {
	m := runJSON(t, "run", "--format", "json", "--scenario", "ten-times-traffic", "../core/examples/calls.json")
	stages := m["stages"].([]any)
	// MATH.md §1 claim 1: 2000 visitors -> 40 calls -> 10 sales.
	for i, want := range []float64{2000, 40, 10} {
		if got := stages[i].(map[string]any)["count"].(float64); math.Abs(got-want) > 1e-9 {
			t.Errorf("stage %d count %v, want %v", i, got, want)
		}
	}
}

func TestRunB2BSections(t *testing.T) {
	m := runJSON(t, "run", "--format", "json", examplePlan)
	ec := m["economics"].(map[string]any)
	if ec["ltv"] == nil {
		t.Error("b2b has a retention section but no ltv in the economics")
	}
	out, _, code := runCmd(t, "", "run", "--format", "md", examplePlan)
	if code != 0 || !strings.Contains(out, "### Economics") || !strings.Contains(out, "| LTV |") {
		t.Errorf("markdown output lacks the economics:\n%s", out)
	}
}

func TestWarningsAreAList(t *testing.T) {
	// The JSON contract has warnings[]: an empty list, never null.
	for _, args := range [][]string{
		{"run", "--format", "json", "../core/examples/calls.json"},
		{"reverse", "--format", "json", "--customers", "5", "../core/examples/calls.json"},
		{"sensitivity", "--format", "json", "../core/examples/calls.json"},
	} {
		out, errs, code := runCmd(t, "", args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errs)
		}
		if strings.Contains(out, `"warnings": null`) {
			t.Errorf("%v: warnings is null", args)
		}
	}
}
