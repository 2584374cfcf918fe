package app

import (
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// watchUpdates asks the service worker to look for a new version of the
// site on every page load, and shows the new-version banner once a new
// version has taken over. The worker of a new version caches the whole
// version first, then deletes the caches of every other version and claims
// the page: from then on a reload runs the new version, offline too.
//
// The page listens to navigator.serviceWorker's controllerchange: go-app's
// own notice (OnAppUpdate) listens to updatefound after register()
// resolves and can miss it. On a slow machine the new worker can even take
// over before the page has mounted: then the caches already hold another
// version and not the page's own ("app-" + GOAPP_VERSION, go-app's cache
// name), which is checked at mount.
func (c *Planner) watchUpdates(ctx app.Context) {
	w := app.Window()
	sw := w.Get("navigator").Get("serviceWorker")
	if !sw.Truthy() {
		return
	}
	ignore := app.FuncOf(func(app.Value, []app.Value) any { return nil })
	// On the first visit the worker's first claim is no update.
	controlled := sw.Get("controller").Truthy()
	sw.Call("addEventListener", "controllerchange", app.FuncOf(func(app.Value, []app.Value) any {
		if controlled {
			ctx.Dispatch(func(ctx app.Context) { c.updated = true })
		}
		controlled = true
		return nil
	}))
	sw.Get("ready").Call("then", app.FuncOf(func(_ app.Value, args []app.Value) any {
		if len(args) > 0 && args[0].Truthy() {
			// update() rejects offline; nothing to tell then.
			args[0].Call("update").Call("catch", ignore)
		}
		return nil
	}))

	// The new worker may have taken over before the page mounted.
	caches := w.Get("caches")
	version := app.Getenv("GOAPP_VERSION")
	if !caches.Truthy() || version == "" {
		return
	}
	own := "app-" + version
	caches.Call("keys").Call("then", app.FuncOf(func(_ app.Value, args []app.Value) any {
		if len(args) == 0 || !args[0].Truthy() {
			return nil
		}
		mine, other := false, false
		for i := 0; i < args[0].Length(); i++ {
			switch k := args[0].Index(i).String(); {
			case k == own:
				mine = true
			case strings.HasPrefix(k, "app-"):
				other = true
			}
		}
		if other && !mine {
			ctx.Dispatch(func(ctx app.Context) { c.updated = true })
		}
		return nil
	})).Call("catch", ignore)
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
