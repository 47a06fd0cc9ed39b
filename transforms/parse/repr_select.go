package parse

import (
	"fmt"
	"strconv"
	"strings"
)

// placeholders are values that mean "no value" in scraped cells.
var placeholders = map[string]bool{"": true, "-": true, "--": true, "n/a": true, "N/A": true, "None": true}

// SelectRepr parses a Python-literal cell and picks one scalar by path:
// dot-separated list indexes (negative counts from the end) and dict keys,
// e.g. "-1.1" is the second item of the last list ("[['FORT DESAIX','-'],
// ['MAERSK BRATAN','9394894']]" -> "9394894"). ok is false when the
// path leads nowhere or to a placeholder such as '-' or None.
func SelectRepr(cell, path string) (value string, ok bool, err error) {
	v, err := ParseRepr(cell)
	if err != nil {
		return "", false, err
	}
	for _, step := range strings.Split(path, ".") {
		if step == "" {
			continue
		}
		if v, ok = selectStep(v, step); !ok {
			return "", false, nil
		}
	}
	switch x := v.(type) {
	case nil:
		return "", false, nil
	case string:
		if placeholders[strings.TrimSpace(x)] {
			return "", false, nil
		}
		return x, true, nil
	case []any, map[string]any:
		return "", false, fmt.Errorf("%w: path %q ends at a container, not a value", ErrBadRepr, path)
	default:
		return fmt.Sprint(x), true, nil
	}
}

func selectStep(v any, step string) (any, bool) {
	switch x := v.(type) {
	case []any:
		i, err := strconv.Atoi(step)
		if err != nil {
			return nil, false
		}
		if i < 0 {
			i += len(x)
		}
		if i < 0 || i >= len(x) {
			return nil, false
		}
		return x[i], true
	case map[string]any:
		e, ok := x[step]
		return e, ok
	}
	return nil, false
}
