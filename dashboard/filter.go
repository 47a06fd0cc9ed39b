package dashboard

import (
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode"
)

// Filter is what a view shows, read from and written to the URL, so a view
// can be shared as a link. Text filters are exact values ("" for all); the
// dates bound the days or months a view counts, both inclusive.
type Filter struct {
	Marketplace string
	Category    string // a category group, e.g. textiles
	Country     string // seller country (ISO alpha-2)
	Carrier     string
	Equipment   string
	From, To    string // YYYY-MM-DD, or "" for open
}

// Defaults answer the seed's questions as asked: Pakistani sellers, PNSC's
// reliability, and 40-foot boxes, the usual unit of a freight quote. A key
// present in the URL, even empty, overrides its default.
var defaultFilter = Filter{Country: "PK", Equipment: "40GP"}

// filterKeys are the URL keys, in the order links write them.
var filterKeys = []string{"marketplace", "category", "country", "carrier", "equipment", "from", "to"}

func (f *Filter) field(key string) *string {
	switch key {
	case "marketplace":
		return &f.Marketplace
	case "category":
		return &f.Category
	case "country":
		return &f.Country
	case "carrier":
		return &f.Carrier
	case "equipment":
		return &f.Equipment
	case "from":
		return &f.From
	case "to":
		return &f.To
	}
	return nil
}

// maxFilterLen bounds a filter value; no marketplace, category, country,
// carrier or container type is longer.
const maxFilterLen = 80

// ParseFilter reads a filter from a URL query. Unknown keys are ignored
// (links may carry other things); a bad value is an error the page shows.
func ParseFilter(q url.Values) (Filter, error) {
	f := defaultFilter
	for _, key := range filterKeys {
		vals, ok := q[key]
		if !ok {
			continue
		}
		v := ""
		if len(vals) > 0 {
			v = strings.TrimSpace(vals[len(vals)-1])
		}
		if len(v) > maxFilterLen || strings.IndexFunc(v, unicode.IsControl) >= 0 {
			return defaultFilter, fmt.Errorf("filter %s: want at most %d printable characters", key, maxFilterLen)
		}
		*f.field(key) = v
	}
	for _, d := range []struct{ key, v string }{{"from", f.From}, {"to", f.To}} {
		if d.v == "" {
			continue
		}
		if _, err := time.Parse(time.DateOnly, d.v); err != nil {
			return defaultFilter, fmt.Errorf("filter %s=%q: want a date such as 2026-01-31", d.key, d.v)
		}
	}
	if f.From != "" && f.To != "" && f.From > f.To {
		return defaultFilter, fmt.Errorf("filter from=%s is after to=%s", f.From, f.To)
	}
	return f, nil
}

// Query is the filter as a URL query, holding only what differs from the
// defaults (a default that was cleared is written empty).
func (f Filter) Query() string {
	v := url.Values{}
	for _, key := range filterKeys {
		got, def := *f.field(key), *defaultFilter.field(key)
		if got != def {
			v.Set(key, got)
		}
	}
	if len(v) == 0 {
		return ""
	}
	// url.Values.Encode sorts the keys; the fixed order reads better.
	parts := make([]string, 0, len(v))
	for _, key := range filterKeys {
		if vals, ok := v[key]; ok {
			parts = append(parts, url.QueryEscape(key)+"="+url.QueryEscape(vals[0]))
		}
	}
	return "?" + strings.Join(parts, "&")
}

// params binds the filter to the named queries' parameters: text filters
// as given (empty for all), and the date range closed with dates no data
// reaches, so the SQL needs no NULL cases.
func (f Filter) params() Params {
	from, to := f.From, f.To
	if from == "" {
		from = "0001-01-01"
	}
	if to == "" {
		to = "9999-12-31"
	}
	return Params{
		"marketplace": f.Marketplace, "category": f.Category, "country": f.Country,
		"carrier": f.Carrier, "equipment": f.Equipment, "from": from, "to": to,
	}
}

// focusCarrier is the carrier set beside the others on the shipping view.
func (f Filter) focusCarrier() string {
	if f.Carrier != "" {
		return f.Carrier
	}
	return "PNSC"
}

// describe says in words what the filter selects, for chart titles.
func (f Filter) describe(keys ...string) string {
	var parts []string
	for _, key := range keys {
		v := *f.field(key)
		switch {
		case v == "":
		case key == "from":
			parts = append(parts, "from "+v)
		case key == "to":
			parts = append(parts, "to "+v)
		default:
			parts = append(parts, key+" "+v)
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ", ") + ")"
}
