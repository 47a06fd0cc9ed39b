package httpx

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// Auth styles a source can use. The secret itself always comes from an
// environment variable named in the config, so it is known to be a secret.
const (
	AuthNone   = ""
	AuthBearer = "bearer" // Authorization: Bearer <token>
	AuthHeader = "header" // <Header>: <token>, e.g. X-API-Key
	AuthQuery  = "query"  // ?<Param>=<token>
	AuthBasic  = "basic"  // Authorization: Basic, Token is "user:password"
)

// Auth says how to present a credential.
type Auth struct {
	Type   string
	Token  string
	Header string // for AuthHeader
	Param  string // for AuthQuery
}

// Check reports a configuration that cannot authenticate.
func (a Auth) Check() error {
	switch a.Type {
	case AuthNone:
		return nil
	case AuthBearer, AuthBasic:
	case AuthHeader:
		if a.Header == "" {
			return errors.New("auth type header needs auth.header (e.g. X-API-Key)")
		}
	case AuthQuery:
		if a.Param == "" {
			return errors.New("auth type query needs auth.param (e.g. api_key)")
		}
	default:
		return fmt.Errorf("auth type %q: want bearer, header, query or basic", a.Type)
	}
	if a.Token == "" {
		return errors.New("auth token is empty: set the environment variable named by auth.token_env")
	}
	return nil
}

// Apply adds the credential to a request.
func (a Auth) Apply(req *http.Request) {
	switch a.Type {
	case AuthBearer:
		req.Header.Set("Authorization", "Bearer "+a.Token)
	case AuthHeader:
		req.Header.Set(a.Header, a.Token)
	case AuthBasic:
		user, pass, _ := strings.Cut(a.Token, ":")
		req.SetBasicAuth(user, pass)
	case AuthQuery:
		q := req.URL.Query()
		q.Set(a.Param, a.Token)
		req.URL.RawQuery = q.Encode()
	}
}

// Redactor removes known secrets from error text, so a token echoed back
// by an API, or a key inside a URL, never reaches a log or meta.runs. It
// can also know whole URLs, which it shortens to RedactURL's form rather
// than hiding, so an error still says which file failed.
type Redactor struct {
	forms []string    // secrets, each replaced by [REDACTED]
	urls  [][2]string // URL as a message may carry it -> its redacted form
}

// NewRedactor knows every secret in the raw and URL-encoded forms a
// message could carry it in.
func NewRedactor(secrets ...string) Redactor {
	var r Redactor
	for _, s := range secrets {
		if len(s) < 4 {
			// Too short to redact without mangling ordinary text; such
			// values are not credentials.
			continue
		}
		r.forms = append(r.forms, s, url.QueryEscape(s), url.PathEscape(s))
	}
	return r
}

// WithURL returns a Redactor that also replaces raw, and the form net/url
// prints it in, by RedactURL(raw). Credentials in a URL's query or user
// information are not known as secrets in advance: a reference file's
// address is all the config gives.
func (r Redactor) WithURL(raw string) Redactor {
	safe := RedactURL(raw)
	if safe == raw {
		return r
	}
	r.urls = append(slices.Clone(r.urls), [2]string{raw, safe})
	if u, err := url.Parse(raw); err == nil && u.String() != raw {
		r.urls = append(r.urls, [2]string{u.String(), safe})
	}
	return r
}

// RedactURL drops the query, fragment and user information of an http(s)
// URL, where credentials travel, so the URL can be named in errors and
// logs. Anything that is not an http(s) URL is returned as it is.
func RedactURL(raw string) string {
	if p := strings.ToLower(raw); !strings.HasPrefix(p, "http://") && !strings.HasPrefix(p, "https://") {
		return raw
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparseable URL)"
	}
	u.User, u.Fragment, u.RawFragment = nil, "", ""
	if u.RawQuery != "" {
		u.RawQuery = "..."
	}
	return u.String()
}

// Redact returns err with every secret replaced, keeping its chain for
// errors.Is.
func (r Redactor) Redact(err error) error {
	if err == nil {
		return nil
	}
	msg, changed := r.String(err.Error())
	if !changed {
		return err
	}
	return redactedError{msg: msg, err: err}
}

// String redacts a message and reports whether anything was replaced.
// Whole URLs go first, so a secret inside one does not break the match.
func (r Redactor) String(msg string) (string, bool) {
	changed := false
	for _, u := range r.urls {
		if strings.Contains(msg, u[0]) {
			msg = strings.ReplaceAll(msg, u[0], u[1])
			changed = true
		}
	}
	for _, s := range r.forms {
		if strings.Contains(msg, s) {
			msg = strings.ReplaceAll(msg, s, "[REDACTED]")
			changed = true
		}
	}
	return msg, changed
}

// redactedError keeps the cause for errors.Is while printing the safe text.
type redactedError struct {
	msg string
	err error
}

func (r redactedError) Error() string { return r.msg }
func (r redactedError) Unwrap() error { return r.err }
