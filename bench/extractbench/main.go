// Command extractbench measures extraction alone: it builds the sources of a
// pipeline config exactly as `exportpipe run` does, pulls them, and drops
// each Arrow batch as soon as it is emitted, so the figures are the
// extractor's (I/O, decoding, field mapping, batch building), with no
// transform, staging or DuckDB in the process. bench/extract.sh runs it on
// the benchmark NDJSON files and against the demo simulator on loopback.
//
//	extractbench -config bench/bench.yaml -source bench_listings
//
// It prints one tab-separated line per source on stdout:
//
//	source records bytes pages requests seconds cpu_seconds records_per_s mb_per_s peak_rss_mb
//
// cpu_seconds is this process's user+system CPU time for the source: on
// loopback, seconds minus cpu_seconds is roughly the time spent waiting for
// the server, which shares the machine.
//
// Peak RSS is the process's high-water mark (VmHWM), read after the last
// source; it is "-" where /proc is not available.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	_ "github.com/exportpipe/exportpipe/extractors" // the built-in source kinds
	"github.com/exportpipe/exportpipe/pipeline"
)

func main() {
	cfgPath := flag.String("config", "", "pipeline config whose sources are extracted (required)")
	only := flag.String("source", "", "extract only this source (default: every source, in config order)")
	header := flag.Bool("header", false, "print a header line first")
	flag.Parse()
	log := slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	out := bufio.NewWriter(os.Stdout)
	err := run(out, *cfgPath, *only, *header, log)
	out.Flush()
	if err != nil {
		fmt.Fprintln(os.Stderr, "extractbench:", err)
		os.Exit(1)
	}
}

func run(out io.Writer, cfgPath, only string, header bool, log *slog.Logger) error {
	if cfgPath == "" {
		return errors.New("-config is required (for example bench/bench.yaml)")
	}
	cfg, err := pipeline.LoadConfig(cfgPath)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	if header {
		fmt.Fprintln(out, "source\trecords\tbytes\tpages\trequests\tseconds\tcpu_seconds\trecords_per_s\tmb_per_s\tpeak_rss_mb")
	}
	found := false
	for i, s := range cfg.Sources {
		if only != "" && s.Name != only {
			continue
		}
		found = true
		e, err := cfg.BuildSource(i, cfg.BuildEnv(os.LookupEnv, log))
		if err != nil {
			return err
		}
		// A checked allocator would cost the figures; the Go allocator is
		// what the pipeline runs with.
		mem := memory.NewGoAllocator()
		var batches int64
		start, cpu0 := time.Now(), cpuSeconds()
		st, err := e.Extract(ctx, mem, func(arrow.RecordBatch) error { batches++; return nil })
		secs, cpu := time.Since(start).Seconds(), cpuSeconds()-cpu0
		if err != nil {
			return fmt.Errorf("source %s: %w", s.Name, err)
		}
		fmt.Fprintf(out, "%s\t%d\t%d\t%d\t%d\t%.2f\t%.2f\t%.0f\t%.1f\t%s\n", s.Name, st.Records, st.Bytes, st.Pages, st.Requests,
			secs, cpu, float64(st.Records)/secs, float64(st.Bytes)/secs/1e6, peakRSS())
		log.Info("extracted", "source", s.Name, "batches", batches)
	}
	if !found {
		return fmt.Errorf("no source named %q in %s", only, cfgPath)
	}
	return nil
}

// peakRSS reads the process's resident-set high-water mark from
// /proc/self/status, in MB.
func peakRSS() string {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "-"
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			var kb int64
			if _, err := fmt.Sscanf(strings.TrimSpace(rest), "%d kB", &kb); err == nil {
				return fmt.Sprint(kb / 1024)
			}
		}
	}
	return "-"
}

// cpuSeconds is the user+system CPU time the process has used so far.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}
