package app

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/funnelplan/funnelplan/core"
)

func TestShareRoundTrip(t *testing.T) {
	p := examplePlan()
	frag, err := EncodeShare(p)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(frag, "plan=") || strings.ContainsAny(frag[5:], "=+/") {
		t.Fatalf("fragment %q: want plan= and base64url without padding", frag[:20])
	}
	q, err := DecodeShare("#" + frag)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(p, q) {
		t.Fatal("the shared plan differs from the original")
	}
}

func TestShareErrors(t *testing.T) {
	notGzip := "plan=" + base64.RawURLEncoding.EncodeToString([]byte(`{"funnelplan":1}`))
	frag, _ := EncodeShare(examplePlan())
	for _, c := range []struct{ name, frag, want string }{
		{"no plan", "#rate=3", "holds no plan"},
		{"not base64", "#plan=@@@", "not base64url"},
		{"not gzip", notGzip, "not gzip"},
		{"cut short", frag[:len(frag)/2], "cut short"},
	} {
		_, err := DecodeShare(c.frag)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.name, err, c.want)
		}
	}
}

func TestSavedRoundTripAndDamage(t *testing.T) {
	p := examplePlan()
	text, err := EncodeSaved(p, "more-traffic")
	if err != nil {
		t.Fatal(err)
	}
	q, scen, err := DecodeSaved(text)
	if err != nil || scen != "more-traffic" || !reflect.DeepEqual(p, q) {
		t.Fatalf("round trip: scenario %q, err %v", scen, err)
	}
	for _, c := range []struct{ name, text, want string }{
		{"not json", "{oops", "not readable JSON"},
		{"no format", `{"plan": {}}`, "no format version"},
		{"newer format", `{"format": 99, "plan": {}}`, "newer version"},
		{"damaged plan", `{"format": 1, "plan": {"funnelplan": 1, "stages": 3}}`, "damaged"},
	} {
		_, _, err := DecodeSaved(c.text)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.name, err, c.want)
		}
	}
}

// The autosave text is what marshalling the saved record with the plan
// file as a json.RawMessage gives: the same bytes as before the one-pass
// writer, so saves from either read the same.
func TestEncodeSavedMatchesRecord(t *testing.T) {
	p := examplePlan()
	p.Name = `Q4 <launch> & "push"` + "\u2028"
	for _, scen := range []string{"", "more-traffic", `we"ird <id>`} {
		got, err := EncodeSaved(p, scen)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := core.Encode(p)
		want, _ := json.Marshal(saved{Format: SaveFormat, Scenario: scen, Plan: bytes.TrimSpace(b)})
		if got != string(want) {
			t.Fatalf("scenario %q:\n%s\nwant\n%s", scen, got, want)
		}
		if _, ok := p.Scenario(scen); !ok && scen != "" {
			continue // an unknown scenario is dropped on reading
		}
		q, s, err := DecodeSaved(got)
		if err != nil || s != scen || q.Name != p.Name {
			t.Fatalf("scenario %q: read back %v %q %v", scen, q, s, err)
		}
	}
}
