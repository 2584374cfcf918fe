package core

import (
	"fmt"
	"math"
	"reflect"
	"strings"
)

// resultFinite returns an error naming the first NaN or infinite number in
// a result (a struct, through pointers, slices and maps), by the JSON name
// of its field, or nil. Results never carry such numbers to output: a plan
// whose numbers overflow (a top of 1e308 times an order value of 1e308)
// is an error, not +Inf.
func resultFinite(what string, v any) error {
	if p, bad := findNonFinite(reflect.ValueOf(v)); bad {
		if p == "" {
			p = "value"
		}
		return fmt.Errorf("%s: %s is not finite: the plan's numbers are too large to compute", what, strings.TrimPrefix(p, "."))
	}
	return nil
}

// nonFinite returns the path (below the prefix path) of the first NaN or
// infinity in v, or "" when every number is finite.
func nonFinite(v reflect.Value, path string) string {
	p, bad := findNonFinite(v)
	switch {
	case !bad:
		return ""
	case path+p == "":
		return "value"
	}
	return path + p
}

// findNonFinite reports whether v holds a NaN or an infinity, and the JSON path
// to it below v (built only when one is found: results are walked on every
// computation).
func findNonFinite(v reflect.Value) (path string, bad bool) {
	switch v.Kind() {
	case reflect.Float64:
		x := v.Float()
		return "", math.IsNaN(x) || math.IsInf(x, 0)
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			return findNonFinite(v.Elem())
		}
	case reflect.Struct:
		// reflect.Type.Field copies a StructField (a heap allocation on
		// wasm): look at the field's type only on the way back from a bad
		// number.
		for i := 0; i < v.NumField(); i++ {
			fv := v.Field(i)
			if !fv.CanInterface() { // unexported
				continue
			}
			if p, bad := findNonFinite(fv); bad {
				f := v.Type().Field(i)
				if f.Anonymous {
					return p, true
				}
				name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
				if name == "" {
					name = f.Name
				}
				return "." + name + p, true
			}
		}
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.String {
			return "", false
		}
		for i := 0; i < v.Len(); i++ {
			if p, bad := findNonFinite(v.Index(i)); bad {
				return fmt.Sprintf("[%d]", i) + p, true
			}
		}
	case reflect.Map:
		if v.Type().Elem().Kind() == reflect.String {
			return "", false
		}
		it := v.MapRange()
		for it.Next() {
			if p, bad := findNonFinite(it.Value()); bad {
				// ".key", or ["key"] for a key that is not an identifier.
				return childPath("_", fmt.Sprint(it.Key().Interface()))[1:] + p, true
			}
		}
	}
	return "", false
}
