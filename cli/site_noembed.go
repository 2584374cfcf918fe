//go:build !embedweb

package main

import "io/fs"

// embeddedSite reports that this binary carries no site: serve reads a
// directory. Build with -tags embedweb (make build-embed) to embed one.
func embeddedSite() (fs.FS, bool) { return nil, false }
