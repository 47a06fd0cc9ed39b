package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/spf13/cobra"

	"github.com/exportpipe/exportpipe/pipeline"
	"github.com/exportpipe/exportpipe/transforms"
)

type previewOpts struct {
	config string
	source string
	n      int
}

func newPreviewCmd() *cobra.Command {
	var o previewOpts
	cmd := &cobra.Command{
		Use:   "preview --config F --source S [-n 20]",
		Short: "Show a source's first records raw and normalised, without touching the warehouse",
		Long: `Preview reads the first records of one source and shows each one as the
source sent it, then as the pipeline would load it (every canonical column)
or the reason it would be rejected. Nothing is written: the warehouse is
not opened, so preview runs beside a run and never waits for one.

Prices convert to USD with the config's reference FX files and its
fx_rates sources, which preview reads in full first. Write a mapping
against a real file in minutes: preview, change the config, preview again.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if o.config == "" || o.source == "" {
				return usageError{errors.New("preview needs --config and --source")}
			}
			if o.n <= 0 {
				return usageError{fmt.Errorf("-n %d: want a number of records above 0", o.n)}
			}
			return preview(cmd.Context(), cmd.OutOrStdout(), o)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&o.config, "config", "c", "", "pipeline config file (YAML)")
	f.StringVarP(&o.source, "source", "s", "", "name of the source to preview (sources[].name)")
	f.IntVarP(&o.n, "n", "n", 20, "how many records to show")
	return cmd
}

// errEnough stops an extraction once preview has its records.
var errEnough = errors.New("preview has enough records")

func preview(ctx context.Context, w io.Writer, o previewOpts) error {
	// The checks a run makes, and what it builds from the config.
	_, in, err := loadChecked(o.config, pipeline.ForRun)
	if err != nil {
		return err
	}
	exs, factory, fx := in.extractors, in.transforms, in.fx
	var ex pipeline.Extractor
	var names []string
	for _, e := range exs {
		names = append(names, e.Name())
		if e.Name() == o.source {
			ex = e
		}
	}
	if ex == nil {
		return usageError{fmt.Errorf("--source %q: the config has no such source; it has %s", o.source, strings.Join(names, ", "))}
	}
	mem := memory.NewGoAllocator()
	if ex.Dataset() != pipeline.FXRates {
		if err := learnFXSources(ctx, exs, factory, fx, mem); err != nil {
			return err
		}
	}
	tr, err := factory(ex.Dataset(), ex.Name(), fx)
	if err != nil {
		return err
	}
	p := &previewer{w: w, left: o.n, schema: pipeline.TypedSchema(ex.Dataset()), codes: map[pipeline.RejectCode]int{}}
	if ns, ok := ex.(pipeline.NamesSellers); ok && ns.NamesSellers() {
		if p.sellers, err = factory(pipeline.Sellers, ex.Name(), fx); err != nil {
			return err
		}
	}
	_, err = ex.Extract(ctx, mem, func(raw arrow.RecordBatch) error {
		return p.batch(ctx, tr, mem, raw)
	})
	if err != nil && !errors.Is(err, errEnough) {
		return fmt.Errorf("preview %s: %w", ex.Name(), err)
	}
	p.summary(ex)
	return nil
}

// learnFXSources reads every fx_rates source of the config into fx, so the
// previewed prices convert as a run would convert them.
func learnFXSources(ctx context.Context, exs []pipeline.Extractor, factory pipeline.TransformFactory, fx *transforms.FXTable, mem memory.Allocator) error {
	for _, e := range exs {
		if e.Dataset() != pipeline.FXRates {
			continue
		}
		tr, err := factory(pipeline.FXRates, e.Name(), fx)
		if err != nil {
			return err
		}
		_, err = e.Extract(ctx, mem, func(raw arrow.RecordBatch) error {
			good, rej, err := tr.Apply(ctx, mem, raw)
			if err != nil {
				return err
			}
			defer good.Release()
			defer rej.Release()
			return fx.AddBatch(good)
		})
		if err != nil {
			return fmt.Errorf("read FX source %s for the preview: %w", e.Name(), err)
		}
	}
	return nil
}

// previewer prints each raw record with what became of it.
type previewer struct {
	w      io.Writer
	left   int
	shown  int
	schema *arrow.Schema
	codes  map[pipeline.RejectCode]int
	width  int // see nameWidth
	// sellers normalises the seller a listing record names, for a
	// listings source with sellers: in its mapping; nil otherwise.
	sellers pipeline.Transform
}

func (p *previewer) batch(ctx context.Context, tr pipeline.Transform, mem memory.Allocator, raw arrow.RecordBatch) error {
	if p.left <= 0 {
		return errEnough
	}
	// Only the records to show are normalised.
	if n := int64(p.left); raw.NumRows() > n {
		raw = raw.NewSlice(0, n)
		defer raw.Release()
	}
	raw, sellerRaw := pipeline.SplitSellers(raw)
	defer raw.Release()
	sellerLines, err := p.sellerLines(ctx, mem, sellerRaw)
	if err != nil {
		return err
	}
	good, rej, err := tr.Apply(ctx, mem, raw)
	if err != nil {
		return err
	}
	defer good.Release()
	defer rej.Release()
	rawCol := raw.Column(raw.Schema().FieldIndices(pipeline.RawColumn)[0]).(*array.String)
	rejRaw := rej.Column(5).(*array.String)
	rejField := rej.Column(3).(*array.String)
	rejReason := rej.Column(4).(*array.String)
	rejCodes := pipeline.RejectCodes(rej)
	gi, ri := 0, 0
	for i := range int(raw.NumRows()) {
		p.shown++
		text := rawCol.Value(i)
		fmt.Fprintf(p.w, "#%d  raw  %s\n", p.shown, text)
		if sellerLines != nil {
			fmt.Fprintf(p.w, "    seller  %s\n", sellerLines[i])
		}
		// Every raw row is in exactly one of the two batches, in order: it
		// is the next reject when that reject holds the same record.
		if ri < int(rej.NumRows()) && rejRaw.Value(ri) == strings.ToValidUTF8(text, "\uFFFD") {
			reason := rejReason.Value(ri)
			p.codes[rejCodes[ri]]++
			field := rejField.Value(ri)
			if field == "" {
				field = "record"
			}
			fmt.Fprintf(p.w, "    REJECTED (%s) %s\n\n", field, reason)
			ri++
			continue
		}
		p.row(good, gi)
		gi++
	}
	p.left -= int(raw.NumRows())
	if p.left <= 0 {
		return errEnough
	}
	return nil
}

// sellerLines describes, for each record of a batch, the seller it names
// as a run would load it: normalised, rejected with its reason, or none.
// It is nil for a source without sellers:, and releases sellers.
func (p *previewer) sellerLines(ctx context.Context, mem memory.Allocator, sellers arrow.RecordBatch) ([]string, error) {
	if sellers == nil || p.sellers == nil {
		if sellers != nil {
			sellers.Release()
		}
		return nil, nil
	}
	defer sellers.Release()
	good, rej, err := p.sellers.Apply(ctx, mem, sellers)
	if err != nil {
		return nil, fmt.Errorf("sellers of the previewed records: %w", err)
	}
	defer good.Release()
	defer rej.Release()
	ids := sellers.Column(sellers.Schema().FieldIndices("seller_id")[0])
	rawCol := sellers.Column(sellers.Schema().FieldIndices(pipeline.RawColumn)[0]).(*array.String)
	rejRaw, rejField, rejReason := rej.Column(5).(*array.String), rej.Column(3).(*array.String), rej.Column(4).(*array.String)
	typed := pipeline.TypedSchema(pipeline.Sellers)
	out := make([]string, sellers.NumRows())
	gi, ri := 0, 0
	for i := range out {
		switch {
		case ri < int(rej.NumRows()) && rejRaw.Value(ri) == strings.ToValidUTF8(rawCol.Value(i), "\uFFFD"):
			if ids.IsNull(i) {
				out[i] = "none named (the record has no seller_id where sellers: looks)"
			} else {
				out[i] = fmt.Sprintf("REJECTED (%s) %s", rejField.Value(ri), rejReason.Value(ri))
			}
			ri++
		default:
			var parts []string
			for c, f := range typed.Fields() {
				if col := good.Column(c); col.IsValid(gi) && f.Name != "marketplace" {
					parts = append(parts, f.Name+"="+col.ValueStr(gi))
				}
			}
			out[i] = strings.Join(parts, "  ")
			gi++
		}
	}
	return out, nil
}

// row prints one normalised row as name = value lines, skipping nulls.
func (p *previewer) row(good arrow.RecordBatch, i int) {
	width := p.nameWidth()
	for c, f := range p.schema.Fields() {
		col := good.Column(c)
		if col.IsNull(i) {
			continue
		}
		fmt.Fprintf(p.w, "    %-*s  %s\n", width, f.Name, col.ValueStr(i))
	}
	fmt.Fprintln(p.w)
}

// nameWidth is the longest column name, the width names are padded to.
func (p *previewer) nameWidth() int {
	if p.width == 0 {
		for _, f := range p.schema.Fields() {
			p.width = max(p.width, len(f.Name))
		}
	}
	return p.width
}

func (p *previewer) summary(ex pipeline.Extractor) {
	rejected := 0
	for _, n := range p.codes {
		rejected += n
	}
	fmt.Fprintf(p.w, "%s (%s): %d records shown, %d would load, %d would be rejected", ex.Name(), ex.Dataset(), p.shown, p.shown-rejected, rejected)
	if rejected > 0 {
		codes := slices.SortedFunc(maps.Keys(p.codes), func(a, b pipeline.RejectCode) int { return p.codes[b] - p.codes[a] })
		parts := make([]string, len(codes))
		for i, c := range codes {
			parts[i] = fmt.Sprintf("%s %d", c, p.codes[c])
		}
		fmt.Fprintf(p.w, " (%s)", strings.Join(parts, ", "))
	}
	fmt.Fprintln(p.w)
}
