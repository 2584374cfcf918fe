package app

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// watchUpdates asks the service worker to look for a new version of the
// site on every page load, and shows the new-version banner once a new
// version has taken over. The worker caches the whole new version first,
// then claims the page: from then on a reload runs the new version, and it
// keeps working offline.
//
// The page listens to navigator.serviceWorker's controllerchange: go-app's
// own update notice (OnAppUpdate) listens to updatefound after register()
// resolves and can miss it; controllerchange is not missed.
func (c *Planner) watchUpdates(ctx app.Context) {
	sw := app.Window().Get("navigator").Get("serviceWorker")
	if !sw.Truthy() {
		return
	}
	// On the first visit the worker's first claim is no update.
	controlled := sw.Get("controller").Truthy()
	sw.Call("addEventListener", "controllerchange", app.FuncOf(func(app.Value, []app.Value) any {
		if !controlled {
			controlled = true
			return nil
		}
		ctx.Dispatch(func(ctx app.Context) { c.updated = true })
		return nil
	}))
	var check app.Func
	check = app.FuncOf(func(_ app.Value, args []app.Value) any {
		check.Release()
		if len(args) > 0 && args[0].Truthy() {
			// update() rejects offline; nothing to tell then.
			args[0].Call("update").Call("catch", app.FuncOf(func(app.Value, []app.Value) any { return nil }))
		}
		return nil
	})
	sw.Get("ready").Call("then", check)
}

// renderUpdate is the new-version banner (data-testid update-banner).
func (c *Planner) renderUpdate() app.UI {
	return app.If(c.updated, func() app.UI {
		return app.Div().Class("msg info").Attr("data-testid", "update-banner").Attr("role", "status").Body(
			app.Span().Text("A new version of the planner is ready; your plan is saved in this browser."),
			app.Button().Class("primary").Attr("data-testid", "update-reload").Text("Reload").
				OnClick(func(ctx app.Context, e app.Event) { app.Window().Get("location").Call("reload") }),
		)
	})
}
