package core

import "hash/fnv"

// Random numbers for Monte Carlo (MATH.md §j, decision 6).
//
// The generator is SplitMix64, which is counter-based: the i-th output
// (i = 0, 1, ...) of a stream started at state s is
//
//	z = s + (i+1)·0x9E3779B97F4A7C15
//	z = (z ⊕ z≫30)·0xBF58476D1CE4E5B9
//	z = (z ⊕ z≫27)·0x94D049BB133111EB
//	out = z ⊕ z≫31
//
// so any draw can be computed directly, without stepping through the ones
// before it. Trials are split across goroutines without changing a single
// draw, and the browser (wasm) and the command line give identical results
// for the same seed: only integer arithmetic is involved up to the uniform.

// golden64 is the SplitMix64 increment (2^64 divided by the golden ratio).
const golden64 = 0x9E3779B97F4A7C15

// mix64 is the SplitMix64 output function.
func mix64(z uint64) uint64 {
	z = (z ^ z>>30) * 0xBF58476D1CE4E5B9
	z = (z ^ z>>27) * 0x94D049BB133111EB
	return z ^ z>>31
}

// splitMix64At returns output i (0-based) of SplitMix64 started at state s.
func splitMix64At(s uint64, i uint64) uint64 {
	return mix64(s + (i+1)*golden64)
}

// unitOpen maps a 64-bit output to a uniform in the open interval (0, 1):
//
//	u = ((out ≫ 11) + 0.5)·2⁻⁵³
//
// u is never 0 or 1, so every inverse CDF stays finite: the top 53-bit
// value would round to 1 in float64 and is mapped to 1 − 2⁻⁵³ instead.
func unitOpen(out uint64) float64 { return unit53(out >> 11) }

// unit53 is the uniform of a 53-bit value k: (k + 0.5)·2⁻⁵³, below 1.
func unit53(k uint64) float64 {
	u := (float64(k) + 0.5) * (1.0 / (1 << 53))
	if u >= 1 {
		u = 1 - 1.0/(1<<53)
	}
	return u
}

// stream is one uncertain input's own sequence of uniforms.
type stream struct{ state uint64 }

// at returns the uniform of draw i.
func (s stream) at(i uint64) float64 { return unitOpen(splitMix64At(s.state, i)) }

// streamFor returns the stream of the input with the given key (its target
// path) under seed. The stream depends on the seed and the key only, so
// adding, removing or renaming another input never changes this input's
// draws (decision 6b):
//
//	state = SplitMix64₀(SplitMix64₀(seed) ⊕ FNV-1a-64(key))
//
// where SplitMix64₀(s) is the first output of a generator started at s.
func streamFor(seed uint64, key string) stream {
	h := fnv.New64a()
	h.Write([]byte(key))
	return stream{state: splitMix64At(splitMix64At(seed, 0)^h.Sum64(), 0)}
}

// indexedStream returns substream k (k = 1, 2, ...) as MATH.md §j defines
// it: a generator started at the k-th output of the master SplitMix64(seed).
// It reproduces the reference numbers of §j.
func indexedStream(seed uint64, k int) stream {
	return stream{state: splitMix64At(seed, uint64(k-1))}
}
