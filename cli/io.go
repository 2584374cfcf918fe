package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/funnelplan/funnelplan/core"
	"github.com/spf13/pflag"
)

// newFlags returns a flag set for a subcommand whose --help prints doc.
func newFlags(e *env, name, doc string) *pflag.FlagSet {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stdout, "%s\nFlags:\n%s", strings.TrimLeft(doc, "\n"), fs.FlagUsages())
	}
	return fs
}

// parse parses args; --help prints the usage and returns errHelp, a bad
// flag is a usage error.
func parse(fs *pflag.FlagSet, args []string) error {
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	if errors.Is(err, pflag.ErrHelp) {
		fs.Usage()
		return errHelp
	}
	if err != nil {
		return usagef("%s: %v", fs.Name(), err)
	}
	return nil
}

// oneFile returns the single file argument ("-" when absent).
func oneFile(fs *pflag.FlagSet) (string, error) {
	switch fs.NArg() {
	case 0:
		return "-", nil
	case 1:
		return fs.Arg(0), nil
	}
	return "", usagef("%s: want one file, got %d: %s", fs.Name(), fs.NArg(), strings.Join(fs.Args(), " "))
}

// readInput reads a file, or stdin for "-"; name is what messages call it.
func (e *env) readInput(path string) (data []byte, name string, err error) {
	if path == "-" || path == "" {
		b, err := io.ReadAll(e.stdin)
		return b, "stdin", err
	}
	b, err := os.ReadFile(path)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = fmt.Errorf("%s: %v", path, pe.Err)
		}
	}
	return b, path, err
}

// fileError prefixes every line of err with the file name.
func fileError(name string, err error) error {
	lines := strings.Split(err.Error(), "\n")
	for i, l := range lines {
		lines[i] = name + ": " + l
	}
	return errors.New(strings.Join(lines, "\n"))
}

// loadPlan reads and validates a plan file.
func (e *env) loadPlan(path string) (*core.Plan, string, error) {
	b, name, err := e.readInput(path)
	if err != nil {
		return nil, name, err
	}
	p, err := core.DecodeBytes(b)
	if err != nil {
		return nil, name, fileError(name, err)
	}
	return p, name, nil
}

// outFlags are the output flags of every command that prints results.
type outFlags struct {
	format string
	out    string
}

func (o *outFlags) add(fs *pflag.FlagSet) {
	fs.StringVar(&o.format, "format", "table", "output format: table, csv, json or md")
	fs.StringVarP(&o.out, "output", "o", "", "write to `FILE` (atomically) instead of standard output")
}

func (o *outFlags) check() error {
	switch o.format {
	case "table", "csv", "json", "md":
		return nil
	}
	return usagef("--format %q is not a format (want table, csv, json or md)", o.format)
}

// table is one table of a report; cells are already formatted.
type table struct {
	Title  string
	Header []string
	Rows   [][]string
}

// emit writes a result: v as JSON, or the tables as text, CSV or Markdown.
func (e *env) emit(o *outFlags, v any, tables ...table) error {
	var buf bytes.Buffer
	switch o.format {
	case "json":
		enc := json.NewEncoder(&buf)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(v); err != nil {
			return err
		}
	case "csv":
		w := csv.NewWriter(&buf)
		for i, t := range tables {
			if i > 0 {
				w.Write(nil)
			}
			if t.Title != "" && len(tables) > 1 {
				w.Write([]string{"# " + csvSafe(t.Title)})
			}
			w.Write(t.Header)
			for _, r := range t.Rows {
				safe := make([]string, len(r))
				for k, c := range r {
					safe[k] = csvSafe(c)
				}
				w.Write(safe)
			}
		}
		w.Flush()
		if err := w.Error(); err != nil {
			return err
		}
	case "md":
		for i, t := range tables {
			if i > 0 {
				buf.WriteString("\n")
			}
			if t.Title != "" {
				fmt.Fprintf(&buf, "### %s\n\n", mdEscape(t.Title))
			}
			writeMD(&buf, t)
		}
	default:
		for i, t := range tables {
			if i > 0 {
				buf.WriteString("\n")
			}
			if t.Title != "" {
				fmt.Fprintf(&buf, "%s\n", t.Title)
			}
			tw := tabwriter.NewWriter(&buf, 0, 0, 2, ' ', tabwriter.AlignRight)
			fmt.Fprintln(tw, strings.Join(t.Header, "\t")+"\t")
			for _, r := range t.Rows {
				fmt.Fprintln(tw, strings.Join(r, "\t")+"\t")
			}
			tw.Flush()
		}
	}
	return e.writeOut(o.out, buf.Bytes())
}

// writeOut writes data to path atomically, or to stdout for "" or "-".
func (e *env) writeOut(path string, data []byte) error {
	if path == "" || path == "-" {
		_, err := e.stdout.Write(data)
		return err
	}
	return writeFileAtomic(path, data)
}

// writeFileAtomic writes to a temporary file beside path and renames it,
// so a reader never sees a half-written file.
func writeFileAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, 0o644)
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}

// csvSafe keeps spreadsheet programs from reading a cell as a formula.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		if _, err := fmt.Sscanf(s, "%g", new(float64)); err == nil && s[0] != '=' && s[0] != '@' {
			return s // a plain negative or signed number
		}
		return "'" + s
	}
	return s
}

func mdEscape(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ", "<", "&lt;", ">", "&gt;").Replace(s)
}

func writeMD(buf *bytes.Buffer, t table) {
	row := func(cells []string) {
		buf.WriteString("|")
		for _, c := range cells {
			buf.WriteString(" " + mdEscape(c) + " |")
		}
		buf.WriteString("\n")
	}
	row(t.Header)
	sep := make([]string, len(t.Header))
	for i := range sep {
		sep[i] = "---"
		if i > 0 {
			sep[i] = "---:"
		}
	}
	buf.WriteString("|" + strings.Join(sep, "|") + "|\n")
	for _, r := range t.Rows {
		row(r)
	}
}
