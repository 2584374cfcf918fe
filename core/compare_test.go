package core

import (
	"testing"

	"github.com/funnelplan/funnelplan/core/examples"
)

func TestCompare(t *testing.T) {
	b2b, _ := examples.Get("b2b")
	type row struct {
		id                  string
		customers, revenue  float64
		relCustomers, relRv *float64
		err, path           string
	}
	cases := []struct {
		name string
		plan string
		rows []row
	}{
		{"b2b example", string(b2b), []row{
			// MATH.md §d: 25.8 customers, revenue 304,800.
			{id: BaselineID, customers: 25.8, revenue: 304800},
			// Proportional expansion (MATH.md §e): x2.
			{id: "more-traffic", customers: 51.6, revenue: 609600, relCustomers: F(1), relRv: F(1)},
			// +1 pt at lead for everyone, by hand: smb 6000 x .05 x .5 x .5 x .3
			// = 22.5 (225,000), ent 4000 x .075 x .3 x .5 x .2 = 9 (144,000).
			{id: "better-leads", customers: 31.5, revenue: 369000, relCustomers: F(31.5/25.8 - 1), relRv: F(369000.0/304800 - 1)},
			// On top of better-leads, shares 0.4/0.6: smb 15 (150,000),
			// ent 13.5 (216,000).
			{id: "enterprise-push", customers: 28.5, revenue: 366000, relCustomers: F(28.5/25.8 - 1), relRv: F(366000.0/304800 - 1)},
		}},
		{"MATH.md §1 claim 2", claim2, []row{
			{id: BaselineID, customers: 10, revenue: 10},
			{id: "site-x3", customers: 30, revenue: 30, relCustomers: F(2), relRv: F(2)},
			{id: "all-x3", err: `scenario "all-x3": stages.sale.rate: 1.5 is not a rate (want 0..1; set "clamp": true to clamp)`, path: "scenarios[1].changes[2]"},
			{id: "all-x3-clamped", customers: 180, revenue: 180, relCustomers: F(17), relRv: F(17)},
			{id: "plus-2pp", customers: 34.32, revenue: 34.32, relCustomers: F(2.432), relRv: F(2.432)},
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := Compare(mustDecode(t, []byte(c.plan)))
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Scenarios) != len(c.rows) {
				t.Fatalf("%d rows, want %d", len(r.Scenarios), len(c.rows))
			}
			for k, w := range c.rows {
				g := r.Scenarios[k]
				if g.ID != w.id || g.Baseline != (k == 0) {
					t.Errorf("row %d id %q baseline %v, want %q", k, g.ID, g.Baseline, w.id)
				}
				if w.err != "" {
					if g.Error != w.err || g.Path != w.path || g.Customers != nil || g.Revenue != nil {
						t.Errorf("row %s: error %q path %q, want %q %q", g.ID, g.Error, g.Path, w.err, w.path)
					}
					continue
				}
				if g.Error != "" {
					t.Errorf("row %s: %s", g.ID, g.Error)
					continue
				}
				if !near(*g.Customers, w.customers, relTol) || !near(*g.Revenue, w.revenue, relTol) {
					t.Errorf("row %s: %v customers, %v revenue, want %v, %v", g.ID, *g.Customers, *g.Revenue, w.customers, w.revenue)
				}
				if g.Counts[len(g.Counts)-1] != *g.Customers {
					t.Errorf("row %s: counts %v end in %v customers", g.ID, g.Counts, *g.Customers)
				}
				checkOpt := func(what string, got, want *float64) {
					if (got == nil) != (want == nil) || (got != nil && !near(*got, *want, relTol)) {
						t.Errorf("row %s %s = %s, want %s", g.ID, what, fmtPtr(got), fmtPtr(want))
					}
				}
				if k == 0 {
					checkOpt("baseline delta", g.DeltaRevenue, F(0))
					checkOpt("baseline rel", g.RelRevenue, F(0))
					continue
				}
				checkOpt("rel customers", g.RelCustomers, w.relCustomers)
				checkOpt("rel revenue", g.RelRevenue, w.relRv)
				checkOpt("delta revenue", g.DeltaRevenue, F(w.revenue-*r.Scenarios[0].Revenue))
			}
		})
	}
}
