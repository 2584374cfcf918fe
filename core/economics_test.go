package core

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"
)

// adsMonth is the month of MATH.md §c.1: S = 150 000, I = 500 000, clicks
// 10 000, leads 500, customers 25, R = 300 000, COGS 120 000.
func adsMonth() *Plan {
	return &Plan{
		Version: 1, Name: "month", Top: 500000, OrderValue: 12000,
		Margin: F(0.6), Spend: F(150000),
		Stages: []Stage{
			{ID: "impression"},
			{ID: "click", Rate: F(0.02)},
			{ID: "signup", Rate: F(0.05), Role: RoleLeads},
			{ID: "customer", Rate: F(0.05)},
		},
	}
}

func economics(t *testing.T, p *Plan) *EconomicsResult {
	t.Helper()
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	f, err := Forward(p)
	if err != nil {
		t.Fatal(err)
	}
	return Economics(p, f)
}

func TestEconomicsMetrics(t *testing.T) {
	const source = "MATH.md §c.1 example"
	e := economics(t, adsMonth())
	tests := []struct {
		name string
		got  *float64
		want float64
	}{
		{"spend", e.Spend, 150000},
		{"clicks", e.Clicks, 10000},
		{"leads", e.Leads, 500},
		{"cpm_cost", e.CPMCost, 300},
		{"rpm_revenue", e.RPMRevenue, 600},
		{"ctr", e.CTR, 0.02},
		{"cpc", e.CPC, 15},
		{"cpl", e.CPL, 300},
		{"cpa", e.CPA, 6000},
		{"cac", e.CAC, 6000},
		{"cac_loaded", e.CACLoaded, 6000},
		{"aov", e.AOV, 12000},
		{"margin", e.Margin, 0.6},
		{"gross_profit", e.GrossProfit, 180000},
		{"cogs", e.COGS, 120000},
		{"roas", e.ROAS, 2},
		{"roi", e.ROI, 0.2},
		{"revenue_roi", e.RevenueROI, 1},
		{"net_profit", e.NetProfit, 30000},
		{"break_even_roas", e.BreakEvenROAS, 1 / 0.6},
	}
	for _, tc := range tests {
		checkNearPtr(t, source+": "+tc.name, tc.got, tc.want)
	}
	checkNear(t, source+": revenue", e.Revenue, 300000)
	// Value of an entrant at stage i is v·D_i (§c.1): D = [0.00005, 0.0025, 0.05, 1].
	for i, want := range []float64{0.6, 30, 600, 12000} {
		checkNearPtr(t, fmt.Sprintf("%s: value per entrant[%d]", source, i), e.Stages[i].ValuePerEntrant, want)
	}
}

// TestEconomicsIdentities checks the consistency identities of MATH.md §b:
// CPC = CPM/(1000·CTR), CPL = CPC/p_click->lead, CAC = CPL/D_lead.
func TestEconomicsIdentities(t *testing.T) {
	e := economics(t, adsMonth())
	checkNear(t, "CPC = CPM/(1000 CTR)", *e.CPC, *e.CPMCost/(1000**e.CTR))
	checkNear(t, "CPL = CPC/p", *e.CPL, *e.CPC/0.05)
	checkNear(t, "CAC = CPL/D_lead", *e.CAC, *e.CPL/0.05)
}

func TestEconomicsLoadedAndUndefined(t *testing.T) {
	p := adsMonth()
	p.OtherCosts = F(50000)
	e := economics(t, p)
	// (150 000 + 50 000)/25 = 8000; ROI = (180 000 − 200 000)/200 000 = −0.1.
	checkNearPtr(t, "MATH.md §c.1: CAC loaded", e.CACLoaded, 8000)
	checkNearPtr(t, "MATH.md §c.1: ROI with other costs", e.ROI, -0.1)

	// No spend, no margin, no clicks stage: those metrics are null, and
	// with no customers CAC and AOV are null too (never 0 or NaN).
	q := linearPlan(1000, 0.1, 0)
	q.OrderValue = 100
	e = economics(t, q)
	for name, x := range map[string]*float64{
		"spend": e.Spend, "cpm_cost": e.CPMCost, "ctr": e.CTR, "cpc": e.CPC, "cpl": e.CPL,
		"cac": e.CAC, "aov": e.AOV, "gross_profit": e.GrossProfit, "roas": e.ROAS,
		"roi": e.ROI, "break_even_roas": e.BreakEvenROAS, "value_per_entrant[2]": e.Stages[2].ValuePerEntrant,
	} {
		if x != nil {
			t.Errorf("MATH.md §c.1: %s = %v, want null", name, *x)
		}
	}
	b, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"cpm_cost":null`, `"rpm_revenue":0`, `"cac":null`, `"roi":null`, `"break_even_roas":null`} {
		if !strings.Contains(string(b), key) {
			t.Errorf("economics JSON lacks %s: %s", key, b)
		}
	}
	// A zero margin has no break-even ROAS.
	q.Margin = F(0)
	if e := economics(t, q); e.BreakEvenROAS != nil {
		t.Errorf("MATH.md §c.1: break-even ROAS at m = 0 is %v, want null", *e.BreakEvenROAS)
	}
}

func TestLTV(t *testing.T) {
	tests := []struct {
		name, source string
		g, r, d      float64
		h            int
		want         float64
	}{
		{"discounted", "MATH.md §c.2: g 7200/yr, r 0.7, d 0.1 -> 19 800", 7200, 0.7, 0.1, 0, 19800},
		{"undiscounted", "MATH.md §c.2: d = 0 -> 24 000", 7200, 0.7, 0, 0, 24000},
		{"horizon 3", "MATH.md §c.2: H = 3 -> 14 697.52", 7200, 0.7, 0.1, 3, 7200 * (1 + 0.7/1.1 + 0.49/1.21)},
		{"x = 1 with horizon", "MATH.md §c.2: x = 1 -> g·H", 100, 1, 0, 12, 1200},
		{"club rung", "MATH.md §c.2 ladder: 1600 monthly, r 0.85 -> 10 666.67", 1600, 0.85, 0, 0, 1600 / 0.15},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := LTV(tc.g, tc.r, tc.d, tc.h)
			if err != nil {
				t.Fatal(err)
			}
			checkNear(t, tc.source, got, tc.want)
		})
	}
	if got, _ := LTV(7200, 0.7, 0.1, 3); math.Abs(got-14697.52) > 0.005 {
		t.Errorf("MATH.md §c.2: LTV_3 = %.4f, want 14697.52", got)
	}
	if _, err := LTV(100, 1, 0, 0); err == nil {
		t.Error("MATH.md §c.2: x = 1 without a horizon: no error")
	}
	for _, bad := range [][3]float64{{100, 1.2, 0}, {100, 0.5, -0.1}, {math.NaN(), 0.5, 0}} {
		if _, err := LTV(bad[0], bad[1], bad[2], 0); err == nil {
			t.Errorf("LTV(%v): no error", bad)
		}
	}
	// LTV/CAC of the example: 19 800 / 6000 = 3.3.
	l, err := CustomerLTV(&Retention{Rate: 0.7, Discount: 0.1}, 12000, 0.6, F(6000))
	if err != nil {
		t.Fatal(err)
	}
	checkNear(t, "MATH.md §c.2: LTV", l.LTV, 19800)
	checkNearPtr(t, "MATH.md §c.2: LTV/CAC", l.LTVToCAC, 3.3)
	checkNearPtr(t, "MATH.md §c.2: expected lifetime 1/(1-r)", l.Lifetime, 1/0.3)
}

func TestPayback(t *testing.T) {
	tests := []struct {
		name, source string
		cac, g, r, d float64
		h            int
		want         int
		ok           bool
	}{
		{"r 0.9", "MATH.md §c.2: CAC 6000, g 1200, r 0.9 -> 7 months", 6000, 1200, 0.9, 0, 0, 7, true},
		{"r 1", "MATH.md §c.2: r = 1 -> 5", 6000, 1200, 1, 0, 0, 5, true},
		{"r 0.75 never", "MATH.md §c.2: r = 0.75 -> never (LTV 4800)", 6000, 1200, 0.75, 0, 0, 0, false},
		{"r 0.9 d 0.01", "MATH.md §c.2: r = 0.9, d = 0.01 -> 7", 6000, 1200, 0.9, 0.01, 0, 7, true},
		{"free customer", "MATH.md §c.2: CAC <= 0 -> 0", 0, 1200, 0.9, 0, 0, 0, true},
		{"beyond horizon", "MATH.md §c.2 with a horizon of 6 < 7", 6000, 1200, 0.9, 0, 6, 0, false},
		{"exact boundary", "hand: 3 periods of 1000 pay 3000 exactly", 3000, 1000, 1, 0, 0, 3, true},
		{"no churn first period", "hand: r = 0 pays only g", 500, 1200, 0, 0, 0, 1, true},
		{"one period short", "hand: r = 0 never pays a CAC above g", 100000, 12000, 0, 0.1, 12, 0, false},
		{"limit equals CAC", "MATH.md §c.2: LTV_∞ = CAC is never reached", 6000, 1200, 0.8, 0, 0, 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := Payback(tc.cac, tc.g, tc.r, tc.d, tc.h)
			if got != tc.want || ok != tc.ok {
				t.Errorf("%s: payback = %d, %v; want %d, %v", tc.source, got, ok, tc.want, tc.ok)
			}
		})
	}
	// The payback period is the first t whose cumulative profit covers CAC.
	for _, r := range []float64{0.5, 0.8, 0.95, 0.99, 1} {
		for _, cac := range []float64{100, 999, 1000, 2500, 7777} {
			tt, ok := Payback(cac, 1000, r, 0.02, 0)
			if !ok {
				continue
			}
			x, cum := r/1.02, 0.0
			for k := 0; k < tt; k++ {
				cum += 1000 * math.Pow(x, float64(k))
			}
			if cum < cac*(1-1e-9) || cum-1000*math.Pow(x, float64(tt-1)) >= cac*(1+1e-9) {
				t.Errorf("payback(cac %g, r %g) = %d: cumulative %g", cac, r, tt, cum)
			}
		}
	}
}

// ladderExample is the value ladder of MATH.md §c.2.
func ladderExample() []Rung {
	return []Rung{
		{ID: "magnet", Price: 0, UnitCost: 50, TakeUp: 1},
		{ID: "tripwire", Parent: "magnet", Price: 990, UnitCost: 99, TakeUp: 0.1},
		{ID: "core", Parent: "tripwire", Price: 12000, UnitCost: 4800, TakeUp: 0.3},
		{ID: "premium", Parent: "core", Price: 60000, UnitCost: 30000, TakeUp: 0.1},
		{ID: "club", Parent: "core", Price: 2000, UnitCost: 400, TakeUp: 0.4, Retention: F(0.85)},
	}
}

func TestLadder(t *testing.T) {
	const source = "MATH.md §c.2 value ladder"
	l, err := Ladder(ladderExample(), 0)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct{ reach, value, contribution float64 }{
		{1, -50, -50},
		{0.1, 891, 89.1},
		{0.03, 7200, 216},
		{0.003, 30000, 90},
		{0.012, 1600 / 0.15, 128},
	}
	for i, w := range want {
		r := l.Rungs[i]
		checkNear(t, source+": reach "+r.ID, r.Reach, w.reach)
		checkNear(t, source+": value "+r.ID, r.Value, w.value)
		checkNear(t, source+": contribution "+r.ID, r.Contribution, w.contribution)
	}
	checkNear(t, source+": per entrant", l.PerEntrant, 473.1)
	checkNear(t, source+": core buyer with the ladder", l.Rungs[2].BuyerValue, 7200+3000+0.4*1600/0.15)
	if ratio := l.Rungs[2].BuyerValue / l.Rungs[2].Value; math.Abs(ratio-2.009) > 5e-4 {
		t.Errorf("%s: core buyer ratio %.4f, want 2.009", source, ratio)
	}
	// A cycle is an error, never a hang.
	bad := ladderExample()
	bad[0].Parent = "club"
	if _, err := Ladder(bad, 0); err == nil || !strings.Contains(err.Error(), "ancestor") {
		t.Errorf("ladder with a cycle: err = %v", err)
	}
}

func TestRankChannels(t *testing.T) {
	const source = "MATH.md §c.1 lead-generation channels"
	p := linearPlan(25000, 0.1, 0.1)
	p.OrderValue = 12000
	p.Channels = []Channel{
		{ID: "a", Budget: 100000, Volume: F(20000), LeadRate: F(0.02), LeadQuality: F(0.05)},
		{ID: "b", Budget: 100000, Volume: F(5000), LeadRate: F(0.04), LeadQuality: F(0.15)},
		{ID: "flat", Budget: 5000},
	}
	e := economics(t, p)
	a, b, flat := e.Channels[0], e.Channels[1], e.Channels[2]
	checkNearPtr(t, source+": A leads", a.Leads, 400)
	checkNearPtr(t, source+": A CPL", a.CPL, 250)
	checkNearPtr(t, source+": A sales", a.Sales, 20)
	checkNearPtr(t, source+": A cost per sale", a.CostPerSale, 5000)
	checkNearPtr(t, source+": A ROAS", a.ROAS, 20*12000/100000.0)
	checkNearPtr(t, source+": B leads", b.Leads, 200)
	checkNearPtr(t, source+": B CPL", b.CPL, 500)
	checkNearPtr(t, source+": B sales", b.Sales, 30)
	checkNearPtr(t, source+": B cost per sale", b.CostPerSale, 100000/30.0)
	if b.Rank != 1 || a.Rank != 2 || flat.Rank != 0 {
		t.Errorf("%s: ranks A %d, B %d, flat %d; want B first despite twice the CPL, flat unranked", source, a.Rank, b.Rank, flat.Rank)
	}
	checkNearPtr(t, source+": spend is the sum of budgets", e.Spend, 205000)
}

// TestRankChannelsFromFunnel checks the defaults: a channel without lead
// rates converts like the funnel from its entry stage.
func TestRankChannelsFromFunnel(t *testing.T) {
	p := adsMonth()
	p.Spend = nil
	p.Channels = []Channel{{ID: "ctx", Budget: 150000, Pricing: "cpm", Price: F(300)}}
	e := economics(t, p)
	c := e.Channels[0]
	checkNearPtr(t, "MATH.md §c.1: touches = 150 000/300·1000", c.Touches, 500000)
	checkNearPtr(t, "MATH.md §c.1: leads via the funnel", c.Leads, 500)
	checkNearPtr(t, "MATH.md §c.1: CPL", c.CPL, 300)
	checkNearPtr(t, "MATH.md §c.1: cost per sale = CAC", c.CostPerSale, 6000)
	checkNearPtr(t, "MATH.md §c.1: ROAS", c.ROAS, 2)
}

func TestEconomicsSections(t *testing.T) {
	p := adsMonth()
	p.Retention = &Retention{Rate: 0.9, OrdersPerPeriod: F(1.0 / 6)}
	p.Ladder = ladderExample()
	e := economics(t, p)
	// g = 12 000 · 0.6 / 6 = 1200 a month, CAC 6000: payback 7 (§c.2).
	if e.LTV == nil || e.LTV.Payback == nil || *e.LTV.Payback != 7 {
		t.Fatalf("MATH.md §c.2: LTV section %+v, want payback 7", e.LTV)
	}
	checkNear(t, "MATH.md §c.2: g", e.LTV.GrossProfitPerPeriod, 1200)
	checkNearPtr(t, "MATH.md §c.2: simple payback 6000/1200", e.LTV.SimplePayback, 5)
	if e.Ladder == nil {
		t.Fatal("no ladder section")
	}
	checkNear(t, "MATH.md §c.2: ladder per entrant", e.Ladder.PerEntrant, 473.1)
}

func TestStageRoles(t *testing.T) {
	p := adsMonth()
	p.Stages[1].Role = "clicks"
	p.Stages[3].Role = "clicks"
	err := p.Validate()
	if err == nil || !strings.Contains(err.Error(), `stages[3].role: stage "click" already has role "clicks"`) {
		t.Errorf("duplicate role: %v", err)
	}
	p.Stages[3].Role = "sales"
	if err := p.Validate(); err == nil || !strings.Contains(err.Error(), `stages[3].role: "sales" is not a stage role`) {
		t.Errorf("unknown role: %v", err)
	}
}

func ExampleEconomics() {
	p := &Plan{
		Version: 1, Name: "month", Top: 500000, OrderValue: 12000,
		Margin: F(0.6), Spend: F(150000),
		Stages: []Stage{
			{ID: "impression"},
			{ID: "click", Rate: F(0.02)},
			{ID: "lead", Rate: F(0.05)},
			{ID: "customer", Rate: F(0.05)},
		},
	}
	f, err := Forward(p)
	if err != nil {
		fmt.Println(err)
		return
	}
	e := Economics(p, f)
	fmt.Printf("CPM %.0f, RPM %.0f, CTR %.2f, CPC %.0f, CPL %.0f, CAC %.0f\n", *e.CPMCost, *e.RPMRevenue, *e.CTR, *e.CPC, *e.CPL, *e.CAC)
	fmt.Printf("gross profit %.0f, ROAS %.1f, ROI %.2f, break-even ROAS %.3f\n", *e.GrossProfit, *e.ROAS, *e.ROI, *e.BreakEvenROAS)
	// Output:
	// CPM 300, RPM 600, CTR 0.02, CPC 15, CPL 300, CAC 6000
	// gross profit 180000, ROAS 2.0, ROI 0.20, break-even ROAS 1.667
}
