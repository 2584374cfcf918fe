package chart

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/funnelplan/funnelplan/core"
	"github.com/funnelplan/funnelplan/core/examples"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// examplePlan decodes a bundled example plan.
func examplePlan(t testing.TB, name string) *core.Plan {
	t.Helper()
	b, ok := examples.Get(name)
	if !ok {
		t.Fatalf("no example %q", name)
	}
	p, err := core.DecodeBytes(b)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// bigPlan is a valid plan of j personas and n stages with varied rates,
// as used by the benchmarks.
func bigPlan(j, n int) *core.Plan {
	p := &core.Plan{Version: 1, Name: fmt.Sprintf("%d personas x %d stages", j, n), Currency: "USD", Top: 100000, OrderValue: 900}
	for i := 0; i < n; i++ {
		st := core.Stage{ID: fmt.Sprintf("s%d", i), Name: fmt.Sprintf("Stage %d", i)}
		if i > 0 {
			st.Rate = core.F(0.3 + 0.05*float64(i%5))
		}
		p.Stages = append(p.Stages, st)
	}
	p.Coverage = map[string]map[string]float64{}
	for k := 0; k < j; k++ {
		x := core.Persona{ID: fmt.Sprintf("p%d", k), Name: fmt.Sprintf("Persona %d", k), Share: 1 / float64(j), Rates: core.StageRates{}}
		row := map[string]float64{}
		for i := 1; i < n; i++ {
			x.Rates.Set(fmt.Sprintf("s%d", i), 0.2+0.07*float64((i+k)%9))
		}
		for i := 0; i < n; i++ {
			row[fmt.Sprintf("s%d", i)] = float64((i * (k + 1)) % 4)
		}
		p.Personas = append(p.Personas, x)
		p.Coverage[x.ID] = row
	}
	return p
}

func forward(t testing.TB, p *core.Plan) *core.ForwardResult {
	t.Helper()
	r, err := core.Forward(p)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// drawCase is one chart drawn for the golden, XML and escaping tests.
type drawCase struct {
	name string
	draw func(w io.Writer) error
}

// cases draws every kind of chart in every theme worth checking.
func cases(t testing.TB) []drawCase {
	b2b := examplePlan(t, "b2b")
	fr := forward(t, b2b)
	single := b2b.Clone()
	single.Personas, single.Coverage = nil, nil
	fs := forward(t, single)
	capped := b2b.Clone()
	capped.Stages[3].Capacity = core.F(80)
	capped.Stages[2].Capacity = core.F(400)
	fc := forward(t, capped)
	eur := Options{Currency: "EUR"}
	sens, err := core.Sensitivity(b2b, core.SensitivityOptions{})
	if err != nil {
		t.Fatal(err)
	}
	jp := examplePlan(t, "journey")
	jr, err := core.AnalyzeJourney(jp)
	if err != nil {
		t.Fatal(err)
	}
	jg, err := JourneyOf(jp, jr)
	if err != nil {
		t.Fatal(err)
	}
	unc := b2b.Clone()
	unc.Uncertainty = map[string]core.Dist{
		"top":              {Lognormal: &core.LognormalDist{Median: core.F(10000), Sigma: core.F(0.2)}},
		"stages.lead.rate": {PERT: &core.PERTDist{Min: 0.03, Mode: 0.05, Max: 0.08}},
	}
	sim, err := core.Simulate(context.Background(), unc, core.SimOptions{Trials: 2000, Seed: 7, Goal: core.F(350000), CustomersGoal: core.F(30)})
	if err != nil {
		t.Fatal(err)
	}
	bad := b2b.Clone()
	bad.Scenarios = append(bad.Scenarios, core.Scenario{ID: "too-much", Name: "Lead rate +99 points",
		Changes: []core.Change{{Target: "stages.lead.rate", Op: "add", Value: 0.99}}})
	cmp, err := core.Compare(bad)
	if err != nil {
		t.Fatal(err)
	}
	fcast, err := core.Forecast(jp, core.ForecastOptions{Periods: 24})
	if err != nil {
		t.Fatal(err)
	}
	// A made-up band around the forecast, to draw the band's shape.
	fband := &ForecastBand{}
	for _, x := range fcast.Periods {
		fband.Low = append(fband.Low, 0.8*x.Purchases)
		fband.High = append(fband.High, 1.25*x.Purchases)
	}
	csvData, ok := examples.GetData("finnish-counts.csv")
	if !ok {
		t.Fatal("no finnish-counts.csv example")
	}
	table, err := core.ReadCounts(bytes.NewReader(csvData))
	if err != nil {
		t.Fatal(err)
	}
	fitBy, err := core.Fit(table, core.FitOptions{By: "manager"})
	if err != nil {
		t.Fatal(err)
	}
	fitAll, err := core.Fit(table, core.FitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	big := bigPlan(8, 10)
	fb := forward(t, big)
	with := func(o Options, f func(*Options)) Options { f(&o); return o }
	return []drawCase{
		{"funnel", func(w io.Writer) error { return Funnel(w, fr, eur) }},
		{"funnel_total", func(w io.Writer) error { return Funnel(w, fs, eur) }},
		{"funnel_split", func(w io.Writer) error {
			return Funnel(w, fr, with(eur, func(o *Options) { o.Layout = Split }))
		}},
		{"funnel_capacity", func(w io.Writer) error { return Funnel(w, fc, eur) }},
		{"funnel_print", func(w io.Writer) error {
			return Funnel(w, fr, with(eur, func(o *Options) { o.Theme = Print }))
		}},
		{"funnel_presentation", func(w io.Writer) error {
			return Funnel(w, fr, with(eur, func(o *Options) { o.Theme = Presentation }))
		}},
		{"funnel_big", func(w io.Writer) error { return Funnel(w, fb, Options{Currency: "USD"}) }},
		{"matrix", func(w io.Writer) error { return Matrix(w, b2b, fr, eur) }},
		{"matrix_single", func(w io.Writer) error { return Matrix(w, single, fs, eur) }},
		{"matrix_big", func(w io.Writer) error { return Matrix(w, big, fb, Options{}) }},
		{"matrix_presentation", func(w io.Writer) error {
			return Matrix(w, b2b, fr, with(eur, func(o *Options) { o.Theme = Presentation }))
		}},
		{"scenarios", func(w io.Writer) error { return Scenarios(w, scenarioBars(), eur) }},
		{"scenarios_compare", func(w io.Writer) error { return Scenarios(w, ScenariosOf(cmp), eur) }},
		{"scenarios_presentation", func(w io.Writer) error {
			return Scenarios(w, scenarioBars(), with(eur, func(o *Options) { o.Theme = Presentation }))
		}},
		{"tornado", func(w io.Writer) error { return Tornado(w, b2b, sens, eur) }},
		{"tornado_presentation", func(w io.Writer) error {
			return Tornado(w, b2b, sens, with(eur, func(o *Options) { o.Theme = Presentation }))
		}},
		{"distribution", func(w io.Writer) error { return Distribution(w, sim, eur) }},
		{"distribution_customers", func(w io.Writer) error {
			return Distribution(w, sim, with(eur, func(o *Options) { o.Metric = "customers" }))
		}},
		{"forecast", func(w io.Writer) error { return Forecast(w, fcast, nil, eur) }},
		{"forecast_band", func(w io.Writer) error { return Forecast(w, fcast, fband, eur) }},
		{"forecast_revenue", func(w io.Writer) error {
			return Forecast(w, fcast, nil, with(eur, func(o *Options) { o.Metric = "revenue"; o.Theme = Presentation }))
		}},
		{"fit", func(w io.Writer) error { return Fit(w, fitBy, Options{}) }},
		{"fit_totals", func(w io.Writer) error { return Fit(w, fitAll, Options{Theme: Print}) }},
		{"journey_example", func(w io.Writer) error { return Journey(w, jg, eur) }},
		{"journey", func(w io.Writer) error { return Journey(w, journeyGraph(), eur) }},
		{"journey_skips", func(w io.Writer) error { return Journey(w, journeySkips(), eur) }},
		{"journey_presentation", func(w io.Writer) error {
			return Journey(w, journeyGraph(), with(eur, func(o *Options) { o.Theme = Presentation }))
		}},
		{"coverage", func(w io.Writer) error { return Coverage(w, b2b, fr, eur) }},
		{"coverage_big", func(w io.Writer) error { return Coverage(w, big, fb, Options{}) }},
		{"coverage_print", func(w io.Writer) error {
			return Coverage(w, b2b, fr, with(eur, func(o *Options) { o.Theme = Print }))
		}},
	}
}

// scenarioBars are the b2b example's baseline and scenarios. Baseline:
// 25.8 customers, 304,800 revenue (MATH.md §d example). Double the traffic
// doubles both (§a: N_n scales with N_0). The other two rows are made-up
// numbers that exercise a loss and a missing delta.
func scenarioBars() []ScenarioBar {
	f := core.F
	return []ScenarioBar{
		{ID: "baseline", Name: "Baseline", Customers: 25.8, Revenue: 304800},
		{ID: "more-traffic", Name: "Double the traffic", Customers: 51.6, Revenue: 609600,
			DeltaCustomers: f(25.8), DeltaRevenue: f(304800), RelCustomers: f(1), RelRevenue: f(1)},
		{ID: "cut", Name: "Cut the webinar budget by a third", Customers: 17.2, Revenue: 203200,
			DeltaCustomers: f(-8.6), DeltaRevenue: f(-101600), RelCustomers: f(-1.0 / 3), RelRevenue: f(-1.0 / 3)},
		{ID: "unknown", Name: "No comparison", Customers: 30, Revenue: 350000},
	}
}

// journeyGraph is the journey of the journey example plan (its
// transitions, states in funnel order); the purchase probabilities are
// left out (the core computes them).
func journeyGraph() JourneyGraph {
	return JourneyGraph{
		StepDays: 7,
		States:   []JourneyNode{{ID: "visit", Name: "Site visit"}, {ID: "lead", Name: "Lead"}, {ID: "demo", Name: "Demo"}, {ID: "proposal", Name: "Proposal"}},
		Edges: []JourneyEdge{
			{"visit", "visit", 0.3}, {"visit", "lead", 0.035}, {"visit", "lost", 0.665},
			{"lead", "visit", 0.05}, {"lead", "lead", 0.5}, {"lead", "demo", 0.15}, {"lead", "lost", 0.3},
			{"demo", "lead", 0.1}, {"demo", "demo", 0.3}, {"demo", "proposal", 0.33}, {"demo", "lost", 0.27},
			{"proposal", "demo", 0.1}, {"proposal", "proposal", 0.55}, {"proposal", "purchase", 0.12}, {"proposal", "lost", 0.23},
		},
	}
}

// journeySkips adds moves that skip states and go back two states.
func journeySkips() JourneyGraph {
	g := journeyGraph()
	g.Edges = append(g.Edges, JourneyEdge{"visit", "demo", 0.02}, JourneyEdge{"lead", "purchase", 0.01}, JourneyEdge{"proposal", "visit", 0.02})
	return g
}

func TestGolden(t *testing.T) {
	for _, tc := range cases(t) {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := tc.draw(&b); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", tc.name+".svg")
			if *update {
				if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(b.Bytes(), want) {
				t.Errorf("%s differs from the golden file (go test -update rewrites it after a deliberate change)\n%s", path, firstDiff(b.String(), string(want)))
			}
		})
	}
}

// firstDiff shows the first differing line of got and want.
func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var a, b string
		if i < len(g) {
			a = g[i]
		}
		if i < len(w) {
			b = w[i]
		}
		if a != b {
			return fmt.Sprintf("line %d:\n got: %s\nwant: %s", i+1, a, b)
		}
	}
	return ""
}

// TestWellFormed parses every chart as XML and checks the structure the
// package promises: an <svg> root with a viewBox, <title> and <desc> first,
// no NaN or Inf anywhere, and Inline output starting at <svg.
func TestWellFormed(t *testing.T) {
	for _, tc := range cases(t) {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := tc.draw(&b); err != nil {
				t.Fatal(err)
			}
			checkSVG(t, b.Bytes())
			in := Inline(b.Bytes())
			if !strings.HasPrefix(in, "<svg") {
				t.Errorf("Inline output starts with %.20q, want <svg", in)
			}
			checkSVG(t, []byte(in))
		})
	}
}

func checkSVG(t *testing.T, b []byte) {
	t.Helper()
	for _, bad := range []string{"NaN", "Inf", "%!"} {
		if bytes.Contains(b, []byte(bad)) {
			t.Errorf("chart contains %q", bad)
		}
	}
	d := xml.NewDecoder(bytes.NewReader(b))
	var path []string
	var firsts []string
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v", err)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			if len(path) == 0 {
				if e.Name.Local != "svg" || e.Name.Space != "http://www.w3.org/2000/svg" {
					t.Fatalf("root is %v, want svg in the SVG namespace", e.Name)
				}
				if attr(e, "viewBox") == "" || attr(e, "role") != "img" {
					t.Errorf("root lacks viewBox or role=img")
				}
			}
			if len(path) == 1 {
				firsts = append(firsts, e.Name.Local)
			}
			if e.Name.Local == "script" || e.Name.Local == "foreignObject" {
				t.Errorf("chart contains a <%s> element", e.Name.Local)
			}
			path = append(path, e.Name.Local)
		case xml.EndElement:
			path = path[:len(path)-1]
		}
	}
	if len(firsts) < 2 || firsts[0] != "title" || firsts[1] != "desc" {
		t.Errorf("first children are %v, want title, desc", firsts)
	}
}

func attr(e xml.StartElement, name string) string {
	for _, a := range e.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// TestEscaped draws every chart of a plan whose names are markup and
// checks that they come out as text: the raw markup never appears, the
// escaped form does, and the XML still parses.
func TestEscaped(t *testing.T) {
	const evil = `<script>alert(1)</script>`
	p := examplePlan(t, "b2b")
	p.Name = evil
	p.Personas[0].Name = evil
	p.Stages[1].Name = evil + ` & "quotes"`
	p.Scenarios[0].Name = evil
	r := forward(t, p)
	o := Options{Currency: "EUR", Title: evil}
	sens, err := core.Sensitivity(p, core.SensitivityOptions{})
	if err != nil {
		t.Fatal(err)
	}
	cmp, err := core.Compare(p)
	if err != nil {
		t.Fatal(err)
	}
	jp := examplePlan(t, "journey")
	jp.Stages[1].Name = evil
	jr, err := core.AnalyzeJourney(jp)
	if err != nil {
		t.Fatal(err)
	}
	jg, err := JourneyOf(jp, jr)
	if err != nil {
		t.Fatal(err)
	}
	fc, err := core.Forecast(jp, core.ForecastOptions{Periods: 6})
	if err != nil {
		t.Fatal(err)
	}
	tab, err := core.ReadCounts(strings.NewReader("period,manager,visit,lead\n2026-01,\"" + evil + "\",100,10\n2026-01,anna,100,12\n"))
	if err != nil {
		t.Fatal(err)
	}
	fit, err := core.Fit(tab, core.FitOptions{By: "manager"})
	if err != nil {
		t.Fatal(err)
	}
	unc := p.Clone()
	unc.Uncertainty = map[string]core.Dist{"top": {Lognormal: &core.LognormalDist{Median: core.F(10000), Sigma: core.F(0.2)}}}
	sim, err := core.Simulate(context.Background(), unc, core.SimOptions{Trials: 200, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	draws := map[string]func(io.Writer) error{
		"funnel":       func(w io.Writer) error { return Funnel(w, r, o) },
		"funnel_split": func(w io.Writer) error { return Funnel(w, r, Options{Layout: Split}) },
		"matrix":       func(w io.Writer) error { return Matrix(w, p, r, o) },
		"coverage":     func(w io.Writer) error { return Coverage(w, p, r, o) },
		"scenarios":    func(w io.Writer) error { return Scenarios(w, ScenariosOf(cmp), Options{}) },
		"tornado":      func(w io.Writer) error { return Tornado(w, p, sens, Options{}) },
		"journey":      func(w io.Writer) error { return Journey(w, jg, Options{}) },
		"forecast":     func(w io.Writer) error { return Forecast(w, fc, nil, o) },
		"fit":          func(w io.Writer) error { return Fit(w, fit, Options{}) },
		"distribution": func(w io.Writer) error { return Distribution(w, sim, o) },
	}
	for name, draw := range draws {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			if err := draw(&b); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			if strings.Contains(out, "<script") {
				t.Errorf("raw <script> in the chart")
			}
			if !strings.Contains(out, "&lt;script&gt;") {
				t.Errorf("escaped name missing from the chart")
			}
			checkSVG(t, b.Bytes())
		})
	}
}

func TestInline(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"prolog", "<?xml version=\"1.0\"?>\n<!-- Generated by SVGo (float) -->\n<svg a=\"1\">\n</svg>\n", "<svg a=\"1\">\n</svg>"},
		{"bare", "<svg></svg>", "<svg></svg>"},
		{"none", "hello", "hello"},
	}
	for _, tc := range tests {
		if got := Inline([]byte(tc.in)); got != tc.want {
			t.Errorf("%s: Inline = %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestWriteIntoBuffer checks that a chart drawn into a bytes.Buffer
// (written in its free space) keeps what the buffer held and writes the
// same bytes as into any other writer, and that a chart failing after it
// began drawing leaves the buffer as it was.
func TestWriteIntoBuffer(t *testing.T) {
	const prefix = "held before "
	for _, tc := range cases(t) {
		var plain strings.Builder
		if err := tc.draw(&plain); err != nil {
			t.Fatal(err)
		}
		b := bytes.NewBufferString(prefix)
		if err := tc.draw(b); err != nil {
			t.Fatal(err)
		}
		if b.String() != prefix+plain.String() {
			t.Errorf("%s: drawn into a buffer holding %q, got %q... (%d bytes), want the prefix and the chart (%d bytes)",
				tc.name, prefix, b.String()[:min(b.Len(), 40)], b.Len(), len(prefix)+plain.Len())
		}
	}
	r := forward(t, examplePlan(t, "b2b"))
	b := bytes.NewBufferString(prefix)
	if err := Funnel(b, r, Options{Width: 40}); err == nil {
		t.Fatal("a 40 px wide funnel: no error")
	}
	if b.String() != prefix {
		t.Errorf("a failed chart changed the buffer to %q", b.String())
	}
}

func TestFunnelErrors(t *testing.T) {
	var b bytes.Buffer
	if err := Funnel(&b, nil, Options{}); err == nil {
		t.Error("nil result: no error")
	}
	if err := Funnel(&b, &core.ForwardResult{}, Options{}); err == nil {
		t.Error("no stages: no error")
	}
	r := &core.ForwardResult{Stages: []core.StageResult{{ID: "a", Count: 1}}, Personas: []core.PersonaResult{{ID: "x", Counts: []float64{1, 2}}}}
	if err := Funnel(&b, r, Options{}); err == nil {
		t.Error("persona counts of the wrong length: no error")
	}
	if b.Len() != 0 {
		t.Errorf("a failed chart wrote %d bytes", b.Len())
	}
}

func BenchmarkFunnel(b *testing.B) {
	r := forward(b, bigPlan(8, 10))
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := Funnel(&buf, r, Options{Currency: "USD"}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "bytes/chart")
}

func BenchmarkMatrix(b *testing.B) {
	p := bigPlan(8, 10)
	r := forward(b, p)
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := Matrix(&buf, p, r, Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "bytes/chart")
}

// TestDegenerate draws charts of plans at the edges (nobody enters, no
// order value, identical draws) and checks they are well formed and say
// nothing undefined.
func TestDegenerate(t *testing.T) {
	zero := examplePlan(t, "b2b")
	zero.Top = 0
	zero.OrderValue = 0
	for i := range zero.Personas {
		zero.Personas[i].OrderValue = nil
	}
	fz := forward(t, zero)
	sens, err := core.Sensitivity(zero, core.SensitivityOptions{})
	if err != nil {
		t.Fatal(err)
	}
	cmp, err := core.Compare(zero)
	if err != nil {
		t.Fatal(err)
	}
	flat := &core.SimResult{Trials: 3, RevenueDraws: []float64{5, 5, 5}, Revenue: core.Summary{Mean: 5, P10: 5, P50: 5, P90: 5, Min: 5, Max: 5}}
	nothing := &core.ForecastResult{Periods: []core.ForecastPeriod{{Index: 0}, {Index: 1}}}
	draws := map[string]func(io.Writer) error{
		"funnel":       func(w io.Writer) error { return Funnel(w, fz, Options{}) },
		"funnel_split": func(w io.Writer) error { return Funnel(w, fz, Options{Layout: Split}) },
		"matrix":       func(w io.Writer) error { return Matrix(w, zero, fz, Options{}) },
		"coverage":     func(w io.Writer) error { return Coverage(w, zero, fz, Options{}) },
		"tornado":      func(w io.Writer) error { return Tornado(w, zero, sens, Options{}) },
		"scenarios":    func(w io.Writer) error { return Scenarios(w, ScenariosOf(cmp), Options{}) },
		"distribution": func(w io.Writer) error { return Distribution(w, flat, Options{}) },
		"forecast":     func(w io.Writer) error { return Forecast(w, nothing, nil, Options{}) },
	}
	for name, draw := range draws {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			if err := draw(&b); err != nil {
				t.Fatal(err)
			}
			checkSVG(t, b.Bytes())
		})
	}
}

func ExampleInline() {
	r := &core.ForwardResult{Stages: []core.StageResult{{ID: "visit", Name: "Visit", Count: 100, Cumulative: 1}}}
	var b bytes.Buffer
	if err := Funnel(&b, r, Options{}); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(strings.HasPrefix(b.String(), "<?xml"))
	fmt.Println(Inline(b.Bytes())[:4])
	// Output:
	// true
	// <svg
}
