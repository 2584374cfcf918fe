package app

import (
	"html"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// Page actions. The page's controls that only show state and run an
// action (the header's buttons, the scenario and result tabs, the editor's
// fold buttons, the period menu) are HTML text, like the read-only tables
// (rawhtml.go): they carry their action in a data-do (click) or
// data-change (change) attribute, and the page's root element handles the
// events of all of them (onClick, onChange). The first render then mounts
// no element, text, attribute and handler of theirs one by one: each costs
// a call into JavaScript, and all of it runs while the page's code is
// still being compiled.
//
// When such HTML changes (a tab selected, a section folded), the browser
// build changes it in place (funnelplanMorph, wasm/server.go), so the
// control keeps its node and the keyboard focus; where it cannot and the
// block is replaced, the control that was used loses the focus with its old
// node, and keepFocus gives it to the new node.

// doAttr is the data-do attribute of a control whose click runs action.
func doAttr(action string) string {
	return ` data-do="` + html.EscapeString(action) + `"`
}

// onClick runs the data-do action of the control clicked; any other click
// changes nothing and draws nothing.
func (c *Planner) onClick(ctx app.Context, e app.Event) {
	el := actionElem(e, "[data-do]")
	if el == nil {
		ctx.PreventUpdate()
		return
	}
	action := el.Get("dataset").Get("do").String()
	if !c.do(action) {
		ctx.PreventUpdate()
		return
	}
	keepFocus(ctx, el, "data-do", action)
}

// do runs a click action; false when there is nothing to draw again.
func (c *Planner) do(action string) bool {
	kind, arg, _ := strings.Cut(action, ":")
	switch kind {
	case "fold":
		c.open[arg] = !c.open[arg]
	case "tab":
		c.tab = arg
	case "scenario":
		c.selectScenario(arg)
	case "new-scenario":
		c.newScenario()
	case "undo":
		c.undo()
	case "redo":
		c.redo()
	case "export-plan":
		c.exportPlan()
	case "export-csv":
		c.exportCSV()
	case "share":
		c.share()
	case "example":
		c.loadExample()
	case "present":
		c.present = !c.present
	case "add-stage":
		c.addStage()
	case "dismiss-import":
		c.importErr = ""
	case "svg", "png":
		c.downloadChart(kind, arg)
		return false
	default:
		return false
	}
	return true
}

// onChange runs the data-change action of the control changed (a file
// chosen to import, a period picked); any other change is left to the
// control's own handler.
func (c *Planner) onChange(ctx app.Context, e app.Event) {
	el := actionElem(e, "[data-change]")
	if el == nil {
		ctx.PreventUpdate()
		return
	}
	action := el.Get("dataset").Get("change").String()
	switch action {
	case "import":
		readFile(ctx, el, func(ctx app.Context, name, text string, err error) {
			c.importPlan(name, []byte(text), err)
		})
		ctx.PreventUpdate() // the file is read asynchronously
		return
	case "period":
		v := el.Get("value").String()
		c.edit("", func(d *Doc) error { d.Plan.Period = v; return nil })
	default:
		ctx.PreventUpdate()
		return
	}
	keepFocus(ctx, el, "data-change", action)
}

// actionElem returns the element matching sel that the event's target is
// or is in, or nil.
func actionElem(e app.Event, sel string) app.Value {
	t := e.Get("target")
	if !t.Truthy() || t.Get("closest").IsUndefined() {
		return nil
	}
	el := t.Call("closest", sel)
	if !el.Truthy() || el.Get("disabled").Bool() {
		return nil
	}
	return el
}

// keepFocus gives the keyboard focus, once the page is drawn again, to the
// control that replaced el (the element whose attr is value) when el had
// the focus and was replaced.
func keepFocus(ctx app.Context, el app.Value, attr, value string) {
	doc := app.Window().Get("document")
	if !doc.Get("activeElement").Equal(el) {
		return
	}
	ctx.Defer(func(ctx app.Context) {
		if el.Get("isConnected").Bool() {
			return
		}
		sel := "[" + attr + "=" + app.Window().Get("CSS").Call("escape", value).String() + "]"
		if n := doc.Call("querySelector", sel); n.Truthy() {
			n.Call("focus")
		}
	})
}
