package eval

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/mirsad-observatory/mirsad/crawler/pubdate"
)

// Case is one publication-date fixture (format in
// crawler/pubdate/testdata/README.md).
type Case struct {
	Name                       string
	HTML                       []byte
	Fields                     map[string]string
	Opts                       pubdate.Options
	WantPublished, WantUpdated time.Time
	WantMethod, WantWarning    string
}

// DefaultNow is the fetch time of fixtures that give none.
var DefaultNow = time.Date(2025, 11, 29, 12, 0, 0, 0, time.UTC)

// LoadCases reads every fixture of dir.
func LoadCases(dir string) ([]Case, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.html"))
	if err != nil {
		return nil, fmt.Errorf("eval: %w", err)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("eval: no fixtures in %s", dir)
	}
	sort.Strings(files)
	var out []Case
	for _, f := range files {
		c, err := loadCase(f)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

func loadCase(path string) (Case, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Case{}, fmt.Errorf("eval: %w", err)
	}
	c := Case{Name: filepath.Base(path), HTML: b, Fields: map[string]string{}}
	s := string(b)
	start, end := strings.Index(s, "<!--"), strings.Index(s, "-->")
	if start != 0 || end < 0 {
		return Case{}, fmt.Errorf("eval: %s: no leading case comment", path)
	}
	for _, line := range strings.Split(s[4:end], "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		c.Fields[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	zone := time.UTC
	if z := c.Fields["zone"]; z != "" {
		if zone, err = time.LoadLocation(z); err != nil {
			return Case{}, fmt.Errorf("eval: %s: %w", path, err)
		}
	}
	c.Opts = pubdate.Options{
		DefaultZone:       zone,
		Locale:            c.Fields["locale"],
		Now:               DefaultNow,
		FeedPublishedText: c.Fields["feed_published"],
		FeedUpdatedText:   c.Fields["feed_updated"],
	}
	parse := func(k string) (time.Time, error) {
		if c.Fields[k] == "" {
			return time.Time{}, nil
		}
		t, err := time.Parse(time.RFC3339, c.Fields[k])
		if err != nil {
			return t, fmt.Errorf("eval: %s: %s: %w", path, k, err)
		}
		return t, nil
	}
	if n, err := parse("now"); err != nil {
		return Case{}, err
	} else if !n.IsZero() {
		c.Opts.Now = n
	}
	if c.WantPublished, err = parse("want_published"); err != nil {
		return Case{}, err
	}
	if c.WantPublished.IsZero() {
		return Case{}, fmt.Errorf("eval: %s: want_published missing", path)
	}
	if c.WantUpdated, err = parse("want_updated"); err != nil {
		return Case{}, err
	}
	c.WantMethod, c.WantWarning = c.Fields["want_method"], c.Fields["want_warning"]
	return c, nil
}

// Check runs Extract on the case and returns "" when the result is as
// expected, else what differs.
func (c Case) Check() string {
	r, err := pubdate.Extract(c.HTML, c.Opts)
	if err != nil {
		return err.Error()
	}
	var diffs []string
	if !r.Published.Equal(c.WantPublished) {
		diffs = append(diffs, fmt.Sprintf("published %s, want %s", r.Published.Format(time.RFC3339), c.WantPublished.Format(time.RFC3339)))
	}
	if !c.WantUpdated.IsZero() && !r.Updated.Equal(c.WantUpdated) {
		diffs = append(diffs, fmt.Sprintf("updated %s, want %s", r.Updated.Format(time.RFC3339), c.WantUpdated.Format(time.RFC3339)))
	}
	if c.WantMethod != "" && r.Method != c.WantMethod {
		diffs = append(diffs, fmt.Sprintf("method %s, want %s", r.Method, c.WantMethod))
	}
	if c.WantWarning != "" {
		found := false
		for _, w := range r.Warnings {
			if strings.Contains(w, c.WantWarning) {
				found = true
			}
		}
		if !found {
			diffs = append(diffs, fmt.Sprintf("no warning containing %q in %q", c.WantWarning, r.Warnings))
		}
	}
	return strings.Join(diffs, "; ")
}

// baselineOK says whether the naive answer would have been right: the feed
// date when a standard layout reads it (as a feed library would), else
// the fetch time.
func (c Case) baselineOK() bool {
	t := c.Opts.Now
	for _, l := range []string{time.RFC1123Z, time.RFC1123, time.RFC3339} {
		if p, err := time.Parse(l, c.Opts.FeedPublishedText); err == nil {
			t = p
			break
		}
	}
	return t.Equal(c.WantPublished)
}

func pubdateRows(ctx context.Context, opts Options, w io.Writer) error {
	cases, err := LoadCases(opts.PubdateDir)
	if err != nil {
		return err
	}
	ok, base := 0, 0
	var failed []string
	for _, c := range cases {
		if err := ctx.Err(); err != nil {
			return err
		}
		if d := c.Check(); d == "" {
			ok++
		} else {
			failed = append(failed, c.Name)
		}
		if c.baselineOK() {
			base++
		}
	}
	note := "baseline: feed date else fetch time"
	if len(failed) > 0 {
		note += "; failed: " + strings.Join(failed, ",")
	}
	fmt.Fprintf(w, "pubdate\tfixtures\t%d\t-\t-\t-\t-\t-\t%.3f\t%.3f\t%s\n", len(cases), float64(ok)/float64(len(cases)), float64(base)/float64(len(cases)), note)
	return nil
}
