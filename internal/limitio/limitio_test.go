package limitio

import (
	"errors"
	"io"
	"strings"
	"testing"
)

var errBig = errors.New("too large")

func read(s string, max int64) (string, error) {
	b, err := io.ReadAll(&Reader{R: strings.NewReader(s), Max: max, TooLarge: func() error { return errBig }})
	return string(b), err
}

// A stream of exactly the limit reads whole; one byte more is an error,
// never a silently shortened stream.
func TestLimit(t *testing.T) {
	if got, err := read("12345", 5); got != "12345" || err != nil {
		t.Errorf("5 bytes at a limit of 5: %q, %v; want all of it", got, err)
	}
	if _, err := read("123456", 5); !errors.Is(err, errBig) {
		t.Errorf("6 bytes at a limit of 5: %v, want the too-large error", err)
	}
	if got, err := read("", 0); got != "" || err != nil {
		t.Errorf("empty stream at a limit of 0: %q, %v", got, err)
	}
}
