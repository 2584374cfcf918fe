package core

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/funnelplan/funnelplan/core/examples"
)

// handLog is a small log whose funnels are worked out by hand below. Rows
// are shuffled on purpose.
const handLog = `person,time,event,persona
c,2026-03-03,lead,ent
a,2026-03-01,visit,smb
b,2026-03-30 09:00,demo,
a,2026-03-03T10:00:00Z,email,
b,2026-03-01,lead,smb
a,2026-03-02 00:00:00,lead,
c,2026-03-01,visit,ent
a,2026-03-04,demo,
d,2026-03-01,demo,ent
b,2026-03-02,visit,
b,2026-03-03,lead,
a,2026-03-20,customer,
c,2026-03-02,demo,
`

var handSteps = []string{"visit", "lead", "demo", "customer"}

func persons(steps []EventStep) []int {
	var out []int
	for _, s := range steps {
		out = append(out, s.Persons)
	}
	return out
}

func TestEventFunnelModes(t *testing.T) {
	// By hand (days from 2026-03-01 = d1):
	// a: visit d1, lead d2, email d3, demo d4, customer d20
	// b: lead d1, visit d2, lead d3, demo d30
	// c: visit d1, demo d2, lead d3
	// d: demo d1
	tests := []struct {
		order  string
		window time.Duration
		want   []int
	}{
		// sequential: a 4, b 3 (visit d2, lead d3, demo d30), c 2, d 0.
		{OrderSequential, 0, []int{3, 3, 2, 1}},
		// within 14 days: a 3 (customer at +19 d), b 2, c 2.
		{OrderSequential, 14 * 24 * time.Hour, []int{3, 3, 1, 0}},
		// strict: a 2 (the email breaks it), b 3, c 1 (demo is not lead).
		{OrderStrict, 0, []int{3, 2, 1, 0}},
		// any order: a 4, b 3, c 3, d 0 (no visit).
		{OrderAny, 0, []int{3, 3, 3, 1}},
		// any order within 14 days: a 3, b 2, c 3.
		{OrderAny, 14 * 24 * time.Hour, []int{3, 3, 2, 0}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s %v", tt.order, tt.window), func(t *testing.T) {
			r, err := ReadEvents(strings.NewReader(handLog), EventOptions{Steps: handSteps, Order: tt.order, Window: tt.window})
			if err != nil {
				t.Fatal(err)
			}
			if got := persons(r.Steps); fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("persons per step %v, want %v", got, tt.want)
			}
			if r.Persons != 4 || r.Rows != 13 {
				t.Errorf("persons %d rows %d, want 4 and 13", r.Persons, r.Rows)
			}
		})
	}
}

func TestEventFunnelDetails(t *testing.T) {
	r, err := ReadEvents(strings.NewReader(handLog), EventOptions{Steps: handSteps, By: "persona"})
	if err != nil {
		t.Fatal(err)
	}
	// Time to convert: a alone, 19 days, in the [14, 30) bin.
	ttc := r.TimeToConvert
	if ttc.Persons != 1 || *ttc.Median != 19 || *ttc.P90 != 19 || ttc.Histogram[5].Persons != 1 || ttc.Histogram[5].FromDays != 14 {
		t.Errorf("time to convert %+v", ttc)
	}
	// Median days from the previous step: lead {1, 1, 2} → 1; demo {2,
	// 27 + 9 h} → 14.6875; customer {16} → 16.
	want := []float64{1, (2 + 27.375) / 2, 16}
	for k, w := range want {
		if got := r.Steps[k+1].MedianDaysFromPrevious; got == nil || math.Abs(*got-w) > 1e-12 {
			t.Errorf("step %d median days %v, want %v", k+1, got, w)
		}
	}
	// Rates: lead 3/3, demo 2/3, customer 1/2.
	if *r.Steps[2].Rate != 2.0/3 || *r.Steps[3].Rate != 0.5 || *r.Steps[3].Cumulative != 1.0/3 {
		t.Errorf("rates %+v", r.Steps)
	}
	// Breakdown: smb = a, b; ent = c, d (in order of first appearance).
	if len(r.Groups) != 2 || r.Groups[0].Key != "ent" || r.Groups[0].Persons != 2 || fmt.Sprint(persons(r.Groups[1].Steps)) != "[2 2 2 1]" {
		t.Errorf("groups %+v", r.Groups)
	}
	// Transitions (step events, the final step absorbs):
	// a: visit→lead→demo→customer; b: lead→visit→lead→demo→lost;
	// c: visit→demo→lead→lost; d: demo→lost.
	j := r.Journey
	wantJ := map[string]map[string]float64{
		"visit": {"lead": 2.0 / 3, "demo": 1.0 / 3},
		"lead":  {"demo": 0.5, "visit": 0.25, "lost": 0.25},
		"demo":  {"purchase": 0.25, "lost": 0.5, "lead": 0.25},
	}
	if fmt.Sprint(j.Transitions) != fmt.Sprint(wantJ) || j.Entry != "visit" {
		t.Errorf("journey %v, want %v", j.Transitions, wantJ)
	}
	back := 0
	for _, tr := range r.Transitions {
		if tr.Backward {
			back++
		}
	}
	if back != 2 {
		t.Errorf("%d backward moves, want 2 (lead→visit, demo→lead)", back)
	}
	// The inferred plan is a valid plan file.
	js, _ := json.Marshal(r.Plan)
	p, err := DecodeBytes(js)
	if err != nil {
		t.Fatalf("inferred plan: %v\n%s", err, js)
	}
	if p.Top != 3 || *p.Stages[3].Rate != 0.5 || p.Journey == nil {
		t.Errorf("plan %s", js)
	}
}

func TestReadEventsErrors(t *testing.T) {
	in := "person,time,event\n,2026-03-01,visit\nb,2026-13-01,visit\nc,yesterday,\nd,2026-03-01\ne,1960-01-01,visit\n"
	_, err := ReadEvents(strings.NewReader(in), EventOptions{Steps: handSteps})
	want := []string{
		"2:1: missing person id",
		`3:2: "2026-13-01" is not a time (want RFC 3339 or YYYY-MM-DD[ HH:MM[:SS]])`,
		`4:2: "yesterday" is not a time (want RFC 3339 or YYYY-MM-DD[ HH:MM[:SS]])`,
		"4:3: missing event",
		"5: 2 fields (want 3, as in the header)",
		`6:2: "1960-01-01" is outside 1970..2106`,
	}
	var es CSVErrors
	if !errors.As(err, &es) || err.Error() != strings.Join(want, "\n") {
		t.Errorf("problems:\n%v\nwant\n%s", err, strings.Join(want, "\n"))
	}
	for _, c := range []struct {
		in  string
		opt EventOptions
	}{
		{"person,time\n", EventOptions{Steps: handSteps}},
		{"", EventOptions{Steps: handSteps}},
		{handLog, EventOptions{Steps: []string{"visit"}}},
		{handLog, EventOptions{Steps: []string{"visit", "visit"}}},
		{handLog, EventOptions{Steps: handSteps, Order: "random"}},
		{handLog, EventOptions{Steps: handSteps, By: "region"}},
		{handLog, EventOptions{Steps: handSteps, By: "channel"}},
		{"person,time,event\n", EventOptions{Steps: handSteps}},
	} {
		if _, err := ReadEvents(strings.NewReader(c.in), c.opt); err == nil {
			t.Errorf("%q %+v: no error", c.in, c.opt)
		}
	}
}

func TestEventsExample(t *testing.T) {
	b, ok := examples.GetData("events.csv")
	if !ok {
		t.Fatal("no events.csv")
	}
	r, err := ReadEvents(bytes.NewReader(b), EventOptions{Steps: []string{"visit", "lead", "demo", "proposal", "customer"}, Window: 60 * 24 * time.Hour, By: "channel"})
	if err != nil {
		t.Fatal(err)
	}
	back := 0
	for _, tr := range r.Transitions {
		if tr.Backward {
			back++
		}
	}
	if back == 0 || r.TimeToConvert.Persons == 0 || len(r.Groups) < 2 {
		t.Errorf("example: %d backward moves, %d converted, %d groups", back, r.TimeToConvert.Persons, len(r.Groups))
	}
	js, _ := json.Marshal(r.Plan)
	if _, err := DecodeBytes(js); err != nil {
		t.Errorf("inferred plan: %v", err)
	}
}

func TestReadEventsChunks(t *testing.T) {
	// Events stored in many small chunks and merged give the same funnel
	// as one chunk.
	big := genEventLog(30000)
	for _, in := range [][]byte{[]byte(handLog), big} {
		for _, order := range []string{OrderSequential, OrderStrict, OrderAny} {
			opt := EventOptions{Steps: []string{"visit", "lead", "demo", "proposal", "customer"}, Order: order, Window: 20 * 24 * time.Hour}
			one, err := readEvents(bytes.NewReader(in), opt, 1<<20)
			if err != nil {
				t.Fatal(err)
			}
			for _, chunk := range []int{1, 3, 1000} {
				r, err := readEvents(bytes.NewReader(in), opt, chunk)
				if err != nil {
					t.Fatal(err)
				}
				a, _ := json.Marshal(one)
				b, _ := json.Marshal(r)
				if !bytes.Equal(a, b) {
					t.Fatalf("%s, chunks of %d: result differs from one chunk", order, chunk)
				}
			}
		}
	}
}

func FuzzReadEvents(f *testing.F) {
	f.Add([]byte(handLog), uint8(0), uint16(0))
	f.Add([]byte("person,time,event\na,2026-03-01T10:00:00+02:00,visit\na,2026-03-01,lead\n"), uint8(1), uint16(3))
	f.Add([]byte("person,time,event,channel\na,2026-03-01,visit,x\na,2026-03-01,visit,y\n"), uint8(2), uint16(1))
	f.Fuzz(func(t *testing.T, b []byte, mode uint8, window uint16) {
		orders := []string{OrderSequential, OrderStrict, OrderAny}
		opt := EventOptions{Steps: handSteps, Order: orders[int(mode)%3], Window: time.Duration(window) * time.Hour}
		if mode&4 != 0 {
			opt.By = "persona"
		}
		r, err := ReadEvents(bytes.NewReader(b), opt)
		if err != nil {
			var es CSVErrors
			if !errors.As(err, &es) {
				t.Fatalf("error %v is not a CSVErrors list", err)
			}
			return
		}
		for k := 1; k < len(r.Steps); k++ {
			if r.Steps[k].Persons > r.Steps[k-1].Persons {
				t.Fatalf("persons grow along the funnel: %v", persons(r.Steps))
			}
		}
		if r.Journey != nil {
			js, _ := json.Marshal(r.Plan)
			if _, err := DecodeBytes(js); err != nil && !strings.Contains(err.Error(), "purchase") {
				t.Fatalf("inferred plan: %v\n%s", err, js)
			}
		}
	})
}

// genEventLog writes an event log of about rows rows: persons walk a
// 5-step funnel with back-and-forth moves and other events, rows shuffled
// in blocks.
func genEventLog(rows int) []byte {
	rng := rand.New(rand.NewPCG(1, 2))
	steps := []string{"visit", "lead", "demo", "proposal", "customer"}
	channels := []string{"ads", "seo", "referral"}
	var b bytes.Buffer
	b.WriteString("person,time,event,channel\n")
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	n, p := 0, 0
	var block []string
	for n < rows {
		p++
		t := base + rng.Int64N(180*86400)
		s := 0
		ch := channels[rng.IntN(3)]
		for k := 0; k < 12 && n < rows; k++ {
			ev := steps[s]
			if rng.IntN(5) == 0 {
				ev = "email_open"
			}
			block = append(block, fmt.Sprintf("p%07d,%s,%s,%s\n", p, time.Unix(t, 0).UTC().Format("2006-01-02 15:04:05"), ev, ch))
			n++
			t += rng.Int64N(5 * 86400)
			switch u := rng.IntN(10); {
			case u < 5 && s < 4:
				s++
			case u < 7 && s > 0:
				s--
			case u == 9:
				k = 12 // leaves
			}
		}
		if len(block) > 5000 || n >= rows {
			rng.Shuffle(len(block), func(i, j int) { block[i], block[j] = block[j], block[i] })
			for _, l := range block {
				b.WriteString(l)
			}
			block = block[:0]
		}
	}
	return b.Bytes()
}

func BenchmarkReadEvents1M(b *testing.B) {
	data := genEventLog(1_000_000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ReadEvents(bytes.NewReader(data), EventOptions{Steps: []string{"visit", "lead", "demo", "proposal", "customer"}, Window: 30 * 24 * time.Hour}); err != nil {
			b.Fatal(err)
		}
	}
}
