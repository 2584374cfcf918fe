package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
)

// commandNames returns the registered commands, sorted.
func commandNames() []string {
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

func usageText() string {
	var b strings.Builder
	b.WriteString("funnelplan computes funnel and customer-journey plans.\n\nUsage:\n\n\tfunnelplan <command> [flags] [file]\n\nCommands:\n\n")
	for _, n := range commandNames() {
		fmt.Fprintf(&b, "\t%-12s %s\n", n, commands[n].summary)
	}
	b.WriteString(`
A file of "-" or no file reads standard input. Commands that print results
take --format table|csv|json|md (table unless -o names a .csv, .json or .md
file) and -o FILE, written atomically.
Exit status: 0 ok, 1 invalid input or failed computation, 2 usage error.
Run "funnelplan help COMMAND" for a command's manual and flags.
`)
	return b.String()
}

// version is the module version of the binary ("dev" for a build from a
// work tree), with the VCS revision when known.
func version() string {
	v := "dev"
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return v + " (" + runtime.Version() + ")"
	}
	if bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		v = bi.Main.Version
	}
	var rev, dirty string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
			if len(rev) > 12 {
				rev = rev[:12]
			}
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "+dirty"
			}
		}
	}
	if rev != "" {
		return v + " (" + rev + dirty + ", " + runtime.Version() + ")"
	}
	return v + " (" + runtime.Version() + ")"
}
