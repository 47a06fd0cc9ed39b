package transforms

import (
	"fmt"
	"maps"
	"slices"

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
	// Sources holds per-source declarations, keyed by source name.
	Sources map[string]SourceOptions
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
		if _, ok := pipeline.CategoryBySlug(slug); !ok {
			errs = append(errs, fmt.Errorf("hs_chapters: %q is not a category slug", slug))
		}
		if _, ok := parse.HSChapterName(ch); !ok {
			errs = append(errs, fmt.Errorf("hs_chapters.%s: %d is not an HS chapter", slug, ch))
		}
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
}

var defaultEnv = &env{port: parse.Port, country: parse.Country, category: parse.Category}

func newEnv(o Options, d pipeline.Dataset, source string) (*env, error) {
	so := o.Sources[source]
	e := &env{time: so.Time, port: o.Reference.Port, country: o.Reference.Country, category: parse.Category}
	if len(o.HSChapters) > 0 {
		e.category = categoryWith(o.HSChapters)
	}
	for field, path := range so.Repr {
		i := slices.Index(pipeline.RawFields[d], field)
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

// categoryWith maps categories with overridden HS chapters; the group
// follows the chapter for textiles (50-63), so moving a category into or
// out of section XI moves it into or out of the textiles group.
func categoryWith(chapters map[string]int) func(string) (pipeline.Category, error) {
	return func(s string) (pipeline.Category, error) {
		c, err := parse.Category(s)
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
