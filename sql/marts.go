package sql

import (
	"bufio"
	"fmt"
	"io/fs"
	"iter"
	"path"
	"regexp"
	"strings"
)

// Mart is one file of sql/marts and what its leading comment declares:
//
//	-- grain: marketplace, category, seller_country
//	-- not null: marketplace, category, listings
//
// The grain is the set of columns that makes a row unique; "not null" the
// columns that are never NULL (the grain, when the line is absent). A grain
// column left out of "not null" may be NULL, as seller_country is for a
// seller nobody knows. The data tests marts_keys_unique and marts_not_null
// are generated from these lines, so a new mart is tested from the moment
// its file exists, and a mart file without a grain is an error.
type Mart struct {
	Name    string   // the table marts.<Name>: the file name without its NN_ prefix
	File    string   // its path in Marts, e.g. marts/10_listings_by_category_country.sql
	Grain   []string // never empty
	NotNull []string // never empty
}

// MartFiles lists every file of sql/marts in file name order (the order they
// are built in), with the grain and not-null columns each declares.
func MartFiles() ([]Mart, error) {
	names, err := fs.Glob(Marts, "marts/*.sql")
	if err != nil {
		return nil, err
	}
	out := make([]Mart, 0, len(names))
	for _, n := range names { // fs.Glob sorts
		body, err := fs.ReadFile(Marts, n)
		if err != nil {
			return nil, err
		}
		m, err := ParseMart(n, string(body))
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// martPrefix is the NN_ that orders the marts' files.
var martPrefix = regexp.MustCompile(`^[0-9]+_`)

// column is a plain, unquoted identifier: the only form a header may name,
// since the names are written into the generated tests' SQL as they are.
var column = regexp.MustCompile(`^[a-z_][a-z0-9_]*$`)

// ParseMart reads the header lines of the mart file at file (a path such
// as marts/10_x.sql) from the comment lines that open body. It is an error
// for the file to declare no grain, to declare a line twice, or to name
// something that is not a plain column name; each error names the file and
// says what to write.
func ParseMart(file, body string) (Mart, error) {
	name := martPrefix.ReplaceAllString(strings.TrimSuffix(path.Base(file), ".sql"), "")
	m := Mart{Name: name, File: file}
	where := "sql/" + file
	if !column.MatchString(name) {
		return m, fmt.Errorf("%s: the table name %q (the file name without its NN_ prefix) is not a plain name: use lower case letters, digits and _", where, name)
	}
	seen := map[string]bool{}
	for key, val := range HeaderLines(body) {
		key = strings.ToLower(key)
		if key != "grain" && key != "not null" {
			continue
		}
		if seen[key] {
			return m, fmt.Errorf("%s: %q is declared twice: keep one line", where, "-- "+key+":")
		}
		seen[key] = true
		cols, err := columns(val)
		if err != nil {
			return m, fmt.Errorf("%s: -- %s: %w", where, key, err)
		}
		if key == "grain" {
			m.Grain = cols
		} else {
			m.NotNull = cols
		}
	}
	if len(m.Grain) == 0 {
		return m, fmt.Errorf("%s declares no grain: start the file with a comment line such as "+
			"\"-- grain: month, category, seller_country\" naming the columns that make a row of marts.%s unique", where, name)
	}
	if len(m.NotNull) == 0 {
		m.NotNull = m.Grain
	}
	return m, nil
}

// HeaderLines yields the "-- key: value" lines of the comment block that
// opens an SQL file (marts declare their grain there, data tests their
// severity and scope), key and value trimmed, in order. Comment lines
// without a colon are prose and skipped; the first line that is not a
// comment ends the block.
func HeaderLines(body string) iter.Seq2[string, string] {
	return func(yield func(string, string) bool) {
		sc := bufio.NewScanner(strings.NewReader(body))
		for sc.Scan() {
			line := strings.TrimSpace(sc.Text())
			if line == "" {
				continue
			}
			rest, ok := strings.CutPrefix(line, "--")
			if !ok {
				return
			}
			key, val, ok := strings.Cut(strings.TrimSpace(rest), ":")
			if ok && !yield(strings.TrimSpace(key), strings.TrimSpace(val)) {
				return
			}
		}
	}
}

// HeaderValue is the value of the first "-- key: value" line of the
// opening comment block (key compared without regard to case).
func HeaderValue(body, key string) (string, bool) {
	for k, v := range HeaderLines(body) {
		if strings.EqualFold(k, key) {
			return v, true
		}
	}
	return "", false
}

// columns splits "a, b, c" into its column names.
func columns(list string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	for c := range strings.SplitSeq(list, ",") {
		c = strings.TrimSpace(c)
		if !column.MatchString(c) {
			return nil, fmt.Errorf("%q is not a column name (lower case letters, digits and _; columns separated by commas)", c)
		}
		if seen[c] {
			return nil, fmt.Errorf("column %s is named twice", c)
		}
		seen[c] = true
		out = append(out, c)
	}
	return out, nil
}

// KeysUniqueQuery is the data test marts_keys_unique: one row per grain
// value that more than one row of a mart shares, naming the mart.
func KeysUniqueQuery(marts []Mart) string {
	if len(marts) == 0 {
		return "SELECT NULL AS mart WHERE false"
	}
	parts := make([]string, len(marts))
	for i, m := range marts {
		parts[i] = fmt.Sprintf("SELECT '%s' AS mart, count(*) AS rows_per_key FROM marts.%s GROUP BY %s HAVING count(*) > 1",
			m.Name, m.Name, strings.Join(m.Grain, ", "))
	}
	return "-- Every mart has one row per value of its grain (sql/marts: \"-- grain:\").\n" +
		strings.Join(parts, "\nUNION ALL\n")
}

// NotNullQuery is the data test marts_not_null: one row per row of a mart
// with a NULL where its file says none may be, naming the mart and the
// columns.
func NotNullQuery(marts []Mart) string {
	if len(marts) == 0 {
		return "SELECT NULL AS mart WHERE false"
	}
	parts := make([]string, len(marts))
	for i, m := range marts {
		which := make([]string, len(m.NotNull))
		for j, c := range m.NotNull {
			which[j] = fmt.Sprintf("CASE WHEN %s IS NULL THEN '%s' END", c, c)
		}
		parts[i] = fmt.Sprintf("SELECT '%s' AS mart, concat_ws(', ', %s) AS null_columns FROM marts.%s WHERE %s IS NULL",
			m.Name, strings.Join(which, ", "), m.Name, strings.Join(m.NotNull, " IS NULL OR "))
	}
	return "-- No mart has a NULL in a column its file declares not null (sql/marts: \"-- not null:\", else the grain).\n" +
		strings.Join(parts, "\nUNION ALL\n")
}
