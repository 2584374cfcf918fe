package chart

import (
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
)

func TestFormat(t *testing.T) {
	tests := []struct {
		name string
		got  string
		want string
	}{
		// Counts: whole from 100, one decimal from 10, two below.
		{"count big", fmtCount(10000), "10,000"},
		{"count million", fmtCount(1234567.8), "1,234,568"},
		{"count tens", fmtCount(25.8), "25.8"},
		{"count small", fmtCount(7.8), "7.8"},
		{"count tiny", fmtCount(0.456), "0.46"},
		{"count zero", fmtCount(0), "0"},
		{"count negative zero", fmtCount(-0.001), "0"},
		{"count negative", fmtCount(-1500), "−1,500"},
		{"signed count", fmtSignedCount(25.8), "+25.8"},
		{"signed count negative", fmtSignedCount(-8.6), "−8.6"},
		{"signed count zero", fmtSignedCount(0), "0"},
		// Rates: MATH.md §d aggregate rate 0.396 and conversion 0.00258.
		{"pct", fmtPct(0.396), "39.6 %"},
		{"pct whole", fmtPct(0.05), "5 %"},
		{"pct small", fmtPct(0.00258), "0.26 %"},
		{"pct tiny", fmtPct(0.000843), "0.084 %"},
		{"pct one", fmtPct(1), "100 %"},
		{"signed pct", fmtSignedPct(-1.0 / 3), "−33.3 %"},
		{"points", fmtPoints(0.012), "+1.2 pp"},
		// Money: revenue 304,800 of MATH.md §d.
		{"eur", fmtMoney(304800, "EUR"), "€304,800"},
		{"usd cents", fmtMoney(12.5, "USD"), "$12.50"},
		{"usd whole", fmtMoney(600, "usd"), "$600"},
		{"jpy", fmtMoney(1200.4, "JPY"), "¥1,200"},
		{"sek", fmtMoney(1500, "SEK"), "1,500 SEK"},
		{"none", fmtMoney(99.5, ""), "99.50"},
		{"negative", fmtMoney(-101600, "EUR"), "−€101,600"},
		{"signed money", fmtSignedMoney(304800, "EUR"), "+€304,800"},
		{"short money", fmtMoneyShort(350000, "EUR"), "€350k"},
		{"short money M", fmtMoneyShort(1260000, "USD"), "$1.3M"},
		{"short count", fmtCountShort(1500), "1.5k"},
		{"money rounding to zero has no sign", fmtMoney(-0.004, "USD"), "$0.00"},
		{"fixed groups and keeps decimals", fixed(-1234567.891, 2), "−1,234,567.89"},
		{"fixed negative zero", fixed(-0.0004, 3), "0.000"},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, tc.got, tc.want)
		}
	}
}

func TestFitText(t *testing.T) {
	if got := fitText("Site visit", 200, 13, false); got != "Site visit" {
		t.Errorf("short text changed: %q", got)
	}
	long := "Enterprise push: 60 % enterprise traffic and more"
	got := fitText(long, 100, 13, false)
	if textWidth(got, 13, false) > 100 || got[len(got)-3:] != "…" {
		t.Errorf("fitText = %q (%.1f px), want at most 100 px ending in an ellipsis", got, textWidth(got, 13, false))
	}
	if got := fitText(long, 1, 13, false); got != "" {
		t.Errorf("no room: got %q", got)
	}
}

func TestNiceTicks(t *testing.T) {
	got := niceTicks(237155, 393395, 6)
	// Range 156,240 / 6 = 26,040 -> step 50,000 (1-2-5 rule).
	want := []float64{200000, 250000, 300000, 350000, 400000}
	if len(got) != len(want) {
		t.Fatalf("ticks %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("ticks %v, want %v", got, want)
		}
	}
}

func TestContrast(t *testing.T) {
	// WCAG: black text on the Okabe-Ito orange, white on the blue.
	if onColour(orange) != "#000000" || onColour(blue) != "#ffffff" {
		t.Errorf("onColour(orange) = %s, onColour(blue) = %s", onColour(orange), onColour(blue))
	}
	if sequential(0) != "#eff3ff" || sequential(1) != "#08306b" {
		t.Errorf("scale ends %s, %s", sequential(0), sequential(1))
	}
}

// TestAppendFloatMatchesStrconv compares appendFloat with
// strconv.AppendFloat(b, v, 'f', d, 64), the reference it replaces, on
// random bit patterns (every exponent, subnormals, NaN, infinities),
// values of chart size, exact binary halves (ties rounded half to even),
// the edges of its fast path, and decimals -1..5.
func TestAppendFloatMatchesStrconv(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	values := []float64{
		0, math.Copysign(0, -1), 0.5, 1.5, 2.5, -2.5, 0.125, 0.375, 0.0625, 1e-300, 5e-324, -5e-324,
		1<<53 - 1, 1 << 53, -(1<<53 - 1), 1<<52 + 0.5, math.MaxFloat64, math.Inf(1), math.Inf(-1), math.NaN(),
		0.005, 0.015, 0.0005, 1.005, 999.995, -0.001, -0.0049,
	}
	for range 40000 {
		values = append(values,
			math.Float64frombits(rng.Uint64()),
			(rng.Float64()-0.5)*4000,
			(rng.Float64()-0.5)*1e9,
			float64(rng.IntN(1<<20)-1<<19)/float64(uint64(1)<<rng.IntN(14)), // exact binary fractions: ties
			math.Ldexp(rng.Float64(), rng.IntN(120)-70),
		)
	}
	var got, want []byte
	for _, v := range values {
		for d := -1; d <= 5; d++ {
			got = appendFloat(got[:0], v, d)
			want = strconv.AppendFloat(want[:0], v, 'f', d, 64)
			if string(got) != string(want) {
				t.Fatalf("appendFloat(%v (bits %#x), %d) = %s, strconv %s", v, math.Float64bits(v), d, got, want)
			}
		}
	}
}

// TestSRGBLinear checks the table of linear sRGB channel values against
// the WCAG 2 formula it stands for (palette.go).
func TestSRGBLinear(t *testing.T) {
	const tol = 1e-15 // math.Pow may differ in the last bits between platforms
	for c := range 256 {
		v := float64(c) / 255
		want := v / 12.92
		if v > 0.03928 {
			want = math.Pow((v+0.055)/1.055, 2.4)
		}
		if got := srgbLinear[c]; math.Abs(got-want) > tol {
			t.Errorf("srgbLinear[%d] = %v, want %v", c, got, want)
		}
	}
}
