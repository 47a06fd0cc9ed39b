//go:build duckdb_arrow

package warehouse

import (
	"errors"
	"strings"

	duckdb "github.com/duckdb/duckdb-go/v2"
)

// UserMessage rewrites an error that carries DuckDB's own message (an
// optimizer's words, a block size, a link to DuckDB's docs) into what it
// means for someone running exportpipe, keeping the context exportpipe
// wrapped it in ("merge listings into core.listings: ..."). DuckDB's text
// is returned apart, for the debug log. ok is false when err carries no
// DuckDB error.
func UserMessage(err error) (msg, duckdbText string, ok bool) {
	var de *duckdb.Error
	if err == nil || !errors.As(err, &de) {
		return "", "", false
	}
	var a *advisedError
	if errors.As(err, &a) {
		return strings.Replace(err.Error(), a.Error(), a.advice.Error(), 1), de.Msg, true
	}
	full := err.Error()
	said := userWords(de) + "; --log-level debug shows DuckDB's own message"
	if i := strings.Index(full, de.Msg); i >= 0 {
		return full[:i] + said + strings.TrimSpace(full[i+len(de.Msg):]), de.Msg, true
	}
	return said, de.Msg, true
}

// userWords says what a DuckDB error means, and what to do where there is
// something to do.
func userWords(de *duckdb.Error) string {
	switch de.Type {
	case duckdb.ErrorTypeOutOfMemory:
		return "DuckDB ran out of memory: raise warehouse.memory_limit (or leave it out, for 80% of RAM), or lower warehouse.threads"
	case duckdb.ErrorTypeIO:
		if strings.Contains(de.Msg, "No space left") {
			return "the disk is full: free space where the warehouse and its snapshot are (DuckDB spills to a folder beside the warehouse)"
		}
		return "DuckDB could not read or write one of its files"
	case duckdb.ErrorTypePermission:
		return "DuckDB was not allowed to read or write one of its files: check the permissions of the warehouse's folder"
	case duckdb.ErrorTypeInterrupt:
		return "interrupted"
	}
	kind, _, found := strings.Cut(de.Msg, ": ")
	if !found || len(kind) > 40 {
		kind = "an error"
	}
	return "DuckDB failed (" + kind + "); this is likely a bug in exportpipe: please report it with the run id"
}

// advisedError is a DuckDB failure that exportpipe has already explained
// (the warehouse is locked, or not a DuckDB file): the advice is all a user
// needs, and DuckDB's text goes to the debug log.
type advisedError struct {
	advice error // says what happened and what to do; may wrap a sentinel such as ErrLocked
	duckdb error
}

func advised(advice, duckdbErr error) error { return &advisedError{advice: advice, duckdb: duckdbErr} }

func (e *advisedError) Error() string   { return e.advice.Error() + ": " + e.duckdb.Error() }
func (e *advisedError) Unwrap() []error { return []error{e.advice, e.duckdb} }
