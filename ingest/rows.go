package ingest

import (
	"context"
	"errors"
	"sync"

	"assessor/internal/xlsxin"
)

// errTooManyCells ends the reading of a workbook over the cell cap.
var errTooManyCells = errors.New("too many cells")

// cellBudget counts down the cells a workbook may still have read.
type cellBudget struct{ left int64 }

// spend takes n cells from the budget; false when it is exhausted.
func (b *cellBudget) spend(n int) bool {
	b.left -= int64(n)
	return b.left >= 0
}

// Sizes of the row pipeline: rows per batch, batches in flight.
const (
	pipelineBatchRows = 256
	pipelineBatches   = 4
)

// rowBatch is a run of rows the decoder hands to the converter. The values
// are copied out of the reader's reused slices (the strings themselves are
// not copied: they are immutable).
type rowBatch struct {
	nums       []int
	offs       []int // row i's cells are values[offs[i]:offs[i+1]]
	values     []string
	styles     []int
	uncomputed [][]xlsxin.Formula // by row; nil for most
	last       bool               // no batch follows; err ends the rows (nil at the end)
	err        error
}

func (b *rowBatch) reset() {
	b.nums, b.offs, b.values, b.styles = b.nums[:0], b.offs[:1], b.values[:0], b.styles[:0]
	b.uncomputed, b.last, b.err = b.uncomputed[:0], false, nil
}

// add copies the reader's current row.
func (b *rowBatch) add(rows *xlsxin.Rows) {
	b.nums = append(b.nums, rows.Num())
	b.values = append(b.values, rows.Values()...)
	b.styles = append(b.styles, rows.Styles()...)
	b.offs = append(b.offs, len(b.values))
	var unc []xlsxin.Formula
	if f := rows.Uncomputed(); len(f) > 0 {
		unc = append(unc, f...)
	}
	b.uncomputed = append(b.uncomputed, unc)
}

// sheetRows reads a sheet's rows: a goroutine of its own decodes the
// worksheet ahead, in batches, while the caller converts the rows it has —
// the two cores of a small server both work on one big sheet. It spends the
// workbook's cell budget and stops at cancellation.
type sheetRows struct {
	batches chan *rowBatch // decoded, in order
	free    chan *rowBatch // consumed, for reuse
	stop    chan struct{}
	stopped sync.Once
	done    chan struct{} // closed when the decoder has returned
	budget  *cellBudget
	cur     *rowBatch
	i       int
	err     error

	direct *xlsxin.Rows    // set when the caller reads the rows itself
	ctx    context.Context // checked every 4096 rows when direct
	n      int             // rows read, when direct
	row1   rowBatch        // the current row, when direct
}

// pipelineMinBytes is the sheet size from which rows are decoded ahead in a
// goroutine of their own: below it, the files read in parallel keep the
// cores busy, and a goroutine per sheet would only add its cost.
const pipelineMinBytes = 4 << 20

// startRows starts reading rows: ahead, in a decoder goroutine, for a sheet
// of minBytes or more; in step with the caller for a smaller one.
func startRows(ctx context.Context, rows *xlsxin.Rows, budget *cellBudget, minBytes int64) *sheetRows {
	sr := &sheetRows{budget: budget}
	if rows.Size() < minBytes {
		sr.direct, sr.ctx = rows, ctx
		return sr
	}
	sr.batches, sr.free = make(chan *rowBatch, pipelineBatches), make(chan *rowBatch, pipelineBatches)
	sr.stop, sr.done = make(chan struct{}), make(chan struct{})
	for range pipelineBatches {
		sr.free <- &rowBatch{offs: []int{0}}
	}
	go sr.decode(ctx, rows)
	return sr
}

// decode fills batches until the rows end, fail, the context is cancelled
// or the reader stops.
func (sr *sheetRows) decode(ctx context.Context, rows *xlsxin.Rows) {
	defer close(sr.done)
	for {
		var b *rowBatch
		select {
		case b = <-sr.free:
		case <-sr.stop:
			return
		}
		b.reset()
		for len(b.nums) < pipelineBatchRows && rows.Next() {
			b.add(rows)
		}
		switch {
		case ctx.Err() != nil:
			b.last, b.err = true, ctx.Err()
		case len(b.nums) < pipelineBatchRows:
			b.last, b.err = true, rows.Err()
		}
		select {
		case sr.batches <- b:
		case <-sr.stop:
			return
		}
		if b.last {
			return
		}
	}
}

// next advances to the next row written in the sheet; false at the end or on
// an error (see err).
func (sr *sheetRows) next() bool {
	if sr.err != nil {
		return false
	}
	if sr.direct != nil {
		return sr.nextDirect()
	}
	if sr.cur != nil && sr.i+1 < len(sr.cur.nums) {
		sr.i++
		return sr.spend()
	}
	if sr.cur != nil {
		if sr.cur.last {
			sr.err = sr.cur.err
			return false
		}
		sr.free <- sr.cur
		sr.cur = nil
	}
	b := <-sr.batches
	sr.cur, sr.i = b, 0
	if len(b.nums) == 0 {
		sr.err = b.err
		return false
	}
	return sr.spend()
}

// nextDirect is next for a sheet read in step: the current row is kept as a
// batch of one, without copying its values.
func (sr *sheetRows) nextDirect() bool {
	if sr.n++; sr.n%4096 == 0 {
		if sr.err = sr.ctx.Err(); sr.err != nil {
			return false
		}
	}
	if !sr.direct.Next() {
		sr.err = sr.direct.Err()
		return false
	}
	rows := sr.direct
	b := &sr.row1
	b.nums = append(b.nums[:0], rows.Num())
	b.values, b.styles = rows.Values(), rows.Styles()
	b.offs = append(b.offs[:0], 0, len(b.values))
	b.uncomputed = append(b.uncomputed[:0], rows.Uncomputed())
	sr.cur, sr.i = b, 0
	return sr.spend()
}

// spend takes the current row's cells from the budget.
func (sr *sheetRows) spend() bool {
	if !sr.budget.spend(sr.cur.offs[sr.i+1] - sr.cur.offs[sr.i]) {
		sr.err = errTooManyCells
		return false
	}
	return true
}

// num is the current row's 1-based number.
func (sr *sheetRows) num() int { return sr.cur.nums[sr.i] }

// row returns the current row; its slices are valid until next moves past
// the batch, unless copied.
func (sr *sheetRows) row() sheetRow {
	b, i := sr.cur, sr.i
	return sheetRow{values: b.values[b.offs[i]:b.offs[i+1]], styles: b.styles[b.offs[i]:b.offs[i+1]], uncomputed: b.uncomputed[i]}
}

// close stops the decoder and waits for it to return.
func (sr *sheetRows) close() {
	if sr.direct != nil {
		return
	}
	sr.stopped.Do(func() { close(sr.stop) })
	<-sr.done
}
