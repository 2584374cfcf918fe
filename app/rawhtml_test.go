//go:build !wasm

package app

import (
	"strings"
	"testing"

	"github.com/funnelplan/funnelplan/core"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

func TestDataTableEscapesAndMarksColumns(t *testing.T) {
	got := dataTable{
		testid: "t", caption: "C & D", head: []string{"Stage", "Persons"}, numeric: []bool{false, true},
		rows: [][]string{{`<b>"Visit"</b> & more`, "1,000"}},
	}.html()
	want := `<table class="data" data-testid="t"><caption class="sr">C &amp; D</caption>` +
		`<thead><tr><th scope="col">Stage</th><th scope="col" class="n">Persons</th></tr></thead>` +
		`<tbody><tr><th scope="row">&lt;b&gt;&#34;Visit&#34;&lt;/b&gt; &amp; more</th><td class="n">1,000</td></tr></tbody></table>`
	if got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
}

func TestFunnelTableOnPage(t *testing.T) {
	c := load(t, MemStore{})
	c.doc.Plan.Stages[0].Name = "Visit <now>"
	c.recompute()
	html := app.HTMLString(c.Render())
	if !strings.Contains(html, `data-testid="funnel-table"`) || !strings.Contains(html, "Visit &lt;now&gt;") {
		t.Fatal("the funnel table with the escaped stage name is not on the page")
	}
	if n := strings.Count(c.funnelTable().html(), "<tr>"); n != len(c.fwd.Stages)+1 {
		t.Fatalf("%d rows, want a heading and one per stage (%d)", n, len(c.fwd.Stages))
	}
}

func TestStageToolsHTMLAndActions(t *testing.T) {
	s := core.Stage{ID: "lead", Name: `Lead "A" <b>`}
	h := stageTools(s, 0, 2, true)
	for _, want := range []string{
		`data-action="details" data-stage="lead"`, `aria-expanded="true"`, `data-testid="stage-details-lead"`,
		`aria-label="Details of Lead &#34;A&#34; &lt;b&gt;"`, `data-testid="remove-stage-lead"`,
	} {
		if !strings.Contains(h, want) {
			t.Errorf("missing %s in %s", want, h)
		}
	}
	// First of two stages: cannot move up, cannot be removed (two is the minimum).
	if strings.Count(h, " disabled") != 2 || !strings.Contains(h, `data-action="down" data-stage="lead" title="Move down" aria-label="Move Lead &#34;A&#34; &lt;b&gt; down">`) {
		t.Errorf("disabled buttons wrong: %s", h)
	}

	c := load(t, MemStore{})
	first, second := c.doc.Plan.Stages[0].ID, c.doc.Plan.Stages[1].ID
	n := len(c.doc.Plan.Stages)
	c.stageTool("down", first)
	if c.doc.Plan.Stages[1].ID != first {
		t.Fatal("down did not move the stage")
	}
	c.stageTool("up", first)
	if c.doc.Plan.Stages[0].ID != first {
		t.Fatal("up did not move the stage back")
	}
	c.stageTool("details", second)
	if !c.open["stage:"+second] {
		t.Fatal("details did not open")
	}
	c.stageTool("remove", second)
	if len(c.doc.Plan.Stages) != n-1 || !c.doc.CanUndo() {
		t.Fatal("remove did not remove the stage as an undoable edit")
	}
}
