package xlsxin

import (
	"archive/zip"
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strings"
	"sync"

	"github.com/klauspost/compress/flate"
)

// Errors that say why a file is not a readable workbook. Open and the row
// reader wrap them in an *Error.
var (
	ErrEmpty     = errors.New("empty file")
	ErrEncrypted = errors.New("password-protected (encrypted) workbook")
	ErrLegacy    = errors.New("legacy binary workbook (.xls)")
	ErrBinary    = errors.New("binary workbook (.xlsb)")
	ErrNotZip    = errors.New("not a zip package")
	ErrCorrupt   = errors.New("damaged zip package")
	ErrTooLarge  = errors.New("uncompressed size over the cap")
	ErrNoSheets  = errors.New("no sheets")
	ErrMissing   = errors.New("a part the workbook refers to is missing")
	ErrRowLimit  = errors.New("row number beyond the sheet limit of 1048576")
	// ErrSharedString is a cell that refers to a shared string that does not
	// exist; a reader that ignored it would show a blank.
	ErrSharedString = errors.New("shared string index out of range")
	// ErrOrder is a row or cell written out of order or twice.
	ErrOrder = errors.New("rows or cells out of order")
	// ErrBadReference is a cell or row reference that cannot be.
	ErrBadReference = errors.New("bad cell or row reference")
)

// Error is a failure to read a workbook, with the part and the row where it
// happened (Row 0 when not in a row).
type Error struct {
	Part string
	Row  int
	Err  error
}

func (e *Error) Error() string {
	switch {
	case e.Part == "":
		return e.Err.Error()
	case e.Row > 0:
		return fmt.Sprintf("%s row %d: %v", e.Part, e.Row, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.Part, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// Limits bound what reading one workbook may cost.
type Limits struct {
	// MaxUnzipBytes caps the sum of the package's uncompressed part sizes
	// (the zip reader holds each part to its declared size).
	MaxUnzipBytes int64
}

// SheetKind is what a sheet of the workbook is.
type SheetKind uint8

// Sheet kinds. Only worksheets hold cells.
const (
	Worksheet SheetKind = iota
	Chartsheet
	Dialogsheet
	Macrosheet
)

// Sheet is one sheet of a workbook, in workbook order.
type Sheet struct {
	Name   string
	Kind   SheetKind
	Hidden bool
	part   string // the worksheet part; "" when the workbook names none
}

// Workbook is an open workbook. Its methods are not safe for concurrent use.
type Workbook struct {
	zr       *zip.Reader
	file     *os.File             // the package's file, when not read into memory
	parts    map[string]*zip.File // by lower-case part name
	sheets   []Sheet
	date1904 bool

	sstPart, stylesPart string
	// The shared strings and the styles are read on first use; a part that
	// fails to read fails every use alike.
	sst                   []string
	styles                *styles
	sstErr, stylesErr     error
	sstLoaded, stylesRead bool

	ref *reference // set when the workbook is read by the reference reader
}

// Open opens a workbook. A file that is not one — empty, encrypted, an old
// binary workbook, not a zip package, damaged, over the size cap — is an
// *Error wrapping the matching Err value. A package laid out in a way the fast
// reader does not handle is opened with the reference reader (excelize).
func Open(name string, lim Limits) (*Workbook, error) {
	src, size, file, err := openPackage(name)
	if err != nil {
		return nil, &Error{Err: err}
	}
	zr, err := zip.NewReader(src, size)
	if err != nil {
		closeFile(file)
		return nil, &Error{Err: fmt.Errorf("%w: %v", ErrCorrupt, err)}
	}
	zr.RegisterDecompressor(zip.Deflate, inflate)
	wb := &Workbook{zr: zr, file: file, parts: map[string]*zip.File{}}
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
		if lim.MaxUnzipBytes > 0 && total > uint64(lim.MaxUnzipBytes) {
			wb.Close()
			return nil, &Error{Err: fmt.Errorf("%w of %d bytes", ErrTooLarge, lim.MaxUnzipBytes)}
		}
		key := strings.ToLower(partName(f.Name))
		if _, dup := wb.parts[key]; dup {
			wb.Close()
			return nil, &Error{Err: fmt.Errorf("%w: part %s twice", ErrCorrupt, f.Name)}
		}
		wb.parts[key] = f
	}
	err = wb.readStructure()
	if errors.Is(err, errUnusual) {
		wb.Close()
		return openReference(name, lim, err)
	}
	if err != nil {
		wb.Close()
		return nil, err
	}
	return wb, nil
}

// inMemory is the size up to which a package is read into memory whole
// rather than part by part from the file: a form of a few kilobytes is then
// one read instead of a system call per part and per 4 KiB of it.
const inMemory = 4 << 20

// openPackage opens a package file for reading, after sniff has found it to
// be a zip package: from memory when it is small (file is then nil), else
// from the file, which the caller closes.
func openPackage(name string) (src io.ReaderAt, size int64, file *os.File, err error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, 0, nil, err
	}
	info, err := f.Stat()
	if err == nil {
		size = info.Size()
		err = sniff(io.NewSectionReader(f, 0, size))
	}
	if err != nil {
		f.Close()
		return nil, 0, nil, err
	}
	if size > inMemory {
		return f, size, f, nil
	}
	defer f.Close()
	data := make([]byte, size)
	if _, err := io.ReadFull(io.NewSectionReader(f, 0, size), data); err != nil {
		return nil, 0, nil, err
	}
	return bytes.NewReader(data), size, nil, nil
}

// inflaters keeps klauspost/compress's inflaters for reuse, each with its
// read buffer, as archive/zip keeps its own: a workbook has a dozen parts,
// and a folder hundreds of workbooks.
var inflaters sync.Pool

// inflater is a pooled inflater and its read buffer, which is the
// inflater's flate.Reader, so that resetting it makes no buffer of its own.
type inflater struct {
	fr io.ReadCloser
	br *bufio.Reader
}

// inflate is the deflate decompressor of the packages read: klauspost/compress's,
// a third faster than the standard library's on worksheet XML.
func inflate(r io.Reader) io.ReadCloser {
	in, ok := inflaters.Get().(*inflater)
	if !ok {
		in = &inflater{br: bufio.NewReader(r)}
		in.fr = flate.NewReader(in.br)
		return &pooledInflater{in: in}
	}
	in.br.Reset(r)
	if err := in.fr.(flate.Resetter).Reset(in.br, nil); err != nil {
		in.fr = flate.NewReader(in.br)
	}
	return &pooledInflater{in: in}
}

// pooledInflater reads through an inflater until closed, when the inflater
// goes back to the pool; a wrapper of its own each time, so that a reader
// kept after Close cannot read another part's stream.
type pooledInflater struct {
	in *inflater
}

func (p *pooledInflater) Read(b []byte) (int, error) {
	if p.in == nil {
		return 0, errors.New("read after close")
	}
	return p.in.fr.Read(b)
}

func (p *pooledInflater) Close() error {
	if p.in == nil {
		return nil
	}
	err := p.in.fr.Close()
	p.in.br.Reset(nil)
	inflaters.Put(p.in)
	p.in = nil
	return err
}

// closeFile closes f, if any.
func closeFile(f *os.File) error {
	if f == nil {
		return nil
	}
	return f.Close()
}

// Close releases the workbook.
func (wb *Workbook) Close() error {
	if wb.ref != nil {
		return wb.ref.f.Close()
	}
	return closeFile(wb.file)
}

// Sheets lists the sheets in workbook order.
func (wb *Workbook) Sheets() []Sheet { return wb.sheets }

// Date1904 reports whether date serials count from 1904 rather than 1900.
func (wb *Workbook) Date1904() bool { return wb.date1904 }

// Reader names the reader in use: "fast", or "excelize" for a package the
// fast reader leaves to the reference reader.
func (wb *Workbook) Reader() string {
	if wb.ref != nil {
		return "excelize"
	}
	return "fast"
}

// Magic numbers of the containers a file may really be.
var (
	zipMagic = []byte("PK\x03\x04")
	oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
	// encryptedPackage is the stream an encrypted OOXML file keeps in its OLE2
	// container, named in UTF-16LE.
	encryptedPackage = []byte("E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e\x00")
)

// sniffFile is sniff of the file name.
func sniffFile(name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	return sniff(f)
}

// sniff names what a file is from its first bytes when it is not a zip
// package.
func sniff(f io.Reader) error {
	var magic [8]byte
	n, err := io.ReadFull(f, magic[:])
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return err
	}
	head := magic[:n]
	switch {
	case n == 0:
		return ErrEmpty
	case bytes.HasPrefix(head, oleMagic):
		// An OLE2 container: an encrypted workbook names its stream in the
		// directory near the start.
		more := make([]byte, 64<<10)
		m, _ := io.ReadFull(f, more)
		if bytes.Contains(more[:m], encryptedPackage) {
			return ErrEncrypted
		}
		return ErrLegacy
	case !bytes.HasPrefix(head, zipMagic):
		return ErrNotZip
	}
	return nil
}

// partName turns a zip entry name into a part name: forward slashes, no
// leading slash.
func partName(name string) string {
	return strings.TrimPrefix(strings.ReplaceAll(name, `\`, "/"), "/")
}

// Relationship types, by the last element of their URI, which is the same in
// transitional and strict OOXML.
const (
	relOfficeDocument = "officeDocument"
	relSharedStrings  = "sharedStrings"
	relStyles         = "styles"
)

var sheetKinds = map[string]SheetKind{
	"worksheet":        Worksheet,
	"chartsheet":       Chartsheet,
	"dialogsheet":      Dialogsheet,
	"xlMacrosheet":     Macrosheet,
	"xlIntlMacrosheet": Macrosheet,
}

// rel is one relationship.
type rel struct{ id, kind, target string }

// maxStructureBytes caps the parts read whole: relationships and the
// workbook part.
const maxStructureBytes = 16 << 20

// readStructure finds the workbook part through the package relationships
// and reads its sheets and the parts they use.
func (wb *Workbook) readStructure() error {
	rootRels, err := wb.rels("_rels/.rels")
	if err != nil {
		return err
	}
	workbook := ""
	for _, r := range rootRels {
		if r.kind == relOfficeDocument {
			workbook = resolve("", r.target)
			break
		}
	}
	switch {
	case strings.HasSuffix(strings.ToLower(workbook), ".bin") && wb.part(workbook) != nil:
		return &Error{Part: workbook, Err: ErrBinary}
	case workbook == "" || wb.part(workbook) == nil:
		if wb.part("xl/workbook.xml") == nil {
			return &Error{Err: fmt.Errorf("%w: the package has no workbook part", ErrMissing)}
		}
		return fmt.Errorf("%w: no workbook part named by the package relationships", errUnusual)
	}
	relsPart := path.Join(path.Dir(workbook), "_rels", path.Base(workbook)+".rels")
	if wb.part(relsPart) == nil {
		return &Error{Part: relsPart, Err: fmt.Errorf("%w: the workbook's relationships, which locate its sheets", ErrMissing)}
	}
	wbRels, err := wb.rels(relsPart)
	if err != nil {
		return err
	}
	byID := map[string]rel{}
	for _, r := range wbRels {
		byID[r.id] = r
		switch r.kind {
		case relSharedStrings:
			wb.sstPart = resolve(path.Dir(workbook), r.target)
		case relStyles:
			wb.stylesPart = resolve(path.Dir(workbook), r.target)
		}
	}
	if err := wb.readWorkbook(workbook, byID); err != nil {
		return err
	}
	if len(wb.sheets) == 0 {
		return &Error{Part: workbook, Err: ErrNoSheets}
	}
	// The parts read later must be plain UTF-8 XML too, or the whole
	// workbook goes to the reference reader.
	check := []string{wb.sstPart, wb.stylesPart}
	for _, sh := range wb.sheets {
		check = append(check, sh.part)
	}
	for _, name := range check {
		if err := wb.checkPart(name); err != nil {
			return err
		}
	}
	return nil
}

// checkPart checks the prolog of a part, when the package has it.
func (wb *Workbook) checkPart(name string) error {
	f := wb.part(name)
	if f == nil {
		return nil
	}
	rc, err := f.Open()
	if err != nil {
		return &Error{Part: name, Err: fmt.Errorf("%w: %v", ErrCorrupt, err)}
	}
	defer rc.Close()
	head := make([]byte, prologBytes)
	n, err := io.ReadFull(rc, head)
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return partError(name, 0, err)
	}
	_, err = checkProlog(head[:n])
	return err
}

// readWorkbook reads the sheet list and the date system of the workbook part.
func (wb *Workbook) readWorkbook(part string, byID map[string]rel) error {
	return wb.scanPart(part, maxStructureBytes, func(s *scanner, depth int) error {
		switch {
		case s.is("workbookPr") && depth == 1:
			v, err := s.attrString("date1904")
			wb.date1904 = v == "1" || v == "true"
			return err
		case s.is("sheet") && depth == 2:
			name, err := s.attrString("name")
			if err != nil {
				return err
			}
			id, err := s.attrString("id") // r:id
			if err != nil {
				return err
			}
			state, err := s.attrString("state")
			if err != nil {
				return err
			}
			sh := Sheet{Name: name, Hidden: state == "hidden" || state == "veryHidden"}
			if r, ok := byID[id]; ok {
				kind, known := sheetKinds[r.kind]
				if !known {
					return fmt.Errorf("%w: sheet %q of type %s", errUnusual, name, r.kind)
				}
				sh.Kind, sh.part = kind, resolve(path.Dir(part), r.target)
			}
			wb.sheets = append(wb.sheets, sh)
		}
		return nil
	})
}

// rels reads a relationships part; none when the part is absent.
func (wb *Workbook) rels(part string) ([]rel, error) {
	var out []rel
	if wb.part(part) == nil {
		return nil, nil
	}
	err := wb.scanPart(part, maxStructureBytes, func(s *scanner, depth int) error {
		if !s.is("Relationship") || depth != 1 {
			return nil
		}
		var r rel
		var err error
		if r.id, err = s.attrString("Id"); err != nil {
			return err
		}
		kind, err := s.attrString("Type")
		if err != nil {
			return err
		}
		r.kind = kind[strings.LastIndex(kind, "/")+1:]
		if mode, _ := s.attrString("TargetMode"); mode == "External" {
			return nil
		}
		if r.target, err = s.attrString("Target"); err != nil {
			return err
		}
		out = append(out, r)
		return nil
	})
	return out, err
}

// part returns the zip entry of a part, nil when absent.
func (wb *Workbook) part(name string) *zip.File { return wb.parts[strings.ToLower(name)] }

// scanPart calls visit on every start tag of a part with the depth of its
// element (the root element is at depth 0), so that a visitor takes an
// element where the schema puts it and not an extension's namesake. A part
// larger than max is refused.
func (wb *Workbook) scanPart(name string, max uint64, visit func(s *scanner, depth int) error) error {
	f := wb.part(name)
	if f == nil {
		return &Error{Part: name, Err: ErrMissing}
	}
	if f.UncompressedSize64 > max {
		return &Error{Part: name, Err: fmt.Errorf("%w: part of %d bytes", ErrTooLarge, f.UncompressedSize64)}
	}
	rc, err := f.Open()
	if err != nil {
		return &Error{Part: name, Err: fmt.Errorf("%w: %v", ErrCorrupt, err)}
	}
	defer rc.Close()
	s := newScanner(rc, f.UncompressedSize64)
	for depth := 0; ; {
		kind, err := s.next()
		if err != nil {
			return partError(name, 0, err)
		}
		switch kind {
		case tokEOF:
			return nil
		case tokEnd:
			depth--
		case tokStart:
			if err := visit(s, depth); err != nil {
				return partError(name, 0, err)
			}
			if !s.selfClosing {
				depth++
			}
		}
	}
}

// partError wraps an error met while reading a part; a damaged deflate stream
// or checksum is a damaged package.
func partError(part string, row int, err error) error {
	var xe *Error
	switch {
	case errors.As(err, &xe), errors.Is(err, errUnusual):
		return err
	case errors.Is(err, zip.ErrChecksum), errors.Is(err, zip.ErrFormat), errors.Is(err, io.ErrUnexpectedEOF),
		isFlateError(err):
		err = fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	return &Error{Part: part, Row: row, Err: err}
}

// resolve resolves a relationship target against the folder of its source
// part.
func resolve(base, target string) string {
	target = strings.ReplaceAll(target, `\`, "/")
	if strings.HasPrefix(target, "/") {
		return path.Clean(strings.TrimPrefix(target, "/"))
	}
	return strings.TrimPrefix(path.Clean(path.Join(base, target)), "/")
}

// parseUint parses a decimal number of at most 15 digits; false for anything
// else.
func parseUint(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > 15 {
		return 0, false
	}
	var n int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	return n, true
}

// isFlateError reports a damaged deflate stream (klauspost/compress's
// CorruptInputError is the standard library's, by alias).
func isFlateError(err error) bool {
	var ce flate.CorruptInputError
	return errors.As(err, &ce)
}
