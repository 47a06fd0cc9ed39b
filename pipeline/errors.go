package pipeline

import (
	"errors"
	"fmt"
)

// Exit codes are a contract with external schedulers (cron, systemd,
// Kubernetes, Airflow): they decide whether to retry or page from them.
const (
	ExitOK          = 0
	ExitFailed      = 1
	ExitUsage       = 2
	ExitConfig      = 3
	ExitLocked      = 4
	ExitDataTests   = 5
	ExitUnavailable = 75 // EX_TEMPFAIL: a source is temporarily unavailable
	ExitInterrupted = 130
	ExitTerminated  = 143
)

// ExitError carries the exit code a failure should end the process with.
// Only main calls os.Exit; everything else returns one of these.
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string { return e.Err.Error() }
func (e *ExitError) Unwrap() error { return e.Err }

// WithExit wraps err so the process exits with code.
func WithExit(code int, err error) error {
	if err == nil {
		return nil
	}
	return &ExitError{Code: code, Err: err}
}

// ExitCode finds the exit code for err: the innermost ExitError's code, or
// ExitFailed for any other error.
func ExitCode(err error) int {
	if err == nil {
		return ExitOK
	}
	var ee *ExitError
	if errors.As(err, &ee) {
		return ee.Code
	}
	return ExitFailed
}

// Sentinels that stages wrap so callers can tell failures apart.
var (
	ErrSourceUnavailable = errors.New("source unavailable")
	ErrNotReconciled     = errors.New("counts do not reconcile")
	errStreamClosed      = errors.New("stream closed by its consumer")
)

func notReconciled(s StepSummary) error {
	return fmt.Errorf("%w: %s extracted %d but loaded %d + rejected %d + duplicates %d = %d; this is a bug, please report it with the run id",
		ErrNotReconciled, s.Dataset, s.Extracted, s.Merge.Loaded, s.Rejected, s.Merge.Duplicates,
		s.Merge.Loaded+s.Rejected+s.Merge.Duplicates)
}
