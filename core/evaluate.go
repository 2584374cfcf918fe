package core

import "math"

// funnelArrays is a plan's forward funnel reduced to flat arrays: the one
// evaluation of MATH.md §a, §d, §e rule 3 and the channel volumes of §c.3
// that Forward reports and that Sensitivity repeats many times, changing a
// number and recomputing without cloning the plan.
//
// Matrices are row-major with personas as rows (J rows, n stages). The hot
// loop of eval calls no function and looks nothing up by id: the persona
// rate overrides are resolved once, in loadFunnel, in one walk of each
// persona's StageRates; that is what keeps it fast compiled to
// WebAssembly, where calls and hashing cost several times what they do
// natively.
type funnelArrays struct {
	J, n     int
	implicit bool
	top      float64
	share    []float64 // J
	rate     []float64 // J*n, rate[j*n+i] = p_{j,i} (i >= 1; slot 0 unused)
	value    []float64 // J order values
	// plainValue is the plan's order value (the input of the tornado).
	plainValue float64
	// cap is the capacity of each stage, +Inf for a stage without one
	// (then total > cap never holds); hasCap says which stages have one
	// and is filled only by newFunnelArrays (the rules of Sensitivity).
	cap     []float64 // n
	hasCap  []bool    // n
	add     []float64 // n, volume added by channels, nil when none
	shareOf []float64 // J, shares used to split volume added at an empty stage

	counts []float64 // J*n, after eval
	total  []float64 // n, after eval (capacitated)
	demand []float64 // n, after eval (before capacity)

	// gk is the stage whose rate a buying group multiplies by gf (-1:
	// none), as in Forward.
	gk int
	gf float64
	// byCustomers makes metric the customers instead of the revenue.
	byCustomers bool
}

// funnelSize returns the number of persona rows J (1 for the implicit
// persona) and of stages n of p's funnel arrays, and how many numbers loadFunnel
// wants for the arrays besides the counts.
func funnelSize(p *Plan) (J, n, work int) {
	J, n = max(1, len(p.Personas)), len(p.Stages)
	return J, n, 3*J + J*n + 3*n
}

// loadFunnel returns the inputs of p's forward funnel as arrays: the counts go to
// counts (J*n numbers, kept by Forward's result), every other array is cut
// from work (funnelSize's work numbers; a caller may pass scratch space).
// Channel warnings and assumptions go to r. The buying group's factor is
// taken when it can be computed (Forward reports the error of one that
// cannot).
//
// It returns the arrays by value, so that work may live on the caller's
// stack.
func loadFunnel(p *Plan, r *ForwardResult, counts, work []float64) funnelArrays {
	J, n, _ := funnelSize(p)
	f := funnelArrays{n: n, J: J, implicit: len(p.Personas) == 0, top: p.Top, plainValue: p.OrderValue, gk: -1, gf: 1}
	if len(p.Channels) > 0 {
		f.add = p.channelAdds(r)
	}
	if p.BuyingGroup != nil {
		if k := GroupStage(p); k > 0 {
			if g, err := GroupFactor(*p.BuyingGroup); err == nil {
				f.gk, f.gf = k, g
			}
		}
	}
	buf := work
	f.counts = counts[: J*n : J*n]
	f.share, buf = buf[:J:J], buf[J:]
	f.value, buf = buf[:J:J], buf[J:]
	f.shareOf, buf = buf[:J:J], buf[J:]
	f.rate, buf = buf[:J*n:J*n], buf[J*n:]
	f.cap, buf = buf[:n:n], buf[n:]
	f.total, buf = buf[:n:n], buf[n:]
	f.demand = buf[:n:n]
	clear(f.rate[:n])
	// The stage rates, then each persona's row: the stage rates with the
	// persona's overrides.
	base := f.rate[:n]
	for i := 1; i < n; i++ {
		if r := p.Stages[i].Rate; r != nil {
			base[i] = *r
		}
	}
	f.cap[0] = math.Inf(1)
	for i := 1; i < n; i++ {
		f.cap[i] = math.Inf(1)
		if c := p.Stages[i].Capacity; c != nil {
			f.cap[i] = *c
		}
	}
	if f.implicit {
		f.share[0], f.value[0] = 1, p.OrderValue
		return f
	}
	for j := J - 1; j >= 0; j-- { // row 0 last: it holds the stage rates
		x := &p.Personas[j]
		f.share[j], f.shareOf[j], f.value[j] = x.Share, x.Share, p.OrderValue
		if x.OrderValue != nil {
			f.value[j] = *x.OrderValue
		}
		row := f.rate[j*n : j*n+n]
		if j > 0 {
			copy(row, base)
		}
		x.Rates.fillRates(p.Stages, row)
	}
	return f
}

// newFunnelArrays loads p for Sensitivity, with the stages' capacity flags;
// channel warnings and assumptions go to res.Warnings.
func newFunnelArrays(p *Plan, res *SensitivityResult) *funnelArrays {
	var fr ForwardResult
	J, n, work := funnelSize(p)
	buf := make([]float64, J*n+work)
	f := new(funnelArrays)
	*f = loadFunnel(p, &fr, buf[:J*n], buf[J*n:])
	res.Warnings = append(res.Warnings, fr.Warnings...)
	if len(fr.Assumptions) > 0 {
		res.Warnings = append(res.Warnings, fr.Assumptions...)
	}
	f.hasCap = make([]bool, f.n)
	for i := 1; i < f.n; i++ {
		f.hasCap[i] = p.Stages[i].Capacity != nil
	}
	return f
}

// eff is persona j's effective rate at stage i: the rate, times the buying
// group's factor (capped at 1) at the group's stage.
func (f *funnelArrays) eff(j, i int) float64 {
	v := f.rate[j*f.n+i]
	if i == f.gk {
		v = groupRate(v, f.gf)
	}
	return v
}

// groupRate is a rate p times a buying group's factor g, capped at 1:
// math.Min(1, p·g) without the call (not inlined in WebAssembly).
func groupRate(p, g float64) float64 {
	v := p * g
	if v > 1 {
		v = 1
	}
	return v
}

func (f *funnelArrays) anyValue() bool {
	for _, v := range f.value {
		if v != 0 {
			return true
		}
	}
	return false
}

// eval computes counts, totals and demands (MATH.md §a, §d, §e rule 3,
// channel volumes of §c.3):
//
//	N_{j,0} = N_0 s_j,  N_{j,i} = N_{j,i−1} p_{j,i},  N_i = Σ_j N_{j,i}
//	N_i     = min(N_i, cap_i)   personas scaled alike
func (f *funnelArrays) eval() {
	n, J := f.n, f.J
	c := f.counts[:J*n]
	top := f.top
	if f.add != nil && f.add[0] != 0 {
		top += f.add[0]
		if top < 0 {
			top = 0
		}
	}
	t0 := 0.0
	for j := 0; j < J; j++ {
		x := top * f.share[j]
		c[j*n] = x
		t0 += x
	}
	f.total[0], f.demand[0] = t0, t0
	f.evalFrom(1)
}

// evalFrom is eval from stage i0 >= 1 on, the stages before it as the last
// evaluation left them (their inputs unchanged since).
func (f *funnelArrays) evalFrom(i0 int) {
	n, J := f.n, f.J
	// Slices of the known lengths let the compiler drop bounds checks.
	c, rate := f.counts[:J*n], f.rate[:J*n]
	total, demand, caps := f.total[:n], f.demand[:n], f.cap[:n]
	for i := max(i0, 1); i < n; i++ {
		t := 0.0
		if i != f.gk {
			// Four personas a turn, the sum in the same order: compiled
			// to WebAssembly, the tornado's evaluations took 12 % less
			// time (each turn of a loop goes back through the function's
			// dispatch of resume points, see axpy).
			k := i
			for ; k+3*n < J*n; k += 4 * n {
				x0 := c[k-1] * rate[k]
				x1 := c[k+n-1] * rate[k+n]
				x2 := c[k+2*n-1] * rate[k+2*n]
				x3 := c[k+3*n-1] * rate[k+3*n]
				c[k], c[k+n], c[k+2*n], c[k+3*n] = x0, x1, x2, x3
				t += x0
				t += x1
				t += x2
				t += x3
			}
			for ; k < J*n; k += n {
				x := c[k-1] * rate[k]
				c[k] = x
				t += x
			}
		} else {
			for k := i; k < J*n; k += n {
				x := c[k-1] * groupRate(rate[k], f.gf)
				c[k] = x
				t += x
			}
		}
		if f.add != nil && f.add[i] != 0 {
			nt := t + f.add[i]
			if nt < 0 {
				nt = 0
			}
			for j := 0; j < J; j++ {
				switch {
				case t > 0:
					c[j*n+i] *= nt / t
				case !f.implicit:
					c[j*n+i] = nt * f.shareOf[j]
				default:
					c[j*n+i] = nt
				}
			}
			t = nt
		}
		demand[i] = t
		if cp := caps[i]; t > cp {
			scale := cp / t
			for k := i; k < J*n; k += n {
				c[k] *= scale
			}
			t = cp
		}
		total[i] = t
	}
}

// metric is the revenue, or the customers when byCustomers is set.
func (f *funnelArrays) metric() float64 {
	if f.byCustomers {
		return f.customers()
	}
	return f.revenue()
}

// customers and revenue are kept small enough for metric to be inlined
// (the tornado asks for the metric about 2n times; a call costs several
// times more in WebAssembly than natively).
func (f *funnelArrays) customers() float64 {
	s := 0.0
	for k := f.n - 1; k < len(f.counts); k += f.n {
		s += f.counts[k]
	}
	return s
}

func (f *funnelArrays) revenue() float64 {
	s, n := 0.0, f.n
	for j, v := range f.value {
		s += f.counts[j*n+n-1] * v
	}
	return s
}

// aggRate is the aggregate step rate of stage i after eval: demand over
// the previous stage's count (the mix-weighted rate), or the mean of the
// persona rates by top share when nobody reaches the previous stage.
func (f *funnelArrays) aggRate(i int) float64 {
	if prev := f.total[i-1]; prev > 0 {
		return f.demandRateNoAdd(i) / prev
	}
	s := 0.0
	for j := 0; j < f.J; j++ {
		s += f.share[j] * f.eff(j, i)
	}
	return s
}

// demandRateNoAdd is the flow into stage i from the previous stage (before
// channel volume and capacity).
func (f *funnelArrays) demandRateNoAdd(i int) float64 {
	s := 0.0
	for j := 0; j < f.J; j++ {
		s += f.counts[j*f.n+i-1] * f.eff(j, i)
	}
	return s
}
