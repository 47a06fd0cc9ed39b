package parse

import (
	"unicode"

	"github.com/exportpipe/exportpipe/internal/namekey"
)

// fold is the lookup key of names in this package's tables; see
// namekey.Fold, which pipeline shares so that a config's names are checked
// against the tables with the same key.
func fold(s string) string { return namekey.Fold(s) }

// compact is fold without the spaces, for codes whose spelling varies in
// spacing and punctuation ("P.N.S.C.", "CMA-CGM", "PK KHI").
func compact(s string) string { return namekey.Compact(s) }

// isSpace reports whether r separates words, including the no-break spaces
// (U+00A0, U+202F) that scraped marketplace pages put inside prices.
func isSpace(r rune) bool {
	return r == ' ' || unicode.IsSpace(r) || r == '\u200b'
}
