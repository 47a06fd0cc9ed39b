package parse

// FoldName is the lookup key the country, port and category tables use:
// lower case, common diacritics removed, punctuation as single spaces. It
// is exported so reference tables loaded from files match the same way.
func FoldName(s string) string { return fold(s) }

// IsLOCODE reports whether c has the shape of a UN/LOCODE: two country
// letters, then three letters or digits 2-9.
func IsLOCODE(c string) bool { return isLOCODE(c) }
