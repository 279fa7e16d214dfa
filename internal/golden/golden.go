// Package golden compares test output with golden files under testdata/, and
// rewrites them when tests run with -update. Workbooks are compared as their
// readers see them: every sheet's cell texts, with its layout and print set-up.
package golden

import (
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

var update = flag.Bool("update", false, "rewrite golden files")

// Update reports whether the tests run with -update.
func Update() bool { return *update }

// Check compares got with the golden file testdata/<name>, after rewriting it
// with got under -update.
func Check(t testing.TB, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run the test with -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (run the test with -update to accept it):\n%s", path, got)
	}
}

// CheckWorkbooks compares every workbook under dir, read back sheet by sheet
// (see Workbook) and headed by its path relative to dir, with the golden file
// testdata/<name>.
func CheckWorkbooks(t testing.TB, name, dir string) {
	t.Helper()
	var b strings.Builder
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(path) != ".xlsx" {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		fmt.Fprintf(&b, "### %s\n%s", filepath.ToSlash(rel), Workbook(t, path))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	Check(t, name, b.String())
}

// Workbook renders every sheet of a workbook: a line with the sheet's name,
// frozen panes, autofilter and print set-up, then each row's cell texts as a
// reader sees them (formatted), one row a line, cells separated by " | ".
func Workbook(t testing.TB, path string) string {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var b strings.Builder
	for _, sheet := range f.GetSheetList() {
		fmt.Fprintf(&b, "== %s [%s]\n", sheet, layout(t, f, sheet))
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			fmt.Fprintln(&b, strings.ReplaceAll(strings.Join(r, " | "), "\n", " / "))
		}
	}
	return b.String()
}

// layout describes a sheet's frozen panes, autofilter, page set-up, rows
// printed atop every page, and page header and footer.
func layout(t testing.TB, f *excelize.File, sheet string) string {
	t.Helper()
	var parts []string
	if p, err := f.GetPanes(sheet); err == nil && p.Freeze {
		parts = append(parts, "frozen "+p.TopLeftCell)
	}
	for _, n := range f.GetDefinedName() {
		if n.Scope != sheet {
			continue
		}
		ref := n.RefersTo[strings.LastIndex(n.RefersTo, "!")+1:]
		switch n.Name {
		case "_xlnm._FilterDatabase":
			parts = append(parts, "filter "+ref)
		case "_xlnm.Print_Titles":
			parts = append(parts, "titles "+ref)
		}
	}
	if pl, err := f.GetPageLayout(sheet); err == nil {
		parts = append(parts, fmt.Sprintf("paper %d %s fit %dx%d", deref(pl.Size), deref(pl.Orientation), deref(pl.FitToWidth), deref(pl.FitToHeight)))
	}
	if props, err := f.GetSheetProps(sheet); err == nil && deref(props.FitToPage) {
		parts = append(parts, "fit to page")
	}
	if hf, err := f.GetHeaderFooter(sheet); err == nil && hf != nil {
		parts = append(parts, "header "+hf.OddHeader, "footer "+hf.OddFooter)
	}
	return strings.Join(parts, "; ")
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
