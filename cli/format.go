package main

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Every helper prints "n/a" for NaN or an infinity, so an undefined
// number never reaches a table as "NaN" or "+Inf".

// fcount formats an expected count: whole numbers plainly, others with up
// to 2 decimals, thousands grouped with commas.
func fcount(x float64) string {
	if !finite(x) {
		return "n/a"
	}
	return group(strconv.FormatFloat(round(x, 2), 'f', -1, 64))
}

// fmoney formats money with 2 decimals, thousands grouped.
func fmoney(x float64) string {
	if !finite(x) {
		return "n/a"
	}
	return group(strconv.FormatFloat(round(x, 2), 'f', 2, 64))
}

// fpct formats a rate in [0, 1] as a percentage with up to 3 decimals.
func fpct(x float64) string {
	if !finite(x) {
		return "n/a"
	}
	return strconv.FormatFloat(round(100*x, 3), 'f', -1, 64) + " %"
}

// fplain formats a plain number with up to 6 significant digits and no
// exponent for everyday magnitudes (sweep values, metrics).
func fplain(x float64) string {
	if !finite(x) {
		return "n/a"
	}
	if a := math.Abs(x); a != 0 && (a >= 1e15 || a < 1e-6) {
		return strconv.FormatFloat(x, 'g', 6, 64)
	}
	v, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 6, 64), 64)
	return strconv.FormatFloat(v, 'f', -1, 64)
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// fopt formats an optional value with f, or "n/a".
func fopt(x *float64, f func(float64) string) string {
	if x == nil {
		return "n/a"
	}
	return f(*x)
}

// fratio formats a dimensionless ratio with 4 significant digits.
func fratio(x float64) string {
	if !finite(x) {
		return "n/a"
	}
	return strconv.FormatFloat(x, 'g', 4, 64)
}

// fonein formats "1 in N": whole above 10, else 1 decimal (MATH.md §a).
func fonein(x *float64) string {
	if x == nil || !finite(*x) {
		return "no conversions"
	}
	if *x >= 10 {
		return "1:" + group(fmt.Sprintf("%.0f", *x))
	}
	return "1:" + fmt.Sprintf("%.1f", *x)
}

func round(x float64, d int) float64 {
	p := math.Pow(10, float64(d))
	r := math.Round(x*p) / p
	if r == 0 {
		return 0 // no "-0"
	}
	return r
}

// group inserts thousands separators into a plain decimal number.
func group(s string) string {
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	intPart, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if hasFrac {
		return sign + b.String() + "." + frac
	}
	return sign + b.String()
}
