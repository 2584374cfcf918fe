package core

import (
	"fmt"
	"math"
)

// Response is a spend -> volume response curve (MATH.md §c.3). It is always
// an assumption, never something the funnel implies: the planner labels it
// so in every output. Parameters are relative to a reference point: the
// volume V_0 a channel buys at its base budget S_0.
//
//	linear (default): V(S) = V_0 · S/S_0
//	power:            V(S) = V_0 · (S/S_0)^b,        0 < b <= 1
//	exp:              V(S) = V_max · (1 − exp(−S/S_c)),  V_max = max·V_0, S_c = scale·S_0
//	hill:             V(S) = V_max · S/(S + K),          V_max = max·V_0, K = scale·S_0
//
// Calibrated to the article's case (×1.6 spend -> ×1.264863 volume):
// power b = 0.5; exp max 1.59143, scale 1/0.989841; hill max 2.264503,
// scale 1.264503.
type Response struct {
	// Curve is "linear" (also the empty string), "power", "exp" or "hill".
	Curve string `json:"curve"`
	// B is the power curve's elasticity, 0 < B <= 1 (dimensionless).
	B *float64 `json:"b,omitempty"`
	// Max is V_max as a multiple of the volume at the base budget (exp,
	// hill), > 0.
	Max *float64 `json:"max,omitempty"`
	// Scale is S_c (exp) or K (hill) as a multiple of the base budget, > 0.
	Scale *float64 `json:"scale,omitempty"`
}

func (r *Response) curve() string {
	if r == nil || r.Curve == "" {
		return "linear"
	}
	return r.Curve
}

func (r *Response) param(x *float64) float64 {
	if x == nil {
		return math.NaN()
	}
	return *x
}

// Volume returns V(s), the volume bought by spend s >= 0 given the
// reference point (s0 > 0, v0 >= 0). A nil Response is linear. The result
// is NaN only for an invalid curve (Validate rejects those).
func (r *Response) Volume(v0, s0, s float64) float64 {
	if s <= 0 {
		return 0
	}
	x := s / s0
	switch r.curve() {
	case "linear":
		return v0 * x
	case "power":
		return v0 * math.Pow(x, r.param(r.B))
	case "exp":
		return r.param(r.Max) * v0 * -math.Expm1(-x/r.param(r.Scale))
	case "hill":
		k := r.param(r.Scale)
		return r.param(r.Max) * v0 * x / (x + k)
	}
	return math.NaN()
}

// Spend is the inverse of Volume: the spend that buys volume v >= 0. ok is
// false when no spend reaches v (a saturating curve's maximum is V_max).
//
//	linear: S = S_0 · V/V_0;  power: S = S_0 · (V/V_0)^{1/b}   (MATH.md §b)
//	exp:    S = −S_c · ln(1 − V/V_max);  hill: S = K · V/(V_max − V)
func (r *Response) Spend(v0, s0, v float64) (s float64, ok bool) {
	if v <= 0 {
		return 0, true
	}
	if v0 <= 0 {
		return 0, false
	}
	y := v / v0
	switch r.curve() {
	case "linear":
		return s0 * y, true
	case "power":
		return s0 * math.Pow(y, 1/r.param(r.B)), true
	case "exp":
		m := r.param(r.Max)
		if y >= m {
			return 0, false
		}
		return -s0 * r.param(r.Scale) * math.Log1p(-y/m), true
	case "hill":
		m := r.param(r.Max)
		if y >= m {
			return 0, false
		}
		return s0 * r.param(r.Scale) * y / (m - y), true
	}
	return 0, false
}

// Label describes the curve and its parameters for output, e.g. "power
// curve, b = 0.5".
func (r *Response) Label() string {
	switch r.curve() {
	case "power":
		return fmt.Sprintf("power curve, b = %s", fmtRate(r.param(r.B)))
	case "exp":
		return fmt.Sprintf("saturating exponential, max = %s x base volume, scale = %s x base budget", fmtRate(r.param(r.Max)), fmtRate(r.param(r.Scale)))
	case "hill":
		return fmt.Sprintf("Hill curve, max = %s x base volume, K = %s x base budget", fmtRate(r.param(r.Max)), fmtRate(r.param(r.Scale)))
	}
	return "linear (volume proportional to spend)"
}

func (r *Response) clone() *Response {
	if r == nil {
		return nil
	}
	c := *r
	c.B, c.Max, c.Scale = cloneF(r.B), cloneF(r.Max), cloneF(r.Scale)
	return &c
}

func (r *Response) validate(ps *Problems, rp string) {
	switch r.Curve {
	case "", "linear":
	case "power":
		if r.B == nil {
			ps.add(rp+".b", "missing elasticity for the power curve (want 0 < b <= 1)")
		} else if ps.finite(rp+".b", *r.B) && (*r.B <= 0 || *r.B > 1) {
			ps.add(rp+".b", "%s is not an elasticity (want 0 < b <= 1)", num(*r.B))
		}
	case "exp", "hill":
		for _, f := range []struct {
			name string
			x    *float64
		}{{"max", r.Max}, {"scale", r.Scale}} {
			if f.x == nil {
				ps.add(rp+"."+f.name, "missing %s for the %s curve", f.name, r.Curve)
			} else if ps.finite(rp+"."+f.name, *f.x) && *f.x <= 0 {
				ps.add(rp+"."+f.name, "%s is not positive", num(*f.x))
			}
		}
	default:
		ps.add(rp+".curve", "%q is not a response curve (want linear, power, exp or hill)", r.Curve)
	}
}

func (r *Response) ref(field string) (slot, error) {
	switch field {
	case "b":
		return optSlot(&r.B, kindRate), nil
	case "max":
		return optSlot(&r.Max, kindNonNeg), nil
	case "scale":
		return optSlot(&r.Scale, kindNonNeg), nil
	}
	return slot{}, fmt.Errorf("%q is not a response field (want b, max or scale)", field)
}
