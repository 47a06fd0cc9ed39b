// Package files extracts records from files that partners send: CSV,
// NDJSON, JSON arrays and Parquet, local (paths or globs) or over HTTP(S),
// optionally gzipped. Each file is streamed into raw Arrow batches, so
// memory holds a batch, never a file (Parquet holds one row group).
package files

import (
	"context"
	"fmt"
	"log/slog"
	"path"
	"path/filepath"
	"strings"
	"sync/atomic"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/hashicorp/go-retryablehttp"

	"github.com/exportpipe/exportpipe/extractors/internal/rawbatch"
	"github.com/exportpipe/exportpipe/internal/httpx"
	"github.com/exportpipe/exportpipe/pipeline"
)

// Config describes one file source.
type Config struct {
	Name    string
	Dataset pipeline.Dataset
	// Paths are local paths, globs (*, ?, [..]) or http(s) URLs, read in
	// order; a glob's matches are read in lexical order.
	Paths []string
	// Format is csv, ndjson, json or parquet; empty picks it from each
	// file's extension (.csv .tsv .ndjson .jsonl .json .parquet, with or
	// without .gz).
	Format      string
	CSV         CSVOptions
	RecordsPath string // json: dotted path to the array inside an object
	Mapping     pipeline.Mapping

	// For URLs. HTTP.InsecureSkipVerify (file.tls_insecure_skip_verify)
	// turns certificate verification off, with a warning every Extract.
	Headers map[string]string
	Auth    httpx.Auth
	HTTP    httpx.Options

	// MaxBytes bounds the decompressed bytes of one file (default 4 GiB),
	// so a gzip bomb fails the run instead of exhausting memory or disk.
	MaxBytes  int64
	BatchSize int
	Secrets   []string
	Logger    *slog.Logger
}

// CSVOptions describe a CSV dialect.
type CSVOptions struct {
	Delimiter  rune // default ','; '\t' for .tsv files
	NoHeader   bool
	Columns    []string // names when there is no header, or to rename
	LazyQuotes bool
	Comment    rune
	Ragged     string // reject (default) or pad
}

// Extractor reads one file source.
type Extractor struct {
	cfg     Config
	mapping *rawbatch.Mapping
	client  *retryablehttp.Client
	stats   httpx.Counters
	redact  httpx.Redactor
	ragged  atomic.Int64
	// tlsLog gets the warning that verification is off. It is the Logger
	// as given, before the discard default: a nil Logger silences the
	// routine warnings, but that one goes to slog.Default() regardless.
	tlsLog *slog.Logger
}

var _ pipeline.Extractor = (*Extractor)(nil)

// New checks cfg and returns an extractor for it.
func New(cfg Config) (*Extractor, error) {
	tlsLog := cfg.Logger
	if cfg.MaxBytes <= 0 {
		cfg.MaxBytes = 4 << 30
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if len(cfg.Paths) == 0 {
		return nil, fmt.Errorf("source %s: no paths: give at least one path, glob or URL", cfg.Name)
	}
	if cfg.Format != "" && !knownFormat(cfg.Format) {
		return nil, fmt.Errorf("source %s: format %q: want csv, ndjson, json or parquet", cfg.Name, cfg.Format)
	}
	if cfg.CSV.Ragged != "" && cfg.CSV.Ragged != "reject" && cfg.CSV.Ragged != "pad" {
		return nil, fmt.Errorf("source %s: csv ragged %q: want reject or pad", cfg.Name, cfg.CSV.Ragged)
	}
	if err := cfg.Auth.Check(); err != nil {
		return nil, fmt.Errorf("source %s: %w", cfg.Name, err)
	}
	m, err := rawbatch.Compile(cfg.Dataset, cfg.Mapping)
	if err != nil {
		return nil, fmt.Errorf("source %s: %w", cfg.Name, err)
	}
	if cfg.HTTP.Section == "" {
		cfg.HTTP.Section = "file"
	}
	e := &Extractor{cfg: cfg, mapping: m, tlsLog: tlsLog}
	e.redact = httpx.NewRedactor(append([]string{cfg.Auth.Token}, cfg.Secrets...)...)
	e.client = httpx.NewClient(cfg.HTTP, &e.stats)
	return e, nil
}

func (e *Extractor) Name() string              { return e.cfg.Name }
func (e *Extractor) Dataset() pipeline.Dataset { return e.cfg.Dataset }

// NamesSellers reports whether the source's records carry their seller
// too (sellers: in its mapping), as pipeline.NamesSellers asks.
func (e *Extractor) NamesSellers() bool { return e.mapping.NamesSellers() }

// Ragged is how many CSV rows of the last Extract had the wrong number of
// fields; each became a row the transform rejects (or was padded).
func (e *Extractor) Ragged() int64 { return e.ragged.Load() }

// Extract reads every file in order. Pages in the figures are files.
func (e *Extractor) Extract(ctx context.Context, mem memory.Allocator, emit pipeline.Emit) (pipeline.ExtractStats, error) {
	e.ragged.Store(0)
	if e.cfg.HTTP.InsecureSkipVerify {
		httpx.WarnInsecureTLS(e.tlsLog, e.cfg.Name, e.cfg.HTTP.Section)
	}
	var st pipeline.ExtractStats
	inputs, err := expand(e.cfg.Paths)
	if err != nil {
		return st, fmt.Errorf("source %s: %w", e.cfg.Name, err)
	}
	b := rawbatch.NewBuilder(mem, e.cfg.Dataset, e.mapping, e.cfg.BatchSize)
	defer b.Release()
	for _, in := range inputs {
		n, err := e.readOne(ctx, mem, in, b, emit)
		st.Records += n
		st.Pages++
		if err != nil {
			return e.figures(st), e.redact.Redact(fmt.Errorf("source %s: %s: %w", e.cfg.Name, in, err))
		}
	}
	if err := b.Flush(emit); err != nil {
		return e.figures(st), err
	}
	if r := e.ragged.Load(); r > 0 {
		e.cfg.Logger.Warn("csv rows with the wrong number of fields", "source", e.cfg.Name, "rows", r, "policy", or(e.cfg.CSV.Ragged, "reject"))
	}
	return e.figures(st), nil
}

func (e *Extractor) figures(st pipeline.ExtractStats) pipeline.ExtractStats {
	st.Requests = e.stats.Requests.Load()
	st.Retries = e.stats.Retries.Load()
	st.Status429 = e.stats.Status429.Load()
	st.Bytes = e.stats.Bytes.Load()
	st.StatusCodes = e.stats.StatusCodes()
	return st
}

// readOne streams one file into the batcher.
func (e *Extractor) readOne(ctx context.Context, mem memory.Allocator, in string, b *rawbatch.Builder, emit pipeline.Emit) (int64, error) {
	format, err := e.formatOf(in)
	if err != nil {
		return 0, err
	}
	src, err := e.open(ctx, in, format == "parquet")
	if err != nil {
		return 0, err
	}
	defer src.Close()
	r := &reader{e: e, b: b, emit: emit, file: baseName(in), ctx: ctx, mem: mem}
	switch format {
	case "csv":
		err = r.csv(src.text, delimiterFor(e.cfg.CSV.Delimiter, in))
	case "ndjson":
		err = r.ndjson(src.text)
	case "json":
		err = r.jsonArray(src.text, e.cfg.RecordsPath)
	case "parquet":
		err = r.parquet(src.file, src.size)
	}
	return r.records, err
}

func (e *Extractor) formatOf(in string) (string, error) {
	if e.cfg.Format != "" {
		return e.cfg.Format, nil
	}
	name := strings.ToLower(strings.TrimSuffix(strings.ToLower(baseName(in)), ".gz"))
	switch path.Ext(name) {
	case ".csv", ".tsv", ".txt":
		return "csv", nil
	case ".ndjson", ".jsonl":
		return "ndjson", nil
	case ".json":
		return "json", nil
	case ".parquet", ".pq":
		return "parquet", nil
	}
	return "", fmt.Errorf("cannot tell the format from the name: set file.format (csv, ndjson, json or parquet)")
}

func delimiterFor(d rune, in string) rune {
	if d != 0 {
		return d
	}
	if strings.HasSuffix(strings.TrimSuffix(strings.ToLower(in), ".gz"), ".tsv") {
		return '\t'
	}
	return ','
}

func knownFormat(f string) bool {
	return f == "csv" || f == "ndjson" || f == "json" || f == "parquet"
}

func baseName(in string) string {
	if isURL(in) {
		p := in
		if i := strings.IndexAny(p, "?#"); i >= 0 {
			p = p[:i]
		}
		return path.Base(p)
	}
	return filepath.Base(in)
}

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
