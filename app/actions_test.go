//go:build !wasm

package app

import (
	"strings"
	"testing"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// The page's controls written as HTML carry their actions, and each action
// does what the control's own handler did.
func TestPageActions(t *testing.T) {
	c := load(t, MemStore{})
	html := app.HTMLString(c.Render())
	for _, want := range []string{
		`data-testid="fold-personas" data-do="fold:personas"`, `aria-expanded="false"`,
		`data-testid="tab-funnel" role="tab" aria-selected="true" data-do="tab:funnel"`,
		`data-testid="scenario-tab-baseline" role="tab" aria-selected="true" data-do="scenario:"`,
		`data-testid="scenario-tab-more-traffic"`, `data-testid="new-scenario" data-do="new-scenario"`,
		`data-testid="undo" disabled data-do="undo"`, `data-testid="import-file" aria-label="Import a plan file" data-change="import"`,
		`data-testid="period" data-change="period"><option value="day">day</option><option value="week">week</option><option value="month" selected>`,
		`<footer class="foot">`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("page lacks %s", want)
		}
	}

	for _, step := range []struct {
		action string
		check  func() bool
	}{
		{"fold:personas", func() bool { return c.open["personas"] }},
		{"fold:personas", func() bool { return !c.open["personas"] }},
		{"tab:compare", func() bool { return c.tab == "compare" }},
		{"scenario:more-traffic", func() bool { return c.doc.Scenario == "more-traffic" }},
		{"scenario:", func() bool { return c.doc.Scenario == "" }},
		{"present", func() bool { return c.present }},
		{"present", func() bool { return !c.present }},
		{"new-scenario", func() bool { return c.doc.Scenario == "scenario-4" && c.open["scenario"] }},
		{"undo", func() bool { return c.doc.Scenario == "" && len(c.doc.Plan.Scenarios) == 3 }},
		{"redo", func() bool { return len(c.doc.Plan.Scenarios) == 4 }},
		{"example", func() bool { return len(c.doc.Plan.Scenarios) == 3 && c.doc.CanUndo() }},
		{"add-stage", func() bool {
			return len(c.doc.Plan.Stages) == 6 && strings.Contains(app.HTMLString(c.Render()), `value="Stage 6"`)
		}},
	} {
		if !c.do(step.action) || !step.check() {
			t.Fatalf("action %s: not done", step.action)
		}
	}
	if c.do("nothing") || c.do("") {
		t.Fatal("an unknown action must draw nothing")
	}
	// A download changes nothing on the page.
	app.HTMLString(c.Render())
	if c.svgs["funnel"] == "" || c.do("svg:funnel") || c.do("png:funnel") {
		t.Fatal("the funnel chart's download buttons: no SVG kept, or a redraw asked for")
	}
	c.importErr = "bad.json: <oops>"
	if html := app.HTMLString(c.Render()); !strings.Contains(html, `<pre>bad.json: &lt;oops&gt;</pre>`) {
		t.Fatal("the import error is not on the page, escaped")
	}
	if !c.do("dismiss-import") || c.importErr != "" {
		t.Fatal("dismiss did not clear the import error")
	}
	if html := app.HTMLString(c.Render()); !strings.Contains(html, `data-testid="import-error" role="alert" hidden>`) {
		t.Fatal("the empty import error is not hidden")
	}
}

// Text in the controls written as HTML is escaped.
func TestPageActionsEscaped(t *testing.T) {
	c := load(t, MemStore{})
	c.edit("", func(d *Doc) error { d.Plan.Scenarios[0].Name = `<b>"x"`; return nil })
	html := app.HTMLString(c.Render())
	if strings.Contains(html, `<b>"x"`) || !strings.Contains(html, `&lt;b&gt;&#34;x&#34;`) {
		t.Fatal("a scenario name is not escaped in its tab")
	}
}
