package core

import (
	"errors"
	"math"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/funnelplan/funnelplan/core/examples"
)

// planFiles returns every bundled example and the test plan with every
// section filled, by name.
func planFiles(t testing.TB) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	for _, n := range examples.Names() {
		b, ok := examples.Get(n)
		if !ok {
			t.Fatalf("example %q listed but missing", n)
		}
		files["examples/"+n] = b
	}
	b, err := os.ReadFile("testdata/full.json")
	if err != nil {
		t.Fatal(err)
	}
	files["testdata/full"] = b
	return files
}

func mustDecode(t testing.TB, b []byte) *Plan {
	t.Helper()
	p, err := DecodeBytes(b)
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	return p
}

func TestDecodeBundled(t *testing.T) {
	for name, b := range planFiles(t) {
		t.Run(name, func(t *testing.T) {
			p := mustDecode(t, b)
			if p.Version != Version || len(p.Stages) < 2 {
				t.Errorf("decoded %+v", p)
			}
		})
	}
}

// TestRoundTrip: decode -> encode -> decode gives the same plan, and a
// second encoding gives the same bytes.
func TestRoundTrip(t *testing.T) {
	for name, b := range planFiles(t) {
		t.Run(name, func(t *testing.T) {
			p := mustDecode(t, b)
			enc, err := Encode(p)
			if err != nil {
				t.Fatal(err)
			}
			q := mustDecode(t, enc)
			if !reflect.DeepEqual(p, q) {
				t.Errorf("round trip changed the plan:\nbefore %+v\nafter  %+v", p, q)
			}
			enc2, err := Encode(q)
			if err != nil {
				t.Fatal(err)
			}
			if string(enc) != string(enc2) {
				t.Errorf("second encoding differs:\n%s\n%s", enc, enc2)
			}
		})
	}
}

// TestCloneMatchesJSON: Clone equals a JSON round trip (so no field is
// forgotten) and shares no memory with the original.
func TestCloneMatchesJSON(t *testing.T) {
	for name, b := range planFiles(t) {
		t.Run(name, func(t *testing.T) {
			p := mustDecode(t, b)
			viaJSON := mustDecode(t, must(Encode(p)))
			c := p.Clone()
			if !reflect.DeepEqual(c, viaJSON) {
				t.Fatalf("Clone differs from a JSON round trip:\nclone %+v\njson  %+v", c, viaJSON)
			}
			before := string(must(Encode(p)))
			scribble(reflect.ValueOf(c).Elem())
			if after := string(must(Encode(p))); after != before {
				t.Errorf("changing the clone changed the original:\n%s\n%s", before, after)
			}
		})
	}
}

// scribble overwrites every number, string and bool reachable from v,
// through pointers, slices and maps, so shared memory shows up.
func scribble(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			scribble(v.Elem())
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				scribble(v.Field(i))
			}
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			scribble(v.Index(i))
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			e := v.MapIndex(k)
			switch e.Kind() {
			case reflect.Float64:
				v.SetMapIndex(k, reflect.ValueOf(e.Float()+7))
			case reflect.Map:
				scribble(e)
			}
		}
	case reflect.Float64:
		v.SetFloat(v.Float() + 7)
	case reflect.Int:
		v.SetInt(v.Int() + 7)
	case reflect.String:
		v.SetString(v.String() + "~")
	case reflect.Bool:
		v.SetBool(!v.Bool())
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// problemStrings returns the "path: message" lines of a Problems error.
func problemStrings(t *testing.T, err error) []string {
	t.Helper()
	var ps Problems
	if !errors.As(err, &ps) {
		t.Fatalf("want Problems, got %T: %v", err, err)
	}
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = p.String()
	}
	return s
}

const minimal = `"funnelplan": 1, "name": "t", "top": 1000,
  "stages": [{"id": "visit"}, {"id": "lead", "rate": 0.1}, {"id": "sale", "rate": 0.5}]`

// The fields an unknown-field message lists grow with the format.
var (
	planFields  = strings.Join(fieldNames(reflect.TypeFor[Plan]()), ", ")
	stageFields = strings.Join(fieldNames(reflect.TypeFor[Stage]()), ", ")
)

// TestDecodeProblems: every problem is reported with its JSON path, shape
// and semantic problems together (docs/plan-format.md, "Validation").
func TestDecodeProblems(t *testing.T) {
	cases := []struct {
		name string
		json string
		want []string // exactly these problems, in this order
	}{
		{"missing version", `{"name": "t", "top": 1, "stages": [{"id": "a"}, {"id": "b", "rate": 0.5}]}`,
			[]string{`funnelplan: missing version (want 1)`}},
		{"newer version", `{"funnelplan": 2, "name": "t", "top": 1, "stages": [{"id": "a"}, {"id": "b", "rate": 0.5}]}`,
			[]string{`funnelplan: version 2 is newer than this reader (want 1..1; update funnelplan)`}},
		{"negative version", `{"funnelplan": -1, "name": "t", "top": 1, "stages": [{"id": "a"}, {"id": "b", "rate": 0.5}]}`,
			[]string{`funnelplan: -1 is not a version (want 1..1)`}},
		{"version not whole", `{"funnelplan": 1.5, "name": "t", "top": 1, "stages": [{"id": "a"}, {"id": "b", "rate": 0.5}]}`,
			[]string{`funnelplan: 1.5 is not a whole number`}},
		{"rate above 1", `{"funnelplan": 1, "name": "t", "top": 1, "stages": [{"id": "a"}, {"id": "b", "rate": 0.5}, {"id": "c", "rate": 1.4}]}`,
			[]string{`stages[2].rate: 1.4 is not a rate (want 0..1)`}},
		{"rate below 0 and missing", `{"funnelplan": 1, "name": "t", "top": 1, "stages": [{"id": "a"}, {"id": "b", "rate": -0.1}, {"id": "c"}]}`,
			[]string{`stages[1].rate: -0.1 is not a rate (want 0..1)`, `stages[2].rate: missing rate (want the share of the previous stage, 0..1)`}},
		{"top rate", `{"funnelplan": 1, "name": "t", "top": 1, "stages": [{"id": "a", "rate": 1}, {"id": "b", "rate": 0.5}]}`,
			[]string{`stages[0].rate: stage 0 is the top and has no rate (set "top" instead)`}},
		{"too few stages", `{"funnelplan": 1, "name": "t", "top": 1, "stages": [{"id": "a"}]}`,
			[]string{`stages: 1 stages (want at least 2: the top and one more)`}},
		{"negative volume and money", `{` + minimal + `, "order_value": -5, "spend": -1, "other_costs": -2, "margin": 1.2, "top": -3}`,
			[]string{`top: -3 is negative (want a volume >= 0)`, `order_value: -5 is negative (want a money amount >= 0)`,
				`margin: 1.2 is not a rate (want 0..1)`, `spend: -1 is negative (want a money amount >= 0)`,
				`other_costs: -2 is negative (want a money amount >= 0)`}},
		{"infinite number", `{` + minimal + `, "order_value": 1e999}`,
			[]string{`order_value: 1e999 is not a finite number`}},
		{"unknown fields", `{` + minimal + `, "orderValue": 5}`,
			[]string{`orderValue: unknown field (want one of ` + planFields + `)`}},
		{"typo in a stage and a bad rate reported together", `{"funnelplan": 1, "name": "t", "top": 1, "stages": [{"id": "a"}, {"id": "b", "rat": 0.5}, {"id": "c", "rate": 7}]}`,
			[]string{`stages[1].rat: unknown field (want one of ` + stageFields + `)`,
				`stages[1].rate: missing rate (want the share of the previous stage, 0..1)`,
				`stages[2].rate: 7 is not a rate (want 0..1)`}},
		{"wrong type hides its own semantic problem only", `{"funnelplan": 1, "name": "t", "top": "many", "stages": [{"id": "a"}, {"id": "b", "rate": "5%"}, {"id": "c", "rate": 2}]}`,
			[]string{`stages[1].rate: want a number, got the string "5%"`, `top: want a number, got the string "many"`,
				`stages[2].rate: 2 is not a rate (want 0..1)`}},
		{"stage that is not an object keeps the indexes", `{"funnelplan": 1, "name": "t", "top": 1, "stages": [{"id": "a"}, "lead", {"id": "c", "rate": -1}]}`,
			[]string{`stages[1]: want an object, got the string "lead"`, `stages[2].rate: -1 is not a rate (want 0..1)`}},
		{"duplicate ids", `{"funnelplan": 1, "name": "t", "top": 1, "stages": [{"id": "a"}, {"id": "a", "rate": 0.5}, {"rate": 0.5}],
			"personas": [{"id": "x", "share": 0.5}, {"id": "x", "share": 0.5}],
			"scenarios": [{"id": "s", "changes": []}, {"id": "s", "changes": []}]}`,
			[]string{`stages[1].id: duplicate id "a"`, `stages[2].id: missing id`, `personas[1].id: duplicate id "x"`, `scenarios[1].id: duplicate id "s"`}},
		{"persona shares", `{` + minimal + `, "personas": [{"id": "x", "share": 0.5}, {"id": "y", "share": 0.4}]}`,
			[]string{`personas: shares sum to 0.9 (want 1)`}},
		{"persona share and rates", `{` + minimal + `, "personas": [{"id": "x", "share": 1.5, "rates": {"nope": 0.5, "visit": 0.2, "sale": 3}}, {"id": "y", "share": -0.5, "order_value": -1}]}`,
			[]string{`personas[0].share: 1.5 is not a rate (want 0..1)`, `personas[0].rates.nope: no stage has id "nope"`,
				`personas[0].rates.sale: 3 is not a rate (want 0..1)`, `personas[0].rates.visit: stage "visit" is the top and has no rate`,
				`personas[1].share: -0.5 is not a rate (want 0..1)`, `personas[1].order_value: -1 is negative (want a money amount >= 0)`}},
		{"dangling coverage", `{` + minimal + `, "coverage": {"ghost": {"visit": 1}, "all": {"nowhere": 1, "lead": -1}}}`,
			[]string{`coverage.all.lead: -1 is negative (want a count of content items >= 0)`, `coverage.all.nowhere: no stage has id "nowhere"`,
				`coverage.ghost: no persona has id "ghost"`}},
		{"scenario targets", `{` + minimal + `, "scenarios": [{"id": "s", "base": "zz", "changes": [
			{"target": "stages.nope.rate", "op": "add", "value": 0.1},
			{"target": "stages.visit.rate", "op": "set", "value": 0.1},
			{"target": "topp", "op": "mul", "value": 2},
			{"target": "top", "op": "pow", "value": 2}]}]}`,
			[]string{`scenarios[0].base: no scenario has id "zz"`,
				`scenarios[0].changes[0].target: "stages.nope.rate": no stage has id "nope"`,
				`scenarios[0].changes[1].target: "stages.visit.rate": stage "visit" is the top and has no rate (use "top")`,
				`scenarios[0].changes[2].target: "topp" is not a target (want top, order_value, margin, spend, other_costs, stages.<id>.<field>, personas.<id>.<field>, or a section field)`,
				`scenarios[0].changes[3].op: "pow" is not an operation (want set, add or mul)`}},
		{"scenario base cycle", `{` + minimal + `, "scenarios": [
			{"id": "a", "base": "b", "changes": []}, {"id": "b", "base": "a", "changes": []}]}`,
			[]string{`scenarios[0].base: scenario bases form a cycle through "a"`, `scenarios[1].base: scenario bases form a cycle through "b"`}},
		{"uncertainty target", `{` + minimal + `, "uncertainty": {"stages.lead.rat": {"beta": {"alpha": 1, "beta": 2}}}}`,
			[]string{`uncertainty["stages.lead.rat"]: "stages.lead.rat" is not a target (want stages.<id>.rate|benchmark|capacity|unit_cost)`,
				`uncertainty["stages.lead.rat"].beta: a beta distribution is for rates; this target is not a rate`}},
		{"bad period", `{` + minimal + `, "period": "fortnight"}`,
			[]string{`period: "fortnight" is not a period (want day, week, month, quarter or year)`}},
		{"not an object", `[1, 2]`, []string{`a plan is a JSON object, got an array`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := DecodeBytes([]byte(c.json))
			if err == nil {
				t.Fatalf("decoded an invalid plan: %+v", p)
			}
			if p != nil {
				t.Errorf("returned a plan with an error")
			}
			got := problemStrings(t, err)
			if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("problems:\n got %q\nwant %q", got, c.want)
			}
		})
	}
}

// TestValidateNonFinite: numbers that JSON cannot hold but a program can
// set are reported too.
func TestValidateNonFinite(t *testing.T) {
	p := mustDecode(t, []byte(`{`+minimal+`}`))
	p.Top = math.Inf(1)
	p.Stages[1].Rate = F(math.NaN())
	p.OrderValue = math.Inf(-1)
	got := problemStrings(t, p.Validate())
	want := []string{`top: +Inf is not a finite number`, `order_value: -Inf is not a finite number`, `stages[1].rate: NaN is not a finite number`}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

func TestDecodeSyntax(t *testing.T) {
	cases := []struct {
		name, json   string
		line, column int
		msg          string
	}{
		{"empty", ``, 1, 1, "empty input (want a JSON plan object)"},
		{"bad token", "{\n  \"top\": 1,\n  \"x\": tru\n}", 3, 11, "invalid character '\\n' in literal true (expecting 'e')"},
		{"cut short", "{\"top\": 1", 1, 10, "unexpected end of input"},
		{"trailing data", "{} {}", 1, 4, "data after the plan object"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := DecodeBytes([]byte(c.json))
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("want *SyntaxError, got %T %v", err, err)
			}
			if se.Line != c.line || se.Column != c.column || se.Err.Error() != c.msg {
				t.Errorf("got %d:%d %q, want %d:%d %q", se.Line, se.Column, se.Err, c.line, c.column, c.msg)
			}
		})
	}
}

// TestDecodeDuplicateKeys: the last of two equal keys wins, as in
// encoding/json, and a misshapen earlier value does not fail the decoding.
func TestDecodeDuplicateKeys(t *testing.T) {
	p := mustDecode(t, []byte(`{`+minimal+`, "order_value": "x", "order_value": 9}`))
	if p.OrderValue != 9 {
		t.Errorf("order_value = %v, want 9", p.OrderValue)
	}
}

func TestDecodeLoose(t *testing.T) {
	// Semantic problems are left for the editor to show...
	p, err := DecodeLoose([]byte(`{"funnelplan": 1, "name": "t", "top": -1, "stages": [{"id": "a"}, {"id": "b", "rate": 3}]}`))
	if err != nil || p.Top != -1 || *p.Stages[1].Rate != 3 {
		t.Fatalf("DecodeLoose: %v %+v", err, p)
	}
	// ...but the shape must be right.
	if _, err := DecodeLoose([]byte(`{"funnelplan": 1, "stagez": []}`)); err == nil {
		t.Errorf("DecodeLoose accepted an unknown field")
	}
}

// TestEverySectionReportsPaths: one problem in every section of a plan is
// reported, each under its section's path, in one report.
func TestEverySectionReportsPaths(t *testing.T) {
	b := []byte(`{"funnelplan": 1, "name": "t", "top": 1000,
	 "stages": [{"id": "visit"}, {"id": "lead", "rate": 0.1, "capacity": -1, "lag": {"dist": "weibull"}}, {"id": "sale", "rate": 0.5}],
	 "channels": [{"id": "c", "budget": -5}],
	 "retention": {"rate": 1.5},
	 "ladder": [{"id": "r", "price": 1, "take_up": 2}],
	 "coverage": {"all": {"visit": -1}},
	 "journey": {"transitions": {"a": {"lost": 0.5}}},
	 "referrals": {"advocates": 2, "per_advocate": 1},
	 "buying_group": {"size": 0.5, "approval": 0.9},
	 "uncertainty": {"top": {"pert": {"min": 3, "mode": 2, "max": 1}}},
	 "scenarios": [{"id": "s", "changes": [{"target": "nope", "op": "set", "value": 1}]}]}`)
	_, err := DecodeBytes(b)
	got := problemStrings(t, err)
	for _, prefix := range []string{"stages[1].capacity: ", "stages[1].lag.dist: ", "channels[0].budget: ", "retention.rate: ",
		"ladder[0].take_up: ", "coverage.all.visit: ", "journey.transitions.a: ", "referrals.advocates: ", "buying_group.size: ",
		"uncertainty.top.pert: ", "scenarios[0].changes[0].target: "} {
		found := false
		for _, g := range got {
			found = found || strings.HasPrefix(g, prefix)
		}
		if !found {
			t.Errorf("no problem at %s in\n%s", prefix, strings.Join(got, "\n"))
		}
	}
}

// BenchmarkDecode: decoding and validating the bundled B2B plan (every
// CLI command and the batch mode pay this once per plan).
func BenchmarkDecode(b *testing.B) {
	data, _ := examples.Get("b2b")
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := DecodeBytes(data); err != nil {
			b.Fatal(err)
		}
	}
}

// TestFullPlanFillsEverySection: testdata/full.json sets every field of
// the format somewhere, so the round-trip and clone tests cover new fields
// (add the field to full.json when this fails).
func TestFullPlanFillsEverySection(t *testing.T) {
	b, err := os.ReadFile("testdata/full.json")
	if err != nil {
		t.Fatal(err)
	}
	p := mustDecode(t, b)
	set := map[string]bool{}
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.Pointer:
			if !v.IsNil() {
				walk(v.Elem())
			}
		case reflect.Slice:
			for i := 0; i < v.Len(); i++ {
				walk(v.Index(i))
			}
		case reflect.Map:
			for _, k := range v.MapKeys() {
				walk(v.MapIndex(k))
			}
		case reflect.Struct:
			for i := 0; i < v.NumField(); i++ {
				f := v.Type().Field(i)
				if !f.IsExported() {
					continue
				}
				if !v.Field(i).IsZero() {
					set[v.Type().Name()+"."+f.Name] = true
				}
				walk(v.Field(i))
			}
		}
	}
	walk(reflect.ValueOf(p))
	// Every field of every type reachable from Plan must be set somewhere.
	var missing []string
	var all func(t reflect.Type, seen map[reflect.Type]bool)
	all = func(t reflect.Type, seen map[reflect.Type]bool) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Map {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || seen[t] {
			return
		}
		seen[t] = true
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			if !set[t.Name()+"."+f.Name] {
				missing = append(missing, t.Name()+"."+f.Name)
			}
			all(f.Type, seen)
		}
	}
	all(reflect.TypeFor[Plan](), map[reflect.Type]bool{})
	if len(missing) > 0 {
		t.Errorf("testdata/full.json leaves these fields unset: %s", strings.Join(missing, ", "))
	}
}
