package transforms

import (
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"sync"
	"time"

	"github.com/exportpipe/exportpipe/pipeline"
	"github.com/exportpipe/exportpipe/transforms/parse"
	"github.com/exportpipe/exportpipe/transforms/reference"
)

// Options configure the transforms a factory builds. The zero value is
// the demo's behaviour: built-in tables, pipeline.Categories, and no
// source-specific declarations.
type Options struct {
	// Reference extends the built-in port and country tables; nil uses
	// the built-ins only.
	Reference *reference.Set
	// HSChapters overrides the HS chapter of a category slug. A category
	// whose chapter lies in 50-63 is grouped as textiles.
	HSChapters map[string]int
	// Categories maps category names as sources write them to canonical
	// slugs (pipeline.OtherCategory's included). Names match by
	// pipeline.CategoryKey; a mapped name wins over the built-in spellings.
	Categories map[string]string
	// UnknownCategory is pipeline.UnknownCategoryReject (or "") to reject
	// a category that is neither mapped nor built in, or
	// pipeline.UnknownCategoryOther to store it as other and log the name
	// once per source.
	UnknownCategory string
	// Marketplaces are the marketplaces listings and sellers may name,
	// with the currency of each; nil means pipeline's built-in ones.
	Marketplaces *pipeline.MarketplaceSet
	// Carriers are the shipping lines and their spellings sailings and
	// freight rates may name; nil means pipeline's built-in ones.
	Carriers *pipeline.CarrierSet
	// UnknownCarrier is pipeline.UnknownCarrierReject (or "") to reject a
	// carrier that is none of Carriers, or pipeline.UnknownCarrierKeep to
	// store it under its cleaned name and log the name once per source.
	UnknownCarrier string
	// Sources holds per-source declarations, keyed by source name.
	Sources map[string]SourceOptions
	// DiscountTolerance is how many points a stated discount may sit
	// from the rounded implied one before the listing is flagged
	// (parse.CheckDiscount); nil means pipeline.DefaultDiscountTolerance.
	DiscountTolerance *float64
	// FXMaxAge is how old a rate may be against the day it converts; 0
	// takes FXMaxAgeDaily or FXMaxAgeMonthly by each currency's spacing.
	FXMaxAge time.Duration
	// FutureTolerance is how far past the run's start a version
	// (updated_at) may be before the record is rejected as
	// future_timestamp; 0 means pipeline.DefaultFutureTolerance.
	FutureTolerance time.Duration
	// Now is the clock read when a transform is built, which is when the
	// run starts; nil means time.Now. Tests set it.
	Now func() time.Time
}

// SourceOptions are what one source declares about its values.
type SourceOptions struct {
	// Time says how to read numeric dates (day- or month-first) and in
	// which zone naive date-times were written.
	Time parse.TimeOptions
	// Repr names raw fields whose cells hold a Python literal, with the
	// SelectRepr path of the value to take, e.g. {"imo": "-1.1"}.
	Repr map[string]string
}

// Validate reports every problem with the options at once.
func (o Options) Validate() error {
	var errs []error
	for slug, ch := range o.HSChapters {
		if slug == pipeline.OtherCategory().Slug {
			errs = append(errs, fmt.Errorf("hs_chapters: other has no HS chapter"))
			continue
		}
		if _, ok := pipeline.CategoryBySlug(slug); !ok {
			errs = append(errs, fmt.Errorf("hs_chapters: %q is not a category slug", slug))
		}
		if _, ok := parse.HSChapterName(ch); !ok {
			errs = append(errs, fmt.Errorf("hs_chapters.%s: %d is not an HS chapter", slug, ch))
		}
	}
	for name, slug := range o.Categories {
		if _, ok := pipeline.CategoryBySlug(slug); !ok {
			errs = append(errs, fmt.Errorf("categories: %q maps to %q, which is not a category slug", name, slug))
		}
	}
	if u := o.UnknownCategory; u != "" && u != pipeline.UnknownCategoryReject && u != pipeline.UnknownCategoryOther {
		errs = append(errs, fmt.Errorf("unknown_category %q: want reject or other", u))
	}
	if u := o.UnknownCarrier; u != "" && u != pipeline.UnknownCarrierReject && u != pipeline.UnknownCarrierKeep {
		errs = append(errs, fmt.Errorf("unknown_carrier %q: want reject or keep", u))
	}
	if tol := o.DiscountTolerance; tol != nil && !(*tol >= 0 && *tol <= 100) {
		errs = append(errs, fmt.Errorf("discount_tolerance %v: want percentage points from 0 to 100", *tol))
	}
	if o.FXMaxAge < 0 {
		errs = append(errs, fmt.Errorf("fx_max_age %v: want a positive age, or 0 for the defaults", o.FXMaxAge))
	}
	if o.FutureTolerance < 0 {
		errs = append(errs, fmt.Errorf("future_tolerance %v: want a positive duration, or 0 for the default", o.FutureTolerance))
	}
	return joinErrs(errs)
}

// NewFactory returns a pipeline.TransformFactory that builds transforms
// with opts. Factory is NewFactory with the zero Options.
func NewFactory(opts Options) (pipeline.TransformFactory, error) {
	if err := opts.Validate(); err != nil {
		return nil, fmt.Errorf("transform options: %w", err)
	}
	opts.HSChapters = maps.Clone(opts.HSChapters)
	opts.Categories = maps.Clone(opts.Categories)
	return func(d pipeline.Dataset, source string, fx pipeline.FXLookup) (pipeline.Transform, error) {
		e, err := newEnv(opts, d, source)
		if err != nil {
			return nil, err
		}
		return build(d, source, fx, e)
	}, nil
}

// env is what one source's transform needs from the options.
type env struct {
	time     parse.TimeOptions
	repr     map[int]string // raw column -> SelectRepr path
	port     func(string) (string, error)
	country  func(string) (string, error)
	category func(string) (pipeline.Category, error)
	// missingCategory decides a listing that names no category: an
	// error (the reject's message) or, with unknown_category: other, the
	// other category.
	missingCategory func() (pipeline.Category, error)
	markets         *pipeline.MarketplaceSet // nil: the built-in marketplaces
	carrier         func(string) (string, error)
	hs              func(string) (parse.HSCode, error)
	mmsi            func(string) (parse.MMSI, error)
	coords          func(locode string) (lat, lon float64, ok bool)
	// discountTolerance is in percentage points (parse.CheckDiscount).
	discountTolerance float64
	fxMaxAge          time.Duration // 0: by the series' spacing
	futureTolerance   time.Duration
	now               func() time.Time
	// runStart and future are set by forRun when a transform is built:
	// a version later than future is rejected (future_timestamp). A
	// zero future checks nothing.
	runStart, future time.Time
}

var defaultEnv = &env{port: parse.Port, country: parse.Country, category: parse.Category, carrier: parse.Carrier,
	missingCategory: rejectMissingCategory, hs: parse.ParseHSCode, mmsi: parse.ParseMMSI, coords: (*reference.Set)(nil).PortCoordinates,
	discountTolerance: pipeline.DefaultDiscountTolerance, futureTolerance: pipeline.DefaultFutureTolerance, now: time.Now}

// forRun returns a copy of e for one transform, with the run's start read
// from its clock: transforms are built once per source when a run starts,
// so every batch of the run is judged against the same moment.
func (e *env) forRun() *env {
	c := *e
	c.runStart = c.now().UTC()
	c.future = c.runStart.Add(c.futureTolerance)
	return &c
}

// referenceHS validates HS codes against the loaded HS nomenclature when
// there is one (reference.Set.HSCode), else by shape and chapter only.
func referenceHS(ref *reference.Set) func(string) (parse.HSCode, error) {
	return func(s string) (parse.HSCode, error) {
		c, _, err := ref.HSCode(s)
		return c, err
	}
}

func newEnv(o Options, d pipeline.Dataset, source string) (*env, error) {
	so := o.Sources[source]
	e := &env{time: so.Time, port: o.Reference.Port, country: o.Reference.Country, category: parse.Category,
		hs: referenceHS(o.Reference), mmsi: o.Reference.MMSI, coords: o.Reference.PortCoordinates,
		discountTolerance: pipeline.DefaultDiscountTolerance, futureTolerance: pipeline.DefaultFutureTolerance, now: time.Now,
		markets: o.Marketplaces}
	if o.DiscountTolerance != nil {
		e.discountTolerance = *o.DiscountTolerance
	}
	e.fxMaxAge = o.FXMaxAge
	if o.FutureTolerance > 0 {
		e.futureTolerance = o.FutureTolerance
	}
	if o.Now != nil {
		e.now = o.Now
	}
	toOther := o.UnknownCategory == pipeline.UnknownCategoryOther
	e.category = categoryMapped(parse.Category, o.Categories, toOther, source)
	e.missingCategory = rejectMissingCategory
	if toOther {
		e.missingCategory = missingAsOther(source)
	}
	e.carrier = carrierPolicy(o.Carriers, o.UnknownCarrier == pipeline.UnknownCarrierKeep, source)
	if len(o.HSChapters) > 0 {
		e.category = categoryWith(e.category, o.HSChapters)
	}
	for field, path := range so.Repr {
		i := d.RawFieldIndex(field)
		if i < 0 {
			return nil, fmt.Errorf("transform for %s: repr field %q is not a %s field", source, field, d)
		}
		if e.repr == nil {
			e.repr = map[int]string{}
		}
		e.repr[i] = path
	}
	return e, nil
}

// categoryMapped resolves a category through the config's own names
// first, then builtin. With toOther, a name neither knows is stored as
// pipeline.OtherCategory, and logged (once per name and source) so that
// where the other listings came from stays visible.
func categoryMapped(builtin func(string) (pipeline.Category, error), names map[string]string, toOther bool, source string) func(string) (pipeline.Category, error) {
	byKey := make(map[string]pipeline.Category, len(names))
	for name, slug := range names {
		c, _ := pipeline.CategoryBySlug(slug) // checked by Validate
		byKey[pipeline.CategoryKey(name)] = c
	}
	var logged sync.Map
	return func(s string) (pipeline.Category, error) {
		if c, ok := byKey[pipeline.CategoryKey(s)]; ok {
			return c, nil
		}
		c, err := builtin(s)
		if err == nil || !toOther || !errors.Is(err, parse.ErrUnknownCategory) {
			if errors.Is(err, parse.ErrUnknownCategory) {
				err = fmt.Errorf("%w: map it in normalise.categories, or set normalise.unknown_category: other", err)
			}
			return c, err
		}
		if _, seen := logged.LoadOrStore(pipeline.CategoryKey(s), true); !seen {
			slog.Warn("category not mapped: stored as other", "source", source, "category", s)
		}
		return pipeline.OtherCategory(), nil
	}
}

// rejectMissingCategory is the default for a listing without a category:
// a reject (missing) that says how to give it one.
func rejectMissingCategory() (pipeline.Category, error) {
	return pipeline.Category{}, errors.New("category is missing: map the source's category field (fields: {category: ...}), give it a default, or set normalise.unknown_category: other")
}

// missingAsOther stores a listing without a category as other, as
// unknown_category: other does for a name nobody mapped, and logs the
// source once so that where the other listings came from stays visible.
func missingAsOther(source string) func() (pipeline.Category, error) {
	var once sync.Once
	return func() (pipeline.Category, error) {
		once.Do(func() {
			slog.Warn("listings without a category: stored as other (normalise.unknown_category: other)", "source", source)
		})
		return pipeline.OtherCategory(), nil
	}
}

// carrierPolicy resolves carriers through set (the built-in ones and the
// config's). With keep, a carrier set does not know is stored under the
// name as written, cleaned of stray spaces and control characters, and
// logged once per name and source, so the run's log lists the lines worth
// adding under carriers: (spellings of one line that differ in more than
// spacing are stored apart until then). Without it the reject says how to
// add the carrier.
func carrierPolicy(set *pipeline.CarrierSet, keep bool, source string) func(string) (string, error) {
	var logged sync.Map
	return func(s string) (string, error) {
		c, err := parse.CarrierIn(set, s)
		if err == nil || !errors.Is(err, parse.ErrUnknownCarrier) {
			return c, err
		}
		if !keep {
			return "", fmt.Errorf("%w: add it under carriers: in the config, or set normalise.unknown_carrier: keep", err)
		}
		name, _ := parse.CleanText(s)
		if name == "" {
			return "", err // only markup: nothing to keep
		}
		if _, seen := logged.LoadOrStore(name, true); !seen {
			slog.Warn("carrier not known: stored under its own name", "source", source, "carrier", name)
		}
		return name, nil
	}
}

// categoryWith maps categories with overridden HS chapters; the group
// follows the chapter for textiles (50-63), so moving a category into or
// out of section XI moves it into or out of the textiles group.
func categoryWith(inner func(string) (pipeline.Category, error), chapters map[string]int) func(string) (pipeline.Category, error) {
	return func(s string) (pipeline.Category, error) {
		c, err := inner(s)
		if err != nil {
			return c, err
		}
		ch, ok := chapters[c.Slug]
		if !ok {
			return c, nil
		}
		c.HSChapter = ch
		switch {
		case parse.IsTextileChapter(ch):
			c.Group = pipeline.TextilesGroup
		case c.Group == pipeline.TextilesGroup:
			c.Group = c.Slug
		}
		return c, nil
	}
}
