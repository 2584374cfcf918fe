package app

import (
	"math"
	"strconv"
	"strings"
)

// Display formatting only: numbers come from core, these helpers print them.

// raw prints a number for a data-value attribute: shortest exact form.
func raw(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return ""
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}

// group inserts thousands separators into the integer part of s.
func group(s string) string {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	out := b.String()
	if frac != "" {
		out += "." + frac
	}
	if neg {
		out = "-" + out
	}
	return out
}

// count prints a volume: whole numbers above 100, one decimal below.
func count(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "–"
	}
	if math.Abs(x) >= 100 {
		return group(strconv.FormatFloat(math.Round(x), 'f', 0, 64))
	}
	return group(strconv.FormatFloat(x, 'f', 1, 64))
}

// money prints an amount with the plan's currency code.
func money(x float64, cur string) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "–"
	}
	var s string
	if math.Abs(x) >= 1000 {
		s = group(strconv.FormatFloat(math.Round(x), 'f', 0, 64))
	} else {
		s = group(strconv.FormatFloat(x, 'f', 2, 64))
	}
	if cur == "" {
		return s
	}
	return s + " " + cur
}

// pct prints a fraction as a percentage with up to 2 decimals.
func pct(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "–"
	}
	return strconv.FormatFloat(math.Round(x*1e4)/1e2, 'f', -1, 64) + " %"
}

// pctValue is a fraction as the value of a percent input (no float noise).
func pctValue(x float64) string {
	return strconv.FormatFloat(math.Round(x*1e8)/1e6, 'f', -1, 64)
}

// numValue is a number as the value of a number input.
func numValue(x float64) string {
	return strconv.FormatFloat(math.Round(x*1e9)/1e9, 'f', -1, 64)
}

// ratio prints a multiple like ROAS: 3.25×.
func ratio(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "–"
	}
	return strconv.FormatFloat(math.Round(x*100)/100, 'f', -1, 64) + "×"
}

// parseNum reads a number typed by a person: spaces, thousands commas and
// a trailing % are allowed.
func parseNum(s string) (float64, bool) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "%"))
	s = strings.ReplaceAll(strings.ReplaceAll(s, " ", ""), "_", "")
	if strings.Count(s, ",") > 0 && !strings.Contains(s, ".") && strings.Count(s, ",") == 1 && len(s)-strings.Index(s, ",") != 4 {
		s = strings.ReplaceAll(s, ",", ".") // decimal comma
	} else {
		s = strings.ReplaceAll(s, ",", "")
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, false
	}
	return x, true
}
