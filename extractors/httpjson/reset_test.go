package httpjson

import (
	"testing"
)

// A connection closed before any answer is an attempt the figures must
// count, with or without a rate limit. Without one, net/http used to
// replay the GET on a fresh connection behind the retry policy's back, so
// meta.run_steps showed neither the retry nor the request.
func TestResetsAreCountedWithoutRateLimit(t *testing.T) {
	t.Parallel()
	api := newAPI(t, "cursor", 53, 10, faults["connection reset"])
	cfg := sellerConfig(api)
	cfg.RPS, cfg.Burst = 0, 0
	ids, stats, err := collect(t, mustNew(t, cfg))
	if err != nil {
		t.Fatal(err)
	}
	exactlyOnce(t, ids, 53)
	if stats.Retries != 2 || stats.Requests != api.calls.Load() {
		t.Fatalf("stats %+v after 2 resets; the server saw %d requests", stats, api.calls.Load())
	}
}
