package core

import (
	"errors"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"
)

// tolSpecialFn: absolute agreement of special-function values (MATH.md §0).
const tolSpecialFn = 1e-10

// mathGPlan is the worked example of MATH.md §g: lead → opportunity p =
// 0.10 with a geometric lag of mean 1 month, opportunity → purchase p =
// 0.20 with a gamma lag (κ = 2, θ = 1 month), v = 12 000, 1000 leads a
// month.
func mathGPlan() *Plan {
	p := testFunnelPlan(1000, []float64{0.1, 0.2})
	p.Period = "month"
	p.OrderValue = 12000
	p.Stages[1].Lag = &Lag{Dist: "geometric", Mean: 1}
	p.Stages[2].Lag = &Lag{Dist: "gamma", Shape: 2, Scale: 1}
	return p
}

func TestLagPMFWorkedExample(t *testing.T) {
	month := PeriodDays("month")
	geo, err := LagPMF(&Lag{Dist: "geometric", Mean: 1}, month, "month")
	if err != nil {
		t.Fatal(err)
	}
	gam, err := LagPMF(&Lag{Dist: "gamma", Shape: 2, Scale: 1}, month, "month")
	if err != nil {
		t.Fatal(err)
	}
	total := convolve(geo, gam, 0)
	cases := []struct {
		name string
		got  []float64
		want []float64 // MATH.md §g, example
		tol  float64
	}{
		{"geometric", geo[:3], []float64{0.5, 0.25, 0.125}, tolExact},
		{"gamma", gam[:6], []float64{0.09020401, 0.35197059, 0.27052791, 0.15140927, 0.074788744, 0.034535467}, 5e-9},
		{"total", total[:8], []float64{0.045102005, 0.1985363, 0.2345321, 0.19297069, 0.13387971, 0.084207591, 0.049747906, 0.028161241}, 5e-9},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for i, w := range c.want {
				if math.Abs(c.got[i]-w) > c.tol {
					t.Errorf("f[%d] = %.10g, want %.10g", i, c.got[i], w)
				}
			}
		})
	}
	gs, ts := summarizePMF(gam), summarizePMF(total)
	if math.Abs(gs.Mean-1.99769) > 5e-6 || math.Abs(ts.Mean-2.99769) > 5e-6 || ts.Median != 3 || ts.P90 != 6 {
		t.Errorf("gamma mean %g; total mean %g median %d P90 %d; want 1.99769, 2.99769, 3, 6 (MATH.md §g)", gs.Mean, ts.Mean, ts.Median, ts.P90)
	}
	// Truncation: the geometric tail λ^{K+1} = 0.5^{30} < 1e-9 first at
	// K = 29 (hand); every pmf sums to 1.
	if len(geo) != 30 {
		t.Errorf("geometric K = %d, want 29", len(geo)-1)
	}
	for _, f := range [][]float64{geo, gam, total} {
		if s := sum(f); math.Abs(s-1) > 1e-12 {
			t.Errorf("pmf sums to %.17g", s)
		}
	}
}

func TestLagPMFForms(t *testing.T) {
	week, month, day := PeriodDays("week"), PeriodDays("month"), PeriodDays("day")
	// Gamma with shape 1 is the exponential: f(0) = 1 − e^{−½/θ}, f(k) =
	// e^{−(k−½)/θ} − e^{−(k+½)/θ} (hand).
	exp, err := LagPMF(&Lag{Dist: "gamma", Shape: 1, Scale: 2, Unit: "week"}, week, "month")
	if err != nil {
		t.Fatal(err)
	}
	for k := 0; k < 10; k++ {
		want := math.Exp(-(float64(k)-0.5)/2) - math.Exp(-(float64(k)+0.5)/2)
		if k == 0 {
			want = 1 - math.Exp(-0.25)
		}
		if math.Abs(exp[k]-want) > tolSpecialFn {
			t.Errorf("exponential f[%d] = %.15g, want %.15g", k, exp[k], want)
		}
	}
	// Units: a geometric lag of mean 1 week in month bins has mean 7/30.4375
	// months (the discretised geometric keeps its mean).
	g, _ := LagPMF(&Lag{Dist: "geometric", Mean: 1, Unit: "week"}, month, "month")
	if m := summarizePMF(g).Mean; math.Abs(m-7/month) > 1e-8 {
		t.Errorf("mean %.12g months, want %.12g", m, 7/month)
	}
	// Gamma in months, bins of weeks: mean κθ = 3 months = 13.04 weeks
	// (midpoint rule error well below 0.01).
	gm, _ := LagPMF(&Lag{Dist: "gamma", Shape: 3, Scale: 1, Unit: "month"}, week, "month")
	if m := summarizePMF(gm).Mean; math.Abs(m-3*month/week) > 0.01 {
		t.Errorf("mean %.6g weeks, want %.6g", m, 3*month/week)
	}
	// Empirical: normalised; in the same unit unchanged.
	em, _ := LagPMF(&Lag{Dist: "empirical", PMF: []float64{1, 3, 0, 4, 0, 0}}, month, "month")
	if fmt.Sprint(em) != "[0.125 0.375 0 0.5]" {
		t.Errorf("empirical %v", em)
	}
	// Rebinned: all mass at 1 week stands for [0.5, 1.5) weeks = [3.5,
	// 10.5) days: 1/7 in each of days 4..10 (hand).
	eb, _ := LagPMF(&Lag{Dist: "empirical", Unit: "week", PMF: []float64{0, 2}}, day, "month")
	if len(eb) != 11 || sum(eb[:4]) != 0 {
		t.Fatalf("rebinned %v", eb)
	}
	for k := 4; k <= 10; k++ {
		if math.Abs(eb[k]-1.0/7) > 1e-15 {
			t.Errorf("day %d: %g, want 1/7", k, eb[k])
		}
	}
	// No lag, and a zero mean: everything in bin 0.
	for _, l := range []*Lag{nil, {Dist: "geometric", Mean: 0}} {
		if f, _ := LagPMF(l, month, "month"); len(f) != 1 || f[0] != 1 {
			t.Errorf("%+v: %v", l, f)
		}
	}
	for _, l := range []*Lag{{Dist: "uniform"}, {Dist: "gamma", Shape: -1, Scale: 1}, {Dist: "empirical", PMF: []float64{0}}, {Dist: "geometric", Mean: 1, Unit: "fortnight"}} {
		if _, err := LagPMF(l, month, "month"); err == nil {
			t.Errorf("%+v accepted", l)
		}
	}
}

func TestConvolutionMoments(t *testing.T) {
	// MATH.md §g: total lag mean = Σ means, variance = Σ variances.
	week := PeriodDays("week")
	a, _ := LagPMF(&Lag{Dist: "geometric", Mean: 2.5}, week, "week")
	b, _ := LagPMF(&Lag{Dist: "gamma", Shape: 1.7, Scale: 3}, week, "week")
	c, _ := LagPMF(&Lag{Dist: "empirical", PMF: []float64{1, 2, 3, 4}}, week, "week")
	sa, sb, sc := summarizePMF(a), summarizePMF(b), summarizePMF(c)
	st := summarizePMF(convolve(convolve(a, b, 0), c, 0))
	if !relClose(st.Mean, sa.Mean+sb.Mean+sc.Mean, 1e-12) ||
		!relClose(st.SD*st.SD, sa.SD*sa.SD+sb.SD*sb.SD+sc.SD*sc.SD, 1e-10) {
		t.Errorf("mean %g var %g; sums %g %g", st.Mean, st.SD*st.SD, sa.Mean+sb.Mean+sc.Mean, sa.SD*sa.SD+sb.SD*sb.SD+sc.SD*sc.SD)
	}
}

func TestForecastWorkedExample(t *testing.T) {
	r, err := Forecast(mathGPlan(), ForecastOptions{Periods: 12})
	if err != nil {
		t.Fatal(err)
	}
	// MATH.md §g, example.
	opp := []float64{50, 75, 87.5, 93.75, 96.875, 98.4375}
	purch := []float64{0.9020401, 4.872766, 9.563408, 13.42282, 16.10042, 17.78457, 18.77953, 19.34275, 19.65205, 19.81816, 19.90592, 19.95169}
	for i, w := range opp {
		if got := r.Periods[i].Arrivals[1]; !relClose(got, w, tolExact) {
			t.Errorf("opportunities m%d = %.15g, want %g", i, got, w)
		}
	}
	for i, w := range purch {
		if got := r.Periods[i].Purchases; !relClose(got, w, 5e-7) {
			t.Errorf("purchases m%d = %.10g, want %.7g", i, got, w)
		}
	}
	if got := r.Periods[11].Revenue; math.Abs(got-239420.30) > 0.005 {
		t.Errorf("revenue m11 = %.4f, want 239 420.30", got)
	}
	if r.SteadyState.Purchases != 20 || r.WarmUp != 7 || r.TimeToClose.Median != 3 || r.TimeToClose.P90 != 6 ||
		math.Abs(r.TimeToClose.Mean-2.99769) > 5e-6 {
		t.Errorf("steady %g warm-up %d time to close %+v; want 20, 7, median 3, P90 6, mean 2.99769", r.SteadyState.Purchases, r.WarmUp, r.TimeToClose.LagSummary)
	}
	// One cohort of 1000 in m0.
	cohort := []float64{0.90204, 3.97073, 4.69064, 3.85941, 2.67759, 1.68415, 0.994958, 0.563225, 0.309295, 0.166118, 0.0877515, 0.0457762}
	r, err = Forecast(mathGPlan(), ForecastOptions{Periods: 12, Inflow: []float64{1000, 0}})
	if err != nil {
		t.Fatal(err)
	}
	for i, w := range cohort {
		if got := r.Periods[i].Purchases; !relClose(got, w, 5e-6) {
			t.Errorf("cohort m%d = %.8g, want %g", i, got, w)
		}
	}
	if math.Abs(r.Purchases-19.9517) > 5e-5 {
		t.Errorf("cohort within 12 months %.6f, want 19.9517", r.Purchases)
	}
}

func TestForecastJourneyWorkedExample(t *testing.T) {
	// MATH.md §f, time-phased: 100 entrants a week, x_t = x_{t−1}Q + 100 e_0,
	// purchases_t = x_t R_P.
	p, err := DecodeBytes([]byte(strings.Replace(mathFPlan, `"top": 100,`, `"top": 100, "period": "week",`, 1)))
	if err != nil {
		t.Fatal(err)
	}
	r, err := Forecast(p, ForecastOptions{Periods: 400, Model: ModelJourney})
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{0, 0, 0, 0.72, 1.836, 2.9934, 4.0071, 4.819, 5.4359, 5.8895}
	for i, w := range want {
		if got := r.Periods[i].Purchases; math.Abs(got-w) > 5e-5 {
			t.Errorf("week %d: %.6f, want %g", i, got, w)
		}
	}
	// → 100·B_0P = 6.9733656, steady stock 100·Σ_j N_0j = 100·t_0 = 356.90073.
	last := r.Periods[len(r.Periods)-1]
	if !relClose(last.Purchases, 6.9733656, tolPrinted) || !relClose(r.SteadyState.Purchases, 6.9733656, tolPrinted) ||
		!relClose(last.Active, 356.90073, tolPrinted) {
		t.Errorf("last week: %+v, steady %+v", last, r.SteadyState)
	}
	if r.PeriodDays != 7 || r.TimeToClose.Median != 6 {
		// Median 7 steps (MATH.md §f) is a purchase at the end of step 7,
		// in the step with index 6.
		t.Errorf("period %g days, median %d", r.PeriodDays, r.TimeToClose.Median)
	}
}

func TestForecastReferrals(t *testing.T) {
	// MATH.md §h: C_0 = 25 (10 000 × .05 × .4 × .5 × .25), α = .3, r = 4,
	// referrals enter as leads (D = .05), g = .06.
	plan := func(lag int, r float64) *Plan {
		p := testFunnelPlan(10000, []float64{.05, .4, .5, .25})
		p.Referrals = &Referrals{Advocates: 0.3, PerAdvocate: r, Stage: "s1", Lag: lag}
		return p
	}
	r, err := Forecast(plan(1, 4), ForecastOptions{Periods: 5})
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{25, 26.5, 26.59, 26.5954, 26.595724} // MATH.md §h, lagged L = 1
	for i, w := range want {
		if got := r.Periods[i].Purchases; !relClose(got, w, 5e-8) {
			t.Errorf("month %d: %.10g, want %g", i, got, w)
		}
	}
	if !relClose(r.SteadyState.Purchases, 26.595745, 5e-8) || !relClose(*r.ReferralGain, 0.06, tolExact) {
		t.Errorf("steady %g gain %g, want 26.595745 and 0.06", r.SteadyState.Purchases, *r.ReferralGain)
	}
	// Without a lag, referrals buy in the same period: C/(1 − g) at once.
	r, err = Forecast(plan(0, 4), ForecastOptions{Periods: 3})
	if err != nil {
		t.Fatal(err)
	}
	for _, pd := range r.Periods {
		if !relClose(pd.Purchases, 25/0.94, tolClosed) || !relClose(pd.Referrals, 1.2*25/0.94, tolClosed) {
			t.Errorf("period %d: %g purchases %g referrals, want %g and %g", pd.Index, pd.Purchases, pd.Referrals, 25/0.94, 1.2*25/0.94)
		}
	}
	// r = 70: g = 1.05. A finite horizon is allowed with a warning and no
	// steady state; without a lag it cannot be computed.
	r, err = Forecast(plan(1, 70), ForecastOptions{Periods: 24})
	if err != nil {
		t.Fatal(err)
	}
	if r.SteadyState != nil || len(r.Warnings) == 0 || !strings.Contains(r.Warnings[0], "explosive; market saturation not modelled") {
		t.Errorf("steady %+v warnings %v", r.SteadyState, r.Warnings)
	}
	if _, err := Forecast(plan(0, 70), ForecastOptions{Periods: 3}); err == nil {
		t.Error("an explosive loop without lag was computed")
	}
}

func TestForecastSteadyStateIsForward(t *testing.T) {
	// With a constant inflow, a long forecast settles at the forward
	// funnel (personas, capacities, buying group), whatever the lags.
	for _, name := range []string{"b2b", "journey"} {
		t.Run(name, func(t *testing.T) {
			b, err := os.ReadFile("examples/" + name + ".json")
			if err != nil {
				t.Fatal(err)
			}
			p, err := DecodeBytes(b)
			if err != nil {
				t.Fatal(err)
			}
			p.Referrals = nil
			for i := 1; i < len(p.Stages); i++ {
				if p.Stages[i].Lag == nil {
					p.Stages[i].Lag = &Lag{Dist: "gamma", Shape: 1.5, Scale: float64(i)}
				}
			}
			q, _, err := WithBuyingGroup(p)
			if err != nil {
				t.Fatal(err)
			}
			f, err := Forward(q)
			if err != nil {
				t.Fatal(err)
			}
			r, err := Forecast(p, ForecastOptions{Periods: 400})
			if err != nil {
				t.Fatal(err)
			}
			last := r.Periods[len(r.Periods)-1]
			if !relClose(last.Purchases, f.Customers, 1e-9) || !relClose(last.Revenue, f.Revenue, 1e-9) ||
				!relClose(r.SteadyState.Purchases, f.Customers, tolExact) {
				t.Errorf("last period %g / %g, steady %g; forward %g / %g", last.Purchases, last.Revenue, r.SteadyState.Purchases, f.Customers, f.Revenue)
			}
			for i := range p.Stages {
				if !relClose(last.Arrivals[i], f.Stages[i].Count, 1e-9) {
					t.Errorf("stage %d: %g, forward %g", i, last.Arrivals[i], f.Stages[i].Count)
				}
			}
		})
	}
}

func TestForecastCapacity(t *testing.T) {
	// Capacity 80 proposals a period (MATH.md §e: capacitated N = [10000,
	// 500, 200, 80, 20]): the forecast without lags gives 20 a period.
	p := testFunnelPlan(10000, []float64{.05, .4, .5, .25})
	p.Stages[3].Capacity = F(80)
	r, err := Forecast(p, ForecastOptions{Periods: 3})
	if err != nil {
		t.Fatal(err)
	}
	if !relClose(r.Periods[2].Purchases, 20, tolExact) || len(r.Warnings) != 1 {
		t.Errorf("purchases %g warnings %v", r.Periods[2].Purchases, r.Warnings)
	}
	// Referrals in the same period meet the same capacity: proposals stay
	// at 80, so purchases stay at 20 (hand), and each period counts once.
	p.Referrals = &Referrals{Advocates: 0.3, PerAdvocate: 4, Stage: "s1"}
	r, err = Forecast(p, ForecastOptions{Periods: 3})
	if err != nil {
		t.Fatal(err)
	}
	if !relClose(r.Periods[2].Purchases, 20, tolExact) || !relClose(r.Periods[2].Arrivals[3], 80, tolExact) ||
		len(r.Warnings) != 1 || !strings.Contains(r.Warnings[0], "in 3 of 3 periods") {
		t.Errorf("purchases %g proposals %g warnings %v", r.Periods[2].Purchases, r.Periods[2].Arrivals[3], r.Warnings)
	}
}

func TestForecastErrors(t *testing.T) {
	p := mathGPlan()
	cases := []struct {
		opt  ForecastOptions
		want string
	}{
		{ForecastOptions{Periods: 0}, "periods"},
		{ForecastOptions{Periods: MaxForecastPeriods + 1}, "periods"},
		{ForecastOptions{Periods: 3, Inflow: []float64{1, -1}}, "inflow[1]"},
		{ForecastOptions{Periods: 3, Inflow: []float64{math.NaN()}}, "inflow[0]"},
		{ForecastOptions{Periods: 3, Model: "markov"}, "not a model"},
		{ForecastOptions{Periods: 3, Model: ModelJourney}, "no journey"},
		{ForecastOptions{Periods: 3, Model: ModelJourney, Unit: "week"}, "journey steps"},
	}
	for _, c := range cases {
		if _, err := Forecast(p, c.opt); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: error %v, want %q", c.opt, err, c.want)
		}
	}
}

func TestReferralWorkedExample(t *testing.T) {
	// MATH.md §h: C_0 = 25, α = .3, r = 4, D = .05.
	l, err := Loop(25, 0.3, 4, 0.05)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name      string
		got, want float64
	}{
		{"gain", l.Gain, 0.06},
		{"customers", l.Customers, 26.595745},
		{"referral customers", l.ReferralCustomers, 1.595745},
		{"referral leads", l.Referrals, 31.914894},
	}
	for _, c := range cases {
		if math.Abs(c.got-c.want) > tolSix {
			t.Errorf("%s = %.10g, want %g (MATH.md §h)", c.name, c.got, c.want)
		}
	}
	gens := []float64{25, 1.5, 0.09, 0.0054, 0.000324}
	if len(l.Generations) != len(gens) {
		t.Fatalf("generations %v, want %v", l.Generations, gens)
	}
	for i, w := range gens {
		if !relClose(l.Generations[i], w, tolClosed) {
			t.Errorf("generation %d = %g, want %g", i, l.Generations[i], w)
		}
	}
	lag, err := Lagged([]float64{25, 25, 25, 25, 25}, l.Gain, 1)
	if err != nil {
		t.Fatal(err)
	}
	for i, w := range []float64{25, 26.5, 26.59, 26.5954, 26.595724} {
		if !relClose(lag[i], w, 5e-8) {
			t.Errorf("lagged month %d = %.10g, want %g", i, lag[i], w)
		}
	}
	// r = 70 → g = 1.05 → Invalid.
	if l, err := Loop(25, 0.3, 70, 0.05); !errors.Is(err, ErrExplosive) || !relClose(l.Gain, 1.05, tolExact) {
		t.Errorf("r = 70: %v, %+v", err, l)
	}
}

func TestReferralSegments(t *testing.T) {
	cases := []struct {
		name string
		c0   []float64
		G    [][]float64
		want []float64 // hand: C = C_0 (I − G)^{-1}
		err  error
	}{
		{"one segment is the closed form", []float64{25}, [][]float64{{0.06}}, []float64{25 / 0.94}, nil},
		{"two segments", []float64{10, 20}, [][]float64{{0.1, 0.05}, {0.2, 0.1}}, []float64{16.25, 23.125}, nil},
		// Row sum 2 > 1 but ρ = √0.2 < 1: the exact test accepts it;
		// C_1 = 10 + .1 C_2, C_2 = 2 C_1 → C = [12.5, 25].
		{"row sum above 1", []float64{10, 0}, [][]float64{{0, 2}, {0.1, 0}}, []float64{12.5, 25}, nil},
		{"explosive", []float64{10, 20}, [][]float64{{0.5, 0.6}, {0.6, 0.5}}, nil, ErrExplosive},
		{"singular", []float64{10}, [][]float64{{1}}, nil, ErrExplosive},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Segments(c.c0, c.G)
			if !errors.Is(err, c.err) {
				t.Fatalf("error %v, want %v", err, c.err)
			}
			for i, w := range c.want {
				if !relClose(got[i], w, tolClosed) {
					t.Errorf("C[%d] = %.15g, want %g", i, got[i], w)
				}
			}
		})
	}
}

func TestReferralPlan(t *testing.T) {
	p := testFunnelPlan(10000, []float64{.05, .4, .5, .25})
	p.Referrals = &Referrals{Advocates: 0.3, PerAdvocate: 4, Stage: "s1", Lag: 1}
	r, err := Referral(p)
	if err != nil {
		t.Fatal(err)
	}
	if r.Stage != "s1" || !relClose(r.Downstream, 0.05, tolClosed) || !relClose(r.Customers, 26.595745, 5e-8) ||
		!relClose(r.Lagged[4], 26.595724, 5e-8) {
		t.Errorf("%+v", r)
	}
	p.Referrals.PerAdvocate = 70
	if _, err := Referral(p); !errors.Is(err, ErrExplosive) || !strings.Contains(err.Error(), "1.05") {
		t.Errorf("r = 70: %v", err)
	}
	// Segments by persona: the personas' customers as C_0.
	p.Referrals.PerAdvocate = 4
	p.Personas = []Persona{{ID: "a", Share: 0.5}, {ID: "b", Share: 0.5}}
	p.Referrals.Segments = map[string]map[string]float64{"a": {"a": 0.1, "b": 0.05}, "b": {"a": 0.2, "b": 0.1}}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	r, err = Referral(p)
	if err != nil {
		t.Fatal(err)
	}
	// C_0 = [12.5, 12.5] (hand, Cramer's rule on (I − G)^T C^T = C_0^T):
	// det = .9·.9 − .2·.05 = .8; C_1 = (12.5·.9 + .2·12.5)/.8 = 17.1875; C_2 = (12.5·.9 + .05·12.5)/.8 = 14.84375.
	if len(r.Segments) != 2 || !relClose(r.Segments[0].Customers, 17.1875, tolClosed) || !relClose(r.Segments[1].Customers, 14.84375, tolClosed) {
		t.Errorf("segments %+v", r.Segments)
	}
}

func ExampleForecast() {
	p := &Plan{Version: 1, Name: "MATH.md §g", Period: "month", Top: 1000, OrderValue: 12000, Stages: []Stage{
		{ID: "lead"},
		{ID: "opportunity", Rate: F(0.10), Lag: &Lag{Dist: "geometric", Mean: 1}},
		{ID: "purchase", Rate: F(0.20), Lag: &Lag{Dist: "gamma", Shape: 2, Scale: 1}},
	}}
	r, err := Forecast(p, ForecastOptions{Periods: 6})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, pd := range r.Periods {
		fmt.Printf("month %d: %7.4f purchases, revenue %10.2f\n", pd.Index, pd.Purchases, pd.Revenue)
	}
	fmt.Printf("time to close: mean %.3f, median %d, P90 %d months; steady %.0f a month after %d months\n",
		r.TimeToClose.Mean, r.TimeToClose.Median, r.TimeToClose.P90, r.SteadyState.Purchases, r.WarmUp)
	// Output:
	// month 0:  0.9020 purchases, revenue   10824.48
	// month 1:  4.8728 purchases, revenue   58473.19
	// month 2:  9.5634 purchases, revenue  114760.90
	// month 3: 13.4228 purchases, revenue  161073.86
	// month 4: 16.1004 purchases, revenue  193204.99
	// month 5: 17.7846 purchases, revenue  213414.81
	// time to close: mean 2.998, median 3, P90 6 months; steady 20 a month after 7 months
}

func ExampleLoop() {
	l, _ := Loop(25, 0.3, 4, 0.05)
	fmt.Printf("gain %.2f: %.6f customers, %.6f from referrals\n", l.Gain, l.Customers, l.ReferralCustomers)
	// Output: gain 0.06: 26.595745 customers, 1.595745 from referrals
}

func sum(f []float64) float64 {
	s := 0.0
	for _, x := range f {
		s += x
	}
	return s
}

func TestForecastUnits(t *testing.T) {
	month, week := PeriodDays("month"), PeriodDays("week")
	// The §g example in weekly bins: 1000 leads a month are 1000·7/30.4375
	// a week; steady 20 a month = 20·7/30.4375 a week (hand).
	r, err := Forecast(mathGPlan(), ForecastOptions{Periods: 400, Unit: "week"})
	if err != nil {
		t.Fatal(err)
	}
	if r.Unit != "week" || r.PeriodDays != 7 || !relClose(r.Periods[0].Inflow, 1000*week/month, tolExact) ||
		!relClose(r.SteadyState.Purchases, 20*week/month, tolExact) || !relClose(r.Periods[399].Purchases, 20*week/month, 1e-9) {
		t.Errorf("unit %s, inflow %g, steady %g, last %g", r.Unit, r.Periods[0].Inflow, r.SteadyState.Purchases, r.Periods[399].Purchases)
	}
	// The time to close does not depend much on the bins: 2.99769 months
	// (MATH.md §g) in days, within the midpoint rule's error.
	if math.Abs(r.TimeToClose.DaysMean-2.99769*month) > 0.01*month {
		t.Errorf("time to close %g days, want about %g", r.TimeToClose.DaysMean, 2.99769*month)
	}
	// auto: a week for a mean under 3 months, else a month.
	for _, c := range []struct {
		lag  *Lag
		want string
	}{
		{&Lag{Dist: "geometric", Unit: "week", Mean: 2}, "week"},
		{&Lag{Dist: "gamma", Unit: "month", Shape: 6, Scale: 1}, "month"},
	} {
		p := testFunnelPlan(1000, []float64{0.5})
		p.Stages[1].Lag = c.lag
		r, err := Forecast(p, ForecastOptions{Periods: 3, Unit: "auto"})
		if err != nil || r.Unit != c.want {
			t.Errorf("%+v: unit %v, error %v; want %s", c.lag, r.Unit, err, c.want)
		}
	}
	if _, err := Forecast(mathGPlan(), ForecastOptions{Periods: 3, Unit: "fortnight"}); err == nil {
		t.Error("unit fortnight accepted")
	}
	// Referral lag in plan periods becomes whole bins: 1 month = 4 weeks
	// (30.4375/7 = 4.35, rounded).
	p := testFunnelPlan(10000, []float64{.05, .4, .5, .25})
	p.Referrals = &Referrals{Advocates: 0.3, PerAdvocate: 4, Stage: "s1", Lag: 1}
	r, err = Forecast(p, ForecastOptions{Periods: 6, Unit: "week"})
	if err != nil {
		t.Fatal(err)
	}
	if r.Periods[3].Referrals != 0 || r.Periods[4].Referrals == 0 {
		t.Errorf("referrals %g in week 3, %g in week 4", r.Periods[3].Referrals, r.Periods[4].Referrals)
	}
}

func TestForecastJourneyHorizon(t *testing.T) {
	// One cohort through the §f journey with a horizon of 5 steps: every
	// purchase happens within 5 steps, and the cohort's purchases are the
	// purchase probability within the horizon.
	plan := strings.Replace(mathFPlan, `"step_days": 7,`, `"step_days": 7, "horizon": 5,`, 1)
	p, err := DecodeBytes([]byte(plan))
	if err != nil {
		t.Fatal(err)
	}
	j, err := AnalyzeJourney(p)
	if err != nil {
		t.Fatal(err)
	}
	r, err := Forecast(p, ForecastOptions{Periods: 10, Model: ModelJourney, Inflow: []float64{1000, 0}})
	if err != nil {
		t.Fatal(err)
	}
	for _, pd := range r.Periods[5:] {
		if pd.Purchases != 0 || pd.Active != 0 {
			t.Errorf("step %d after the horizon: %+v", pd.Index, pd)
		}
	}
	if !relClose(r.Purchases, 1000*j.PurchaseProbability, 1e-12) {
		t.Errorf("cohort purchases %.15g, want %.15g", r.Purchases, 1000*j.PurchaseProbability)
	}
	// The earliest purchase from Aware is three moves forward and one to
	// purchase, .2·.3·.3·.4 = .0072, at step 4 (index 3; hand, and 0.72
	// per 100 in MATH.md §f's series).
	if !relClose(r.Periods[3].Purchases, 7.2, 1e-12) {
		t.Errorf("step 3: %.15g purchases, want 7.2", r.Periods[3].Purchases)
	}
}

func TestResultsAreFinite(t *testing.T) {
	// Numbers too large to compute are an error, never +Inf in a result.
	p := testFunnelPlan(1e308, []float64{1})
	p.OrderValue = 1e308
	if _, err := Forecast(p, ForecastOptions{Periods: 2}); err == nil || !strings.Contains(err.Error(), "not finite") {
		t.Errorf("forecast: %v", err)
	}
	p.OrderValue = 1
	p.Journey = &Journey{StepDays: 1e308, Transitions: map[string]map[string]float64{
		"s0": {"s0": 0.9, "purchase": 0.1},
	}}
	if _, err := AnalyzeJourney(p); err == nil || !strings.Contains(err.Error(), "not finite") {
		t.Errorf("journey: %v", err)
	}
	p.Journey.StepDays = 7
	if r, err := AnalyzeJourney(p); err != nil || !relClose(r.ExpectedDays, 70, tolClosed) {
		t.Errorf("journey: %v", err)
	}
}
