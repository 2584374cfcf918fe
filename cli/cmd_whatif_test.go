package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// claim2Plan is MATH.md §1 claim 2: 10,000 x [0.01, 0.20, 0.50] = 10 sales;
// site x3 -> 30; all x3 is invalid (strict) or 180 (clamped); +2 points at
// each level -> 34.32.
const claim2Plan = `{"funnelplan": 1, "name": "claim 2", "top": 10000, "order_value": 100,
 "stages": [{"id": "visit"}, {"id": "site", "rate": 0.01}, {"id": "call", "rate": 0.2}, {"id": "sale", "rate": 0.5}],
 "scenarios": [
  {"id": "site-x3", "changes": [{"target": "stages.site.rate", "op": "mul", "value": 3}]},
  {"id": "all-x3", "changes": [{"target": "stages.site.rate", "op": "mul", "value": 3},
    {"target": "stages.call.rate", "op": "mul", "value": 3}, {"target": "stages.sale.rate", "op": "mul", "value": 3}]},
  {"id": "all-x3-clamped", "clamp": true, "changes": [{"target": "stages.site.rate", "op": "mul", "value": 3},
    {"target": "stages.call.rate", "op": "mul", "value": 3}, {"target": "stages.sale.rate", "op": "mul", "value": 3}]},
  {"id": "plus-2pp", "changes": [{"target": "stages.site.rate", "op": "add", "value": 0.02},
    {"target": "stages.call.rate", "op": "add", "value": 0.02}, {"target": "stages.sale.rate", "op": "add", "value": 0.02}]}]}`

// sectionEPlan is the sensitivity example of MATH.md §e (R_0 = 300,000).
const sectionEPlan = `{"funnelplan": 1, "name": "webinar", "top": 10000, "order_value": 12000, "margin": 0.6,
 "stages": [{"id": "visitor", "unit_cost": 15},
  {"id": "lead", "rate": 0.05, "benchmark": 0.03, "unit_cost": 400},
  {"id": "mql", "rate": 0.4, "benchmark": 0.5, "unit_cost": 600},
  {"id": "proposal", "rate": 0.5, "benchmark": 0.5, "capacity": 80},
  {"id": "customer", "rate": 0.25, "benchmark": 0.3}]}`

// writePlan writes a plan into a temporary directory and returns its path.
func writePlan(t *testing.T, name, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func decodeJSON(t *testing.T, s string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(s), v); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, s)
	}
}

func TestValidateCommand(t *testing.T) {
	bad := writePlan(t, "bad.json", `{"funnelplan": 1, "name": "t", "top": -5,
  "stages": [{"id": "a"}, {"id": "b", "rat": 0.5}, {"id": "c", "rate": 1.4}],
  "personas": [{"id": "x", "share": 0.5}, {"id": "x", "share": 0.4}]}`)
	syntax := writePlan(t, "syntax.json", "{\n  \"top\": 1,\n  \"x\": tru\n}")
	strict := writePlan(t, "strict.json", claim2Plan)
	newer := writePlan(t, "newer.json", `{"funnelplan": 9, "name": "t", "top": 1, "stages": [{"id": "a"}, {"id": "b", "rate": 0.5}]}`)
	tests := []struct {
		name   string
		args   []string
		stdin  string
		code   int
		stdout string   // regexp
		stderr []string // exact lines
	}{
		{"valid", []string{"validate", "testdata/small.json"}, "", 0, `^testdata/small.json: ok \("Newsletter shop", 3 stages`, nil},
		{"valid stdin", []string{"validate", "-"}, `{"funnelplan": 1, "name": "s", "top": 1, "stages": [{"id": "a"}, {"id": "b", "rate": 0.5}]}`, 0, `^stdin: ok`, nil},
		{"every problem", []string{"validate", bad}, "", 1, `^$`, []string{
			"funnelplan: " + bad + ": stages[1].rat: unknown field (want one of id, name, rate, benchmark, capacity, unit_cost, lag, role)",
			"funnelplan: " + bad + ": top: -5 is negative (want a volume >= 0)",
			"funnelplan: " + bad + ": stages[1].rate: missing rate (want the share of the previous stage, 0..1)",
			"funnelplan: " + bad + ": stages[2].rate: 1.4 is not a rate (want 0..1)",
			"funnelplan: " + bad + ": personas[1].id: duplicate id \"x\"",
			"funnelplan: " + bad + ": personas: shares sum to 0.9 (want 1)",
		}},
		{"syntax", []string{"validate", syntax}, "", 1, `^$`, []string{
			"funnelplan: " + syntax + ": 3:11: invalid character '\\n' in literal true (expecting 'e')"}},
		{"newer version", []string{"validate", newer}, "", 1, `^$`, []string{
			"funnelplan: " + newer + ": funnelplan: version 9 is newer than this reader (want 1..1; update funnelplan)"}},
		{"strict scenario", []string{"validate", strict}, "", 1, `^$`, []string{
			"funnelplan: " + strict + `: scenarios[1].changes[2]: scenario "all-x3": stages.sale.rate: 1.5 is not a rate (want 0..1; set "clamp": true to clamp)`}},
		{"missing file", []string{"validate", "testdata/nope.json"}, "", 1, `^$`, []string{"funnelplan: testdata/nope.json: no such file or directory"}},
		{"two files", []string{"validate", "a", "b"}, "", 2, `^$`, []string{"funnelplan: validate: want one file, got 2: a b"}},
		{"bad format", []string{"validate", "--format", "csv", "testdata/small.json"}, "", 2, `^$`, []string{`funnelplan: --format "csv" is not a format for validate (want table or json)`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errs, code := runCmd(t, tt.stdin, tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d (stderr %q)", code, tt.code, errs)
			}
			if !regexp.MustCompile(tt.stdout).MatchString(out) {
				t.Errorf("stdout %q does not match %q", out, tt.stdout)
			}
			if got := strings.TrimSuffix(errs, "\n"); tt.stderr != nil && got != strings.Join(tt.stderr, "\n") {
				t.Errorf("stderr:\n%s\nwant:\n%s", got, strings.Join(tt.stderr, "\n"))
			}
		})
	}
}

func TestValidateJSON(t *testing.T) {
	strict := writePlan(t, "strict.json", claim2Plan)
	out, _, code := runCmd(t, "", "validate", "--format", "json", strict)
	var r struct {
		File     string `json:"file"`
		Valid    bool   `json:"valid"`
		Problems []struct {
			Path    string `json:"path"`
			Message string `json:"message"`
		} `json:"problems"`
	}
	decodeJSON(t, out, &r)
	if code != 1 || r.Valid || r.File != strict || len(r.Problems) != 1 || r.Problems[0].Path != "scenarios[1].changes[2]" {
		t.Errorf("exit %d, %+v", code, r)
	}
	out, _, code = runCmd(t, "", "validate", "--format", "json", "testdata/small.json")
	decodeJSON(t, out, &r)
	if code != 0 || !r.Valid || len(r.Problems) != 0 || !strings.Contains(out, `"problems": []`) {
		t.Errorf("exit %d, %s", code, out)
	}
}

func TestCompareCommand(t *testing.T) {
	out, errs, code := runCmd(t, claim2Plan, "compare", "--format", "json", "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var r struct {
		Plan      string `json:"plan"`
		Scenarios []struct {
			ID         string   `json:"id"`
			Name       string   `json:"name"`
			Customers  *float64 `json:"customers"`
			Revenue    *float64 `json:"revenue"`
			RelRevenue *float64 `json:"rel_revenue"`
			Warnings   []string `json:"warnings"`
			Error      string   `json:"error"`
			Path       string   `json:"path"`
		} `json:"scenarios"`
	}
	decodeJSON(t, out, &r)
	// MATH.md §1 claim 2: 10, 30, invalid, 180 (clamped), 34.32.
	want := []struct {
		id        string
		customers float64
	}{{"baseline", 10}, {"site-x3", 30}, {"all-x3", math.NaN()}, {"all-x3-clamped", 180}, {"plus-2pp", 34.32}}
	if r.Plan != "claim 2" || len(r.Scenarios) != len(want) {
		t.Fatalf("%+v", r)
	}
	for k, w := range want {
		s := r.Scenarios[k]
		if s.ID != w.id {
			t.Errorf("row %d is %q, want %q", k, s.ID, w.id)
		}
		if math.IsNaN(w.customers) {
			if s.Customers != nil || s.Revenue != nil || s.Path != "scenarios[1].changes[2]" || !strings.Contains(s.Error, "1.5 is not a rate") {
				t.Errorf("row %s: %+v", s.ID, s)
			}
			continue
		}
		if s.Customers == nil || math.Abs(*s.Customers-w.customers) > 1e-9*w.customers || math.Abs(*s.Revenue-100*w.customers) > 1e-9*w.customers*100 {
			t.Errorf("row %s: customers %v revenue %v, want %v", s.ID, s.Customers, s.Revenue, w.customers)
		}
	}
	if w := r.Scenarios[3].Warnings; len(w) != 1 || w[0] != `scenario "all-x3-clamped": stages.sale.rate: 1.5 clamped to 1` {
		t.Errorf("clamp warning %q", w)
	}
	// The table shows the failing scenario's error in a note.
	out, _, code = runCmd(t, claim2Plan, "compare")
	if code != 0 || !regexp.MustCompile(`\nall-x3 +error: scenarios\[1\]\.changes\[2\]: scenario "all-x3": stages\.sale\.rate: 1\.5 is not a rate`).MatchString(out) {
		t.Errorf("exit %d, table:\n%s", code, out)
	}
}

func TestSensitivityCommand(t *testing.T) {
	plan := writePlan(t, "e.json", sectionEPlan)
	type result struct {
		Metric  string  `json:"metric"`
		Base    float64 `json:"base"`
		Mode    string  `json:"mode"`
		Effects []struct {
			Target     string  `json:"target"`
			Low        float64 `json:"low"`
			High       float64 `json:"high"`
			LowChange  float64 `json:"low_change"`
			HighChange float64 `json:"high_change"`
		} `json:"effects"`
		KeyLevel struct {
			Stage string `json:"stage"`
		} `json:"key_level"`
		Bottlenecks struct {
			Benchmark struct{ Stage string } `json:"benchmark"`
			Marginal  struct{ Stage string } `json:"marginal"`
			Capacity  struct {
				Stage string  `json:"stage"`
				Lost  float64 `json:"lost"`
			} `json:"capacity"`
		} `json:"bottlenecks"`
	}
	out, errs, code := runCmd(t, "", "sensitivity", "--format", "json", plan)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var r result
	decodeJSON(t, out, &r)
	// MATH.md §e with capacity 80 proposals: R = 240,000; the excess of
	// 20 proposals costs 60,000. Raising the customer rate 1 point adds
	// 80 x 0.01 x 12,000 = 9,600; raising rates before the full stage
	// adds nothing. Benchmarks: lead -> MQL (ratio 0.8).
	if r.Metric != "revenue" || math.Abs(r.Base-240000) > 1e-6 || r.Mode != "step" {
		t.Errorf("base %s %v %s", r.Metric, r.Base, r.Mode)
	}
	// The full stage absorbs every change before it: order value ±10 %
	// (±24,000) and the customer rate ±1 point (±9,600) lead; the top and
	// the rates before the proposal stage move nothing.
	want := []struct {
		target string
		change float64
	}{{"order_value", 24000}, {"stages.customer.rate", 9600}, {"top", 0}, {"stages.lead.rate", 0}, {"stages.mql.rate", 0}, {"stages.proposal.rate", 0}}
	for k, w := range want {
		if e := r.Effects[k]; e.Target != w.target || math.Abs(e.HighChange-w.change) > 1e-6 || math.Abs(e.LowChange+w.change) > 1e-6 {
			t.Errorf("effects[%d] = %+v, want %s ±%v", k, e, w.target, w.change)
		}
	}
	if r.Bottlenecks.Capacity.Stage != "proposal" || math.Abs(r.Bottlenecks.Capacity.Lost-60000) > 1e-6 ||
		r.Bottlenecks.Benchmark.Stage != "mql" || r.Bottlenecks.Marginal.Stage != "customer" {
		t.Errorf("bottlenecks %+v", r.Bottlenecks)
	}

	// Without the capacity: the numbers of MATH.md §e.
	plan = writePlan(t, "e.json", strings.Replace(sectionEPlan, `, "capacity": 80`, "", 1))
	out, _, _ = runCmd(t, "", "sensitivity", "--format", "json", "--relative", "0.1", plan)
	r = result{}
	decodeJSON(t, out, &r)
	if r.Mode != "relative" || len(r.Effects) != 6 || r.KeyLevel.Stage != "mql" || r.Bottlenecks.Marginal.Stage != "lead" {
		t.Errorf("%+v", r)
	}
	for _, e := range r.Effects {
		if math.Abs(e.HighChange-30000) > 1e-6 || math.Abs(e.LowChange+30000) > 1e-6 {
			t.Errorf("%s: %v %v, want ±30,000 (MATH.md §e)", e.Target, e.LowChange, e.HighChange)
		}
	}

	for _, bad := range [][]string{
		{"--step", "0.01", "--relative", "0.1"},
		{"--step", "2"},
		{"--step", "0"},
		{"--relative", "-0.1"},
		{"--relative", "NaN"},
	} {
		_, errs, code := runCmd(t, "", append(append([]string{"sensitivity"}, bad...), plan)...)
		if code != 2 || !strings.HasPrefix(errs, "funnelplan: sensitivity: ") {
			t.Errorf("%v: exit %d %q, want a usage error", bad, code, errs)
		}
	}
	if _, errs, code := runCmd(t, "", "sensitivity", "--scenario", "nope", plan); code != 1 || !strings.Contains(errs, `no scenario has id "nope"`) {
		t.Errorf("unknown scenario: exit %d %q", code, errs)
	}
}
