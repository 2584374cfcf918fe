// Package e2e holds the end-to-end tests of the browser app: they serve the
// static site of make web (dist/) and drive Debian's Chromium with chromedp.
// They run with make test-browser, which builds the site and sets
// FUNNELPLAN_DIST; without it they are skipped.
package e2e
