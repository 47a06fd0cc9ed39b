package main

import (
	"errors"
	"log/slog"
	"os"

	_ "github.com/exportpipe/exportpipe/extractors"
	"github.com/exportpipe/exportpipe/pipeline"
	"github.com/exportpipe/exportpipe/transforms"
)

// runInputs is what a run builds from its config before it touches the
// warehouse: the extractors, the transforms (with their reference files
// loaded) and the FX table seeded from the reference FX files.
type runInputs struct {
	extractors []pipeline.Extractor
	transforms pipeline.TransformFactory
	fx         *transforms.FXTable
}

// loadChecked reads the config at path and makes every check a run (or the
// daemon, by use) makes before it touches data, building what the run
// needs on the way. validate, run and serve all come through here, so
// validate cannot pass what the other two refuse: every problem is reported
// at once, each with its line, and exits 3.
func loadChecked(path string, use pipeline.Use) (*pipeline.Config, runInputs, error) {
	var in runInputs
	cfg, err := pipeline.CheckConfig(path, use, os.LookupEnv, func(c *pipeline.Config) []error {
		secrets.Add(c.Secrets()...)
		var errs []error
		in, errs = buildInputs(c)
		return errs
	})
	if err != nil {
		return nil, in, err
	}
	secrets.Add(cfg.Secrets()...)
	return cfg, in, nil
}

// prepareRun is loadChecked for a config already loaded: the demo's, and
// each of the daemon's runs.
func prepareRun(cfg *pipeline.Config, use pipeline.Use) (runInputs, error) {
	if errs := cfg.Preflight(use, os.LookupEnv); len(errs) > 0 {
		return runInputs{}, cfg.Report(errs)
	}
	in, errs := buildInputs(cfg)
	return in, cfg.Report(errs)
}

// buildInputs builds the extractors, then the transforms and the FX table.
// The config's checks have passed by now; whatever a builder still refuses
// is reported at the source or section it is about, so validate and run
// agree even where those checks fall short.
func buildInputs(cfg *pipeline.Config) (runInputs, []error) {
	var in runInputs
	var errs []error
	// Each source is built by the kind registered for it; the blank import
	// of extractors above registers the built-in kinds.
	in.extractors, errs = cfg.BuildSources(cfg.BuildEnv(os.LookupEnv, slog.Default()))
	if len(errs) > 0 {
		return in, errs
	}
	var err error
	if in.transforms, err = transforms.FactoryFor(cfg, slog.Default()); err != nil {
		errs = append(errs, unwrapExit(err))
	}
	in.fx = transforms.NewFXTable()
	if err := transforms.LoadReferenceFX(cfg, in.fx, slog.Default()); err != nil {
		errs = append(errs, unwrapExit(err))
	}
	return in, errs
}

// unwrapExit drops an error's exit code, for errors Report joins under one.
func unwrapExit(err error) error {
	var ee *pipeline.ExitError
	if errors.As(err, &ee) {
		return ee.Err
	}
	return err
}
