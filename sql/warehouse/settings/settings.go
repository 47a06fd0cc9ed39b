// Package settings is the warehouse's part of a config: DuckDB's tuning,
// under warehouse: (memory_limit, threads), and the thresholds of its
// plausibility data tests (checks:). It belongs to the warehouse, which
// applies both, but lives in a package of its own without cgo, so the
// config (package pipeline) can decode and check it without importing
// DuckDB.
package settings

import (
	"fmt"
	"regexp"
)

// DuckDB is the engine's tuning. The zero value keeps DuckDB's defaults.
type DuckDB struct {
	// MemoryLimit caps DuckDB's memory in its own syntax ("512MB", "2GB");
	// past it DuckDB spills to a temporary folder beside the warehouse.
	// Empty keeps DuckDB's default, 80% of the machine's RAM.
	MemoryLimit string `yaml:"memory_limit"`
	// Threads caps DuckDB's worker threads; 0 uses every core.
	Threads int `yaml:"threads"`
}

// memoryLimit is what DuckDB's memory_limit setting reads: a number and a
// unit (KB, MB, GB, TB, or KiB ... TiB; B or bytes).
var memoryLimit = regexp.MustCompile(`(?i)^\s*\d+(\.\d+)?\s*(b|bytes?|[kmgt]i?b)\s*$`)

// Validate returns what DuckDB would refuse only when a run opens it, so
// validate and run agree. at is the section's key path (warehouse); each
// message starts with the key it is about.
func (d DuckDB) Validate(at string) []error {
	var errs []error
	if d.MemoryLimit != "" && !memoryLimit.MatchString(d.MemoryLimit) {
		errs = append(errs, &Problem{Key: at + ".memory_limit", Msg: fmt.Sprintf("%s.memory_limit %q: want an amount of memory such as 512MB or 2GB", at, d.MemoryLimit)})
	}
	if d.Threads < 0 {
		errs = append(errs, &Problem{Key: at + ".threads", Msg: at + ".threads must not be negative: 0 uses every core"})
	}
	return errs
}
