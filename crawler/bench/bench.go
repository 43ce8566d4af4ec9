// Package bench measures end-to-end ingest: the ANT Arabic news corpus
// served on loopback as feeds and article pages, crawled by the real
// crawler (fetch client, feed parsing, page extraction) into a real
// indexer.Indexer, beside raw bleve indexing of the same texts with the
// same mapping, in the same run.
//
// Each measured phase runs in a child process (this binary re-executed with
// MIRSAD_BENCH_CHILD set), so that its peak RSS is its own: not the
// corpus the parent holds to serve it, nor the other phase's leftovers.
package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// Options configure Run.
type Options struct {
	// CorpusDir holds ant-arabic-news; default $MIRSAD_CORPUS/ant-arabic-news,
	// else ../shared/corpus/ant-arabic-news from the repository root.
	CorpusDir string
	Limit     int // articles; 0: all
	PerFeed   int // items per served feed: 500
	Workers   int // article pages fetched at once per source: 4
	// NoSelectors skips the phase that ingests with site selectors.
	NoSelectors bool
	// NoFileOrder skips the phase whose feeds list articles in the corpus's
	// file order instead of newest first.
	NoFileOrder bool
	// NoRawMonths skips the diagnostic raw phase that splits each batch
	// into one bleve index per month, as the indexer does.
	NoRawMonths bool
	// NoRareCheckpoints skips the diagnostic ingest whose crawler flushes
	// only at the end of each source instead of every 15 s.
	NoRareCheckpoints bool
	Sources           int // sources crawled at once: 4
	BatchSize         int // index batch size, both sides: 200
	// TunedBatchSize is the batch size of an extra pair of rows, raw and
	// ingest both with it, so that a product setting is read against a
	// baseline with the same setting: 500; negative leaves the pair out.
	TunedBatchSize int
}

func (o Options) withDefaults() (Options, error) {
	if o.CorpusDir == "" {
		dir, err := DefaultCorpus()
		if err != nil {
			return o, err
		}
		o.CorpusDir = filepath.Join(dir, "ant-arabic-news")
	}
	if o.PerFeed <= 0 {
		o.PerFeed = 500
	}
	if o.Workers <= 0 {
		o.Workers = 4
	}
	if o.Sources <= 0 {
		o.Sources = 4
	}
	if o.BatchSize <= 0 {
		o.BatchSize = 200
	}
	if o.TunedBatchSize == 0 {
		o.TunedBatchSize = 500
	}
	return o, nil
}

// DefaultCorpus finds the shared corpus: $MIRSAD_CORPUS, else
// ../shared/corpus next to the repository root (found from the working
// directory upwards by its go.mod).
func DefaultCorpus() (string, error) {
	if d := os.Getenv("MIRSAD_CORPUS"); d != "" {
		return d, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("bench: %w", err)
	}
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return filepath.Join(d, "..", "shared", "corpus"), nil
		}
		if filepath.Dir(d) == d {
			return "", errors.New("bench: repository root not found; set MIRSAD_CORPUS")
		}
	}
}

// Result is what a child measured.
type Result struct {
	Articles int     `json:"articles"` // indexed
	Failed   int     `json:"failed"`
	Seconds  float64 `json:"seconds"`
	HWMKiB   int64   `json:"hwm_kib"` // the child's own VmHWM
	Detail   string  `json:"detail,omitempty"`
}

// Environment of a child phase.
const (
	envChild   = "MIRSAD_BENCH_CHILD" // raw | ingest
	envOptions = "MIRSAD_BENCH_OPTIONS"
	envFeeds   = "MIRSAD_BENCH_FEEDS"
	envDir     = "MIRSAD_BENCH_DIR"
	// EnvCPUProfile names a directory; each child phase writes its CPU
	// profile there as <phase>.pprof (the test's -cpuprofile flag cannot
	// reach a re-executed child, which exits from init).
	EnvCPUProfile = "MIRSAD_BENCH_CPUPROFILE"
)

// init turns a re-executed binary into the measured phase before anything
// else (test flags, the command line) is looked at.
func init() {
	phase := os.Getenv(envChild)
	if phase == "" {
		return
	}
	res, err := child(phase)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench child:", err)
		os.Exit(1)
	}
	json.NewEncoder(os.Stdout).Encode(res)
	os.Exit(0)
}

func child(phase string) (Result, error) {
	var o Options
	if err := json.Unmarshal([]byte(os.Getenv(envOptions)), &o); err != nil {
		return Result{}, fmt.Errorf("options: %w", err)
	}
	dir := os.Getenv(envDir)
	ctx := context.Background()
	if pdir := os.Getenv(EnvCPUProfile); pdir != "" {
		f, err := os.Create(filepath.Join(pdir, phase+".pprof"))
		if err != nil {
			return Result{}, fmt.Errorf("cpu profile: %w", err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return Result{}, fmt.Errorf("cpu profile: %w", err)
		}
		defer pprof.StopCPUProfile()
	}
	var res Result
	var err error
	switch phase {
	case "raw", "raw-months", "raw-tuned":
		res, err = rawIndex(ctx, o, dir, phase == "raw-months")
	case "ingest", "ingest-selectors", "ingest-files", "ingest-rare-checkpoints", "ingest-tuned":
		var feeds []Feed
		if err := json.Unmarshal([]byte(os.Getenv(envFeeds)), &feeds); err != nil {
			return Result{}, fmt.Errorf("feeds: %w", err)
		}
		res, err = ingest(ctx, o, feeds, dir, phase == "ingest-selectors", phase == "ingest-rare-checkpoints")
	default:
		return Result{}, fmt.Errorf("unknown phase %q", phase)
	}
	res.HWMKiB = vmHWM()
	return res, err
}

// vmHWM reads the peak resident set size of this process.
func vmHWM() int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return n
		}
	}
	return 0
}

// phase runs one child and returns its result with the kernel's own peak
// RSS figure for it.
func phase(ctx context.Context, name string, o Options, feeds []Feed, dir string) (Result, int64, float64, error) {
	exe, err := os.Executable()
	if err != nil {
		return Result{}, 0, 0, fmt.Errorf("bench: %w", err)
	}
	ob, _ := json.Marshal(o)
	fb, _ := json.Marshal(feeds)
	cmd := exec.CommandContext(ctx, exe, "-test.run=^$")
	cmd.Env = append(os.Environ(), envChild+"="+name, envOptions+"="+string(ob), envFeeds+"="+string(fb), envDir+"="+dir)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return Result{}, 0, 0, fmt.Errorf("bench: %s phase: %w: %s", name, err, lastLines(stderr.String(), 5))
	}
	var res Result
	if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
		return Result{}, 0, 0, fmt.Errorf("bench: %s phase output %q: %w", name, lastLines(stdout.String(), 3), err)
	}
	// The child's own VmHWM, not the kernel's ru_maxrss for it: Go starts
	// children with vfork semantics, so ru_maxrss counts the parent's
	// resident pages (the whole served corpus) until exec.
	cpu := (cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()).Seconds()
	return res, res.HWMKiB, cpu, nil
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, " | ")
}

// Row is one measured phase.
type Row struct {
	Phase  string // raw | ingest
	Result Result
	RSSKiB int64 // peak RSS (VmHWM) of the phase's process
	// CPU is the process's user+system seconds, corpus loading included
	// for raw (a fraction of a second).
	CPU float64
}

// Rate is articles indexed per wall-clock second.
func (r Row) Rate() float64 { return float64(r.Result.Articles) / r.Result.Seconds }

// CPURate is articles indexed per CPU second: steadier than Rate on a
// machine shared with other work.
func (r Row) CPURate() float64 { return float64(r.Result.Articles) / r.CPU }

// Report is what Run measured.
type Report struct {
	Options  Options
	Articles int
	Feeds    int
	Hosts    int
	Rows     []Row // raw, ingest, then ingest-selectors and ingest-files unless left out
}

// Measure loads the corpus, serves it and measures both phases.
func Measure(ctx context.Context, opts Options) (*Report, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	arts, err := LoadANT(o.CorpusDir, o.Limit)
	if err != nil {
		return nil, err
	}
	outlets := Serve(arts, o.PerFeed)
	defer outlets.Close()
	tmp, err := os.MkdirTemp("", "mirsad-bench-*")
	if err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	defer os.RemoveAll(tmp)
	rep := &Report{Options: o, Articles: len(arts), Feeds: len(outlets.Feeds), Hosts: len(outlets.servers)}
	phases := []string{"raw", "ingest"}
	if !o.NoSelectors {
		phases = append(phases, "ingest-selectors")
	}
	if !o.NoFileOrder {
		phases = append(phases, "ingest-files")
	}
	if !o.NoRawMonths {
		phases = append(phases, "raw-months")
	}
	if !o.NoRareCheckpoints {
		phases = append(phases, "ingest-rare-checkpoints")
	}
	if o.TunedBatchSize > 0 {
		phases = append(phases, "raw-tuned", "ingest-tuned")
	}
	for _, p := range phases {
		dir := filepath.Join(tmp, p)
		feeds := outlets.Feeds
		if p == "ingest-files" {
			feeds = outlets.FileOrderFeeds
		}
		po := o
		if strings.HasSuffix(p, "-tuned") {
			po.BatchSize = o.TunedBatchSize
		}
		res, rss, cpu, err := phase(ctx, p, po, feeds, dir)
		if err != nil {
			return nil, err
		}
		rep.Rows = append(rep.Rows, Row{Phase: p, Result: res, RSSKiB: rss, CPU: cpu})
		os.RemoveAll(dir)
	}
	return rep, nil
}

// Run measures and prints one table to w.
func Run(ctx context.Context, opts Options, w io.Writer) error {
	rep, err := Measure(ctx, opts)
	if err != nil {
		return err
	}
	return rep.Print(w)
}

// Print writes the report as one table, ratios against the raw row.
func (rep *Report) Print(w io.Writer) error {
	o := rep.Options
	rawRate, rawCPU := rep.Rows[0].Rate(), rep.Rows[0].CPURate()
	fmt.Fprintf(w, "ingest: %d ANT Arabic articles (%d feeds of <= %d items on %d loopback hosts), GOMAXPROCS %d, %s\n",
		rep.Articles, rep.Feeds, o.PerFeed, rep.Hosts, runtime.GOMAXPROCS(0), time.Now().UTC().Format("2006-01-02 15:04 MST"))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "phase\tindexed\tfailed\twall s\tarticles/s\tvs raw\tCPU s\tarticles/CPU-s\tvs raw\tpeak RSS MiB\t")
	labels := map[string]string{
		"raw":                     "raw bleve, same mapping, batches of " + strconv.Itoa(o.BatchSize),
		"ingest":                  fmt.Sprintf("crawl newest-first feeds+pages -> indexer (%d sources x %d workers), generic extraction", o.Sources, o.Workers),
		"ingest-selectors":        "the same with site selectors (body: article p)",
		"ingest-files":            "generic, feeds in corpus file order (months mixed in each batch)",
		"raw-months":              "diagnostic: raw bleve split into month indexes like the indexer, feed order",
		"ingest-rare-checkpoints": "diagnostic: generic ingest, crawler checkpoints only at each source's end",
		"raw-tuned":               fmt.Sprintf("tuned pair: raw bleve, batches of %d", o.TunedBatchSize),
		"ingest-tuned":            fmt.Sprintf("tuned pair: generic ingest, indexer batches of %d", o.TunedBatchSize),
	}
	for _, r := range rep.Rows {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.1f\t%.0f\t%.2fx\t%.1f\t%.0f\t%.2fx\t%.0f\t\n", labels[r.Phase], r.Result.Articles, r.Result.Failed,
			r.Result.Seconds, r.Rate(), r.Rate()/rawRate, r.CPU, r.CPURate(), r.CPURate()/rawCPU, float64(r.RSSKiB)/1024)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	ing := rep.Rows[1]
	load := ""
	if data, err := os.ReadFile("/proc/loadavg"); err == nil {
		load = ", load average at the end " + strings.Join(strings.Fields(string(data))[:3], " ")
	}
	fmt.Fprintf(w, "goal: ingest >= 0.70x raw: wall %s, CPU %s; peak RSS < 600 MiB: %s%s\n",
		verdict(ing.Rate() >= 0.7*rawRate), verdict(ing.CPURate() >= 0.7*rawCPU), verdict(float64(ing.RSSKiB)/1024 < 600), load)
	var rawT, ingT *Row
	for i, r := range rep.Rows {
		switch r.Phase {
		case "raw-tuned":
			rawT = &rep.Rows[i]
		case "ingest-tuned":
			ingT = &rep.Rows[i]
		}
	}
	if rawT != nil && ingT != nil {
		fmt.Fprintf(w, "tuned pair (both sides batches of %d): ingest-tuned vs raw-tuned %.2fx wall, %.2fx CPU\n",
			o.TunedBatchSize, ingT.Rate()/rawT.Rate(), ingT.CPURate()/rawT.CPURate())
	}
	if ing.Result.Detail != "" {
		fmt.Fprintln(w, ing.Result.Detail)
	}
	return nil
}

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "NOT met"
}
