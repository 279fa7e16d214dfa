package report

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"assessor/config"
)

// Limits of file names built from data, in bytes: a name taken from data is
// cut to maxNamePart, a whole file name may not pass maxFileName (which leaves
// room for the temporary name that atomicfile stages it under).
const (
	maxNamePart = 80
	maxFileName = 200
)

// reserved reports whether Windows refuses a file name with this stem: the
// device names CON, PRN, AUX, NUL, COM1–COM9 and LPT1–LPT9, in any case.
func reserved(stem string) bool {
	s := strings.ToUpper(strings.TrimSpace(stem))
	switch s {
	case "CON", "PRN", "AUX", "NUL":
		return true
	}
	return len(s) == 4 && (strings.HasPrefix(s, "COM") || strings.HasPrefix(s, "LPT")) && s[3] >= '1' && s[3] <= '9'
}

// fileName makes text taken from data — a programme's or a 盟市's name — safe
// inside a file name: path separators and the characters Windows refuses
// become "_", control and invisible format characters are dropped, leading
// and trailing dots and spaces are trimmed (so ".." cannot remain a folder
// name), a name Windows reserves (CON, NUL, COM1 …) gets a leading "_", and
// the result is cut to maxNamePart bytes at a character boundary. Nothing is
// left empty: an empty result is "_".
func fileName(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == ' ' || r == '\t' || unicode.Is(unicode.Zs, r):
			b.WriteByte(' ')
		case r == utf8.RuneError, unicode.In(r, unicode.Cc, unicode.Cf, unicode.Zl, unicode.Zp):
			// dropped
		case strings.ContainsRune(`/\<>:"|?*`, r):
			b.WriteByte('_')
		default:
			b.WriteRune(r)
		}
	}
	name := strings.Trim(b.String(), ". ")
	for len(name) > maxNamePart {
		_, size := utf8.DecodeLastRuneInString(name)
		name = strings.TrimRight(name[:len(name)-size], ". ")
	}
	stem, _, _ := strings.Cut(name, ".")
	if reserved(stem) {
		name = "_" + name
	}
	if name == "" {
		return "_"
	}
	return name
}

// outputPath fills a file name template of the output configuration with the
// year and a programme's or 盟市's name, each made safe by fileName, and
// returns it under dir. The template's own folders (written with /) are kept;
// a result that would leave dir or whose file name is too long is an error.
func outputPath(dir, tmpl string, year int, programme, league string) (string, error) {
	rel := strings.NewReplacer(config.PlaceholderYear, strconv.Itoa(year),
		config.PlaceholderProgramme, fileName(programme), config.PlaceholderLeague, fileName(league)).Replace(tmpl)
	rel = filepath.FromSlash(rel)
	switch {
	case !filepath.IsLocal(rel):
		return "", fmt.Errorf("output file %q would leave the output folder", rel)
	case len(filepath.Base(rel)) > maxFileName:
		return "", fmt.Errorf("output file name %q is longer than %d bytes", filepath.Base(rel), maxFileName)
	}
	return filepath.Join(dir, rel), nil
}

// maxSheetName is the longest sheet name Excel accepts, in characters.
const maxSheetName = 31

// sheetName makes a sheet name built from configured names (a programme's, a
// sub-type's, an assessment's) one Excel accepts: the characters it refuses
// become "_", apostrophes around it are dropped, and it is cut to 31
// characters.
func sheetName(s string) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) || unicode.IsControl(r) {
			return '_'
		}
		return r
	}, s)
	s = strings.Trim(s, "'")
	if r := []rune(s); len(r) > maxSheetName {
		s = string(r[:maxSheetName])
	}
	if s == "" {
		return "_"
	}
	return s
}
