// Package limitio bounds how much is read from an untrusted stream: a
// download, a decompressed file. Unlike io.LimitReader it does not end
// quietly at the limit, which would pass a truncated file off as a whole
// one; reading past the limit is an error.
package limitio

import "io"

// Reader reads from R until more than Max bytes have come, then returns
// TooLarge() for that and every later read.
type Reader struct {
	R        io.Reader
	Max      int64
	TooLarge func() error
	n        int64
}

// Read reads at most one byte past Max in all, which is how a stream of
// exactly Max bytes is told from a longer one.
func (l *Reader) Read(p []byte) (int, error) {
	if l.n > l.Max {
		return 0, l.TooLarge()
	}
	if rem := l.Max - l.n + 1; int64(len(p)) > rem {
		p = p[:rem]
	}
	n, err := l.R.Read(p)
	l.n += int64(n)
	if l.n > l.Max {
		return 0, l.TooLarge()
	}
	return n, err
}
