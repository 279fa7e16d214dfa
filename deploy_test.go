package assessor

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"assessor/config"
)

// deployFile reads a file of deploy/.
func deployFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("deploy", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// envVars parses an environment file: KEY=value lines; with commented set
// true, also the "#KEY=value" lines that show optional settings.
func envVars(t *testing.T, text string, commented bool) map[string]string {
	t.Helper()
	vars := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if rest, ok := strings.CutPrefix(line, "#"); ok && commented && strings.HasPrefix(rest, config.EnvPrefix+"_") {
			line = rest
		}
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok || strings.ContainsAny(line, " \"'") {
			t.Errorf("not a plain KEY=value line, which systemd and sh both read alike: %q", line)
			continue
		}
		vars[k] = v
	}
	return vars
}

// configEnvNames returns the environment variable of every configuration key
// that is not inside a list, as config.Load reads them.
func configEnvNames(t *testing.T) map[string]bool {
	t.Helper()
	var tree map[string]any
	if err := yaml.Unmarshal(config.DefaultYAML(), &tree); err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{config.FileEnv: true}
	var walk func(prefix string, m map[string]any)
	walk = func(prefix string, m map[string]any) {
		for k, v := range m {
			if sub, ok := v.(map[string]any); ok {
				walk(prefix+k+"_", sub)
				continue
			}
			names[strings.ToUpper(prefix+k)] = true
		}
	}
	walk(config.EnvPrefix+"_", tree)
	return names
}

// TestDeployEnvFile checks that every variable of deploy/assessor.env, the
// commented ones included, is one that assessor reads, and that its settings
// make a valid configuration.
func TestDeployEnvFile(t *testing.T) {
	text := deployFile(t, "assessor.env")
	known := configEnvNames(t)
	for k := range envVars(t, text, true) {
		if !known[k] {
			t.Errorf("assessor.env sets %s, which is no configuration key", k)
		}
	}
	vars := envVars(t, text, false)
	cfg, err := config.Load(config.Options{LookupEnv: func(k string) (string, bool) { v, ok := vars[k]; return v, ok }})
	if err != nil {
		t.Fatalf("assessor.env: %v", err)
	}
	if cfg.Run.State != vars["ASSESSOR_RUN_STATE"] || cfg.Log.Format != config.LogFormatJSON {
		t.Errorf("assessor.env not applied: state %q, log format %q", cfg.Run.State, cfg.Log.Format)
	}
}

// TestDeployScheduleAgrees checks that the crontab line does what the timer
// and the service do.
func TestDeployScheduleAgrees(t *testing.T) {
	service, timer, crontab := deployFile(t, "assessor.service"), deployFile(t, "assessor.timer"), deployFile(t, "crontab")
	for _, want := range []struct{ file, text, line string }{
		{"assessor.timer", timer, "OnCalendar=*-12-15 02:00:00 Asia/Shanghai"},
		{"assessor.timer", timer, "Persistent=true"},
		{"crontab", crontab, "CRON_TZ=Asia/Shanghai"},
		{"crontab", crontab, "0 2 15 12 * assessor cd /var/lib/assessor && set -a && . /etc/assessor/assessor.env && set +a && exec assessor run "},
		{"assessor.service", service, "User=assessor"},
		{"assessor.service", service, "EnvironmentFile=/etc/assessor/assessor.env"},
		{"assessor.service", service, "WorkingDirectory=/var/lib/assessor"},
		{"assessor.service", service, "ExecStart=/usr/local/bin/assessor run\n"},
		{"assessor.service", service, "SuccessExitStatus=1\n"},
	} {
		if !strings.Contains(want.text, want.line) {
			t.Errorf("%s lacks %q", want.file, want.line)
		}
	}
}

// TestDeployUnitsVerify runs systemd-analyze verify on the service and the
// timer, where systemd is installed (Debian's systemd package); it skips
// elsewhere. The service's ExecStart is pointed at a stand-in executable, as
// verify checks that the command exists; `make verify-deploy` checks the
// units with the built binary. Any warning fails the test: verify exits 0 on
// unknown settings.
func TestDeployUnitsVerify(t *testing.T) {
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("systemd-analyze not installed (apt-get install systemd)")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "assessor")
	if err := os.WriteFile(bin, []byte("#!/bin/sh\nexit 0\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	service := strings.ReplaceAll(deployFile(t, "assessor.service"), "/usr/local/bin/assessor", bin)
	if err := os.WriteFile(filepath.Join(dir, "assessor.service"), []byte(service), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "assessor.timer"), []byte(deployFile(t, "assessor.timer")), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(analyze, "verify", filepath.Join(dir, "assessor.service"), filepath.Join(dir, "assessor.timer"))
	if out, err := cmd.CombinedOutput(); err != nil || len(out) > 0 {
		t.Errorf("systemd-analyze verify: %v\n%s", err, out)
	}
}
