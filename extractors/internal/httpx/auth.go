package httpx

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
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
// by an API, or a key inside a URL, never reaches a log or meta.runs.
type Redactor struct{ forms []string }

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
func (r Redactor) String(msg string) (string, bool) {
	changed := false
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
