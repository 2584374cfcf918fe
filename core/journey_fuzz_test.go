package core

import (
	"os"
	"reflect"
	"testing"
)

// FuzzJourney decodes arbitrary plans and runs the journey, both
// forecasts, the referral loop and the buying group on the valid ones:
// nothing may panic, and no NaN or infinity may reach a result returned
// without an error.
func FuzzJourney(f *testing.F) {
	for _, name := range []string{"journey", "b2b"} {
		if b, err := os.ReadFile("examples/" + name + ".json"); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(mathFPlan))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := DecodeBytes(b)
		if err != nil {
			return
		}
		finite := func(what string, v any, err error) {
			if err == nil {
				if path := nonFinite(reflect.ValueOf(v), ""); path != "" {
					t.Fatalf("%s: %s is not finite", what, path)
				}
			}
		}
		if p.Journey != nil && len(p.Journey.Transitions) <= 60 && p.Journey.Horizon <= 200 {
			r, err := AnalyzeJourney(p)
			finite("journey", r, err)
			fj, err := Forecast(p, ForecastOptions{Periods: 30, Model: ModelJourney})
			finite("journey forecast", fj, err)
		}
		fr, err := Forecast(p, ForecastOptions{Periods: 30, Inflow: []float64{p.Top, 0}})
		finite("forecast", fr, err)
		if p.Referrals != nil {
			rr, err := Referral(p)
			finite("referrals", rr, err)
		}
		if p.BuyingGroup != nil {
			q, g, err := WithBuyingGroup(p)
			finite("buying group", g, err)
			if err == nil {
				_, _ = Forward(q)
			}
		}
	})
}
