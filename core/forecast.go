package core

import (
	"errors"
	"fmt"
	"math"
)

// Forecast models.
const (
	ModelFunnel  = "funnel"
	ModelJourney = "journey"
)

// MaxForecastPeriods is the longest forecast, in periods.
const MaxForecastPeriods = 2000

// warmUpShare is the share of the steady state that ends the warm-up
// (MATH.md §g).
const warmUpShare = 0.95

// ForecastOptions says what to forecast.
type ForecastOptions struct {
	// Periods is the number of periods (bins) to forecast, 1..2000.
	Periods int
	// Inflow is the entrants per period from period 0 on; the last value
	// repeats ("1000, 0" is one cohort). Nil means the plan's top every
	// period (in the journey model, scaled to one step).
	Inflow []float64
	// Model is "funnel" (default: stage rates and lags, bins of one plan
	// period) or "journey" (the Markov journey, bins of one step).
	Model string
	// Unit is the bin width of the funnel model: day, week, month,
	// quarter or year (default the plan period), or "auto": a week when
	// the mean time to close is under 3 months, else a month (MATH.md
	// §g). Volumes (top, inflow default, capacities) scale with it; the
	// referral lag is rounded to whole bins.
	Unit string
}

// ForecastResult is a time-phased forecast (MATH.md §g).
type ForecastResult struct {
	Model string `json:"model"`
	// Unit is the period unit: a plan period unit in the funnel model,
	// "step" in the journey model.
	Unit string `json:"unit"`
	// PeriodDays is the length of one period (bin) in days.
	PeriodDays float64          `json:"period_days"`
	Periods    []ForecastPeriod `json:"periods"`
	// Stages are the stage ids of ForecastPeriod.Arrivals (funnel model).
	Stages []string `json:"stages,omitempty"`
	// Purchases and Revenue are the totals over the forecast.
	Purchases float64 `json:"purchases"`
	Revenue   float64 `json:"revenue"`
	// TimeToClose is the lag from entry to purchase of those who
	// purchase, in periods (and DaysMean in days).
	TimeToClose TimeToClose `json:"time_to_close"`
	// SteadyState is the purchases and revenue per period once a constant
	// inflow (the last inflow value) has run long enough; nil when there
	// is none (an explosive referral loop).
	SteadyState *SteadyState `json:"steady_state"`
	// WarmUp is the first period t with F(t) >= 0.95, F the CDF of the
	// time to close: from then on a constant inflow gives at least 95 %
	// of the steady purchases (without referrals and capacities).
	WarmUp int `json:"warm_up"`
	// BuyingGroup is the plan's buying group as applied to its stage's
	// rate (funnel model; nil without one).
	BuyingGroup *GroupEffect `json:"buying_group,omitempty"`
	// ReferralGain is the loop gain g of the plan's referrals (funnel
	// model; nil without referrals).
	ReferralGain *float64 `json:"referral_gain,omitempty"`
	// Referral is the steady-state referral loop per plan period (MATH.md
	// §h; funnel model with referrals and a gain below 1).
	Referral *ReferralResult `json:"referral,omitempty"`
	Warnings []string        `json:"warnings"`
}

// ForecastPeriod is one period of a forecast.
type ForecastPeriod struct {
	Index int `json:"index"`
	// Inflow is the entrants of the period.
	Inflow float64 `json:"inflow"`
	// Purchases (customers) and Revenue in the period.
	Purchases float64 `json:"purchases"`
	Revenue   float64 `json:"revenue"`
	// CumulativePurchases is the sum of Purchases up to this period.
	CumulativePurchases float64 `json:"cumulative_purchases"`
	// Arrivals are the persons arriving at each stage in the period,
	// referrals included (funnel model).
	Arrivals []float64 `json:"arrivals,omitempty"`
	// Referrals are the referred persons entering in the period, and
	// ReferralPurchases the purchases that come from them (funnel model
	// with referrals).
	Referrals         float64 `json:"referrals,omitempty"`
	ReferralPurchases float64 `json:"referral_purchases,omitempty"`
	// Active is the persons in the journey during the step (journey
	// model: Σ_j x_t,j).
	Active float64 `json:"active,omitempty"`
}

// TimeToClose describes the lag from entry to purchase, in periods: a
// purchase in the period of entry has lag 0.
type TimeToClose struct {
	LagSummary
	// DaysMean is the mean in days: Mean times the period length in the
	// funnel model; in the journey model the expected days to purchase of
	// those who purchase (T|P of MATH.md §f: the purchase step counts).
	DaysMean float64 `json:"days_mean"`
	// PMF is f(k) for k = 0.. until 1e-6 or less is left (at most 600
	// bins).
	PMF []float64 `json:"pmf"`
}

// SteadyState is the flow per period under a constant inflow.
type SteadyState struct {
	Inflow    float64 `json:"inflow"`
	Purchases float64 `json:"purchases"`
	Revenue   float64 `json:"revenue"`
}

// Forecast computes purchases and revenue per period (MATH.md §g). The
// funnel model follows each stage with its lag (Stage.Lag, in bins of one
// plan period):
//
//	A_0(t) = inflow(t),  A_i(t) = p_i · Σ_{s<=t} A_{i−1}(s) f_i(t−s)
//	purchases(t) = A_n(t),  revenue(t) = v · purchases(t)
//	time to close f = f_1 * … * f_n;  steady state a·c;  warm-up min t: F(t) >= 0.95
//
// per persona (rates, shares and order values of §d), with stage
// capacities per period (excess lost, personas alike), the buying group
// applied to its stage (WithBuyingGroup) and referrals (§h) entering at
// their stage Lag periods after the purchases that bring them, then
// following the aggregate rates and lags downstream. The journey model is
// the Markov time series of §f:
//
//	x_t = x_{t−1} Q + a_t π,  purchases_t = x_t R_P
//
// in bins of one journey step, with the journey's horizon if any.
func Forecast(p *Plan, opt ForecastOptions) (*ForecastResult, error) {
	if opt.Periods < 1 || opt.Periods > MaxForecastPeriods {
		return nil, fmt.Errorf("forecast: %d periods (want 1..%d)", opt.Periods, MaxForecastPeriods)
	}
	for i, x := range opt.Inflow {
		if math.IsNaN(x) || math.IsInf(x, 0) || x < 0 {
			return nil, fmt.Errorf("forecast: inflow[%d] = %s is not a volume (want >= 0)", i, num(x))
		}
	}
	var r *ForecastResult
	var err error
	switch opt.Model {
	case "", ModelFunnel:
		r, err = forecastFunnel(p, opt)
	case ModelJourney:
		if opt.Unit != "" {
			return nil, fmt.Errorf("forecast: the journey model works in journey steps (no unit %q)", opt.Unit)
		}
		r, err = forecastJourney(p, opt)
	default:
		return nil, fmt.Errorf("forecast: %q is not a model (want %s or %s)", opt.Model, ModelFunnel, ModelJourney)
	}
	if err != nil {
		return nil, err
	}
	if err := resultFiniteFast("forecast", r); err != nil {
		return nil, err
	}
	return r, nil
}

// inflowAt returns the inflow of period t.
func inflowAt(in []float64, t int, def float64) float64 {
	switch {
	case len(in) == 0:
		return def
	case t < len(in):
		return in[t]
	}
	return in[len(in)-1]
}

func forecastFunnel(p *Plan, opt ForecastOptions) (*ForecastResult, error) {
	n := len(p.Stages)
	if n < 2 {
		return nil, fmt.Errorf("stages: %d stages (want at least 2)", n)
	}
	q, group, err := WithBuyingGroup(p)
	if err != nil {
		return nil, err
	}
	fw, err := Forward(q)
	if err != nil {
		return nil, err
	}
	T := opt.Periods
	unit := opt.Unit
	planUnit := p.Period
	if planUnit == "" {
		planUnit = "month"
	}
	if unit == "auto" {
		// The mean time to close is the sum of the stage lags' means.
		mean := 0.0
		for i := 1; i < n; i++ {
			f, err := LagPMF(q.Stages[i].Lag, 1, planUnit)
			if err != nil {
				return nil, fmt.Errorf("stages[%d].%v", i, err)
			}
			mean += summarizePMF(f).Mean
		}
		unit = "month"
		if mean < 3*PeriodDays("month") {
			unit = "week"
		}
	}
	if unit == "" {
		unit = planUnit
	}
	bin := PeriodDays(unit)
	if bin == 0 {
		return nil, fmt.Errorf("forecast: %q is not a period unit (want day, week, month, quarter, year or auto)", opt.Unit)
	}
	scale := bin / PeriodDays(planUnit) // plan volumes -> volumes per bin
	top := q.Top * scale
	caps := make([]*float64, n)
	for i, st := range q.Stages {
		if st.Capacity != nil {
			caps[i] = F(*st.Capacity * scale)
		}
	}
	r := &ForecastResult{Model: ModelFunnel, Unit: unit, PeriodDays: bin, BuyingGroup: group, Warnings: []string{}}
	// Stage lag pmfs, cut at T bins for the recursion.
	lags := make([][]float64, n)
	total := []float64{1}
	for i := 1; i < n; i++ {
		f, err := LagPMF(q.Stages[i].Lag, bin, planUnit)
		if err != nil {
			return nil, fmt.Errorf("stages[%d].%v", i, err)
		}
		lags[i] = f
		if len(f) >= MaxLagBins {
			r.Warnings = append(r.Warnings, fmt.Sprintf("the lag of stage %q is longer than %d periods: the rest counts as period %d", q.Stages[i].ID, MaxLagBins, MaxLagBins-1))
		}
		total = convolveLags(total, f)
	}
	r.TimeToClose = timeToClose(total, bin)
	r.WarmUp = warmUp(total)
	for _, s := range q.Stages {
		r.Stages = append(r.Stages, s.ID)
	}

	// Personas: rates, shares, order values.
	J := len(q.Personas)
	base := q.Rates()
	var flows []*flow
	if J == 0 {
		flows = append(flows, &flow{share: 1, value: q.OrderValue, rates: base})
	}
	for _, x := range q.Personas {
		fl := &flow{share: x.Share, value: q.OrderValue, rates: append([]float64{}, base...)}
		if x.OrderValue != nil {
			fl.value = *x.OrderValue
		}
		c := rateReader{r: x.Rates}
		for i := 1; i < n; i++ {
			if o, ok := c.at(q.Stages[i].ID); ok {
				fl.rates[i-1] = o
			}
		}
		flows = append(flows, fl)
	}
	// The referral flow follows the aggregate rates from its entry stage.
	var ref *flow
	e, lagL := 0, 0
	var alphaR float64
	if q.Referrals != nil {
		e = referralStage(q)
		lagL = int(math.Round(float64(q.Referrals.Lag) / scale))
		alphaR = q.Referrals.Advocates * q.Referrals.PerAdvocate
		agg := make([]float64, n-1)
		for i := 1; i < n; i++ {
			if fw.Stages[i].Rate != nil {
				agg[i-1] = *fw.Stages[i].Rate
			} else {
				agg[i-1] = base[i-1]
			}
		}
		v := q.OrderValue
		if fw.AOV != nil {
			v = *fw.AOV
		}
		ref = &flow{share: 0, value: v, rates: agg}
		g := alphaR * downstream(agg, e)
		r.ReferralGain = F(g)
		if g >= 1 {
			r.Warnings = append(r.Warnings, fmt.Sprintf("referral loop gain %s >= 1: explosive; market saturation not modelled", fmtG(g)))
		}
	}
	all := flows
	if ref != nil {
		all = append(all, ref)
	}
	for _, fl := range all {
		fl.A = make([][]float64, n)
		for i := range fl.A {
			fl.A[i] = make([]float64, T)
		}
	}
	over := make([]int, n)      // periods over capacity per stage
	overNow := make([]bool, n)  // in the period being computed
	purch := make([]float64, T) // C(t): every purchase
	// period computes the arrivals of period t at every stage in order; a
	// stage over capacity scales every flow alike, and the cut carries
	// downstream.
	period := func(t int, refIn float64) {
		a := inflowAt(opt.Inflow, t, top)
		for _, fl := range flows {
			fl.A[0][t] = a * fl.share
		}
		if ref != nil {
			ref.A[e][t] = refIn
		}
		for i := 1; i < n; i++ {
			tot := 0.0
			for _, fl := range all {
				if fl == ref && i <= e {
					continue
				}
				s := 0.0
				f := lags[i]
				prev := fl.A[i-1]
				for k := 0; k < len(f) && k <= t; k++ {
					s += prev[t-k] * f[k]
				}
				fl.A[i][t] = fl.rates[i-1] * s
				tot += fl.A[i][t]
			}
			if i == e && ref != nil {
				tot += ref.A[e][t]
			}
			overNow[i] = false
			if c := caps[i]; c != nil && tot > *c {
				cut := 0.0
				if tot > 0 {
					cut = *c / tot
				}
				for _, fl := range all {
					if fl == ref && i < e {
						continue
					}
					fl.A[i][t] *= cut
				}
				overNow[i] = true
			}
		}
	}
	for t := 0; t < T; t++ {
		refIn := 0.0
		if ref != nil && t-lagL >= 0 && lagL > 0 {
			refIn = alphaR * purch[t-lagL]
		}
		period(t, refIn)
		if ref != nil && lagL == 0 {
			// Referrals of this period's purchases arrive this period.
			// Purchases are affine in the referral inflow x without
			// capacities, C(x) = C(0) + k x: solve x = αr C(x), then
			// iterate from there to the fixed point (capacities).
			c0 := lastStage(all, n, t)
			period(t, 1)
			k := lastStage(all, n, t) - c0
			if alphaR*k >= 1 {
				return nil, fmt.Errorf("forecast: the referral loop explodes within one period (gain %s with no lag); set referrals.lag", fmtG(alphaR*k))
			}
			in := alphaR * c0 / (1 - alphaR*k)
			for it := 0; ; it++ {
				period(t, in)
				next := alphaR * lastStage(all, n, t)
				if math.Abs(next-in) <= 1e-13*math.Max(1, in) {
					break
				}
				if it == 1000 {
					return nil, errors.New("forecast: the referral loop does not settle within one period; set referrals.lag")
				}
				in = next
			}
		}
		for _, fl := range all {
			purch[t] += fl.A[n-1][t]
		}
		for i, o := range overNow {
			if o {
				over[i]++
			}
		}
	}
	cum := 0.0
	for t := 0; t < T; t++ {
		pd := ForecastPeriod{Index: t, Inflow: inflowAt(opt.Inflow, t, top), Arrivals: make([]float64, n)}
		for _, fl := range all {
			for i := 0; i < n; i++ {
				pd.Arrivals[i] += fl.A[i][t]
			}
			pd.Revenue += fl.A[n-1][t] * fl.value
		}
		if ref != nil {
			pd.Referrals = ref.A[e][t]
			pd.ReferralPurchases = ref.A[n-1][t]
		}
		pd.Purchases = purch[t]
		cum += pd.Purchases
		pd.CumulativePurchases = cum
		r.Purchases += pd.Purchases
		r.Revenue += pd.Revenue
		r.Periods = append(r.Periods, pd)
	}
	for i := 1; i < n; i++ {
		if over[i] > 0 {
			r.Warnings = append(r.Warnings, fmt.Sprintf("stage %q is over capacity in %d of %d periods; the excess is lost", q.Stages[i].ID, over[i], T))
		}
	}
	// Steady state at the last inflow value: the forward funnel at that
	// top, times 1/(1 − g) with referrals.
	a := inflowAt(opt.Inflow, T-1, top)
	qs := q.Clone()
	qs.Top = a / scale
	fs, err := Forward(qs)
	if err != nil {
		return nil, err
	}
	ss := &SteadyState{Inflow: a, Purchases: fs.Customers * scale, Revenue: fs.Revenue * scale}
	if r.ReferralGain != nil {
		g := *r.ReferralGain
		if g >= 1 {
			ss = nil
		} else {
			if rr, err := Referral(p); err == nil {
				r.Referral = rr
			}
			extra := fs.Customers * scale * g / (1 - g)
			ss.Purchases += extra
			ss.Revenue += extra * ref.value
		}
	}
	r.SteadyState = ss
	return r, nil
}

// flow is one persona's (or the referrals') arrivals per stage and period.
type flow struct {
	share, value float64
	rates        []float64   // p_1..p_n
	A            [][]float64 // A[i][t]
}

// lastStage is the sum over flows of the arrivals at the last stage in
// period t.
func lastStage(all []*flow, n, t int) float64 {
	s := 0.0
	for _, fl := range all {
		s += fl.A[n-1][t]
	}
	return s
}

// referralStage returns the stage index where referrals enter (default 1).
func referralStage(p *Plan) int {
	if p.Referrals != nil && p.Referrals.Stage != "" {
		if k := p.StageIndex(p.Referrals.Stage); k >= 0 {
			return k
		}
	}
	return 1
}

// downstream is D_e = Π_{i>e} p_i for rates p_1..p_n (rates[i-1] = p_i).
func downstream(rates []float64, e int) float64 {
	d := 1.0
	for i := e + 1; i <= len(rates); i++ {
		d *= rates[i-1]
	}
	return d
}

// timeToClose summarises a total lag pmf in bins of binDays days.
func timeToClose(f []float64, binDays float64) TimeToClose {
	t := TimeToClose{LagSummary: summarizePMF(f)}
	t.DaysMean = t.Mean * binDays
	left := 1.0
	for k, x := range f {
		t.PMF = append(t.PMF, x)
		left -= x
		if left <= 1e-6 || k+1 >= 600 {
			break
		}
	}
	return t
}

// warmUp is min t with F(t) >= 0.95.
func warmUp(f []float64) int {
	cum := 0.0
	for k, x := range f {
		cum += x
		if cum >= warmUpShare-1e-12 {
			return k
		}
	}
	return len(f) - 1
}

func forecastJourney(p *Plan, opt ForecastOptions) (*ForecastResult, error) {
	if p.Journey == nil {
		return nil, errors.New("forecast: the plan has no journey section (want the funnel model)")
	}
	j := p.Journey
	c, err := j.Chain(p)
	if err != nil {
		return nil, err
	}
	cr, err := c.Solve(j.Horizon)
	if err != nil {
		return nil, err
	}
	T := opt.Periods
	step := j.stepDays()
	r := &ForecastResult{Model: ModelJourney, Unit: "step", PeriodDays: step, Warnings: append([]string{}, cr.Warnings...)}
	if p.Referrals != nil {
		r.Warnings = append(r.Warnings, "referrals are not part of the journey forecast (use the funnel model)")
	}
	v := p.OrderValue
	if fw, err := Forward(p); err == nil && fw.AOV != nil {
		v = *fw.AOV
	}
	def := p.Top * step / PeriodDays(p.Period)
	// w[age] = π Q^age R_P and s[age] = π Q^age 1, ages 0..T-1 (0 from the
	// horizon on: lost).
	w, s := make([]float64, T), make([]float64, T)
	x := append([]float64{}, c.Entry...)
	y := make([]float64, len(x))
	for age := 0; age < T; age++ {
		if j.Horizon > 0 && age >= j.Horizon {
			break
		}
		for i, xi := range x {
			w[age] += xi * c.R[2*i]
			s[age] += xi
		}
		x, y = cr.mulQTTo(y, x), x
	}
	cum := 0.0
	for t := 0; t < T; t++ {
		pd := ForecastPeriod{Index: t, Inflow: inflowAt(opt.Inflow, t, def)}
		for age := 0; age <= t; age++ {
			a := inflowAt(opt.Inflow, t-age, def)
			pd.Purchases += a * w[age]
			pd.Active += a * s[age]
		}
		pd.Revenue = v * pd.Purchases
		cum += pd.Purchases
		pd.CumulativePurchases = cum
		r.Purchases += pd.Purchases
		r.Revenue += pd.Revenue
		r.Periods = append(r.Periods, pd)
	}
	// Time to close: the age at purchase of those who purchase.
	var f []float64
	if cr.Purchase > 0 {
		f = cr.purchaseSteps(1e-9*cr.Purchase, 20*pmfMaxSteps)
		for k := range f {
			f[k] /= cr.Purchase
		}
	} else {
		f = []float64{1}
		r.Warnings = append(r.Warnings, "nobody purchases in the journey: the time to close is undefined")
	}
	r.TimeToClose = timeToClose(f, step)
	if d := cr.EntryDaysIfPurchase; !math.IsNaN(d) {
		// A purchase in the step with index k ends a journey of k+1
		// steps; with the days per state of the journey (MATH.md §f, T|P).
		r.TimeToClose.DaysMean = d
	}
	r.WarmUp = warmUp(f)
	a := inflowAt(opt.Inflow, T-1, def)
	r.SteadyState = &SteadyState{Inflow: a, Purchases: a * cr.Purchase, Revenue: a * cr.Purchase * v}
	return r, nil
}
