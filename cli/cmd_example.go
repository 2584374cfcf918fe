package main

import (
	"context"
	"strconv"
	"strings"

	"github.com/funnelplan/funnelplan/core"
	"github.com/funnelplan/funnelplan/core/examples"
)

const exampleDoc = `
funnelplan example [--list] [-o FILE] [NAME]

Prints a bundled example plan as it is stored, ready to edit or to pipe
into another command:

	funnelplan example | funnelplan run
	funnelplan example -o plan.json

Without NAME it prints the default example. --list lists the examples
with their titles and sizes instead (--format table, csv, json or md).
`

func init() {
	register(command{name: "example", summary: "print a bundled example plan", run: runExample})
}

// exampleInfo is one row of example --list.
type exampleInfo struct {
	Name      string `json:"name"`
	Title     string `json:"title"`
	Stages    int    `json:"stages"`
	Personas  int    `json:"personas"`
	Scenarios int    `json:"scenarios"`
}

func runExample(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "example", exampleDoc)
	var o outFlags
	o.add(fs)
	list := fs.Bool("list", false, "list the bundled examples instead of printing one")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 1 {
		return usagef("example: want at most one NAME, got %s", strings.Join(fs.Args(), " "))
	}
	if *list {
		if fs.NArg() > 0 {
			return usagef("example: --list takes no NAME")
		}
		if err := o.check(); err != nil {
			return err
		}
		var infos []exampleInfo
		t := table{Header: []string{"name", "title", "stages", "personas", "scenarios"}}
		for _, n := range examples.Names() {
			b, _ := examples.Get(n)
			p, err := core.DecodeBytes(b)
			if err != nil {
				return fileError("example "+n, err)
			}
			in := exampleInfo{Name: n, Title: p.Name, Stages: len(p.Stages), Personas: len(p.Personas), Scenarios: len(p.Scenarios)}
			infos = append(infos, in)
			t.Rows = append(t.Rows, []string{n, p.Name, strconv.Itoa(in.Stages), strconv.Itoa(in.Personas), strconv.Itoa(in.Scenarios)})
		}
		return e.emit(&o, infos, t)
	}
	if fs.Changed("format") {
		return usagef("example: --format applies to --list only (an example is printed as its plan file)")
	}
	name := examples.Default
	if fs.NArg() == 1 {
		name = fs.Arg(0)
	}
	b, ok := examples.Get(name)
	if !ok {
		return usagef("example: no example is called %q (want one of %s)", name, strings.Join(examples.Names(), ", "))
	}
	return e.writeOut(o.out, b)
}
