package httpx

import (
	"fmt"

	"github.com/exportpipe/exportpipe/pipeline"
)

// AuthFromConfig reads the credential named by a source's auth section
// from the environment. The value is returned as a secret so every error
// of the source redacts it.
func AuthFromConfig(a *pipeline.AuthConfig, env func(string) (string, bool)) (Auth, error) {
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
func RateFromConfig(r *pipeline.RateLimit) (float64, int) {
	if r == nil {
		return 0, 0
	}
	return r.RPS, r.Burst
}
