// Package namekey turns names as sources write them into lookup keys. It
// is shared by transforms/parse, whose tables are keyed this way, and by
// pipeline, which checks a config's names (carrier spellings) against the
// same tables and so must fold them exactly alike.
package namekey

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Fold reduces a name to a lookup key: lower case, common Latin diacritics
// removed, dots dropped (so "U.S.A." and "USA" meet), every other
// punctuation mark turned into a space, and runs of spaces collapsed.
// Replacing punctuation with a space rather than deleting it keeps "N/A"
// from turning into the code "NA".
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case r == '.' || r == '\'' || r == '’':
			continue
		case unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Sk, r):
			// A combining mark (NFD "São" is "Sa" + U+0303 + "o") or a
			// spacing one left by mojibake ("Abu Z¸aby" in sea-ports) belongs
			// to the letter before it; as a space it would split the word.
			continue
		case r == '&':
			// "Apparel & Accessories" and "Apparel and Accessories" are one name.
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString("and")
			space = true
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(unicode.ToLower(stripMark(r)))
		default:
			space = true
		}
	}
	return b.String()
}

// stripMark maps the accented letters that appear in country and port
// names onto their base letter. A full Unicode normalisation would pull in
// golang.org/x/text for a handful of names.
func stripMark(r rune) rune {
	if r < utf8.RuneSelf {
		return r
	}
	if m, ok := marks[unicode.ToLower(r)]; ok {
		return m
	}
	return r
}

var marks = map[rune]rune{
	'à': 'a', 'á': 'a', 'â': 'a', 'ã': 'a', 'ä': 'a', 'å': 'a',
	'ç': 'c', 'è': 'e', 'é': 'e', 'ê': 'e', 'ë': 'e',
	'ì': 'i', 'í': 'i', 'î': 'i', 'ï': 'i', 'ı': 'i', 'ñ': 'n',
	'ò': 'o', 'ó': 'o', 'ô': 'o', 'õ': 'o', 'ö': 'o', 'ø': 'o',
	'ù': 'u', 'ú': 'u', 'û': 'u', 'ü': 'u', 'ý': 'y', 'ÿ': 'y',
	'ğ': 'g', 'ş': 's', 'ș': 's', 'ț': 't', 'ł': 'l', 'ő': 'o', 'ű': 'u',
}

// Compact is Fold without the spaces, for names and codes whose spelling
// varies in spacing and punctuation ("P.N.S.C.", "CMA-CGM", "PK KHI").
func Compact(s string) string {
	return strings.ReplaceAll(Fold(s), " ", "")
}
