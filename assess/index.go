package assess

import (
	"fmt"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"

	"assessor/config"
	"assessor/dataset"
)

// platform is a register entry.
type platform struct {
	id, name, leadUnit         string
	programme, subtype, league code // numbers in the register's codes
	approved                   arrow.Date32
	at                         cellRef // the entry's row, named by its id cell
}

// cellRef is the row a value was read from: a source sheet and its row. The
// indexes keep a row for every platform and report; its cell is made
// (dataset.Set.Cell) only for the few that a problem or an outcome names.
type cellRef struct{ source, row int32 }

// cell returns the location of the row's cell of column key.
func (c cellRef) cell(set *dataset.Set, key string) dataset.Location {
	return set.Cell(c.source, c.row, key)
}

// ref returns the row as the dataset names it.
func (c cellRef) ref() dataset.RowRef { return dataset.RowRef{Source: c.source, Row: c.row} }

// header returns the header text of the row's column key.
func (c cellRef) header(set *dataset.Set, key string) string { return set.Header(c.source, key) }

// register indexes the register by platform id. An id registered more than once
// keeps all its entries: none of them is chosen.
type register struct {
	byID *grouped[platform] // its keys: the ids in first-seen order
	// rejected holds the rows of ids whose register entry was refused.
	rejected map[string][]cellRef
	codes    numbering[code] // the entries' programmes, sub-types and 盟市
}

// readRegister reads the register table.
func readRegister(set *dataset.Set) (*register, error) {
	reg := &register{byID: newGrouped[platform](0, 0), rejected: rejectedRows(set, config.TableRegister, 0)}
	tbl, ok := set.Tables[config.TableRegister]
	if !ok {
		reg.byID.build()
		return reg, nil
	}
	reg.byID = newGrouped[platform](int(tbl.NumRows()), int(tbl.NumRows()))
	err := eachRecord(tbl, func(rec arrow.Record) error {
		cols, err := columns(rec, dataset.FieldSource, dataset.FieldRow, "id", "name", "programme", "subtype", "league", "approved", "lead_unit")
		if err != nil {
			return fmt.Errorf("register: %w", err)
		}
		src, row := cols[0].(*array.Int32), cols[1].(*array.Int32)
		approved := cols[7].(*array.Date32)
		for i := 0; i < int(rec.NumRows()); i++ {
			p := platform{
				id: str(cols[2], i), name: str(cols[3], i), leadUnit: str(cols[8], i),
				programme: reg.codes.number(view(cols[4], i)), subtype: reg.codes.number(view(cols[5], i)), league: reg.codes.number(view(cols[6], i)),
				approved: approved.Value(i),
				at:       cellRef{src.Value(i), row.Value(i)},
			}
			reg.byID.add(p.id, p)
		}
		return nil
	})
	reg.byID.build()
	return reg, err
}

// reportRow is an accepted report row of the assessment year.
type reportRow struct {
	rec int32 // its record: reports.records[rec]
	i   int32 // row in the record
	at  cellRef
}

// reports indexes one programme's accepted report rows of one year by platform
// id, and counts the rows of other years. It holds the records of those rows
// until each is done with (done) or the index is released.
type reports struct {
	byID    *grouped[reportRow] // its keys: the ids in first-seen order
	records []arrow.Record
	// pending counts, by record, its rows whose platform has not been
	// stepped: a record is released once none is left, so that a
	// roster's records are given back while its platforms are assessed.
	pending []atomic.Int32
	unused  int
}

// record returns the record holding a row, which must not be done with.
func (r *reports) record(row *reportRow) arrow.Record { return r.records[row.rec] }

// done tells the index that the platform whose rows are rows has been
// stepped, and releases each record none of whose rows is left. A
// platform is stepped once, by one goroutine; any number may call done.
func (r *reports) done(rows []reportRow) {
	for _, row := range rows {
		if r.pending[row.rec].Add(-1) == 0 {
			r.records[row.rec].Release()
		}
	}
}

// release releases the records the index holds and done has not; it may be
// called again, and not while done may be.
func (r *reports) release() {
	for k, rec := range r.records {
		if r.pending[k].Load() > 0 {
			rec.Release()
		}
	}
	r.records, r.pending = nil, nil
}

// readReports reads a programme's report rows for the year.
func readReports(set *dataset.Set, key string, year int) (*reports, error) {
	rs := &reports{byID: newGrouped[reportRow](0, 0)}
	tbl, ok := set.Tables[key]
	if !ok {
		rs.byID.build()
		return rs, nil
	}
	rs.byID = newGrouped[reportRow](int(tbl.NumRows()), int(tbl.NumRows()))
	var counts []int32 // rows kept, by record
	err := eachRecord(tbl, func(rec arrow.Record) error {
		cols, err := columns(rec, dataset.FieldSource, dataset.FieldRow, "id", "year")
		if err != nil {
			return fmt.Errorf("%s reports: %w", key, err)
		}
		src, row, years := cols[0].(*array.Int32), cols[1].(*array.Int32), cols[3].(*array.Int32)
		k, kept := int32(len(rs.records)), int32(0)
		for i := 0; i < int(rec.NumRows()); i++ {
			if int(years.Value(i)) != year {
				rs.unused++
				continue
			}
			rs.byID.add(str(cols[2], i), reportRow{rec: k, i: int32(i), at: cellRef{src.Value(i), row.Value(i)}})
			kept++
		}
		if kept > 0 {
			rec.Retain()
			rs.records = append(rs.records, rec)
			counts = append(counts, kept)
		}
		return nil
	})
	rs.pending = make([]atomic.Int32, len(counts))
	for k, n := range counts {
		rs.pending[k].Store(n)
	}
	if err != nil {
		rs.release()
		return nil, err
	}
	rs.byID.build()
	return rs, nil
}

// rejectedRows indexes the rejected rows of a table and year (0 for the
// register) by platform id.
func rejectedRows(set *dataset.Set, key string, year int) map[string][]cellRef {
	out := map[string][]cellRef{}
	for _, r := range set.Rejected {
		if r.Table == key && r.Year == year && r.ID != "" {
			out[r.ID] = append(out[r.ID], cellRef{r.Source, r.Row})
		}
	}
	return out
}

// cells returns the locations of the rows' cells of column key.
func cells(set *dataset.Set, rows []cellRef, key string) []dataset.Location {
	out := make([]dataset.Location, len(rows))
	for i, r := range rows {
		out[i] = r.cell(set, key)
	}
	return out
}

// event is an event reported in the events sheet.
type event struct {
	code, document, note string
}

// expertScore is one expert's score of a platform.
type expertScore struct {
	expert string
	score  float64
	at     cellRef // named by its score cell
}

// sideRows indexes the events and expert scores of one year by platform id.
type sideRows struct {
	events  *grouped[event]
	experts *grouped[expertScore]
	ids     map[string]cellRef // every id seen, for unknown-platform checks: its first row
	order   []string
}

// readSideRows reads the year's events and expert scores.
func readSideRows(set *dataset.Set, year int) (*sideRows, error) {
	sr := &sideRows{events: newGrouped[event](0, 0), experts: newGrouped[expertScore](0, 0), ids: map[string]cellRef{}}
	note := func(id string, at cellRef) {
		if _, seen := sr.ids[id]; !seen {
			sr.ids[id] = at
			sr.order = append(sr.order, id)
		}
	}
	if tbl, ok := set.Tables[config.TableEvents]; ok {
		sr.events = newGrouped[event](int(tbl.NumRows()), 0) // the map grows to the ids found
		err := eachRecord(tbl, func(rec arrow.Record) error {
			cols, err := columns(rec, dataset.FieldSource, dataset.FieldRow, "id", "year", "event", "document", "note")
			if err != nil {
				return fmt.Errorf("events: %w", err)
			}
			src, row, years := cols[0].(*array.Int32), cols[1].(*array.Int32), cols[3].(*array.Int32)
			for i := 0; i < int(rec.NumRows()); i++ {
				if int(years.Value(i)) != year {
					continue
				}
				id := str(cols[2], i)
				at := cellRef{src.Value(i), row.Value(i)}
				sr.events.add(id, event{code: str(cols[4], i), document: str(cols[5], i), note: str(cols[6], i)})
				note(id, at)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	if tbl, ok := set.Tables[config.TableExpertScores]; ok {
		sr.experts = newGrouped[expertScore](int(tbl.NumRows()), 0) // the map grows to the platforms with a panel
		err := eachRecord(tbl, func(rec arrow.Record) error {
			cols, err := columns(rec, dataset.FieldSource, dataset.FieldRow, "id", "year", "expert", "score")
			if err != nil {
				return fmt.Errorf("expert scores: %w", err)
			}
			src, row, years, scores := cols[0].(*array.Int32), cols[1].(*array.Int32), cols[3].(*array.Int32), cols[5].(*array.Float64)
			for i := 0; i < int(rec.NumRows()); i++ {
				if int(years.Value(i)) != year {
					continue
				}
				id := str(cols[2], i)
				at := cellRef{src.Value(i), row.Value(i)}
				sr.experts.add(id, expertScore{expert: str(cols[4], i), score: scores.Value(i), at: at})
				note(id, at)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	sr.events.build()
	sr.experts.build()
	return sr, nil
}

// eachRecord calls fn with each record batch of a table.
func eachRecord(tbl arrow.Table, fn func(arrow.Record) error) error {
	tr := array.NewTableReader(tbl, 0)
	defer tr.Release()
	for tr.Next() {
		if err := fn(tr.Record()); err != nil {
			return err
		}
	}
	return tr.Err()
}

// columns returns a record's columns by name, failing when one is missing.
func columns(rec arrow.Record, names ...string) ([]arrow.Array, error) {
	out := make([]arrow.Array, len(names))
	for i, name := range names {
		col, err := column(rec, name)
		if err != nil {
			return nil, err
		}
		out[i] = col
	}
	return out, nil
}

// column returns a record's column by name (the schema's own index, a map
// lookup), failing when it is missing or not unique.
func column(rec arrow.Record, name string) (arrow.Array, error) {
	idx := rec.Schema().FieldIndices(name)
	if len(idx) != 1 {
		return nil, fmt.Errorf("column %q missing from table", name)
	}
	return rec.Column(idx[0]), nil
}

// str reads a string column's value; null reads as "". The value is a copy:
// the result keeps it, and the dataset's columns may be released (their
// memory given back to their allocator) once the year is assessed.
func str(a arrow.Array, i int) string { return strings.Clone(view(a, i)) }

// code is the number of a programme, sub-type or 盟市 code in the
// register's codes: the configuration's few (ingest refuses any other
// value), far from the 65,536 a number holds.
type code uint16

// view returns a string column's value without copying it: "" for a null.
func view(a arrow.Array, i int) string {
	s := a.(*array.String)
	if s.IsNull(i) {
		return ""
	}
	return s.Value(i)
}

// places lists locations for a message: "a.xlsx [表] B7、b.xlsx [表] B9".
func places(locs []dataset.Location) string {
	parts := make([]string, len(locs))
	for i, l := range locs {
		parts[i] = l.String()
	}
	slices.Sort(parts)
	return strings.Join(parts, "、")
}
