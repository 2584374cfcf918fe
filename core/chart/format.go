package chart

import (
	"bytes"
	"math"
	"strconv"
	"strings"
)

// fmtCount formats an expected count: grouped whole numbers from 100 up,
// one decimal from 10, two below (trailing zeros dropped): 10,000; 25.8;
// 7.8; 0.45.
func fmtCount(x float64) string {
	// Small enough to be inlined: where the label does not outlive the
	// caller (a width estimate, a concatenation) it then stays on the
	// stack.
	var buf [48]byte
	return string(appendCount(buf[:0], x))
}

// appendCount appends fmtCount(x) to the empty b.
func appendCount(b []byte, x float64) []byte {
	a := math.Abs(x)
	switch {
	case a >= 100:
		return appendFixed(b, x, 0)
	case a >= 10:
		return trimZeroBytes(appendFixed(b, x, 1))
	}
	return trimZeroBytes(appendFixed(b, x, 2))
}

// fmtSignedCount is fmtCount with an explicit sign ("+1,200", "−35").
func fmtSignedCount(x float64) string { return signed(x, fmtCount(math.Abs(x))) }

// fmtPct formats a rate in [0, 1] as a percentage: one decimal from 1 %,
// two from 0.1 %, three below (trailing zeros dropped): 39.6 %, 5 %,
// 0.26 %.
func fmtPct(x float64) string {
	var buf [48]byte // inlined, as fmtCount
	return string(appendPct(buf[:0], x))
}

// appendPct appends fmtPct(x) to the empty b.
func appendPct(b []byte, x float64) []byte {
	v := 100 * x
	a := math.Abs(v)
	d := 3
	switch {
	case a >= 1:
		d = 1
	case a >= 0.1:
		d = 2
	}
	return append(trimZeroBytes(appendFixed(b, v, d)), " %"...)
}

// fmtPoints formats a change of a rate in percentage points ("+1.2 pp").
func fmtPoints(x float64) string {
	return signed(x, strings.TrimSuffix(fmtPct(math.Abs(x)), " %")+" pp")
}

// fmtSignedPct formats a relative change as a signed percentage.
func fmtSignedPct(x float64) string { return signed(x, fmtPct(math.Abs(x))) }

// fmtMoney formats money in the currency with the given ISO code: whole
// units from 1,000 up, else the currency's minor unit: €304,800; $12.50;
// ¥1,200; 1,500 SEK. An unknown or empty code prints the number alone or
// followed by the code.
func fmtMoney(x float64, code string) string {
	sym, prefix, minor := currency(code)
	d := minor
	if math.Abs(x) >= 1000 || x == math.Trunc(x) {
		d = 0
	}
	n := fixed(math.Abs(x), d)
	var s string
	switch {
	case sym == "":
		s = n
	case prefix:
		s = sym + n
	default:
		s = n + " " + sym
	}
	if x < 0 && !zeroDigits(n) {
		return "−" + s
	}
	return s
}

// fmtSignedMoney is fmtMoney with an explicit sign.
func fmtSignedMoney(x float64, code string) string { return signed(x, fmtMoney(math.Abs(x), code)) }

// fmtMoneyShort formats money compactly for axis ticks: €1.2M, €350k.
func fmtMoneyShort(x float64, code string) string {
	sym, prefix, _ := currency(code)
	n := shortNumber(math.Abs(x))
	var s string
	switch {
	case sym == "":
		s = n
	case prefix:
		s = sym + n
	default:
		s = n + " " + sym
	}
	if x < 0 && n != "0" {
		return "−" + s
	}
	return s
}

// fmtCountShort formats a count compactly for axis ticks: 1.2M, 350k, 12.
func fmtCountShort(x float64) string {
	n := shortNumber(math.Abs(x))
	if x < 0 && n != "0" {
		return "−" + n
	}
	return n
}

func shortNumber(a float64) string {
	switch {
	case a >= 1e9:
		return trimZeros(fixed(a/1e9, 1)) + "G"
	case a >= 1e6:
		return trimZeros(fixed(a/1e6, 1)) + "M"
	case a >= 1e4:
		return trimZeros(fixed(a/1e3, 0)) + "k"
	case a >= 1e3:
		return trimZeros(fixed(a/1e3, 1)) + "k"
	}
	return fmtCount(a)
}

// currency returns the symbol of an ISO 4217 code, whether it goes before
// the number, and the digits of its minor unit.
func currency(code string) (sym string, prefix bool, minor int) {
	switch strings.ToUpper(code) {
	case "":
		return "", false, 2
	case "EUR":
		return "€", true, 2
	case "USD":
		return "$", true, 2
	case "GBP":
		return "£", true, 2
	case "JPY":
		return "¥", true, 0
	case "CNY":
		return "CN¥", true, 2
	case "INR":
		return "₹", true, 2
	case "KRW":
		return "₩", true, 0
	case "CAD":
		return "CA$", true, 2
	case "AUD":
		return "A$", true, 2
	case "CHF":
		return "CHF ", true, 2
	case "BRL":
		return "R$", true, 2
	case "ISK", "CLP", "VND":
		return strings.ToUpper(code), false, 0
	}
	return strings.ToUpper(code), false, 2
}

// fixed formats x with d decimals and thousands grouped by commas; -0
// prints as 0 and the minus sign is U+2212.
func fixed(x float64, d int) string {
	var buf [48]byte
	return string(appendFixed(buf[:0], x, d))
}

// appendFixed appends fixed(x, d) to b. Nearly every label goes through
// it: the append form lets callers build a label in a buffer on the stack
// and allocate only the result.
func appendFixed(b []byte, x float64, d int) []byte {
	var num [48]byte
	s := appendFloat(num[:0], x, d)
	if s[0] == '-' {
		s = s[1:]
		if !zeroDigits(string(s)) {
			b = append(b, "−"...)
		}
	}
	intLen := bytes.IndexByte(s, '.')
	if intLen < 0 {
		intLen = len(s)
	}
	for i, c := range s[:intLen] {
		if i > 0 && (intLen-i)%3 == 0 {
			b = append(b, ',')
		}
		b = append(b, c)
	}
	return append(b, s[intLen:]...)
}

// zeroDigits reports whether the formatted unsigned number n is zero
// ("0", "0.00").
func zeroDigits(n string) bool { return strings.Trim(n, "0.") == "" }

// trimZeros drops trailing zeros after a decimal point, and the point if
// no decimals remain.
func trimZeros(s string) string { return string(trimZeroBytes([]byte(s))) }

// trimZeroBytes is trimZeros of a number in a byte slice.
func trimZeroBytes(b []byte) []byte {
	if bytes.IndexByte(b, '.') < 0 {
		return b
	}
	b = bytes.TrimRight(b, "0")
	return bytes.TrimSuffix(b, []byte("."))
}

// signed puts "+" or "−" before an unsigned formatted magnitude; zero has
// no sign.
func signed(x float64, mag string) string {
	if !strings.ContainsAny(mag, "123456789") {
		return mag
	}
	if x < 0 {
		return "−" + mag
	}
	return "+" + mag
}

// appendFloat appends v with d decimals exactly as
// strconv.AppendFloat(b, v, 'f', d, 64) does (and so fmt's %.*f), -0 and
// round-half-even on the exact binary value included (a test compares the
// two). Every coordinate and label goes through it. For what charts write,
// magnitudes below 2^53 with at most 3 decimals, it rounds with one 64-bit
// multiplication and shift: strconv's general algorithm multiplies 128-bit
// numbers, for which WebAssembly has no instruction, and was the largest
// single cost of a chart in the browser. Other values take strconv.
func appendFloat(b []byte, v float64, d int) []byte {
	if d < 0 || d > 3 || !(math.Abs(v) < 1<<53) { // NaN fails the comparison
		return strconv.AppendFloat(b, v, 'f', d, 64)
	}
	// v = ±mant / 2^shift exactly.
	bits := math.Float64bits(v)
	exp, mant := int(bits>>52&0x7FF), bits&(1<<52-1)
	if exp == 0 {
		exp = 1 // subnormal
	} else {
		mant |= 1 << 52
	}
	shift := 1075 - exp
	p := uint64(1)
	for range d {
		p *= 10
	}
	n := mant * p // < 2^53 * 1000 < 2^63
	var q uint64  // round(|v| * 10^d), half to even
	switch {
	case shift <= 0:
		q = n << -shift // |v| is a whole number below 2^53
	case shift < 64:
		q = n >> shift
		r, half := n&(1<<shift-1), uint64(1)<<(shift-1)
		if r > half || r == half && q&1 == 1 {
			q++
		}
	}
	// shift >= 64: |v| * 10^d < 2^63 / 2^64, which rounds to 0.
	if bits>>63 != 0 {
		b = append(b, '-')
	}
	// The digits of q from the last, with the point d digits in.
	var digits [24]byte
	i := len(digits)
	for n := 0; ; n++ {
		if n == d && d > 0 {
			i--
			digits[i] = '.'
		}
		i--
		digits[i] = byte('0' + q%10)
		q /= 10
		if q == 0 && n >= d {
			break
		}
	}
	return append(b, digits[i:]...)
}
