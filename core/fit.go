package core

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/gonum/integrate/quad"
	"gonum.org/v1/gonum/mathext"
)

// Fitting rates from observed counts and comparing periods or groups
// (MATH.md §k).

// Priors of the step rates (MATH.md decision 4).
const (
	PriorUniform  = "uniform"  // Beta(1, 1), the default
	PriorJeffreys = "jeffreys" // Beta(0.5, 0.5)
)

// priorParams returns (α₀, β₀) of a prior name.
func priorParams(name string) (a0, b0 float64, err error) {
	switch name {
	case "", PriorUniform:
		return 1, 1, nil
	case PriorJeffreys:
		return 0.5, 0.5, nil
	}
	return 0, 0, fmt.Errorf("prior %q is not known (want uniform or jeffreys)", name)
}

// credibleMass is the mass of the equal-tailed credible interval: 90 %.
const credibleMass = 0.9

// StepFit is the estimate of one step's rate from x successes of n trials.
type StepFit struct {
	From string `json:"from"`
	To   string `json:"to"`
	// Successes x = n_i and Trials n = n_{i−1} (whole counts).
	Successes float64 `json:"successes"`
	Trials    float64 `json:"trials"`
	// Rate is the maximum-likelihood x/n (null when n = 0). With period
	// counts it may exceed 1 (Throughput): a ratio, not a probability.
	Rate *float64 `json:"rate"`
	// Mean is the posterior mean (α₀+x)/(α₀+β₀+n); CILow and CIHigh bound
	// the 90 % equal-tailed credible interval [I⁻¹_0.05, I⁻¹_0.95] of the
	// posterior Beta(Alpha, Beta). All null for a throughput step.
	Mean   *float64 `json:"mean"`
	CILow  *float64 `json:"ci_low"`
	CIHigh *float64 `json:"ci_high"`
	Alpha  *float64 `json:"alpha"`
	Beta   *float64 `json:"beta"`
	// NoData is n = 0: the posterior is the prior.
	NoData bool `json:"no_data,omitempty"`
	// Throughput is x > n in period counts (MATH.md §k.4).
	Throughput bool `json:"throughput,omitempty"`
}

// PosteriorStep fits one step (MATH.md §k.2): prior Beta(α₀, β₀),
// posterior Beta(α₀+x, β₀+n−x), MLE x/n, posterior mean and the 90 %
// equal-tailed credible interval. x > n gives a throughput ratio without
// a posterior (§k.4). x and n must be whole counts >= 0.
func PosteriorStep(x, n float64, prior string) (StepFit, error) {
	a0, b0, err := priorParams(prior)
	if err != nil {
		return StepFit{}, err
	}
	for _, v := range []float64{x, n} {
		if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 || v != math.Trunc(v) {
			return StepFit{}, fmt.Errorf("%s is not a whole count", num(v))
		}
	}
	s := StepFit{Successes: x, Trials: n}
	if n > 0 {
		s.Rate = F(x / n)
	}
	if x > n {
		s.Throughput = true
		return s, nil
	}
	s.NoData = n == 0
	a, b := a0+x, b0+n-x
	q := newBetaQ(a, b)
	s.Alpha, s.Beta = F(a), F(b)
	s.Mean = F(a / (a + b))
	s.CILow = F(q.quantile((1 - credibleMass) / 2))
	s.CIHigh = F(q.quantile((1 + credibleMass) / 2))
	return s, nil
}

// ProbBetter is P(p_B > p_A) for independent A ~ Beta(aA, bA) and B ~
// Beta(aB, bB) (MATH.md §k.3). For a whole aB (up to 10⁶) it is the exact
// sum
//
//	Σ_{i=0}^{aB−1} exp( lnB(aA+i, bA+bB) − ln(bB+i) − lnB(1+i, bB) − lnB(aA, bA) )
//
// and otherwise the integral ∫ f_B(x) I_x(aA, bA) dx, computed as
// ∫₀¹ I_{Q_B(u)}(aA, bA) du by Gauss-Legendre quadrature (ProbBetterQuad).
func ProbBetter(aA, bA, aB, bB float64) float64 {
	if !(aA > 0 && bA > 0 && aB > 0 && bB > 0) || math.IsInf(aA+bA+aB+bB, 0) {
		return math.NaN()
	}
	if aB != math.Trunc(aB) || aB > 1e6 {
		return ProbBetterQuad(aA, bA, aB, bB)
	}
	lA := lbeta(aA, bA)
	sum := 0.0
	for i := 0.0; i < aB; i++ {
		sum += math.Exp(lbeta(aA+i, bA+bB) - math.Log(bB+i) - lbeta(1+i, bB) - lA)
	}
	return math.Min(1, math.Max(0, sum))
}

// ProbBetterQuad is P(p_B > p_A) by quadrature:
//
//	P = ∫ f_B(x) I_x(aA, bA) dx
//
// with 32 Gauss-Legendre nodes on each piece between the quantiles of B at
// u = 10⁻¹⁵, 10⁻¹², …, 0.1, 0.2, …, 1 − 10⁻¹⁵, so the nodes follow B's
// mass; the two tails beyond hold 2·10⁻¹⁵ of it.
func ProbBetterQuad(aA, bA, aB, bB float64) float64 {
	if !(aA > 0 && bA > 0 && aB > 0 && bB > 0) {
		return math.NaN()
	}
	qa, qb := newBetaQ(aA, bA), newBetaQ(aB, bB)
	us := []float64{1e-15, 1e-12, 1e-9, 1e-6, 1e-4, 1e-3, 0.01, 0.05}
	for k := 1; k <= 9; k++ {
		us = append(us, float64(k)/10)
	}
	for _, t := range []float64{0.05, 0.01, 1e-3, 1e-4, 1e-6, 1e-9, 1e-12, 1e-15} {
		us = append(us, 1-t)
	}
	f := func(x float64) float64 {
		_, d := qb.cdfPDF(x)
		return d * qa.cdf(x)
	}
	lo := qb.quantile(us[0])
	sum := 0.0
	for _, u := range us[1:] {
		hi := qb.quantile(u)
		if hi > lo {
			sum += quad.Fixed(f, lo, hi, 32, quad.Legendre{}, 0)
		}
		lo = hi
	}
	sum += 1e-15 * qa.cdf(lo) // the upper tail, where I_x is nearly constant
	return math.Min(1, math.Max(0, sum))
}

// ZTest is the two-proportion z-test of MATH.md §k.3:
//
//	p̂ = (x_A+x_B)/(n_A+n_B),  z = (x_B/n_B − x_A/n_A)/√(p̂(1−p̂)(1/n_A+1/n_B)),  p = 2(1−Φ(|z|))
//
// Valid is false ("insufficient data") unless every n p̂ >= 5 and
// n(1−p̂) >= 5; Z and P are then still given when defined.
type ZTest struct {
	Z     *float64 `json:"z"`
	P     *float64 `json:"p_value"`
	Valid bool     `json:"valid"`
}

// TwoProportionZ computes the z-test of B against A.
func TwoProportionZ(xA, nA, xB, nB float64) ZTest {
	var t ZTest
	if nA <= 0 || nB <= 0 || xA > nA || xB > nB {
		return t
	}
	ph := (xA + xB) / (nA + nB)
	t.Valid = nA*ph >= 5 && nA*(1-ph) >= 5 && nB*ph >= 5 && nB*(1-ph) >= 5
	v := ph * (1 - ph) * (1/nA + 1/nB)
	if v <= 0 {
		return t
	}
	z := (xB/nB - xA/nA) / math.Sqrt(v)
	t.Z = F(z)
	t.P = F(math.Erfc(math.Abs(z) / math.Sqrt2)) // 2(1−Φ(|z|))
	return t
}

// ChiSquare is the χ² test of homogeneity of T >= 2 proportions (MATH.md
// §k.3):
//
//	χ² = Σ_t (x_t − n_t p̄)² / (n_t p̄(1−p̄)),  df = T−1,  p = Q(df/2, χ²/2)
//
// Valid is false unless every expected count n_t p̄ and n_t(1−p̄) is >= 5.
type ChiSquare struct {
	Chi2  *float64 `json:"chi2"`
	DF    int      `json:"df"`
	P     *float64 `json:"p_value"`
	Valid bool     `json:"valid"`
}

// ChiSquareHomogeneity tests whether the groups (x_t of n_t) share one
// rate. Groups with n_t = 0 are left out.
func ChiSquareHomogeneity(xs, ns []float64) ChiSquare {
	var sx, sn float64
	T := 0
	for i := range xs {
		if ns[i] > 0 {
			sx += xs[i]
			sn += ns[i]
			T++
		}
	}
	c := ChiSquare{DF: T - 1}
	if T < 2 {
		c.DF = 0
		return c
	}
	pb := sx / sn
	c.Valid = true
	chi := 0.0
	for i := range xs {
		n := ns[i]
		if n <= 0 {
			continue
		}
		if n*pb < 5 || n*(1-pb) < 5 {
			c.Valid = false
		}
		if e := n * pb * (1 - pb); e > 0 {
			d := xs[i] - n*pb
			chi += d * d / e
		}
	}
	if pb <= 0 || pb >= 1 {
		return c
	}
	c.Chi2 = F(chi)
	c.P = F(mathext.GammaIncRegComp(float64(c.DF)/2, chi/2))
	return c
}

// FitOptions control Fit.
type FitOptions struct {
	// Prior is "uniform" (Beta(1, 1), default) or "jeffreys".
	Prior string
	// By is the column whose values are compared: "period" or a group
	// column (manager, persona, channel, segment); empty for totals only.
	By string
	// Aggregate, when set, first sums the counts into day, week, month,
	// quarter or year periods (MATH.md §k.1).
	Aggregate string
	// Cohort says the counts follow the same people through the stages,
	// so a stage above the one before it is an error; otherwise (calendar
	// windows) it is a warning and a throughput ratio (MATH.md §k.4).
	Cohort bool
}

// FitGroup is the fit of the rows sharing one value of the By column.
type FitGroup struct {
	Key string `json:"key"`
	// Counts are the summed counts per stage.
	Counts  []float64 `json:"counts"`
	Steps   []StepFit `json:"steps"`
	Overall StepFit   `json:"overall"`
}

// Comparison compares one step between two groups A and B (MATH.md §k.3):
// the probability that B's rate is higher, and the z-test.
type Comparison struct {
	From string `json:"from"`
	To   string `json:"to"`
	A    string `json:"a"`
	B    string `json:"b"`
	// PBBetter is P(p_B > p_A) under the posteriors (null for a
	// throughput step).
	PBBetter *float64 `json:"p_b_better"`
	ZTest
	// Note says "insufficient data" when the z-test is not valid.
	Note string `json:"note,omitempty"`
}

// GroupTest is the χ² homogeneity test of one step across all groups, with
// the groups ranked by posterior mean, highest first.
type GroupTest struct {
	From string `json:"from"`
	To   string `json:"to"`
	ChiSquare
	Ranking []RankedGroup `json:"ranking"`
}

// RankedGroup is one group's posterior mean in a ranking.
type RankedGroup struct {
	Key  string  `json:"key"`
	Mean float64 `json:"mean"`
}

// FitResult is the result of Fit.
type FitResult struct {
	Stages []string `json:"stages"`
	Prior  string   `json:"prior"`
	// Unit is the period unit of the rows (day ... year), "" for labels.
	Unit string `json:"unit"`
	// Periods are the distinct periods, in order.
	Periods []string `json:"periods"`
	// Counts are the counts summed over every row.
	Counts []float64 `json:"counts"`
	// Steps are the step fits of the totals; Overall is n_n of n_0.
	Steps   []StepFit  `json:"steps"`
	Overall StepFit    `json:"overall"`
	By      string     `json:"by,omitempty"`
	Groups  []FitGroup `json:"groups,omitempty"`
	// Comparisons (exactly two groups): B (the second) against A.
	Comparisons []Comparison `json:"comparisons,omitempty"`
	// Tests (two or more groups): χ² per step and the ranking.
	Tests    []GroupTest `json:"tests,omitempty"`
	Warnings []string    `json:"warnings"`
}

// Fit estimates the step rates of a counts table (MATH.md §k): counts are
// summed over rows (rate = Σx/Σn, §k.1), every step gets a Beta posterior
// with its 90 % credible interval (§k.2), and with By the groups are
// compared (§k.3): two groups by P(B better) and the z-test, two or more by
// the χ² test and a ranking.
func Fit(t *CountsTable, opt FitOptions) (*FitResult, error) {
	if _, _, err := priorParams(opt.Prior); err != nil {
		return nil, err
	}
	if opt.Aggregate != "" {
		var err error
		if t, err = t.Aggregate(opt.Aggregate); err != nil {
			return nil, err
		}
	}
	prior := opt.Prior
	if prior == "" {
		prior = PriorUniform
	}
	ns := len(t.Stages)
	res := &FitResult{Stages: t.Stages, Prior: prior, Unit: t.Unit(), By: opt.By, Warnings: []string{}, Counts: make([]float64, ns)}
	if opt.Cohort {
		var ps csvProblems
		for _, r := range t.Rows {
			for i := 1; i < ns; i++ {
				if r.Counts[i] > r.Counts[i-1] {
					ps.add(r.Line, 0, "%s %s exceeds %s %s, impossible when the same people are followed (cohort counts)", t.Stages[i], num(r.Counts[i]), t.Stages[i-1], num(r.Counts[i-1]))
				}
			}
		}
		if err := ps.err(); err != nil {
			return nil, err
		}
	}
	col := -1
	switch opt.By {
	case "", "period":
	default:
		col = slices.Index(t.Groups, opt.By)
		if col < 0 {
			return nil, fmt.Errorf("no column %q to compare by (want period%s)", opt.By, listSuffix(t.Groups))
		}
	}
	periodIdx := map[string]int{}
	groupIdx := map[string]int{}
	for _, r := range t.Rows {
		if _, ok := periodIdx[r.Period]; !ok {
			periodIdx[r.Period] = len(res.Periods)
			res.Periods = append(res.Periods, r.Period)
		}
		for i, c := range r.Counts {
			res.Counts[i] += c
		}
		if opt.By == "" {
			continue
		}
		key := r.Period
		if col >= 0 {
			key = r.Groups[col]
		}
		g, ok := groupIdx[key]
		if !ok {
			g = len(res.Groups)
			groupIdx[key] = g
			res.Groups = append(res.Groups, FitGroup{Key: key, Counts: make([]float64, ns)})
		}
		for i, c := range r.Counts {
			res.Groups[g].Counts[i] += c
		}
	}
	if res.Unit != "" {
		byStart := func(a, b string) int {
			da, _, _ := periodOf(a)
			db, _, _ := periodOf(b)
			return da.Compare(db)
		}
		slices.SortStableFunc(res.Periods, byStart)
		if opt.By == "period" {
			slices.SortStableFunc(res.Groups, func(a, b FitGroup) int { return byStart(a.Key, b.Key) })
		}
	}
	var err error
	if res.Steps, res.Overall, err = fitSteps(t.Stages, res.Counts, prior, "", &res.Warnings); err != nil {
		return nil, err
	}
	for g := range res.Groups {
		grp := &res.Groups[g]
		if grp.Steps, grp.Overall, err = fitSteps(t.Stages, grp.Counts, prior, opt.By+" "+grp.Key+": ", &res.Warnings); err != nil {
			return nil, err
		}
	}
	if len(res.Groups) == 2 {
		A, B := &res.Groups[0], &res.Groups[1]
		for i := range res.Steps {
			sa, sb := A.Steps[i], B.Steps[i]
			c := Comparison{From: sa.From, To: sa.To, A: A.Key, B: B.Key}
			if sa.Alpha != nil && sb.Alpha != nil {
				c.PBBetter = F(ProbBetter(*sa.Alpha, *sa.Beta, *sb.Alpha, *sb.Beta))
			}
			if !sa.Throughput && !sb.Throughput {
				c.ZTest = TwoProportionZ(sa.Successes, sa.Trials, sb.Successes, sb.Trials)
			}
			if !c.Valid {
				c.Note = "insufficient data"
			}
			res.Comparisons = append(res.Comparisons, c)
		}
	}
	if len(res.Groups) >= 2 {
		for i := range res.Steps {
			gt := GroupTest{From: res.Steps[i].From, To: res.Steps[i].To, Ranking: []RankedGroup{}}
			var xs, nn []float64
			through := false
			for _, g := range res.Groups {
				s := g.Steps[i]
				through = through || s.Throughput
				xs, nn = append(xs, s.Successes), append(nn, s.Trials)
				if s.Mean != nil {
					gt.Ranking = append(gt.Ranking, RankedGroup{Key: g.Key, Mean: *s.Mean})
				}
			}
			if !through {
				gt.ChiSquare = ChiSquareHomogeneity(xs, nn)
			}
			slices.SortStableFunc(gt.Ranking, func(a, b RankedGroup) int {
				switch {
				case a.Mean > b.Mean:
					return -1
				case a.Mean < b.Mean:
					return 1
				}
				return 0
			})
			res.Tests = append(res.Tests, gt)
		}
	}
	return res, nil
}

// fitSteps fits every step of one count vector and the overall
// conversion n_n of n_0.
func fitSteps(stages []string, counts []float64, prior, label string, warns *[]string) ([]StepFit, StepFit, error) {
	steps := make([]StepFit, len(stages)-1)
	for i := 1; i < len(stages); i++ {
		s, err := PosteriorStep(counts[i], counts[i-1], prior)
		if err != nil {
			return nil, StepFit{}, err
		}
		s.From, s.To = stages[i-1], stages[i]
		switch {
		case s.Throughput:
			*warns = append(*warns, fmt.Sprintf("%s%s %s exceeds %s %s: %s is a throughput ratio caused by lags, not a rate; no posterior (use a longer window or cohort counts)", label, s.To, num(s.Successes), s.From, num(s.Trials), ratioText(s.Rate)))
		case s.NoData:
			*warns = append(*warns, fmt.Sprintf("%s%s -> %s: no data (0 of 0); the posterior is the prior", label, s.From, s.To))
		}
		steps[i-1] = s
	}
	n := len(stages) - 1
	o, err := PosteriorStep(counts[n], counts[0], prior)
	if err != nil {
		return nil, StepFit{}, err
	}
	o.From, o.To = stages[0], stages[n]
	return steps, o, nil
}

func listSuffix(xs []string) string {
	if len(xs) == 0 {
		return ""
	}
	return " or " + strings.Join(xs, ", ")
}

// FitPlan turns a fit into a plan whose rates and their uncertainty come
// from the data: stages are the count columns (ids made plain: lower case,
// spaces as "_"); top is the first stage's count per period (the total
// over the number of periods), every stage rate is the observed x/n and
// uncertainty gives each rate its posterior Beta(α, β). With By = persona
// the groups become personas: shares from their first-stage counts, their
// observed rates as overrides, each with its own posterior. The plan's
// period is the unit of the counts (month when they are labels).
// Warnings say what had to be made up (a step without data, a throughput
// step capped at 1).
func FitPlan(r *FitResult, name string) (*Plan, []string) {
	var warns []string
	p := &Plan{Version: Version, Name: name, Period: r.Unit, Uncertainty: map[string]Dist{}}
	if r.Unit == "day" || r.Unit == "week" || r.Unit == "month" || r.Unit == "quarter" || r.Unit == "year" {
		p.Period = r.Unit
	} else {
		p.Period = "month"
		warns = append(warns, "the periods are labels, not dates: the plan counts per label, read as months")
	}
	ids := make([]string, len(r.Stages))
	seen := map[string]bool{}
	for i, s := range r.Stages {
		id := strings.Map(func(c rune) rune {
			switch {
			case c == ' ' || c == '-' || c == '/':
				return '_'
			case c >= 'A' && c <= 'Z':
				return c + 'a' - 'A'
			}
			return c
		}, strings.TrimSpace(s))
		for base, k := id, 2; seen[id]; k++ {
			id = fmt.Sprintf("%s_%d", base, k)
		}
		seen[id] = true
		ids[i] = id
		p.Stages = append(p.Stages, Stage{ID: id, Name: s})
	}
	periods := float64(max(1, len(r.Periods)))
	p.Top = r.Counts[0] / periods
	rateOf := func(s StepFit, label string) (float64, *Dist) {
		switch {
		case s.Throughput:
			warns = append(warns, fmt.Sprintf("%s%s -> %s: the throughput ratio %s is capped at 1 in the plan", label, s.From, s.To, ratioText(s.Rate)))
			return 1, nil
		case s.NoData:
			warns = append(warns, fmt.Sprintf("%s%s -> %s: no data; the plan takes the prior mean %.6g", label, s.From, s.To, *s.Mean))
			return *s.Mean, &Dist{Beta: &BetaDist{Alpha: F(*s.Alpha), Beta: F(*s.Beta)}}
		}
		return *s.Rate, &Dist{Beta: &BetaDist{Alpha: F(*s.Alpha), Beta: F(*s.Beta)}}
	}
	for i, s := range r.Steps {
		v, d := rateOf(s, "")
		p.Stages[i+1].Rate = F(v)
		if d != nil {
			p.Uncertainty["stages."+ids[i+1]+".rate"] = *d
		}
	}
	if r.By == "persona" && len(r.Groups) > 0 && r.Counts[0] > 0 {
		pids := map[string]bool{}
		for _, g := range r.Groups {
			id := g.Key
			for base, k := id, 2; id == "" || pids[id]; k++ {
				id = fmt.Sprintf("%s_%d", base, k)
			}
			pids[id] = true
			x := Persona{ID: id, Name: g.Key, Share: g.Counts[0] / r.Counts[0], Rates: make(StageRates, 0, len(g.Steps))}
			for i, s := range g.Steps {
				v, d := rateOf(s, "persona "+g.Key+": ")
				x.Rates.Set(ids[i+1], v)
				if d != nil {
					p.Uncertainty["personas."+id+".rates."+ids[i+1]] = *d
				}
			}
			p.Personas = append(p.Personas, x)
		}
		// Shares must sum to 1 within 1e-9: give the rounding to the last.
		sum := 0.0
		for _, x := range p.Personas[:len(p.Personas)-1] {
			sum += x.Share
		}
		p.Personas[len(p.Personas)-1].Share = 1 - sum
	}
	if len(p.Uncertainty) == 0 {
		p.Uncertainty = nil
	}
	return p, warns
}

// ratioText formats an optional ratio ("undefined" when nil).
func ratioText(x *float64) string {
	if x == nil {
		return "undefined"
	}
	return fmt.Sprintf("%.6g", *x)
}
