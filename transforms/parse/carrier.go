package parse

import (
	"fmt"
	"strings"

	"github.com/exportpipe/exportpipe/pipeline"
)

// Carrier maps a shipping line as sources write it ("MAERSK LINE",
// "P.N.S.C.", "CMA-CGM", "Hapag Lloyd") to its canonical name among the
// built-in carriers.
func Carrier(s string) (string, error) { return CarrierIn(nil, s) }

// CarrierIn maps a shipping line to its canonical name in set: the
// built-in carriers and those a config adds (nil is the built-in ones).
func CarrierIn(set *pipeline.CarrierSet, s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", fmt.Errorf("%w: carrier", ErrEmpty)
	}
	if c, ok := set.Lookup(s); ok {
		return c, nil
	}
	return "", fmt.Errorf("%w %q", ErrUnknownCarrier, s)
}
