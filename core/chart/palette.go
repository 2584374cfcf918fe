package chart

import (
	"math"
	"strconv"
)

// Okabe-Ito colours (Okabe and Ito 2008, "Color Universal Design"), safe
// for the common forms of colour blindness.
const (
	blue      = "#0072B2"
	orange    = "#E69F00"
	green     = "#009E73"
	vermilion = "#D55E00"
	purple    = "#CC79A7"
	skyBlue   = "#56B4E9"
	yellow    = "#F0E442"
	black     = "#000000"
)

// series returns the colour of series i: the Okabe-Ito palette ordered so
// that neighbours differ in both hue and lightness, yellow (weak on white)
// last but one; from the ninth series on the colours repeat.
func series(i int) string {
	switch i % 8 {
	case 0:
		return blue
	case 1:
		return orange
	case 2:
		return green
	case 3:
		return vermilion
	case 4:
		return skyBlue
	case 5:
		return purple
	case 6:
		return yellow
	}
	return black
}

// onColour returns a text colour readable on the background colour bg
// ("#rrggbb"): black on light colours, white on dark ones (the one with the
// higher WCAG contrast ratio).
func onColour(bg string) string {
	if luminance(bg) > 0.179 {
		return "#000000"
	}
	return "#ffffff"
}

// luminance is the WCAG relative luminance of "#rrggbb".
func luminance(hex string) float64 {
	r, g, b, ok := rgb(hex)
	if !ok {
		return 1
	}
	lin := func(c uint8) float64 {
		v := float64(c) / 255
		if v <= 0.03928 {
			return v / 12.92
		}
		return math.Pow((v+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

// sequential maps t in [0, 1] to a single-hue blue scale from a pale tint
// (t = 0) to a dark blue (t = 1), interpolating between five stops of
// ColorBrewer's "Blues"; values outside [0, 1] are clamped.
func sequential(t float64) string {
	stops := [5][3]float64{
		{239, 243, 255},
		{189, 215, 231},
		{107, 174, 214},
		{33, 113, 181},
		{8, 48, 107},
	}
	if math.IsNaN(t) {
		t = 0
	}
	t = math.Min(1, math.Max(0, t))
	f := t * 4
	i := int(f)
	if i >= 4 {
		i, f = 3, 4
	}
	u := f - float64(i)
	var c [3]uint8
	for k := 0; k < 3; k++ {
		c[k] = uint8(math.Round(stops[i][k] + u*(stops[i+1][k]-stops[i][k])))
	}
	return hexColour(c[0], c[1], c[2])
}

// rgb parses "#rrggbb".
func rgb(hex string) (r, g, b uint8, ok bool) {
	if len(hex) != 7 || hex[0] != '#' {
		return 0, 0, 0, false
	}
	v, err := strconv.ParseUint(hex[1:], 16, 32)
	if err != nil {
		return 0, 0, 0, false
	}
	return uint8(v >> 16), uint8(v >> 8), uint8(v), true
}
