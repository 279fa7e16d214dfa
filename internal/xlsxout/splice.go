package xlsxout

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"os"
	"path"
	"runtime"
	"sort"
	"strings"
)

// The workbook part and its relationships, where excelize puts them.
const (
	workbookPart = "xl/workbook.xml"
	workbookRels = "xl/_rels/workbook.xml.rels"
)

// sheetDataEnd ends the rows of a worksheet part: spliced rows go before it.
var sheetDataEnd = []byte("</sheetData>")

// completeRaw deflates the parts kept whole, splicing rows into the sheets
// that have them: the sheets' rows are written by goroutines of their own, at
// most one per core at a time.
func (z *canonicalZip) completeRaw() error {
	var spliced map[string]func(*RowWriter) error // by part
	if len(z.splices) > 0 {
		var err error
		if spliced, err = z.splicedParts(); err != nil {
			return err
		}
	}
	slots := make(chan struct{}, runtime.NumCPU())
	done := 0
	for _, e := range z.entries {
		if e.raw == nil {
			continue
		}
		write, ok := spliced[e.name]
		if !ok {
			if err := z.deflateRaw(e); err != nil {
				return err
			}
			continue
		}
		done++
		raw := e.raw.Bytes()
		e.raw = nil
		end := bytes.LastIndex(raw, sheetDataEnd)
		if end < 0 {
			return fmt.Errorf("xlsxout: %s has no sheetData to put rows in", e.name)
		}
		z.wg.Add(1)
		go func() {
			defer z.wg.Done()
			slots <- struct{}{}
			defer func() { <-slots }()
			e.err = e.splice(raw[:end], write, raw[end:])
		}()
	}
	if done != len(spliced) {
		return fmt.Errorf("xlsxout: a sheet with rows to splice was not written")
	}
	return nil
}

// splice deflates head, the rows write writes and tail as the part's
// content, into a temporary file: a long table's part is as long as the rest
// of the package many times over, and is not kept in memory.
func (e *zipEntry) splice(head []byte, write func(*RowWriter) error, tail []byte) error {
	sd, err := newSpillDeflater()
	if err != nil {
		return fmt.Errorf("xlsxout: temporary file for %s: %w", e.name, err)
	}
	e.spill, e.unlinked = sd.file, sd.unlinked
	out := &spliceWriter{sd}
	if _, err := out.Write(head); err != nil {
		return err
	}
	rw := NewRowWriter(out)
	if err := write(rw); err != nil {
		return fmt.Errorf("rows of %s: %w", e.name, err)
	}
	if err := rw.Flush(); err != nil {
		return err
	}
	if _, err := out.Write(tail); err != nil {
		return err
	}
	if err := sd.finish(); err != nil {
		return fmt.Errorf("xlsxout: temporary file for %s: %w", e.name, err)
	}
	e.crc, e.size = sd.crc, uint64(sd.size)
	return nil
}

// createNamedSpill makes a named temporary file and removes its name at once
// where the system allows (Unix): it stays readable through the returned
// file, and its space is returned when the process ends, however it ends.
// Elsewhere removeSpills removes it.
func createNamedSpill() (f *os.File, unlinked bool, err error) {
	f, err = os.CreateTemp("", "assessor-part-*")
	if err != nil {
		return nil, false, err
	}
	return f, os.Remove(f.Name()) == nil, nil
}

// removeSpills removes the temporary files of the spliced parts.
func (z *canonicalZip) removeSpills() {
	for _, e := range z.entries {
		if e.spill != nil {
			e.spill.Close()
			if !e.unlinked {
				os.Remove(e.spill.Name())
			}
			e.spill = nil
		}
	}
}

// spliceWriter deflates a spliced part's bytes; rows deflated before come
// in through appendDeflated.
type spliceWriter struct{ *spillDeflater }

// splicedParts finds the part of each sheet that has rows to splice, from the
// workbook and its relationships.
func (z *canonicalZip) splicedParts() (map[string]func(*RowWriter) error, error) {
	var wb, rels []byte
	for _, e := range z.entries {
		switch e.name {
		case workbookPart:
			wb = e.raw.Bytes()
		case workbookRels:
			rels = e.raw.Bytes()
		}
	}
	var book struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			ID   string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	var links struct {
		Rels []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if err := xml.Unmarshal(wb, &book); err != nil {
		return nil, fmt.Errorf("xlsxout: read %s: %w", workbookPart, err)
	}
	if err := xml.Unmarshal(rels, &links); err != nil {
		return nil, fmt.Errorf("xlsxout: read %s: %w", workbookRels, err)
	}
	targets := make(map[string]string, len(links.Rels))
	for _, r := range links.Rels {
		t := r.Target
		if strings.HasPrefix(t, "/") {
			t = strings.TrimPrefix(t, "/")
		} else {
			t = path.Join(path.Dir(workbookPart), t)
		}
		targets[r.ID] = t
	}
	partOf := make(map[string]string, len(book.Sheets)) // by sheet name
	for _, s := range book.Sheets {
		partOf[s.Name] = targets[s.ID]
	}
	parts := make(map[string]func(*RowWriter) error, len(z.splices))
	var missing []string
	for name, write := range z.splices {
		if part := partOf[name]; part != "" {
			parts[part] = write
		} else {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return nil, fmt.Errorf("xlsxout: no worksheet part for rows of sheet %s", strings.Join(missing, ", "))
	}
	return parts, nil
}
