package chart

import (
	"bytes"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	svgo "github.com/ajstarks/svgo/float"
)

// TestSVGWriterMatchesSvgo drives svgWriter and svgo's float package (which
// the charts used before) with the same random calls and requires the same
// bytes, call by call: the charts' goldens depend on every space and
// newline, and on encoding/xml's escaping of text.
func TestSVGWriterMatchesSvgo(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	num := func() float64 {
		switch rng.IntN(13) {
		case 0:
			return math.Copysign(0, -1)
		case 1:
			return 0
		case 2:
			return (rng.Float64() - 0.5) * 1e12 // large, both signs
		case 3:
			return -rng.Float64() * 0.01 // rounds to -0.00
		case 4:
			return float64(rng.IntN(2000)-1000) + 0.005 // halfway cases
		case 5:
			return (rng.Float64() - 0.5) * 1e300
		case 6:
			return math.Inf(1 - 2*rng.IntN(2))
		case 7:
			return math.NaN()
		case 8:
			return float64(rng.IntN(64000)-32000) / 64 // exact binary fractions: ties
		}
		return (rng.Float64() - 0.5) * 2000
	}
	// Pieces of text: every character encoding/xml escapes, controls it
	// replaces, multi-byte runes, non-characters, a literal U+FFFD and
	// invalid UTF-8 (a lone continuation byte, a truncated rune, an
	// encoded surrogate, an overlong form).
	pieces := []string{
		"", "a", "Stage 1", " ", `"`, "'", "&", "<", ">", "\t", "\n", "\r",
		"\x00", "\x01", "\x1f", "\x7f", "é", "€", "→", "漢字", "🙂",
		"\uFFFD", "\uFFFE", "\U0010FFFF", "\u2028", "\uD7FF", "\uE000",
		"\x80", "\xe2\x82", "\xed\xa0\x80", "\xc0\xaf", "\xff", "&amp;", "<script>",
	}
	text := func() string {
		var b strings.Builder
		for n := rng.IntN(6); n > 0; n-- {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		return b.String()
	}
	// Attributes: name="value" pairs, bare styles (written as style="..."),
	// empty ones and ones starting with '='.
	attrPool := []string{`fill="#ffffff"`, `stroke-width="1"`, `text-anchor="end"`, "fill:red;stroke:blue", "", "=x", `a=b`, `x="1" y="2"`}
	attrs := func() []string {
		s := make([]string, rng.IntN(4))
		for i := range s {
			s[i] = attrPool[rng.IntN(len(attrPool))]
		}
		return s
	}
	points := func() ([]float64, []float64) {
		n := 1 + rng.IntN(5)
		m := n
		if rng.IntN(8) == 0 {
			m = n + 1 // svgo writes a single space for unequal lengths
		}
		x, y := make([]float64, n), make([]float64, m)
		for i := range x {
			x[i] = num()
		}
		for i := range y {
			y[i] = num()
		}
		return x, y
	}

	type drawer interface {
		Startraw(...string)
		End()
		Group(...string)
		Gend()
		Def()
		DefEnd()
		Marker(string, float64, float64, float64, float64, ...string)
		MarkerEnd()
		Title(string)
		Desc(string)
		Circle(float64, float64, float64, ...string)
		Rect(float64, float64, float64, float64, ...string)
		Roundrect(float64, float64, float64, float64, float64, float64, ...string)
		Line(float64, float64, float64, float64, ...string)
		Path(string, ...string)
		Polyline([]float64, []float64, ...string)
		Polygon([]float64, []float64, ...string)
		Text(float64, float64, string, ...string)
		Textspan(float64, float64, string, ...string)
		Span(string, ...string)
		TextEnd()
	}
	// The arguments of the next call, set before each.
	var (
		a      = make([]float64, 6)
		s      string
		at     []string
		px, py []float64
	)
	calls := []func(d drawer){
		func(d drawer) { d.Startraw(at...) },
		func(d drawer) { d.End() },
		func(d drawer) { d.Group(at...) },
		func(d drawer) { d.Gend() },
		func(d drawer) { d.Def() },
		func(d drawer) { d.DefEnd() },
		func(d drawer) {
			d.Marker("fp-arrow", a[0], a[1], a[2], a[3], at...)
		},
		func(d drawer) { d.MarkerEnd() },
		func(d drawer) { d.Title(s) },
		func(d drawer) { d.Desc(s) },
		func(d drawer) { d.Circle(a[0], a[1], a[2], at...) },
		func(d drawer) { d.Rect(a[0], a[1], a[2], a[3], at...) },
		func(d drawer) {
			d.Roundrect(a[0], a[1], a[2], a[3], a[4], a[5], at...)
		},
		func(d drawer) { d.Line(a[0], a[1], a[2], a[3], at...) },
		func(d drawer) { d.Path("M0,0 L10,5 z", at...) },
		func(d drawer) { d.Polyline(px, py, at...) },
		func(d drawer) { d.Polygon(px, py, at...) },
		func(d drawer) { d.Text(a[0], a[1], s, at...) },
		func(d drawer) { d.Textspan(a[0], a[1], s, at...) },
		func(d drawer) { d.Span(s, at...) },
		func(d drawer) { d.TextEnd() },
	}

	for decimals := 0; decimals <= 4; decimals++ {
		var ref bytes.Buffer
		want := svgo.New(&ref)
		want.Decimals = decimals
		got := &svgWriter{Decimals: decimals}
		for i := 0; i < 4000; i++ {
			k := rng.IntN(len(calls))
			for j := range a {
				a[j] = num()
			}
			s, at = text(), attrs()
			px, py = points()
			ref.Reset()
			got.b = got.b[:0]
			calls[k](want)
			calls[k](got)
			if !bytes.Equal(got.b, ref.Bytes()) {
				t.Fatalf("decimals %d, call %d (kind %d; numbers %v, text %q, attributes %q, points %v %v):\nsvgo   %q\nwriter %q",
					decimals, i, k, a, s, at, px, py, ref.Bytes(), got.b)
			}
		}
	}
}

// TestSVGWriterNoPoints checks that a polyline without points is written
// with an empty point list (svgo panics there; a panic would kill the
// browser page).
func TestSVGWriterNoPoints(t *testing.T) {
	var w svgWriter
	w.Polyline(nil, nil, `fill="none"`)
	if got, want := string(w.b), "<polyline points=\"\" fill=\"none\" />\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestNumAttrAndHexColour compares the two attribute helpers with the
// fmt verbs they replace ("%.2f" and "#%02x%02x%02x"), written out by hand.
func TestNumAttrAndHexColour(t *testing.T) {
	for _, tc := range []struct {
		v    float64
		want string
	}{
		{1.5, `stroke-width="1.50"`},
		{0.005, `stroke-width="0.01"`}, // 0.005 is 0.005000000000000000104 as a float64
		{math.Copysign(0, -1), `stroke-width="-0.00"`},
		{-0.001, `stroke-width="-0.00"`},
		{1234567.891, `stroke-width="1234567.89"`},
	} {
		if got := numAttr("stroke-width", tc.v); got != tc.want {
			t.Errorf("numAttr(%v) = %s, want %s", tc.v, got, tc.want)
		}
	}
	for _, tc := range []struct {
		r, g, b uint8
		want    string
	}{
		{0, 0, 0, "#000000"},
		{255, 255, 255, "#ffffff"},
		{8, 48, 107, "#08306b"},
		{0xB2, 0x4C, 0x0A, "#b24c0a"},
	} {
		if got := hexColour(tc.r, tc.g, tc.b); got != tc.want {
			t.Errorf("hexColour(%d, %d, %d) = %s, want %s", tc.r, tc.g, tc.b, got, tc.want)
		}
	}
}
