package dashboard

// control is one field of a view's filter form. The form is a plain GET
// form, so the filter lands in the URL with no script.
type control struct {
	Key     string
	Label   string
	Date    bool
	Value   string
	Options []option
}

type option struct {
	Value    string
	Label    string
	Selected bool
}

var controlLabels = map[string]string{
	"marketplace": "Marketplace", "category": "Category group", "country": "Seller country",
	"carrier": "Carrier", "equipment": "Container", "from": "From", "to": "To",
}

var allLabels = map[string]string{
	"marketplace": "all marketplaces", "category": "all categories", "country": "all countries",
	"carrier": "all carriers (PNSC beside the others)", "equipment": "all containers",
}

// controls builds the view's form from the values the snapshot offers. A
// value in the URL that the snapshot lacks is kept as an option, so the
// form says what the page shows.
func controls(r *reader, v view) []control {
	if len(v.Filters) == 0 {
		return nil
	}
	values := map[string][]string{}
	if t, err := r.query("filter_options", nil); err == nil {
		if idx, err := t.Index("filter", "value"); err == nil {
			for _, row := range t.Rows {
				k := asString(row[idx[0]])
				values[k] = append(values[k], asString(row[idx[1]]))
			}
		}
	}
	var out []control
	for _, key := range v.Filters {
		c := control{Key: key, Label: controlLabels[key], Value: *r.filter.field(key)}
		if key == "from" || key == "to" {
			c.Date = true
			out = append(out, c)
			continue
		}
		c.Options = append(c.Options, option{Value: "", Label: allLabels[key], Selected: c.Value == ""})
		found := c.Value == ""
		for _, val := range values[key] {
			c.Options = append(c.Options, option{Value: val, Label: val, Selected: val == c.Value})
			found = found || val == c.Value
		}
		if !found {
			c.Options = append(c.Options, option{Value: c.Value, Label: c.Value + " (not in this snapshot)", Selected: true})
		}
		out = append(out, c)
	}
	return out
}
