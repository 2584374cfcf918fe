package core

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

// tolSix: agreement with a number printed to 6 decimals in MATH.md.
const tolSix = 5e-7

func TestGroupApprovalWorkedExample(t *testing.T) {
	icc := func(x float64) *float64 { return &x }
	cases := []struct {
		name string
		b    BuyingGroup
		want float64 // MATH.md §i, example
	}{
		{"q .9 n 1", BuyingGroup{Size: 1, Approval: 0.9}, 0.9},
		{"q .9 n 5", BuyingGroup{Size: 5, Approval: 0.9}, 0.590490},
		{"q .9 mixture 5.4", BuyingGroup{Size: 5.4, Approval: 0.9}, 0.566870},
		{"q .9 1+Poisson(4.4)", BuyingGroup{Size: 5.4, Approval: 0.9, SizeModel: SizePoisson}, 0.579633},
		{"q .8 n 5", BuyingGroup{Size: 5, Approval: 0.8}, 0.327680},
		{"q .8 mixture 5.4", BuyingGroup{Size: 5.4, Approval: 0.8}, 0.301466},
		{"q .8 1+Poisson(4.4)", BuyingGroup{Size: 5.4, Approval: 0.8, SizeModel: SizePoisson}, 0.331826},
		{"3 of 5 at .8", BuyingGroup{Size: 5, Approval: 0.8, Needed: 3}, 0.94208},
		{"4 of 5 at .8", BuyingGroup{Size: 5, Approval: 0.8, Needed: 4}, 0.73728},
		{"5 of 5 at .8 is unanimity", BuyingGroup{Size: 5, Approval: 0.8, Needed: 5}, 0.327680},
		{"beta-binomial q .8 rho .3 n 5", BuyingGroup{Size: 5, Approval: 0.8, ICC: icc(0.3)}, 0.518914},
		{"beta-binomial q .8 rho .3 n 6", BuyingGroup{Size: 6, Approval: 0.8, ICC: icc(0.3)}, 0.485892},
		{"never", BuyingGroup{Size: 3, Approval: 0}, 0},
		{"always", BuyingGroup{Size: 3, Approval: 1, ICC: icc(0.5)}, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := GroupApproval(c.b)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(got-c.want) > tolSix {
				t.Errorf("P = %.8f, want %.6f (MATH.md §i)", got, c.want)
			}
		})
	}
}

func TestGroupApprovalLaws(t *testing.T) {
	// Poisson size, unanimity: E[q^n] = q·exp(−(n̄−1)(1−q)) (MATH.md §i).
	for _, q := range []float64{0.1, 0.5, 0.8, 0.95} {
		for _, n := range []float64{1.5, 3, 5.4, 12.7} {
			got, _ := GroupApproval(BuyingGroup{Size: n, Approval: q, SizeModel: SizePoisson})
			if want := q * math.Exp(-(n-1)*(1-q)); !relClose(got, want, tolClosed) {
				t.Errorf("poisson q %g n %g: %.15g, want %.15g", q, n, got, want)
			}
		}
	}
	// Beta-binomial: ρ → 0 gives q^n, ρ → 1 gives q; k of n with a
	// correlation matches unanimity at k = n.
	for _, q := range []float64{0.3, 0.8} {
		lo, _ := GroupApproval(BuyingGroup{Size: 5, Approval: q, ICC: F(1e-9)})
		hi, _ := GroupApproval(BuyingGroup{Size: 5, Approval: q, ICC: F(1 - 1e-9)})
		if !relClose(lo, math.Pow(q, 5), 1e-7) || !relClose(hi, q, 1e-7) {
			t.Errorf("q %g: ρ→0 %g (want %g), ρ→1 %g (want %g)", q, lo, math.Pow(q, 5), hi, q)
		}
		all, _ := GroupApproval(BuyingGroup{Size: 5, Approval: q, ICC: F(0.3)})
		k5, _ := GroupApproval(BuyingGroup{Size: 5, Approval: q, ICC: F(0.3), Needed: 5})
		if !relClose(all, k5, tolClosed) {
			t.Errorf("q %g: unanimity %g, 5 of 5 %g", q, all, k5)
		}
	}
}

func TestApprovalNeeded(t *testing.T) {
	cases := []struct {
		name   string
		b      BuyingGroup
		target float64
		want   float64
		tol    float64
	}{
		// MATH.md §i: q = P^{1/n}; 0.5^{1/5} = 0.870550563 (hand).
		{"unanimity of 5", BuyingGroup{Size: 5}, 0.5, 0.870550563296124, tolClosed},
		// MATH.md §i prints 0.879536 for n = 5.4, which is 0.5^{1/5.4},
		// the q^n̄ approximation that decision 3 does not offer; the
		// mixture of 5 and 6 members needs 0.879215 (bisection, hand
		// check 0.6 q^5 + 0.4 q^6 = 0.5).
		{"mixture 5.4", BuyingGroup{Size: 5.4}, 0.5, 0.8792153316315069, 1e-12},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			q, err := ApprovalNeeded(c.b, c.target)
			if err != nil {
				t.Fatal(err)
			}
			if !relClose(q, c.want, c.tol) {
				t.Errorf("q = %.15g, want %.15g", q, c.want)
			}
			b := c.b
			b.Approval = q
			if P, _ := GroupApproval(b); math.Abs(P-c.target) > 1e-12 {
				t.Errorf("P(q) = %.15g, want %g", P, c.target)
			}
		})
	}
	if math.Abs(0.8795361708953764-math.Pow(0.5, 1/5.4)) > 1e-15 {
		t.Error("the q^n̄ approximation printed in MATH.md §i")
	}
	if _, err := ApprovalNeeded(BuyingGroup{Size: 5, Needed: 3, ICC: F(0.5)}, 1.5); err == nil {
		t.Error("target 1.5 accepted")
	}
}

func TestGroupInvalid(t *testing.T) {
	// MATH.md §i: Invalid: q ∉ [0,1], n < 1, k ∉ [1,n], ρ ∉ (0,1).
	cases := []struct {
		b    BuyingGroup
		want string
	}{
		{BuyingGroup{Size: 5, Approval: 1.2}, "buying_group.approval"},
		{BuyingGroup{Size: 0.5, Approval: 0.5}, "buying_group.size"},
		{BuyingGroup{Size: 5, Approval: 0.5, Needed: 6}, "buying_group.needed"},
		{BuyingGroup{Size: 5, Approval: 0.5, Needed: -1}, "buying_group.needed"},
		{BuyingGroup{Size: 5, Approval: 0.5, ICC: F(1)}, "buying_group.icc"},
		{BuyingGroup{Size: 5, Approval: 0.5, ICC: F(0)}, "buying_group.icc"},
		{BuyingGroup{Size: 5, Approval: 0.5, SizeModel: "q^n"}, "buying_group.size_model"},
		{BuyingGroup{Size: math.NaN(), Approval: 0.5}, "buying_group.size"},
	}
	for _, c := range cases {
		if _, err := GroupApproval(c.b); err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%+v: error %v, want one at %s", c.b, err, c.want)
		}
	}
}

func TestWithBuyingGroup(t *testing.T) {
	// MATH.md §i: a calibrated single-buyer close rate p₁ becomes
	// p₁·P/q = p₁ q^{n−1} under unanimity. n = 5, q = 0.9: 0.25·0.9^4 =
	// 0.1640250 (hand). MATH.md prints 0.157256 = 0.25·0.9^4.4 for n̄ =
	// 5.4 with the q^n̄ approximation; the mixture gives 0.25·0.566870/0.9
	// = 0.157464 (hand), 37 % less than 0.25 either way.
	cases := []struct {
		name string
		b    BuyingGroup
		want float64
	}{
		{"unanimity of 5", BuyingGroup{Size: 5, Approval: 0.9, IncludesOne: true}, 0.25 * math.Pow(0.9, 4)},
		{"mixture 5.4", BuyingGroup{Size: 5.4, Approval: 0.9, IncludesOne: true}, 0.157464},
		{"group is the step", BuyingGroup{Size: 5, Approval: 0.9}, 0.25 * 0.590490},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := testFunnelPlan(10000, []float64{.05, .4, .5, .25})
			p.Personas = []Persona{{ID: "a", Share: 0.5, Rates: StageRates{{"s4", 0.3}}}, {ID: "b", Share: 0.5}}
			b := c.b
			p.BuyingGroup = &b
			q, e, err := WithBuyingGroup(p)
			if err != nil {
				t.Fatal(err)
			}
			if q.BuyingGroup != nil || p.BuyingGroup == nil || *p.Stages[4].Rate != 0.25 {
				t.Fatal("the plan changed, or the copy still has the group")
			}
			if math.Abs(*q.Stages[4].Rate-c.want) > tolSix || math.Abs(e.Effective-c.want) > tolSix {
				t.Errorf("effective close rate %.8f, want %.6f", *q.Stages[4].Rate, c.want)
			}
			if got, _ := q.Personas[0].Rates.Get("s4"); !relClose(got, 0.3*e.Factor, tolExact) {
				t.Errorf("persona override %g, want %g", got, 0.3*e.Factor)
			}
		})
	}
	if math.Abs(0.25*math.Pow(0.9, 4.4)-0.157256) > tolSix {
		t.Error("MATH.md §i's q^n̄ figure")
	}
}

func ExampleGroupApproval() {
	for _, b := range []BuyingGroup{
		{Size: 5, Approval: 0.9},                      // unanimity of five
		{Size: 5.4, Approval: 0.9},                    // 5 or 6 members, mean 5.4
		{Size: 5, Approval: 0.8, Needed: 3},           // three of five
		{Size: 5, Approval: 0.8, ICC: F(0.3)},         // correlated members
		{Size: 5.4, Approval: 0.9, IncludesOne: true}, // factor for a close rate
	} {
		P, _ := GroupApproval(b)
		f, _ := GroupFactor(b)
		fmt.Printf("P = %.6f  factor = %.6f\n", P, f)
	}
	// Output:
	// P = 0.590490  factor = 0.590490
	// P = 0.566870  factor = 0.566870
	// P = 0.942080  factor = 0.942080
	// P = 0.518914  factor = 0.518914
	// P = 0.566870  factor = 0.629856
}

// A Poisson group size stops at the first weight that is 0 in floating
// point: the running sum of the weights never gets within 1e-16 of 1, and
// going on to MaxGroupSize*4 sizes made a plan's forward funnel take
// seconds (every size costs O(n) log-gamma calls with an ICC).
func TestPoissonSizesStop(t *testing.T) {
	b := BuyingGroup{Size: 5.4, Approval: 0.9, Needed: 3, SizeModel: SizePoisson}
	calls, sum, last := 0, 0.0, 0
	b.sizes(func(n int, w float64) bool {
		calls++
		sum += w
		last = n
		return true
	})
	if calls > 300 || calls < 20 {
		t.Fatalf("%d sizes (up to %d), want the sizes with a weight above 0", calls, last)
	}
	if math.Abs(sum-1) > 1e-15 {
		t.Fatalf("weights sum to %v, want 1", sum)
	}
}

// consensus stops summing once no later size can change the total: the
// same float64, to the bit, as the sum over every size with a weight.
func TestConsensusStopsExactly(t *testing.T) {
	icc := 0.3
	for _, g := range []BuyingGroup{
		{Size: 5.4, Needed: 3, ICC: &icc, SizeModel: SizePoisson},
		{Size: 5.4, Needed: 3, SizeModel: SizePoisson},
		{Size: 1.5, SizeModel: SizePoisson},
		{Size: 40, Needed: 10, ICC: &icc, SizeModel: SizePoisson},
	} {
		for _, q := range []float64{0.05, 0.5, 0.9, 0.999} {
			full := 0.0
			g.sizes(func(n int, w float64) bool {
				full += w * g.fixed(n, q)
				return true
			})
			full = math.Min(1, math.Max(0, full))
			if got := g.consensus(q); got != full {
				t.Errorf("size %v needed %d q %v: %v, the full sum %v", g.Size, g.Needed, q, got, full)
			}
		}
	}
}

func BenchmarkGroupFactorPoissonICC(b *testing.B) {
	icc := 0.3
	g := BuyingGroup{Size: 5.4, Approval: 0.9, Needed: 3, ICC: &icc, IncludesOne: true, SizeModel: SizePoisson}
	for i := 0; i < b.N; i++ {
		if _, err := GroupFactor(g); err != nil {
			b.Fatal(err)
		}
	}
}
