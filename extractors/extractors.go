// Package extractors turns a config's sources into extractors. It is the
// one place that knows which kind of source each extractor package serves,
// so the CLI and the benchmarks build sources the same way.
package extractors

import (
	"fmt"
	"log/slog"

	"github.com/exportpipe/exportpipe/extractors/files"
	"github.com/exportpipe/exportpipe/extractors/httpjson"
	"github.com/exportpipe/exportpipe/pipeline"
)

// Build makes the extractor for one configured source, reading the
// credentials its auth names through env. Validation has already rejected
// unknown kinds, so an error here is a problem with a value.
func Build(cfg *pipeline.Config, s pipeline.SourceConfig, env func(string) (string, bool), log *slog.Logger) (pipeline.Extractor, error) {
	switch s.Kind {
	case "http_json":
		return httpjson.FromSource(s, env, cfg.Secrets(), cfg.Normalise.FutureToleranceOrDefault())
	case "file":
		return files.FromSource(s, env, cfg.Secrets(), log)
	}
	return nil, fmt.Errorf("source %s: unsupported kind %q", s.Name, s.Kind)
}

// BuildAll makes an extractor for every source of the config, in order.
func BuildAll(cfg *pipeline.Config, env func(string) (string, bool), log *slog.Logger) ([]pipeline.Extractor, error) {
	out := make([]pipeline.Extractor, 0, len(cfg.Sources))
	for _, s := range cfg.Sources {
		e, err := Build(cfg, s, env, log)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}
