package main

import (
	"context"
	"fmt"
)

const validateDoc = `
funnelplan validate [PLAN]

Checks a plan file and reports every problem with its JSON path, one per
line, not only the first. Exit status 0 when the plan is valid, 1 when it
is not.
`

func init() {
	register(command{name: "validate", summary: "check a plan and list every problem", run: runValidate})
}

func runValidate(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "validate", validateDoc)
	if err := parse(fs, args); err != nil {
		return err
	}
	path, err := oneFile(fs)
	if err != nil {
		return err
	}
	p, name, err := e.loadPlan(path)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s: ok (%q, %d stages, %d personas, %d scenarios)\n", name, p.Name, len(p.Stages), len(p.Personas), len(p.Scenarios))
	return nil
}
