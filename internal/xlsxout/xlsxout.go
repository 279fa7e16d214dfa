package xlsxout

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/klauspost/compress/flate"
	"github.com/xuri/excelize/v2"

	"assessor/internal/atomicfile"
)

// Save writes f to path atomically and reproducibly, with the rows of
// SheetRows written into their sheets.
func Save(f *excelize.File, path string, rows ...SheetRows) error {
	return atomicfile.Write(path, func(w io.Writer) error { return WriteTo(f, w, rows...) })
}

// Stage writes f beside path, reproducibly, without renaming it into place:
// see atomicfile.Stage.
func Stage(f *excelize.File, path string, rows ...SheetRows) (*atomicfile.Staged, error) {
	return atomicfile.Stage(path, func(w io.Writer) error { return WriteTo(f, w, rows...) })
}

// WriteTo writes f to w with the canonical part order.
func WriteTo(f *excelize.File, w io.Writer, rows ...SheetRows) error {
	splices := make(map[string]func(*RowWriter) error, len(rows))
	for _, r := range rows {
		if _, dup := splices[r.Sheet]; dup {
			return fmt.Errorf("xlsxout: rows for sheet %s given twice", r.Sheet)
		}
		splices[r.Sheet] = r.Write
	}
	// excelize hands the zip writer a buffer of its own, to copy to w once
	// the package is complete; the zip is written to w instead, so that the
	// package is not held in memory, and excelize's buffer stays empty.
	var z *canonicalZip
	f.SetZipWriter(func(io.Writer) excelize.ZipWriter { z = newCanonicalZip(w, splices); return z })
	if _, err := f.WriteTo(io.Discard); err != nil {
		if z != nil {
			z.abort()
		}
		return fmt.Errorf("write workbook: %w", err)
	}
	return nil
}

// SheetRows are rows a worksheet gets while the workbook is saved, after the
// rows excelize holds for it: Write writes them through a RowWriter straight
// into the sheet's part, so that a long table is neither kept in memory nor
// passed through excelize's StreamWriter. The sheet must hold a sheetData
// element (a StreamWriter flushed after the header rows leaves one), and the
// rows must follow its last row. The sheets' rows are written at the same
// time, one sheet per core.
type SheetRows struct {
	Sheet string
	Write func(*RowWriter) error
}

// canonicalZip is an excelize.ZipWriter that deflates each part into memory as it
// is written and emits all parts on Close, in canonical order, with zero
// timestamps. Parts are deflated in goroutines of their own, one per core
// at a time, while excelize goes on writing the next: a part's bytes are
// the same whatever the timing.
type canonicalZip struct {
	w       io.Writer
	splices map[string]func(*RowWriter) error // by sheet name; see SheetRows
	entries []*zipEntry
	cur     *zipEntry
	writers chan *flate.Writer // one per core: a part takes one to deflate, and gives it back
	made    int                // deflate writers made so far
	wg      sync.WaitGroup
}

// zipEntry is one deflated part. A part whose content needs putting in
// canonical order is kept raw until it is complete.
type zipEntry struct {
	name  string
	buf   bytes.Buffer
	spill *os.File // a spliced part's deflated bytes, kept on disk rather than in buf
	// unlinked is set when spill's name was removed as soon as it was made.
	unlinked bool
	crc      uint32 // IEEE CRC-32 of the part's bytes
	size     uint64
	raw      *bytes.Buffer
	chunks   chan []byte // the part's bytes, in order, to its deflating goroutine
	pending  []byte      // bytes not yet handed over: small writes are gathered
	err      error       // the deflating goroutine's, read after it is done
}

// chunkPool recycles the copies of the bytes handed to a deflating goroutine.
var chunkPool = sync.Pool{New: func() any { return make([]byte, 0, 64<<10) }}

func (e *zipEntry) Write(p []byte) (int, error) {
	if e.raw != nil {
		return e.raw.Write(p)
	}
	e.crc = crc32.Update(e.crc, crc32.IEEETable, p)
	e.size += uint64(len(p))
	for rest := p; len(rest) > 0; {
		if e.pending == nil {
			e.pending = chunkPool.Get().([]byte)[:0]
		}
		n := min(len(rest), cap(e.pending)-len(e.pending))
		e.pending = append(e.pending, rest[:n]...)
		rest = rest[n:]
		if len(e.pending) == cap(e.pending) {
			e.handOver()
		}
	}
	return len(p), nil
}

// handOver sends the gathered bytes to the deflating goroutine.
func (e *zipEntry) handOver() {
	if len(e.pending) > 0 {
		e.chunks <- e.pending
	}
	e.pending = nil
}

// deflate compresses the part's chunks as they come, with fw, until the
// channel is closed.
func (e *zipEntry) deflate(fw *flate.Writer) {
	fw.Reset(&e.buf)
	for chunk := range e.chunks {
		if e.err == nil {
			_, e.err = fw.Write(chunk)
		}
		chunkPool.Put(chunk[:0])
	}
	if e.err == nil {
		e.err = fw.Close()
	}
}

// contentTypes is the part that lists the package's content types; excelize
// adds the image types to it in map order when a drawing is added.
const contentTypes = "[Content_Types].xml"

// defaultType is a <Default Extension=… ContentType=…> element of the content
// types part.
var defaultType = regexp.MustCompile(`<Default [^>]*?(?:/>|></Default>)`)

// canonicalContentTypes sorts the run of <Default> elements of the content
// types part; the order of elements carries no meaning there.
func canonicalContentTypes(data []byte) []byte {
	locs := defaultType.FindAllIndex(data, -1)
	if len(locs) < 2 {
		return data
	}
	elems := make([][]byte, len(locs))
	for i, l := range locs {
		if i > 0 && l[0] != locs[i-1][1] {
			return data // not one run: leave it as written
		}
		elems[i] = data[l[0]:l[1]]
	}
	sort.Slice(elems, func(i, j int) bool { return bytes.Compare(elems[i], elems[j]) < 0 })
	start, end := locs[0][0], locs[len(locs)-1][1]
	out := append([]byte(nil), data[:start]...)
	out = append(out, bytes.Join(elems, nil)...)
	return append(out, data[end:]...)
}

// compression is the deflate level of every part: the fastest, which makes
// a workbook a fifth larger than the default level in a third of the time —
// for results written once and read by a department head, time counts more.
// The deflater is klauspost/compress's (already in the module graph through
// Arrow), half as fast again as the standard library's at this level on our
// sheets, and a little smaller.
const compression = flate.BestSpeed

func newCanonicalZip(w io.Writer, splices map[string]func(*RowWriter) error) *canonicalZip {
	return &canonicalZip{w: w, splices: splices, writers: make(chan *flate.Writer, runtime.NumCPU())}
}

// keptRaw reports whether a part is kept whole until the package is closed:
// the content types, to be put in order, and, when rows are to be spliced
// into sheets, the workbook, its relationships and the worksheets, to find
// which part holds which sheet.
func (z *canonicalZip) keptRaw(name string) bool {
	if name == contentTypes {
		return true
	}
	if len(z.splices) == 0 {
		return false
	}
	return name == workbookPart || name == workbookRels ||
		strings.HasPrefix(name, "xl/worksheets/") && strings.HasSuffix(name, ".xml") && !strings.Contains(name, "_rels/")
}

func (z *canonicalZip) Create(name string) (io.Writer, error) {
	if err := z.finish(); err != nil {
		return nil, err
	}
	e := &zipEntry{name: name}
	z.entries = append(z.entries, e)
	z.cur = e
	if z.keptRaw(name) {
		e.raw = &bytes.Buffer{}
		return e, nil
	}
	if err := z.startDeflate(e); err != nil {
		return nil, err
	}
	return e, nil
}

// startDeflate starts a part's deflating goroutine, waiting for a deflate
// writer when every core's is in use.
func (z *canonicalZip) startDeflate(e *zipEntry) error {
	var fw *flate.Writer
	if z.made < cap(z.writers) {
		var err error
		if fw, err = flate.NewWriter(io.Discard, compression); err != nil {
			return fmt.Errorf("deflate %s: %w", e.name, err)
		}
		z.made++
	} else {
		fw = <-z.writers
	}
	e.chunks = make(chan []byte, 16)
	z.wg.Add(1)
	go func() {
		defer z.wg.Done()
		e.deflate(fw)
		z.writers <- fw
	}()
	return nil
}

// AddFS is not used by excelize when saving; it is refused rather than ignored.
func (z *canonicalZip) AddFS(fs.FS) error {
	return errors.New("xlsxout: AddFS is not supported")
}

// finish ends the part being written: its goroutine deflates what is left
// while the next part is written. A raw part is deflated now that it is
// whole.
func (z *canonicalZip) finish() error {
	e := z.cur
	if e == nil {
		return nil
	}
	z.cur = nil
	if e.raw != nil {
		return nil // deflated on Close
	}
	e.handOver()
	close(e.chunks)
	return nil
}

// deflateRaw deflates a part kept whole, now that the package is complete.
func (z *canonicalZip) deflateRaw(e *zipEntry) error {
	raw := e.raw.Bytes()
	e.raw = nil
	if e.name == contentTypes {
		raw = canonicalContentTypes(raw)
	}
	if err := z.startDeflate(e); err != nil {
		return err
	}
	if _, err := e.Write(raw); err != nil {
		return err
	}
	e.handOver()
	close(e.chunks)
	return nil
}

// abort ends the part being written and waits for every deflating goroutine,
// when excelize stops writing without closing the package.
func (z *canonicalZip) abort() {
	if z.cur != nil && z.cur.raw == nil && z.cur.chunks != nil {
		close(z.cur.chunks)
	}
	z.cur = nil
	z.wg.Wait()
}

func (z *canonicalZip) Close() error {
	defer z.removeSpills()
	err := z.finish()
	if err == nil {
		err = z.completeRaw()
	}
	z.wg.Wait() // every part deflated
	if err != nil {
		return err
	}
	for _, e := range z.entries {
		if e.err != nil {
			return fmt.Errorf("part %s: %w", e.name, e.err)
		}
	}
	sort.SliceStable(z.entries, func(i, j int) bool {
		return partRank(z.entries[i].name) < partRank(z.entries[j].name) ||
			partRank(z.entries[i].name) == partRank(z.entries[j].name) && z.entries[i].name < z.entries[j].name
	})
	zw := zip.NewWriter(z.w)
	seen := map[string]bool{}
	for _, e := range z.entries {
		if seen[e.name] {
			return fmt.Errorf("xlsxout: part %s written twice", e.name)
		}
		seen[e.name] = true
		var packed io.Reader = &e.buf
		size := int64(e.buf.Len())
		if e.spill != nil {
			var err error
			if size, err = e.spill.Seek(0, io.SeekEnd); err == nil {
				_, err = e.spill.Seek(0, io.SeekStart)
			}
			if err != nil {
				return fmt.Errorf("zip %s: %w", e.name, err)
			}
			packed = e.spill
		}
		w, err := zw.CreateRaw(&zip.FileHeader{
			Name:               e.name,
			Method:             zip.Deflate,
			CRC32:              e.crc,
			CompressedSize64:   uint64(size),
			UncompressedSize64: e.size,
		})
		if err != nil {
			return fmt.Errorf("zip %s: %w", e.name, err)
		}
		if n, err := io.Copy(w, packed); err != nil || n != size {
			return fmt.Errorf("zip %s: %d of %d bytes copied: %w", e.name, n, size, err)
		}
	}
	return zw.Close()
}

// partRank puts the content types first and the package relationships second, as
// Office writes them; everything else follows by name.
func partRank(name string) int {
	switch name {
	case "[Content_Types].xml":
		return 0
	case "_rels/.rels":
		return 1
	}
	return 2
}
