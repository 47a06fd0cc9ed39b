package parse

import (
	"fmt"
	"strings"
)

// Currencies are the ISO 4217 codes the parsers accept: those of the main
// trading economies plus everything a price on Alibaba or Daraz names. A
// code outside the list is rejected (ErrUnknownCurrency) rather than
// trusted, because a typo'd code converted at no rate would be worse than
// a visible reject.
var currencies = setOf(
	"USD", "EUR", "GBP", "JPY", "CNY", "HKD", "TWD", "KRW", "SGD", "MYR", "IDR", "THB", "PHP", "VND",
	"INR", "PKR", "BDT", "LKR", "NPR", "AFN", "MVR", "BTN", "IRR", "IQD",
	"AED", "SAR", "QAR", "KWD", "OMR", "BHD", "JOD", "ILS", "EGP", "TRY", "LBP",
	"RUB", "UAH", "KZT", "UZS", "AZN", "GEL", "BYN",
	"CHF", "SEK", "NOK", "DKK", "ISK", "PLN", "CZK", "HUF", "RON", "BGN", "RSD",
	"AUD", "NZD", "CAD", "MXN", "BRL", "ARS", "CLP", "COP", "PEN", "UYU",
	"ZAR", "KES", "NGN", "GHS", "MAD", "TND", "DZD", "ETB", "TZS", "UGX", "MUR", "SCR",
	"MOP", "MMK", "KHR",
)

// KnownCurrency reports whether code is an ISO 4217 code this package knows.
func KnownCurrency(code string) bool {
	_, ok := currencies[code]
	return ok
}

// symbols maps how marketplaces write a currency (upper-cased, dots and
// spaces removed) to its ISO code. "¥" is read as CNY, not JPY, because
// the sources quoting it are Chinese suppliers; Japanese yen is "JP¥".
var symbols = map[string]string{
	"$": "USD", "US$": "USD", "US": "USD", "USD$": "USD", "U$S": "USD",
	"¥": "CNY", "CN¥": "CNY", "RMB": "CNY", "元": "CNY", "JP¥": "JPY", "円": "JPY",
	"€": "EUR", "£": "GBP", "₹": "INR", "₨": "PKR", "৳": "BDT", "TK": "BDT", "TAKA": "BDT",
	"₩": "KRW", "₺": "TRY", "₽": "RUB", "฿": "THB", "₱": "PHP", "₫": "VND", "₦": "NGN",
	"HK$": "HKD", "NT$": "TWD", "S$": "SGD", "SG$": "SGD", "A$": "AUD", "AU$": "AUD",
	"C$": "CAD", "CA$": "CAD", "NZ$": "NZD", "R$": "BRL", "RM": "MYR", "RP": "IDR",
	"DH": "AED", "DHS": "AED", "AED$": "AED", "SR": "SAR",
}

// rupees are the currencies a bare "Rs" can mean.
var rupees = setOf("PKR", "INR", "LKR", "NPR", "MUR", "SCR")

// currencyCode resolves a currency word. "Rs" means the default currency
// when that is a rupee (daraz.pk says "Rs." for PKR) and PKR otherwise,
// since Pakistan is the market this pipeline follows.
func currencyCode(word, def string) (string, error) {
	// Fast path: most words are already a code or a symbol as written.
	if code, ok := symbols[word]; ok {
		return code, nil
	}
	if KnownCurrency(word) {
		return word, nil
	}
	key := strings.ToUpper(strings.ReplaceAll(word, ".", ""))
	if key == "RS" || key == "RE" || key == "RUPEE" || key == "RUPEES" {
		if _, ok := rupees[def]; ok {
			return def, nil
		}
		return "PKR", nil
	}
	if code, ok := symbols[key]; ok {
		return code, nil
	}
	if KnownCurrency(key) {
		return key, nil
	}
	return "", fmt.Errorf("%w %q", ErrUnknownCurrency, word)
}

func setOf(items ...string) map[string]struct{} {
	m := make(map[string]struct{}, len(items))
	for _, it := range items {
		m[it] = struct{}{}
	}
	return m
}
