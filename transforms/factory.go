package transforms

import (
	"fmt"

	"github.com/exportpipe/exportpipe/pipeline"
)

var _ pipeline.TransformFactory = Factory

// Factory builds the transform for dataset d read from source. fx may be
// nil for fx_rates, sellers and sailings, which convert no currency; the
// listings and freight_rates transforms need it.
func Factory(d pipeline.Dataset, source string, fx pipeline.FXLookup) (pipeline.Transform, error) {
	// Constructors returning a typed nil pointer are unwrapped so a failed
	// build never yields a non-nil interface holding nil.
	switch d {
	case pipeline.Listings:
		t, err := NewListings(source, fx)
		if err != nil {
			return nil, err
		}
		return t, nil
	case pipeline.Sellers:
		return NewSellers(source), nil
	case pipeline.Sailings:
		return NewSailings(source), nil
	case pipeline.FreightRates:
		t, err := NewFreightRates(source, fx)
		if err != nil {
			return nil, err
		}
		return t, nil
	case pipeline.FXRates:
		return NewFXRates(source), nil
	}
	return nil, fmt.Errorf("transform for %q from %s: unknown dataset", d, source)
}
