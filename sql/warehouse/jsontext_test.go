//go:build duckdb_arrow

package warehouse

import (
	"encoding/json"
	"testing"
)

// DuckDB's to_json writes non-finite doubles as bare words JSON lacks;
// query turns them into the strings DuckDB writes as text, and leaves
// everything else, text that merely contains the words included, alone.
func TestJSONNonFinite(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		`NaN`:                           `"nan"`,
		`[Infinity,1.5,-Infinity,NaN]`:  `["inf",1.5,"-inf","nan"]`,
		`{"NaN":NaN,"x":"Infinity"}`:    `{"NaN":"nan","x":"Infinity"}`,
		`{"a\"NaN":[-Infinity]}`:        `{"a\"NaN":["-inf"]}`,
		`"\\"`:                          `"\\"`,
		`{"k":1,"j":"x"}`:               `{"k":1,"j":"x"}`,
		`[{"q":{"r":NaN}},"NaN\\",NaN]`: `[{"q":{"r":"nan"}},"NaN\\","nan"]`,
	} {
		got := jsonNonFinite(in)
		if got != want {
			t.Errorf("jsonNonFinite(%s) = %s, want %s", in, got, want)
		}
		if !json.Valid([]byte(got)) {
			t.Errorf("jsonNonFinite(%s) = %s is not JSON", in, got)
		}
	}
}

// Valid JSON, which has no bare NaN or Infinity, passes through unchanged,
// whatever its strings hold.
func FuzzJSONNonFinite(f *testing.F) {
	for _, s := range []string{`{"a":"NaN"}`, `["Infinity\"",1]`, `"-Infinity"`, `[1e10,-0.0,{"NaN":null}]`, `NaN`, `[NaN`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := jsonNonFinite(s)
		if json.Valid([]byte(s)) && got != s {
			t.Fatalf("valid JSON %q changed to %q", s, got)
		}
	})
}
