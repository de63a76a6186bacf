// Package web holds chainmap's browser UI: the sources in src/ are bundled with
// esbuild (npm, see package.json) into dist/, which is committed and embedded here,
// so `go run` needs no Node.
package web

import (
	"embed"
	"io/fs"
)

//go:embed dist
var dist embed.FS

// Assets returns the built UI files (index.html, app.js, app.css, maps).
func Assets() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err) // the directory is embedded at build time
	}
	return sub
}
