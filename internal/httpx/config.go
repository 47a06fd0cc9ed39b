package httpx

import (
	"fmt"
	"regexp"
	"slices"
	"time"

	"github.com/exportpipe/exportpipe/pipeline"
)

// AuthConfig is a source's auth: section. It names the environment
// variable holding the credential, never the credential, so its value is
// known to be a secret wherever it goes.
type AuthConfig struct {
	Type     string `yaml:"type"` // bearer | header | query | basic
	TokenEnv string `yaml:"token_env"`
	Header   string `yaml:"header"` // type header: e.g. X-API-Key
	Param    string `yaml:"param"`  // type query: e.g. api_key
}

// RateLimit is a source's rate_limit: section. Every attempt counts,
// retries included, so a published limit is never exceeded.
type RateLimit struct {
	RPS   float64 `yaml:"rps"`
	Burst int     `yaml:"burst"`
}

// AuthFromConfig reads the credential named by a source's auth section
// from the environment. The value is returned as a secret so every error
// of the source redacts it.
func AuthFromConfig(a *AuthConfig, env func(string) (string, bool)) (Auth, error) {
	if a == nil {
		return Auth{}, nil
	}
	tok, ok := env(a.TokenEnv)
	if !ok || tok == "" {
		return Auth{}, fmt.Errorf("auth: environment variable %s is not set: export it with the API credential", a.TokenEnv)
	}
	out := Auth{Type: a.Type, Token: tok, Header: a.Header, Param: a.Param}
	return out, out.Check()
}

// RateFromConfig returns the rate limit of a source (0 = none).
func RateFromConfig(r *RateLimit) (float64, int) {
	if r == nil {
		return 0, 0
	}
	return r.RPS, r.Burst
}

// Credentials names the variable an auth section reads, for the config's
// check that it is set and for its redaction.
func Credentials(a *AuthConfig) []pipeline.Credential {
	if a == nil || a.TokenEnv == "" {
		return nil
	}
	return []pipeline.Credential{{Key: "auth.token_env", Env: a.TokenEnv}}
}

var credEnvName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// ValidateAccess checks what every kind that reaches HTTP shares: auth,
// rate_limit and max_retries of the block at at.
func ValidateAccess(at string, a *AuthConfig, rl *RateLimit, retries int) []error {
	var errs []error
	bad := func(path, format string, args ...any) {
		errs = append(errs, pipeline.ErrorAt(at+path, format, args...))
	}
	if a != nil {
		if !slices.Contains([]string{"bearer", "header", "query", "basic"}, a.Type) {
			bad(".auth.type", " %q: want bearer, header, query or basic", a.Type)
		}
		if !credEnvName.MatchString(a.TokenEnv) {
			bad(".auth.token_env", " %q: name the environment variable that holds the credential (not the value)", a.TokenEnv)
		}
		if a.Type == "header" && a.Header == "" {
			bad(".auth.header", ": auth type header needs the header name, e.g. X-API-Key")
		}
		if a.Type == "query" && a.Param == "" {
			bad(".auth.param", ": auth type query needs the parameter name, e.g. api_key")
		}
	}
	if rl != nil && (rl.RPS <= 0 || rl.Burst < 0) {
		bad(".rate_limit", ": rps must be > 0 and burst >= 0")
	}
	if retries < -1 {
		bad(".max_retries", ": use -1 for no retries, 0 for the default (5), or a positive number")
	}
	return errs
}

// Limit is one number of a block that must not be negative.
type Limit struct {
	Key   string
	Value int64
}

// NotNegative reports each limit below zero, in the order given.
func NotNegative(at string, limits ...Limit) []error {
	var errs []error
	for _, l := range limits {
		if l.Value < 0 {
			errs = append(errs, pipeline.ErrorAt(at+"."+l.Key, " must not be negative, got %d: leave it out (or 0) for the default", l.Value))
		}
	}
	return errs
}

// Wait is one duration of a block that must not be negative.
type Wait struct {
	Key   string
	Value time.Duration
}

// NotNegativeDurations reports each duration below zero, in the order given.
func NotNegativeDurations(at string, waits ...Wait) []error {
	var errs []error
	for _, w := range waits {
		if w.Value < 0 {
			errs = append(errs, pipeline.ErrorAt(at+"."+w.Key, " must not be negative, got %s", w.Value))
		}
	}
	return errs
}
