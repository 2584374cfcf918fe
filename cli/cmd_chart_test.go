package main

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const examplePlan = "../core/examples/b2b.json"

// runCmd runs the command line with buffers and returns stdout, stderr and
// the exit status.
func runCmd(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	code := exitCode(err, &errb)
	return out.String(), errb.String(), code
}

// wellFormed reports whether s parses as XML.
func wellFormed(s string) error {
	d := xml.NewDecoder(strings.NewReader(s))
	for {
		_, err := d.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

func TestChartKinds(t *testing.T) {
	for _, kind := range chartKinds {
		for _, theme := range []string{"screen", "print", "presentation"} {
			t.Run(kind+"/"+theme, func(t *testing.T) {
				plan := examplePlan
				switch kind {
				case "journey", "forecast":
					plan = "../core/examples/journey.json"
				case "distribution":
					plan = uncertainPlan(t)
				case "fit":
					plan = "../core/examples/finnish-counts.csv"
				}
				out, errs, code := runCmd(t, "", "chart", "--kind", kind, "--theme", theme, "--trials", "1000", plan)
				if code != 0 {
					t.Fatalf("exit %d: %s", code, errs)
				}
				if !strings.HasPrefix(out, "<?xml") || !strings.Contains(out, "<svg") {
					t.Errorf("output is not an SVG document: %.60q", out)
				}
				if err := wellFormed(out); err != nil {
					t.Errorf("not well-formed: %v", err)
				}
			})
		}
	}
}

// uncertainPlan writes the b2b example with an uncertain top and lead
// rate to a temporary file.
func uncertainPlan(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(examplePlan)
	if err != nil {
		t.Fatal(err)
	}
	unc := `"uncertainty": {"top": {"lognormal": {"median": 10000, "sigma": 0.2}}, "stages.lead.rate": {"pert": {"min": 0.03, "mode": 0.05, "max": 0.08}}},`
	b = bytes.Replace(b, []byte(`"scenarios": [`), []byte(unc+"\n  \"scenarios\": ["), 1)
	path := filepath.Join(t.TempDir(), "uncertain.json")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestChartFileAndScenario(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "funnel.svg")
	_, errs, code := runCmd(t, "", "chart", "--scenario", "more-traffic", "-o", path, examplePlan)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// Doubling the traffic doubles the top: 20,000 visits (b2b.json top 10,000).
	if !bytes.Contains(b, []byte(">20,000<")) || !bytes.Contains(b, []byte("Double the traffic")) {
		t.Errorf("scenario chart lacks the doubled top or the scenario name")
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*.tmp")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

func TestChartStdin(t *testing.T) {
	plan, err := os.ReadFile(examplePlan)
	if err != nil {
		t.Fatal(err)
	}
	out, errs, code := runCmd(t, string(plan), "chart", "-")
	if code != 0 || !strings.Contains(out, "<svg") {
		t.Fatalf("exit %d: %s", code, errs)
	}
}

func TestChartErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"unknown kind", []string{"chart", "--kind", "pie", examplePlan}, 2, `--kind "pie" is not a chart kind`},
		{"unknown theme", []string{"chart", "--theme", "neon", examplePlan}, 2, `"neon" is not a theme`},
		{"unknown layout", []string{"chart", "--layout", "round", examplePlan}, 2, `"round" is not a layout`},
		{"bad width", []string{"chart", "--width", "-3", examplePlan}, 2, "is not a width"},
		{"two files", []string{"chart", examplePlan, examplePlan}, 2, "want one file"},
		{"unknown scenario", []string{"chart", "--scenario", "nope", examplePlan}, 1, `no scenario has id "nope"`},
		{"missing file", []string{"chart", "nope.json"}, 1, "nope.json"},
		{"no journey", []string{"chart", "--kind", "journey", examplePlan}, 1, "no journey section"},
		{"no uncertainty", []string{"chart", "--kind", "distribution", examplePlan}, 1, "nothing to simulate"},
		{"bad metric", []string{"chart", "--kind", "distribution", "--metric", "profit", examplePlan}, 2, `"profit" is not a metric`},
		{"bad forecast metric", []string{"chart", "--kind", "forecast", "--metric", "customers", examplePlan}, 2, `"customers" is not a forecast metric`},
		{"fit of a plan", []string{"chart", "--kind", "fit", examplePlan}, 1, "b2b.json"},
		{"bad periods", []string{"chart", "--kind", "forecast", "--periods", "0", examplePlan}, 1, "periods"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, errs, code := runCmd(t, "", tc.args...)
			if code != tc.code || !strings.Contains(errs, tc.msg) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, errs, tc.code, tc.msg)
			}
		})
	}
}

func TestChartForecastBand(t *testing.T) {
	// A plan with ranges gets the Monte Carlo P10-P90 band per period; a
	// plan without ranges does not.
	out, errs, code := runCmd(t, "", "chart", "--kind", "forecast", "--periods", "6", "--trials", "500", uncertainPlan(t))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "P10–P90 range") {
		t.Error("forecast of an uncertain plan has no P10–P90 band")
	}
	out, errs, code = runCmd(t, "", "chart", "--kind", "forecast", "--periods", "6", examplePlan)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if strings.Contains(out, "P10–P90 range") {
		t.Error("forecast of a plan without ranges draws a band")
	}
}
