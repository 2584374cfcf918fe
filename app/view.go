package app

import (
	"fmt"
	"strconv"

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
			app.If(!c.present, func() app.UI {
				return app.Footer().Class("foot").Body(
					app.Text("Everything stays in this browser: plans autosave locally and share links carry the plan in the link itself. "),
					app.Span().Class("keys").Text("Keys: Ctrl+Z undo · Ctrl+Shift+Z redo · P present"),
				)
			}),
		)
}

func (c *Planner) renderHeader() app.UI {
	p := c.doc.Plan
	return app.Header().Class("bar").Body(
		app.H1().Class("brand").Text("funnelplan"),
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
		app.Nav().Class("actions").Attr("aria-label", "Plan actions").Body(
			app.Button().Text("Undo").Title("Undo (Ctrl+Z)").Disabled(!c.doc.CanUndo()).
				Attr("data-testid", "undo").OnClick(func(ctx app.Context, e app.Event) { c.undo() }),
			app.Button().Text("Redo").Title("Redo (Ctrl+Shift+Z)").Disabled(!c.doc.CanRedo()).
				Attr("data-testid", "redo").OnClick(func(ctx app.Context, e app.Event) { c.redo() }),
			app.If(!c.present, func() app.UI { return app.Span().Class("file-actions").Body(c.fileActions()...) }),
			app.Button().Class("primary").Attr("data-testid", "present").
				Attr("aria-pressed", c.present).
				Text(map[bool]string{false: "Present", true: "Exit presentation"}[c.present]).
				Title("Presentation mode: large type; ←/→ scenarios, ↑/↓ stage, +/− rate, Esc exits").
				OnClick(func(ctx app.Context, e app.Event) { c.present = !c.present }),
		),
	)
}

// fileActions are the import, export and share controls.
func (c *Planner) fileActions() []app.UI {
	return []app.UI{
		app.Input().ID("import-file").Class("hidden-file").Type("file").Accept(".json,application/json").
			Attr("data-testid", "import-file").Attr("aria-label", "Import a plan file").
			OnChange(func(ctx app.Context, e app.Event) {
				readFile(ctx, ctx.JSSrc(), func(ctx app.Context, name, text string, err error) {
					c.importPlan(name, []byte(text), err)
				})
			}),
		app.Label().Class("button").For("import-file").Text("Import…").Title("Open a plan file (.json)"),
		app.Button().Text("Export plan").Attr("data-testid", "export-plan").
			OnClick(func(ctx app.Context, e app.Event) { c.exportPlan() }),
		app.Button().Text("Export CSV").Title("The funnel and key figures as CSV").Attr("data-testid", "export-csv").
			OnClick(func(ctx app.Context, e app.Event) { c.exportCSV() }),
		app.Button().Text("Share link").Attr("data-testid", "share").
			OnClick(func(ctx app.Context, e app.Event) { c.share() }),
		app.Button().Text("Example").Title("Start again from the bundled example plan").
			OnClick(func(ctx app.Context, e app.Event) {
				c.doc.Replace(examplePlan())
				c.notice = "Loaded the example plan (Undo brings your plan back)."
				c.changed()
			}),
	}
}

func (c *Planner) renderMessages() app.UI {
	return app.Div().Class("messages").Body(
		app.Div().Class("msg error").Attr("data-testid", "import-error").Attr("role", "alert").
			Hidden(c.importErr == "").Body(
			app.Pre().Text(c.importErr),
			app.Button().Class("link").Text("Dismiss").OnClick(func(ctx app.Context, e app.Event) { c.importErr = "" }),
		),
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
	tab := func(n int, id, name string) app.UI {
		sel := c.doc.Scenario == id
		label := name
		if c.present {
			label = strconv.Itoa(n) + " " + name
		}
		return app.Button().Class("tab").Attr("role", "tab").Attr("aria-selected", sel).
			Attr("data-testid", "scenario-tab-"+orBaseline(id)).
			Title("Show " + name + " (key " + strconv.Itoa(n) + " in presentation mode)").
			Text(label).
			OnClick(func(ctx app.Context, e app.Event) { c.selectScenario(id) })
	}
	return app.Nav().Class("scenarios").Attr("aria-label", "Scenarios").Body(
		app.Div().Attr("role", "tablist").Class("tabs").Body(
			tab(0, "", "Baseline"),
			app.Range(p.Scenarios).Slice(func(i int) app.UI {
				s := p.Scenarios[i]
				return tab(i+1, s.ID, scenarioName(s))
			}),
		),
		app.If(!c.present, func() app.UI {
			return app.Button().Class("add").Attr("data-testid", "new-scenario").
				Title("New scenario from what is on screen; then edit values to record its changes").
				Text("+ Scenario").
				OnClick(func(ctx app.Context, e app.Event) {
					c.edit("", func(d *Doc) error {
						d.NewScenario(fmt.Sprintf("Scenario %d", len(d.Plan.Scenarios)+1))
						return nil
					})
					c.open["scenario"] = true
				})
		}),
		app.If(c.doc.Scenario != "" && !c.present, func() app.UI {
			return app.Span().Class("hint").Text("Value edits now change this scenario, not the baseline.")
		}),
	)
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
