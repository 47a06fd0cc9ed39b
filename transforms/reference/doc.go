// Package reference loads full reference files (UN/LOCODE, ISO 3166
// country codes, the HS nomenclature, the ITU MID list, ECB and Fed H.10
// exchange rates) in the layouts of their public distributions, so a
// deployment can extend the compact tables built into transforms/parse.
// The built-in tables always answer first; a loaded file only adds what
// they do not know, so a bad file cannot change a value the demo relies on.
//
// Loaders take an io.Reader. LoadFiles and LoadFXFiles open each named
// file with Open: a local path, or an http(s) URL downloaded with a
// timeout and a size limit, whose errors name the URL without its query
// string.
package reference

import "errors"

// ErrLayout means a reference file is not in the expected layout.
var ErrLayout = errors.New("unexpected reference file layout")
