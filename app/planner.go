package app

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/funnelplan/funnelplan/core"
	"github.com/funnelplan/funnelplan/core/examples"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// Planner is the page: the plan editor on the left, live results on the
// right, scenarios on top, and a presentation mode for workshops.
type Planner struct {
	app.Compo

	doc   *Doc
	store Store
	ready bool

	updated bool // a new version has taken over: reload to run it

	// Results of the plan on screen, recomputed after every edit.
	view     *core.Plan
	viewErr  error
	problems core.Problems
	fwd      *core.ForwardResult
	econ     *core.EconomicsResult
	stale    bool // fwd belongs to the last valid plan, not the one on screen

	// Messages.
	importErr  string // data-testid import-error
	notice     string // transient information (saved, copied, undone)
	editErr    string
	saveErr    string
	corruptMsg string // an unreadable saved plan was set aside
	corruptRaw string

	present  bool
	open     map[string]bool // editor sections shown
	tab      string          // results tab
	shareURL string
	focus    string // stage id stepped by the keyboard in presentation mode

	unsaved bool // an edit in progress (a slider drag) is not saved yet

	svgs   map[string]string // the charts on screen by name, for their download buttons
	cache  resultCache
	sim    simState
	an     analyses
	fit    fitState
	unbind func()
}

// New returns the planner page.
func New() *Planner { return &Planner{} }

// init prepares the planner the first time it renders: the bundled example
// plan (natively this is also the prerendered page).
func (c *Planner) init() {
	if c.doc != nil {
		return
	}
	Mark("init")
	defer Mark("restored")
	c.open = map[string]bool{"stages": true, "plan": true, "scenario": true}
	c.tab = "funnel"
	if c.store == nil {
		if app.IsClient {
			c.store = localStore{}
		} else {
			c.store = MemStore{}
		}
	}
	// In the browser the first render already shows the saved or shared
	// plan (no flash of the example, one decoding less); natively the
	// store is empty and the prerendered page shows the example.
	c.restore(fragment())
	// In the browser this first render builds the live page: go-app
	// attaches its handlers as it mounts it, so the page is ready as soon
	// as it is in the document, without a second render for the flag.
	c.ready = app.IsClient
}

// examplePlan returns the bundled default example; it is valid by the
// examples' own tests.
func examplePlan() *core.Plan {
	b, _ := examples.Get(examples.Default)
	p, err := core.DecodeBytes(b)
	if err != nil {
		// Unreachable while the examples pass their tests; a two-stage
		// plan keeps the page alive if they ever do not.
		return &core.Plan{Version: core.Version, Name: "Plan", Top: 1000, Stages: []core.Stage{{ID: "visit", Name: "Visit"}, {ID: "customer", Name: "Customer", Rate: core.F(0.02)}}}
	}
	return p
}

// OnMount restores the saved plan or opens a shared one, then marks the
// page ready (data-ready="true"): the WebAssembly app is in charge.
func (c *Planner) OnMount(ctx app.Context) {
	Mark("mounted")
	if c.ready {
		// The first render was already the live page: nothing on it
		// changes here, so go-app need not draw it again.
		ctx.PreventUpdate()
	}
	c.mount()
	if !app.IsClient {
		return
	}
	// What the page does not need to be up waits for the next turn (the
	// timer lets the browser show the page first): the keyboard
	// shortcuts, the watch for a new version and, for a shared plan opened
	// by the first render, its autosave. The page is drawn again only when
	// that save fails (the message).
	ctx.After(time.Millisecond, func(ctx app.Context) {
		c.bindKeys(ctx)
		c.watchUpdates(ctx)
		if c.unsaved {
			c.save()
			if c.saveErr != "" {
				return
			}
		}
		ctx.PreventUpdate()
	})
}

// mount is OnMount without the browser-only keyboard binding (go-app calls
// OnMount only in the browser; native tests call mount).
func (c *Planner) mount() {
	c.init()
	c.ready = true
}

// OnDismount releases the keyboard listener.
func (c *Planner) OnDismount() {
	if c.unbind != nil {
		c.unbind()
		c.unbind = nil
	}
}

// OnNav handles a share link pasted into the address bar of an open page
// (a fragment change does not reload the page).
// go-app also calls it right after the first render: with no share link
// to open, the page is not drawn again.
func (c *Planner) OnNav(ctx app.Context) {
	if f := fragment(); c.ready && HasShare(f) {
		c.openShare(f)
		return
	}
	ctx.PreventUpdate()
}

// restore loads, in order of preference: a shared plan in the URL
// fragment, the autosaved plan, the bundled example. Nothing here can stop
// the app: every failure is explained and the next source is used.
func (c *Planner) restore(frag string) {
	var doc *Doc
	if text, ok := c.store.Get(StorageKey); ok {
		p, scen, err := DecodeSaved(text)
		if err != nil {
			c.corruptMsg = err.Error()
			c.corruptRaw = text
			c.store.Set(CorruptKey, text)
			c.store.Del(StorageKey)
		} else {
			doc = NewDoc(p)
			doc.Scenario = scen
		}
	} else if raw, ok := c.store.Get(CorruptKey); ok {
		c.corruptRaw = raw
	}
	if doc == nil && HasShare(frag) {
		// Nothing saved: the shared plan is the first plan on screen (no
		// example to decode first, nothing to undo back to). It is saved
		// once the page is up (OnMount), not before the first render.
		if p, err := DecodeShare(frag); err == nil {
			setFragment("")
			doc = NewDoc(p)
			c.notice = openedNotice(p)
			c.unsaved = true
			frag = ""
		}
	}
	if doc == nil {
		doc = NewDoc(examplePlan())
	}
	c.doc = doc
	c.recompute()
	if HasShare(frag) {
		c.openShare(frag)
	}
}

// openShare replaces the plan with the one in a share link; a damaged link
// is explained in import-error and the plan stays as it was.
func (c *Planner) openShare(frag string) {
	p, err := DecodeShare(frag)
	setFragment("") // a reload then shows the autosaved state
	if err != nil {
		c.importErr = "The share link could not be opened: " + err.Error()
		return
	}
	c.doc.Replace(p)
	c.importErr = ""
	c.notice = openedNotice(p)
	c.changed()
}

// openedNotice tells that the shared plan p is on screen.
func openedNotice(p *core.Plan) string {
	return "Opened the shared plan " + strconv.Quote(p.Name) + "."
}

// edit runs one edit as an undo step of the given group and refreshes the
// results and the autosave.
func (c *Planner) edit(group string, f func(d *Doc) error) {
	c.init()
	c.doc.Begin(group)
	c.editErr = ""
	if err := guard(func() error { return f(c.doc) }); err != nil {
		c.editErr = err.Error()
	}
	c.recompute()
	if c.dragging() {
		// A slider drag is one edit: it is saved when the slider is
		// released (endEdit), or when the page is hidden mid-drag.
		c.unsaved = true
		return
	}
	c.save()
}

// endEdit closes the open edit group (a slider released, a field left).
func (c *Planner) endEdit(ctx app.Context, e app.Event) {
	c.doc.EndGroup()
	if c.unsaved {
		c.save()
	}
	ctx.PreventUpdate()
}

// changed recomputes the results and autosaves.
func (c *Planner) changed() {
	c.recompute()
	c.save()
}

// save writes the autosave; a refusal (storage full, private mode) is
// shown, never fatal.
func (c *Planner) save() {
	if c.store == nil {
		return
	}
	text, err := EncodeSaved(c.doc.Plan, c.doc.Scenario)
	if err == nil {
		err = c.store.Set(StorageKey, text)
	}
	if err != nil {
		c.saveErr = "Not saved: " + err.Error()
	} else {
		c.saveErr = ""
	}
	c.unsaved = false
}

// recompute refreshes the plan on screen and its forward funnel. An invalid
// plan keeps the last valid results on screen, marked as stale, with the
// problems listed by path.
func (c *Planner) recompute() {
	if err := guard(func() error { c.compute(); return nil }); err != nil {
		c.problems = core.Problems{{Msg: err.Error()}}
		c.stale = c.fwd != nil
	}
}

// guard runs f and turns a panic into an error: a panic would stop the
// WebAssembly page, so a defect in one computation must only fail that
// computation.
func guard(f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("internal error (please report it with the plan): %v", r)
		}
	}()
	return f()
}

func (c *Planner) compute() {
	c.cache.rev++
	c.problems = nil
	c.viewErr = nil
	view, err := c.doc.View()
	if err != nil {
		c.viewErr = err
		c.stale = c.fwd != nil
		return
	}
	c.view = view
	if err := view.Validate(); err != nil {
		var ps core.Problems
		if errors.As(err, &ps) {
			c.problems = ps
		} else {
			c.problems = core.Problems{{Msg: err.Error()}}
		}
		c.stale = c.fwd != nil
		return
	}
	fwd, err := core.Forward(view)
	if err != nil {
		c.problems = core.Problems{{Msg: err.Error()}}
		c.stale = c.fwd != nil
		return
	}
	c.fwd, c.stale = fwd, false
	c.econ = core.Economics(view, fwd)
	c.cache.valid = view
}

// bindKeys installs the page-wide keyboard shortcuts: undo and redo
// everywhere; in presentation mode the arrow keys, digits and Escape.
func (c *Planner) bindKeys(ctx app.Context) {
	doc := app.Window().Get("document")
	fn := app.FuncOf(func(this app.Value, args []app.Value) any {
		e := args[0]
		key := e.Get("key").String()
		mod := e.Get("ctrlKey").Bool() || e.Get("metaKey").Bool()
		tag := strings.ToLower(e.Get("target").Get("tagName").String())
		typ := e.Get("target").Get("type").String()
		typing := tag == "textarea" || tag == "select" || (tag == "input" && typ != "range" && typ != "checkbox" && typ != "button")
		handled := true
		switch {
		case mod && (key == "z" || key == "Z") && !e.Get("shiftKey").Bool():
			ctx.Dispatch(func(ctx app.Context) { c.undo() })
		case mod && (key == "y" || ((key == "z" || key == "Z") && e.Get("shiftKey").Bool())):
			ctx.Dispatch(func(ctx app.Context) { c.redo() })
		case typing || mod || e.Get("altKey").Bool():
			handled = false
		case key == "Escape" && c.present:
			ctx.Dispatch(func(ctx app.Context) { c.present = false })
		case c.present && (key == "ArrowLeft" || key == "PageUp") && typ != "range":
			ctx.Dispatch(func(ctx app.Context) { c.stepScenario(-1) })
		case c.present && (key == "ArrowRight" || key == "PageDown") && typ != "range":
			ctx.Dispatch(func(ctx app.Context) { c.stepScenario(1) })
		case c.present && len(key) == 1 && key[0] >= '0' && key[0] <= '9':
			n := int(key[0] - '0')
			ctx.Dispatch(func(ctx app.Context) { c.pickScenario(n) })
		case c.present && (key == "+" || key == "=" || key == "-"):
			dir := 1.0
			if key == "-" {
				dir = -1
			}
			ctx.Dispatch(func(ctx app.Context) { c.stepRate(dir) })
		case c.present && (key == "ArrowUp" || key == "ArrowDown") && typ != "range":
			dir := -1
			if key == "ArrowDown" {
				dir = 1
			}
			ctx.Dispatch(func(ctx app.Context) { c.stepFocus(dir) })
		case key == "p" && !c.present:
			ctx.Dispatch(func(ctx app.Context) { c.present = true })
		default:
			handled = false
		}
		if handled {
			e.Call("preventDefault")
		}
		return nil
	})
	doc.Call("addEventListener", "keydown", fn)
	// Save an edit in progress when the page is hidden (tab closed or
	// switched in the middle of a drag).
	hide := app.FuncOf(func(app.Value, []app.Value) any {
		if c.unsaved {
			c.save() // synchronous: the page may not get another turn
		}
		return nil
	})
	doc.Call("addEventListener", "visibilitychange", hide)
	c.unbind = func() {
		doc.Call("removeEventListener", "keydown", fn)
		doc.Call("removeEventListener", "visibilitychange", hide)
		fn.Release()
		hide.Release()
	}
}

func (c *Planner) undo() {
	if c.doc.Undo() {
		c.notice = "Undone."
		c.changed()
	}
}

func (c *Planner) redo() {
	if c.doc.Redo() {
		c.notice = "Redone."
		c.changed()
	}
}

// pickScenario puts the n-th scenario on screen (0 is the baseline).
func (c *Planner) pickScenario(n int) {
	id := ""
	if n > 0 {
		if n > len(c.doc.Plan.Scenarios) {
			return
		}
		id = c.doc.Plan.Scenarios[n-1].ID
	}
	c.selectScenario(id)
}

// stepScenario moves to the previous or next scenario, wrapping.
func (c *Planner) stepScenario(dir int) {
	n := len(c.doc.Plan.Scenarios) + 1
	cur := 0
	for i, s := range c.doc.Plan.Scenarios {
		if s.ID == c.doc.Scenario {
			cur = i + 1
		}
	}
	c.pickScenario(((cur+dir)%n + n) % n)
}

func (c *Planner) selectScenario(id string) {
	if id == c.doc.Scenario {
		return
	}
	c.doc.EndGroup()
	c.doc.Scenario = id
	c.doc.EndGroup()
	c.changed()
}

// stepFocus moves the keyboard focus of presentation mode to the previous
// or next stage slider.
func (c *Planner) stepFocus(dir int) {
	st := c.doc.Plan.Stages
	if len(st) < 2 {
		return
	}
	i := c.doc.Plan.StageIndex(c.focus)
	if i < 1 {
		i = 1
	} else {
		i += dir
	}
	i = max(1, min(len(st)-1, i))
	c.focus = st[i].ID
}

// rateStep is one keyboard step of a rate in presentation mode: 0.5 point.
const rateStep = 0.005

// stepRate moves the focused stage's rate by one step.
func (c *Planner) stepRate(dir float64) {
	if c.doc.Plan.StageIndex(c.focus) < 1 {
		c.stepFocus(1)
	}
	view := c.view
	if view == nil {
		return
	}
	id := c.focus
	c.edit("key-rate:"+id, func(d *Doc) error { return d.SetStageRate(id, StageRate(view, id)+dir*rateStep) })
}
