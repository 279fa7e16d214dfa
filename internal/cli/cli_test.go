package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"assessor/config"
	"assessor/history"
	"assessor/internal/job"
)

// samplesDir is the committed sample set.
var samplesDir = filepath.Join("..", "..", "samples", "data")

func run(t *testing.T, env map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	for k, v := range env {
		t.Setenv(k, v)
	}
	var out, errOut bytes.Buffer
	code = Main(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestExitCodes(t *testing.T) {
	out, state := t.TempDir(), t.TempDir()
	badConfig := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(badConfig, []byte("ranking:\n  precison: 2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	blocked := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(blocked, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string // substring expected on stderr
	}{
		{"version", []string{"version"}, ExitOK, ""},
		{"unknown command", []string{"rank"}, ExitUsage, "unknown command"},
		{"unknown flag", []string{"run", "--yaer", "2025"}, ExitUsage, "unknown flag"},
		{"bad flag value", []string{"run", "--year", "twenty"}, ExitUsage, "invalid argument"},
		{"unknown config key", []string{"run", "--config", badConfig}, ExitUsage, "has invalid keys: precison"},
		{"missing config file", []string{"run", "--config", filepath.Join(out, "none.yaml")}, ExitUsage, "none.yaml"},
		{"year out of range", []string{"run", "--year", "1850", "--in", samplesDir, "--out", out, "--state", state}, ExitUsage, "run.year"},
		{"input folder missing", []string{"run", "--year", "2025", "--first-year", "2025", "--in", filepath.Join(out, "none"), "--out", out, "--state", state}, ExitIO, "open input"},
		{"output not writable", []string{"run", "--year", "2025", "--first-year", "2025", "--in", samplesDir, "--out", blocked, "--state", state}, ExitIO, "create output folder"},
		{"state not writable", []string{"run", "--year", "2025", "--first-year", "2025", "--in", samplesDir, "--out", out, "--state", blocked}, ExitIO, "open state folder"},
		{"nothing to assess", []string{"run", "--year", "2031", "--first-year", "2031", "--in", samplesDir, "--out", out, "--state", state}, ExitUsage, "no annual report rows for 2031"},
		{"previous year not in the history", []string{"run", "--year", "2024", "--in", samplesDir, "--out", out, "--state", t.TempDir()}, ExitUsage, "has no 2023"},
		{"samples with rejected input", []string{"run", "--year", "2025", "--first-year", "2025", "--in", samplesDir, "--out", out, "--state", state, "--log-level", "error"}, ExitRejected, ""},
		{"validate samples", []string{"validate", "--in", samplesDir, "--out", out, "--log-level", "error"}, ExitRejected, ""},
		{"dry run with rejected input", []string{"run", "--dry-run", "--year", "2025", "--first-year", "2025", "--in", samplesDir, "--out", out, "--state", state, "--log-level", "error"}, ExitRejected, ""},
		{"dry run without history", []string{"run", "--dry-run", "--year", "2024", "--in", samplesDir, "--out", out, "--state", filepath.Join(out, "none")}, ExitUsage, "does not exist"},
		{"samples needs --out", []string{"samples"}, ExitUsage, "out"},
		{"unknown split", []string{"run", "--split-by", "programme"}, ExitUsage, "run.split_by: must be empty (no split) or league (got programme)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := run(t, nil, tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, tt.code, stderr)
			}
			if !strings.Contains(stderr, tt.stderr) {
				t.Errorf("stderr lacks %q:\n%s", tt.stderr, stderr)
			}
		})
	}
}

// writeSheet writes a one-sheet workbook from rows.
func writeSheet(t *testing.T, path string, rows [][]any) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
}

func TestRunOnCleanInputExitsZero(t *testing.T) {
	in, out := t.TempDir(), t.TempDir()
	writeSheet(t, filepath.Join(in, "名录.xlsx"), [][]any{
		{"平台编号", "平台名称", "平台类别", "建设模式", "所在盟市", "批复（备案）时间"},
		{"JSZX-2020-001", "稀土中心", "技术创新中心", "", "包头市", "2020-10-09"},
	})
	writeSheet(t, filepath.Join(in, "专家评分.xlsx"), [][]any{
		{"平台编号", "年度", "专家", "评分"},
		{"JSZX-2020-001", 2025, "甲", 90}, {"JSZX-2020-001", 2025, "乙", 92}, {"JSZX-2020-001", 2025, "丙", 95},
	})
	writeSheet(t, filepath.Join(in, "2025.xlsx"), [][]any{
		{"平台编号", "年度", "研发经费投入", "突破关键核心技术数", "授权发明专利数", "成果转化数", "技术服务收入", "孵化衍生科技型企业数", "服务科技型中小企业数"},
		{"JSZX-2020-001", 2025, 3000, 5, 10, 5, 1000, 3, 50},
	})
	code, stdout, stderr := run(t, nil, "run", "--year", "2025", "--first-year", "2025", "--in", in, "--out", out,
		"--state", t.TempDir(), "--log-level", "error", "--split-by", "league")
	if code != ExitOK || !strings.Contains(stdout, "优秀 1") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	for _, name := range []string{"2025年度创新平台绩效评估结果.xlsx", "2025年度技术创新中心绩效评估结果公示名单.xlsx",
		filepath.Join("按盟市", "2025年度创新平台绩效评估结果（包头市）.xlsx")} {
		path := filepath.Join(out, "2025", name)
		if _, err := os.Stat(path); err != nil {
			t.Error(err)
		}
		if !strings.Contains(stdout, path) {
			t.Errorf("stdout does not list %s:\n%s", path, stdout)
		}
	}
}

func TestFlagsOverrideEnvironment(t *testing.T) {
	out := t.TempDir()
	env := map[string]string{"ASSESSOR_RUN_YEAR": "2031", "ASSESSOR_RUN_FIRST_YEAR": "2031", "ASSESSOR_RUN_IN": samplesDir,
		"ASSESSOR_RUN_STATE": t.TempDir(), "ASSESSOR_LOG_LEVEL": "error"}
	// The environment alone asks for a year without reports.
	if code, _, stderr := run(t, env, "run", "--out", out); code != ExitUsage || !strings.Contains(stderr, "2031") {
		t.Errorf("env year: exit %d, stderr %s", code, stderr)
	}
	// The flags override it.
	if code, stdout, stderr := run(t, env, "run", "--out", out, "--year", "2024", "--first-year", "2024"); code != ExitRejected && code != ExitOK || !strings.Contains(stdout, "2024年度") {
		t.Errorf("flag year: exit %d, stdout %s, stderr %s", code, stdout, stderr)
	}
}

func TestConfigShow(t *testing.T) {
	code, stdout, _ := run(t, map[string]string{"ASSESSOR_RANKING_PRECISION": "3"}, "config", "show")
	if code != ExitOK || !strings.Contains(stdout, "precision: 3") || !strings.Contains(stdout, "技术创新中心") {
		t.Errorf("config show: exit %d\n%s", code, stdout)
	}
	code, stdout, _ = run(t, nil, "config", "show", "--defaults")
	if code != ExitOK || !strings.HasPrefix(stdout, "# assessor — default configuration") {
		t.Errorf("config show --defaults: exit %d\n%.200s", code, stdout)
	}
}

func TestHelpDocumentsExitStatus(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"run", "--help"}, {"validate", "--help"}} {
		code, stdout, _ := run(t, nil, args...)
		if code != ExitOK || !strings.Contains(stdout, "Exit status:") || !strings.Contains(stdout, "3  the input folder") {
			t.Errorf("%v: exit %d, help lacks the exit statuses:\n%s", args, code, stdout)
		}
	}
}

func TestSamplesCommand(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := run(t, nil, "samples", "--out", out, "--seed", "7", "--platforms", "120")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "files") {
		t.Errorf("stdout %q", stdout)
	}
	if _, err := os.Stat(filepath.Join(out, "平台名录.xlsx")); err != nil {
		t.Error(err)
	}
}

// lockedState returns a state folder locked as by a run, until the test ends.
func lockedState(t *testing.T) string {
	t.Helper()
	state := t.TempDir()
	held, err := history.Open(context.Background(), state, history.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { held.Close() })
	return state
}

func TestLockedStateFolder(t *testing.T) {
	state := lockedState(t)
	code, _, stderr := run(t, nil, "run", "--year", "2025", "--first-year", "2025", "--in", samplesDir, "--out", t.TempDir(), "--state", state)
	if code != ExitLocked || !strings.Contains(stderr, "is locked by pid") {
		t.Errorf("exit %d, stderr %s", code, stderr)
	}
	// A dry run takes no lock: it runs beside the real one (and ends as the
	// samples do, with rejected input).
	code, _, stderr = run(t, nil, "run", "--dry-run", "--year", "2025", "--first-year", "2025", "--in", samplesDir, "--out", t.TempDir(),
		"--state", state, "--log-level", "error")
	if code != ExitRejected {
		t.Errorf("dry run beside a locked state: exit %d, want %d; stderr %s", code, ExitRejected, stderr)
	}
}

// TestDefaultYear: without a configured year, the year is the current one
// in the configured time zone (Asia/Shanghai, 8 hours ahead of UTC).
func TestDefaultYear(t *testing.T) {
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	a := newApp(io.Discard, io.Discard)
	for _, tt := range []struct {
		now  time.Time
		year int // configured, 0 for none
		want int
	}{
		{time.Date(2025, 12, 31, 15, 30, 0, 0, time.UTC), 0, 2025},
		{time.Date(2025, 12, 31, 16, 30, 0, 0, time.UTC), 0, 2026}, // already 1 January in Shanghai
		{time.Date(2025, 12, 31, 16, 30, 0, 0, time.UTC), 2023, 2023},
	} {
		a.now = func() time.Time { return tt.now }
		cfg.Run.Year = tt.year
		if got := a.year(cfg); got != tt.want {
			t.Errorf("at %s with year %d: %d, want %d", tt.now, tt.year, got, tt.want)
		}
	}
}

func TestExplainAndHistory(t *testing.T) {
	state, out := t.TempDir(), t.TempDir()
	published, _ := filepath.Glob(filepath.Join("..", "..", "samples", "history", "*.xlsx"))
	if code, stdout, stderr := run(t, nil, "history", "import", published[0], "--state", state, "--log-level", "error"); code != ExitOK ||
		!strings.Contains(stdout, "2021: ") {
		t.Fatalf("import: exit %d, %s %s", code, stdout, stderr)
	}
	if code, _, _ := run(t, nil, "history", "import", published[0], "--state", state, "--log-level", "error"); code != ExitUsage {
		t.Errorf("a second import: exit %d, want %d", code, ExitUsage)
	}
	if code, _, stderr := run(t, nil, "run", "--year", "2022", "--in", samplesDir, "--out", out, "--state", state, "--log-level", "error"); code != ExitRejected {
		t.Fatalf("run 2022: exit %d %s", code, stderr)
	}
	code, stdout, _ := run(t, nil, "history", "show", "FD-2021-001", "--state", state)
	if code != ExitOK || !strings.Contains(stdout, "2021") || !strings.Contains(stdout, "2022") {
		t.Errorf("history show: exit %d\n%s", code, stdout)
	}
	code, stdout, stderr := run(t, nil, "explain", "--year", "2023", "--in", samplesDir, "--state", state, "--log-level", "error", "FD-2021-001")
	for _, want := range []string{"FD-2021-001", "年度考核", "指标", "说明", "状态："} {
		if !strings.Contains(stdout, want) {
			t.Errorf("explain lacks %q (exit %d):\n%s%s", want, code, stdout, stderr)
		}
	}
	if code, _, _ := run(t, nil, "explain", "--year", "2023", "--in", samplesDir, "--state", state, "NOPE"); code != ExitUsage {
		t.Errorf("explain of an unknown id: exit %d", code)
	}
}

// runApp runs the command line as Main does, with the terminal test given.
func runApp(t *testing.T, terminal bool, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	a := newApp(&out, &errOut)
	a.terminal = func(io.Writer) bool { return terminal }
	code = a.main(context.Background(), args)
	return code, out.String(), errOut.String()
}

func TestLogStyle(t *testing.T) {
	tests := []struct {
		format            string
		terminal          bool
		console, progress bool
	}{
		{"auto", true, true, true},
		{"console", true, true, true},
		{"json", true, false, false},
		{"auto", false, false, false},
		{"console", false, true, false},
		{"json", false, false, false},
	}
	for _, tt := range tests {
		if console, bar := logStyle(tt.format, tt.terminal); console != tt.console || bar != tt.progress {
			t.Errorf("%s, terminal %v: console %v, progress bar %v; want %v, %v", tt.format, tt.terminal, console, bar, tt.console, tt.progress)
		}
	}
}

func TestProgressBarOnTerminal(t *testing.T) {
	_, _, stderr := runApp(t, true, "run", "--year", "2025", "--first-year", "2025", "--in", samplesDir,
		"--out", t.TempDir(), "--state", t.TempDir())
	if !strings.Contains(stderr, "reading workbooks") || !strings.Contains(stderr, "/17)") {
		t.Errorf("no progress bar counting the 17 files on a terminal:\n%s", stderr)
	}
}

func TestRunIDOnEveryLogLine(t *testing.T) {
	state := lockedState(t)
	// A run that logs, then fails: its error is a JSON line too.
	code, _, stderr := runApp(t, false, "run", "--year", "2025", "--in", samplesDir, "--out", t.TempDir(), "--state", state,
		"--log-level", "debug")
	if code != ExitLocked {
		t.Fatalf("exit %d, want %d:\n%s", code, ExitLocked, stderr)
	}
	ids := map[string]bool{}
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	for _, line := range lines {
		var entry map[string]any
		if err := json.Unmarshal([]byte(line), &entry); err != nil {
			t.Fatalf("not a JSON line: %q", line)
		}
		id, _ := entry[runIDField].(string)
		ids[id] = true
	}
	last := lines[len(lines)-1]
	if len(ids) != 1 || ids[""] || !strings.Contains(last, `"exit_status":5`) || !strings.Contains(last, "is locked by pid") {
		t.Errorf("run ids %v over %d lines; last line %s", ids, len(lines), last)
	}
	if newRunID() == newRunID() {
		t.Error("two runs got the same id")
	}
}

// TestExitStatusOfEveryOutcome checks the one mapping from a job's outcome to
// the exit status, for the outcomes that cannot be brought about from outside
// (an internal error) as for the others.
func TestExitStatusOfEveryOutcome(t *testing.T) {
	tests := []struct {
		name    string
		summary *job.Summary
		err     error
		code    int
	}{
		{"clean", &job.Summary{}, nil, ExitOK},
		{"rejected input", &job.Summary{Errors: 3}, nil, ExitRejected},
		{"nothing to assess", nil, fmt.Errorf("x: %w", job.ErrNothingToAssess), ExitUsage},
		{"no history", nil, job.ErrNoHistory, ExitUsage},
		{"history exists", nil, job.ErrHistoryExists, ExitUsage},
		{"input unreadable", nil, &job.IOError{Op: "read input", Err: os.ErrPermission}, ExitIO},
		{"internal", nil, errors.New("assess: index out of range"), ExitInternal},
		{"locked", nil, fmt.Errorf("open: %w", job.ErrLocked), ExitLocked},
		{"cancelled", nil, fmt.Errorf("read: %w", context.Canceled), ExitCancelled},
		{"cancelled while writing", nil, &job.IOError{Op: "write results", Err: context.Canceled}, ExitCancelled},
	}
	for _, tt := range tests {
		if got := exitStatus(tt.summary, tt.err); got != tt.code {
			t.Errorf("%s: exit status %d, want %d", tt.name, got, tt.code)
		}
	}
}

func TestCancelledRunExitsSix(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	out, state := t.TempDir(), t.TempDir()
	var stdout, stderr bytes.Buffer
	code := Main(ctx, []string{"run", "--year", "2025", "--first-year", "2025", "--in", samplesDir, "--out", out, "--state", state}, &stdout, &stderr)
	if code != ExitCancelled || !strings.Contains(stderr.String(), "cancelled") {
		t.Errorf("exit %d, stderr %s", code, stderr.String())
	}
	if entries, _ := os.ReadDir(out); len(entries) != 0 {
		t.Errorf("a cancelled run wrote %v", entries)
	}
}

// TestExitStatusesDocumented checks that the help, the README and the
// constants list the same exit statuses.
func TestExitStatusesDocumented(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for code := ExitOK; code <= ExitCancelled; code++ {
		if !strings.Contains(exitStatusHelp, fmt.Sprintf("\n  %d  ", code)) {
			t.Errorf("--help does not document exit status %d", code)
		}
		if !strings.Contains(string(readme), fmt.Sprintf("\n| %d | ", code)) {
			t.Errorf("README.md does not document exit status %d", code)
		}
	}
}
