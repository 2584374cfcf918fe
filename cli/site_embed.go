//go:build embedweb

package main

import (
	"embed"
	"io/fs"
)

// site is a copy of the built static site (dist/), put in cli/site by
// "make build-embed" so that one binary carries the whole app.
//
//go:embed all:site
var site embed.FS

func embeddedSite() (fs.FS, bool) {
	sub, err := fs.Sub(site, "site")
	if err != nil {
		return nil, false
	}
	return sub, true
}
