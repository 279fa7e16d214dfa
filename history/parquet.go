package history

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet"
	"github.com/apache/arrow/go/v17/parquet/compress"
	"github.com/apache/arrow/go/v17/parquet/file"
	"github.com/apache/arrow/go/v17/parquet/pqarrow"

	"assessor/dataset"
)

// Meta is written into each year's file (Parquet key-value metadata) beside
// the states, and read back by Store.Meta.
type Meta struct {
	ConfigHash string // hash of the configuration the run used
	Version    string // version of the program that wrote the file
}

// Key-value metadata keys of a year file.
const (
	keyYear       = "assessor.year"
	keyConfigHash = "assessor.config_hash"
	keyVersion    = "assessor.version"
)

// compression is the year files' codec. Snappy rather than zstd: the files
// are a few hundred rows, so zstd's better ratio buys nothing, and Snappy's
// encoder (golang/snappy) has not changed its output in years, whereas
// klauspost/compress tunes its zstd encoder between releases, which could
// change the bytes of an unchanged history after a dependency update. Every
// Parquet reader (DuckDB, pandas, Spark) reads Snappy.
var compression = compress.Codecs.Snappy

// column maps one State field to one Arrow column: its field in the schema,
// how to append a state's value to a builder of the field's type, and how to
// set a state's field from a row of an array of that type.
type column struct {
	field  arrow.Field
	append func(b array.Builder, st *dataset.State)
	read   func(a arrow.Array, row int, st *dataset.State) error
	// room is what a state adds to the column's builders, to make room for
	// a row group's states before appending; nil for fixed-width columns.
	room func(st *dataset.State) room
}

// room is what a state adds to a column: a map's entries, and the bytes of
// its strings (a string column's value, a map's keys, a map's string items).
type room struct {
	entries, bytes, itemBytes int
}

// add adds r to the room a row group needs.
func (r *room) add(more room) {
	r.entries += more.entries
	r.bytes += more.bytes
	r.itemBytes += more.itemBytes
}

// columns is the layout of a year file, in order (documented in doc.go).
var columns = []column{
	stringColumn("id", func(s *dataset.State) *string { return &s.ID }),
	stringColumn("programme", func(s *dataset.State) *string { return &s.Programme }),
	int32Column("year", func(s *dataset.State) *int { return &s.Year }),
	stringColumn("status", func(s *dataset.State) *string { return (*string)(&s.Status) }),
	int32Column("since", func(s *dataset.State) *int { return &s.Since }),
	int32Column("review", func(s *dataset.State) *int { return &s.Review }),
	int32Column("fail_streak", func(s *dataset.State) *int { return &s.FailStreak }),
	stringColumn("outcome", func(s *dataset.State) *string { return &s.Outcome }),
	stringColumn("source", func(s *dataset.State) *string { return &s.Source }),
	mapColumn("grades", arrow.BinaryTypes.String,
		func(s *dataset.State) *dataset.Entries[string] { return &s.Grades },
		func(b array.Builder, v string) { b.(*array.StringBuilder).Append(v) },
		func(a arrow.Array, i int) string { return a.(*array.String).Value(i) }),
	mapColumn("scores", arrow.PrimitiveTypes.Float64,
		func(s *dataset.State) *dataset.Entries[float64] { return &s.Scores },
		func(b array.Builder, v float64) { b.(*array.Float64Builder).Append(v) },
		func(a arrow.Array, i int) float64 { return a.(*array.Float64).Value(i) }),
	mapColumn("grants", arrow.PrimitiveTypes.Int32,
		func(s *dataset.State) *dataset.Entries[int] { return &s.Grants },
		func(b array.Builder, v int) { b.(*array.Int32Builder).Append(int32(v)) },
		func(a arrow.Array, i int) int { return int(a.(*array.Int32).Value(i)) }),
	mapColumn("values", arrow.PrimitiveTypes.Float64,
		func(s *dataset.State) *dataset.Entries[float64] { return &s.Values },
		func(b array.Builder, v float64) { b.(*array.Float64Builder).Append(v) },
		func(a arrow.Array, i int) float64 { return a.(*array.Float64).Value(i) }),
}

// stringColumn is a non-null utf8 column.
func stringColumn(name string, field func(*dataset.State) *string) column {
	return column{
		field: arrow.Field{Name: name, Type: arrow.BinaryTypes.String},
		room:  func(st *dataset.State) room { return room{bytes: len(*field(st))} },
		append: func(b array.Builder, st *dataset.State) {
			b.(*array.StringBuilder).Append(*field(st))
		},
		read: func(a arrow.Array, row int, st *dataset.State) error {
			*field(st) = a.(*array.String).Value(row)
			return nil
		},
	}
}

// int32Column is a non-null int32 column; checkState keeps the values in
// range.
func int32Column(name string, field func(*dataset.State) *int) column {
	return column{
		field: arrow.Field{Name: name, Type: arrow.PrimitiveTypes.Int32},
		append: func(b array.Builder, st *dataset.State) {
			b.(*array.Int32Builder).Append(int32(*field(st)))
		},
		read: func(a arrow.Array, row int, st *dataset.State) error {
			*field(st) = int(a.(*array.Int32).Value(row))
			return nil
		},
	}
}

// mapColumn is a nullable map<utf8, item> column with non-null items: a nil
// map is written as null and an empty one as an empty map, and each is read
// back as it was written. Entries are written sorted by key.
func mapColumn[V any](name string, item arrow.DataType,
	field func(*dataset.State) *dataset.Entries[V],
	appendItem func(array.Builder, V), itemAt func(arrow.Array, int) V) column {
	typ := arrow.MapOf(arrow.BinaryTypes.String, item)
	typ.SetItemNullable(false)
	return column{
		field: arrow.Field{Name: name, Type: typ, Nullable: true},
		room: func(st *dataset.State) room {
			r := room{entries: len(*field(st))}
			for _, en := range *field(st) {
				r.bytes += len(en.Key)
				if s, ok := any(en.Value).(string); ok {
					r.itemBytes += len(s)
				}
			}
			return r
		},
		append: func(b array.Builder, st *dataset.State) {
			mb := b.(*array.MapBuilder)
			entries := *field(st)
			if entries == nil {
				mb.AppendNull()
				return
			}
			mb.Append(true)
			for _, en := range entries { // in key order (checked before writing)
				mb.KeyBuilder().(*array.StringBuilder).Append(en.Key)
				appendItem(mb.ItemBuilder(), en.Value)
			}
		},
		read: func(a arrow.Array, row int, st *dataset.State) error {
			ma := a.(*array.Map)
			if ma.IsNull(row) {
				*field(st) = nil
				return nil
			}
			keys, items := ma.Keys().(*array.String), ma.Items()
			start, end := ma.ValueOffsets(row)
			entries := make(dataset.Entries[V], 0, end-start)
			for j := int(start); j < int(end); j++ {
				if keys.IsNull(j) || items.IsNull(j) {
					return fmt.Errorf("column %s: null key or value", name)
				}
				entries = append(entries, dataset.Entry[V]{Key: keys.Value(j), Value: itemAt(items, j)})
			}
			// Written in key order; a file from elsewhere may not be.
			slices.SortStableFunc(entries, func(a, b dataset.Entry[V]) int { return strings.Compare(a.Key, b.Key) })
			for j := 1; j < len(entries); j++ {
				if entries[j-1].Key == entries[j].Key {
					return fmt.Errorf("column %s: key %q twice", name, entries[j].Key)
				}
			}
			*field(st) = entries
			return nil
		},
	}
}

// schema is the Arrow schema of a year file, with its metadata.
func schema(year int, meta Meta) *arrow.Schema {
	fields := make([]arrow.Field, len(columns))
	for i, c := range columns {
		fields[i] = c.field
	}
	md := arrow.NewMetadata(
		[]string{keyYear, keyConfigHash, keyVersion},
		[]string{strconv.Itoa(year), meta.ConfigHash, meta.Version})
	return arrow.NewSchema(fields, &md)
}

// writerProps fixes everything the Parquet writer could vary. created_by is
// the constant "parquet-go version 17.0.0"; the writer adds no timestamps.
func writerProps(mem memory.Allocator) (*parquet.WriterProperties, pqarrow.ArrowWriterProperties) {
	return parquet.NewWriterProperties(
			parquet.WithAllocator(mem),
			parquet.WithCompression(compression),
		),
		pqarrow.NewArrowWriterProperties(pqarrow.WithAllocator(mem))
}

// encode writes the year's states to w as Parquet, sorted by (programme, id).
func encode(w io.Writer, year int, states dataset.States, sorted []int, meta Meta, mem memory.Allocator,
	check func(*dataset.State) error) error {
	sch := schema(year, meta)
	props, arrProps := writerProps(mem)
	sink := &sink{w: w}
	fw, err := pqarrow.NewFileWriter(sch, sink, props, arrProps)
	if err != nil {
		return fmt.Errorf("write parquet: %w", err)
	}
	// A row group at a time: the states of a national roster are made and
	// held a group at a time. A year of no states is one empty group.
	group := make([]dataset.State, 0, min(len(sorted), rowGroupRows))
	for from := 0; from == 0 || from < len(sorted); from += rowGroupRows {
		group = group[:0]
		for _, at := range sorted[from:min(from+rowGroupRows, len(sorted))] {
			group = append(group, states.At(at))
			if check == nil {
				continue
			}
			if err := check(&group[len(group)-1]); err != nil {
				_ = fw.Close()
				return err
			}
		}
		rec := record(sch, group, mem)
		err := fw.Write(rec)
		rec.Release()
		if err != nil {
			_ = fw.Close()
			return fmt.Errorf("write parquet: %w", err)
		}
	}
	if err := cmp.Or(fw.Close(), sink.err); err != nil {
		return fmt.Errorf("write parquet: %w", err)
	}
	return nil
}

// rowGroupRows is the most states in a row group of a year file.
const rowGroupRows = 64 << 10

// sink is what the Parquet writer writes to. It hides w's Close, which the
// writer would call (atomicfile syncs and closes the file itself), and keeps
// the first write error, which the writer's Close can lose: in v17 an error
// writing the footer is dropped if closing the sink succeeds.
type sink struct {
	w   io.Writer
	err error
}

// Write writes p to w unless an earlier write failed.
func (s *sink) Write(p []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	n, err := s.w.Write(p)
	s.err = err
	return n, err
}

// record builds one Arrow record of the states; the caller releases it.
func record(sch *arrow.Schema, states []dataset.State, mem memory.Allocator) arrow.Record {
	b := array.NewRecordBuilder(mem, sch)
	defer b.Release()
	for j, c := range columns { // room for every row, rather than growing by doubling
		b.Field(j).Reserve(len(states))
		if c.room == nil {
			continue
		}
		var r room
		for i := range states {
			r.add(c.room(&states[i]))
		}
		switch fb := b.Field(j).(type) {
		case *array.StringBuilder:
			fb.ReserveData(r.bytes)
		case *array.MapBuilder:
			fb.KeyBuilder().Reserve(r.entries)
			fb.KeyBuilder().(*array.StringBuilder).ReserveData(r.bytes)
			fb.ItemBuilder().Reserve(r.entries)
			if sb, ok := fb.ItemBuilder().(*array.StringBuilder); ok {
				sb.ReserveData(r.itemBytes)
			}
		}
	}
	for i := range states {
		for j, c := range columns {
			c.append(b.Field(j), &states[i])
		}
	}
	return b.NewRecord()
}

// readMeta reads a year file's key-value metadata and checks its year.
func readMeta(r parquet.ReaderAtSeeker, year int) (Meta, error) {
	pf, err := file.NewParquetReader(r)
	if err != nil {
		return Meta{}, fmt.Errorf("read parquet: %w", err)
	}
	return metaOf(pf, year)
}

// metaOf returns the metadata of an open year file after checking its year.
func metaOf(pf *file.Reader, year int) (Meta, error) {
	kv := pf.MetaData().KeyValueMetadata()
	y := kv.FindValue(keyYear)
	switch {
	case y == nil:
		return Meta{}, fmt.Errorf("no %s metadata", keyYear)
	case *y != strconv.Itoa(year):
		return Meta{}, fmt.Errorf("%s metadata is %q, but the file is named for %d", keyYear, *y, year)
	}
	var m Meta
	if v := kv.FindValue(keyConfigHash); v != nil {
		m.ConfigHash = *v
	}
	if v := kv.FindValue(keyVersion); v != nil {
		m.Version = *v
	}
	return m, nil
}

// decode reads and validates a year file: its metadata names the year, its
// columns are the layout's, every row is of the year and no id is repeated.
func decode(r parquet.ReaderAtSeeker, year int, mem memory.Allocator) ([]dataset.State, error) {
	pf, err := file.NewParquetReader(r)
	if err != nil {
		return nil, fmt.Errorf("read parquet: %w", err)
	}
	if _, err := metaOf(pf, year); err != nil {
		return nil, err
	}
	fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{}, mem)
	if err != nil {
		return nil, fmt.Errorf("read parquet: %w", err)
	}
	sc, err := fr.Schema()
	if err != nil {
		return nil, fmt.Errorf("read parquet schema: %w", err)
	}
	if err := checkSchema(sc); err != nil {
		return nil, err
	}
	tbl, err := fr.ReadTable(context.Background())
	if err != nil {
		return nil, fmt.Errorf("read parquet: %w", err)
	}
	defer tbl.Release()
	states, err := rows(tbl)
	if err != nil {
		return nil, err
	}
	return states, checkRows(year, states)
}

// checkSchema compares a file's columns with the layout's.
func checkSchema(sc *arrow.Schema) error {
	if sc.NumFields() != len(columns) {
		return fmt.Errorf("%d columns, want %d (%s)", sc.NumFields(), len(columns), schema(0, Meta{}))
	}
	for i, c := range columns {
		got := sc.Field(i)
		if got.Name != c.field.Name || !sameType(got.Type, c.field.Type) || got.Nullable != c.field.Nullable {
			return fmt.Errorf("column %d is %s, want %s", i+1, got, c.field)
		}
	}
	return nil
}

// sameType compares types, for maps only by key and item types: the names
// Parquet gives the entries group and whether keys are flagged sorted are no
// concern of ours, and pqarrow reads every map's items back as nullable even
// though it writes them as required (mapColumn's read checks for nulls).
func sameType(got, want arrow.DataType) bool {
	gm, ok1 := got.(*arrow.MapType)
	wm, ok2 := want.(*arrow.MapType)
	if !ok1 || !ok2 {
		return arrow.TypeEqual(got, want)
	}
	return arrow.TypeEqual(gm.KeyType(), wm.KeyType()) && arrow.TypeEqual(gm.ItemType(), wm.ItemType())
}

// rows turns a table of the layout's columns into states.
func rows(tbl arrow.Table) ([]dataset.State, error) {
	states := make([]dataset.State, tbl.NumRows())
	for j, c := range columns {
		row := 0
		for _, chunk := range tbl.Column(j).Data().Chunks() {
			if chunk.NullN() > 0 && !c.field.Nullable {
				return nil, fmt.Errorf("column %s: null values", c.field.Name)
			}
			for i := 0; i < chunk.Len(); i++ {
				if err := c.read(chunk, i, &states[row]); err != nil {
					return nil, fmt.Errorf("row %d: %w", row+1, err)
				}
				row++
			}
		}
		if row != len(states) {
			return nil, fmt.Errorf("column %s: %d rows, want %d", c.field.Name, row, len(states))
		}
	}
	return states, nil
}

// checkRows checks that every state is of the year and ids are distinct.
func checkRows(year int, states []dataset.State) error {
	seen := make(map[string]bool, len(states))
	var errs []error
	for i, st := range states {
		if st.Year != year {
			errs = append(errs, fmt.Errorf("row %d (platform %s): year %d", i+1, st.ID, st.Year))
		}
		if seen[st.ID] {
			errs = append(errs, fmt.Errorf("row %d: platform %q twice", i+1, st.ID))
		}
		seen[st.ID] = true
	}
	return errors.Join(errs...)
}

// fitsInt32 says whether n can be stored in an int32 column.
func fitsInt32(n int) bool { return n >= math.MinInt32 && n <= math.MaxInt32 }
