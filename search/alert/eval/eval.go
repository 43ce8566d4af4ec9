// Package eval measures alert matching on real Arabic news: many
// subscriptions against 500-article batches of ant-arabic-news, ingest
// time with and without the subscriptions, in one run, for the matching
// strategies: terms (in Go, on the indexer's analysis of the batch; the
// default) and the bleve ones it replaced as baselines (a DocIDQuery on
// the main index, an in-memory batch index).
package eval

import (
	"context"
	"errors"
	"fmt"
	"github.com/mirsad-observatory/mirsad/internal/corpora"
	"io"
	"io/fs"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/mirsad-observatory/mirsad/indexer"
	"github.com/mirsad-observatory/mirsad/indexer/document"
	"github.com/mirsad-observatory/mirsad/indexer/enrich/claim"
	"github.com/mirsad-observatory/mirsad/indexer/enrich/entity"
	"github.com/mirsad-observatory/mirsad/search/alert"
)

// ErrNoCorpus means the corpus directory is missing.
var ErrNoCorpus = errors.New("eval: corpus not found")

// Options configure Run.
type Options struct {
	// CorpusDir holds ant-arabic-news/; empty means $MIRSAD_CORPUS or
	// ../shared/corpus relative to the repository root.
	CorpusDir     string
	Subscriptions int // default 1000
	BatchSize     int // default 500
	Batches       int // default 8
	Rounds        int // runs of each configuration, alternating; default 1
	Seed          uint64
	Workload      string // WorkloadBroad (default) or WorkloadSelective
	// NoPrefilterRows adds the term matcher analysing the batch itself,
	// the in-memory bleve strategy and the bleve configurations without
	// the term prefilter.
	NoPrefilterRows bool
	Logger          *slog.Logger
}

// DefaultCorpusDir returns $MIRSAD_CORPUS or the shared corpus beside the
// repository (found by walking up to go.mod).
func DefaultCorpusDir() string { return corpora.DefaultDir() }

// Run prints one table: per configuration, ingest time (mean of the
// rounds), its ratio to ingest without subscriptions (run first and last),
// and matching time per batch (p50, p95, max over every batch).
func Run(ctx context.Context, opts Options, w io.Writer) error {
	if opts.CorpusDir == "" {
		opts.CorpusDir = DefaultCorpusDir()
	}
	if opts.Subscriptions <= 0 {
		opts.Subscriptions = 1000
	}
	if opts.BatchSize <= 0 {
		opts.BatchSize = 500
	}
	if opts.Batches <= 0 {
		opts.Batches = 8
	}
	if opts.Rounds <= 0 {
		opts.Rounds = 1
	}
	if opts.Seed == 0 {
		opts.Seed = 10
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	switch opts.Workload {
	case "":
		opts.Workload = WorkloadBroad
	case WorkloadBroad, WorkloadSelective:
	default:
		return fmt.Errorf("eval: workload %q: want %s or %s", opts.Workload, WorkloadBroad, WorkloadSelective)
	}
	n := opts.BatchSize * opts.Batches
	docs, err := LoadANT(filepath.Join(opts.CorpusDir, "ant-arabic-news"), opts.Seed)
	if err != nil {
		return err
	}
	if len(docs) < n {
		return fmt.Errorf("eval: %d documents, need %d", len(docs), n)
	}
	// Enrichment is not what is measured: it runs once, before the clock.
	rest := docs[n:]
	docs = docs[:n]
	g, err := entity.Builtin()
	if err != nil {
		return fmt.Errorf("eval: %w", err)
	}
	enrichStart := time.Now()
	Enrich(ctx, docs, g)
	opts.Logger.Info("enriched", "docs", len(docs), "took", time.Since(enrichStart))
	subs, err := Subscriptions(docs, rest, opts.Subscriptions, opts.Seed, opts.Workload)
	if err != nil {
		return err
	}

	none := config{name: "no subscriptions"}
	configs := []config{
		none,
		{"terms: in Go, indexer's analysis", alert.MatchTerms, false, true},
		{"index: DocIDQuery on main index", alert.MatchIndex, false, false},
	}
	if opts.NoPrefilterRows {
		configs = append(configs,
			config{"terms, analysing the batch again", alert.MatchTerms, false, false},
			config{"memory: in-memory batch index", alert.MatchMemory, false, false},
			config{"index, no term prefilter", alert.MatchIndex, true, false},
			config{"memory, no term prefilter", alert.MatchMemory, true, false})
	}
	configs = append(configs, none) // again at the end: the CPU is shared, so bracket the run
	type stats struct {
		ingest []time.Duration
		match  []time.Duration
		alerts int
	}
	res := map[config]*stats{}
	var order []config
	for round := 0; round < opts.Rounds; round++ {
		for _, c := range configs {
			ingest, match, alerts, err := runOnce(ctx, docs, subs, c, opts.BatchSize)
			if err != nil {
				return fmt.Errorf("eval: %s: %w", c.name, err)
			}
			opts.Logger.Info("run", "config", c.name, "round", round, "ingest", ingest, "alerts", alerts, "match_p95", pct(match, 95))
			st := res[c]
			if st == nil {
				st = &stats{}
				res[c] = st
				order = append(order, c)
			}
			st.ingest = append(st.ingest, ingest)
			st.match = append(st.match, match...)
			st.alerts = alerts
		}
	}
	base := meanDur(res[none].ingest)
	fmt.Fprintf(w, "alert matching, %s workload: %d subscriptions (%s) x %d batches of %d ant-arabic-news articles; GOMAXPROCS=%d; %d round(s)\n",
		opts.Workload, len(subs), mix(subs), opts.Batches, opts.BatchSize, runtime.GOMAXPROCS(0), opts.Rounds)
	fmt.Fprintf(w, "ingest = Put+Flush of all articles through indexer (bleve + bbolt), OnBatch included; baseline = mean of %d runs without subscriptions (%s)\n",
		len(res[none].ingest), durs(res[none].ingest))
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "configuration\tingest s\tvs none\tmatch p50 ms\tmatch p95 ms\tmatch max ms\talerts")
	for _, c := range order {
		st := res[c]
		in := meanDur(st.ingest)
		row := fmt.Sprintf("%s\t%.2f\t%.2f", c.name, in.Seconds(), float64(in)/float64(base))
		if c.strategy == "" {
			row += "\t-\t-\t-\t-"
		} else {
			m := st.match
			row += fmt.Sprintf("\t%.1f\t%.1f\t%.1f\t%d", ms(pct(m, 50)), ms(pct(m, 95)), ms(pct(m, 100)), st.alerts)
		}
		fmt.Fprintln(tw, row)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	// Every strategy must make the same alerts: a difference is a bug.
	counts := map[int]bool{}
	for _, c := range order {
		if c.strategy != "" {
			counts[res[c].alerts] = true
		}
	}
	if len(counts) == 1 {
		_, err = fmt.Fprintln(w, "alerts: the same in every configuration")
	} else {
		_, err = fmt.Fprintln(w, "alerts: DIFFER between configurations")
	}
	return err
}

type config struct {
	name, strategy string
	noPrefilter    bool
	analysis       bool // hand the indexer's analysis to matching
}

// runOnce ingests docs through a fresh indexer in batches and returns the
// total ingest time, the matching time of each batch and the alerts made.
func runOnce(ctx context.Context, docs []document.Article, subs []alert.Subscription, c config, batchSize int) (time.Duration, []time.Duration, int, error) {
	strategy := c.strategy
	dir, err := os.MkdirTemp("", "mirsad-alert-eval-")
	if err != nil {
		return 0, nil, 0, err
	}
	defer os.RemoveAll(dir)
	var svc *alert.Service
	var match []time.Duration
	var matchErr error
	opts := indexer.Options{Dir: dir, BatchSize: batchSize}
	if strategy != "" {
		opts.OnBatch = func(ctx context.Context, b []document.Article, an []indexer.Analysis) {
			if !c.analysis {
				an = nil
			}
			start := time.Now()
			if err := svc.OnAnalyzedBatch(ctx, b, an); err != nil && matchErr == nil {
				matchErr = err
			}
			match = append(match, time.Since(start))
		}
	}
	ix, err := indexer.Open(opts, nil)
	if err != nil {
		return 0, nil, 0, err
	}
	defer ix.Close(ctx)
	if strategy != "" {
		svc, err = alert.New(alert.Options{DB: ix.DB(), Index: ix, Strategy: strategy, NoPrefilter: c.noPrefilter})
		if err != nil {
			return 0, nil, 0, err
		}
		if err := svc.Sync(ctx, subs); err != nil {
			return 0, nil, 0, err
		}
	}
	runtime.GC()
	start := time.Now()
	for _, d := range docs {
		if _, err := ix.Put(ctx, d); err != nil {
			return 0, nil, 0, err
		}
	}
	if err := ix.Flush(ctx); err != nil {
		return 0, nil, 0, err
	}
	took := time.Since(start)
	if matchErr != nil {
		return 0, nil, 0, matchErr
	}
	alerts := 0
	if svc != nil {
		all, err := svc.Subscriptions(ctx)
		if err != nil {
			return 0, nil, 0, err
		}
		for _, s := range all {
			a, err := svc.Alerts(ctx, s.ID, 1<<20)
			if err != nil {
				return 0, nil, 0, err
			}
			alerts += len(a)
		}
	}
	return took, match, alerts, nil
}

// LoadANT reads every TREC-style file of ant-arabic-news as an Arabic
// article, in an order shuffled by seed so batches mix the outlets.
func LoadANT(dir string, seed uint64) ([]document.Article, error) {
	var paths []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ".txt") && filepath.Dir(p) != dir {
			paths = append(paths, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNoCorpus, err)
	}
	sort.Strings(paths)
	var docs []document.Article
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("eval: %w", err)
		}
		s := string(data)
		body := between(s, "<TEXT>", "</TEXT>")
		u := between(s, "<URL>", "</URL>")
		if body == "" || u == "" {
			continue
		}
		pub, err := time.Parse(time.RFC1123, between(s, "<TIME>", "</TIME>"))
		if err != nil {
			pub = time.Date(2018, 6, 1, 0, 0, 0, 0, time.UTC)
		}
		docs = append(docs, document.Article{
			ID: document.IDFor(u), URL: u, Source: strings.ToLower(between(s, "<SRC>", "</SRC>")), Lang: document.LangArabic,
			Title: between(s, "<TITLE>", "</TITLE>"), Body: body, Published: pub.UTC(), Fetched: pub.UTC(),
		})
	}
	if len(docs) == 0 {
		return nil, fmt.Errorf("%w: no documents in %s", ErrNoCorpus, dir)
	}
	r := rand.New(rand.NewPCG(seed, 1))
	r.Shuffle(len(docs), func(i, j int) { docs[i], docs[j] = docs[j], docs[i] })
	return docs, nil
}

func between(s, open, close string) string {
	_, rest, ok := strings.Cut(s, open)
	if !ok {
		return ""
	}
	in, _, _ := strings.Cut(rest, close)
	return strings.TrimSpace(in)
}

// Enrich fills entities (gazetteer matcher) and claims (rule extractor,
// speakers linked through the matcher) as the pipeline will.
func Enrich(ctx context.Context, docs []document.Article, g *entity.Gazetteer) {
	m := entity.NewMatcher(g, entity.Options{NoDiscovery: true})
	x := claim.New(claim.Options{})
	for i := range docs {
		if ctx.Err() != nil {
			return
		}
		a := &docs[i]
		counts := map[string]int{}
		var order []string
		for _, mn := range m.Match(a.Title+"\n"+a.Body, a.Lang, a.Published) {
			if counts[mn.EntityID] == 0 {
				order = append(order, mn.EntityID)
			}
			counts[mn.EntityID]++
		}
		for _, id := range order {
			a.Entities = append(a.Entities, document.EntityMention{ID: id, Count: counts[id]})
		}
		a.Claims = x.Extract(a.ID, a.Body, a.Lang, a.Published)
		for j := range a.Claims {
			if ms := m.Match(a.Claims[j].Speaker, a.Lang, a.Published); len(ms) > 0 && ms[0].Type == "person" {
				a.Claims[j].SpeakerID = ms[0].EntityID
			}
		}
	}
}

// Subscriptions makes n subscriptions the way researchers would write
// them: words and phrases from headlines of articles outside the measured
// set, entities and speakers the enrichment found, some filtered by
// language or outlet, some claims-only. Drafts that validation rejects
// (a headline word that is a stop word) are redrawn, as a researcher would
// fix them. Deterministic for a seed.
func Subscriptions(docs, other []document.Article, n int, seed uint64, workload string) ([]alert.Subscription, error) {
	dir, err := os.MkdirTemp("", "mirsad-alert-subs-")
	if err != nil {
		return nil, fmt.Errorf("eval: %w", err)
	}
	defer os.RemoveAll(dir)
	db, err := bolt.Open(filepath.Join(dir, "v.db"), 0o600, nil)
	if err != nil {
		return nil, fmt.Errorf("eval: %w", err)
	}
	defer db.Close()
	checker, err := alert.New(alert.Options{DB: db})
	if err != nil {
		return nil, err
	}
	r := rand.New(rand.NewPCG(seed, 2))
	entityCount := map[string]int{}
	speakerCount := map[string]int{}
	for _, a := range docs {
		for _, e := range a.Entities {
			entityCount[e.ID]++
		}
		for _, c := range a.Claims {
			if c.SpeakerID != "" {
				speakerCount[c.SpeakerID]++
			}
		}
	}
	entities, speakers := keys(entityCount), keys(speakerCount)
	if len(entities) == 0 {
		entities = []string{"gaza-strip"}
	}
	if len(speakers) == 0 {
		speakers = entities
	}
	words := func() []string {
		for {
			t := strings.Fields(other[r.IntN(len(other))].Title)
			var ws []string
			for _, w := range t {
				if len([]rune(w)) >= 4 && !strings.ContainsAny(w, `"«»:،.`) {
					ws = append(ws, w)
				}
			}
			if len(ws) >= 2 {
				return ws
			}
		}
	}
	sources := []string{"bbc", "cnn", "france24", "skynews", "alarabiya"}
	subs := make([]alert.Subscription, 0, n)
	for i := 0; len(subs) < n; i++ {
		if i > 10*n {
			return nil, errors.New("eval: too few valid subscription drafts")
		}
		s := alert.Subscription{Name: fmt.Sprintf("s%04d", len(subs))}
		ws := words()
		k := r.IntN(20)
		if workload == WorkloadSelective {
			k = selective(r, &s, ws, entities, speakers)
		}
		switch {
		case k < 0: // drafted by selective
		case k < 6: // one or two words
			s.Query = strings.Join(ws[:1+r.IntN(2)], " ")
		case k < 8: // a phrase
			s.Query = `"` + ws[0] + " " + ws[1] + `"`
		case k < 9: // a word minus another
			s.Query = ws[0] + " -" + ws[1]
		case k < 10: // words, one outlet
			s.Query, s.Source = ws[0], sources[r.IntN(len(sources))]
		case k < 14: // one or two entities
			s.Entities = alert.StringList{entities[r.IntN(len(entities))]}
			if r.IntN(3) == 0 {
				s.Entities = append(s.Entities, entities[r.IntN(len(entities))])
			}
		case k < 16: // entity and a word
			s.Entities, s.Query = alert.StringList{entities[r.IntN(len(entities))]}, ws[0]
		case k < 19: // any of two speakers
			s.Speaker = alert.StringList{speakers[r.IntN(len(speakers))], speakers[r.IntN(len(speakers))]}
		default: // claims by a speaker about a word
			s.ClaimsOnly, s.Speaker, s.Query = true, alert.StringList{speakers[r.IntN(len(speakers))]}, ws[0]
		}
		if r.IntN(4) == 0 {
			s.Lang = document.LangArabic
		}
		s.Webhook = &alert.Webhook{URL: "http://127.0.0.1:9/hook", SecretEnv: "MIRSAD_BENCH_SECRET"}
		if _, err := checker.Validate(s); err == nil {
			subs = append(subs, s)
		}
	}
	return subs, nil
}

// Workloads of subscriptions.
const (
	// WorkloadBroad has single headline words and single entities among
	// its queries: on this corpus about 30 alerts per article.
	WorkloadBroad = "broad"
	// WorkloadSelective asks for two or three words, entity pairs, an
	// entity with a word, speakers: closer to a researcher's alerts.
	WorkloadSelective = "selective"
)

// selective drafts s and returns -1, or returns a broad-mix case number.
func selective(r *rand.Rand, s *alert.Subscription, ws, entities, speakers []string) int {
	switch k := r.IntN(20); {
	case k < 6: // two or three words of one headline
		s.Query = strings.Join(ws[:min(len(ws), 2+r.IntN(2))], " ")
	case k < 8: // a phrase
		s.Query = `"` + ws[0] + " " + ws[1] + `"`
	case k < 12: // two entities
		a, b := entities[r.IntN(len(entities))], entities[r.IntN(len(entities))]
		for tries := 0; a == b && tries < 10; tries++ {
			b = entities[r.IntN(len(entities))]
		}
		s.Entities = alert.StringList{a, b}
	case k < 15: // an entity and a word
		s.Entities, s.Query = alert.StringList{entities[r.IntN(len(entities))]}, ws[0]
	case k < 18: // any of two speakers
		s.Speaker = alert.StringList{speakers[r.IntN(len(speakers))], speakers[r.IntN(len(speakers))]}
	default: // claims by a speaker about a word
		s.ClaimsOnly, s.Speaker, s.Query = true, alert.StringList{speakers[r.IntN(len(speakers))]}, ws[0]
	}
	return -1
}

func keys(m map[string]int) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func mix(subs []alert.Subscription) string {
	var text, ent, spk, claims int
	for _, s := range subs {
		switch {
		case s.ClaimsOnly:
			claims++
		case len(s.Speaker) > 0:
			spk++
		case len(s.Entities) > 0:
			ent++
		default:
			text++
		}
	}
	return fmt.Sprintf("%d text, %d entity, %d speaker, %d claims-only", text, ent, spk, claims)
}

func meanDur(ds []time.Duration) time.Duration {
	var sum time.Duration
	for _, d := range ds {
		sum += d
	}
	return sum / time.Duration(len(ds))
}

func durs(ds []time.Duration) string {
	var out []string
	for _, d := range ds {
		out = append(out, fmt.Sprintf("%.2fs", d.Seconds()))
	}
	return strings.Join(out, ", ")
}

func pct(ds []time.Duration, p int) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	i := (len(s)*p + 99) / 100
	return s[max(0, min(len(s)-1, i-1))]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
