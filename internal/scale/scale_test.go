package scale_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"os"
	"os/exec"
	"os/signal"
	"slices"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/mirsad-observatory/mirsad/crawler"
	"github.com/mirsad-observatory/mirsad/indexer"
	"github.com/mirsad-observatory/mirsad/indexer/enrich"
	"github.com/mirsad-observatory/mirsad/internal/scale"
	"github.com/mirsad-observatory/mirsad/internal/scale/bench"
	"github.com/mirsad-observatory/mirsad/internal/scale/natstest"
)

// Short waits, so that a killed worker's job and lease pass on within
// seconds.
var cfg = scale.Config{JobAckWait: 2 * time.Second, ArticleAckWait: 3 * time.Second, LeaseTTL: 2 * time.Second}

// The test binary doubles as the workers it kills: MIRSAD_SCALE_ROLE
// makes it one.
func TestMain(m *testing.M) {
	if role := os.Getenv("MIRSAD_SCALE_ROLE"); role != "" {
		os.Exit(child(role))
	}
	os.Exit(m.Run())
}

func child(role string) int {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	c, err := scale.Connect(ctx, os.Getenv("MIRSAD_NATS"), cfg, logger)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer c.Close()
	switch role {
	case "fetch":
		err = scale.RunFetcher(ctx, c, scale.FetchOptions{Crawler: bench.Crawl(), Jobs: 1, BusyDelay: 100 * time.Millisecond, ID: os.Getenv("MIRSAD_WORKER")})
	case "index":
		var p *enrich.Pipeline
		if p, err = enrich.New(enrich.Options{}); err != nil {
			break
		}
		var ix *indexer.Indexer
		if ix, err = indexer.Open(indexer.Options{Dir: os.Getenv("MIRSAD_DATA"), Enricher: p, LockTimeout: 10 * time.Second, Monthly: true}, logger); err != nil {
			break
		}
		err = scale.RunIndexer(ctx, c, ix, scale.IndexOptions{Batch: 100, MaxWait: 200 * time.Millisecond})
		err = errorsJoin(err, ix.Close(context.Background()))
	default:
		err = fmt.Errorf("unknown role %q", role)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

func errorsJoin(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

type proc struct {
	cmd  *exec.Cmd
	out  *bytes.Buffer
	done chan error
}

func start(t *testing.T, role string, env ...string) *proc {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), append(env, "MIRSAD_SCALE_ROLE="+role)...)
	out := &bytes.Buffer{}
	cmd.Stdout, cmd.Stderr = out, &lockedWriter{w: out}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &proc{cmd: cmd, out: out, done: make(chan error, 1)}
	go func() { p.done <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-p.done
		if t.Failed() {
			t.Logf("%s worker output:\n%s", role, out.String())
		}
	})
	return p
}

type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
}

func (p *proc) kill(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-p.done
	p.done <- nil // for Cleanup
}

func (p *proc) stop(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-p.done:
		if err != nil {
			t.Errorf("worker exited with %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("worker did not stop within 30s of SIGTERM")
	}
	p.done <- nil // for Cleanup
}

// waitFor polls cond every 20ms until it holds or the deadline passes.
func waitFor(t *testing.T, what string, d time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", d, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// snapshot is what a data dir holds: stored articles (id -> content
// hash), indexed ids, partitions and the number of indexed claims.
type snapshot struct {
	stored     map[string]string
	indexed    []string
	partitions []string
	claims     uint64
}

func snap(t *testing.T, dir string) snapshot {
	t.Helper()
	ix, err := indexer.Open(indexer.Options{Dir: dir}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close(context.Background())
	s := snapshot{stored: map[string]string{}, partitions: ix.Partitions()}
	req := bleve.NewSearchRequestOptions(bleve.NewMatchAllQuery(), 5000, 0, false)
	res, err := ix.Index().Search(req)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range res.Hits {
		s.indexed = append(s.indexed, h.ID)
		a, found, err := ix.Article(h.ID)
		if err != nil || !found {
			t.Fatalf("indexed %s not stored: %v", h.ID, err)
		}
		s.stored[a.ID] = a.ContentHash
	}
	slices.Sort(s.indexed)
	if n, err := ix.Count(); err != nil || n != len(s.stored) {
		t.Fatalf("%d stored, %d indexed (%v)", n, len(s.stored), err)
	}
	if s.claims, err = ix.Claims().DocCount(); err != nil {
		t.Fatal(err)
	}
	return s
}

// Two fetch workers and one index worker ingest a site of 1,000 articles.
// One fetch worker is SIGKILLed while it holds a job, the index worker is
// SIGKILLed with a batch unacknowledged and started again; the data dir
// ends with exactly the documents a single-process ingest stores.
func TestWorkersSurviveKills(t *testing.T) {
	if testing.Short() {
		t.Skip("starts worker processes")
	}
	ctx := context.Background()
	srv, err := natstest.Start(t.TempDir())
	if err != nil {
		t.Skipf("no NATS server could start on loopback: %v", err)
	}
	defer srv.Shutdown()
	site, err := bench.NewSite(bench.SiteOptions{Articles: 1000, Sections: 8, Hosts: 4, Latency: 5 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer site.Close()
	sources := site.Sources()

	ref := t.TempDir()
	p, err := enrich.New(enrich.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := bench.IngestLocal(ctx, indexer.Options{Dir: ref, Enricher: p, Monthly: true}, sources, 4); err != nil || n != 1000 {
		t.Fatalf("single-process ingest: %d, %v", n, err)
	}

	c, err := scale.Connect(ctx, srv.ClientURL(), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	data := t.TempDir()
	nats := "MIRSAD_NATS=" + srv.ClientURL()
	index := start(t, "index", nats, "MIRSAD_DATA="+data)
	fetchA := start(t, "fetch", nats, "MIRSAD_WORKER=worker-a")
	fetchB := start(t, "fetch", nats, "MIRSAD_WORKER=worker-b")

	summary := make(chan crawler.Summary, 1)
	go func() { summary <- scale.NewDispatcher(c).Run(ctx, sources, nil) }()

	published := func() uint64 {
		info, err := c.JS.Stream(ctx, scale.StreamArticles)
		if err != nil {
			return 0
		}
		return info.CachedInfo().State.LastSeq
	}
	holds := func(owner string) bool {
		keys, err := c.Hosts.ListKeys(ctx)
		if err != nil {
			return false
		}
		for k := range keys.Keys() {
			if e, err := c.Hosts.Get(ctx, k); err == nil && string(e.Value()) == owner {
				keys.Stop()
				return true
			}
		}
		return false
	}
	waitFor(t, "worker-a mid-job after 100 articles", 60*time.Second, func() bool {
		s, err := c.JS.Stream(ctx, scale.StreamArticles)
		return err == nil && s.CachedInfo().State.LastSeq >= 100 && holds("worker-a")
	})
	fetchA.kill(t)
	t.Logf("worker-a killed after %d articles were published", published())

	articles, err := c.JS.Consumer(ctx, scale.StreamArticles, scale.ConsumerIndex)
	if err != nil {
		t.Fatal(err)
	}
	info := func() *jetstream.ConsumerInfo {
		i, err := articles.Info(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return i
	}
	waitFor(t, "the index worker holding an unacknowledged batch", 60*time.Second, func() bool {
		i := info()
		return i.AckFloor.Consumer >= 100 && i.NumAckPending > 0
	})
	index.kill(t)
	t.Logf("index worker killed with %d articles unacknowledged", info().NumAckPending)
	index2 := start(t, "index", nats, "MIRSAD_DATA="+data)

	var sum crawler.Summary
	select {
	case sum = <-summary:
	case <-time.After(90 * time.Second):
		t.Fatal("no run summary after 90s")
	}
	if sum.Status != "ok" || len(sum.Sources) != len(sources) {
		t.Errorf("run summary %s with %d sources: %+v", sum.Status, len(sum.Sources), sum.Sources)
	}
	sent := 0
	for _, s := range sum.Sources {
		sent += s.New
	}
	if sent < 1000 {
		t.Errorf("workers report %d articles sent, want at least 1000", sent)
	}
	waitFor(t, "every article acknowledged", 60*time.Second, func() bool {
		i := info()
		return i.NumPending == 0 && i.NumAckPending == 0
	})
	if n, err := c.JS.Stream(ctx, scale.StreamArticles); err == nil {
		t.Logf("%d articles published for 1000 on the site (the redone job's repeats dropped by Nats-Msg-Id), %d stream messages left", n.CachedInfo().State.LastSeq, n.CachedInfo().State.Msgs)
	}
	// The restarted index worker stops cleanly and lets go of the data dir.
	fetchB.kill(t)
	index2.stop(t)

	got, want := snap(t, data), snap(t, ref)
	if !maps.Equal(got.stored, want.stored) {
		t.Errorf("stored %d articles, single process %d; they differ", len(got.stored), len(want.stored))
	}
	if !slices.Equal(got.indexed, want.indexed) {
		t.Errorf("indexed %d documents, single process %d; they differ", len(got.indexed), len(want.indexed))
	}
	if len(want.partitions) < 2 || !slices.Equal(got.partitions, want.partitions) || got.claims != want.claims {
		t.Errorf("partitions %v, %d claims; single process %v, %d claims", got.partitions, got.claims, want.partitions, want.claims)
	}
	if m := site.MaxInFlight(); m > 2 {
		t.Errorf("a host had %d requests in flight; politeness allows 2 across all workers", m)
	}
	keys, err := c.Hosts.ListKeys(ctx)
	if err == nil {
		for k := range keys.Keys() {
			t.Errorf("host lease %s still held after every job ended", k)
		}
	}
}
