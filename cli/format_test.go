package main

import (
	"bytes"
	"io"
	"math"
	"strings"
	"testing"
)

func TestCSVSafe(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{"", ""},
		{"-12.5", "-12.5"},
		{"+3", "+3"},
		{"-1e5", "-1e5"},
		{"=1+1", "'=1+1"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"},
		{"-1+1", "'-1+1"}, // a number prefix is not enough
		{"-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"},
		{"\t=1", "'\t=1"},
		{"\r=1", "'\r=1"},
		{"  =1", "'  =1"},
		{"\uFF1D1+1", "'\uFF1D1+1"}, // fullwidth equals sign
		{"-", "'-"},
		{"a=b", "a=b"},
	}
	for _, tt := range tests {
		if got := csvSafe(tt.in); got != tt.want {
			t.Errorf("csvSafe(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCSVCell(t *testing.T) {
	tests := []struct{ in, want string }{
		{"10,000", "10000"},
		{"304,800.00", "304800.00"},
		{"-1,234.5", "-1234.5"},
		{"5 %", "0.05"},
		{"26.061 %", "0.26061"},
		{"0.258 %", "0.00258"},
		{"100 %", "1"},
		{"0 %", "0"},
		{"-12.5 %", "-0.125"},
		{"1,250 %", "12.5"},
		{"n/a", ""},
		{"1:388", "1:388"},
		{"2026-01", "2026-01"},
		{"1,2", "1,2"},
		{"Lead", "Lead"},
	}
	for _, tt := range tests {
		if got := csvCell(tt.in); got != tt.want {
			t.Errorf("csvCell(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFormatHelpers(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	tests := []struct{ got, want string }{
		{fcount(10000), "10,000"},
		{fcount(25.8049), "25.8"},
		{fcount(-0.001), "0"},
		{fcount(nan), "n/a"},
		{fmoney(304800), "304,800.00"},
		{fmoney(-1234.567), "-1,234.57"},
		{fmoney(inf), "n/a"},
		{fpct(0.05), "5 %"},
		{fpct(0.260606), "26.061 %"},
		{fpct(nan), "n/a"},
		{fratio(1.23456), "1.235"},
		{fratio(inf), "n/a"},
		{fonein(nil), "no conversions"},
		{fonein(&inf), "no conversions"},
		{fonein(ptr(387.6)), "1:388"},
		{fonein(ptr(2.54)), "1:2.5"},
		{fplain(0.1 + 0.2), "0.3"},
		{fplain(12000), "12000"},
		{fplain(1e-9), "1e-09"},
		{fplain(nan), "n/a"},
	}
	for i, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("case %d: got %q, want %q", i, tt.got, tt.want)
		}
	}
}

func ptr(x float64) *float64 { return &x }

func TestWriteTextAlignment(t *testing.T) {
	var b bytes.Buffer
	writeText(&b, table{
		Header: []string{"stage", "count", "note"},
		Rows: [][]string{
			{"Visit", "10,000", "top"},
			{"Lead\twith tab", "500", "a\nb"},
		},
	})
	want := "" +
		"stage           count  note\n" +
		"Visit          10,000  top\n" +
		"Lead with tab     500  a b\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

func TestProgress(t *testing.T) {
	var buf bytes.Buffer
	quiet := &env{stderr: &buf}
	if p := quiet.progress("x", 10); p != nil {
		t.Fatal("a progress bar on a stderr that is not a terminal")
	}
	var p *progress
	p.Add(1) // a nil bar is silent
	p.Done()

	tty := &env{stderr: &buf, stderrTTY: true, noColor: true}
	p = tty.progress("simulate", 200)
	p.Add(50)
	p.Add(50)
	line := p.line()
	p.Done()
	p.Done() // twice is harmless
	want := "simulate [###############...............]  50% 100/200"
	if len(line) < len(want) || line[:len(want)] != want {
		t.Errorf("line %q, want it to start %q", line, want)
	}
	if !bytes.HasSuffix(buf.Bytes(), []byte("\r\033[K")) {
		t.Errorf("Done does not clear the line: %q", buf.String())
	}
	color := &env{stderr: io.Discard, stderrTTY: true}
	p = color.progress("batch", 0)
	p.Add(7)
	if l := p.line(); !strings.HasPrefix(l, "batch 7  ") {
		t.Errorf("line without a total %q", l)
	}
	p.Done()
}

func TestSuggest(t *testing.T) {
	cands := []string{"run", "reverse", "compare", "sweep", "simulate", "scenario", "format", "output"}
	for _, tt := range []struct{ in, want string }{
		{"rn", "run"}, {"revrese", "reverse"}, {"comapre", "compare"}, {"formt", "format"},
		{"scenaro", "scenario"}, {"xyz", ""}, {"simulation", ""}, {"out", ""},
	} {
		if got := suggest(tt.in, cands); got != tt.want {
			t.Errorf("suggest(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestMDEscape(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"Lead", "Lead"},
		{"a|b", `a\|b`},
		{"unit_cost *x* `c` [l](u)", "unit\\_cost \\*x\\* \\`c\\` \\[l\\](u)"},
		{"<b>&amp;", "&lt;b&gt;&amp;amp;"},
		{`back\slash`, `back\\slash`},
		{"two\nlines", "two lines"},
	} {
		if got := mdEscape(tt.in); got != tt.want {
			t.Errorf("mdEscape(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
