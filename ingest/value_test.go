package ingest

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"assessor/config"
)

func TestParseNumber(t *testing.T) {
	tests := []struct {
		in   string
		want float64
		ok   bool
	}{
		{"1234", 1234, true},
		{"1,234", 1234, true},
		{"1,234,567.89", 1234567.89, true},
		{"1 234 567", 1234567, true},
		{"-300", -300, true},
		{"\u2212300", -300, true},
		{"+12.5", 12.5, true},
		{"0.30000000000000004", 0.30000000000000004, true},
		{"1.2E+05", 120000, true},
		{"4.9e-324", 4.9e-324, true},
		{".5", 0, false},
		{"5.", 0, false},
		{"1,2,3", 0, false},
		{"1,2345", 0, false},
		{"12,34", 0, false},
		{"1234,567", 0, false},
		{"1,234 567", 0, false},
		{",123", 0, false},
		{"12.3.4", 0, false},
		{"五十", 0, false},
		{"约500", 0, false},
		{"NaN", 0, false},
		{"Inf", 0, false},
		{"1e999", 0, false},
		{"1,234e5", 0, false},
		{"", 0, false},
		{"-", 0, false},
	}
	for _, tt := range tests {
		got, ok := parseNumber(tt.in)
		if ok != tt.ok || ok && got != tt.want {
			t.Errorf("parseNumber(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestParseDate(t *testing.T) {
	d := func(y, m, day int) time.Time { return time.Date(y, time.Month(m), day, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		in       string
		date1904 bool
		want     time.Time
		ok       bool
	}{
		{"2023-12-29", false, d(2023, 12, 29), true},
		{"2023/6/18", false, d(2023, 6, 18), true},
		{"2023.12.29", false, d(2023, 12, 29), true},
		{"2023年12月29日", false, d(2023, 12, 29), true},
		{"2023年 6月 8日", false, d(2023, 6, 8), true},
		{"2023.12", false, d(2023, 12, 1), true},
		{"2023年12月", false, d(2023, 12, 1), true},
		{"2023-12", false, d(2023, 12, 1), true},
		{"20231229", false, d(2023, 12, 29), true},
		{"2023-12-29 00:00:00", false, d(2023, 12, 29), true},
		{"2023-12-29T08:30:00Z", false, d(2023, 12, 29), true},
		{"45289", false, d(2023, 12, 29), true},
		{"45289.75", false, d(2023, 12, 29), true}, // time of day dropped
		{"43827", true, d(2023, 12, 29), true},     // the same day in the 1904 system
		{"59", false, d(1900, 2, 28), true},
		{"61", false, d(1900, 3, 1), true},
		{"60", false, time.Time{}, false}, // 1900-02-29 never existed
		{"2023年13月5日", false, time.Time{}, false},
		{"2023-02-30", false, time.Time{}, false},
		{"2023-00-10", false, time.Time{}, false},
		{"-1", false, time.Time{}, false},
		{"2958466", false, time.Time{}, false},
		{"1e308", false, time.Time{}, false},
		{"去年", false, time.Time{}, false},
		{"2023/12/29/1", false, time.Time{}, false},
	}
	for _, tt := range tests {
		got, ok := parseDate(tt.in, tt.date1904)
		if ok != tt.ok || ok && !got.Equal(tt.want) {
			t.Errorf("parseDate(%q, %v) = %v, %v; want %v, %v", tt.in, tt.date1904, got.Format(time.DateOnly), ok, tt.want.Format(time.DateOnly), tt.ok)
		}
	}
}

func TestSplitHeader(t *testing.T) {
	tests := []struct{ in, label, unit string }{
		{"技术合同成交额（万元）", "技术合同成交额", "万元"},
		{"技术合同成交额\n(万元)", "技术合同成交额", "万元"},
		{"技术合同成交额（单位：亿元）", "技术合同成交额", "亿元"},
		{"办公场地面积（㎡）", "办公场地面积", "m2"},
		{"金额/万元", "金额", "万元"},
		{"技术合同成交额（含技术输入）", "技术合同成交额(含技术输入)", ""},
		{"技术合同成交额（含技术输入）（万元）", "技术合同成交额(含技术输入)", "万元"},
		{"（万元）", "(万元)", ""},
		{"平台编号", "平台编号", ""},
	}
	for _, tt := range tests {
		label, unit := splitHeader(tt.in)
		if label != tt.label || unit != tt.unit {
			t.Errorf("splitHeader(%q) = %q, %q; want %q, %q", tt.in, label, unit, tt.label, tt.unit)
		}
	}
}

func TestConversion(t *testing.T) {
	tests := []struct {
		from, to string
		factor   float64
		ok       bool
	}{
		{"", "万元", 1, true},
		{"元", "万元", 1e-4, true},
		{"亿元", "万元", 1e4, true},
		{"㎡", "平方米", 1, true},
		{"个", "家", 1, true},
		{"万元", "人", 0, false},
		{"美元", "万元", 0, false},
	}
	for _, tt := range tests {
		f, ok := conversion(tt.from, tt.to)
		if ok != tt.ok || ok && math.Abs(f-tt.factor) > 1e-15 {
			t.Errorf("conversion(%q, %q) = %v, %v; want %v, %v", tt.from, tt.to, f, ok, tt.factor, tt.ok)
		}
	}
}

// testParser builds a parser for one column of the default configuration.
func testParser(t *testing.T, table, key string, factor float64) *columnParser {
	t.Helper()
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	r := newReader(cfg, Options{})
	for _, tb := range cfg.Tables() {
		if tb.Key != table {
			continue
		}
		for _, col := range tb.Columns {
			if col.Key == key {
				return r.parser(col, factor, false)
			}
		}
	}
	t.Fatalf("no column %s.%s", table, key)
	return nil
}

func TestColumnParser(t *testing.T) {
	tests := []struct {
		name       string
		table, key string
		factor     float64
		raw        string
		want       value
		fault      string // expected fault code, "" for none
	}{
		{"amount as text with separators", "enclave", "contract_turnover", 1, "1,234.5", value{num: 1234.5}, ""},
		{"amount full-width digits", "enclave", "contract_turnover", 1, "１２３４．５", value{num: 1234.5}, ""},
		{"amount from a 元 header", "enclave", "contract_turnover", 1e-4, "12345678", value{num: 1234.5678}, ""},
		{"unit typed in the cell", "enclave", "contract_turnover", 1, "500万元", value{num: 500}, ""},
		{"unit typed in the cell overrides header", "enclave", "contract_turnover", 1e-4, "2亿元", value{num: 20000}, ""},
		{"wrong unit typed in the cell", "enclave", "contract_turnover", 1, "500人", value{}, "bad_unit"},
		{"words in an amount", "enclave", "contract_turnover", 1, "待核实", value{}, "bad_number"},
		{"negative amount", "enclave", "project_investment", 1, "-300", value{}, "out_of_range"},
		{"required value blank", "enclave", "talents_attracted", 1, "  ", value{null: true}, "missing_value"},
		{"required value marked missing", "enclave", "talents_attracted", 1, "—", value{null: true}, "missing_value"},
		{"optional value marked missing stays missing", "enclave", "office_area", 1, "无", value{null: true}, ""},
		{"fractional count", "enclave", "fulltime_staff", 1, "12.5", value{}, "bad_count"},
		{"count as text", "enclave", "fulltime_staff", 1, "12", value{num: 12}, ""},
		{"count with unit", "enclave", "fulltime_staff", 1, "12人", value{num: 12}, ""},
		{"Chinese numeral", "tic", "smes_served", 1, "五十", value{}, "bad_number"},
		{"bad digit grouping", "tic", "rd_spend", 1, "1,2345", value{}, "bad_number"},
		{"percent with sign", "enclave", "target_completion", 1, "95%", value{num: 95}, ""},
		{"percent full-width sign", "enclave", "target_completion", 1, "95％", value{num: 95}, ""},
		{"percent as points", "enclave", "target_completion", 1, "95", value{num: 95}, ""},
		{"percent as a fraction is ambiguous", "enclave", "target_completion", 1, "0.95", value{}, "ambiguous_percent"},
		{"100% stored as 1 is ambiguous", "enclave", "target_completion", 1, "1", value{}, "ambiguous_percent"},
		{"percent above max", "enclave", "target_completion", 1, "120%", value{}, "out_of_range"},
		{"percent sign in a number column", "enclave", "contract_turnover", 1, "30%", value{}, "bad_number"},
		{"year", "tic", "year", 1, "2025", value{i32: 2025}, ""},
		{"year with 年度", "tic", "year", 1, "2025年度", value{i32: 2025}, ""},
		{"year out of range", "tic", "year", 1, "20255", value{}, "bad_year"},
		{"id kept as text", "tic", "id", 1, " JSZX-2020-001 ", value{str: "JSZX-2020-001"}, ""},
		{"id full-width", "tic", "id", 1, "ＪＳＺＸ－２０２０－００１", value{str: "JSZX-2020-001"}, ""},
		{"long id mangled into a number", "register", "id", 1, "9.15E+17", value{}, "id_as_number"},
		{"programme by name", "register", "programme", 1, "技术创新中心", value{str: "tic"}, ""},
		{"programme by alias", "register", "programme", 1, "成果转移转化示范区", value{str: "demo_zone"}, ""},
		{"unknown programme", "register", "programme", 1, "重点实验室", value{}, "unknown_value"},
		{"league alias", "register", "league", 1, "锡盟", value{str: "xilingol"}, ""},
		{"date text", "register", "approved", 1, "2021年6月18日", value{i32: 18796}, ""},
		{"date serial", "register", "approved", 1, "44365", value{i32: 18796}, ""},
		{"impossible date", "register", "approved", 1, "2023年13月5日", value{}, "bad_date"},
		{"date too early", "register", "approved", 1, "1900-01-01", value{}, "bad_date"},
		{"name with digits", "register", "name", 1, " 2号科创飞地 ", value{str: "2号科创飞地"}, ""},
		{"name starting with #", "register", "name", 1, "#1楼孵化平台", value{str: "#1楼孵化平台"}, ""},
		{"formula error with a digit in a name", "register", "name", 1, "#DIV/0!", value{}, "formula_error"},
		{"formula error in a name", "register", "name", 1, "#N/A", value{}, "formula_error"},
		{"formula error in an id", "tic", "id", 1, "#DIV/0!", value{}, "formula_error"},
		{"formula error in an amount", "enclave", "contract_turnover", 1, "#VALUE!", value{}, "formula_error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := testParser(t, tt.table, tt.key, tt.factor)
			got, f := p.parse(tt.raw, false)
			switch {
			case tt.fault != "" && (f == nil || f.code != tt.fault):
				t.Fatalf("parse(%q) fault = %+v, want %s", tt.raw, f, tt.fault)
			case tt.fault == "" && f != nil:
				t.Fatalf("parse(%q) unexpected fault %+v", tt.raw, f)
			case tt.fault != "":
				if f.expected == "" || f.reason == "" {
					t.Errorf("fault %s lacks its expected or reason text", f.code)
				}
				return
			}
			if got.null != tt.want.null || got.str != tt.want.str || got.i32 != tt.want.i32 || math.Abs(got.num-tt.want.num) > 1e-9 {
				t.Errorf("parse(%q) = %+v, want %+v", tt.raw, got, tt.want)
			}
		})
	}
}

func TestShortestForm(t *testing.T) {
	for s, want := range map[string]bool{
		"0": true, "42": true, "-3.5": true, "0.3": true, "943.81": true, "123456789012345": true,
		"943.8099999999999": false, "1.50": false, "00123": false, "+5": false, "1e5": false, ".5": false,
		"5.": false, "": false, "-": false, "1,234": false, "1234567890123456": false,
	} {
		if got := shortestForm(s); got != want {
			t.Errorf("shortestForm(%q) = %v, want %v", s, got, want)
		}
	}
}

// FuzzParseCell feeds arbitrary text to every column kind: a parser may accept
// or refuse, but never panic, never accept a non-finite number, never accept
// a value outside its declared range, and always explain a refusal.
func FuzzParseCell(f *testing.F) {
	for _, s := range []string{"1,234.5", "１２３", "95%", "2023年12月29日", "45289", "—", "-300", "1e308",
		"500万元", "0.95", "2025年度", "科技成果转移转化示范区", "9.15E+17", "1,2,3", "\x00", "12.5人"} {
		f.Add(s)
	}
	cfg, err := config.Default()
	if err != nil {
		f.Fatal(err)
	}
	// One parser per distinct column behaviour keeps each run cheap.
	r := newReader(cfg, Options{})
	var parsers []*columnParser
	seen := map[string]bool{}
	for _, tb := range cfg.Tables() {
		for _, col := range tb.Columns {
			sig := fmt.Sprint(col.Kind, col.Unit, col.Required, col.Min != nil, col.Max != nil)
			if !seen[sig] {
				seen[sig] = true
				parsers = append(parsers, r.parser(col, 1, false), r.parser(col, 1e-4, true))
			}
		}
	}
	f.Fuzz(func(t *testing.T, raw string) {
		if shortestForm(raw) {
			if n, err := strconv.ParseFloat(raw, 64); err != nil || strconv.FormatFloat(n, 'f', -1, 64) != raw {
				t.Fatalf("shortestForm(%q) but it renders as %v (%v)", raw, n, err)
			}
		}
		for _, p := range parsers {
			v, flt := p.parse(raw, false)
			if flt != nil {
				if flt.code == "" || flt.expected == "" || flt.reason == "" {
					t.Fatalf("%s(%q): fault without explanation: %+v", p.col.Key, raw, flt)
				}
				continue
			}
			if v.null {
				continue
			}
			switch {
			case config.Numeric(p.col.Kind):
				if math.IsNaN(v.num) || math.IsInf(v.num, 0) {
					t.Fatalf("%s(%q) accepted non-finite %v", p.col.Key, raw, v.num)
				}
				if p.col.Min != nil && v.num < *p.col.Min || p.col.Max != nil && v.num > *p.col.Max {
					t.Fatalf("%s(%q) accepted out-of-range %v", p.col.Key, raw, v.num)
				}
				if p.col.Kind == config.KindCount && (v.num < 0 || v.num != math.Trunc(v.num)) {
					t.Fatalf("%s(%q) accepted count %v", p.col.Key, raw, v.num)
				}
			case p.col.Kind == config.KindYear:
				if v.i32 < minYear || v.i32 > maxYear {
					t.Fatalf("%s(%q) accepted year %d", p.col.Key, raw, v.i32)
				}
			case config.Enumerated(p.col.Kind):
				if v.str == "" || strings.ContainsAny(v.str, " \n") {
					t.Fatalf("%s(%q) accepted odd code %q", p.col.Key, raw, v.str)
				}
			case p.col.Kind == config.KindText || p.col.Kind == config.KindID:
				if strings.TrimSpace(v.str) == "" || v.str != strings.TrimSpace(v.str) {
					t.Fatalf("%s(%q) accepted blank or untrimmed text %q", p.col.Key, raw, v.str)
				}
			}
		}
	})
}

// FuzzParseDate checks that an accepted date is a real calendar date in range
// and that written dates round-trip.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2023-12-29", "2023年12月29日", "2023.12", "45289", "60", "20231229", "2023-02-29"} {
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, s string, date1904 bool) {
		d, ok := parseDate(s, date1904)
		if !ok {
			return
		}
		if d.Hour() != 0 || d.Minute() != 0 || d.Location() != time.UTC {
			t.Fatalf("parseDate(%q) = %v, not a UTC midnight", s, d)
		}
		if again, ok := parseDate(d.Format("2006-01-02"), false); !ok || !again.Equal(d) {
			t.Fatalf("parseDate(%q) = %v does not round-trip", s, d)
		}
	})
}

// TestLabelCache: a remembered split is splitHeader's, from any number of
// workers at once, and the cache stops growing at maxCachedLabels.
func TestLabelCache(t *testing.T) {
	lc := newLabelCache()
	texts := []string{"技术合同成交额（万元）", "研发经费投入(亿元)", "平台 编号", "孵化面积/m²", "技术合同成交额（含技术输入）"}
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 3 {
				for _, text := range texts {
					got := lc.split(text)
					if wantText, wantUnit := splitHeader(text); got.text != wantText || got.unit != wantUnit {
						t.Errorf("split(%q) = %+v, want %q %q", text, got, wantText, wantUnit)
					}
				}
			}
		}()
	}
	wg.Wait()
	for i := range 2 * maxCachedLabels {
		lc.split(fmt.Sprintf("指标%d（万元）", i))
	}
	if n := len(lc.labels); n != maxCachedLabels {
		t.Errorf("%d labels cached, want the cap %d", n, maxCachedLabels)
	}
	if got := lc.split("指标99999（万元）"); got.text != "指标99999" || got.unit != "万元" {
		t.Errorf("split past the cap = %+v", got)
	}
}
