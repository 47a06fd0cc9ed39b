package pipeline

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// Stream connects a producer goroutine to a consumer that wants an
// array.RecordReader (the warehouse's INSERT ... SELECT over an Arrow view).
// Batches cross one at a time, so memory holds a batch or two, never the
// whole source. The consumer may stop early; the producer then sees
// ErrStreamClosed from Send instead of blocking forever.
type Stream struct {
	refs   atomic.Int64
	schema *arrow.Schema
	ch     chan arrow.RecordBatch
	done   chan struct{}
	once   sync.Once
	cur    arrow.RecordBatch

	mu  sync.Mutex
	err error
}

var _ array.RecordReader = (*Stream)(nil)

// NewStream returns an open stream of batches with the given schema.
func NewStream(schema *arrow.Schema) *Stream {
	s := &Stream{schema: schema, ch: make(chan arrow.RecordBatch, 2), done: make(chan struct{})}
	s.refs.Store(1)
	return s
}

// Send hands rec to the consumer, retaining it; the caller still releases
// its own reference.
func (s *Stream) Send(ctx context.Context, rec arrow.RecordBatch) error {
	rec.Retain()
	select {
	case s.ch <- rec:
		return nil
	case <-s.done:
		rec.Release()
		return errStreamClosed
	case <-ctx.Done():
		rec.Release()
		return ctx.Err()
	}
}

// Close ends the stream. A non-nil err is reported to the consumer by Err,
// which makes the consumer's statement fail rather than load a partial set.
func (s *Stream) Close(err error) {
	s.mu.Lock()
	s.err = err
	s.mu.Unlock()
	close(s.ch)
}

func (s *Stream) Retain()               { s.refs.Add(1) }
func (s *Stream) Schema() *arrow.Schema { return s.schema }

func (s *Stream) Release() {
	if s.refs.Add(-1) != 0 {
		return
	}
	s.once.Do(func() { close(s.done) })
	if s.cur != nil {
		s.cur.Release()
		s.cur = nil
	}
}

func (s *Stream) Next() bool {
	if s.cur != nil {
		s.cur.Release()
		s.cur = nil
	}
	rec, ok := <-s.ch
	if !ok {
		return false
	}
	s.cur = rec
	return true
}

func (s *Stream) RecordBatch() arrow.RecordBatch { return s.cur }

// Record is kept for readers written against the older arrow-go name.
func (s *Stream) Record() arrow.RecordBatch { return s.cur }

func (s *Stream) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// Drain releases whatever the producer still sends after the consumer has
// gone, so nothing leaks when a stage fails halfway.
func (s *Stream) Drain() {
	for rec := range s.ch {
		rec.Release()
	}
}
