// Package textfmt writes numbers the way the CLI's summaries and the
// dashboard both show them to people.
package textfmt

import (
	"strconv"
	"strings"
)

// Thousands writes n with a comma between groups of three digits:
// 1234567 is "1,234,567".
func Thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
