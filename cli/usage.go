package main

import (
	"fmt"
	"runtime/debug"
	"slices"
	"strings"
)

func usageText() string {
	var b strings.Builder
	b.WriteString("funnelplan computes funnel and customer-journey plans.\n\nUsage:\n\n\tfunnelplan <command> [flags] [file]\n\nCommands:\n\n")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		fmt.Fprintf(&b, "\t%-12s %s\n", n, commands[n].summary)
	}
	b.WriteString("\nA file of \"-\" or no file reads standard input.\nExit status: 0 ok, 1 invalid input or failed computation, 2 usage error.\nRun \"funnelplan help COMMAND\" for a command's flags.\n")
	return b.String()
}

func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}
