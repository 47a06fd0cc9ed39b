package parse

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

type tokKind uint8

const (
	tNum  tokKind = iota // digits with ',' and '.' separators
	tWord                // letters and currency symbols: "US", "$", "Rs.", "৳"
	tDash                // a range separator or a minus sign
	tPlus                // an open upper bound
)

type token struct {
	kind tokKind
	text string
	kilo bool // a "k" suffix: "$2.5k"
}

// tokenize splits the amount part of a price. Spaces of every kind
// separate tokens; anything that is not a digit, letter, currency symbol,
// dash or plus makes the price unparseable.
func tokenize(s string, toks []token) ([]token, error) {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case isSpace(r):
			i += size
		case r < utf8.RuneSelf && isDigit(byte(r)) || r == '.' && i+1 < len(s) && isDigit(s[i+1]):
			var t token
			t, i = numberToken(s, i)
			toks = append(toks, t)
		case isDash(r):
			toks = append(toks, token{kind: tDash, text: s[i : i+size]})
			i += size
		case r == '+':
			toks = append(toks, token{kind: tPlus, text: "+"})
			i += size
		case isWordRune(r):
			j := wordEnd(s, i)
			toks = append(toks, wordToken(s[i:j], toks))
			i = j
		default:
			return toks, fmt.Errorf("%w: unexpected %q", ErrUnparseable, r)
		}
	}
	return toks, nil
}

func numberToken(s string, i int) (token, int) {
	j := scanNumber(s, i)
	t := token{kind: tNum, text: s[i:j]}
	if j < len(s) && (s[j] == 'k' || s[j] == 'K') {
		next, _ := utf8.DecodeRuneInString(s[j+1:])
		if j+1 == len(s) || !unicode.IsLetter(next) {
			t.kilo = true
			j++
		}
	}
	return t, j
}

// wordToken treats "to" between two amounts as a range separator.
func wordToken(w string, prev []token) token {
	if strings.EqualFold(w, "to") && len(prev) > 0 && prev[len(prev)-1].kind == tNum {
		return token{kind: tDash, text: w}
	}
	return token{kind: tWord, text: w}
}

// wordEnd returns the end of the word starting at s[i]. Dots belong to
// words so "Rs." and "U.S.$" stay whole. A dot before a digit is the
// amount's decimal point ("$.99") unless the word ends in a letter: an
// abbreviation's dot stays with it even with no space after it, because
// Daraz.pk writes "Rs.207" for 207 rupees, and reading ".207" as the
// amount would store 0.207.
func wordEnd(s string, i int) int {
	var lastNonDot rune
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == '.' && i+1 < len(s) && isDigit(s[i+1]) && !unicode.IsLetter(lastNonDot) {
			break
		}
		if !isWordRune(r) && r != '.' {
			break
		}
		if r != '.' {
			lastNonDot = r
		}
		i += size
	}
	return i
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.Is(unicode.Sc, r)
}

func isDash(r rune) bool {
	switch r {
	case '-', '~', '–', '—', '−', '‐', '‑':
		return true
	}
	return false
}
