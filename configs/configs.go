// Package configs embeds the demo configuration, so `exportpipe run` works
// from the binary alone, and keeps the annotated examples beside it.
package configs

import _ "embed"

// Demo is the configuration `exportpipe run` uses when given no --config.
//
//go:embed demo.yaml
var Demo []byte
