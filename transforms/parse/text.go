package parse

import (
	"fmt"
	"html"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// CleanText normalises free text (titles, names, cities, vessel names):
// HTML tags removed and entities decoded, control and format characters
// dropped (except joiners inside words, see collapseSpace), every run of
// whitespace (no-break and zero-width spaces included) made one space,
// trimmed, and composed to Unicode NFC so "é" written as e + U+0301 and
// as U+00E9 compare equal in SQL.
//
// Invalid UTF-8 is repaired: each bad byte sequence becomes U+FFFD and
// repaired reports true. Free text is worth keeping with a visible mark;
// the transforms reject invalid UTF-8 only in identifiers and codes,
// where a replaced byte would change what the value names.
func CleanText(s string) (out string, repaired bool) {
	if isPlainASCII(s) {
		return strings.TrimSpace(s), false
	}
	if !utf8.ValidString(s) {
		s, repaired = strings.ToValidUTF8(s, "\uFFFD"), true
	}
	if strings.IndexByte(s, '<') >= 0 {
		s = stripTags(s)
	}
	if strings.IndexByte(s, '&') >= 0 {
		s = html.UnescapeString(s)
	}
	s = collapseSpace(s)
	if !norm.NFC.IsNormalString(s) {
		s = norm.NFC.String(s)
	}
	return s, repaired
}

// isPlainASCII is the fast path: printable ASCII with single inner spaces
// and nothing that could be markup needs only trimming.
func isPlainASCII(s string) bool {
	prevSpace := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= 0x7f || c == '<' || c == '&' {
			return false
		}
		if c == ' ' && prevSpace {
			return false
		}
		prevSpace = c == ' '
	}
	return true
}

// stripTags removes <tag ...>, </tag> and <!-- --> markup. A '<' not
// followed by a letter, '/' or '!' is text ("size < 5").
func stripTags(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		if s[i] == '<' && i+1 < len(s) && isTagStart(s[i+1]) {
			if j := strings.IndexByte(s[i:], '>'); j > 0 {
				b.WriteByte(' ') // "a<br>b" is two words
				i += j + 1
				continue
			}
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}

func isTagStart(c byte) bool {
	return c == '/' || c == '!' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// collapseSpace drops control and format characters and turns runs of
// space into one ' ', trimming both ends. The zero-width non-joiner and
// joiner (U+200C, U+200D) are the exception: between two letters, marks
// or emoji they change how the word is written (Persian and Urdu می‌خواهم,
// Bengali conjuncts, emoji sequences), so one is kept there; anywhere else
// (at an end, beside a space or punctuation, or after another joiner) it
// joins nothing and is dropped.
func collapseSpace(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	pending := false   // a space is owed before the next character
	var joiner rune    // a joiner waiting to see what follows it
	var last rune = -1 // the last character written
	for _, r := range s {
		switch {
		case isSpace(r):
			pending = b.Len() > 0
			joiner = 0
		case r == zeroWidthNonJoiner || r == zeroWidthJoiner:
			if joiner == 0 && !pending && joinable(last) {
				joiner = r
			}
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r):
			continue
		default:
			if pending {
				b.WriteByte(' ')
				pending = false
			} else if joiner != 0 && joinable(r) {
				b.WriteRune(joiner)
			}
			joiner = 0
			b.WriteRune(r)
			last = r
		}
	}
	return b.String()
}

const (
	zeroWidthNonJoiner = '\u200c'
	zeroWidthJoiner    = '\u200d'
)

// joinable reports whether a joiner beside r can change how text is
// shown: letters and combining marks (a Bengali virama, an emoji's
// variation selector), and the symbols emoji sequences are made of
// (other symbols, and modifier symbols for skin tones).
func joinable(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsMark(r) || unicode.In(r, unicode.So, unicode.Sk)
}

// CheckUTF8 rejects a code or identifier that is not valid UTF-8.
func CheckUTF8(s string) error {
	if utf8.ValidString(s) {
		return nil
	}
	return fmt.Errorf("%w: %q", ErrInvalidUTF8, strings.ToValidUTF8(s, "\uFFFD"))
}
