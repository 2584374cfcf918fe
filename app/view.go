package app

import (
	"html"
	"strconv"
	"strings"

	"github.com/funnelplan/funnelplan/core"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// Render lays out the page. It is pure: every number comes from the
// results computed after the last edit.
func (c *Planner) Render() app.UI {
	c.init()
	defer Mark("rendered")
	cls := "planner"
	if c.present {
		cls += " present"
	}
	return app.Div().
		Class(cls).
		Attr("data-testid", "app").
		Attr("data-ready", strconv.FormatBool(c.ready)). // DataSet would format the bool with fmt
		OnClick(c.onClick).OnChange(c.onChange).
		Body(
			c.renderHeader(),
			c.renderUpdate(),
			c.renderMessages(),
			c.renderScenarioBar(),
			app.Div().Class("columns").Body(
				app.If(!c.present, func() app.UI {
					return app.Section().Class("editor").Attr("aria-label", "Plan editor").Body(c.renderEditor()...)
				}),
				app.Section().Class("results").Attr("aria-label", "Results").Body(c.renderResults()...),
			),
			app.If(c.present, func() app.UI { return c.renderPresentSliders() }),
			app.If(!c.present, func() app.UI { return app.Raw(footer) }),
		)
}

// footer says where the plans are kept and lists the keys.
const footer = `<footer class="foot">Everything stays in this browser: plans autosave locally and share links carry the plan in the link itself. ` +
	`<span class="keys">Keys: Ctrl+Z undo · Ctrl+Shift+Z redo · P present</span></footer>`

func (c *Planner) renderHeader() app.UI {
	p := c.doc.Plan
	return app.Header().Class("bar").Body(
		app.Raw(`<h1 class="brand">funnelplan</h1>`),
		app.If(!c.present, func() app.UI {
			return app.Input().Class("plan-name").Type("text").Value(p.Name).
				Attr("aria-label", "Plan name").Attr("data-testid", "plan-name").
				OnInput(func(ctx app.Context, e app.Event) {
					v := ctx.JSSrc().Get("value").String()
					c.edit("name", func(d *Doc) error { d.Plan.Name = v; return nil })
				}).OnChange(c.endEdit)
		}).Else(func() app.UI {
			return app.Span().Class("plan-title").Text(p.Name)
		}),
		app.Raw(c.actionsHTML()),
	)
}

// actionsHTML is the header's buttons (onClick runs them) with the import,
// export and share controls (fileActions) outside presentation mode.
func (c *Planner) actionsHTML() string {
	var b strings.Builder
	b.WriteString(`<nav class="actions" aria-label="Plan actions">`)
	button(&b, "", "Undo", "Undo (Ctrl+Z)", "undo", !c.doc.CanUndo(), doAttr("undo"))
	button(&b, "", "Redo", "Redo (Ctrl+Shift+Z)", "redo", !c.doc.CanRedo(), doAttr("redo"))
	if !c.present {
		b.WriteString(fileActions)
	}
	label := "Present"
	if c.present {
		label = "Exit presentation"
	}
	button(&b, "primary", label, "Presentation mode: large type; ←/→ scenarios, ↑/↓ stage, +/− rate, Esc exits", "present", false,
		` aria-pressed="`+strconv.FormatBool(c.present)+`"`+doAttr("present"))
	b.WriteString(`</nav>`)
	return b.String()
}

// button writes a button element; extra holds further attributes.
func button(b *strings.Builder, class, text, title, testid string, disabled bool, extra string) {
	b.WriteString(`<button`)
	if class != "" {
		b.WriteString(` class="` + class + `"`)
	}
	if title != "" {
		b.WriteString(` title="` + html.EscapeString(title) + `"`)
	}
	if testid != "" {
		b.WriteString(` data-testid="` + html.EscapeString(testid) + `"`)
	}
	if disabled {
		b.WriteString(` disabled`)
	}
	b.WriteString(extra + `>` + html.EscapeString(text) + `</button>`)
}

// fileActions are the import, export and share controls: the file input
// is read when a file is chosen (onChange), the buttons run on click.
var fileActions = func() string {
	var b strings.Builder
	b.WriteString(`<span class="file-actions">` +
		`<input id="import-file" class="hidden-file" type="file" accept=".json,application/json" data-testid="import-file" aria-label="Import a plan file" data-change="import">` +
		`<label class="button" for="import-file" title="Open a plan file (.json)">Import…</label>`)
	button(&b, "", "Export plan", "", "export-plan", false, doAttr("export-plan"))
	button(&b, "", "Export CSV", "The funnel and key figures as CSV", "export-csv", false, doAttr("export-csv"))
	button(&b, "", "Share link", "", "share", false, doAttr("share"))
	button(&b, "", "Example", "Start again from the bundled example plan", "", false, doAttr("example"))
	b.WriteString(`</span>`)
	return b.String()
}()

// loadExample starts again from the bundled example plan (an undoable edit).
func (c *Planner) loadExample() {
	c.doc.Replace(examplePlan())
	c.notice = "Loaded the example plan (Undo brings your plan back)."
	c.changed()
}

func (c *Planner) renderMessages() app.UI {
	return app.Div().Class("messages").Body(
		app.Raw(importErrorHTML(c.importErr)),
		app.If(c.corruptMsg != "" || (c.corruptRaw != "" && c.corruptMsg == ""), func() app.UI {
			msg := c.corruptMsg
			if msg == "" {
				msg = "An earlier saved plan could not be read."
			}
			return app.Div().Class("msg warn").Attr("data-testid", "corrupt-save").Attr("role", "alert").Body(
				app.Text(msg+". The planner started from the example; the unreadable text is kept. "),
				app.Button().Class("link").Text("Download the unreadable text").
					OnClick(func(ctx app.Context, e app.Event) {
						download("funnelplan-unreadable.txt", "text/plain", []byte(c.corruptRaw))
					}),
				app.Button().Class("link").Text("Forget it").
					OnClick(func(ctx app.Context, e app.Event) {
						c.store.Del(CorruptKey)
						c.corruptMsg, c.corruptRaw = "", ""
					}),
			)
		}),
		app.If(c.shareURL != "", func() app.UI {
			return app.Div().Class("msg info").Body(
				app.Label().For("share-url").Text("Share link (copied): "),
				app.Input().ID("share-url").Type("text").ReadOnly(true).Value(c.shareURL).Attr("data-testid", "share-url").
					OnFocus(func(ctx app.Context, e app.Event) { ctx.JSSrc().Call("select") }),
				app.Button().Class("link").Text("Close").OnClick(func(ctx app.Context, e app.Event) { c.shareURL = "" }),
			)
		}),
		app.If(c.saveErr != "", func() app.UI {
			return app.Div().Class("msg error").Attr("role", "alert").Text(c.saveErr)
		}),
		app.If(c.editErr != "", func() app.UI {
			return app.Div().Class("msg error").Attr("role", "alert").Text(c.editErr)
		}),
		app.If(c.viewErr != nil, func() app.UI {
			return app.Div().Class("msg error").Attr("role", "alert").Attr("data-testid", "scenario-error").
				Text("This scenario cannot be applied: " + errText(c.viewErr))
		}),
		app.If(len(c.problems) > 0, func() app.UI {
			return app.Div().Class("msg warn").Attr("role", "status").Attr("data-testid", "problems").Body(
				app.P().Text(problemsIntro(c.stale)),
				app.Ul().Body(app.Range(c.problems).Slice(func(i int) app.UI {
					return app.Li().Text(c.problems[i].String())
				})),
			)
		}),
		app.Div().Class("notice").Attr("role", "status").Attr("aria-live", "polite").Text(c.notice),
	)
}

// importErrorHTML is the place where an import or share-link problem is
// explained (data-testid import-error), hidden while there is none.
func importErrorHTML(msg string) string {
	hidden := ""
	if msg == "" {
		hidden = " hidden"
	}
	return `<div class="msg error" data-testid="import-error" role="alert"` + hidden + `><pre>` + html.EscapeString(msg) + `</pre>` +
		`<button class="link"` + doAttr("dismiss-import") + `>Dismiss</button></div>`
}

func problemsIntro(stale bool) string {
	if stale {
		return "The plan has problems to fix; the results show the last valid plan:"
	}
	return "The plan has problems to fix:"
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// renderScenarioBar lists the baseline and the scenarios as tabs.
func (c *Planner) renderScenarioBar() app.UI {
	p := c.doc.Plan
	var b strings.Builder
	b.WriteString(`<nav class="scenarios" aria-label="Scenarios"><div role="tablist" class="tabs">`)
	tab := func(n int, id, name string) {
		label := name
		if c.present {
			label = strconv.Itoa(n) + " " + name
		}
		button(&b, "tab", label, "Show "+name+" (key "+strconv.Itoa(n)+" in presentation mode)", "scenario-tab-"+orBaseline(id), false,
			` role="tab" aria-selected="`+strconv.FormatBool(c.doc.Scenario == id)+`"`+doAttr("scenario:"+id))
	}
	tab(0, "", "Baseline")
	for i, s := range p.Scenarios {
		tab(i+1, s.ID, scenarioName(s))
	}
	b.WriteString(`</div>`)
	if !c.present {
		button(&b, "add", "+ Scenario", "New scenario from what is on screen; then edit values to record its changes", "new-scenario", false, doAttr("new-scenario"))
		if c.doc.Scenario != "" {
			b.WriteString(`<span class="hint">Value edits now change this scenario, not the baseline.</span>`)
		}
	}
	b.WriteString(`</nav>`)
	return app.Raw(b.String())
}

// newScenario starts a scenario from what is on screen and opens its
// editor.
func (c *Planner) newScenario() {
	c.edit("", func(d *Doc) error {
		d.NewScenario("Scenario " + strconv.Itoa(len(d.Plan.Scenarios)+1))
		return nil
	})
	c.open["scenario"] = true
}

func orBaseline(id string) string {
	if id == "" {
		return "baseline"
	}
	return id
}

func scenarioName(s core.Scenario) string {
	if s.Name != "" {
		return s.Name
	}
	return s.ID
}
