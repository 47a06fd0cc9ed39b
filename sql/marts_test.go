package sql

import (
	"io/fs"
	"strings"
	"testing"
)

// Every mart file declares its grain, in columns its own SQL names, so the
// generated uniqueness and not-null tests cover every mart there is.
func TestEveryMartDeclaresItsGrain(t *testing.T) {
	t.Parallel()
	files, err := fs.Glob(Marts, "marts/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	marts, err := MartFiles()
	if err != nil {
		t.Fatal(err)
	}
	if len(marts) != len(files) || len(marts) == 0 {
		t.Fatalf("%d marts parsed from %d files", len(marts), len(files))
	}
	for _, m := range marts {
		body, err := fs.ReadFile(Marts, m.File)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(body), "CREATE OR REPLACE TABLE marts."+m.Name+" ") {
			t.Errorf("%s does not create marts.%s, the table its name promises", m.File, m.Name)
		}
		for _, c := range append(append([]string{}, m.Grain...), m.NotNull...) {
			if !strings.Contains(string(body), c) {
				t.Errorf("%s declares column %s, which its SQL never names", m.File, c)
			}
		}
	}
}

func TestParseMart(t *testing.T) {
	t.Parallel()
	const sql = "CREATE OR REPLACE TABLE marts.x AS SELECT 1;\n"
	cases := []struct {
		name, body      string
		grain, notNull  string // joined by ","
		wantErrContains string
	}{
		{"grain and not null", "-- grain: month, category, seller_country\n-- not null: month, category, listings\n-- What it is.\n" + sql,
			"month,category,seller_country", "month,category,listings", ""},
		{"not null defaults to the grain", "-- What it is.\n--\n--   grain:  day ,marketplace\n" + sql, "day,marketplace", "day,marketplace", ""},
		{"blank lines inside the header", "\n-- grain: a\n\n-- not null: b\n" + sql, "a", "b", ""},
		{"no grain", "-- What it is.\n" + sql, "", "", "declares no grain"},
		{"grain after the SQL starts", "-- What it is.\n" + sql + "-- grain: a\n", "", "", "declares no grain"},
		{"grain twice", "-- grain: a\n-- grain: b\n" + sql, "", "", "declared twice"},
		{"empty grain", "-- grain:\n" + sql, "", "", "is not a column name"},
		{"quoted column", "-- grain: \"Month\"\n" + sql, "", "", "is not a column name"},
		{"expression", "-- grain: date_trunc('month', at)\n" + sql, "", "", "is not a column name"},
		{"column twice", "-- grain: a, b, a\n" + sql, "", "", "named twice"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, err := ParseMart("marts/10_x.sql", c.body)
			if c.wantErrContains != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErrContains) || !strings.Contains(err.Error(), "sql/marts/10_x.sql") {
					t.Errorf("error %v; want one naming the file and saying %q", err, c.wantErrContains)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if m.Name != "x" || strings.Join(m.Grain, ",") != c.grain || strings.Join(m.NotNull, ",") != c.notNull {
				t.Errorf("got %+v; want marts.x with grain %s, not null %s", m, c.grain, c.notNull)
			}
		})
	}
	if _, err := ParseMart("marts/10_Bad-Name.sql", "-- grain: a\n"+sql); err == nil {
		t.Error("a file name that is no plain table name was accepted")
	}
}

// The generated queries name each mart and test exactly the declared
// columns; that they run and catch what they claim is tested against
// DuckDB in sql/warehouse.
func TestGeneratedMartTests(t *testing.T) {
	t.Parallel()
	marts := []Mart{{Name: "a", Grain: []string{"month", "country"}, NotNull: []string{"month", "n"}}, {Name: "b", Grain: []string{"k"}, NotNull: []string{"k"}}}
	keys := KeysUniqueQuery(marts)
	for _, want := range []string{"FROM marts.a GROUP BY month, country HAVING count(*) > 1", "UNION ALL", "FROM marts.b GROUP BY k HAVING"} {
		if !strings.Contains(keys, want) {
			t.Errorf("KeysUniqueQuery lacks %q:\n%s", want, keys)
		}
	}
	nn := NotNullQuery(marts)
	for _, want := range []string{"FROM marts.a WHERE month IS NULL OR n IS NULL", "CASE WHEN n IS NULL THEN 'n' END", "FROM marts.b WHERE k IS NULL"} {
		if !strings.Contains(nn, want) {
			t.Errorf("NotNullQuery lacks %q:\n%s", want, nn)
		}
	}
	if strings.Contains(nn, "country IS NULL") {
		t.Errorf("NotNullQuery tests a grain column left out of not null:\n%s", nn)
	}
}

// FuzzParseMart: any file either parses into plain column names, which
// are safe to write into SQL, or is refused with an error; never a panic.
func FuzzParseMart(f *testing.F) {
	f.Add("-- grain: month, category, seller_country\n-- not null: month\nSELECT 1")
	f.Add("-- grain: a;DROP TABLE x\n")
	f.Add("--grain:a,,b\n")
	f.Add("-- GRAIN : a\n-- Not Null: b\n")
	f.Fuzz(func(t *testing.T, body string) {
		m, err := ParseMart("marts/10_x.sql", body)
		if err != nil {
			return
		}
		if len(m.Grain) == 0 || len(m.NotNull) == 0 {
			t.Fatalf("parsed with an empty grain or not-null list: %+v", m)
		}
		for _, c := range append(append([]string{}, m.Grain...), m.NotNull...) {
			if !column.MatchString(c) {
				t.Fatalf("column %q is not a plain name", c)
			}
		}
	})
}
