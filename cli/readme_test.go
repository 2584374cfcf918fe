package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestREADME replays the command-line session of README.md: every
// "$ funnelplan ARGS [< FILE]" line of the console blocks in the "Command
// line" section is run from the repository root, and its output (stdout,
// then stderr) must be the text below it. go test -update rewrites the
// outputs from the commands, so the README always shows real output.
func TestREADME(t *testing.T) {
	readme := filepath.Join("..", "README.md")
	b, err := os.ReadFile(readme)
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	start := strings.Index(text, "\n## Command line\n")
	if start < 0 {
		t.Fatal(`README.md has no "## Command line" section`)
	}
	end := len(text)
	if i := strings.Index(text[start+1:], "\n## "); i >= 0 {
		end = start + 1 + i
	}
	t.Chdir("..")
	section, n := replaySession(t, text[start:end])
	if n == 0 {
		t.Fatal("the Command line section has no console session")
	}
	got := text[:start] + section + text[end:]
	if *update {
		if err := os.WriteFile("README.md", []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if got != text {
		t.Errorf("README.md's session differs from the commands' output (go test ./cli -run TestREADME -update rewrites it):\n%s", firstDiff(text, got))
	}
}

// replaySession reruns every command of the ```console blocks of s and
// returns s with each command's output replaced, and the command count.
func replaySession(t *testing.T, s string) (string, int) {
	var out strings.Builder
	n := 0
	lines := strings.SplitAfter(s, "\n")
	inBlock := false
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		switch {
		case !inBlock && strings.TrimSpace(l) == "```console":
			inBlock = true
			out.WriteString(l)
		case inBlock && strings.TrimSpace(l) == "```":
			inBlock = false
			out.WriteString(l)
		case inBlock && strings.HasPrefix(l, "$ funnelplan"):
			n++
			out.WriteString(l)
			out.WriteString(replay(t, strings.TrimSpace(strings.TrimPrefix(l, "$ funnelplan"))))
			// Skip the old output, up to the blank line before the next
			// command or the end of the block.
			for i+1 < len(lines) && !strings.HasPrefix(lines[i+1], "$ ") && strings.TrimSpace(lines[i+1]) != "```" {
				i++
			}
			if i+1 < len(lines) && strings.HasPrefix(lines[i+1], "$ ") {
				out.WriteString("\n")
			}
		default:
			out.WriteString(l)
		}
	}
	return out.String(), n
}

// replay runs one command line (arguments split at blanks, an optional
// "< FILE" for standard input) and returns its output.
func replay(t *testing.T, cmdline string) string {
	t.Helper()
	var stdin []byte
	if cmd, file, ok := strings.Cut(cmdline, " < "); ok {
		var err error
		if stdin, err = os.ReadFile(strings.TrimSpace(file)); err != nil {
			t.Fatal(err)
		}
		cmdline = cmd
	}
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), strings.Fields(cmdline), bytes.NewReader(stdin), &stdout, &stderr)
	exitCode(err, &stderr)
	return stdout.String() + stderr.String()
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) && i < len(bl); i++ {
		if al[i] != bl[i] {
			return "README line " + strconv.Itoa(i+1) + ":\n  have: " + al[i] + "\n  want: " + bl[i]
		}
	}
	return "the lengths differ"
}
