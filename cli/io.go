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
	"regexp"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

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
		return errHelp // pflag has printed fs.Usage
	}
	if err != nil {
		msg := err.Error()
		if name, ok := strings.CutPrefix(msg, "unknown flag: --"); ok {
			var names []string
			fs.VisitAll(func(f *pflag.Flag) { names = append(names, f.Name) })
			if s := suggest(name, names); s != "" {
				return usagef("%s: %s (did you mean --%s?)", fs.Name(), msg, s)
			}
		}
		return usagef("%s: %s (run \"funnelplan help %s\" for the flags)", fs.Name(), msg, fs.Name())
	}
	return nil
}

// suggest returns the candidate closest to a mistyped word, if it is
// close enough to be what was meant (at most 2 edits, fewer for short
// words), else "".
func suggest(word string, candidates []string) string {
	best, bestD := "", 3
	if len(word) <= 3 {
		bestD = 2
	}
	for _, c := range candidates {
		if d := editDistance(word, c); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, with a swap
// of two neighbouring letters counting as one edit.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
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
// Standard input that is a terminal is a usage error rather than a silent
// wait for a plan typed by hand.
func (e *env) readInput(path string) (data []byte, name string, err error) {
	if path == "-" || path == "" {
		name := e.stdinName
		if name == "" {
			name = "stdin"
		}
		if f, ok := e.stdin.(*os.File); ok && isTerminal(f) {
			return nil, name, usagef("no input file given and standard input is a terminal (want a file name, or the input piped in)")
		}
		b, err := io.ReadAll(e.stdin)
		if err != nil {
			err = fmt.Errorf("%s: %v", name, err)
		}
		return b, name, err
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

// fileError prefixes every line of err with the file name (none when
// name is "-": a batch line names itself).
func fileError(name string, err error) error {
	if name == "-" {
		return err
	}
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

// loadScenarioPlan reads and validates the plan named by the single file
// argument and applies scenario (empty: the baseline); warns are the
// warnings of clamped changes. name is what messages call the file.
func (e *env) loadScenarioPlan(fs *pflag.FlagSet, scenario string) (q *core.Plan, name string, warns []string, err error) {
	path, err := oneFile(fs)
	if err != nil {
		return nil, "", nil, err
	}
	p, name, err := e.loadPlan(path)
	if err != nil {
		return nil, name, nil, err
	}
	q, warns, err = p.WithScenario(scenario)
	if err != nil {
		return nil, name, nil, fileError(name, err)
	}
	return q, name, warns, nil
}

// outFlags are the output flags of every command that prints results.
//
// The default format is table wherever the output goes (a terminal, a
// pipe or a file), so what a script reads is what a person saw; scripts
// ask for csv or json explicitly. Without --format, -o FILE picks the
// format from the file's extension: .csv, .json, .md (or .markdown);
// any other extension keeps table.
type outFlags struct {
	format string
	out    string
	fs     *pflag.FlagSet
}

func (o *outFlags) add(fs *pflag.FlagSet) {
	o.fs = fs
	fs.StringVar(&o.format, "format", "table", "output format `F`: table, csv, json or md")
	fs.StringVarP(&o.out, "output", "o", "", "write to `FILE` (atomically) instead of standard output")
}

func (o *outFlags) check() error {
	if o.fs != nil && !o.fs.Changed("format") && o.out != "" {
		if f, ok := formatOfFile(o.out); ok {
			o.format = f
		}
	}
	o.format = strings.ToLower(o.format)
	switch o.format {
	case "table", "csv", "json", "md":
		return nil
	}
	return usagef("--format %q is not a format (want table, csv, json or md)", o.format)
}

// formatOfFile returns the output format a file name's extension asks for.
func formatOfFile(path string) (string, bool) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv":
		return "csv", true
	case ".json":
		return "json", true
	case ".md", ".markdown":
		return "md", true
	}
	return "", false
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
		if !e.compactJSON {
			enc.SetIndent("", "  ")
		}
		enc.SetEscapeHTML(false)
		if err := enc.Encode(v); err != nil {
			return fmt.Errorf("cannot write the result as JSON: %v", err)
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
			w.Write(csvRecord(t.Header, false))
			for _, r := range t.Rows {
				w.Write(csvRecord(r, true))
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
			writeText(&buf, t)
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
	f, err := createAtomic(path)
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, outputMode(path))
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return writeError(path, err)
	}
	return nil
}

// outputMode is the permission of a written file: the replaced file's
// when there is one, else 0644 (umask aside, what os.Create gives).
func outputMode(path string) os.FileMode {
	if fi, err := os.Stat(path); err == nil && fi.Mode().IsRegular() {
		return fi.Mode().Perm()
	}
	return 0o644
}

// writeError names the output file in an error and says what failed,
// without the temporary file's name.
func writeError(path string, err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		err = le.Err
	}
	return fmt.Errorf("%s: cannot write: %v", path, err)
}

// writeText writes a table aligned by text/tabwriter: columns of numbers
// right-aligned, every column holding text left-aligned. Tabs and
// newlines inside cells become spaces so they cannot break the layout.
func writeText(buf *bytes.Buffer, t table) {
	clean := strings.NewReplacer("\t", " ", "\n", " ", "\r", " ")
	ncol := len(t.Header)
	for _, r := range t.Rows {
		ncol = max(ncol, len(r))
	}
	width := make([]int, ncol)
	left := make([]bool, ncol)
	measure := func(cells []string, data bool) {
		for i, c := range cells {
			width[i] = max(width[i], utf8.RuneCountInString(clean.Replace(c)))
			if data && !numericCell.MatchString(c) {
				left[i] = true
			}
		}
	}
	measure(t.Header, false)
	for _, r := range t.Rows {
		measure(r, true)
	}
	var tb bytes.Buffer
	tw := tabwriter.NewWriter(&tb, 0, 0, 2, ' ', tabwriter.AlignRight)
	line := func(cells []string) {
		for i := 0; i < ncol; i++ {
			c := ""
			if i < len(cells) {
				c = clean.Replace(cells[i])
			}
			if left[i] {
				c += strings.Repeat(" ", width[i]-utf8.RuneCountInString(c))
			}
			tw.Write([]byte(c + "\t"))
		}
		tw.Write([]byte("\n"))
	}
	line(t.Header)
	for _, r := range t.Rows {
		line(r)
	}
	tw.Flush()
	// AlignRight pads the (equally wide) first cells on the left by the
	// gap of 2: drop it so lines start at column 0.
	for _, l := range strings.SplitAfter(tb.String(), "\n") {
		if l == "" {
			continue
		}
		l = strings.TrimPrefix(l, "  ")
		buf.WriteString(strings.TrimRight(l, " \n") + "\n")
	}
}

// numericCell is a cell holding one number as the format helpers print
// it, possibly with a unit ("12 %", "0.5 pp", "13 periods", "x1.64",
// "1.59 (1.18)", "1:388"): right-aligned in text tables.
var numericCell = regexp.MustCompile(`^(|n/a|-|x?[+-]?[0-9][0-9,]*(\.[0-9]+)?(e[+-]?[0-9]+)?( ?%| pp| [a-z]+| \([0-9.,]+\))?|1:[0-9][0-9,.]*)$`)

// atomicFile is an output file written in a stream and renamed into place
// by Commit, so a reader never sees half of it; Abort removes it.
type atomicFile struct {
	*os.File
	path string
}

// createAtomic starts writing path through a temporary file beside it.
func createAtomic(path string) (*atomicFile, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return nil, writeError(path, err)
	}
	return &atomicFile{File: f, path: path}, nil
}

// Commit closes the file and renames it to its path.
func (f *atomicFile) Commit() error {
	err := f.Close()
	if err == nil {
		err = os.Chmod(f.Name(), outputMode(f.path))
	}
	if err == nil {
		err = os.Rename(f.Name(), f.path)
	}
	if err != nil {
		os.Remove(f.Name())
		return writeError(f.path, err)
	}
	return nil
}

// Abort closes and removes the temporary file.
func (f *atomicFile) Abort() {
	f.Close()
	os.Remove(f.Name())
}

// csvRecord prepares one CSV record: numbers plain (see csvCell) when
// data is true, every cell safe to open in a spreadsheet.
func csvRecord(cells []string, data bool) []string {
	out := make([]string, len(cells))
	for i, c := range cells {
		if data {
			c = csvCell(c)
		}
		out[i] = csvSafe(c)
	}
	return out
}

// csvCell turns a cell formatted for people into one for programs: no
// thousands separators ("10,000.50" -> "10000.50"), percentages as the
// fractions of the plan file ("5.2 %" -> "0.052"), "n/a" empty. Any other
// cell is kept as it is.
func csvCell(s string) string {
	if s == "n/a" {
		return ""
	}
	if m := plainNumber.FindStringSubmatch(s); m != nil {
		n := strings.ReplaceAll(m[1], ",", "")
		if m[2] == "" {
			return n
		}
		return shiftDecimal(n, 2)
	}
	return s
}

// plainNumber matches a number as the format helpers print it: optional
// sign, digits grouped by commas, optional decimals, optional " %".
var plainNumber = regexp.MustCompile(`^([+-]?[0-9]{1,3}(?:,?[0-9]{3})*(?:\.[0-9]+)?)( ?%)?$`)

// shiftDecimal divides a plain decimal number by 10^k exactly, moving the
// point instead of computing in binary floating point ("12.5", 2 ->
// "0.125").
func shiftDecimal(n string, k int) string {
	sign := ""
	if n[0] == '-' || n[0] == '+' {
		if n[0] == '-' {
			sign = "-"
		}
		n = n[1:]
	}
	intPart, frac, _ := strings.Cut(n, ".")
	for len(intPart) <= k {
		intPart = "0" + intPart
	}
	cut := len(intPart) - k
	intPart, frac = intPart[:cut], intPart[cut:]+frac
	intPart = strings.TrimLeft(intPart, "0")
	if intPart == "" {
		intPart = "0"
	}
	frac = strings.TrimRight(frac, "0")
	if frac == "" {
		if intPart == "0" {
			return "0"
		}
		return sign + intPart
	}
	return sign + intPart + "." + frac
}

// csvSafe keeps spreadsheet programs from reading a cell as a formula
// (CSV injection): a cell starting with =, +, -, @, a tab or a carriage
// return, after any leading blanks, gets a leading apostrophe, unless the
// whole cell is a plain number such as "-12.5" or "+3", which stays a
// number. encoding/csv then quotes what needs quoting.
func csvSafe(s string) string {
	t := strings.TrimLeft(s, " ")
	if t == "" || !strings.ContainsRune("=+-@\t\r\uFF1D\uFF0B\uFF0D\uFF20", []rune(t)[0]) {
		return s
	}
	if signedNumber.MatchString(s) {
		return s
	}
	return "'" + s
}

// signedNumber is a whole cell holding one plain signed decimal number.
var signedNumber = regexp.MustCompile(`^[+-][0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$`)

// mdEscape makes text literal in a Markdown table cell or heading: table
// pipes, emphasis and code marks, links and HTML are escaped, newlines
// become spaces.
func mdEscape(s string) string { return mdReplacer.Replace(s) }

var mdReplacer = strings.NewReplacer(
	`\`, `\\`, "|", `\|`, "*", `\*`, "_", `\_`, "`", "\\`", "[", `\[`, "]", `\]`,
	"\n", " ", "\r", " ", "<", "&lt;", ">", "&gt;", "&", "&amp;")

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
		sep[i] = "---:"
		for _, r := range t.Rows {
			if i < len(r) && !numericCell.MatchString(r[i]) {
				sep[i] = "---"
			}
		}
	}
	buf.WriteString("|" + strings.Join(sep, "|") + "|\n")
	for _, r := range t.Rows {
		row(r)
	}
}
