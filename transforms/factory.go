package transforms

import (
	"errors"
	"fmt"

	"github.com/exportpipe/exportpipe/pipeline"
)

var _ pipeline.TransformFactory = Factory

// Factory builds the transform for dataset d read from source, with the
// built-in tables and no source declarations (NewFactory with zero
// Options). fx may be nil for fx_rates, sellers and sailings, which
// convert no currency; the listings and freight_rates transforms need it.
func Factory(d pipeline.Dataset, source string, fx pipeline.FXLookup) (pipeline.Transform, error) {
	return build(d, source, fx, defaultEnv)
}

func build(d pipeline.Dataset, source string, fx pipeline.FXLookup, e *env) (pipeline.Transform, error) {
	e = e.forRun()
	// Constructors returning a typed nil pointer are unwrapped so a failed
	// build never yields a non-nil interface holding nil.
	switch d {
	case pipeline.Listings:
		t, err := NewListings(source, fx)
		if err != nil {
			return nil, err
		}
		t.env = e
		return t, nil
	case pipeline.Sellers:
		return &Sellers{source: source, env: e}, nil
	case pipeline.Sailings:
		return &Sailings{source: source, env: e}, nil
	case pipeline.FreightRates:
		t, err := NewFreightRates(source, fx)
		if err != nil {
			return nil, err
		}
		t.env = e
		return t, nil
	case pipeline.FXRates:
		return &FXRates{source: source, env: e}, nil
	}
	return nil, fmt.Errorf("transform for %q from %s: unknown dataset", d, source)
}

func joinErrs(errs []error) error { return errors.Join(errs...) }
