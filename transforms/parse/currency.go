package parse

import (
	"fmt"
	"strings"

	"github.com/exportpipe/exportpipe/pipeline"
)

// KnownCurrency reports whether code is an ISO 4217 code the pipeline
// accepts (pipeline.Currencies).
func KnownCurrency(code string) bool { return pipeline.KnownCurrency(code) }

// symbols maps how marketplaces write a currency (upper-cased, dots and
// spaces removed) to its ISO code. A sign that several currencies share
// maps to the one it means when the marketplace's currency is none of
// them (see sharedSigns): "¥" is read as CNY, not JPY, because the sources
// quoting it are Chinese suppliers; "Rs" as PKR, since Pakistan is the
// market this pipeline follows.
var symbols = map[string]string{
	"$": "USD", "US$": "USD", "US": "USD", "USD$": "USD", "U$S": "USD",
	"¥": "CNY", "CN¥": "CNY", "RMB": "CNY", "元": "CNY", "JP¥": "JPY", "円": "JPY",
	"€": "EUR", "£": "GBP", "₹": "INR", "₨": "PKR", "৳": "BDT", "TK": "BDT", "TAKA": "BDT",
	"RS": "PKR", "RE": "PKR", "RUPEE": "PKR", "RUPEES": "PKR",
	"₩": "KRW", "₺": "TRY", "₽": "RUB", "฿": "THB", "₱": "PHP", "₫": "VND", "₦": "NGN",
	"HK$": "HKD", "NT$": "TWD", "S$": "SGD", "SG$": "SGD", "A$": "AUD", "AU$": "AUD",
	"C$": "CAD", "CA$": "CAD", "NZ$": "NZD", "R$": "BRL", "RM": "MYR", "RP": "IDR",
	"DH": "AED", "DHS": "AED", "AED$": "AED", "SR": "SAR",
}

// sharedSigns are the signs (symbols keys) that several currencies write
// their prices with, and those currencies. On a marketplace whose currency
// is one of them the sign means that currency: "Rs. 1,299" is INR on
// amazon.in and PKR on daraz.pk, "$" is CAD on a CAD marketplace. Elsewhere
// it means what symbols says, so "$" is USD on daraz.pk, where a dollar
// price is a dollar price. Signs that name one currency ("US$", "C$", "₹")
// never change.
var sharedSigns = func() map[string]map[string]struct{} {
	dollars := setOf("USD", "CAD", "AUD", "NZD", "SGD", "HKD", "TWD", "MXN", "ARS", "CLP", "COP", "UYU")
	rupees := setOf("PKR", "INR", "LKR", "NPR", "MUR", "SCR")
	return map[string]map[string]struct{}{
		"$":  dollars,
		"RS": rupees, "RE": rupees, "RUPEE": rupees, "RUPEES": rupees, "₨": rupees,
		"¥":  setOf("CNY", "JPY"),
		"£":  setOf("GBP", "EGP", "LBP"),
		"DH": setOf("AED", "MAD"), "DHS": setOf("AED", "MAD"),
	}
}()

// currencyCode resolves a currency word written around an amount. For a
// shared sign it returns the currency the sign usually means and the
// currencies it can mean (can is nil for any other word); the caller
// settles it with what else the price and its marketplace say.
func currencyCode(word string) (code string, can map[string]struct{}, err error) {
	// Fast path: most words are already a code or a symbol as written.
	key := word
	code, ok := symbols[key]
	if !ok {
		if KnownCurrency(word) {
			return word, nil, nil
		}
		key = strings.ToUpper(strings.ReplaceAll(word, ".", ""))
		if code, ok = symbols[key]; !ok {
			if KnownCurrency(key) {
				return key, nil, nil
			}
			return "", nil, fmt.Errorf("%w %q", ErrUnknownCurrency, word)
		}
	}
	return code, sharedSigns[key], nil
}

func setOf(items ...string) map[string]struct{} {
	m := make(map[string]struct{}, len(items))
	for _, it := range items {
		m[it] = struct{}{}
	}
	return m
}
