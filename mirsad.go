// Package mirsad embeds the files the binary carries with it: the bundled
// demo news sites that `mirsad demo` serves and ingests, so the demo works
// from any directory.
package mirsad

import "embed"

// DemoSites holds testdata/site: one folder per demo outlet.
//
//go:embed testdata/site
var DemoSites embed.FS
