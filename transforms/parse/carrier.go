package parse

import (
	"fmt"
	"strings"
)

// carrierAliases maps compacted spellings (see compact) to the canonical
// names in pipeline.Carriers. SCAC codes are included because booking
// data often carries only those.
var carrierAliases = map[string]string{
	"pnsc": "PNSC", "pakistannationalshippingcorporation": "PNSC", "pakistannationalshippingcorp": "PNSC",
	"maersk": "Maersk", "maerskline": "Maersk", "maerskas": "Maersk", "apmollermaersk": "Maersk",
	"apmoellermaersk": "Maersk", "maeu": "Maersk",
	"msc": "MSC", "mediterraneanshippingcompany": "MSC", "mediterraneanshippingco": "MSC", "mscu": "MSC",
	"cmacgm": "CMA CGM", "cmacgmgroup": "CMA CGM", "cmdu": "CMA CGM",
	"cosco": "COSCO", "coscoshipping": "COSCO", "coscoshippinglines": "COSCO", "coscon": "COSCO", "cosu": "COSCO",
	"hapaglloyd": "Hapag-Lloyd", "hapaglloydag": "Hapag-Lloyd", "hlcu": "Hapag-Lloyd", "hlag": "Hapag-Lloyd",
	"one": "ONE", "oceannetworkexpress": "ONE", "oneline": "ONE", "oney": "ONE",
	"evergreen": "Evergreen", "evergreenline": "Evergreen", "evergreenmarine": "Evergreen", "eglv": "Evergreen",
	// Maersk-owned since 2017 but sailing under its own name and SCAC;
	// German ASCII spells the umlaut "ue".
	"hamburgsud": "Hamburg Süd", "hamburgsued": "Hamburg Süd", "sudu": "Hamburg Süd",
}

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
