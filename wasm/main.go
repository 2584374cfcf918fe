package main

import (
	planner "github.com/funnelplan/funnelplan/app"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

func main() {
	planner.Mark("main")
	app.Route("/", func() app.Composer { return planner.New() })
	app.RunWhenOnBrowser() // blocks in the browser; returns at once natively
	serverMain()           // only the native build does anything
}
