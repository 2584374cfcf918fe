package core

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// SyntaxError is a plan file that is not JSON, with the 1-based line and
// column of the problem.
type SyntaxError struct {
	Line, Column int
	Err          error
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("%d:%d: %v", e.Line, e.Column, e.Err)
}

func (e *SyntaxError) Unwrap() error { return e.Err }

// Decode reads a plan file and validates it. The error is a *SyntaxError
// for malformed JSON, or Problems listing every problem with its JSON path:
// unknown fields, wrong types, numbers out of range, and everything Validate
// reports.
func Decode(r io.Reader) (*Plan, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	return DecodeBytes(b)
}

// DecodeBytes is Decode on a byte slice.
func DecodeBytes(b []byte) (*Plan, error) {
	p, shape, err := decodeStruct(b)
	if err != nil {
		return nil, err
	}
	ps := shape
	var sem Problems
	p.validate(&sem)
	// A value dropped for its shape reads as absent; leave out what the
	// semantic checks say about it or below it ("missing rate" after
	// "want a number"), but keep everything else.
	roots := make([]string, len(shape))
	for i, s := range shape {
		roots[i] = s.Path
	}
	for _, s := range sem {
		if !underAny(s.Path, roots) {
			ps = append(ps, s)
		}
	}
	if len(ps) > 0 {
		return nil, ps
	}
	return p, nil
}

// DecodeLoose decodes a plan without the semantic checks of Validate (the
// JSON must still be well formed, with known fields of the right types).
// Editors use it to load a plan that still has problems to fix.
func DecodeLoose(b []byte) (*Plan, error) {
	p, shape, err := decodeStruct(b)
	if err != nil {
		return nil, err
	}
	if len(shape) > 0 {
		return nil, shape
	}
	return p, nil
}

// decodeStruct decodes b into a Plan. Malformed JSON is a *SyntaxError with
// line and column; structural problems (unknown fields, wrong types) are
// returned as shape, with the plan decoded from everything else.
func decodeStruct(b []byte) (p *Plan, shape Problems, err error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, nil, syntaxError(b, err)
	}
	end := d.InputOffset()
	if _, err := d.Token(); err != io.EOF {
		off := len(b) - len(bytes.TrimLeft(b[end:], " \t\r\n"))
		return nil, nil, syntaxAt(b, off, errors.New("data after the plan object"))
	}
	var ps Problems
	if _, ok := v.(map[string]any); !ok {
		ps.add("", "a plan is a JSON object, got %s", jsonKind(v))
		return nil, nil, ps
	}
	fields := fieldCache{}
	c := shapeChecker{ps: &ps, fields: fields}
	v, _, _ = c.check("", reflect.TypeFor[Plan](), v)
	p = new(Plan)
	a := assigner{fields: fields}
	if err := a.assign(reflect.ValueOf(p).Elem(), v); err != nil {
		// checkShape lets through only what assign stores; reaching here
		// is a mismatch between the two, reported, not hidden.
		ps.add("", "%v", err)
		return nil, nil, ps
	}
	dropEmpty(reflect.ValueOf(p).Elem())
	if len(p.Personas) > 0 {
		pos := stageIndex(p.Stages)
		for j := range p.Personas {
			p.Personas[j].Rates.inStageOrder(p.Stages, pos)
		}
	}
	return p, ps, nil
}

// dropEmpty sets every empty slice or map of an omitempty field to nil, so
// "personas": [] and no personas decode alike and a plan survives an
// encode/decode round trip unchanged.
func dropEmpty(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			dropEmpty(v.Elem())
		}
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			f := v.Field(i)
			if !t.Field(i).IsExported() {
				continue
			}
			if (f.Kind() == reflect.Slice || f.Kind() == reflect.Map) && f.Len() == 0 &&
				strings.Contains(t.Field(i).Tag.Get("json"), ",omitempty") {
				f.SetZero()
				continue
			}
			dropEmpty(f)
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			dropEmpty(v.Index(i))
		}
	}
}

// underAny reports whether path is one of roots or lies below one of them
// (roots[k] followed by "." or "[").
func underAny(path string, roots []string) bool {
	for _, r := range roots {
		if r == "" || path == r {
			return true
		}
		if len(path) > len(r) && strings.HasPrefix(path, r) && (path[len(r)] == '.' || path[len(r)] == '[') {
			return true
		}
	}
	return false
}

func syntaxError(b []byte, err error) error {
	var se *json.SyntaxError
	off := len(b)
	if errors.As(err, &se) {
		// Offset counts the bytes read, the offending one included.
		off = int(se.Offset) - 1
	} else if err == io.EOF {
		err = errors.New("empty input (want a JSON plan object)")
	} else if errors.Is(err, io.ErrUnexpectedEOF) {
		err = errors.New("unexpected end of input")
	}
	return syntaxAt(b, off, err)
}

func syntaxAt(b []byte, off int, err error) error {
	off = max(0, min(off, len(b)))
	line := 1 + bytes.Count(b[:off], []byte("\n"))
	col := off - bytes.LastIndexByte(b[:off], '\n')
	return &SyntaxError{Line: line, Column: col, Err: err}
}

// childPath joins a JSON path and an object key: a.b, or a["x.y"] for keys
// that are not plain identifiers ([A-Za-z_][A-Za-z0-9_-]*).
func childPath(path, key string) string {
	if !isIdent(key) {
		return path + "[" + strconv.Quote(key) + "]"
	}
	if path == "" {
		return key
	}
	return path + "." + key
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '_' || 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z':
		case i > 0 && (c == '-' || '0' <= c && c <= '9'):
		default:
			return false
		}
	}
	return true
}

func jsonKind(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case json.Number:
		return "the number " + x.String()
	case string:
		return "the string " + strconv.Quote(x)
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

// shapeChecker walks a generic JSON value against a Go type; it reads the
// JSON fields of each struct type once per decoding (fields).
type shapeChecker struct {
	ps     *Problems
	fields fieldCache
}

// jsonField is a struct field as JSON sees it: its index and type.
type jsonField struct {
	index int
	typ   reflect.Type
}

// fieldCache holds the JSON fields of the struct types met in one
// decoding, by JSON name.
type fieldCache map[reflect.Type]map[string]jsonField

// of returns the JSON fields of the struct type t.
func (fc fieldCache) of(t reflect.Type) map[string]jsonField {
	if f, ok := fc[t]; ok {
		return f
	}
	f := jsonFields(t)
	fc[t] = f
	return f
}

// check walks the generic JSON value v against the Go type t, records
// every unknown field and type mismatch with its path, and returns v with
// those values left out, so the rest of the plan can still be decoded and
// checked. keep is false when v itself is to be left out; changed says out
// differs from v (containers are copied only then).
func (c *shapeChecker) check(path string, t reflect.Type, v any) (out any, keep, changed bool) {
	if t.Kind() == reflect.Pointer {
		if v == nil {
			return nil, true, false
		}
		t = t.Elem()
	}
	if t == reflect.TypeFor[StageRates]() { // a JSON object, not an array
		return c.checkMap(path, reflect.TypeFor[map[string]float64](), v)
	}
	// One small function per kind: in the browser the hot ones are
	// optimised separately, and cheaply, while a plan opens.
	switch t.Kind() {
	case reflect.Struct:
		return c.checkStruct(path, t, v)
	case reflect.Slice:
		return c.checkSlice(path, t, v)
	case reflect.Map:
		return c.checkMap(path, t, v)
	}
	if c.scalarOK(path, t, v) {
		return v, true, false
	}
	return nil, false, true
}

func (c *shapeChecker) checkStruct(path string, t reflect.Type, v any) (out any, keep, changed bool) {
	obj, isObj := v.(map[string]any)
	if !isObj {
		c.ps.add(path, "want an object, got %s", jsonKind(v))
		return nil, false, true
	}
	fields := c.fields.of(t)
	res := changedObject{src: obj}
	for _, k := range sortedKeys(obj) {
		f, known := fields[k]
		if !known {
			c.ps.add(childPath(path, k), "unknown field (want one of %s)", strings.Join(fieldNames(t), ", "))
			res.put(k, nil, false, true)
			continue
		}
		x, keepX, change := c.check(childPath(path, k), f.typ, obj[k])
		res.put(k, x, keepX, change)
	}
	return res.result()
}

// changedObject is a JSON object as the shape check leaves it: the
// original until a value changes, then a copy with the changes.
type changedObject struct {
	src, clean map[string]any
}

// put records the checked value x of key k: kept or left out, changed or
// not.
func (o *changedObject) put(k string, x any, keep, changed bool) {
	if changed && o.clean == nil {
		o.clean = maps.Clone(o.src)
	}
	if o.clean == nil {
		return
	}
	if keep {
		o.clean[k] = x
	} else {
		delete(o.clean, k)
	}
}

// result is the object to keep and whether it differs from the original.
func (o *changedObject) result() (out any, keep, changed bool) {
	if o.clean != nil {
		return o.clean, true, true
	}
	return o.src, true, false
}

func (c *shapeChecker) checkSlice(path string, t reflect.Type, v any) (out any, keep, changed bool) {
	if v == nil {
		return nil, true, false
	}
	arr, isArr := v.([]any)
	if !isArr {
		c.ps.add(path, "want an array, got %s", jsonKind(v))
		return nil, false, true
	}
	var clean []any
	for i, e := range arr {
		// A misshapen element becomes null (the zero value), so the
		// indexes of the others, and their paths, stay the same.
		x, _, change := c.check(path+"["+strconv.Itoa(i)+"]", t.Elem(), e)
		if change && clean == nil {
			clean = slices.Clone(arr)
		}
		if clean != nil {
			clean[i] = x
		}
	}
	if clean != nil {
		return clean, true, true
	}
	return v, true, false
}

func (c *shapeChecker) checkMap(path string, t reflect.Type, v any) (out any, keep, changed bool) {
	if v == nil {
		return nil, true, false
	}
	obj, isObj := v.(map[string]any)
	if !isObj {
		c.ps.add(path, "want an object, got %s", jsonKind(v))
		return nil, false, true
	}
	res := changedObject{src: obj}
	for _, k := range sortedKeys(obj) {
		x, keepX, change := c.check(childPath(path, k), t.Elem(), obj[k])
		res.put(k, x, keepX, change)
	}
	return res.result()
}

// scalarOK checks a number, string or boolean and records its problem.
func (c *shapeChecker) scalarOK(path string, t reflect.Type, v any) bool {
	ps := c.ps
	switch t.Kind() {
	case reflect.Float64:
		n, isNum := v.(json.Number)
		if !isNum {
			ps.add(path, "want a number, got %s", jsonKind(v))
			return false
		}
		f, err := strconv.ParseFloat(n.String(), 64)
		if err != nil || math.IsInf(f, 0) {
			ps.add(path, "%s is not a finite number", n)
			return false
		}
	case reflect.Int:
		n, isNum := v.(json.Number)
		if !isNum {
			ps.add(path, "want a whole number, got %s", jsonKind(v))
			return false
		}
		if _, err := strconv.ParseInt(n.String(), 10, 32); err != nil {
			ps.add(path, "%s is not a whole number", n)
			return false
		}
	case reflect.String:
		if _, isStr := v.(string); !isStr {
			ps.add(path, "want a string, got %s", jsonKind(v))
			return false
		}
	case reflect.Bool:
		if _, isBool := v.(bool); !isBool {
			ps.add(path, "want true or false, got %s", jsonKind(v))
			return false
		}
	default:
		ps.add(path, "unsupported field type %s", t)
		return false
	}
	return true
}

// jsonFields returns the JSON fields of the struct type t by name: the
// name in the json tag, else the Go name; unexported and "-" fields are not
// in JSON.
func jsonFields(t reflect.Type) map[string]jsonField {
	m := make(map[string]jsonField, t.NumField())
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		m[name] = jsonField{index: i, typ: f.Type}
	}
	return m
}

func fieldNames(t reflect.Type) []string {
	var names []string
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if f.IsExported() && name != "-" && name != "" {
			names = append(names, name)
		}
	}
	return names
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Encode writes a plan as indented JSON; DecodeBytes(Encode(p)) gives back
// an equivalent plan.
func Encode(p *Plan) ([]byte, error) {
	var buf bytes.Buffer
	e := json.NewEncoder(&buf)
	e.SetIndent("", "  ")
	e.SetEscapeHTML(false)
	if err := e.Encode(p); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
