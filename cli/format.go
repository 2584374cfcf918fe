package main

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// fcount formats an expected count: whole numbers plainly, others with up
// to 2 decimals, thousands grouped with commas.
func fcount(x float64) string { return group(strconv.FormatFloat(round(x, 2), 'f', -1, 64)) }

// fmoney formats money with 2 decimals, thousands grouped.
func fmoney(x float64) string { return group(strconv.FormatFloat(x, 'f', 2, 64)) }

// fpct formats a rate in [0, 1] as a percentage with up to 3 decimals.
func fpct(x float64) string {
	return strconv.FormatFloat(round(100*x, 3), 'f', -1, 64) + " %"
}

// fopt formats an optional value with f, or "n/a".
func fopt(x *float64, f func(float64) string) string {
	if x == nil {
		return "n/a"
	}
	return f(*x)
}

// fratio formats a dimensionless ratio with 4 significant digits.
func fratio(x float64) string { return strconv.FormatFloat(x, 'g', 4, 64) }

// fonein formats "1 in N": whole above 10, else 1 decimal (MATH.md §a).
func fonein(x *float64) string {
	if x == nil {
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
