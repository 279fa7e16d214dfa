//go:build ignore

// Command main is the excelize producer of the ingest producer fixtures: it
// writes ../../excelize/*.xlsx from ../../canonical.json, once with
// SetCellValue (NAME.xlsx) and once with the StreamWriter (NAME_stream.xlsx).
//
// Run it from a scratch module outside the repository (see ../../README.md):
//
//	go run main.go -canon .../canonical.json -out .../excelize
package main

import (
	"encoding/json"
	"flag"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

type cellSpec struct {
	R   string      `json:"r"`
	T   string      `json:"t"`
	V   interface{} `json:"v"`
	Fmt string      `json:"fmt"`
	F   string      `json:"f"`
	VT  string      `json:"vt"`
}

type sheetSpec struct {
	Name   string     `json:"name"`
	Merges []string   `json:"merges"`
	Cells  []cellSpec `json:"cells"`
}

type fileSpec struct {
	Name   string      `json:"name"`
	Sheets []sheetSpec `json:"sheets"`
}

type canon struct {
	Files []fileSpec `json:"files"`
}

// value turns a canonical value into the Go value handed to excelize.
func value(c cellSpec) interface{} {
	switch c.T {
	case "n":
		n := c.V.(json.Number)
		if i, err := n.Int64(); err == nil && !strings.ContainsAny(n.String(), ".eE") {
			return i
		}
		f, err := n.Float64()
		if err != nil {
			log.Fatal(err)
		}
		return f
	case "d":
		s := c.V.(string)
		layout := "2006-01-02"
		if strings.Contains(s, "T") {
			layout = "2006-01-02T15:04:05"
		}
		t, err := time.Parse(layout, s)
		if err != nil {
			log.Fatal(err)
		}
		return t
	case "f":
		if c.VT == "n" {
			return value(cellSpec{T: "n", V: c.V})
		}
		return c.V
	default:
		return c.V
	}
}

type styles struct {
	f   *excelize.File
	ids map[string]int
}

func (s *styles) id(format string) int {
	if format == "" {
		return 0
	}
	if id, ok := s.ids[format]; ok {
		return id
	}
	fm := format
	id, err := s.f.NewStyle(&excelize.Style{CustomNumFmt: &fm})
	if err != nil {
		log.Fatal(err)
	}
	s.ids[format] = id
	return id
}

func splitRange(m string) (string, string) {
	p := strings.Split(m, ":")
	return p[0], p[1]
}

func newFile(spec fileSpec) *excelize.File {
	f := excelize.NewFile()
	for i, sh := range spec.Sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", sh.Name); err != nil {
				log.Fatal(err)
			}
		} else if _, err := f.NewSheet(sh.Name); err != nil {
			log.Fatal(err)
		}
	}
	return f
}

// writeSetCell uses the ordinary API: SetCellValue, SetCellFormula, MergeCell.
// SetCellFormula cannot store a cached value.
func writeSetCell(spec fileSpec, path string) {
	f := newFile(spec)
	st := &styles{f: f, ids: map[string]int{}}
	for _, sh := range spec.Sheets {
		for _, c := range sh.Cells {
			if id := st.id(c.Fmt); id != 0 {
				if err := f.SetCellStyle(sh.Name, c.R, c.R, id); err != nil {
					log.Fatal(err)
				}
			}
			var err error
			if c.T == "f" {
				err = f.SetCellFormula(sh.Name, c.R, c.F)
			} else {
				err = f.SetCellValue(sh.Name, c.R, value(c))
			}
			if err != nil {
				log.Fatal(err)
			}
		}
		for _, m := range sh.Merges {
			a, b := splitRange(m)
			if err := f.MergeCell(sh.Name, a, b); err != nil {
				log.Fatal(err)
			}
		}
	}
	if err := f.SaveAs(path); err != nil {
		log.Fatal(err)
	}
}

// writeStream uses the StreamWriter: rows in order, inline strings, and
// formulas with the cached value given in excelize.Cell.Value.
func writeStream(spec fileSpec, path string) {
	f := newFile(spec)
	st := &styles{f: f, ids: map[string]int{}}
	for _, sh := range spec.Sheets {
		sw, err := f.NewStreamWriter(sh.Name)
		if err != nil {
			log.Fatal(err)
		}
		rows := map[int][]interface{}{}
		for _, c := range sh.Cells {
			col, row, err := excelize.CellNameToCoordinates(c.R)
			if err != nil {
				log.Fatal(err)
			}
			for len(rows[row]) < col {
				rows[row] = append(rows[row], nil)
			}
			cell := excelize.Cell{StyleID: st.id(c.Fmt), Value: value(c)}
			if c.T == "f" {
				cell.Formula = c.F
			}
			rows[row][col-1] = cell
		}
		var nums []int
		for r := range rows {
			nums = append(nums, r)
		}
		sort.Ints(nums)
		for _, r := range nums {
			ref, _ := excelize.CoordinatesToCellName(1, r)
			if err := sw.SetRow(ref, rows[r]); err != nil {
				log.Fatal(err)
			}
		}
		for _, m := range sh.Merges {
			a, b := splitRange(m)
			if err := sw.MergeCell(a, b); err != nil {
				log.Fatal(err)
			}
		}
		if err := sw.Flush(); err != nil {
			log.Fatal(err)
		}
	}
	if err := f.SaveAs(path); err != nil {
		log.Fatal(err)
	}
}

func main() {
	canonPath := flag.String("canon", "canonical.json", "canonical content")
	out := flag.String("out", "excelize", "output folder")
	flag.Parse()
	data, err := os.ReadFile(*canonPath)
	if err != nil {
		log.Fatal(err)
	}
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.UseNumber()
	var cn canon
	if err := dec.Decode(&cn); err != nil {
		log.Fatal(err)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		log.Fatal(err)
	}
	for _, spec := range cn.Files {
		writeSetCell(spec, filepath.Join(*out, spec.Name))
		writeStream(spec, filepath.Join(*out, strings.TrimSuffix(spec.Name, ".xlsx")+"_stream.xlsx"))
	}
}
