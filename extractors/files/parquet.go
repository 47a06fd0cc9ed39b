package files

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// parquet reads a Parquet file batch by batch (one row group in memory at
// most) and renders every value as text, as the raw schema wants.
func (r *reader) parquet(ra io.ReaderAt, size int64) error {
	pf, err := file.NewParquetReader(io.NewSectionReader(ra, 0, size))
	if err != nil {
		// The reader's own words ("parquet: file is smaller than
		// indicated metadata size") say how it failed, not what the file is.
		return fmt.Errorf("not a Parquet file, or a damaged one (%s): check the file, or set file.format if it is in another format",
			strings.TrimPrefix(err.Error(), "parquet: "))
	}
	defer pf.Close()
	batch := int64(r.e.cfg.BatchSize)
	if batch <= 0 {
		batch = 16384
	}
	fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{BatchSize: batch}, r.mem)
	if err != nil {
		return fmt.Errorf("parquet: %w", err)
	}
	rr, err := fr.GetRecordReader(r.ctx, nil, nil)
	if err != nil {
		return fmt.Errorf("parquet: %w", err)
	}
	defer rr.Release()
	for rr.Next() {
		if err := r.parquetBatch(rr.RecordBatch()); err != nil {
			return err
		}
	}
	if err := rr.Err(); err != nil && err != io.EOF {
		return fmt.Errorf("parquet: %w", err)
	}
	return nil
}

func (r *reader) parquetBatch(rec arrow.RecordBatch) error {
	sc := rec.Schema()
	names := make([]string, sc.NumFields())
	index := map[string]int{}
	for i, f := range sc.Fields() {
		names[i] = f.Name
		index[f.Name] = i
	}
	vals := make([]string, len(names))
	nulls := make([]bool, len(names))
	for row := 0; row < int(rec.NumRows()); row++ {
		for c := range names {
			vals[c], nulls[c] = valueText(rec.Column(c), row)
		}
		n := r.records + 1
		r.b.Add(func(key string) (string, bool) {
			if i, ok := index[key]; ok {
				return vals[i], !nulls[i] && vals[i] != ""
			}
			return r.pseudo(key, n)
		}, parquetRowJSON(names, vals, nulls))
		if err := r.next(); err != nil {
			return err
		}
	}
	return nil
}

// valueText renders one value; null reports true. Timestamps become RFC
// 3339 in UTC and dates ISO dates, which every transform parser reads.
func valueText(a arrow.Array, i int) (string, bool) {
	if a.IsNull(i) {
		return "", true
	}
	switch v := a.(type) {
	case *array.String:
		return v.Value(i), false
	case *array.LargeString:
		return v.Value(i), false
	case *array.Timestamp:
		unit := v.DataType().(*arrow.TimestampType).Unit
		return v.Value(i).ToTime(unit).UTC().Format(time.RFC3339Nano), false
	case *array.Date32:
		return v.Value(i).ToTime().Format(time.DateOnly), false
	case *array.Date64:
		return v.Value(i).ToTime().Format(time.DateOnly), false
	}
	return a.ValueStr(i), false
}

func parquetRowJSON(names, vals []string, nulls []bool) string {
	buf := []byte{'{'}
	for i, n := range names {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = appendJSONString(buf, n)
		buf = append(buf, ':')
		if nulls[i] {
			buf = append(buf, "null"...)
		} else {
			buf = appendJSONString(buf, vals[i])
		}
	}
	return string(append(buf, '}'))
}
