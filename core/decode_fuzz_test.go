package core

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// FuzzDecode: decoding any bytes never panics; a plan that decodes
// survives an encode/decode round trip and a Clone unchanged, and every
// computation on it returns a result or an error, never a panic.
//
//	go test -run '^$' -fuzz FuzzDecode ./core
func FuzzDecode(f *testing.F) {
	for _, b := range planFiles(f) {
		f.Add(b)
	}
	seeds, _ := filepath.Glob("testdata/*.json")
	for _, s := range seeds {
		if b, err := os.ReadFile(s); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(claim2))
	f.Add([]byte(`{` + minimal + `, "personas": [{"id": "x", "share": 0.5, "rates": {"lead": 2}}, {"id": "x", "share": "a"}]}`))
	f.Add([]byte(`{"funnelplan": 1, "stages": [{"id": "a"}, "b", {"id": "c", "rate": 1e999}], "top": 1, "top": "x"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		checkSameDecode(t, "the input", b)
		p, err := DecodeBytes(b)
		if loose, lerr := DecodeLoose(b); lerr == nil {
			_ = loose.Validate()
			_, _ = Forward(loose)
			exerciseScenarios(t, loose)
		}
		if err != nil {
			if p != nil {
				t.Fatalf("a plan and an error: %v", err)
			}
			if err.Error() == "" {
				t.Fatalf("an empty error message")
			}
			return
		}
		enc, err := Encode(p)
		if err != nil {
			t.Fatalf("encode: %v", err)
		}
		q, err := DecodeBytes(enc)
		if err != nil {
			t.Fatalf("a valid plan re-decodes with problems: %v\n%s", err, enc)
		}
		if !reflect.DeepEqual(p, q) {
			t.Fatalf("round trip changed the plan:\n%s", enc)
		}
		if !reflect.DeepEqual(p.Clone(), q) {
			t.Fatalf("Clone differs from the round trip:\n%s", enc)
		}
		if _, err := Forward(p); err != nil {
			t.Fatalf("forward of a valid plan: %v", err)
		}
		exerciseScenarios(t, p)
	})
}

// exerciseScenarios runs every scenario, every target a plan names,
// sensitivity, coverage and the comparison: nothing may panic, and no NaN
// or infinity may reach a result returned without an error.
func exerciseScenarios(t *testing.T, p *Plan) {
	_ = p.CheckScenarios()
	for _, s := range p.Scenarios {
		if q, _, err := p.WithScenario(s.ID); err == nil {
			_, _ = Forward(q)
		}
		for _, c := range s.Changes {
			_, _ = p.Get(c.Target)
		}
	}
	for k := range p.Uncertainty {
		_, _ = p.Get(k)
	}
	finite := func(what string, v any, err error) {
		if err == nil {
			if path, bad := findNonFinite(reflect.ValueOf(v)); bad {
				t.Fatalf("%s: %s is not finite", what, path)
			}
		}
	}
	r1, err := Sensitivity(p, SensitivityOptions{})
	finite("sensitivity", r1, err)
	r2, err := Sensitivity(p, SensitivityOptions{Relative: 0.1})
	finite("sensitivity", r2, err)
	r3, err := Coverage(p)
	finite("coverage", r3, err)
	r4, err := Compare(p)
	finite("compare", r4, err)
}
