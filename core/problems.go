package core

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Problem is one validation problem: the JSON path of the field and what is
// wrong with it, for example
//
//	stages[2].rate: 1.4 is not a rate (want 0..1)
type Problem struct {
	Path string `json:"path"`
	Msg  string `json:"message"`
}

func (p Problem) String() string {
	if p.Path == "" {
		return p.Msg
	}
	return p.Path + ": " + p.Msg
}

// Problems is every problem found in a plan; it is the error returned by
// Validate and Decode. Error joins them one per line.
type Problems []Problem

func (ps Problems) Error() string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = p.String()
	}
	return strings.Join(s, "\n")
}

// add records a problem at path.
func (ps *Problems) add(path, format string, args ...any) {
	*ps = append(*ps, Problem{Path: path, Msg: fmt.Sprintf(format, args...)})
}

// err returns ps as an error, or nil when there is no problem.
func (ps Problems) err() error {
	if len(ps) == 0 {
		return nil
	}
	return ps
}

// num formats a number for an error message.
func num(x float64) string {
	return fmt.Sprint(x)
}

// indexPath is the JSON path of element i of the array at path
// ("stages[3]"). Validation builds one for every element of every plan it
// checks, on every edit, so it is written with strconv rather than fmt.
func indexPath(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

// finite records a problem when x is NaN or infinite and reports whether x
// is finite.
func (ps *Problems) finite(path string, x float64) bool {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		ps.add(path, "%s is not a finite number", num(x))
		return false
	}
	return true
}

// rate checks that x is a rate in [0, 1].
func (ps *Problems) rate(path string, x float64) {
	if ps.finite(path, x) && (x < 0 || x > 1) {
		ps.add(path, "%s is not a rate (want 0..1)", num(x))
	}
}

// nonNeg checks that x is a finite number >= 0; what names the quantity
// (volume, money, ...).
func (ps *Problems) nonNeg(path string, x float64, what string) {
	if ps.finite(path, x) && x < 0 {
		ps.add(path, "%s is negative (want a %s >= 0)", num(x), what)
	}
}

// optRate, optNonNeg check optional fields.
func (ps *Problems) optRate(path string, x *float64) {
	if x != nil {
		ps.rate(path, *x)
	}
}

func (ps *Problems) optNonNeg(path string, x *float64, what string) {
	if x != nil {
		ps.nonNeg(path, *x, what)
	}
}

// ident checks that an id is present and unique within seen.
func (ps *Problems) ident(path, id string, seen map[string]bool) {
	switch {
	case id == "":
		ps.add(path, "missing id")
	case seen[id]:
		ps.add(path, "duplicate id %q", id)
	}
	seen[id] = true
}
