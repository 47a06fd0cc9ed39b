//go:build !unix

package runlock

import (
	"errors"
	"os"
)

// Without flock(2) the lock file still records the holder, but exclusion
// is not enforced; exportpipe's supported platforms are unix.
var errWouldBlock = errors.New("would block")

func tryLock(*os.File) error { return nil }

func unlock(*os.File) error { return nil }

func processAlive(int) bool { return false }
