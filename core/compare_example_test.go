package core_test

import (
	"fmt"

	"github.com/funnelplan/funnelplan/core"
)

// The article's claim that tripling every level triples sales each time
// (MATH.md §1 claim 2): strict scenarios reject a rate above 1, clamped
// ones cap it and say so.
func ExampleCompare() {
	p, err := core.DecodeBytes([]byte(`{"funnelplan": 1, "name": "claim 2", "top": 10000, "order_value": 100,
	 "stages": [{"id": "visit"}, {"id": "site", "rate": 0.01}, {"id": "call", "rate": 0.2}, {"id": "sale", "rate": 0.5}],
	 "scenarios": [
	  {"id": "site-x3", "changes": [{"target": "stages.site.rate", "op": "mul", "value": 3}]},
	  {"id": "all-x3", "changes": [{"target": "stages.site.rate", "op": "mul", "value": 3},
	    {"target": "stages.call.rate", "op": "mul", "value": 3}, {"target": "stages.sale.rate", "op": "mul", "value": 3}]},
	  {"id": "all-x3-capped", "clamp": true, "changes": [{"target": "stages.site.rate", "op": "mul", "value": 3},
	    {"target": "stages.call.rate", "op": "mul", "value": 3}, {"target": "stages.sale.rate", "op": "mul", "value": 3}]}]}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	r, err := core.Compare(p)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range r.Scenarios {
		if s.Error != "" {
			fmt.Printf("%-14s %s: %s\n", s.ID, s.Path, s.Error)
			continue
		}
		fmt.Printf("%-14s %6.2f customers  x%.0f  %v\n", s.ID, *s.Customers, 1+*s.RelCustomers, s.Warnings)
	}
	// Output:
	// baseline        10.00 customers  x1  []
	// site-x3         30.00 customers  x3  []
	// all-x3         scenarios[1].changes[2]: scenario "all-x3": stages.sale.rate: 1.5 is not a rate (want 0..1; set "clamp": true to clamp)
	// all-x3-capped  180.00 customers  x18  [scenario "all-x3-capped": stages.sale.rate: 1.5 clamped to 1]
}
