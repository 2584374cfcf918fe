// Command wasm is the funnelplan browser app.
//
// Built with GOOS=js GOARCH=wasm it is the app itself (web/app.wasm): it
// registers the planner page and hands control to go-app. Built natively it
// writes the static, offline-capable site and can serve it:
//
//	wasm -gen -out dist -web web   # write dist/ from web/ (app.wasm, CSS, icons)
//	wasm -serve dist -addr 127.0.0.1:8080
//
// The site's version (Handler.Version) is the first 16 hex digits of the
// SHA-256 of app.wasm and the other files of web/, so the service worker
// picks up every changed build and only changed builds. make web and make run drive both steps.
package main
