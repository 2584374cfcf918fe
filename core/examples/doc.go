// Package examples holds the bundled example plans, embedded so that the
// command line (funnelplan example) and the browser app (first visit) show
// the same files.
package examples

import (
	"embed"
	"io/fs"
	"path"
	"slices"
	"strings"
)

//go:embed *.json
var files embed.FS

// Names lists the bundled examples, sorted, without the .json extension.
func Names() []string {
	entries, _ := fs.ReadDir(files, ".")
	var names []string
	for _, e := range entries {
		names = append(names, strings.TrimSuffix(e.Name(), path.Ext(e.Name())))
	}
	slices.Sort(names)
	return names
}

// Get returns the plan file of the named example.
func Get(name string) ([]byte, bool) {
	b, err := files.ReadFile(name + ".json")
	return b, err == nil
}

// Default is the example the browser app shows on a first visit.
const Default = "b2b"
