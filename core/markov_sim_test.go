package core

import (
	"math"
	"testing"
)

// TestChainSimulation checks the example of MATH.md §f against a seeded
// simulation of 200 000 journeys: SplitMix64 seed 7, one uniform per step
// (draw i of the stream), next state = first column of [Q R] whose
// cumulative row sum exceeds u. MATH.md §f: P(purchase) 0.068905 (exact
// 0.069734, 1.5 SE), E[steps | purchase] 7.6578 (exact 7.6659).
func TestChainSimulation(t *testing.T) {
	c := exampleChain()
	r, err := c.Solve(0)
	if err != nil {
		t.Fatal(err)
	}
	m := len(c.States)
	const journeys = 200000
	var draw uint64
	bought, steps, steps2 := 0, 0, 0
	for j := 0; j < journeys; j++ {
		s, k := 0, 0
		for s < m {
			u := unitOpen(splitMix64At(7, draw))
			draw++
			k++
			cum, next := 0.0, m+1
			for col := 0; col < m+2; col++ {
				if col < m {
					cum += c.Q[s*m+col]
				} else {
					cum += c.R[2*s+col-m]
				}
				if cum > u {
					next = col
					break
				}
			}
			s = next
		}
		if s == m {
			bought++
			steps += k
			steps2 += k * k
		}
	}
	p := float64(bought) / journeys
	se := math.Sqrt(r.Purchase * (1 - r.Purchase) / journeys)
	if math.Abs(p-r.Purchase) > 4*se {
		t.Errorf("simulated P(purchase) %.6f, exact %.6f: more than 4 SE (%.6f) apart", p, r.Purchase, se)
	}
	// Steps given purchase: exact mean T|P/7 = 7.6658596.
	mean := float64(steps) / float64(bought)
	sd := math.Sqrt(float64(steps2)/float64(bought) - mean*mean)
	if math.Abs(mean-r.EntryDaysIfPurchase/7) > 4*sd/math.Sqrt(float64(bought)) {
		t.Errorf("simulated E[steps | purchase] %.4f, exact %.4f: more than 4 SE apart", mean, r.EntryDaysIfPurchase/7)
	}
	// The generator and the algorithm are the ones MATH.md specifies, so
	// the digits are reproduced too.
	if bought != 13781 || math.Abs(mean-7.6578) > 5e-5 {
		t.Errorf("simulated P(purchase) %.6f, E[steps | purchase] %.4f; MATH.md §f: 0.068905, 7.6578", p, mean)
	}
}
