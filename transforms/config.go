package transforms

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/exportpipe/exportpipe/pipeline"
	"github.com/exportpipe/exportpipe/transforms/parse"
	"github.com/exportpipe/exportpipe/transforms/reference"
)

// The assembly of a run's transforms from its config lives here, beside
// the transforms, as the extractors' does beside the extractors, so that
// the command and the benchmarks build them one way.

// FactoryFor builds the transforms a run of cfg uses: the config's
// normalise section and each source's transform declarations, with the
// reference files they name loaded. log gets what was loaded (nil: the
// default logger). Every failure is a config problem (exit code 3): a file
// that is missing or in the wrong layout is fixed in the config.
func FactoryFor(cfg *pipeline.Config, log *slog.Logger) (pipeline.TransformFactory, error) {
	opts, err := optionsFor(cfg, orDefault(log))
	if err != nil {
		return nil, err
	}
	f, err := NewFactory(opts)
	if err != nil {
		return nil, pipeline.WithExit(pipeline.ExitConfig, fmt.Errorf("normalise: %w", err))
	}
	return f, nil
}

func orDefault(log *slog.Logger) *slog.Logger {
	if log == nil {
		return slog.Default()
	}
	return log
}

// optionsFor turns the config's normalise section and each source's
// transform declarations into Options, loading the reference files it
// names.
func optionsFor(cfg *pipeline.Config, log *slog.Logger) (Options, error) {
	opts := Options{HSChapters: cfg.Normalise.HSChapters, Categories: cfg.Normalise.Categories,
		UnknownCategory: cfg.Normalise.UnknownCategory, Sources: map[string]SourceOptions{},
		DiscountTolerance: cfg.Normalise.DiscountTolerance, FXMaxAge: cfg.Normalise.FXMaxAgeDuration(),
		FutureTolerance: cfg.Normalise.FutureToleranceOrDefault()}
	if err := configuredTables(cfg, &opts); err != nil {
		return opts, err
	}
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
		log.Info("reference tables loaded", "sizes", set.Sizes())
		opts.Reference = set
	}
	return opts, nil
}

// configuredTables gives the transforms the marketplaces and carriers the
// config adds to the built-in ones, and what to do with a carrier neither
// knows. Validation has checked them, so an error here means a Config that
// did not come through ParseConfig.
func configuredTables(cfg *pipeline.Config, opts *Options) error {
	markets, err := cfg.MarketplaceSet()
	if err != nil {
		return pipeline.WithExit(pipeline.ExitConfig, err)
	}
	carriers, err := cfg.CarrierSet()
	if err != nil {
		return pipeline.WithExit(pipeline.ExitConfig, err)
	}
	opts.Marketplaces, opts.Carriers, opts.UnknownCarrier = markets, carriers, cfg.Normalise.UnknownCarrier
	return nil
}

func sourceOptions(t *pipeline.SourceTransform) (SourceOptions, error) {
	var so SourceOptions
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

// LoadReferenceFX fills a run's FX table from the config's reference FX
// files, before extraction, so prices convert even when no fx_rates source
// runs. These rates only convert: core.fx_rates holds what fx_rates sources
// loaded, nothing else. log gets the count (nil: the default logger); a
// file that fails is a config problem (exit code 3).
func LoadReferenceFX(cfg *pipeline.Config, fx *FXTable, log *slog.Logger) error {
	files := cfg.Normalise.Reference.FX
	if len(files) == 0 {
		return nil
	}
	ff := make([]reference.FXFile, len(files))
	for i, f := range files {
		ff[i] = reference.FXFile{Layout: f.Layout, Path: f.Path}
	}
	rates, err := reference.LoadFXFiles(ff, fx.Add)
	if err != nil {
		return pipeline.WithExit(pipeline.ExitConfig, fmt.Errorf("normalise.reference.fx: %w", err))
	}
	fx.Finalize()
	orDefault(log).Info("reference fx rates loaded", "files", len(files), "rates", rates)
	return nil
}
