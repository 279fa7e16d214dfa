package xlsxout

import (
	"bufio"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"

	"github.com/klauspost/compress/flate"
	"github.com/xuri/excelize/v2"
)

// DeflatedRows holds rows encoded and deflated before the workbook that
// takes them is saved, for RowWriter.Deflated to put into their sheet's part
// as they are: a long table's rows can then be made, encoded and deflated
// once, on the core that made them, while its columns are being measured,
// rather than kept and made again once the widths are known. The rows go to
// a temporary file with no name (see createSpill), not memory.
//
// The rows are deflated in segments, each from a fresh compressor and ending
// on a byte boundary: Cut ends one. Rows cut at the same places give the
// same bytes whichever DeflatedRows they were added to, so a table shared
// among cores comes out the same on any number of them when it is cut at
// fixed rows.
//
// A DeflatedRows is used by one goroutine at a time; Close releases its file.
type DeflatedRows struct {
	out  *spillDeflater // the encoded rows, deflated
	rw   *RowWriter     // writes to out
	rows int
	done bool // Deflated has taken the rows
	err  error
}

// NewDeflatedRows makes an empty DeflatedRows.
func NewDeflatedRows() (*DeflatedRows, error) {
	out, err := newSpillDeflater()
	if err != nil {
		return nil, fmt.Errorf("xlsxout: temporary file for rows: %w", err)
	}
	return &DeflatedRows{out: out, rw: NewRowWriter(out)}, nil
}

// spillDeflater deflates what is written to it into a temporary file with
// no name (see createSpill), keeping the checksum and size of the bytes
// written: a spliced part (spliceWriter) or rows deflated ahead
// (DeflatedRows).
type spillDeflater struct {
	file     *os.File
	unlinked bool // the file's name was removed as it was made
	packed   *bufio.Writer
	fw       *flate.Writer // writes to packed
	crc      uint32        // IEEE CRC-32 of the bytes written
	size     int64
	open     bool // bytes were written since the stream began or was cut
}

// newSpillDeflater makes a spillDeflater on a new temporary file.
func newSpillDeflater() (*spillDeflater, error) {
	f, unlinked, err := createSpill()
	if err != nil {
		return nil, err
	}
	sd := &spillDeflater{file: f, unlinked: unlinked, packed: bufio.NewWriterSize(f, 256<<10)}
	if sd.fw, err = flate.NewWriter(sd.packed, compression); err != nil {
		sd.close()
		return nil, err
	}
	return sd, nil
}

func (sd *spillDeflater) Write(p []byte) (int, error) {
	sd.crc = crc32.Update(sd.crc, crc32.IEEETable, p)
	sd.size += int64(len(p))
	sd.open = true
	return sd.fw.Write(p)
}

// cut ends the stream written since it began or was last cut on a byte
// boundary, without ending the deflated data, and begins afresh: what is
// written next does not refer back to it. It does nothing when nothing was
// written since.
func (sd *spillDeflater) cut() error {
	if !sd.open {
		return nil
	}
	if err := sd.fw.Flush(); err != nil {
		return err
	}
	sd.fw.Reset(sd.packed)
	sd.open = false
	return nil
}

// finish ends the deflated data and writes it all to the file.
func (sd *spillDeflater) finish() error {
	if err := sd.fw.Close(); err != nil {
		return err
	}
	return sd.packed.Flush()
}

// close closes the file, removing it if it has a name.
func (sd *spillDeflater) close() error {
	err := sd.file.Close()
	if !sd.unlinked {
		os.Remove(sd.file.Name())
	}
	return err
}

// Row adds row num with its cells and height, as RowWriter.Row writes it.
func (d *DeflatedRows) Row(num int, cells []excelize.Cell, height float64) error {
	if d.err != nil {
		return d.err
	}
	if d.done {
		return errDeflatedTaken
	}
	if err := d.rw.Row(num, cells, height); err != nil {
		if d.rw.err != nil { // the file failed, not the row
			d.err = fmt.Errorf("xlsxout: temporary file for rows: %w", d.rw.err)
		}
		return err
	}
	d.rows++
	return nil
}

// Rows is the number of rows added.
func (d *DeflatedRows) Rows() int { return d.rows }

// Cut ends the segment of the rows added so far: the rows added next are
// deflated afresh. It does nothing when no row was added since the last cut.
func (d *DeflatedRows) Cut() error {
	if d.err != nil {
		return d.err
	}
	err := d.rw.Flush()
	if err == nil {
		err = d.out.cut()
	}
	if err != nil {
		d.err = fmt.Errorf("xlsxout: temporary file for rows: %w", err)
	}
	return d.err
}

// errDeflatedTaken is the error for rows added to a DeflatedRows, or a
// DeflatedRows written, once its rows were written.
var errDeflatedTaken = errors.New("xlsxout: deflated rows already written")

// writeTo ends the last segment and copies the deflated rows to w, once.
func (d *DeflatedRows) writeTo(w io.Writer) error {
	if d.done {
		return errDeflatedTaken
	}
	if err := d.Cut(); err != nil {
		return err
	}
	d.done = true
	fail := func(err error) error {
		d.err = fmt.Errorf("xlsxout: temporary file for rows: %w", err)
		return d.err
	}
	if err := d.out.packed.Flush(); err != nil {
		return fail(err)
	}
	if _, err := d.out.file.Seek(0, io.SeekStart); err != nil {
		return fail(err)
	}
	if _, err := io.Copy(w, d.out.file); err != nil {
		return fail(err)
	}
	return nil
}

// Close releases the file. It can be called more than once.
func (d *DeflatedRows) Close() error {
	if d.out == nil {
		return nil
	}
	err := d.out.close()
	d.out = nil
	if d.err == nil {
		d.err = errors.New("xlsxout: deflated rows closed")
	}
	return err
}

// Deflated writes the rows d holds after the rows written so far; their
// numbers must follow those rows'. It is for the RowWriter a SheetRows'
// Write is given, whose rows go straight into a part being saved, and it
// can be called once for each DeflatedRows.
func (w *RowWriter) Deflated(d *DeflatedRows) error {
	if err := w.Flush(); err != nil {
		return err
	}
	sw, ok := w.w.(*spliceWriter)
	if !ok {
		return errors.New("xlsxout: deflated rows written outside a part being saved")
	}
	return sw.appendDeflated(d)
}

// appendDeflated puts d's deflated rows into the part: the part's stream
// so far is ended on a byte boundary, d's segments follow it as they are,
// and what is written next is deflated afresh. The part's checksum takes
// d's (crc32Combine).
func (w *spliceWriter) appendDeflated(d *DeflatedRows) error {
	if d.err != nil {
		return d.err
	}
	if d.rows == 0 {
		return nil
	}
	if err := w.cut(); err != nil {
		return err
	}
	if err := d.writeTo(w.packed); err != nil {
		return err
	}
	w.crc = crc32Combine(w.crc, d.out.crc, d.out.size)
	w.size += d.out.size
	return nil
}

// crc32Combine is the IEEE CRC-32 of a's bytes followed by b's, from their
// checksums and the length of b's (zlib's crc32_combine): each bit of a's
// checksum is carried through lenB zero bytes by repeated squaring of the
// operator that shifts one zero bit in, and b's checksum is added.
func crc32Combine(crcA, crcB uint32, lenB int64) uint32 {
	if lenB <= 0 {
		return crcA
	}
	var even, odd [32]uint32 // operators for even and odd powers of two zero bits
	odd[0] = crc32.IEEE      // one zero bit
	for n, row := 1, uint32(1); n < 32; n, row = n+1, row<<1 {
		odd[n] = row
	}
	gf2Square(&even, &odd) // two zero bits
	gf2Square(&odd, &even) // four
	for {
		gf2Square(&even, &odd) // one zero byte, then two, four…
		if lenB&1 != 0 {
			crcA = gf2Times(&even, crcA)
		}
		if lenB >>= 1; lenB == 0 {
			break
		}
		gf2Square(&odd, &even)
		if lenB&1 != 0 {
			crcA = gf2Times(&odd, crcA)
		}
		if lenB >>= 1; lenB == 0 {
			break
		}
	}
	return crcA ^ crcB
}

// gf2Times multiplies the 32×32 bit matrix mat by vec over GF(2).
func gf2Times(mat *[32]uint32, vec uint32) uint32 {
	var sum uint32
	for i := 0; vec != 0; i, vec = i+1, vec>>1 {
		if vec&1 != 0 {
			sum ^= mat[i]
		}
	}
	return sum
}

// gf2Square sets square to mat × mat.
func gf2Square(square, mat *[32]uint32) {
	for n := range mat {
		square[n] = gf2Times(mat, mat[n])
	}
}
