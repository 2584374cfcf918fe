// Package examples holds the bundled example plans and data files,
// embedded so that the command line (funnelplan example) and the browser
// app (first visit) show the same files.
package examples

import (
	"embed"
	"io/fs"
	"path"
	"slices"
	"strings"
)

//go:embed *.json *.csv
var files embed.FS

// Names lists the bundled example plans, sorted, without the .json
// extension.
func Names() []string {
	entries, _ := fs.ReadDir(files, ".")
	var names []string
	for _, e := range entries {
		if path.Ext(e.Name()) == ".json" {
			names = append(names, strings.TrimSuffix(e.Name(), ".json"))
		}
	}
	slices.Sort(names)
	return names
}

// Get returns the plan file of the named example.
func Get(name string) ([]byte, bool) {
	b, err := files.ReadFile(name + ".json")
	return b, err == nil
}

// DataNames lists the bundled example data files (counts and event logs
// as CSV), sorted, with their extension: "events.csv".
func DataNames() []string {
	entries, _ := fs.ReadDir(files, ".")
	var names []string
	for _, e := range entries {
		if path.Ext(e.Name()) == ".csv" {
			names = append(names, e.Name())
		}
	}
	slices.Sort(names)
	return names
}

// GetData returns the named example data file ("finnish-counts.csv").
func GetData(name string) ([]byte, bool) {
	if path.Ext(name) != ".csv" {
		return nil, false
	}
	b, err := files.ReadFile(name)
	return b, err == nil
}

// Default is the example the browser app shows on a first visit.
const Default = "b2b"
