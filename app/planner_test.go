//go:build !wasm

package app

import (
	"math"
	"strings"
	"testing"

	"github.com/funnelplan/funnelplan/core"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// load mounts a planner on go-app's native test engine with a store.
func load(t *testing.T, store MemStore) *Planner {
	t.Helper()
	c := &Planner{store: store}
	e := app.NewTestEngine()
	if err := e.Load(c); err != nil {
		t.Fatal(err)
	}
	e.ConsumeAll()
	c.mount() // go-app calls OnMount only in the browser
	return c
}

func TestPlannerFirstVisitShowsExample(t *testing.T) {
	c := load(t, MemStore{})
	html := app.HTMLString(c.Render())
	for _, hook := range []string{
		`data-testid="app"`, `data-testid="top"`, `data-testid="rate-lead"`,
		`data-testid="revenue"`, `data-testid="customers"`, `data-testid="funnel-chart"`, `data-testid="import-error"`,
	} {
		if !strings.Contains(html, hook) {
			t.Errorf("page lacks %s", hook)
		}
	}
	// go-app's HTML encoder prints the "true" attribute bare; the browser
	// sets data-ready="true" (the end-to-end tests wait for it).
	if !c.ready || strings.Contains(html, `data-ready="false"`) || !strings.Contains(html, `data-ready`) {
		t.Error("the mounted page is not marked ready")
	}
	f, _ := core.Forward(examplePlan())
	if want := `data-value="` + raw(f.Revenue) + `"`; !strings.Contains(html, want) {
		t.Errorf("revenue: want %s in the page", want)
	}
	if !strings.Contains(html, "<svg") {
		t.Error("no funnel chart SVG in the page")
	}
}

func TestPrerenderIsNotReady(t *testing.T) {
	c := New()
	html := app.HTMLString(c) // Render without mounting, as the static generator does
	if !strings.Contains(html, `data-ready="false"`) {
		t.Fatal("the prerendered page claims to be ready")
	}
}

func TestPlannerRestoresAutosave(t *testing.T) {
	p := examplePlan()
	p.Top = 777
	text, _ := EncodeSaved(p, "more-traffic")
	c := load(t, MemStore{StorageKey: text})
	if c.doc.Plan.Top != 777 || c.doc.Scenario != "more-traffic" {
		t.Fatalf("restored top %v scenario %q, want 777 and more-traffic", c.doc.Plan.Top, c.doc.Scenario)
	}
	// The scenario doubles the top.
	view, _ := c.doc.View()
	f, _ := core.Forward(view)
	if c.fwd.Revenue != f.Revenue || view.Top != 1554 {
		t.Fatalf("revenue %v, want %v (top 2 × 777)", c.fwd.Revenue, f.Revenue)
	}
}

func TestPlannerSurvivesCorruptSave(t *testing.T) {
	store := MemStore{StorageKey: `{"format": 1, "plan": {"funnelplan": 1, "stages": "oops"`}
	c := load(t, store)
	if c.corruptMsg == "" || c.corruptRaw == "" {
		t.Fatal("a corrupt save must be explained and kept")
	}
	if store[CorruptKey] == "" {
		t.Fatal("the unreadable text must stay in storage")
	}
	if c.doc.Plan.Name != examplePlan().Name || c.fwd == nil {
		t.Fatal("the planner must start from the example")
	}
	if !strings.Contains(app.HTMLString(c.Render()), `data-testid="corrupt-save"`) {
		t.Fatal("no notice of the corrupt save on the page")
	}
}

func TestPlannerEditAutosavesAndUndoes(t *testing.T) {
	store := MemStore{}
	c := load(t, store)
	before := c.fwd.Revenue
	c.edit("rate:mql", func(d *Doc) error { return d.SetStageRate("mql", 0.5) })
	if c.fwd.Revenue == before {
		t.Fatal("revenue did not change")
	}
	if _, ok := store[StorageKey]; ok {
		t.Fatal("a drag in progress is saved on release, not on every move")
	}
	c.doc.EndGroup()
	c.save() // what endEdit does when the slider is released
	p, _, err := DecodeSaved(store[StorageKey])
	if err != nil || StageRate(p, "mql") != 0.5 {
		t.Fatalf("autosave: mql %v, err %v; want 0.5", StageRate(p, "mql"), err)
	}
	c.undo()
	if math.Abs(c.fwd.Revenue-before) > tol*before {
		t.Fatalf("after undo revenue %v, want %v", c.fwd.Revenue, before)
	}
}

func TestPlannerImportErrorKeepsPlan(t *testing.T) {
	c := load(t, MemStore{})
	before := c.fwd.Revenue
	c.importPlan("bad.json", []byte(`{"funnelplan": 1, "top": -5, "stages": []}`), nil)
	if !strings.Contains(c.importErr, "bad.json") || !strings.Contains(c.importErr, "top") {
		t.Fatalf("import error %q: want the file and the path", c.importErr)
	}
	if c.fwd.Revenue != before || c.doc.CanUndo() {
		t.Fatal("a broken import changed the plan")
	}
	c.importPlan("syntax.json", []byte("{\n  \"name\": ,\n}"), nil)
	if !strings.Contains(c.importErr, "syntax.json:2:") {
		t.Fatalf("syntax error %q: want file:line:column", c.importErr)
	}
}

func TestPlannerInvalidEditKeepsLastResults(t *testing.T) {
	c := load(t, MemStore{})
	before := c.fwd.Revenue
	c.edit("", func(d *Doc) error { d.Plan.Personas[0].Share = 0.9; return nil }) // shares 1.3
	if len(c.problems) == 0 || !c.stale || c.fwd.Revenue != before {
		t.Fatalf("problems %v stale %v: want problems and the last valid results", c.problems, c.stale)
	}
	html := app.HTMLString(c.Render())
	if !strings.Contains(html, "shares sum to") {
		t.Fatal("the problem is not on the page")
	}
}

func TestPlannerShareLinkOnLoad(t *testing.T) {
	p := examplePlan()
	p.Name = "Shared"
	frag, _ := EncodeShare(p)
	c := &Planner{store: MemStore{}}
	c.init()
	c.restore(frag)
	if c.doc.Plan.Name != "Shared" {
		t.Fatalf("plan %q, want the shared one", c.doc.Plan.Name)
	}
	c2 := &Planner{store: MemStore{}}
	c2.init()
	c2.restore("plan=broken")
	if c2.importErr == "" || c2.doc.Plan.Name != examplePlan().Name {
		t.Fatal("a broken share link must be explained and leave the plan")
	}
}

// A share link opened on a first visit is the first plan on screen: no
// undo step back to the example, autosaved once the page is up. Over an
// autosaved plan it is an edit that undo takes back.
func TestShareLinkFirstVisitAndOverSavedPlan(t *testing.T) {
	p := examplePlan()
	p.Name = "Shared"
	frag, _ := EncodeShare(p)
	store := MemStore{}
	c := &Planner{store: store}
	c.restore(frag)
	if c.doc.Plan.Name != "Shared" || c.doc.CanUndo() || !strings.Contains(c.notice, "Shared") || c.fwd == nil {
		t.Fatalf("first visit: plan %q, undo %v, notice %q", c.doc.Plan.Name, c.doc.CanUndo(), c.notice)
	}
	if _, ok := store.Get(StorageKey); ok || !c.unsaved {
		t.Fatal("the shared plan must be saved after the first render, not during it")
	}
	c.save()
	if text, ok := store.Get(StorageKey); !ok || !strings.Contains(text, "Shared") {
		t.Fatal("the shared plan was not autosaved")
	}

	saved := examplePlan()
	saved.Name = "Mine"
	text, _ := EncodeSaved(saved, "")
	c2 := &Planner{store: MemStore{StorageKey: text}}
	c2.restore(frag)
	if c2.doc.Plan.Name != "Shared" || !c2.doc.Undo() || c2.doc.Plan.Name != "Mine" {
		t.Fatal("a share link over a saved plan must be undoable back to it")
	}
}

func TestPresentationKeys(t *testing.T) {
	c := load(t, MemStore{})
	c.present = true
	c.stepScenario(1)
	if c.doc.Scenario != "more-traffic" {
		t.Fatalf("next scenario %q, want more-traffic", c.doc.Scenario)
	}
	c.stepScenario(-2)
	if c.doc.Scenario != "enterprise-push" {
		t.Fatalf("wrap backwards to %q, want enterprise-push", c.doc.Scenario)
	}
	c.pickScenario(0)
	c.focus = "lead"
	c.stepRate(1)
	if got := StageRate(c.doc.Plan, "lead"); math.Abs(got-0.055) > tol {
		t.Fatalf("lead after + %v, want 0.055 (0.05 + one 0.5-point step)", got)
	}
	html := app.HTMLString(c.Render())
	if !strings.Contains(html, "present-sliders") {
		t.Fatal("presentation mode has no slider strip")
	}
}

func TestResultsCSV(t *testing.T) {
	p := examplePlan()
	f, _ := core.Forward(p)
	b, err := ResultsCSV(p, f)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	if !strings.HasPrefix(s, "stage,name,count,rate,cumulative,dropoff\nvisit,Site visit,10000,") ||
		!strings.Contains(s, "revenue,"+raw(f.Revenue)) {
		t.Fatalf("csv:\n%s", s)
	}
}

func TestResultTabsRender(t *testing.T) {
	c := load(t, MemStore{})
	c.edit("", func(d *Doc) error {
		d.Plan.Journey = journeyFromStages(d.Plan)
		addDefaultRanges(d.Plan)
		return nil
	})
	if len(c.problems) > 0 {
		t.Fatalf("problems: %v", c.problems)
	}
	for _, tab := range tabs {
		c.tab = tab.id
		html := app.HTMLString(c.Render())
		for _, bad := range []string{`class="error"`, "NaN", "Inf"} {
			if strings.Contains(html, bad) {
				t.Errorf("tab %s shows %q", tab.id, bad)
			}
		}
	}
	c.tab = "uncertainty"
	if html := app.HTMLString(c.Render()); !strings.Contains(html, `data-testid="p-goal"`) || !strings.Contains(html, "<svg") {
		t.Error("uncertainty tab: no P(goal) or no distribution chart")
	}
}

func TestFitFromCounts(t *testing.T) {
	c := load(t, MemStore{})
	csv := "period,visit,lead,mql,proposal,customer\n2026-01,10000,600,240,120,30\n2026-02,10000,400,160,80,20\n"
	c.loadCounts("counts.csv", []byte(csv), nil)
	if c.importErr != "" || c.fit.res == nil {
		t.Fatalf("fit: %q", c.importErr)
	}
	c.tab = "fit"
	if html := app.HTMLString(c.Render()); !strings.Contains(html, `data-testid="fit-table"`) {
		t.Fatal("no fit table")
	}
	c.loadCounts("bad.csv", []byte("period,visit,lead\n2026-01,100,12x\n"), nil)
	if !strings.Contains(c.importErr, "bad.csv:") || c.fit.name != "counts.csv" {
		t.Fatalf("bad counts: %q (the earlier fit must stay)", c.importErr)
	}
}

func TestPanicIsContained(t *testing.T) {
	c := load(t, MemStore{})
	c.edit("", func(d *Doc) error {
		var m map[string]float64
		m["x"] = 1 // a defect: assignment to a nil map
		return nil
	})
	if !strings.Contains(c.editErr, "internal error") || c.fwd == nil {
		t.Fatalf("edit error %q: a panicking edit must be reported, the page kept", c.editErr)
	}
}
