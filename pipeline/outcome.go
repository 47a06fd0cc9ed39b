package pipeline

import (
	"log/slog"
	"math"
	"time"
)

// interruptedText is what meta.runs and the log say of an interrupted
// run. Its own error is whatever the statement that was cut short
// reported (the driver's "context canceled", DuckDB's "INTERRUPT Error:
// Interrupted!"), which tells a reader nothing they can act on.
const interruptedText = "interrupted (SIGINT or SIGTERM, or the daemon stopping): nothing of the run was committed; the next run starts over"

// outcomeText is the error recorded in meta.runs for a run that ended with
// status and err.
func outcomeText(status Status, err error) string {
	switch {
	case err == nil:
		return ""
	case status == StatusInterrupted:
		return interruptedText
	}
	return err.Error()
}

// logOutcome logs how the run ended, once: finished, interrupted (the
// cause at debug level) or failed.
func logOutcome(log *slog.Logger, sum RunSummary, err error) {
	secs := Seconds(sum.FinishedAt.Sub(sum.StartedAt))
	switch {
	case err == nil:
		log.Info("run finished", "status", sum.Status, "duration_seconds", secs)
	case sum.Status == StatusInterrupted:
		log.Warn("run interrupted", "status", sum.Status, "duration_seconds", secs, "outcome", interruptedText)
		log.Debug("interrupted run's error", "err", err.Error())
	default:
		log.Error("run failed", "status", sum.Status, "duration_seconds", secs, "err", err.Error())
	}
}

// Seconds is a duration as logs give it: seconds as a number, to the
// millisecond, in a key named for its unit (duration_seconds).
func Seconds(d time.Duration) float64 {
	return math.Round(d.Seconds()*1000) / 1000
}
