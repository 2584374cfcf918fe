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
	if p := nonFinite(reflect.ValueOf(v), ""); p != "" {
		return fmt.Errorf("%s: %s is not finite: the plan's numbers are too large to compute", what, strings.TrimPrefix(p, "."))
	}
	return nil
}

func nonFinite(v reflect.Value, path string) string {
	switch v.Kind() {
	case reflect.Float64:
		if x := v.Float(); math.IsNaN(x) || math.IsInf(x, 0) {
			if path == "" {
				return "value"
			}
			return path
		}
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			return nonFinite(v.Elem(), path)
		}
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "" {
				name = f.Name
			}
			sub := path + "." + name
			if f.Anonymous {
				sub = path
			}
			if p := nonFinite(v.Field(i), sub); p != "" {
				return p
			}
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			if p := nonFinite(v.Index(i), fmt.Sprintf("%s[%d]", path, i)); p != "" {
				return p
			}
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			if p := nonFinite(v.MapIndex(k), childPath(path, fmt.Sprint(k.Interface()))); p != "" {
				return p
			}
		}
	}
	return ""
}
