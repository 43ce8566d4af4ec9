// Package config reads Mirsad's YAML configuration: Default, then Load
// overlays a file, then Validate checks every field and names the one that
// is wrong. Only cmd imports it; it maps the result into each package's
// Options, so no other package reads configuration directly.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
	"gopkg.in/yaml.v3"
)

// Config is the whole configuration file.
type Config struct {
	DataDir       string         `yaml:"data_dir"`
	Listen        string         `yaml:"listen"`
	Crawl         Crawl          `yaml:"crawl"`
	Index         Index          `yaml:"index"`
	Gazetteers    []string       `yaml:"gazetteers"`
	Sources       []Source       `yaml:"sources"`
	Subscriptions []Subscription `yaml:"subscriptions"`
}

// Index holds the settings of the article index.
type Index struct {
	// Partitions is "none" (one bleve index, the default: cheapest to
	// search and fill on one machine) or "month" (one index per
	// publication month, searched together, so old months can be moved
	// or dropped and date-ranged queries open only theirs). A data dir
	// already partitioned stays partitioned.
	Partitions string `yaml:"partitions"`
}

// Crawl holds the fetching settings shared by all sources.
type Crawl struct {
	UserAgent            string   `yaml:"user_agent"`
	AllowPrivateNetworks bool     `yaml:"allow_private_networks"`
	Timeout              Duration `yaml:"timeout"`
	MaxBodyBytes         ByteSize `yaml:"max_body_bytes"`
	PerHostDelay         Duration `yaml:"per_host_delay"`
	// SourceTimeout bounds one source's run, so a hanging outlet never
	// holds up the others.
	SourceTimeout Duration `yaml:"source_timeout"`
}

// Source is one outlet or feed to watch.
type Source struct {
	Name          string     `yaml:"name"`
	Kind          string     `yaml:"kind"` // feed | sitemap | site
	URL           string     `yaml:"url"`
	Language      string     `yaml:"language"` // ar | en | auto
	Schedule      string     `yaml:"schedule"`
	FetchArticles *bool      `yaml:"fetch_articles"`
	Selectors     *Selectors `yaml:"selectors"`
	// Sitemap and site crawling: which links are articles, which pages to
	// follow, and how far.
	LinkPattern   string   `yaml:"link_pattern"`
	FollowPattern string   `yaml:"follow_pattern"`
	MaxDepth      int      `yaml:"max_depth"`
	MaxPages      int      `yaml:"max_pages"`
	MaxItems      int      `yaml:"max_items"`
	Timeout       Duration `yaml:"timeout"` // the whole source's run; default crawl.source_timeout
}

// FollowLinks reports whether the source's item links are fetched and
// extracted; it defaults to true because feed summaries are rarely the
// whole article.
func (s Source) FollowLinks() bool { return s.FetchArticles == nil || *s.FetchArticles }

// Selectors are per-site CSS selectors; "sel@attr" takes an attribute.
type Selectors struct {
	Title     string `yaml:"title"`
	Body      string `yaml:"body"`
	Published string `yaml:"published"`
	Author    string `yaml:"author"`
}

// Subscription is an alert subscription.
type Subscription struct {
	Name     string   `yaml:"name"`
	Query    string   `yaml:"query"`
	Entities []string `yaml:"entities"`
	Speaker  string   `yaml:"speaker"`
	Lang     string   `yaml:"lang"`
	Webhook  *Webhook `yaml:"webhook"`
}

// Webhook is a delivery target; the secret itself stays in the environment.
type Webhook struct {
	URL       string `yaml:"url"`
	SecretEnv string `yaml:"secret_env"`
}

// Default returns the configuration used when no file is given.
func Default() Config {
	return Config{
		DataDir: "./data",
		Listen:  "127.0.0.1:8080",
		Crawl: Crawl{
			UserAgent:     "Mirsad/0.1 (+https://github.com/mirsad-observatory/mirsad)",
			Timeout:       Duration(30 * time.Second),
			MaxBodyBytes:  10 << 20,
			PerHostDelay:  Duration(time.Second),
			SourceTimeout: Duration(10 * time.Minute),
		},
	}
}

// Load reads the YAML file at path over Default and validates it.
func Load(path string) (Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("config: %w", err)
	}
	cfg, err := Parse(data)
	if err != nil {
		return Config{}, fmt.Errorf("config: %s: %w", path, err)
	}
	return cfg, nil
}

// Parse reads YAML over Default and validates the result. Unknown keys are
// errors: a misspelt key silently ignored is a source never watched.
func Parse(data []byte) (Config, error) {
	cfg := Default()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&cfg); err != nil && !errors.Is(err, io.EOF) { // empty file: all defaults
		return Config{}, err
	}
	for i := range cfg.Sources {
		if cfg.Sources[i].Language == "" {
			cfg.Sources[i].Language = "auto"
		}
		if cfg.Sources[i].Kind == "" {
			cfg.Sources[i].Kind = "feed"
		}
	}
	if err := cfg.Validate(); err != nil {
		return Config{}, err
	}
	return cfg, nil
}

// FieldError names the field that failed validation.
type FieldError struct {
	Field string
	Msg   string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Msg }

var cronParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

var nameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// Validate checks every field and returns all problems joined, each naming
// its field, so a user fixes the file in one pass.
func (c Config) Validate() error {
	var errs []error
	bad := func(field, format string, args ...any) {
		errs = append(errs, &FieldError{Field: field, Msg: fmt.Sprintf(format, args...)})
	}
	if strings.TrimSpace(c.DataDir) == "" {
		bad("data_dir", "must not be empty")
	}
	switch c.Index.Partitions {
	case "", "none", "month":
	default:
		bad("index.partitions", "%q: want none or month", c.Index.Partitions)
	}
	if c.Listen == "" {
		bad("listen", "must not be empty")
	} else if _, port, ok := strings.Cut(c.Listen, ":"); !ok || port == "" {
		bad("listen", "want host:port, got %q", c.Listen)
	}
	if c.Crawl.Timeout <= 0 {
		bad("crawl.timeout", "must be positive")
	}
	if c.Crawl.MaxBodyBytes <= 0 {
		bad("crawl.max_body_bytes", "must be positive")
	}
	if c.Crawl.PerHostDelay < 0 {
		bad("crawl.per_host_delay", "must not be negative")
	}
	if c.Crawl.SourceTimeout <= 0 {
		bad("crawl.source_timeout", "must be positive")
	}
	if strings.TrimSpace(c.Crawl.UserAgent) == "" {
		bad("crawl.user_agent", "must not be empty")
	}
	for i, g := range c.Gazetteers {
		if strings.TrimSpace(g) == "" {
			bad(fmt.Sprintf("gazetteers[%d]", i), "empty path")
		}
	}
	seen := map[string]int{}
	for i, s := range c.Sources {
		f := fmt.Sprintf("sources[%d]", i)
		switch {
		case s.Name == "":
			bad(f+".name", "must not be empty")
		case !nameRE.MatchString(s.Name):
			bad(f+".name", "%q: use letters, digits, '.', '_' or '-' (at most 64)", s.Name)
		default:
			if j, dup := seen[s.Name]; dup {
				bad(f+".name", "%q already used by sources[%d]", s.Name, j)
			}
			seen[s.Name] = i
		}
		switch s.Kind {
		case "feed", "sitemap", "site":
		default:
			bad(f+".kind", "%q: want feed, sitemap or site", s.Kind)
		}
		if err := checkURL(s.URL); err != nil {
			bad(f+".url", "%v", err)
		}
		switch s.Language {
		case "ar", "en", "auto":
		default:
			bad(f+".language", "%q: want ar, en or auto", s.Language)
		}
		if s.Schedule == "" {
			bad(f+".schedule", "must not be empty (e.g. \"@every 15m\" or \"*/15 * * * *\")")
		} else if _, err := cronParser.Parse(s.Schedule); err != nil {
			bad(f+".schedule", "bad cron spec %q: %v", s.Schedule, err)
		}
		for name, re := range map[string]string{"link_pattern": s.LinkPattern, "follow_pattern": s.FollowPattern} {
			if _, err := regexp.Compile(re); err != nil {
				bad(f+"."+name, "bad regular expression %q: %v", re, err)
			}
		}
		for name, n := range map[string]int{"max_depth": s.MaxDepth, "max_pages": s.MaxPages, "max_items": s.MaxItems} {
			if n < 0 {
				bad(f+"."+name, "must not be negative")
			}
		}
		if s.Timeout < 0 {
			bad(f+".timeout", "must not be negative")
		}
		if s.Selectors != nil {
			for name, v := range map[string]string{"title": s.Selectors.Title, "body": s.Selectors.Body, "published": s.Selectors.Published, "author": s.Selectors.Author} {
				if strings.Count(v, "@") > 1 {
					bad(f+".selectors."+name, "%q: at most one @attribute", v)
				}
			}
		}
	}
	subSeen := map[string]int{}
	for i, s := range c.Subscriptions {
		f := fmt.Sprintf("subscriptions[%d]", i)
		if s.Name == "" {
			bad(f+".name", "must not be empty")
		} else if j, dup := subSeen[s.Name]; dup {
			bad(f+".name", "%q already used by subscriptions[%d]", s.Name, j)
		} else {
			subSeen[s.Name] = i
		}
		if strings.TrimSpace(s.Query) == "" && len(s.Entities) == 0 && s.Speaker == "" {
			bad(f, "needs a query, entities or a speaker")
		}
		switch s.Lang {
		case "", "ar", "en":
		default:
			bad(f+".lang", "%q: want ar, en or empty", s.Lang)
		}
		if s.Webhook != nil {
			if err := checkURL(s.Webhook.URL); err != nil {
				bad(f+".webhook.url", "%v", err)
			}
			if s.Webhook.SecretEnv == "" {
				bad(f+".webhook.secret_env", "must name an environment variable holding the signing secret")
			}
		}
	}
	return errors.Join(errs...)
}

func checkURL(raw string) error {
	if raw == "" {
		return errors.New("must not be empty")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("%q: %w", raw, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("%q: only http and https URLs are fetched", raw)
	}
	if u.Host == "" {
		return fmt.Errorf("%q: no host", raw)
	}
	return nil
}

// Duration is a time.Duration written as "30s" or "1m30s" in YAML.
type Duration time.Duration

// UnmarshalYAML parses a Go duration string.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	v, err := time.ParseDuration(n.Value)
	if err != nil {
		return fmt.Errorf("line %d: bad duration %q (want e.g. 30s, 5m)", n.Line, n.Value)
	}
	*d = Duration(v)
	return nil
}

// D returns the value as a time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

// ByteSize is a size written as 10MiB, 512KiB, 1GB or a plain byte count.
type ByteSize int64

var sizeRE = regexp.MustCompile(`^\s*(\d+)\s*([KMGT]i?B|B)?\s*$`)

// UnmarshalYAML parses sizes with binary (KiB) or decimal (KB) units.
func (s *ByteSize) UnmarshalYAML(n *yaml.Node) error {
	v, err := ParseByteSize(n.Value)
	if err != nil {
		return fmt.Errorf("line %d: %w", n.Line, err)
	}
	*s = v
	return nil
}

// ParseByteSize parses "10MiB", "512KB", "2048".
func ParseByteSize(s string) (ByteSize, error) {
	m := sizeRE.FindStringSubmatch(s)
	if m == nil {
		return 0, fmt.Errorf("bad size %q (want e.g. 10MiB, 512KiB, 1048576)", s)
	}
	n, err := strconv.ParseInt(m[1], 10, 64)
	if err != nil {
		return 0, fmt.Errorf("bad size %q: %w", s, err)
	}
	mult := map[string]int64{"": 1, "B": 1, "KB": 1e3, "MB": 1e6, "GB": 1e9, "TB": 1e12,
		"KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30, "TiB": 1 << 40}[m[2]]
	return ByteSize(n * mult), nil
}
