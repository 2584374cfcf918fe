package core

import (
	"fmt"
	"math"
)

// LTV returns the lifetime gross profit of a customer (MATH.md §c.2): g is
// the gross profit per period (money, g = v·m·f), r in [0, 1] the
// retention per period, d >= 0 the discount per period and h the horizon
// in periods (0: unlimited). The first period is undiscounted.
//
//	x     = r/(1+d)
//	LTV_H = g (1 − x^H)/(1 − x)   (x ≠ 1);   g·H   (x = 1)
//	LTV_∞ = g/(1 − x) = g(1+d)/(1+d−r)
//
// x = 1 without a horizon has no finite value and is an error, as are
// parameters out of range.
func LTV(g, r, d float64, h int) (float64, error) {
	if err := checkRetention(g, r, d, h); err != nil {
		return 0, err
	}
	x := r / (1 + d)
	switch {
	case h > 0 && x == 1:
		return g * float64(h), nil
	case h > 0:
		return g * (1 - math.Pow(x, float64(h))) / (1 - x), nil
	case x == 1:
		return 0, fmt.Errorf("retention %s with discount %s and no horizon has no finite lifetime value (set a horizon or a discount)", num(r), num(d))
	}
	return g * (1 + d) / (1 + d - r), nil
}

func checkRetention(g, r, d float64, h int) error {
	for _, x := range []float64{g, r, d} {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Errorf("%s is not a finite number", num(x))
		}
	}
	switch {
	case r < 0 || r > 1:
		return fmt.Errorf("retention %s is not a rate (want 0..1)", num(r))
	case d < 0:
		return fmt.Errorf("discount %s is negative (want >= 0)", num(d))
	case h < 0:
		return fmt.Errorf("horizon %d is negative (want periods >= 0)", h)
	}
	return nil
}

// Payback returns the payback period (MATH.md §c.2): the smallest whole
// number of periods t >= 1 with
//
//	Σ_{k<t} g x^k >= CAC,   x = r/(1+d)
//
// ok is false when the cumulative profit never reaches cac (LTV_∞ <= CAC,
// or beyond the horizon h > 0). cac <= 0 pays back at once (t = 0).
func Payback(cac, g, r, d float64, h int) (t int, ok bool) {
	if checkRetention(g, r, d, h) != nil || math.IsNaN(cac) || math.IsInf(cac, 0) {
		return 0, false
	}
	if cac <= 0 {
		return 0, true
	}
	if g <= 0 {
		return 0, false
	}
	// slack absorbs float noise in sums that equal CAC exactly.
	const slack = 1e-12
	x := r / (1 + d)
	if x < 1 && g/(1-x) <= cac*(1+slack) {
		return 0, false // LTV_∞ <= CAC: only reached in the limit
	}
	var est float64
	switch {
	case x == 1:
		est = math.Ceil(cac / g)
	case x == 0:
		est = 1
	default:
		// g(1 − x^t)/(1 − x) >= CAC  <=>  x^t <= 1 − CAC(1 − x)/g
		y := 1 - cac*(1-x)/g
		if y <= 0 {
			return 0, false // LTV_∞ <= CAC
		}
		est = math.Ceil(math.Log(y) / math.Log(x))
	}
	// The closed form can be one off by rounding: settle on the exact sum.
	cum := func(t int) float64 {
		if x == 1 {
			return g * float64(t)
		}
		return g * (1 - math.Pow(x, float64(t))) / (1 - x)
	}
	t = max(1, int(est))
	for t > 1 && cum(t-1) >= cac*(1-slack) {
		t--
	}
	for k := 0; cum(t) < cac*(1-slack); k++ {
		if k > 64 {
			return 0, false // not reached: rounding far beyond the closed form
		}
		t++
	}
	if h > 0 && t > h {
		return 0, false
	}
	return t, true
}

// LTVResult is the lifetime value and payback of one customer (§c.2).
type LTVResult struct {
	// GrossProfitPerPeriod is g = v·m·f (money per customer per period).
	GrossProfitPerPeriod float64 `json:"gross_profit_per_period"`
	Retention            float64 `json:"retention"`
	Discount             float64 `json:"discount"`
	// Horizon in periods, 0 = unlimited.
	Horizon int `json:"horizon,omitempty"`
	// Lifetime is the expected lifetime 1/(1 − r) in periods, nil when r = 1.
	Lifetime *float64 `json:"expected_lifetime"`
	// LTV is LTV_H with a horizon, else LTV_∞ (money).
	LTV float64 `json:"ltv"`
	// LTVToCAC is LTV / CAC, nil without a CAC.
	LTVToCAC *float64 `json:"ltv_to_cac"`
	// Payback is the payback period in periods, nil when it never pays
	// back or CAC is unknown (PaybackNever tells which).
	Payback      *int `json:"payback"`
	PaybackNever bool `json:"payback_never,omitempty"`
	// SimplePayback is CAC/g (no churn, no discount), nil when undefined.
	SimplePayback *float64 `json:"simple_payback"`

	vals    [3]float64 // storage behind the pointers: one allocation
	payback int
}

// CustomerLTV computes the LTV section of the plan's retention (§c.2) for
// a customer of order value v (money), margin m and acquisition cost cac
// (nil: unknown).
func CustomerLTV(ret *Retention, v, m float64, cac *float64) (*LTVResult, error) {
	res := new(LTVResult)
	if err := res.fill(ret, v, m, cac); err != nil {
		return nil, err
	}
	return res, nil
}

// fill sets res to CustomerLTV(ret, v, m, cac); Economics fills the one it
// holds.
func (res *LTVResult) fill(ret *Retention, v, m float64, cac *float64) error {
	f := 1.0
	if ret.OrdersPerPeriod != nil {
		f = *ret.OrdersPerPeriod
	}
	g := v * m * f
	ltv, err := LTV(g, ret.Rate, ret.Discount, ret.Horizon)
	if err != nil {
		return err
	}
	*res = LTVResult{GrossProfitPerPeriod: g, Retention: ret.Rate, Discount: ret.Discount, Horizon: ret.Horizon, LTV: ltv}
	if ret.Rate < 1 {
		res.vals[0] = 1 / (1 - ret.Rate)
		res.Lifetime = &res.vals[0]
	}
	if cac != nil {
		if *cac > 0 {
			res.vals[1] = ltv / *cac
			res.LTVToCAC = &res.vals[1]
		}
		if t, ok := Payback(*cac, g, ret.Rate, ret.Discount, ret.Horizon); ok {
			res.payback = t
			res.Payback = &res.payback
		} else {
			res.PaybackNever = true
		}
		if g > 0 {
			res.vals[2] = *cac / g
			res.SimplePayback = &res.vals[2]
		}
	}
	return nil
}
