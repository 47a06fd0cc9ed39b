// Package reliability holds exportpipe's reliability tests: the whole
// pipeline run against sources that fail on command, SIGKILLed at points
// spread over a run, fed a corpus of broken records and files, and searched
// for leaked secrets. The tests live in _test.go files (build tag
// duckdb_arrow); RELIABILITY.md at the repository root reports what they
// guarantee and the figures they measured.
package reliability
