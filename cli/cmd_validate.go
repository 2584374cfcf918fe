package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/funnelplan/funnelplan/core"
)

const validateDoc = `
funnelplan validate [--format table|json] [PLAN]

Checks a plan file and reports every problem with its JSON path, one per
line, not only the first: unknown fields and wrong types together with
rates outside 0..1, negative volumes or money, persona shares that do not
sum to 1, duplicate or dangling ids, scenario targets that do not exist,
a missing or newer version. It then applies every scenario and reports
those that cannot be applied (a rate pushed above 1 without "clamp").
Malformed JSON is reported with its line and column.

Each problem is printed on standard error as "funnelplan: FILE: PATH:
MESSAGE". With --format json the report also goes to standard output:
{file, valid, problems[] {path, message}} (a JSON syntax error has the
path "" and a message starting with LINE:COLUMN).

Exit status 0 when the plan is valid, 1 when it is not, 2 on a usage
error.
`

func init() {
	register(command{name: "validate", summary: "check a plan and list every problem", run: runValidate})
}

// validateResult is the JSON output of validate.
type validateResult struct {
	File     string        `json:"file"`
	Valid    bool          `json:"valid"`
	Problems core.Problems `json:"problems"`
}

func runValidate(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "validate", validateDoc)
	format := fs.String("format", "table", "output format `F`: table or json")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *format != "table" && *format != "json" {
		return usagef("--format %q is not a format for validate (want table or json)", *format)
	}
	path, err := oneFile(fs)
	if err != nil {
		return err
	}
	b, name, err := e.readInput(path)
	if err != nil {
		return err
	}
	p, err := core.DecodeBytes(b)
	var ps core.Problems
	switch {
	case err == nil:
		ps = p.CheckScenarios()
	case errors.As(err, &ps):
	default:
		ps = core.Problems{{Msg: err.Error()}} // syntax: LINE:COLUMN: ...
	}
	if *format == "json" {
		res := validateResult{File: name, Valid: len(ps) == 0, Problems: ps}
		if res.Problems == nil {
			res.Problems = core.Problems{}
		}
		if err := e.emit(&outFlags{format: "json"}, res); err != nil {
			return err
		}
	}
	if len(ps) > 0 {
		return fileError(name, ps)
	}
	if *format == "table" {
		fmt.Fprintf(e.stdout, "%s: ok (%q, %d stages, %d personas, %d scenarios)\n", name, p.Name, len(p.Stages), len(p.Personas), len(p.Scenarios))
	}
	return nil
}
