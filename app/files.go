package app

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strings"

	"github.com/funnelplan/funnelplan/core"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// importPlan replaces the plan with a plan file; a file that is not a
// valid plan is explained in import-error and the plan stays untouched.
func (c *Planner) importPlan(name string, b []byte, err error) {
	if err != nil {
		c.importErr = fmt.Sprintf("%s: %v", name, err)
		return
	}
	p, err := core.DecodeBytes(b)
	if err != nil {
		c.importErr = ImportError(name, err)
		return
	}
	c.doc.Replace(p)
	c.importErr = ""
	c.notice = fmt.Sprintf("Imported %s (Undo brings the previous plan back).", name)
	c.changed()
}

// ImportError explains why a file is not a plan: the file name, then every
// problem with its line and column or JSON path.
func ImportError(name string, err error) string {
	msg := err.Error()
	if strings.Contains(msg, "\n") {
		return fmt.Sprintf("%s is not a valid plan; nothing was changed:\n%s", name, msg)
	}
	return fmt.Sprintf("%s is not a valid plan; nothing was changed: %s:%s", name, name, msg)
}

func (c *Planner) exportPlan() {
	b, err := core.Encode(c.doc.Plan)
	if err != nil {
		c.editErr = "Export failed: " + err.Error()
		return
	}
	download(fileBase(c.doc.Plan.Name)+".json", "application/json", b)
}

// exportCSV downloads the funnel of the plan on screen and its key figures.
func (c *Planner) exportCSV() {
	if c.fwd == nil {
		c.editErr = "Nothing to export: the plan has problems to fix"
		return
	}
	b, err := ResultsCSV(c.cache.valid, c.fwd)
	if err != nil {
		c.editErr = "Export failed: " + err.Error()
		return
	}
	download(fileBase(c.doc.Plan.Name)+"-results.csv", "text/csv", b)
}

// ResultsCSV writes the forward funnel as CSV: one row per stage, then the
// key figures as metric rows. Numbers are printed in full precision.
func ResultsCSV(p *core.Plan, f *core.ForwardResult) ([]byte, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write([]string{"stage", "name", "count", "rate", "cumulative", "dropoff"})
	for _, s := range f.Stages {
		rate := ""
		if s.Rate != nil {
			rate = raw(*s.Rate)
		}
		w.Write([]string{s.ID, s.Name, raw(s.Count), rate, raw(s.Cumulative), raw(s.Dropoff)})
	}
	w.Write(nil)
	w.Write([]string{"metric", "value"})
	w.Write([]string{"customers", raw(f.Customers)})
	w.Write([]string{"revenue", raw(f.Revenue)})
	w.Write([]string{"conversion", raw(f.Conversion)})
	if f.OneIn != nil {
		w.Write([]string{"one_in", raw(*f.OneIn)})
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

// share makes the share link of the plan, shows it and copies it.
func (c *Planner) share() {
	frag, err := EncodeShare(c.doc.Plan)
	if err != nil {
		c.editErr = "Share link failed: " + err.Error()
		return
	}
	base := ""
	if app.IsClient {
		loc := app.Window().Get("location")
		base = loc.Get("origin").String() + loc.Get("pathname").String()
	}
	c.shareURL = base + "#" + frag
	copyText(c.shareURL)
}
