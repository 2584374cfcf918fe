package core

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/funnelplan/funnelplan/core/examples"
)

func TestReadCounts(t *testing.T) {
	tab, err := ReadCounts(strings.NewReader("\ufeffPeriod, Manager ,Visit,Lead\n# a comment\n2026-01,anna,100,10\n\n2026-02, ben ,90,9\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(tab.Rows) != 2 || tab.Stages[0] != "Visit" || tab.Groups[0] != "manager" || tab.Rows[1].Groups[0] != "ben" || tab.Rows[1].Line != 5 || tab.Rows[1].Counts[1] != 9 {
		t.Errorf("table %+v", tab)
	}
	tests := []struct {
		name string
		in   string
		want []string // every problem, in order
	}{
		{"empty", "", []string{"1: empty file (want a header row: period, optional group columns, then one column per stage)"}},
		{"no period", "visit,lead\n1,2\n", []string{"1: no period column (want a header like period,manager,visit,lead,...)"}},
		{"one stage", "period,visit\n2026-01,5\n", []string{"1: 1 stage columns (want at least 2, in funnel order)"}},
		{"duplicate column", "period,visit,visit\n", []string{`1:3: duplicate column "visit" (also column 2)`, "1: 1 stage columns (want at least 2, in funnel order)"}},
		{"header only", "period,visit,lead\n", []string{"1: no data rows after the header"}},
		{"every bad row", "period,manager,visit,lead,mql\n2026-01,anna,10000,520,210\n2026-02,anna,12x,5,1\n2026-03,anna,10,-1,1.5\n,anna,1,1,1\n2026-05,anna,1,1\n2026-06,anna,1,,1e400\n",
			[]string{
				`3:3: "12x" is not a whole count`,
				`4:4: "-1" is negative (want a whole count >= 0)`,
				`4:5: "1.5" is not a whole count`,
				`5:1: missing period`,
				`6: 4 fields (want 5, as in the header)`,
				`7:4: missing count (want a whole number >= 0)`,
				`7:5: "1e400" is not a whole count`,
			}},
		{"bad quote", "period,visit,lead\n2026-01,1\"0,5\n2026-02,3,1\n", []string{`2: bare " in non-quoted-field`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadCounts(strings.NewReader(tt.in))
			var es CSVErrors
			if !errors.As(err, &es) {
				t.Fatalf("error %v (%T), want CSVErrors", err, err)
			}
			got := strings.Split(err.Error(), "\n")
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("problems:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestReadCountsManyProblems(t *testing.T) {
	var b strings.Builder
	b.WriteString("period,visit,lead\n")
	for i := 0; i < 150; i++ {
		b.WriteString("2026-01,x,1\n")
	}
	_, err := ReadCounts(strings.NewReader(b.String()))
	var es CSVErrors
	if !errors.As(err, &es) || len(es) != maxCSVErrors+1 || !strings.Contains(es[maxCSVErrors].Error(), "50 more problems") {
		t.Errorf("%d problems, last %v", len(es), es[len(es)-1])
	}
}

func TestFinnishCountsExample(t *testing.T) {
	b, ok := examples.GetData("finnish-counts.csv")
	if !ok {
		t.Fatal("no finnish-counts.csv")
	}
	tab, err := ReadCounts(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if len(tab.Stages) != 8 || len(tab.Rows) != 4 {
		t.Fatalf("%d stages, %d rows; want the article's 8 stages, 2 periods x 2 managers", len(tab.Stages), len(tab.Rows))
	}
	for _, by := range []string{"period", "manager"} {
		r, err := Fit(tab, FitOptions{By: by})
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Groups) != 2 || len(r.Comparisons) != 7 || len(r.Warnings) != 0 {
			t.Errorf("by %s: %d groups, %d comparisons, warnings %q", by, len(r.Groups), len(r.Comparisons), r.Warnings)
		}
	}
}

func TestFitPlan(t *testing.T) {
	tab, err := ReadCounts(strings.NewReader(janFebCSV))
	if err != nil {
		t.Fatal(err)
	}
	r, err := Fit(tab, FitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	p, warns := FitPlan(r, "fitted")
	if len(warns) != 0 {
		t.Errorf("warnings %q", warns)
	}
	// The plan must survive its own file format.
	js, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	q, err := DecodeBytes(js)
	if err != nil {
		t.Fatalf("fitted plan is invalid: %v\n%s", err, js)
	}
	// Top is the visits per month: 21000 over 2 months; lead rate 1120/21000.
	if q.Top != 10500 || q.Period != "month" || *q.Stages[1].Rate != 1120.0/21000 {
		t.Errorf("top %v period %q lead rate %v", q.Top, q.Period, *q.Stages[1].Rate)
	}
	// Customers per month from the plan = 57/2 (the data's own figure).
	fr, err := Forward(q)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(fr.Customers-28.5) > 1e-9 {
		t.Errorf("customers %v, want 28.5", fr.Customers)
	}
	// Lead-rate uncertainty is the posterior Beta(1+1120, 1+19880).
	d := q.Uncertainty["stages.lead.rate"].Beta
	if d == nil || *d.Alpha != 1121 || *d.Beta != 19881 {
		t.Errorf("lead uncertainty %+v", q.Uncertainty["stages.lead.rate"])
	}
	// A simulation of the fitted plan centres on the data.
	s, err := Simulate(context.Background(), q, SimOptions{Trials: 4000, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(s.Customers.Mean-28.5) > 4*s.Customers.SE+0.5 {
		t.Errorf("simulated customers %v ± %v", s.Customers.Mean, s.Customers.SE)
	}

	// Personas from a persona column.
	tp, _ := ReadCounts(strings.NewReader("period,persona,visit,lead,deal\n2026-01,smb,600,30,3\n2026-01,ent,400,30,6\n"))
	rp, err := Fit(tp, FitOptions{By: "persona"})
	if err != nil {
		t.Fatal(err)
	}
	pp, _ := FitPlan(rp, "personas")
	if _, err := fitRoundTrip(pp); err != nil {
		t.Fatal(err)
	}
	fp, _ := Forward(pp)
	if len(pp.Personas) != 2 || pp.Personas[0].Share != 0.6 || math.Abs(fp.Customers-9) > 1e-9 {
		t.Errorf("personas %+v, customers %v (want 9)", pp.Personas, fp.Customers)
	}
}

// fitRoundTrip decodes (and so validates) a plan after a JSON round trip.
func fitRoundTrip(p *Plan) (*Plan, error) {
	js, err := json.Marshal(p)
	if err != nil {
		return nil, err
	}
	return DecodeBytes(js)
}

func FuzzReadCounts(f *testing.F) {
	f.Add([]byte(janFebCSV))
	f.Add([]byte("period,visit,lead\n2026-01-05,100,10\n2026-W03,5,1\nspring,1,1\n"))
	f.Add([]byte("period,visit,lead\n2026-01,1\"0,5\n"))
	f.Add([]byte("Period;Visit\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		tab, err := ReadCounts(bytes.NewReader(b))
		if err != nil {
			var es CSVErrors
			if !errors.As(err, &es) || len(es) == 0 {
				t.Fatalf("error %v is not a CSVErrors list", err)
			}
			for _, e := range es {
				if e.Line < 1 {
					t.Fatalf("problem without a line: %v", e)
				}
			}
			return
		}
		// Whatever reads fits without a panic, non-finite numbers or
		// rates outside 0..1 where a posterior exists.
		for _, by := range []string{"", "period"} {
			for _, agg := range []string{"", "year"} {
				r, err := Fit(tab, FitOptions{By: by, Aggregate: agg})
				if err != nil {
					continue
				}
				for _, s := range r.Steps {
					if s.Mean != nil && (!(*s.Mean >= 0 && *s.Mean <= 1) || *s.CILow > *s.CIHigh) {
						t.Fatalf("step %+v", s)
					}
				}
				for _, c := range r.Comparisons {
					if c.PBBetter != nil && !(*c.PBBetter >= 0 && *c.PBBetter <= 1) {
						t.Fatalf("comparison %+v", c)
					}
				}
				if _, err := json.Marshal(r); err != nil {
					t.Fatal(err)
				}
				p, _ := FitPlan(r, "fuzz")
				if _, err := json.Marshal(p); err != nil {
					t.Fatal(err)
				}
			}
		}
	})
}
