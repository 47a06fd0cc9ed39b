package httpjson

import (
	"testing"
	"time"
)

func TestNextLink(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		in   []string
		want string
	}{
		"github style":           {[]string{`<https://api.x/items?page=2>; rel="next", <https://api.x/items?page=9>; rel="last"`}, "https://api.x/items?page=2"},
		"next after prev":        {[]string{`<a?p=1>; rel="prev", <a?p=3>; rel="next"`}, "a?p=3"},
		"bare token, upper case": {[]string{`<a?p=3>;REL=NEXT`}, "a?p=3"},
		"several rels":           {[]string{`<a?p=3>; rel="next last"`}, "a?p=3"},
		"comma inside url":       {[]string{`<a?ids=1,2>; rel="next"`}, "a?ids=1,2"},
		"second header line":     {[]string{`<a?p=1>; rel="first"`, `<a?p=2>; rel="next"`}, "a?p=2"},
		"quoted comma in param":  {[]string{`<a?p=1>; title="x, y"; rel="prev", <a?p=2>; rel=next`}, "a?p=2"},
		"no next":                {[]string{`<a?p=1>; rel="prev"`}, ""},
		"garbage":                {[]string{`rel="next"; <`}, ""},
		"none":                   {nil, ""},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := NextLink(tc.in); got != tc.want {
				t.Fatalf("NextLink(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func FuzzParseLinks(f *testing.F) {
	for _, s := range []string{`<a>; rel="next"`, `<a>; rel=next, <b>; rel="prev"`, `<a?x=1,2>;title="q\"x";rel="next last"`, `;;,<`, `<>`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, l := range ParseLinks(s) {
			if len(l.URL) > len(s) {
				t.Fatalf("url %q longer than input", l.URL)
			}
		}
	})
}

func TestParseTime(t *testing.T) {
	t.Parallel()
	want := time.Date(2025, 6, 1, 5, 0, 0, 0, time.UTC)
	for _, in := range []string{"2025-06-01T10:00:00+05:00", "2025-06-01T05:00:00Z", "Sun, 01 Jun 2025 10:00:00 +0500",
		"2025-06-01 10:00:00 +0500", "2025-06-01T05:00:00", "1748754000", "1748754000000"} {
		if got, ok := ParseTime(in); !ok || !got.Equal(want) {
			t.Errorf("ParseTime(%q) = %v, %v", in, got, ok)
		}
	}
	if _, ok := ParseTime("31/02/2025"); ok {
		t.Error("garbage accepted")
	}
}

func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"2025-06-01T10:00:00+05:00", "1748754000", "2025-06-01", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if ts, ok := ParseTime(s); ok && ts.Location() != time.UTC {
			t.Fatalf("%q parsed to non-UTC %v", s, ts)
		}
	})
}
