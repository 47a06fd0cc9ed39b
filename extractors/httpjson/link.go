package httpjson

import "strings"

// NextLink returns the target of the rel="next" link in RFC 8288 Link
// header values, or "". It tolerates what servers really send: several
// header lines, several links per line, commas inside <...>, quoted or bare
// parameter values, several relation types in one rel, and any case.
func NextLink(values []string) string {
	for _, v := range values {
		for _, l := range ParseLinks(v) {
			if l.HasRel("next") {
				return l.URL
			}
		}
	}
	return ""
}

// Link is one link of a Link header.
type Link struct {
	URL    string
	Params map[string]string // keys lowercased
}

// HasRel reports whether the link's rel parameter includes rel.
func (l Link) HasRel(rel string) bool {
	for _, r := range strings.Fields(l.Params["rel"]) {
		if strings.EqualFold(r, rel) {
			return true
		}
	}
	return false
}

// ParseLinks parses one Link header value. Malformed links are skipped
// rather than failing the page: pagination then simply ends.
func ParseLinks(s string) []Link {
	var out []Link
	for {
		start := strings.IndexByte(s, '<')
		if start < 0 {
			return out
		}
		end := strings.IndexByte(s[start:], '>')
		if end < 0 {
			return out
		}
		l := Link{URL: strings.TrimSpace(s[start+1 : start+end]), Params: map[string]string{}}
		s = parseParams(s[start+end+1:], l.Params)
		out = append(out, l)
	}
}

// parseParams reads ";k=v" pairs up to the comma that ends a link and
// returns the rest of the header.
func parseParams(s string, into map[string]string) string {
	for {
		s = strings.TrimLeft(s, " \t")
		if s == "" || s[0] == ',' {
			return strings.TrimPrefix(s, ",")
		}
		if s[0] != ';' {
			// Junk between links: skip to the next link.
			if i := strings.IndexByte(s, ','); i >= 0 {
				return s[i+1:]
			}
			return ""
		}
		s = strings.TrimLeft(s[1:], " \t")
		i := strings.IndexAny(s, "=;,")
		if i < 0 {
			into[strings.ToLower(strings.TrimSpace(s))] = ""
			return ""
		}
		key := strings.ToLower(strings.TrimSpace(s[:i]))
		if s[i] != '=' {
			into[key] = ""
			s = s[i:]
			continue
		}
		var val string
		val, s = paramValue(strings.TrimLeft(s[i+1:], " \t"))
		into[key] = val
	}
}

// paramValue reads a quoted string (with \-escapes) or a bare token.
func paramValue(s string) (string, string) {
	if s == "" || s[0] != '"' {
		i := strings.IndexAny(s, ";,")
		if i < 0 {
			return strings.TrimSpace(s), ""
		}
		return strings.TrimSpace(s[:i]), s[i:]
	}
	var sb strings.Builder
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			if i+1 < len(s) {
				i++
				sb.WriteByte(s[i])
			}
		case '"':
			return sb.String(), s[i+1:]
		default:
			sb.WriteByte(s[i])
		}
	}
	return sb.String(), ""
}
