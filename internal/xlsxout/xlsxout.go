package xlsxout

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"io/fs"
	"regexp"
	"sort"

	"github.com/xuri/excelize/v2"

	"assessor/internal/atomicfile"
)

// Save writes f to path atomically and reproducibly.
func Save(f *excelize.File, path string) error {
	return atomicfile.Write(path, func(w io.Writer) error { return WriteTo(f, w) })
}

// Stage writes f beside path, reproducibly, without renaming it into place:
// see atomicfile.Stage.
func Stage(f *excelize.File, path string) (*atomicfile.Staged, error) {
	return atomicfile.Stage(path, func(w io.Writer) error { return WriteTo(f, w) })
}

// WriteTo writes f to w with the canonical part order.
func WriteTo(f *excelize.File, w io.Writer) error {
	f.SetZipWriter(func(w io.Writer) excelize.ZipWriter { return newCanonicalZip(w) })
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("write workbook: %w", err)
	}
	return nil
}

// canonicalZip is an excelize.ZipWriter that deflates each part into memory as it
// is written and emits all parts on Close, in canonical order, with zero
// timestamps.
type canonicalZip struct {
	w       io.Writer
	entries []*zipEntry
	cur     *zipEntry
	fw      *flate.Writer // reset for each part: parts are written one at a time
}

// zipEntry is one deflated part. A part whose content needs putting in
// canonical order is kept raw until it is complete.
type zipEntry struct {
	name string
	buf  bytes.Buffer
	fw   *flate.Writer
	crc  hash.Hash32
	size uint64
	raw  *bytes.Buffer
}

func (e *zipEntry) Write(p []byte) (int, error) {
	if e.raw != nil {
		return e.raw.Write(p)
	}
	return e.deflate(p)
}

func (e *zipEntry) deflate(p []byte) (int, error) {
	e.crc.Write(p)
	e.size += uint64(len(p))
	return e.fw.Write(p)
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
const compression = flate.BestSpeed

func newCanonicalZip(w io.Writer) *canonicalZip { return &canonicalZip{w: w} }

func (z *canonicalZip) Create(name string) (io.Writer, error) {
	if err := z.finish(); err != nil {
		return nil, err
	}
	e := &zipEntry{name: name, crc: crc32.NewIEEE()}
	if z.fw == nil {
		fw, err := flate.NewWriter(&e.buf, compression)
		if err != nil {
			return nil, fmt.Errorf("deflate %s: %w", name, err)
		}
		z.fw = fw
	} else {
		z.fw.Reset(&e.buf)
	}
	e.fw = z.fw
	if name == contentTypes {
		e.raw = &bytes.Buffer{}
	}
	z.entries = append(z.entries, e)
	z.cur = e
	return e, nil
}

// AddFS is not used by excelize when saving; it is refused rather than ignored.
func (z *canonicalZip) AddFS(fs.FS) error {
	return errors.New("xlsxout: AddFS is not supported")
}

// finish closes the part being written.
func (z *canonicalZip) finish() error {
	e := z.cur
	if e == nil {
		return nil
	}
	z.cur = nil
	if e.raw != nil {
		if _, err := e.deflate(canonicalContentTypes(e.raw.Bytes())); err != nil {
			return fmt.Errorf("deflate %s: %w", e.name, err)
		}
	}
	return e.fw.Close()
}

func (z *canonicalZip) Close() error {
	if err := z.finish(); err != nil {
		return err
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
		w, err := zw.CreateRaw(&zip.FileHeader{
			Name:               e.name,
			Method:             zip.Deflate,
			CRC32:              e.crc.Sum32(),
			CompressedSize64:   uint64(e.buf.Len()),
			UncompressedSize64: e.size,
		})
		if err != nil {
			return fmt.Errorf("zip %s: %w", e.name, err)
		}
		if _, err := w.Write(e.buf.Bytes()); err != nil {
			return fmt.Errorf("zip %s: %w", e.name, err)
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
