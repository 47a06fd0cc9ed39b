package main

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/exportpipe/exportpipe/pipeline"
	"github.com/exportpipe/exportpipe/transforms"
	"github.com/exportpipe/exportpipe/transforms/parse"
	"github.com/exportpipe/exportpipe/transforms/reference"
)

// transformOptions turns the config's normalise section and each source's
// transform declarations into transforms.Options, loading the reference
// files it names. Every failure is a config problem (exit code 3): a file
// that is missing or in the wrong layout is fixed in the config.
func transformOptions(cfg *pipeline.Config) (transforms.Options, error) {
	opts := transforms.Options{HSChapters: cfg.Normalise.HSChapters, Categories: cfg.Normalise.Categories,
		UnknownCategory: cfg.Normalise.UnknownCategory, Sources: map[string]transforms.SourceOptions{},
		DiscountTolerance: cfg.Normalise.DiscountTolerance, FXMaxAge: cfg.Normalise.FXMaxAgeDuration(),
		FutureTolerance: cfg.Normalise.FutureToleranceOrDefault()}
	for _, s := range cfg.Sources {
		so, err := sourceOptions(s.Transform)
		if err != nil {
			return opts, pipeline.WithExit(pipeline.ExitConfig, fmt.Errorf("sources %s: transform: %w", s.Name, err))
		}
		opts.Sources[s.Name] = so
	}
	ref := cfg.Normalise.Reference
	files := reference.Files{UNLOCODE: ref.UNLOCODE, CountryCodes: ref.CountryCodes, HS: ref.HS, MIDs: ref.MIDs}
	for _, a := range ref.PortAliases {
		files.PortAliases = append(files.PortAliases, reference.AliasFile{Path: a.Path, Comma: a.Comma(),
			CodeColumn: a.Code(), NameColumn: a.NameColumn})
	}
	if files.UNLOCODE+files.CountryCodes+files.HS+files.MIDs != "" || len(files.PortAliases) > 0 {
		set, err := reference.LoadFiles(files)
		if err != nil {
			return opts, pipeline.WithExit(pipeline.ExitConfig, fmt.Errorf("normalise.reference: %w", err))
		}
		slog.Info("reference tables loaded", "sizes", set.Sizes())
		opts.Reference = set
	}
	return opts, nil
}

func sourceOptions(t *pipeline.SourceTransform) (transforms.SourceOptions, error) {
	var so transforms.SourceOptions
	if t == nil {
		return so, nil
	}
	order, err := parse.ParseDateOrder(t.DateOrder)
	if err != nil {
		return so, err
	}
	so.Time.Order = order
	if t.TimeZone != "" {
		loc, err := time.LoadLocation(t.TimeZone)
		if err != nil {
			return so, fmt.Errorf("time_zone %q: %w", t.TimeZone, err)
		}
		so.Time.Zone = loc
	}
	so.Repr = t.Repr
	return so, nil
}

// transformFactory builds the run's transforms from the config.
func transformFactory(cfg *pipeline.Config) (pipeline.TransformFactory, error) {
	opts, err := transformOptions(cfg)
	if err != nil {
		return nil, err
	}
	f, err := transforms.NewFactory(opts)
	if err != nil {
		return nil, pipeline.WithExit(pipeline.ExitConfig, fmt.Errorf("normalise: %w", err))
	}
	return f, nil
}

// loadReferenceFX fills the run's FX table from the config's reference FX
// files, before extraction, so prices convert even when no fx_rates source
// runs. These rates only convert: core.fx_rates holds what fx_rates sources
// loaded, nothing else.
func loadReferenceFX(cfg *pipeline.Config, fx *transforms.FXTable) error {
	files := cfg.Normalise.Reference.FX
	if len(files) == 0 {
		return nil
	}
	ff := make([]reference.FXFile, len(files))
	for i, f := range files {
		ff[i] = reference.FXFile{Layout: f.Layout, Path: f.Path}
	}
	st, err := reference.LoadFXFiles(ff, fx.Add)
	if err != nil {
		return pipeline.WithExit(pipeline.ExitConfig, fmt.Errorf("normalise.reference.fx: %w", err))
	}
	fx.Finalize()
	slog.Info("reference fx rates loaded", "files", len(files), "rates", st.Rates, "skipped", st.Skipped)
	return nil
}
