package config

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/spf13/pflag"
	"github.com/spf13/viper"
	"go.yaml.in/yaml/v3"
)

// defaultYAML is the commented default configuration shipped with the engine.
//
//go:embed default.yaml
var defaultYAML []byte

// DefaultYAML returns the commented default configuration.
func DefaultYAML() []byte { return bytes.Clone(defaultYAML) }

// EnvPrefix prefixes the environment variables that override configuration keys:
// ASSESSOR_RUN_YEAR overrides run.year.
const EnvPrefix = "ASSESSOR"

// FileEnv names the environment variable that gives the configuration file
// when Options.File is empty, for schedulers that configure by environment.
const FileEnv = EnvPrefix + "_CONFIG"

// Options says where configuration comes from besides the embedded defaults.
type Options struct {
	// File is a user configuration file (YAML, JSON or TOML by extension);
	// empty for the one named by $ASSESSOR_CONFIG, if any. Relative paths
	// inside it resolve against its folder.
	File string
	// Flags holds command-line flags; FlagKeys maps a flag name to the key it
	// overrides ("in" → "run.in"). A flag overrides only when set by the user.
	Flags    *pflag.FlagSet
	FlagKeys map[string]string
	// LookupEnv reads the environment; nil means os.LookupEnv.
	LookupEnv func(string) (string, bool)
}

// pathKeys are keys holding paths, resolved against the user file's folder when
// the file sets them.
var pathKeys = []string{"run.in", "run.out", "run.state"}

// Load builds the effective configuration: defaults, then the user file, then
// environment variables and flags; then validates it. Any error is a
// configuration error naming the key path and value where it can.
func Load(opts Options) (*Config, error) {
	if opts.File == "" {
		opts.File, _ = opts.lookup()(FileEnv)
	}
	if opts.File == "" {
		return parse(nil, "", opts)
	}
	f, err := os.Open(opts.File)
	if err != nil {
		return nil, fmt.Errorf("read config file: %w", err)
	}
	defer f.Close()
	return parse(f, strings.TrimPrefix(filepath.Ext(opts.File), "."), opts)
}

// Default returns the validated embedded defaults.
func Default() (*Config, error) { return parse(nil, "", Options{LookupEnv: noEnv}) }

// Parse returns the defaults overridden by the YAML in r, validated; no
// environment or flags are read.
func Parse(r io.Reader) (*Config, error) { return parse(r, "yaml", Options{LookupEnv: noEnv}) }

// parse layers defaults, the user configuration in r (if any, in the given
// format), the environment and the flags, then decodes strictly and validates.
func parse(r io.Reader, format string, opts Options) (*Config, error) {
	lookup := opts.lookup()
	v := viper.New()
	v.SetConfigType("yaml")
	if err := v.ReadConfig(bytes.NewReader(defaultYAML)); err != nil {
		return nil, fmt.Errorf("embedded defaults: %w", err)
	}
	var fileSets func(key string) bool
	if r != nil {
		fv := viper.New()
		fv.SetConfigType(format)
		if err := fv.ReadConfig(r); err != nil {
			return nil, fmt.Errorf("config %s: %w", opts.File, err)
		}
		if err := v.MergeConfigMap(fv.AllSettings()); err != nil {
			return nil, fmt.Errorf("config %s: %w", opts.File, err)
		}
		fileSets = fv.IsSet
	}
	// Environment: every key can be overridden as ASSESSOR_<KEY>.
	for _, key := range v.AllKeys() {
		if val, ok := lookup(envName(key)); ok {
			v.Set(key, val)
		}
	}
	for flag, key := range opts.FlagKeys {
		if changed(opts.Flags, flag) {
			v.Set(key, opts.Flags.Lookup(flag).Value.String())
		}
	}

	var c Config
	if err := v.UnmarshalExact(&c); err != nil {
		return nil, fmt.Errorf("config: %w", decodeError(err, v))
	}
	if fileSets != nil && opts.File != "" {
		dir := filepath.Dir(opts.File)
		for _, key := range pathKeys {
			if fileSets(key) && !overridden(key, opts, lookup) {
				c.setPath(key, dir)
			}
		}
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return &c, nil
}

// lookup is the function that reads the environment.
func (o Options) lookup() func(string) (string, bool) {
	if o.LookupEnv == nil {
		return os.LookupEnv
	}
	return o.LookupEnv
}

// decodeLine is one line of a decoding error: "'ranking.precision' cannot ...".
var decodeLine = regexp.MustCompile(`^'([^']+)' (.*)$`)

// decodeError restates the decoder's errors one per line, each with the value
// found at its key path, so that a wrong type names both key and value.
func decodeError(err error, v *viper.Viper) error {
	var lines []string
	for _, line := range strings.Split(err.Error(), "\n") {
		m := decodeLine.FindStringSubmatch(strings.TrimSpace(line))
		if m == nil {
			continue
		}
		key := strings.NewReplacer("[", ".", "]", "").Replace(m[1])
		if val := v.Get(key); val != nil && !strings.Contains(m[2], "invalid keys") {
			lines = append(lines, fmt.Sprintf("%s: %s (got %v)", m[1], m[2], val))
		} else {
			lines = append(lines, fmt.Sprintf("%s: %s", m[1], m[2]))
		}
	}
	if len(lines) == 0 {
		return err
	}
	return errors.New(strings.Join(lines, "\n"))
}

// envName is the environment variable that overrides key.
func envName(key string) string {
	return EnvPrefix + "_" + strings.ToUpper(strings.ReplaceAll(key, ".", "_"))
}

// changed reports whether the user set the named flag.
func changed(flags *pflag.FlagSet, name string) bool {
	if flags == nil {
		return false
	}
	f := flags.Lookup(name)
	return f != nil && f.Changed
}

func noEnv(string) (string, bool) { return "", false }

// overridden reports whether an environment variable or a flag set key.
func overridden(key string, opts Options, lookup func(string) (string, bool)) bool {
	if _, ok := lookup(envName(key)); ok {
		return true
	}
	for flag, k := range opts.FlagKeys {
		if k == key && changed(opts.Flags, flag) {
			return true
		}
	}
	return false
}

// setPath makes a relative path key absolute against dir.
func (c *Config) setPath(key, dir string) {
	var p *string
	switch key {
	case "run.in":
		p = &c.Run.In
	case "run.out":
		p = &c.Run.Out
	case "run.state":
		p = &c.Run.State
	default:
		return
	}
	if *p != "" && !filepath.IsAbs(*p) {
		*p = filepath.Join(dir, *p)
	}
}

// YAML renders the effective configuration (without the defaults' comments).
func (c *Config) YAML() ([]byte, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(c); err != nil {
		return nil, fmt.Errorf("render config: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("render config: %w", err)
	}
	return buf.Bytes(), nil
}

// Hash is the SHA-256 of the effective rules: the configuration rendered as
// YAML without the run's own settings (run.* and log.*: year, folders, time
// zone, log level), so that two runs with the same hash applied the same
// rules, whatever year they assessed and wherever they wrote.
func (c *Config) Hash() (string, error) {
	rules := *c
	rules.Run, rules.Log = Run{}, Log{}
	y, err := rules.YAML()
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(y)
	return hex.EncodeToString(sum[:]), nil
}

// FieldError is a configuration value that failed validation.
type FieldError struct {
	Path  string // key path, such as "programmes.tic.grades[1].min"
	Value any    // the offending value; nil when the key is missing
	Msg   string
}

func (e *FieldError) Error() string {
	if e.Value == nil {
		return fmt.Sprintf("%s: %s", e.Path, e.Msg)
	}
	return fmt.Sprintf("%s: %s (got %v)", e.Path, e.Msg, e.Value)
}

// FieldErrors returns the field errors inside err, in order.
func FieldErrors(err error) []*FieldError {
	var out []*FieldError
	var joined interface{ Unwrap() []error }
	if errors.As(err, &joined) {
		for _, e := range joined.Unwrap() {
			out = append(out, FieldErrors(e)...)
		}
		return out
	}
	var fe *FieldError
	if errors.As(err, &fe) {
		out = append(out, fe)
	}
	return out
}
