package core

import (
	"encoding/json"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unsafe"
)

func TestStageRatesGetSetDelete(t *testing.T) {
	var r StageRates
	if _, ok := r.Get("a"); ok || r.Has("a") {
		t.Fatal("a nil StageRates has a rate")
	}
	r.Set("b", 0.2)
	r.Set("a", 0.1)
	r.Set("b", 0.25) // in place
	want := StageRates{{"b", 0.25}, {"a", 0.1}}
	if !slices.Equal(r, want) {
		t.Fatalf("after Set: %v, want %v", r, want)
	}
	if v, ok := r.Get("b"); !ok || v != 0.25 {
		t.Fatalf("Get(b) = %g, %v", v, ok)
	}
	c := r.Clone()
	c.Set("a", 0.9)
	if v, _ := r.Get("a"); v != 0.1 {
		t.Fatalf("a clone shares its rates: %g", v)
	}
	r.Delete("b")
	r.Delete("zzz")
	if !slices.Equal(r, StageRates{{"a", 0.1}}) {
		t.Fatalf("after Delete: %v", r)
	}
	if StageRates(nil).Clone() != nil {
		t.Fatal("the clone of nil is not nil")
	}
}

// The plan file keeps "rates" an object by stage id, its keys sorted as a
// map's are, whatever the order in memory.
func TestStageRatesJSON(t *testing.T) {
	r := StageRates{{"mql", 0.5}, {"lead", 0.04}, {"a<b", 1}}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"a\u003cb":1,"lead":0.04,"mql":0.5}`; string(b) != want {
		t.Fatalf("marshal: %s, want %s", b, want)
	}
	var back StageRates
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if want := (StageRates{{"a<b", 1}, {"lead", 0.04}, {"mql", 0.5}}); !slices.Equal(back, want) {
		t.Fatalf("unmarshal: %v, want %v", back, want)
	}
	b, _ = json.Marshal(struct {
		R StageRates `json:"r,omitempty"`
	}{StageRates{}})
	if string(b) != `{}` {
		t.Fatalf("empty rates with omitempty: %s", b)
	}
	if err := json.Unmarshal([]byte(`null`), &back); err != nil || back != nil {
		t.Fatalf("null: %v, %v", back, err)
	}
	if err := json.Unmarshal([]byte(`[1]`), &back); err == nil {
		t.Fatal("an array decoded as rates")
	}
}

// Decode puts a persona's rates in the order of the stages, each id the
// stage's own string, and a repeated stage (built in code) is a problem.
func TestDecodeOrdersStageRates(t *testing.T) {
	src := `{"funnelplan":1,"top":100,"order_value":1,
	"stages":[{"id":"visit"},{"id":"lead","rate":0.5},{"id":"mql","rate":0.5},{"id":"buy","rate":0.5}],
	"personas":[{"id":"a","share":1,"rates":{"mql":0.1,"buy":0.2,"lead":0.3}}]}`
	p, err := DecodeBytes([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	r := p.Personas[0].Rates
	if want := (StageRates{{"lead", 0.3}, {"mql", 0.1}, {"buy", 0.2}}); !slices.Equal(r, want) {
		t.Fatalf("decoded rates %v, want %v", r, want)
	}
	for k, x := range r {
		if unsafe.StringData(x.Stage) != unsafe.StringData(p.Stages[k+1].ID) {
			t.Fatalf("rate %d: the id %q is not the string of stage %q", k, x.Stage, p.Stages[k+1].ID)
		}
	}
	p.Personas[0].Rates = append(p.Personas[0].Rates, StageRate{"mql", 0.4})
	err = p.Validate()
	if err == nil || !strings.Contains(err.Error(), `personas[0].rates.mql: stage "mql" has two rates`) {
		t.Fatalf("a repeated stage: %v", err)
	}
}

// A persona's rates read the same in any order: Forward of a plan whose
// rates are shuffled (and whose ids are separate strings) gives the very
// numbers of the plan in stage order.
func TestForwardRatesAnyOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for k := 0; k < 200; k++ {
		p := randomPlan(rng, 1+rng.IntN(5), 2+rng.IntN(9))
		want, err := Forward(p)
		if err != nil {
			continue
		}
		q := p.Clone()
		for j := range q.Personas {
			r := q.Personas[j].Rates
			rng.Shuffle(len(r), func(a, b int) { r[a], r[b] = r[b], r[a] })
			for m := range r {
				r[m].Stage = strings.Clone(r[m].Stage)
			}
		}
		got, err := Forward(q)
		if err != nil {
			t.Fatalf("plan %d shuffled: %v", k, err)
		}
		for i := range want.Stages {
			if got.Stages[i].Count != want.Stages[i].Count {
				t.Fatalf("plan %d stage %d: %v shuffled, %v in order", k, i, got.Stages[i].Count, want.Stages[i].Count)
			}
		}
		if got.Revenue != want.Revenue {
			t.Fatalf("plan %d: revenue %v shuffled, %v in order", k, got.Revenue, want.Revenue)
		}
	}
}

// fillRates writes exactly the stages a persona sets.
func TestFillRates(t *testing.T) {
	stages := []Stage{{ID: "v"}, {ID: "a"}, {ID: "b"}, {ID: "c"}}
	for _, r := range []StageRates{
		{{"a", 0.1}, {"c", 0.3}},
		{{"c", 0.3}, {"a", 0.1}},
		{{"v", 0.9}, {"c", 0.3}, {"zz", 0.5}, {"a", 0.1}},
	} {
		row := []float64{-1, -1, -1, -1}
		r.fillRates(stages, row)
		if !slices.Equal(row, []float64{-1, 0.1, -1, 0.3}) {
			t.Errorf("%v: row %v", r, row)
		}
	}
}
