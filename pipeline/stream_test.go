package pipeline

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

func fxBatch(mem memory.Allocator, currencies ...string) arrow.RecordBatch {
	rows := make([]map[string]string, len(currencies))
	for i, c := range currencies {
		rows[i] = map[string]string{"currency": c}
	}
	return buildBatch(mem, TypedSchema(FXRates), rows)
}

// A consumer reads the producer's batches in order and then the producer's
// verdict: an error given to Close makes the reader fail, so a source that
// broke halfway is never loaded as if it were whole.
func TestStreamCarriesBatchesThenTheProducersError(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	s := NewStream(TypedSchema(FXRates))
	broke := errors.New("page 3: unexpected EOF")
	go func() {
		for _, c := range []string{"PKR", "EUR", "AED"} {
			b := fxBatch(mem, c)
			if err := s.Send(t.Context(), b); err != nil {
				t.Errorf("send %s: %v", c, err)
			}
			b.Release() // the stream holds its own reference
		}
		s.Close(broke)
	}()
	var got []string
	for s.Next() {
		got = append(got, s.RecordBatch().Column(1).ValueStr(0))
		if s.Record() != s.RecordBatch() {
			t.Error("Record and RecordBatch disagree")
		}
	}
	if fmt.Sprint(got) != "[PKR EUR AED]" || !errors.Is(s.Err(), broke) {
		t.Errorf("read %v then err %v, want PKR EUR AED then the producer's error", got, s.Err())
	}
	if !s.Schema().Equal(TypedSchema(FXRates)) {
		t.Errorf("schema = %s", s.Schema())
	}
	s.Release()
}

// A consumer that stops early must not leave the producer blocked for
// ever: once every reference to the reader is released, Send says the
// stream is closed, and Drain frees what was sent but never read.
func TestStreamReleasedByItsConsumerStopsTheProducer(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	s := NewStream(TypedSchema(FXRates))
	send := func(c string) {
		b := fxBatch(mem, c)
		defer b.Release()
		if err := s.Send(t.Context(), b); err != nil {
			t.Fatal(err)
		}
	}
	send("PKR")
	send("EUR")
	if !s.Next() { // the consumer holds PKR
		t.Fatal("no first batch")
	}
	send("AED") // EUR and AED fill the buffer
	s.Retain()  // a second holder: the stream stays open until both release
	s.Release()
	b := fxBatch(mem, "INR")
	defer b.Release()
	sent := make(chan error)
	go func() { sent <- s.Send(t.Context(), b) }() // blocks on the full buffer
	s.Release()
	if err := <-sent; !errors.Is(err, errStreamClosed) {
		t.Errorf("send to a released stream: %v, want errStreamClosed", err)
	}
	s.Close(nil)
	s.Drain()
}

// A producer blocked on a full stream gives up when the run is cancelled.
func TestStreamSendGivesUpOnCancel(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	s := NewStream(TypedSchema(FXRates))
	defer s.Release()
	b := fxBatch(mem, "PKR")
	defer b.Release()
	for range 2 {
		if err := s.Send(t.Context(), b); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := s.Send(ctx, b); !errors.Is(err, context.Canceled) {
		t.Errorf("send on a cancelled run: %v, want context.Canceled", err)
	}
	s.Close(nil)
	s.Drain()
}

// Which error explains a dataset that failed: the producer's (extract or
// transform) unless it only echoes staging having stopped.
func TestFirstErrorExplainsTheFailedStage(t *testing.T) {
	extract := errors.New("extract daraz: HTTP 500")
	stage := errors.New("stage listings: disk full")
	ourCancel := fmt.Errorf("extract daraz: %w", context.Canceled)
	closed := fmt.Errorf("transform listings: %w", errStreamClosed)
	tests := []struct {
		name        string
		perr, serr  error
		interrupted bool
		want        error
	}{
		{"nothing failed", nil, nil, false, nil},
		{"the source failed, and staging failed on its account", extract, stage, false, extract},
		{"staging failed and the producer was stopped by it", ourCancel, stage, false, stage},
		{"staging failed and closed the stream under the producer", closed, stage, false, stage},
		{"the run was interrupted", ourCancel, nil, true, context.Canceled},
		{"the run was interrupted and staging said so too", ourCancel, stage, true, stage},
		{"staging quit early without an error", ourCancel, nil, false, ErrNotReconciled},
		{"staging closed the stream without an error", closed, nil, false, ErrNotReconciled},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := firstError(tc.perr, tc.serr, tc.interrupted)
			if (got == nil) != (tc.want == nil) || (tc.want != nil && !errors.Is(got, tc.want)) {
				t.Errorf("firstError = %v, want %v", got, tc.want)
			}
		})
	}
}

// The exit code a scheduler acts on, from the error that ended a dataset.
func TestClassifyGivesSchedulersTheirExitCode(t *testing.T) {
	r := &Runner{}
	for _, tc := range []struct {
		err  error
		want int
	}{
		{fmt.Errorf("extract daraz: %w: HTTP 503", ErrSourceUnavailable), ExitUnavailable},
		{fmt.Errorf("extract daraz: %w", context.Canceled), ExitInterrupted},
		{errors.New("extract daraz: HTTP 400"), ExitFailed},
	} {
		err := r.classify(Listings, tc.err)
		if got := ExitCode(err); got != tc.want || !errors.Is(err, tc.err) {
			t.Errorf("classify(%v) exits %d, want %d, wrapping the error", tc.err, got, tc.want)
		}
	}
	if ExitCode(nil) != ExitOK || WithExit(ExitFailed, nil) != nil {
		t.Error("no error must mean exit 0")
	}
}
