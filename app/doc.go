// Package app is the browser planner: go-app v10 components that edit a
// funnel plan and show the core's results live, plus the plumbing a browser
// app needs around them: undo and redo, local autosave with a format
// version, share links carrying the plan in the URL fragment, and import
// and export of plan files, result tables and charts.
//
// Every number shown comes from package core and every chart from package
// core/chart; this package only edits plans and lays results out. Code that
// needs a browser runs in OnMount or in event handlers, so Render also runs
// natively (static prerendering and component tests).
//
// Test hooks (DESIGN.md): data-testid "app" (the root, data-ready="true"
// after mount), "top", "rate-<stage id>", "revenue" and "customers"
// (data-value holds the raw number), "funnel-chart" and "import-error".
package app
