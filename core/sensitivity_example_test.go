package core_test

import (
	"fmt"

	"github.com/funnelplan/funnelplan/core"
)

// The example of MATH.md §e: which one-point improvement is worth most,
// where buying people pays, and the bottleneck rules.
func ExampleSensitivity() {
	p, err := core.DecodeBytes([]byte(`{"funnelplan": 1, "name": "webinar", "top": 10000,
	 "order_value": 12000, "margin": 0.6,
	 "stages": [
	  {"id": "visitor", "unit_cost": 15},
	  {"id": "lead", "rate": 0.05, "benchmark": 0.03, "unit_cost": 400},
	  {"id": "mql", "rate": 0.4, "benchmark": 0.5, "unit_cost": 600},
	  {"id": "proposal", "rate": 0.5, "benchmark": 0.5},
	  {"id": "customer", "rate": 0.25, "benchmark": 0.3}]}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	r, err := core.Sensitivity(p, core.SensitivityOptions{Step: 0.01})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s %.0f\n", r.Metric, r.Base)
	for _, e := range r.Effects {
		fmt.Printf("%-22s %+8.0f %+8.0f\n", e.Label, e.LowChange, e.HighChange)
	}
	for _, l := range r.KeyLevel.Levels {
		fmt.Printf("%-8s value %6.0f  mROAS %.2f  mProfit %+4.0f\n", l.Stage, l.ValuePerPerson, *l.MROAS, *l.MProfit)
	}
	b := r.Bottlenecks
	fmt.Println("key level:", r.KeyLevel.Stage, "recommended:", r.KeyLevel.Recommended)
	fmt.Println("below benchmark:", b.Benchmark.Stage, "most from +1 pt:", b.Marginal.Stage)
	// Output:
	// revenue 300000
	// lead rate ±1 pt          -60000   +60000
	// Top ±10 %                -30000   +30000
	// Order value ±10 %        -30000   +30000
	// customer rate ±1 pt      -12000   +12000
	// mql rate ±1 pt            -7500    +7500
	// proposal rate ±1 pt       -6000    +6000
	// visitor  value     30  mROAS 2.00  mProfit   +3
	// lead     value    600  mROAS 1.50  mProfit  -40
	// mql      value   1500  mROAS 2.50  mProfit +300
	// key level: mql recommended: true
	// below benchmark: mql most from +1 pt: lead
}
