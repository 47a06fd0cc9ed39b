// Package bench holds the benchmarks that need the whole pipeline or the
// benchmark workload files (made by bench/genlistings): the end-to-end run
// for CPU profiles, and the Arrow side of the normalisation comparison.
// bench/run.sh measures wall time and peak RSS of the real binary; these
// are for pprof and for per-stage rows/s. See BENCHMARKS.md.
package bench
