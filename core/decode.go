package core

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"regexp"
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
	p, err := decodeStruct(b)
	if err != nil {
		return nil, err
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return p, nil
}

// DecodeLoose decodes a plan without the semantic checks of Validate (the
// JSON must still be well formed, with known fields of the right types).
// Editors use it to load a plan that still has problems to fix.
func DecodeLoose(b []byte) (*Plan, error) { return decodeStruct(b) }

// decodeStruct decodes b into a Plan, reporting syntax errors with line and
// column and structural problems (unknown fields, wrong types) with paths.
func decodeStruct(b []byte) (*Plan, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, syntaxError(b, err)
	}
	if _, err := d.Token(); err != io.EOF {
		return nil, syntaxAt(b, int(d.InputOffset()), errors.New("data after the plan object"))
	}
	var ps Problems
	if _, ok := v.(map[string]any); !ok {
		ps.add("", "a plan is a JSON object, got %s", jsonKind(v))
		return nil, ps
	}
	checkShape(&ps, "", reflect.TypeFor[Plan](), v)
	if len(ps) > 0 {
		return nil, ps
	}
	var p Plan
	if err := json.Unmarshal(b, &p); err != nil {
		// checkShape accepts only what Unmarshal accepts; reaching here is
		// a mismatch between the two, reported rather than hidden.
		ps.add("", "%v", err)
		return nil, ps
	}
	return &p, nil
}

func syntaxError(b []byte, err error) error {
	var se *json.SyntaxError
	off := len(b)
	if errors.As(err, &se) {
		off = int(se.Offset)
	} else if err == io.EOF {
		err = errors.New("empty input (want a JSON plan object)")
	} else if errors.Is(err, io.ErrUnexpectedEOF) {
		err = errors.New("unexpected end of input")
	}
	return syntaxAt(b, off, err)
}

func syntaxAt(b []byte, off int, err error) error {
	if off > len(b) {
		off = len(b)
	}
	line := 1 + bytes.Count(b[:off], []byte("\n"))
	col := off - bytes.LastIndexByte(b[:off], '\n')
	return &SyntaxError{Line: line, Column: col, Err: err}
}

var identRe = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*$`)

// childPath joins a JSON path and an object key: a.b, or a["x.y"] for keys
// that are not plain identifiers.
func childPath(path, key string) string {
	if !identRe.MatchString(key) {
		return path + "[" + strconv.Quote(key) + "]"
	}
	if path == "" {
		return key
	}
	return path + "." + key
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

// checkShape walks the generic JSON value v against the Go type t and
// records every unknown field and type mismatch with its path.
func checkShape(ps *Problems, path string, t reflect.Type, v any) {
	if t.Kind() == reflect.Pointer {
		if v == nil {
			return
		}
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct:
		obj, ok := v.(map[string]any)
		if !ok {
			ps.add(path, "want an object, got %s", jsonKind(v))
			return
		}
		fields := jsonFields(t)
		for _, k := range sortedKeys(obj) {
			f, ok := fields[k]
			if !ok {
				ps.add(childPath(path, k), "unknown field (want one of %s)", strings.Join(fieldNames(t), ", "))
				continue
			}
			checkShape(ps, childPath(path, k), f.Type, obj[k])
		}
	case reflect.Slice:
		if v == nil {
			return
		}
		arr, ok := v.([]any)
		if !ok {
			ps.add(path, "want an array, got %s", jsonKind(v))
			return
		}
		for i, e := range arr {
			checkShape(ps, fmt.Sprintf("%s[%d]", path, i), t.Elem(), e)
		}
	case reflect.Map:
		if v == nil {
			return
		}
		obj, ok := v.(map[string]any)
		if !ok {
			ps.add(path, "want an object, got %s", jsonKind(v))
			return
		}
		for _, k := range sortedKeys(obj) {
			checkShape(ps, childPath(path, k), t.Elem(), obj[k])
		}
	case reflect.Float64:
		n, ok := v.(json.Number)
		if !ok {
			ps.add(path, "want a number, got %s", jsonKind(v))
			return
		}
		f, err := strconv.ParseFloat(n.String(), 64)
		if err != nil || math.IsInf(f, 0) {
			ps.add(path, "%s is not a finite number", n)
		}
	case reflect.Int:
		n, ok := v.(json.Number)
		if !ok {
			ps.add(path, "want a whole number, got %s", jsonKind(v))
			return
		}
		if _, err := strconv.ParseInt(n.String(), 10, 32); err != nil {
			ps.add(path, "%s is not a whole number", n)
		}
	case reflect.String:
		if _, ok := v.(string); !ok {
			ps.add(path, "want a string, got %s", jsonKind(v))
		}
	case reflect.Bool:
		if _, ok := v.(bool); !ok {
			ps.add(path, "want true or false, got %s", jsonKind(v))
		}
	default:
		ps.add(path, "unsupported field type %s", t)
	}
}

func jsonFields(t reflect.Type) map[string]reflect.StructField {
	m := make(map[string]reflect.StructField, t.NumField())
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
		m[name] = f
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
