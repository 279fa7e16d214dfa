package xlsxin

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// trace tokenizes doc and writes each token on a line: <name a=v> for a
// start tag (/> when empty), </name> for an end tag, "text" for text.
func trace(r io.Reader, maxText int) (string, error) {
	s := newScanner(r, 0) // the smallest buffer: tokens span refills
	if maxText > 0 {
		s.maxText = maxText
	}
	var b strings.Builder
	for {
		kind, err := s.next()
		if err != nil {
			return b.String(), err
		}
		switch kind {
		case tokEOF:
			return b.String(), nil
		case tokStart:
			fmt.Fprintf(&b, "<%s", s.name)
			for _, a := range s.attrs {
				v, err := s.attrString(string(a.local))
				if err != nil {
					return b.String(), err
				}
				fmt.Fprintf(&b, " %s=%q", a.local, v)
			}
			if s.selfClosing {
				b.WriteString("/")
			}
			b.WriteString(">\n")
		case tokEnd:
			fmt.Fprintf(&b, "</%s>\n", s.name)
		case tokText:
			fmt.Fprintf(&b, "%q\n", s.text)
		}
	}
}

func TestScanner(t *testing.T) {
	tests := []struct {
		name, doc, want string
		err             error // wanted error, matched with errors.Is
	}{
		{name: "elements and attributes", doc: `<a x="1" y='2'><b/>t</a>`,
			want: "<a x=\"1\" y=\"2\">\n<b/>\n\"t\"\n</a>\n"},
		{name: "prefixes dropped", doc: `<x:c r:id="rId1" xmlns:x="u"></x:c>`,
			want: "<c id=\"rId1\" x=\"u\">\n</c>\n"},
		{name: "declaration, BOM, comment, PI skipped", doc: "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"UTF-8\"?><!-- a > b --><?pi x?><a/>",
			want: "<a/>\n"},
		{name: "entities in text", doc: `<t>&lt;&gt;&amp;&quot;&apos;&#25216;&#x672F;</t>`,
			want: "<t>\n\"<>&\\\"'技术\"\n</t>\n"},
		{name: "entities in an attribute", doc: `<n formatCode="&quot;元&quot;#,##0"/>`,
			want: "<n formatCode=\"\\\"元\\\"#,##0\"/>\n"},
		{name: "> in an attribute value", doc: `<a v="x>y"/>`, want: "<a v=\"x>y\"/>\n"},
		{name: "CDATA kept as written", doc: `<t><![CDATA[<b>&amp;</b>]]></t>`,
			want: "<t>\n\"<b>&amp;</b>\"\n</t>\n"},
		{name: "CR LF and CR read as LF", doc: "<t>a\r\nb\rc</t>", want: "<t>\n\"a\\nb\\nc\"\n</t>\n"},
		{name: "a written CR stays", doc: "<t>a&#13;\nb</t>", want: "<t>\n\"a\\r\\nb\"\n</t>\n"},
		{name: "CR LF in CDATA", doc: "<t><![CDATA[a\r\nb]]></t>", want: "<t>\n\"a\\nb\"\n</t>\n"},
		{name: "spaces around = and before >", doc: "<a x = \"1\" \n/>", want: "<a x=\"1\"/>\n"},
		{name: "end tag with space", doc: "<a></a >", want: "<a>\n</a>\n"},
		{name: "unknown entity", doc: `<t>&nbsp;</t>`, err: ErrMalformed},
		{name: "unterminated entity", doc: `<t>&amp x y z and much more text</t>`, err: ErrMalformed},
		{name: "character reference to NUL", doc: `<t>&#0;</t>`, err: ErrMalformed},
		{name: "raw control character", doc: "<t>a\x01b</t>", err: ErrMalformed},
		{name: "invalid UTF-8", doc: "<t>a\xffb</t>", err: ErrMalformed},
		{name: "< inside a tag", doc: `<a x="1" <b>`, err: ErrMalformed},
		{name: "< inside an attribute value", doc: `<a x="1<2"/>`, err: ErrMalformed},
		{name: "attribute without value", doc: `<a x/>`, err: ErrMalformed},
		{name: "attribute name of invalid UTF-8", doc: "<c r=\"A1\" \xdc\xdct=\"s\"/>", err: ErrMalformed},
		{name: "name starting with a digit", doc: `<a 0="1"/>`, err: ErrMalformed},
		{name: "CJK names", doc: `<表 列="1"/>`, want: "<表 列=\"1\"/>\n"},
		{name: "attribute without quotes", doc: `<a x=1/>`, err: ErrMalformed},
		{name: "attributes run together", doc: `<a x="1"y="2"/>`, err: ErrMalformed},
		{name: "tag cut off", doc: `<a x="1`, err: ErrMalformed},
		{name: "end tag that closes nothing", doc: `<a></a></a>`, err: ErrMalformed},
		{name: "end tag of another element", doc: `<row><c><v>0</0></0>`, err: ErrMalformed},
		{name: "element left open", doc: `<a><b></b>`, err: ErrMalformed},
		{name: "comment cut off", doc: `<a/><!-- never closed`, err: ErrMalformed},
		{name: "CDATA cut off", doc: `<t><![CDATA[abc`, err: ErrMalformed},
		{name: "document type declaration", doc: `<!DOCTYPE x [<!ENTITY a "b">]><a/>`, err: errUnusual},
		{name: "UTF-16 declared", doc: `<?xml version="1.0" encoding="UTF-16"?><a/>`, err: errUnusual},
		{name: "UTF-16 byte order mark", doc: "\xFF\xFE<\x00a\x00/\x00>\x00", err: errUnusual},
		{name: "text over the cap", doc: "<t>" + strings.Repeat("x", 100) + "</t>", err: ErrTooLong},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The whole document at once, and one byte at a time (every
			// token then spans refills).
			for _, r := range []io.Reader{strings.NewReader(tt.doc), iotest.OneByteReader(strings.NewReader(tt.doc))} {
				got, err := trace(r, 64)
				if tt.err != nil {
					if !errors.Is(err, tt.err) {
						t.Fatalf("error %v, want %v (tokens so far:\n%s)", err, tt.err, got)
					}
					continue
				}
				if err != nil {
					t.Fatalf("error %v after:\n%s", err, got)
				}
				if got != tt.want {
					t.Fatalf("tokens:\n%s\nwant:\n%s", got, tt.want)
				}
			}
		})
	}
}

// TestScannerLongTag reads a tag longer than the buffer, which must grow.
func TestScannerLongTag(t *testing.T) {
	long := strings.Repeat("v", 3*scanBufSize)
	got, err := trace(strings.NewReader(`<a x="`+long+`"/>`), 0)
	if err != nil || got != fmt.Sprintf("<a x=%q/>\n", long) {
		t.Fatalf("long tag: %v, %d bytes", err, len(got))
	}
	if _, err := trace(strings.NewReader(`<a x="`+strings.Repeat("v", 2*maxTagBytes)+`"/>`), 0); !errors.Is(err, ErrTooLong) {
		t.Fatalf("tag over the cap: %v", err)
	}
}

func TestUnescape(t *testing.T) {
	for in, want := range map[string]string{
		"plain":           "plain",
		"a_x000D_b":       "a\rb",
		"a_x0009_b":       "a\tb",
		"_x005F_x000D_":   "_x000D_",
		"_x005f_":         "_",
		"_xD800_":         "", // a surrogate is dropped, as excelize drops it
		"x_x00_y":         "x_x00_y",
		"_x004G_":         "_x004G_",
		"第一行_x000D_\n第二行": "第一行\r\n第二行",
		"_x":              "_x",
	} {
		if got := unescape(in); got != want {
			t.Errorf("unescape(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFormatKind(t *testing.T) {
	tests := []struct {
		code string
		want FormatKind
	}{
		{"General", FormatNumber}, {"0.00", FormatNumber}, {"#,##0", FormatNumber}, {"0.00E+00", FormatNumber},
		{`#,##0"万元"`, FormatNumber}, {`[Red]General`, FormatNumber}, {`0_);[Red](0)`, FormatNumber},
		{"0%", FormatPercent}, {"0.00%", FormatPercent}, {"[Red]0%", FormatPercent}, {`0.0"%"`, FormatNumber}, {`0.0\%`, FormatNumber},
		{"yyyy-mm-dd", FormatDate}, {`yyyy\-mm\-dd`, FormatDate}, {"mm-dd-yy", FormatDate}, {"d-mmm", FormatDate},
		{`yyyy"年"m"月"d"日"`, FormatDate}, {"m/d/yy h:mm", FormatDate}, {"[$-804]yyyy年m月d日", FormatDate},
		{`yyyy-mm-dd;@`, FormatDate}, {"DD", FormatDate},
		{"h:mm", FormatTime}, {"h:mm:ss AM/PM", FormatTime}, {"[h]:mm:ss", FormatTime}, {"mm:ss", FormatTime},
		{`上午/下午h"时"mm"分"`, FormatTime}, {"AM/PM", FormatTime},
		{"@", FormatText},
	}
	for _, tt := range tests {
		if got := (NumFmt{Code: tt.code}).Kind(); got != tt.want {
			t.Errorf("Kind(%q) = %d, want %d", tt.code, got, tt.want)
		}
	}
}

func TestSerialTime(t *testing.T) {
	tests := []struct {
		serial   float64
		date1904 bool
		want     string // "" for not a date
	}{
		{1, false, "1900-01-01T00:00:00"}, {59, false, "1900-02-28T00:00:00"}, {60, false, ""},
		{61, false, "1900-03-01T00:00:00"}, {45289, false, "2023-12-29T00:00:00"},
		{45289.354166666664, false, "2023-12-29T08:30:00"}, {45289.3541666667, false, "2023-12-29T08:30:00"},
		{43827, true, "2023-12-29T00:00:00"}, {0, true, "1904-01-01T00:00:00"},
		{2958465, false, "9999-12-31T00:00:00"}, {2958466, false, ""}, {-1, false, ""},
	}
	for _, tt := range tests {
		got, ok := SerialTime(tt.serial, tt.date1904)
		s := ""
		if ok {
			s = got.Format("2006-01-02T15:04:05")
		}
		if s != tt.want {
			t.Errorf("SerialTime(%v, %v) = %q, want %q", tt.serial, tt.date1904, s, tt.want)
		}
	}
}
