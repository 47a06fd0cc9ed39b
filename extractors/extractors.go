// Package extractors registers the built-in kinds of source. Importing it
// (for its side effect, as database/sql drivers are imported) is what
// lets a config name them; the CLI and the benchmarks do, so both build
// sources the same way, through pipeline's registry:
//
//	kind: http_json  (http: section)  extractors/httpjson
//	kind: file       (file: section)  extractors/files
//
// A new kind is a package that calls pipeline.RegisterSourceKind in an
// init, and one more import line here.
package extractors

import (
	_ "github.com/exportpipe/exportpipe/extractors/files"
	_ "github.com/exportpipe/exportpipe/extractors/httpjson"
)
