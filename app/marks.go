package app

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// Mark records a User Timing mark ("funnelplan:" + name) in the browser, so
// the start-up can be read in the browser's performance tools and by the
// benchmark; natively it does nothing.
func Mark(name string) {
	if !app.IsClient {
		return
	}
	app.Window().Get("performance").Call("mark", "funnelplan:"+name)
}
