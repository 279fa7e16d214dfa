package xlsxin

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"unicode/utf8"
)

// tokenKind is the kind of an XML token.
type tokenKind uint8

const (
	tokEOF   tokenKind = iota
	tokStart           // a start tag, or an empty-element tag (selfClosing)
	tokEnd             // an end tag
	tokText            // character data, entities decoded, or a CDATA section
)

// Sizes of the scanner's buffer and its caps on one tag and one text.
const (
	scanBufSize  = 64 << 10
	maxTagBytes  = 1 << 20  // a start tag longer than this is refused
	maxTextBytes = 32 << 20 // a text longer than this is refused (Excel allows 32,767 characters)
)

// Errors of the scanner.
var (
	// ErrMalformed is a part whose XML is not well-formed.
	ErrMalformed = errors.New("malformed XML")
	// errUnusual is well-formed XML the scanner does not read (a DOCTYPE, an
	// encoding other than UTF-8): the caller falls back to the reference reader.
	errUnusual = errors.New("XML outside what the fast reader handles")
	// ErrTooLong is a tag over 1 MiB or a text over 32 MiB (Excel allows
	// 32,767 characters in a cell).
	ErrTooLong = errors.New("a tag over 1 MiB or a text over 32 MiB")
	// errBadText is text that is not UTF-8 or holds a character XML forbids.
	errBadText = fmt.Errorf("%w: invalid UTF-8 or a character XML does not allow", ErrMalformed)
)

// attr is one attribute of a start tag, its value as written (entities not
// decoded).
type attr struct {
	local []byte
	value []byte
}

// scanner is a pull tokenizer for the XML that spreadsheet packages hold. It
// reads from a stream through a fixed buffer without allocating per token:
// the name, attributes and text of a token are slices of its buffers, valid
// until the next call to next. Namespace prefixes are dropped from names (a
// package may spell <x:c> or <c>); comments and processing instructions are
// skipped; entities and character references are decoded in texts. It checks
// what reading values needs — tags closed, quotes matched, entities known,
// UTF-8 valid — not element nesting, which the callers check where it
// matters.
type scanner struct {
	r        io.Reader
	buf      []byte
	pos, end int
	rerr     error // the reader's error, once it has returned one

	kind        tokenKind
	name        []byte // local name of a start or end tag
	attrs       []attr
	selfClosing bool
	text        []byte            // the text of a tokText
	textBuf     []byte            // holds a text that had to be decoded or spans refills
	started     bool              // the prolog (BOM, XML declaration) has been checked
	maxText     int               // maxTextBytes, lowered by tests
	open        []string          // the local names of the open elements
	interned    map[string]string // names of open elements seen before
}

// newScanner returns a scanner of a part of the given uncompressed size: its
// buffer is no larger than the part needs (a small part costs little), and
// grows as a long tag requires.
func newScanner(r io.Reader, size uint64) *scanner {
	n := scanBufSize
	if size+1 < uint64(n) {
		n = max(int(size)+1, 512)
	}
	return &scanner{r: r, buf: make([]byte, n), maxText: maxTextBytes}
}

// fill reads more input, keeping buf[pos:end]. It returns false when no more
// input can be had (end of input or a read error, kept in s.rerr).
func (s *scanner) fill() bool {
	if s.rerr != nil {
		return false
	}
	if s.pos > 0 {
		n := copy(s.buf, s.buf[s.pos:s.end])
		s.pos, s.end = 0, n
	}
	if s.end == len(s.buf) {
		if len(s.buf) >= maxTagBytes {
			s.rerr = ErrTooLong
			return false
		}
		grown := make([]byte, 2*len(s.buf))
		copy(grown, s.buf[:s.end])
		s.buf = grown
	}
	for {
		n, err := s.r.Read(s.buf[s.end:])
		s.end += n
		if err != nil {
			s.rerr = err
			return n > 0
		}
		if n > 0 {
			return true
		}
	}
}

// err returns the reason the input ended early: a read error, or nil at a
// clean end of input.
func (s *scanner) inputErr() error {
	if s.rerr == nil || s.rerr == io.EOF {
		return nil
	}
	return s.rerr
}

// unexpectedEOF is the error for input that ends inside a construct.
func (s *scanner) unexpectedEOF(what string) error {
	if err := s.inputErr(); err != nil {
		return err
	}
	return fmt.Errorf("%w: input ends inside %s", ErrMalformed, what)
}

// next reads the next token. At the end of input it returns tokEOF with a nil
// error; a token cut off by the end of input is an error.
func (s *scanner) next() (tokenKind, error) {
	if !s.started {
		if err := s.prolog(); err != nil {
			return tokEOF, err
		}
	}
	for {
		if s.pos == s.end && !s.fill() {
			if err := s.inputErr(); err != nil {
				return tokEOF, err
			}
			if n := len(s.open); n > 0 {
				return tokEOF, fmt.Errorf("%w: input ends inside <%s>", ErrMalformed, s.open[n-1])
			}
			s.kind = tokEOF
			return tokEOF, nil
		}
		if s.buf[s.pos] != '<' {
			return s.scanText()
		}
		if s.end-s.pos > 1 && s.buf[s.pos+1] != '!' && s.buf[s.pos+1] != '?' {
			return s.scanTag() // the common case: a start or end tag
		}
		// Make sure the longest marker we look for is in the buffer.
		for s.end-s.pos < 9 && s.fill() {
		}
		rest := s.buf[s.pos:s.end]
		switch {
		case bytes.HasPrefix(rest, []byte("<!--")):
			if err := s.skipPast("-->", "a comment"); err != nil {
				return tokEOF, err
			}
		case bytes.HasPrefix(rest, []byte("<![CDATA[")):
			return s.scanCDATA()
		case bytes.HasPrefix(rest, []byte("<!")):
			return tokEOF, fmt.Errorf("%w: a document type declaration", errUnusual)
		case bytes.HasPrefix(rest, []byte("<?")):
			if err := s.skipPast("?>", "a processing instruction"); err != nil {
				return tokEOF, err
			}
		default:
			return s.scanTag()
		}
	}
}

// prolog skips a UTF-8 byte order mark and checks the XML declaration's
// encoding: other encodings are left to the reference reader.
func (s *scanner) prolog() error {
	s.started = true
	for s.end-s.pos < prologBytes && s.fill() {
	}
	bom, err := checkProlog(s.buf[s.pos:s.end])
	s.pos += bom
	return err
}

// prologBytes is how much of a part checkProlog looks at.
const prologBytes = 1024

// checkProlog looks at the first bytes of a part: a UTF-16 byte order mark,
// an XML declaration naming an encoding other than UTF-8, or a document type
// declaration is errUnusual. It returns the length of a UTF-8 byte order
// mark to skip.
func checkProlog(head []byte) (bom int, err error) {
	switch {
	case bytes.HasPrefix(head, []byte("\xEF\xBB\xBF")):
		bom, head = 3, head[3:]
	case bytes.HasPrefix(head, []byte("\xFE\xFF")), bytes.HasPrefix(head, []byte("\xFF\xFE")):
		return 0, fmt.Errorf("%w: UTF-16 text", errUnusual)
	}
	if bytes.Contains(head, []byte("<!DOCTYPE")) {
		return bom, fmt.Errorf("%w: a document type declaration", errUnusual)
	}
	if !bytes.HasPrefix(head, []byte("<?xml")) {
		return bom, nil
	}
	decl := head
	if i := bytes.Index(head, []byte("?>")); i >= 0 {
		decl = head[:i]
	}
	i := bytes.Index(decl, []byte("encoding"))
	if i < 0 {
		return bom, nil
	}
	v := bytes.TrimLeft(decl[i+len("encoding"):], " \t\r\n=")
	if len(v) == 0 || v[0] != '"' && v[0] != '\'' {
		return bom, fmt.Errorf("%w: bad XML declaration", ErrMalformed)
	}
	end := bytes.IndexByte(v[1:], v[0])
	if end < 0 {
		return bom, fmt.Errorf("%w: bad XML declaration", ErrMalformed)
	}
	if enc := string(bytes.ToLower(v[1 : 1+end])); enc != "utf-8" && enc != "utf8" {
		return bom, fmt.Errorf("%w: encoding %q", errUnusual, enc)
	}
	return bom, nil
}

// skipPast consumes input up to and including the marker.
func (s *scanner) skipPast(marker, what string) error {
	m := []byte(marker)
	for {
		if i := bytes.Index(s.buf[s.pos:s.end], m); i >= 0 {
			s.pos += i + len(m)
			return nil
		}
		// Keep the bytes that may start the marker.
		if keep := len(m) - 1; s.end-s.pos > keep {
			s.pos = s.end - keep
		}
		if !s.fill() {
			return s.unexpectedEOF(what)
		}
	}
}

// scanCDATA reads a CDATA section as a text token.
func (s *scanner) scanCDATA() (tokenKind, error) {
	s.pos += len("<![CDATA[")
	s.textBuf = s.textBuf[:0]
	for {
		if i := bytes.Index(s.buf[s.pos:s.end], []byte("]]>")); i >= 0 {
			s.textBuf = append(s.textBuf, s.buf[s.pos:s.pos+i]...)
			s.pos += i + 3
			break
		}
		keep := 2
		if n := s.end - s.pos - keep; n > 0 {
			s.textBuf = append(s.textBuf, s.buf[s.pos:s.pos+n]...)
			s.pos += n
		}
		if len(s.textBuf) > s.maxText {
			return tokEOF, ErrTooLong
		}
		if !s.fill() {
			return tokEOF, s.unexpectedEOF("a CDATA section")
		}
	}
	s.textBuf = normalizeEOL(s.textBuf)
	if !validText(s.textBuf) {
		return tokEOF, errBadText
	}
	s.kind, s.text = tokText, s.textBuf
	return tokText, nil
}

// scanText reads character data up to the next '<', decoding entities and
// normalizing line ends as XML requires (CR LF and a lone CR read as LF; a
// CR written as &#13; stays). Text that lies whole in the buffer with neither
// an entity nor a CR is returned without a copy.
func (s *scanner) scanText() (tokenKind, error) {
	s.kind = tokText
	seg := s.buf[s.pos:s.end]
	if i := bytes.IndexByte(seg, '<'); i >= 0 && bytes.IndexByte(seg[:i], '&') < 0 && bytes.IndexByte(seg[:i], '\r') < 0 {
		if i > s.maxText {
			return tokEOF, ErrTooLong
		}
		s.text = seg[:i]
		s.pos += i
		if !validText(s.text) {
			return tokEOF, errBadText
		}
		return tokText, nil
	}
	s.textBuf = s.textBuf[:0]
	skipLF := false // the last raw byte was a CR: a LF right after it is dropped
	for {
		seg := s.buf[s.pos:s.end]
		i := bytes.IndexByte(seg, '<')
		if i < 0 {
			i = len(seg)
		}
		chunk := seg[:i]
		if skipLF && len(chunk) > 0 {
			skipLF = false
			if chunk[0] == '\n' {
				chunk = chunk[1:]
				s.pos++
			}
		}
		j := indexAmpOrCR(chunk)
		switch {
		case j >= 0 && chunk[j] == '\r':
			s.textBuf = append(append(s.textBuf, chunk[:j]...), '\n')
			s.pos += j + 1
			skipLF = true
		case j >= 0:
			s.textBuf = append(s.textBuf, chunk[:j]...)
			s.pos += j
			if err := s.entity(); err != nil {
				return tokEOF, err
			}
		default:
			s.textBuf = append(s.textBuf, chunk...)
			s.pos += len(chunk)
			if len(s.textBuf) > s.maxText {
				return tokEOF, ErrTooLong
			}
			if i < len(seg) {
				if !validText(s.textBuf) {
					return tokEOF, errBadText
				}
				s.text = s.textBuf
				return tokText, nil // at '<'
			}
			if !s.fill() {
				if err := s.inputErr(); err != nil {
					return tokEOF, err
				}
				if !validText(s.textBuf) {
					return tokEOF, errBadText
				}
				s.text = s.textBuf
				return tokText, nil // text at the end of input
			}
		}
		if len(s.textBuf) > s.maxText {
			return tokEOF, ErrTooLong
		}
	}
}

// indexAmpOrCR returns the index of the first '&' or CR in b, or -1.
func indexAmpOrCR(b []byte) int {
	amp, cr := bytes.IndexByte(b, '&'), bytes.IndexByte(b, '\r')
	if amp < 0 || cr >= 0 && cr < amp {
		return cr
	}
	return amp
}

// normalizeEOL rewrites CR LF and a lone CR as LF, in place.
func normalizeEOL(b []byte) []byte {
	if bytes.IndexByte(b, '\r') < 0 {
		return b
	}
	out := b[:0]
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c == '\r' {
			c = '\n'
			if i+1 < len(b) && b[i+1] == '\n' {
				i++
			}
		}
		out = append(out, c)
	}
	return out
}

// entity decodes the entity or character reference at s.pos into textBuf.
func (s *scanner) entity() error {
	for {
		if i := bytes.IndexByte(s.buf[s.pos:s.end], ';'); i >= 0 {
			var err error
			s.textBuf, err = appendEntity(s.textBuf, s.buf[s.pos+1:s.pos+i])
			s.pos += i + 1
			return err
		}
		if s.end-s.pos > 16 {
			return fmt.Errorf("%w: unterminated entity", ErrMalformed)
		}
		if !s.fill() {
			return s.unexpectedEOF("an entity")
		}
	}
}

// checkEntities checks that every '&' in an attribute value starts a known
// entity or a character reference.
func checkEntities(v []byte) error {
	var scratch [8]byte
	for {
		amp := bytes.IndexByte(v, '&')
		if amp < 0 {
			return nil
		}
		semi := bytes.IndexByte(v[amp:], ';')
		if semi < 0 {
			return fmt.Errorf("%w: unterminated entity in an attribute value", ErrMalformed)
		}
		if _, err := appendEntity(scratch[:0], v[amp+1:amp+semi]); err != nil {
			return err
		}
		v = v[amp+semi+1:]
	}
}

// appendEntity appends the character an entity name (without & and ;) stands
// for.
func appendEntity(dst, name []byte) ([]byte, error) {
	switch string(name) {
	case "lt":
		return append(dst, '<'), nil
	case "gt":
		return append(dst, '>'), nil
	case "amp":
		return append(dst, '&'), nil
	case "quot":
		return append(dst, '"'), nil
	case "apos":
		return append(dst, '\''), nil
	}
	if len(name) < 2 || name[0] != '#' {
		return dst, fmt.Errorf("%w: unknown entity &%s;", ErrMalformed, clipBytes(name))
	}
	digits, base := name[1:], 10
	if digits[0] == 'x' {
		digits, base = digits[1:], 16
	}
	if len(digits) == 0 || len(digits) > 8 {
		return dst, fmt.Errorf("%w: bad character reference &%s;", ErrMalformed, clipBytes(name))
	}
	var r rune
	for _, c := range digits {
		var d rune
		switch {
		case c >= '0' && c <= '9':
			d = rune(c - '0')
		case base == 16 && c >= 'a' && c <= 'f':
			d = rune(c-'a') + 10
		case base == 16 && c >= 'A' && c <= 'F':
			d = rune(c-'A') + 10
		default:
			return dst, fmt.Errorf("%w: bad character reference &%s;", ErrMalformed, clipBytes(name))
		}
		r = r*rune(base) + d
	}
	if !xmlChar(r) {
		return dst, fmt.Errorf("%w: character reference &%s; is not an XML character", ErrMalformed, clipBytes(name))
	}
	return utf8.AppendRune(dst, r), nil
}

// validText reports whether b is UTF-8 made of characters XML 1.0 allows.
func validText(b []byte) bool {
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 || r == 0xFFFE || r == 0xFFFF {
			return false
		}
		i += size
	}
	return true
}

// xmlChar reports whether r may appear in an XML 1.0 document.
func xmlChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// scanTag reads a start, end or empty-element tag at s.pos.
func (s *scanner) scanTag() (tokenKind, error) {
	// Find the closing '>' outside quoted attribute values.
	i, quote := s.pos+1, byte(0)
	for {
		for ; i < s.end; i++ {
			c := s.buf[i]
			if quote != 0 {
				if c == quote {
					quote = 0
				}
				continue
			}
			if c == '"' || c == '\'' {
				quote = c
			} else if c == '>' {
				break
			} else if c == '<' {
				return tokEOF, fmt.Errorf("%w: '<' inside a tag", ErrMalformed)
			}
		}
		if i < s.end {
			break
		}
		off := i - s.pos
		if !s.fill() {
			return tokEOF, s.unexpectedEOF("a tag")
		}
		i = s.pos + off
	}
	tag := s.buf[s.pos+1 : i] // between '<' and '>'
	s.pos = i + 1
	if len(tag) > 0 && tag[0] == '/' {
		s.kind = tokEnd
		name := trimRightSpace(tag[1:])
		if !validName(name) {
			return tokEOF, fmt.Errorf("%w: bad end tag </%s>", ErrMalformed, clipBytes(name))
		}
		s.name = localName(name)
		n := len(s.open)
		if n == 0 || s.open[n-1] != string(s.name) {
			return tokEOF, fmt.Errorf("%w: end tag </%s> does not close the open element", ErrMalformed, clipBytes(s.name))
		}
		s.open = s.open[:n-1]
		return tokEnd, nil
	}
	s.kind, s.selfClosing = tokStart, false
	if n := len(tag); n > 0 && tag[n-1] == '/' {
		s.selfClosing, tag = true, tag[:n-1]
	}
	n := 0
	for n < len(tag) && !isSpace(tag[n]) {
		n++
	}
	if !validName(tag[:n]) {
		return tokEOF, fmt.Errorf("%w: bad tag <%s>", ErrMalformed, clipBytes(tag[:n]))
	}
	s.name = localName(tag[:n])
	s.attrs = s.attrs[:0]
	rest := tag[n:]
	for {
		rest = trimSpace(rest)
		if len(rest) == 0 {
			if !s.selfClosing {
				s.open = append(s.open, s.intern(s.name))
			}
			return tokStart, nil
		}
		eq := bytes.IndexByte(rest, '=')
		if eq <= 0 {
			return tokEOF, fmt.Errorf("%w: bad attribute in <%s>", ErrMalformed, clipBytes(tag[:n]))
		}
		name := trimRightSpace(rest[:eq])
		rest = trimSpace(rest[eq+1:])
		if !validName(name) || len(rest) == 0 || rest[0] != '"' && rest[0] != '\'' {
			return tokEOF, fmt.Errorf("%w: bad attribute in <%s>", ErrMalformed, clipBytes(tag[:n]))
		}
		end := bytes.IndexByte(rest[1:], rest[0])
		if end < 0 {
			return tokEOF, fmt.Errorf("%w: unterminated attribute value in <%s>", ErrMalformed, clipBytes(tag[:n]))
		}
		value := rest[1 : 1+end]
		if bytes.IndexByte(value, '<') >= 0 {
			return tokEOF, fmt.Errorf("%w: '<' in an attribute value in <%s>", ErrMalformed, clipBytes(tag[:n]))
		}
		if bytes.IndexByte(value, '&') >= 0 {
			if err := checkEntities(value); err != nil {
				return tokEOF, err
			}
		}
		s.attrs = append(s.attrs, attr{local: localName(name), value: value})
		rest = rest[end+2:]
		if len(rest) > 0 && !isSpace(rest[0]) {
			return tokEOF, fmt.Errorf("%w: attributes not separated in <%s>", ErrMalformed, clipBytes(tag[:n]))
		}
	}
}

// intern returns a name as a string without allocating for the names of
// worksheet data, or for a name met before.
func (s *scanner) intern(name []byte) string {
	switch string(name) {
	case "c":
		return "c"
	case "v":
		return "v"
	case "row":
		return "row"
	case "f":
		return "f"
	case "is":
		return "is"
	case "t":
		return "t"
	case "r":
		return "r"
	case "si":
		return "si"
	}
	if v, ok := s.interned[string(name)]; ok {
		return v
	}
	v := string(name)
	if len(s.interned) < 256 { // a hostile part may invent names without end
		if s.interned == nil {
			s.interned = map[string]string{}
		}
		s.interned[v] = v
	}
	return v
}

// attr returns the raw value of the current start tag's attribute with the
// given local name.
func (s *scanner) attr(local string) ([]byte, bool) {
	for _, a := range s.attrs {
		if string(a.local) == local {
			return a.value, true
		}
	}
	return nil, false
}

// attrString returns an attribute's value with its entities decoded; "" when
// absent.
func (s *scanner) attrString(local string) (string, error) {
	v, ok := s.attr(local)
	if !ok {
		return "", nil
	}
	if bytes.IndexByte(v, '&') < 0 && bytes.IndexByte(v, '\r') < 0 {
		if !validText(v) {
			return "", errBadText
		}
		return string(v), nil
	}
	var out []byte
	for len(v) > 0 {
		amp := bytes.IndexByte(v, '&')
		if amp < 0 {
			out = append(out, normalizeEOL(slices.Clone(v))...)
			break
		}
		out = append(out, normalizeEOL(slices.Clone(v[:amp]))...)
		semi := bytes.IndexByte(v[amp:], ';')
		if semi < 0 {
			return "", fmt.Errorf("%w: unterminated entity", ErrMalformed)
		}
		var err error
		if out, err = appendEntity(out, v[amp+1:amp+semi]); err != nil {
			return "", err
		}
		v = v[amp+semi+1:]
	}
	if !validText(out) {
		return "", errBadText
	}
	return string(out), nil
}

// is reports whether the current token is a start tag with the local name.
func (s *scanner) is(local string) bool { return s.kind == tokStart && string(s.name) == local }

// skipElement skips the content of the element whose start tag was just read,
// up to its end tag.
func (s *scanner) skipElement() error {
	if s.selfClosing {
		return nil
	}
	for depth := 1; depth > 0; {
		kind, err := s.next()
		if err != nil {
			return err
		}
		switch kind {
		case tokEOF:
			return s.unexpectedEOF("an element")
		case tokStart:
			if !s.selfClosing {
				depth++
			}
		case tokEnd:
			depth--
		}
	}
	return nil
}

// elementText reads the text content of the element whose start tag was just
// read, up to its end tag, appending it to dst. Child elements are an error.
func (s *scanner) elementText(dst []byte) ([]byte, error) {
	if s.selfClosing {
		return dst, nil
	}
	for {
		kind, err := s.next()
		if err != nil {
			return dst, err
		}
		switch kind {
		case tokText:
			dst = append(dst, s.text...)
			if len(dst) > s.maxText {
				return dst, ErrTooLong
			}
		case tokEnd:
			return dst, nil
		case tokStart:
			return dst, fmt.Errorf("%w: element <%s> inside a value", ErrMalformed, clipBytes(s.name))
		default:
			return dst, s.unexpectedEOF("a value")
		}
	}
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func trimSpace(b []byte) []byte {
	for len(b) > 0 && isSpace(b[0]) {
		b = b[1:]
	}
	return b
}

// validName checks an XML name: a letter, '_' or ':' first, then also
// digits, '-' and '.'; beyond ASCII, the name characters of XML 1.0 (fifth
// edition), in valid UTF-8.
func validName(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	for i := 0; i < len(b); {
		c := b[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRune(b[i:])
			if r == utf8.RuneError || !nameRune(r, i == 0) {
				return false
			}
			i += size
			continue
		}
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '_', c == ':':
		case i > 0 && (c >= '0' && c <= '9' || c == '-' || c == '.'):
		default:
			return false
		}
		i++
	}
	return true
}

// nameRune reports whether a non-ASCII rune may appear in an XML name (as
// its first character when first).
func nameRune(r rune, first bool) bool {
	switch {
	case r >= 0xC0 && r <= 0xD6, r >= 0xD8 && r <= 0xF6, r >= 0xF8 && r <= 0x2FF, r >= 0x370 && r <= 0x37D,
		r >= 0x37F && r <= 0x1FFF, r >= 0x200C && r <= 0x200D, r >= 0x2070 && r <= 0x218F, r >= 0x2C00 && r <= 0x2FEF,
		r >= 0x3001 && r <= 0xD7FF, r >= 0xF900 && r <= 0xFDCF, r >= 0xFDF0 && r <= 0xFFFD, r >= 0x10000 && r <= 0xEFFFF:
		return true
	case first:
		return false
	}
	return r == 0xB7 || r >= 0x300 && r <= 0x36F || r >= 0x203F && r <= 0x2040
}

// localName drops a namespace prefix.
func localName(b []byte) []byte {
	if i := bytes.LastIndexByte(b, ':'); i >= 0 {
		return b[i+1:]
	}
	return b
}

// clipBytes shortens a name for an error message.
func clipBytes(b []byte) string {
	if len(b) > 40 {
		return string(b[:40]) + "…"
	}
	return string(b)
}
