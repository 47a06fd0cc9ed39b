package httpx

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
)

func TestRedactURL(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"https://user:pw@host.example/fx.csv?key=abc#x": "https://host.example/fx.csv?...",
		"HTTP://host/fx.csv?k=v":                        "http://host/fx.csv?...",
		"http://host/fx.csv":                            "http://host/fx.csv",
		"../shared/data/fx.csv":                         "../shared/data/fx.csv",
	} {
		if got := RedactURL(in); got != want {
			t.Errorf("RedactURL(%q) = %q, want %q", in, got, want)
		}
	}
}

// A Redactor that knows a URL shortens it wherever an error repeats it,
// the way net/url quotes it too, and still hides known secrets; the error
// chain survives for errors.Is.
func TestRedactorWithURL(t *testing.T) {
	t.Parallel()
	raw := "https://user:pw1234@host.example/fx.csv?key=abcd"
	r := NewRedactor("t0ken").WithURL(raw)
	err := fmt.Errorf("Get %q: token t0ken refused: %w", raw, io.ErrUnexpectedEOF)
	got := r.Redact(err)
	want := `Get "https://host.example/fx.csv?...": token [REDACTED] refused: unexpected EOF`
	if got.Error() != want {
		t.Errorf("Redact = %q\nwant     %q", got, want)
	}
	if !errors.Is(got, io.ErrUnexpectedEOF) {
		t.Error("the redacted error lost its cause")
	}
	if strings.Contains(NewRedactor().WithURL("http://host/plain.csv").Redact(errors.New("GET http://host/plain.csv")).Error(), "...") {
		t.Error("a URL without credentials was changed")
	}
}
