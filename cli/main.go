package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(exitCode(err, os.Stderr))
}

// env is what a command reads and writes: never the process's globals, so
// tests run commands with buffers.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	// stdinName is what messages call standard input ("stdin" when
	// empty); batch names each line's plan.
	stdinName string
	// stderrTTY reports whether stderr is a terminal (progress bars);
	// noColor whether NO_COLOR is set or the terminal is dumb.
	stderrTTY bool
	noColor   bool
	// compactJSON writes JSON on one line (batch output lines).
	compactJSON bool
}

// command is one subcommand; each lives in its own file and registers
// itself in init.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, e *env, args []string) error
}

var commands = map[string]command{}

func register(c command) { commands[c.name] = c }

// usageError is a mistake in the command line: exit status 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{fmt.Sprintf(format, args...)}
}

// errHelp is returned after printing help: exit status 0.
var errHelp = errors.New("help")

// run is the whole program: the args without the program name.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr}
	if f, ok := stderr.(*os.File); ok {
		e.stderrTTY = isTerminal(f)
	}
	_, noColor := os.LookupEnv("NO_COLOR")
	e.noColor = noColor || os.Getenv("TERM") == "dumb"
	if len(args) == 0 {
		return usagef("missing command (want one of %s; run funnelplan --help for more)", strings.Join(commandNames(), ", "))
	}
	switch args[0] {
	case "-h", "--help", "help":
		if len(args) > 2 {
			return usagef("help: want at most one command, got %s", strings.Join(args[1:], " "))
		}
		if len(args) == 2 {
			c, ok := commands[args[1]]
			if !ok {
				return usagef("help: unknown command %q (want one of %s)", args[1], strings.Join(commandNames(), ", "))
			}
			err := c.run(ctx, e, []string{"--help"})
			if errors.Is(err, errHelp) {
				return nil
			}
			return err
		}
		fmt.Fprint(stdout, usageText())
		return nil
	case "--version", "version":
		fmt.Fprintln(stdout, "funnelplan", version())
		return nil
	}
	c, ok := commands[args[0]]
	if !ok {
		if strings.HasPrefix(args[0], "-") {
			return usagef("unknown flag %q before the command (want a command first, or --help, --version)", args[0])
		}
		if s := suggest(args[0], commandNames()); s != "" {
			return usagef("unknown command %q (did you mean %s?)", args[0], s)
		}
		return usagef("unknown command %q (want one of %s)", args[0], strings.Join(commandNames(), ", "))
	}
	err := c.run(ctx, e, args[1:])
	if errors.Is(err, errHelp) {
		return nil
	}
	return err
}

// exitCode prints err, one "funnelplan: " line per line of the message,
// and returns the exit status: 0 ok, 1 invalid input or failed
// computation, 2 usage.
func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return 0
	}
	if errors.Is(err, context.Canceled) {
		err = errors.New("interrupted")
	}
	for _, line := range strings.Split(err.Error(), "\n") {
		fmt.Fprintln(stderr, "funnelplan: "+line)
	}
	var ue *usageError
	if errors.As(err, &ue) {
		return 2
	}
	return 1
}

// isTerminal reports whether f is a terminal (a character device).
func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
