package core

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// fuzzBytes reads the []byte value of a fuzz corpus file.
func fuzzBytes(t *testing.T, name string, b []byte) []byte {
	t.Helper()
	_, rest, _ := strings.Cut(string(b), "\n")
	rest = strings.TrimSpace(rest)
	q, ok := strings.CutPrefix(rest, "[]byte(")
	if !ok || !strings.HasSuffix(q, ")") {
		t.Fatalf("%s: not a []byte corpus entry", name)
	}
	s, err := strconv.Unquote(strings.TrimSuffix(q, ")"))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return []byte(s)
}

// decodeStructStd is decodeStruct as it was with encoding/json doing the
// typed decoding (a second pass over the JSON text): the reference that
// assign must match.
func decodeStructStd(b []byte) (*Plan, Problems, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, nil, err
	}
	if _, err := d.Token(); err != io.EOF {
		return nil, nil, errors.New("data after the plan object")
	}
	var ps Problems
	if _, ok := v.(map[string]any); !ok {
		return nil, nil, nil
	}
	sc := shapeChecker{ps: &ps, fields: fieldCache{}}
	v, _, _ = sc.check("", reflect.TypeFor[Plan](), v)
	c, err := json.Marshal(v)
	if err != nil {
		return nil, nil, err
	}
	p := new(Plan)
	if err := json.Unmarshal(c, p); err != nil {
		return nil, nil, err
	}
	dropEmpty(reflect.ValueOf(p).Elem())
	pos := stageIndex(p.Stages)
	for j := range p.Personas {
		p.Personas[j].Rates.inStageOrder(p.Stages, pos)
	}
	return p, ps, nil
}

// checkSameDecode fails when decodeStruct and the encoding/json reference
// decode b differently.
func checkSameDecode(t *testing.T, name string, b []byte) {
	t.Helper()
	want, wantPs, werr := decodeStructStd(b)
	got, gotPs, gerr := decodeStruct(b)
	if werr != nil || want == nil {
		return // not a JSON object: both stop before the typed decoding
	}
	if gerr != nil {
		t.Fatalf("%s: %v, the reference decodes it", name, gerr)
	}
	if !reflect.DeepEqual(got, want) {
		g, _ := json.Marshal(got)
		w, _ := json.Marshal(want)
		t.Fatalf("%s: decoded\n%s\nthe reference gives\n%s", name, g, w)
	}
	if !reflect.DeepEqual(gotPs, wantPs) {
		t.Fatalf("%s: problems %v, the reference %v", name, gotPs, wantPs)
	}
}

// Every plan file of the repository and the fuzz corpus (valid plans and
// every kind of misshapen one) decodes as encoding/json decodes it.
func TestDecodeMatchesEncodingJSON(t *testing.T) {
	n := 0
	for name, b := range planFiles(t) {
		checkSameDecode(t, name, b)
		n++
	}
	for _, glob := range []string{"testdata/*.json", "testdata/fuzz/FuzzDecode/*"} {
		files, _ := filepath.Glob(glob)
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if bytes.HasPrefix(b, []byte("go test fuzz v1")) {
				b = fuzzBytes(t, f, b)
			}
			checkSameDecode(t, f, b)
			n++
		}
	}
	for _, s := range []string{
		claim2,
		`{` + minimal + `, "personas": [{"id": "x", "share": 0.5, "rates": {"lead": 2}}, {"id": "x", "share": "a"}]}`,
		`{"funnelplan": 1, "stages": [{"id": "a"}, "b", {"id": "c", "rate": 1e999}], "top": 1, "top": "x"}`,
		`{` + minimal + `, "personas": [{"id": "x", "share": 1, "rates": {"lead": null}}], "stages": []}`,
	} {
		checkSameDecode(t, s, []byte(s))
		n++
	}
	if n < 50 {
		t.Fatalf("only %d inputs compared", n)
	}
}
