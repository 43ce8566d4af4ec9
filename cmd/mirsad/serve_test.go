package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mirsad-observatory/mirsad/crawler"
	"github.com/mirsad-observatory/mirsad/crawler/fetch"
	"github.com/mirsad-observatory/mirsad/crawler/runs"
	"github.com/mirsad-observatory/mirsad/indexer"
)

// etagFeed serves one story with an ETag and answers 304 to it.
func etagFeed(t *testing.T) (*httptest.Server, *int) {
	t.Helper()
	var mu sync.Mutex
	n304 := 0
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/rss.xml":
			if r.Header.Get("If-None-Match") == `"1"` {
				mu.Lock()
				n304++
				mu.Unlock()
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("ETag", `"1"`)
			fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>
<item><title>Talks resume in Cairo</title><link>%s/talks.html</link><guid>w-1</guid><pubDate>Mon, 03 Nov 2025 10:00:00 +0000</pubDate></item></channel></rss>`, srv.URL)
		case "/talks.html":
			io.WriteString(w, `<html lang="en"><head><title>Talks resume in Cairo</title></head><body><article><h1>Talks resume in Cairo</h1>
<p>Egyptian, Qatari and Turkish mediators met negotiators in Cairo on Monday to discuss the second phase of the ceasefire.</p></article></body></html>`)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv, &n304
}

func TestIngestCommandRecordsRunsAndUsesConditionalGet(t *testing.T) {
	srv, n304 := etagFeed(t)
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "mirsad.yaml")
	cfg := fmt.Sprintf(`data_dir: %s
crawl:
  allow_private_networks: true
  per_host_delay: 0s
sources:
  - name: wire
    url: %s/rss.xml
    schedule: "@every 15m"
`, filepath.Join(dir, "data"), srv.URL)
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	ingest := func() string {
		var out, errb bytes.Buffer
		if code := run(context.Background(), []string{"ingest", "-config", cfgPath}, &out, &errb); code != exitOK {
			t.Fatalf("exit %d: %s %s", code, out.String(), errb.String())
		}
		if !strings.Contains(errb.String(), "wire") {
			t.Errorf("no progress line on stderr: %q", errb.String())
		}
		return out.String()
	}
	first := ingest()
	if !strings.Contains(first, "ingest ok") || !regexpMatch(`wire\s+2\s+1\s+0\s+0\s+0\s+0`, first) {
		t.Fatalf("first run:\n%s", first)
	}
	second := ingest()
	if *n304 != 1 || !regexpMatch(`wire\s+1\s+0\s+0\s+1\s+0\s+0`, second) {
		t.Fatalf("second run (304s %d):\n%s", *n304, second)
	}
	ix, err := indexer.Open(indexer.Options{Dir: filepath.Join(dir, "data")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close(context.Background())
	st, err := runs.Open(ix.DB(), runs.Options{})
	if err != nil {
		t.Fatal(err)
	}
	list, err := st.List(0, "")
	if err != nil || len(list) != 2 || list[0].Trigger != "ingest" || list[0].Sources[0].Unchanged != 1 || list[1].Sources[0].New != 1 {
		t.Fatalf("%v %+v", err, list)
	}
}

func TestSchedulerCatchUp(t *testing.T) {
	srv, _ := etagFeed(t)
	ix, err := indexer.Open(indexer.Options{Dir: t.TempDir()}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close(context.Background())
	now := time.Date(2025, 11, 3, 12, 0, 0, 0, time.UTC)
	seedClock := now
	seed, err := runs.Open(ix.DB(), runs.Options{Now: func() time.Time { return seedClock }})
	if err != nil {
		t.Fatal(err)
	}
	// fresh succeeded 5 minutes ago, stale 2 hours ago, failing only failed;
	// never has no history: all but fresh are due for an hourly schedule.
	record := func(at time.Time, ss crawler.SourceSummary) {
		seedClock = at
		r, err := seed.Begin("schedule", []string{ss.Name})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := seed.Finish(r.ID, crawler.Summary{Finished: at, Status: "ok", Sources: []crawler.SourceSummary{ss}}); err != nil {
			t.Fatal(err)
		}
	}
	record(now.Add(-5*time.Minute), crawler.SourceSummary{Name: "fresh", Fetched: 1, Unchanged: 1})
	record(now.Add(-2*time.Hour), crawler.SourceSummary{Name: "stale", Fetched: 2, New: 1})
	record(now.Add(-10*time.Minute), crawler.SourceSummary{Name: "failing", Fetched: 1, Failed: 1})

	var sources []crawler.Source
	schedules := map[string]string{}
	for _, name := range []string{"fresh", "stale", "failing", "never"} {
		sources = append(sources, crawler.Source{Name: name, URL: srv.URL + "/rss.xml"})
		schedules[name] = "0 * * * *"
	}
	store, err := runs.Open(ix.DB(), runs.Options{})
	if err != nil {
		t.Fatal(err)
	}
	cr := crawler.New(crawler.Options{Fetch: fetch.New(fetch.Options{AllowPrivateNetworks: true, MaxRetries: -1}, nil)}, nil)
	runner := runs.NewRunner(runs.RunnerOptions{Store: store, Crawler: cr, Sink: flushSink{sink{ix}}, Sources: sources})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sched, err := newScheduler(ctx, discardLogger(), runner, store, schedules, func() time.Time { return now })
	if err != nil {
		t.Fatal(err)
	}
	if n := len(sched.Entries()); n != 4 {
		t.Errorf("%d cron entries, want 4", n)
	}
	deadline := time.Now().Add(10 * time.Second)
	var caught map[string]bool
	for time.Now().Before(deadline) {
		caught = map[string]bool{}
		list, err := store.List(0, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range list {
			if r.Trigger == "catch-up" && r.Status != runs.StatusRunning {
				caught[r.Sources[0].Name] = true
			}
		}
		if len(caught) >= 3 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	runner.Wait()
	if !caught["stale"] || !caught["failing"] || !caught["never"] || caught["fresh"] {
		t.Errorf("catch-up runs for %v, want stale, failing and never", caught)
	}
	if _, err := newScheduler(ctx, discardLogger(), runner, store, map[string]string{"fresh": "every hour"}, time.Now); err == nil {
		t.Error("a bad schedule was accepted")
	}
}

func regexpMatch(pattern, s string) bool { return regexp.MustCompile(pattern).MatchString(s) }

func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }
