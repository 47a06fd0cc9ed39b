package pipeline

import "slices"

// Currencies are the ISO 4217 codes the pipeline accepts: those of the
// main trading economies plus everything a price on Alibaba or Daraz
// names. A code outside the list is rejected (unknown_currency) rather
// than trusted, because a typo'd code converted at no rate would be worse
// than a visible reject. They live here, beside the marketplaces, so that a
// config naming a marketplace's currency is checked against the same list
// the price parser uses. Each call returns a new slice.
func Currencies() []string { return slices.Clone(currencies) }

var currencies = []string{
	"USD", "EUR", "GBP", "JPY", "CNY", "HKD", "TWD", "KRW", "SGD", "MYR", "IDR", "THB", "PHP", "VND",
	"INR", "PKR", "BDT", "LKR", "NPR", "AFN", "MVR", "BTN", "IRR", "IQD",
	"AED", "SAR", "QAR", "KWD", "OMR", "BHD", "JOD", "ILS", "EGP", "TRY", "LBP",
	"RUB", "UAH", "KZT", "UZS", "AZN", "GEL", "BYN",
	"CHF", "SEK", "NOK", "DKK", "ISK", "PLN", "CZK", "HUF", "RON", "BGN", "RSD",
	"AUD", "NZD", "CAD", "MXN", "BRL", "ARS", "CLP", "COP", "PEN", "UYU",
	"ZAR", "KES", "NGN", "GHS", "MAD", "TND", "DZD", "ETB", "TZS", "UGX", "MUR", "SCR",
	"MOP", "MMK", "KHR",
}

// currencySet indexes Currencies once; nothing writes it afterwards.
var currencySet = func() map[string]struct{} {
	m := make(map[string]struct{}, len(currencies))
	for _, c := range currencies {
		m[c] = struct{}{}
	}
	return m
}()

// KnownCurrency reports whether code is one of Currencies, as written (upper case).
func KnownCurrency(code string) bool {
	_, ok := currencySet[code]
	return ok
}
