package rawbatch

import (
	"encoding/json"
	"testing"
)

// The scanner reads plain records itself and hands back (Scan false) what
// the decoder must judge: text that is not one JSON object, and keys it
// would have to unescape or repair.
func TestScannerReadsOrHandsBack(t *testing.T) {
	t.Parallel()
	s := NewScanner([]string{"id", "seller.id", "names.0"})
	for line, reads := range map[string]bool{
		`{"id":"L1","seller":{"id":"S"},"names":["a"],"skip":[1,{"x":null}]}`: true,
		` {"id" : 1 , "x":-0.5e+3} `:                                          true,
		`{}`:                                                                  true,
		`{"id":"L1"} {"id":"L2"}`:                                             false,
		`{"id":"L1",}`:                                                        false,
		`{"id":01}`:                                                           false,
		`{"id":"a` + "\x01" + `"}`:                                            false,
		`{"\u0069d":"escaped key"}`:                                           false,
		`{"id":"bad ` + "\xff" + `"}`:                                         false,
		`[{"id":"L1"}]`:                                                       false,
		`null`:                                                                false,
		``:                                                                    false,
	} {
		if got := s.Scan([]byte(line)); got != reads {
			t.Errorf("Scan(%q) = %v, want %v", line, got, reads)
		}
	}
}

// Get gives what Lookup gives on the decoded map, for the paths it was
// built for and, from a full decode, for any other.
func TestScannerGetMatchesLookup(t *testing.T) {
	t.Parallel()
	line := `{"id":"L1","id":"L1b","seller":{"id":"S9"},"seller.id":"flat","names":["a","b"],"n":12.50,"e":"","z":null,"q":"say \"hi\"","other":{"k":[true]}}`
	var obj map[string]json.RawMessage
	if err := json.Unmarshal([]byte(line), &obj); err != nil {
		t.Fatal(err)
	}
	s := NewScanner([]string{"id", "seller.id", "names.-1", "n", "e", "z", "q"})
	if !s.Scan([]byte(line)) {
		t.Fatal("Scan refused a plain record")
	}
	for _, path := range []string{"id", "seller.id", "names.-1", "n", "e", "z", "q", "other.k.0", "missing", "names.5"} {
		gv, gok := s.Get(path)
		wv, wok := Lookup(obj, path)
		if gv != wv || gok != wok {
			t.Errorf("Get(%q) = %q, %v; Lookup gives %q, %v", path, gv, gok, wv, wok)
		}
	}
	if v, _ := s.Get("id"); v != "L1b" {
		t.Errorf("a repeated key: got %q, want the last value as a map keeps it", v)
	}
}
