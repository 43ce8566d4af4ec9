//go:build reliability

package reliability

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/mirsad-observatory/mirsad/crawler/runs"
	"github.com/mirsad-observatory/mirsad/indexer"
	"github.com/mirsad-observatory/mirsad/indexer/document"
)

// crashTally is what the crash test reports for RELIABILITY.md.
type crashTally struct {
	iterations, killed               int
	byPoint                          map[string]int
	lostArticles, dupArticles        int
	lostAlerts, newIDAlerts          int
	notInterrupted, notPickedUp      int
	ackedAtKill, indexOnlyAfterCrash int
	needReindex                      int
}

// TestCrashSafety kills `mirsad ingest` with SIGKILL at random points
// (at a random time, while bleve writes a segment, while a webhook is
// being delivered), then checks what a restart finds and what the next
// run makes of it, against a clean reference run of the same sites.
func TestCrashSafety(t *testing.T) {
	seeds, perFeed := 21, 12
	if long {
		seeds, perFeed = 60, 60
	}
	feeds := map[string][]article{}
	var feedURLs []string
	for i, name := range []string{"wire-a", "wire-b", "wire-c"} {
		feeds[name] = genArticles(name, perFeed, uint64(i+1))
	}
	st := newSite(t, feeds, 6*time.Millisecond)
	for _, name := range []string{"wire-a", "wire-b", "wire-c"} {
		feedURLs = append(feedURLs, st.srv.URL+"/"+name+"/rss.xml")
	}

	// The reference: one clean ingest.
	ref := newReceiver(t)
	refDir := t.TempDir()
	refCfg := writeConfig(t, refDir, config{DataDir: filepath.Join(refDir, "data"), Feeds: feedURLs, Hook: ref.srv.URL})
	began := time.Now()
	code, out, errOut := run(t, 3*time.Minute, "ingest", "-config", refCfg)
	took := time.Since(began)
	if code != 0 {
		t.Fatalf("clean ingest exited %d\n%s\n%s", code, out, tail(errOut))
	}
	refReport, _ := inspect(t, filepath.Join(refDir, "data"))
	if !refReport.OK() || refReport.Stored != 3*perFeed {
		t.Fatalf("clean ingest: %d stored of %d, ok=%v: %+v", refReport.Stored, 3*perFeed, refReport.OK(), refReport)
	}
	wantAlerts := alerted(ref.deliveries())
	if len(wantAlerts) == 0 {
		t.Fatal("clean ingest delivered no alert: the subscriptions match nothing")
	}
	t.Logf("clean ingest: %d articles, %d claims, %d alert documents in %s", refReport.Stored, refReport.StoredClaims, len(wantAlerts), took.Round(time.Millisecond))

	tally := crashTally{byPoint: map[string]int{}}
	points := []string{"timed", "index-write", "alert-delivery"}
	for seed := range seeds {
		point := points[seed%len(points)]
		t.Run(fmt.Sprintf("seed=%d/%s", seed, point), func(t *testing.T) {
			crashOnce(t, uint64(seed), point, took, feedURLs, refReport.Stored, wantAlerts, &tally)
		})
	}
	t.Logf("RESULT crash: iterations=%d killed=%d by_point=%v acked_at_kill=%d index_only_after_crash=%d lost_articles=%d duplicate_articles=%d lost_alerts=%d alerts_under_new_id=%d runs_not_marked_interrupted=%d next_run_not_complete=%d needed_reindex=%d",
		tally.iterations, tally.killed, tally.byPoint, tally.ackedAtKill, tally.indexOnlyAfterCrash, tally.lostArticles, tally.dupArticles,
		tally.lostAlerts, tally.newIDAlerts, tally.notInterrupted, tally.notPickedUp, tally.needReindex)
}

func crashOnce(t *testing.T, seed uint64, point string, took time.Duration, feedURLs []string, total int, wantAlerts map[string]bool, tally *crashTally) {
	rng := rand.New(rand.NewPCG(seed, 11))
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	rc := newReceiver(t)
	// Odd seeds use monthly partitions, even ones the product's default
	// single index: both layouts are crashed at every point.
	layout := "none"
	if seed%2 == 1 {
		layout = "month"
	}
	cfg := writeConfig(t, dir, config{DataDir: data, Feeds: feedURLs, Hook: rc.srv.URL, Partitions: layout})
	tally.iterations++

	p := start(t, "ingest", "-config", cfg)
	var why atomic.Value
	kill := func(at string) {
		if why.CompareAndSwap(nil, at) {
			p.signal(syscall.SIGKILL)
		}
	}
	switch point {
	case "timed":
		at := time.Duration((0.05 + 0.8*rng.Float64()) * float64(took))
		go func() {
			select {
			case <-time.After(at):
				kill(fmt.Sprintf("timed at %s", at.Round(time.Millisecond)))
			case <-p.done:
			}
		}()
	case "index-write":
		// Kill the moment the k-th change to the index directories shows
		// once both indexes are open: a month partition being created
		// (when partitioned), a segment being written or an index's root
		// being committed, all inside the flush of a batch.
		k := 1 + rng.IntN(4)
		go func() {
			for !p.exited() {
				_, err1 := os.Stat(filepath.Join(data, "index.bleve", "index_meta.json"))
				_, err2 := os.Stat(filepath.Join(data, "claims.bleve", "index_meta.json"))
				if err1 == nil && err2 == nil {
					break
				}
				time.Sleep(500 * time.Microsecond)
			}
			time.Sleep(20 * time.Millisecond) // opening settles
			last, changes := indexState(data), 0
			for !p.exited() {
				if s := indexState(data); s != last {
					last = s
					if changes++; changes == k {
						kill(fmt.Sprintf("index write %d", k))
						return
					}
				}
				time.Sleep(500 * time.Microsecond)
			}
		}()
	case "alert-delivery":
		k := 1 + rng.IntN(2)
		rc.mu.Lock()
		rc.onDelivery = func(n int) {
			if n == k {
				kill(fmt.Sprintf("webhook delivery %d in flight", k))
			}
		}
		rc.mu.Unlock()
	}
	p.wait(t, 3*time.Minute)
	rc.mu.Lock()
	rc.onDelivery = nil
	rc.mu.Unlock()
	at, _ := why.Load().(string)
	if at == "" {
		t.Logf("ingest ended before the kill point (exit %d)", p.code)
	} else {
		tally.killed++
		tally.byPoint[point]++
	}

	// What a restart finds: everything stored is searchable, or a clear
	// error that `mirsad reindex` repairs.
	r, list, err := tryInspect(data)
	if err != nil {
		if !strings.Contains(err.Error(), "mirsad reindex") {
			t.Fatalf("after SIGKILL (%s) the data dir does not open, and the error does not say what to do: %v", at, err)
		}
		tally.needReindex++
		t.Logf("after SIGKILL (%s): %v", at, err)
		if code, out, errOut := run(t, 2*time.Minute, "reindex", "-config", cfg); code != 0 {
			t.Fatalf("mirsad reindex exited %d:\n%s\n%s", code, out, tail(errOut))
		}
		r, list = inspect(t, data)
	}
	tally.ackedAtKill += r.Stored
	tally.indexOnlyAfterCrash += r.NotStoredCount
	if !r.Lossless() {
		tally.lostArticles += r.NotIndexedCount
		var b strings.Builder
		r.Write(&b)
		t.Errorf("after SIGKILL (%s) stored articles are missing from the index:\n%s", at, b.String())
	}
	running := 0
	for _, run := range list {
		if run.Status == runs.StatusRunning {
			running++
		}
	}
	if running > 1 {
		t.Errorf("%d runs recorded as running after one killed ingest", running)
	}

	// The next runs pick up: everything is stored once, every alert
	// arrives, a delivery cut off is sent again under its id.
	for attempt := 0; ; attempt++ {
		code, out, errOut := run(t, 3*time.Minute, "ingest", "-config", cfg)
		if code != 0 {
			tally.notPickedUp++
			t.Fatalf("ingest after the crash exited %d\n%s\n%s", code, out, tail(errOut))
		}
		if covers(alerted(rc.deliveries()), wantAlerts) || attempt == 3 {
			break
		}
		time.Sleep(time.Second)
	}
	if seed%5 == 0 {
		// The command itself, now and then; inspect below checks the same
		// in this process, which is cheaper.
		code, out, errOut := run(t, time.Minute, "verify", "-strict", "-config", cfg)
		if code != 0 {
			t.Errorf("mirsad verify -strict after recovery exited %d:\n%s\n%s", code, out, tail(errOut))
		}
	}
	after, list := inspect(t, data)
	if !after.OK() {
		var b strings.Builder
		after.Write(&b)
		t.Errorf("after recovery store and indexes disagree:\n%s", b.String())
	}
	if after.Stored != total {
		tally.notPickedUp++
		t.Errorf("after recovery %d articles stored, want %d", after.Stored, total)
	}
	tally.dupArticles += len(after.DuplicateIDs) + len(after.DuplicateURLs)
	if running == 1 {
		interrupted := 0
		for _, run := range list {
			if run.Status == runs.StatusInterrupted {
				interrupted++
			}
		}
		if interrupted != 1 {
			tally.notInterrupted++
			t.Errorf("the killed run is not recorded as interrupted: %d interrupted runs", interrupted)
		}
	}
	if len(list) == 0 || (list[0].Status != runs.StatusOK) {
		tally.notPickedUp++
		t.Errorf("the run after the crash did not finish ok: %+v", list)
	}
	// Stories, not documents, are alerted, and a story's document list
	// depends on arrival order: an alert is lost when a story holding a
	// document the clean run alerted on was never delivered.
	got := rc.deliveries()
	delivered := map[string]bool{}
	for _, d := range got {
		delivered[d.Subscription+"|"+d.Cluster] = true
	}
	stories := clustersOf(t, data, wantAlerts)
	for k := range wantAlerts {
		sub, _, _ := strings.Cut(k, "|")
		if c := stories[k]; c == "" || !delivered[sub+"|"+c] {
			tally.lostAlerts++
			t.Errorf("alert lost: %s (story %q)", k, c)
		}
	}
	ids := map[string]map[string]bool{}
	for _, d := range got {
		if ids[d.key()] == nil {
			ids[d.key()] = map[string]bool{}
		}
		ids[d.key()][d.ID] = true
	}
	for k, set := range ids {
		if len(set) > 1 {
			tally.newIDAlerts++
			t.Errorf("one alert sent under %d ids: %s", len(set), k)
		}
	}
}

// covers reports whether got holds every key of want.
func covers(got, want map[string]bool) bool {
	for k := range want {
		if !got[k] {
			return false
		}
	}
	return true
}

// indexState sums the names, sizes and times of the index directories'
// files, so that any write shows as a change.
func indexState(data string) string {
	var b strings.Builder
	for _, d := range []string{"index.bleve", "claims.bleve"} {
		filepath.Walk(filepath.Join(data, d), func(path string, info os.FileInfo, err error) error {
			if err == nil && !info.IsDir() {
				fmt.Fprintf(&b, "%s %d %d;", path, info.Size(), info.ModTime().UnixNano())
			}
			return nil
		})
	}
	return b.String()
}

// clustersOf maps each subscription|url key to the story its article is
// in, read from the store of data.
func clustersOf(t *testing.T, data string, keys map[string]bool) map[string]string {
	t.Helper()
	ix, err := indexer.Open(indexer.Options{Dir: data, SkipIndex: true, LockTimeout: 5 * time.Second}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close(context.Background())
	out := map[string]string{}
	for k := range keys {
		_, u, _ := strings.Cut(k, "|")
		a, found, err := ix.Article(document.IDFor(u))
		if err != nil {
			t.Fatal(err)
		}
		if found {
			out[k] = indexer.ClusterOf(a)
		}
	}
	return out
}
