// Package reference loads full reference files (UN/LOCODE, ISO 3166
// country codes, the HS nomenclature, the ITU MID list, ECB and Fed H.10
// exchange rates) in the layouts of their public distributions, so a
// deployment can extend the compact tables built into transforms/parse.
// The built-in tables always answer first; a loaded file only adds what
// they do not know, so a bad file cannot change a value the demo relies on.
//
// Loaders take an io.Reader: the file may come from disk (LoadFile) or
// from an HTTP body fetched by an extractor, which keeps this package free
// of network code.
package reference

import "errors"

// ErrLayout means a reference file is not in the expected layout.
var ErrLayout = errors.New("unexpected reference file layout")
