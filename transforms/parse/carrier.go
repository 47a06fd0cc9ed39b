package parse

import (
	"fmt"
	"strings"

	"github.com/exportpipe/exportpipe/pipeline"
)

// carrierAliases maps compacted spellings (see compact) of every built-in
// carrier's name, SCAC codes and aliases to its canonical name.
var carrierAliases = func() map[string]string {
	m := map[string]string{}
	for _, c := range pipeline.BuiltinCarriers {
		for _, spelling := range append(append([]string{c.Name}, c.SCAC...), c.Aliases...) {
			m[compact(spelling)] = c.Name
		}
	}
	return m
}()

// Carrier maps a shipping line as sources write it ("MAERSK LINE",
// "P.N.S.C.", "CMA-CGM", "Hapag Lloyd") to its canonical name.
func Carrier(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", fmt.Errorf("%w: carrier", ErrEmpty)
	}
	if c, ok := carrierAliases[compact(s)]; ok {
		return c, nil
	}
	return "", fmt.Errorf("%w %q", ErrUnknownCarrier, s)
}
