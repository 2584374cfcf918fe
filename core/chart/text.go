package chart

import "unicode/utf8"

// helvetica holds the advance widths of ASCII 32..126 in Helvetica (and
// its metric twins Arial and Liberation Sans), in 1/1000 em, from the
// Adobe font metrics. Charts estimate label widths with it to place labels
// without overlaps; the font stack names those fonts first.
var helvetica = [95]uint16{
	278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // space .. /
	556, 556, 556, 556, 556, 556, 556, 556, 556, 556, // 0..9
	278, 278, 584, 584, 584, 556, 1015, // : ; < = > ? @
	667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, // A..M
	722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, // N..Z
	278, 278, 278, 469, 556, 333, // [ \ ] ^ _ `
	556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, // a..m
	556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, // n..z
	334, 260, 334, 584, // { | } ~
}

// textWidth estimates the rendered width in px of s at font size px.
// Bold text is about 8 % wider; characters outside ASCII count 0.6 em, or
// 1 em for East Asian wide scripts.
func textWidth(s string, px float64, bold bool) float64 {
	var w float64
	for _, r := range s {
		switch {
		case r >= 32 && r <= 126:
			w += float64(helvetica[r-32])
		case r >= 0x2E80:
			w += 1000
		default:
			w += 600
		}
	}
	w = w / 1000 * px
	if bold {
		w *= 1.08
	}
	return w
}

// fitText shortens s with an ellipsis until it fits max px at size px.
// The full text should stay reachable, e.g. in a <title> tooltip.
func fitText(s string, max, px float64, bold bool) string {
	if textWidth(s, px, bold) <= max {
		return s
	}
	ell := "…"
	// No glyph is narrower than 0.19 em: cut what cannot fit at once.
	if n := int(max/(0.19*px)) + 1; utf8.RuneCountInString(s) > n {
		s = string([]rune(s)[:n])
	}
	for len(s) > 0 {
		_, n := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-n]
		if textWidth(s+ell, px, bold) <= max {
			return s + ell
		}
	}
	return ""
}

// maxWidth is the widest estimate among labels.
func maxWidth(labels []string, px float64, bold bool) float64 {
	m := 0.0
	for _, l := range labels {
		m = max(m, textWidth(l, px, bold))
	}
	return m
}
